// @ts-check
// The curator's picture of a level with its pose on top: joints are dragged
// with a pointer, or picked with n / p and moved with the arrow keys (Shift:
// ten pixels at a time). Positions stay within the picture, to 0.1 px.

import { KEYPOINT_COUNT } from "../constants.js";
import { drawSkeleton } from "../skeleton.js";

const GRAB_RADIUS = 0.04; // of the picture's longer side: how near a press must be to a joint
const POSE_COLOUR = "#ffb703";
const SELECTED_COLOUR = "#2ec27e";
/** @type {Record<string, [number, number]>} arrow key -> direction */
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** @typedef {[number, number, number]} Joint x, y in the picture's pixels; 1 when it counts, else 0 */

/**
 * What the editor shows and moves: the selected level's joints, its picture
 * and size, and the skeleton's bones.
 * @typedef {object} PoseSource
 * @property {() => {keypoints: Joint[], image_size: [number, number]} | undefined} level
 * @property {() => HTMLImageElement | undefined} picture the level's decoded picture
 * @property {() => Array<[number, number]>} bones pairs of keypoint indices
 * @property {() => void} changed a joint was moved (called once a drag settles)
 */

/** @param {number} value */
export function roundPixel(value) {
  return Math.round(value * 10) / 10;
}

export class PoseEditor {
  /** @param {HTMLCanvasElement} canvas @param {PoseSource} source */
  constructor(canvas, source) {
    this.canvas = canvas;
    this.source = source;
    /** The joint picked (keyboard or pointer), -1 for none. */
    this.selectedJoint = -1;
    /** The joint being dragged, -1 for none. */
    this.dragging = -1;
    this.#wire();
  }

  /** A new level is shown: no joint picked. */
  reset() {
    this.selectedJoint = -1;
    this.dragging = -1;
  }

  /** Draw the level's picture, its pose and the picked joint. */
  draw() {
    const level = this.source.level();
    if (!level) return;
    const canvas = this.canvas;
    const [w, h] = level.image_size;
    canvas.width = w;
    canvas.height = h;
    const flat = level.keypoints.flatMap(([x, y, s]) => [x, y, s > 0 ? 1 : 0]);
    const bones = this.source.bones();
    drawSkeleton(canvas, flat, { width: w, height: h }, bones, bones.map(() => POSE_COLOUR), 0.5);
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    const picture = this.source.picture();
    ctx.globalCompositeOperation = "destination-over"; // the picture under the pose
    if (picture) ctx.drawImage(picture, 0, 0, w, h);
    ctx.globalCompositeOperation = "source-over";
    if (this.selectedJoint >= 0) {
      const [x, y] = level.keypoints[this.selectedJoint];
      ctx.strokeStyle = SELECTED_COLOUR;
      ctx.lineWidth = Math.max(w, h) * 0.006;
      ctx.beginPath();
      ctx.arc(x, y, Math.max(w, h) * 0.02, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  /** A pointer event's place in the picture's pixels. @param {PointerEvent} event @returns {[number, number]} */
  #pictureXY(event) {
    const canvas = this.canvas;
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
  }

  /** The joint within reach of (x, y), nearest first, or -1. @param {number} x @param {number} y */
  #nearestJoint(x, y) {
    const level = this.source.level();
    if (!level) return -1;
    let best = -1;
    let bestDistance = GRAB_RADIUS * Math.max(...level.image_size);
    level.keypoints.forEach(([jx, jy], k) => {
      const d = Math.hypot(jx - x, jy - y);
      if (d <= bestDistance) {
        best = k;
        bestDistance = d;
      }
    });
    return best;
  }

  /** Move joint `k` to (x, y), kept within the picture. @param {number} k @param {number} x @param {number} y */
  #moveJoint(k, x, y) {
    const level = this.source.level();
    if (!level) return;
    const [w, h] = level.image_size;
    level.keypoints[k][0] = roundPixel(Math.min(w, Math.max(0, x)));
    level.keypoints[k][1] = roundPixel(Math.min(h, Math.max(0, y)));
    this.draw();
  }

  #wire() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => {
      if (!this.source.level()) return;
      const k = this.#nearestJoint(...this.#pictureXY(event));
      this.selectedJoint = k;
      this.dragging = k;
      if (k >= 0) canvas.setPointerCapture(event.pointerId);
      this.draw();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (this.dragging >= 0) this.#moveJoint(this.dragging, ...this.#pictureXY(event));
    });
    const drop = () => {
      if (this.dragging >= 0) this.source.changed();
      this.dragging = -1;
    };
    canvas.addEventListener("pointerup", drop);
    canvas.addEventListener("pointercancel", drop);
    // Keyboard: Tab onto the picture, n/p pick the next/previous joint, arrows move it.
    canvas.addEventListener("keydown", (event) => {
      const level = this.source.level();
      if (!level) return;
      if (event.key === "n" || event.key === "p") {
        const step = event.key === "n" ? 1 : KEYPOINT_COUNT - 1;
        this.selectedJoint = (this.selectedJoint + step + KEYPOINT_COUNT) % KEYPOINT_COUNT;
        this.draw();
        return;
      }
      const arrow = Object.hasOwn(ARROWS, event.key) ? ARROWS[event.key] : null;
      if (arrow && this.selectedJoint >= 0) {
        event.preventDefault();
        const step = event.shiftKey ? 10 : 1;
        const [x, y] = level.keypoints[this.selectedJoint];
        this.#moveJoint(this.selectedJoint, x + arrow[0] * step, y + arrow[1] * step);
        this.source.changed();
      }
    });
  }
}
