// Draws a pose as a stick figure on a canvas. The list of bones and their
// colours come from Python (web/py), which owns the keypoint order.

const POINT_RADIUS = 0.012; // of the canvas's longer side
const LINE_WIDTH = 0.018; // of the canvas's longer side

/**
 * @param {HTMLCanvasElement} canvas
 * @param {ArrayLike<number>|null} keypoints 17 x (x, y, score), in source pixels
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
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!keypoints) return;
  const scale = Math.max(size.width, size.height);
  ctx.lineCap = "round";
  ctx.lineWidth = LINE_WIDTH * scale;
  const seen = (i) => keypoints[i * 3 + 2] >= minScore;
  bones.forEach(([a, b], n) => {
    if (!seen(a) || !seen(b)) return;
    ctx.strokeStyle = colours[n] || "#ffffff";
    ctx.beginPath();
    ctx.moveTo(keypoints[a * 3], keypoints[a * 3 + 1]);
    ctx.lineTo(keypoints[b * 3], keypoints[b * 3 + 1]);
    ctx.stroke();
  });
  ctx.fillStyle = "#ffffff";
  for (let i = 0; i < keypoints.length / 3; i += 1) {
    if (!seen(i)) continue;
    ctx.beginPath();
    ctx.arc(keypoints[i * 3], keypoints[i * 3 + 1], POINT_RADIUS * scale, 0, 2 * Math.PI);
    ctx.fill();
  }
}
