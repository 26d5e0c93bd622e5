// @ts-check
// Draws a pose as a stick figure on a canvas. The list of bones and their
// colours come from Python (web/py), which owns the keypoint order.

import { VALUES_PER_KEYPOINT } from "./constants.js";

const POINT_RADIUS = 0.012; // of the drawing's longer side
const LINE_WIDTH = 0.018; // of the drawing's longer side

/**
 * @typedef {{x: number, y: number, width: number, height: number}} Box
 *   where the source image lands on the canvas, in canvas pixels
 */

/**
 * Draw `keypoints` (pixels of a `size` source image) into `box` of `ctx`,
 * mirrored left-right when `mirror` (as the visitor sees themself).
 * @param {CanvasRenderingContext2D} ctx
 * @param {ArrayLike<number>|null} keypoints 17 x (x, y, score) (constants.js), in source pixels
 * @param {{width: number, height: number}} size the source image's size in pixels
 * @param {Box} box
 * @param {Array<[number, number]>} bones pairs of keypoint indices
 * @param {string[]} colours a CSS colour per bone
 * @param {number} minScore keypoints scored below this are not drawn
 * @param {boolean} [mirror]
 */
export function drawPose(ctx, keypoints, size, box, bones, colours, minScore, mirror = false) {
  if (!keypoints) return;
  const sx = box.width / size.width;
  const sy = box.height / size.height;
  const n = VALUES_PER_KEYPOINT;
  /** @param {number} i */
  const px = (i) => box.x + (mirror ? size.width - keypoints[i * n] : keypoints[i * n]) * sx;
  /** @param {number} i */
  const py = (i) => box.y + keypoints[i * n + 1] * sy;
  const scale = Math.max(box.width, box.height);
  /** @param {number} i */
  const seen = (i) => keypoints[i * n + 2] >= minScore;
  ctx.save();
  ctx.lineCap = "round";
  ctx.lineWidth = LINE_WIDTH * scale;
  bones.forEach(([a, b], bone) => {
    if (!seen(a) || !seen(b)) return;
    ctx.strokeStyle = colours[bone] || "#ffffff";
    ctx.beginPath();
    ctx.moveTo(px(a), py(a));
    ctx.lineTo(px(b), py(b));
    ctx.stroke();
  });
  ctx.fillStyle = "#ffffff";
  for (let i = 0; i < keypoints.length / n; i += 1) {
    if (!seen(i)) continue;
    ctx.beginPath();
    ctx.arc(px(i), py(i), POINT_RADIUS * scale, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

/**
 * Clear `canvas`, sized to the source image, and draw the pose on it.
 * @param {HTMLCanvasElement} canvas
 * @param {ArrayLike<number>|null} keypoints 17 x (x, y, score) (constants.js), in source pixels
 * @param {{width: number, height: number}} size the source image's size in pixels
 * @param {Array<[number, number]>} bones pairs of keypoint indices
 * @param {string[]} colours a CSS colour per bone
 * @param {number} minScore keypoints scored below this are not drawn
 */
export function drawSkeleton(canvas, keypoints, size, bones, colours, minScore) {
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width;
    canvas.height = size.height;
  }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  drawPose(ctx, keypoints, size, { x: 0, y: 0, ...size }, bones, colours, minScore);
}
