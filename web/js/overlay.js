// @ts-check
// The skeletons drawn over the picture: the visitor's pose on the (CSS-
// mirrored) camera overlay, in the limb colours Python chose, and a level's
// reference pose on its artwork. Python owns the keypoint order and sets the
// bones once; colours cross only when they change, never every frame.

import { drawSkeleton } from "./skeleton.js";

export class Overlay {
  /**
   * @param {HTMLCanvasElement} canvas the camera overlay
   * @param {HTMLVideoElement} video the camera's <video>, for the frame size
   */
  constructor(canvas, video) {
    this.canvas = canvas;
    this.video = video;
    /** @type {Array<[number, number]>} pairs of keypoint indices */
    this.bones = [];
    /** @type {string[]} a CSS colour per bone */
    this.colours = [];
    this.minScore = 0;
  }

  /** @param {string} bonesJson [[a, b], ...] of keypoint indices */
  setBones(bonesJson) {
    this.bones = JSON.parse(bonesJson);
  }

  /**
   * How the visitor's pose is drawn from now on.
   * @param {string} coloursJson a CSS colour per bone, as JSON
   * @param {number} minScore keypoints scored below this are not drawn
   */
  setStyle(coloursJson, minScore) {
    this.colours = JSON.parse(coloursJson);
    this.minScore = minScore;
  }

  /** Draw `keypoints` (or clear the overlay for null). @param {ArrayLike<number> | null} keypoints */
  paint(keypoints) {
    const size = { width: this.video.videoWidth || 1, height: this.video.videoHeight || 1 };
    drawSkeleton(this.canvas, keypoints, size, this.bones, this.colours, this.minScore);
  }

  /**
   * Draw a level's reference pose, as painted, in one colour.
   * @param {HTMLCanvasElement} canvas
   * @param {string} keypointsJson flat [x, y, score, ...] in the picture's pixels
   * @param {number} width the picture's size in pixels
   * @param {number} height
   * @param {string} colour
   */
  drawTarget(canvas, keypointsJson, width, height, colour) {
    const flat = JSON.parse(keypointsJson);
    drawSkeleton(canvas, flat, { width, height }, this.bones, this.bones.map(() => colour), 0.01);
  }
}
