// @ts-check
// Paints the souvenir's drawing operations on a canvas. Python decides
// where everything goes (web/py/shell/souvenir_layout.py, where each
// operation is described); this module only draws, in order.

import { drawPose } from "../skeleton.js";

const FONT = 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MIN_FONT_PX = 10;

/**
 * @typedef {import("./keeper.js").MomentKeeper} MomentKeeper
 * @typedef {import("./keeper.js").Frame} Frame
 * @typedef {[number, number, number, number]} Rect x, y, width, height in canvas pixels
 * @typedef {[number, number]} Size width, height in pixels
 * @typedef {{op: "fill", rect: Rect, colour: string}} FillOp
 * @typedef {{op: "text", text: string, x: number, y: number, size: number, bold: boolean,
 *   colour: string, align: CanvasTextAlign, max_width: number}} TextOp
 *   `y` is the top of the line; the text is shrunk to fit `max_width`
 * @typedef {{op: "art", url: string, rect: Rect}} ArtOp the artwork picture
 * @typedef {{op: "pose", keypoints: number[][], source_size: Size, rect: Rect, colour: string,
 *   mirror: boolean}} PoseOp a skeleton from pixels of a source_size image into rect
 * @typedef {{op: "photo", slot: number, rect: Rect}} PhotoOp the visitor's kept frame
 * @typedef {{op: "visitor", slot: number, source_size: Size, rect: Rect, colour: string}} VisitorOp
 *   the visitor's skeleton at that moment
 * @typedef {{op: "replay", slot: number, source_size: Size, rect: Rect, colour: string,
 *   photos: boolean}} ReplayOp a clip scene: the frames up to the match, then the best moment
 * @typedef {FillOp | TextOp | ArtOp | PoseOp | PhotoOp | VisitorOp | ReplayOp} Op
 *   one drawing operation (web/py/shell/souvenir_layout.py describes each)
 * @typedef {{images: Map<string, ImageBitmap>, keeper: MomentKeeper,
 *   bones: Array<[number, number]>, minScore: number}} Paints
 *   what the operations refer to: loaded artworks, kept moments, the skeleton
 */

/** @param {Rect} rect @returns {import("../skeleton.js").Box} */
function box(rect) {
  const [x, y, width, height] = rect;
  return { x, y, width, height };
}

/**
 * Load every artwork the operations name, all at once, each decoded into an
 * ImageBitmap: the browser decodes it off the main thread, and painting it
 * later costs no decoding (an <img> drawn on a canvas is decoded again, on
 * the main thread, every time: 5 artworks made a 50 ms task). Close them
 * with closeArtworks() when the souvenir is made.
 * @param {Op[]} ops
 * @returns {Promise<Map<string, ImageBitmap>>}
 */
export async function loadArtworks(ops) {
  const urls = [...new Set(ops.flatMap((op) => (op.op === "art" ? [op.url] : [])))];
  /** @type {Map<string, ImageBitmap>} */
  const images = new Map();
  await Promise.all(
    urls.map(async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      images.set(url, await createImageBitmap(image));
    }),
  );
  return images;
}

/** Free the decoded artworks of loadArtworks(). @param {Map<string, ImageBitmap>} images */
export function closeArtworks(images) {
  for (const image of images.values()) image.close();
  images.clear();
}

/**
 * Write `op.text` from its top, shrunk (then shortened) to fit its width.
 * @param {CanvasRenderingContext2D} ctx @param {TextOp} op
 */
function paintText(ctx, op) {
  let size = op.size;
  /** @param {number} px */
  const font = (px) => `${op.bold ? "700 " : ""}${px}px ${FONT}`;
  ctx.font = font(size);
  while (size > MIN_FONT_PX && ctx.measureText(op.text).width > op.max_width) {
    size -= 1;
    ctx.font = font(size);
  }
  let text = op.text;
  while (text.length > 1 && ctx.measureText(text).width > op.max_width) {
    text = `${text.slice(0, -2)}…`;
  }
  ctx.fillStyle = op.colour;
  ctx.textAlign = op.align;
  ctx.textBaseline = "top";
  ctx.fillText(text, op.x, op.y + Math.round((op.size - size) / 2));
}

/**
 * The frame of a level's replay to show `progress` (0..1) into its scene:
 * the frames up to the match in turn, then the best moment held.
 * @param {Frame[]} replay
 * @param {number} progress
 * @returns {Frame | null} null: show the best moment
 */
export function replayFrame(replay, progress) {
  const PLAYED = 0.6; // of the scene: the replay; the rest holds the best moment
  if (!replay.length || progress >= PLAYED) return null;
  return replay[Math.min(replay.length - 1, Math.floor((progress / PLAYED) * replay.length))];
}

// A souvenir picture is painted in slices of about this long, the page
// answering taps and painting between them: no task over 50 ms, even on a
// phone (a long task is what a visitor feels as a stuck screen).
const SLICE_MS = 8;

/**
 * Paint `ops` on `ctx`. `progress` (0..1) is how far into a clip scene we are.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Op[]} ops
 * @param {Paints} paints
 * @param {number} [progress]
 */
export function paintOps(ctx, ops, paints, progress = 1) {
  for (const op of ops) paintOp(ctx, op, paints, progress);
}

/** Let the page have the main thread (a tap, a frame) before going on. */
function yieldToPage() {
  const scheduler = /** @type {{scheduler?: {yield?: () => Promise<void>}}} */ (globalThis).scheduler;
  if (scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Paint `ops` on `ctx` as paintOps() does, yielding to the page whenever a
 * slice has taken `sliceMs` (a whole picture at once is a long task).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Op[]} ops
 * @param {Paints} paints
 * @param {number} [sliceMs]
 */
export async function paintOpsInSlices(ctx, ops, paints, sliceMs = SLICE_MS) {
  let sliceStart = performance.now();
  for (const op of ops) {
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToPage();
      sliceStart = performance.now();
    }
    paintOp(ctx, op, paints, 1);
  }
}

/**
 * Paint one operation.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Op} op
 * @param {Paints} paints
 * @param {number} progress how far into a clip scene (0..1)
 */
function paintOp(ctx, op, paints, progress) {
  if (op.op === "text") {
    paintText(ctx, op);
    return;
  }
  const rect = box(op.rect);
  switch (op.op) {
    case "fill":
      ctx.fillStyle = op.colour;
      ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
      break;
    case "art": {
      const image = paints.images.get(op.url);
      if (image) ctx.drawImage(image, rect.x, rect.y, rect.width, rect.height);
      break;
    }
    case "pose": {
      const [width, height] = op.source_size;
      const flat = op.keypoints.flatMap((point) => [point[0], point[1], point.length > 2 ? point[2] : 1]);
      drawPose(ctx, flat, { width, height }, rect, paints.bones, colours(paints, op), paints.minScore, op.mirror);
      break;
    }
    case "photo": {
      const moment = paints.keeper.moment(op.slot);
      if (moment && moment.photo) ctx.drawImage(moment.photo, rect.x, rect.y, rect.width, rect.height);
      break;
    }
    case "visitor": {
      const moment = paints.keeper.moment(op.slot);
      if (moment) paintVisitorPose(ctx, moment.keypoints, op, rect, paints);
      break;
    }
    case "replay": {
      const moment = paints.keeper.moment(op.slot);
      if (!moment) break;
      const frame = replayFrame(moment.replay, progress);
      const picture = op.photos ? (frame ? frame.canvas : moment.photo) : null;
      if (picture) ctx.drawImage(picture, rect.x, rect.y, rect.width, rect.height);
      paintVisitorPose(ctx, frame ? frame.keypoints : moment.keypoints, op, rect, paints);
      break;
    }
    default:
      throw new Error(`unknown souvenir operation ${JSON.stringify(/** @type {{op: unknown}} */ (op).op)}`);
  }
}

/** One colour for every bone of `op`'s skeleton. @param {Paints} paints @param {{colour: string}} op */
function colours(paints, op) {
  return paints.bones.map(() => op.colour);
}

/**
 * The visitor's skeleton (camera pixels), mirrored as they saw themself.
 * @param {CanvasRenderingContext2D} ctx @param {Float32Array | null} keypoints
 * @param {VisitorOp | ReplayOp} op @param {import("../skeleton.js").Box} rect @param {Paints} paints
 */
function paintVisitorPose(ctx, keypoints, op, rect, paints) {
  const [width, height] = op.source_size;
  drawPose(ctx, keypoints, { width, height }, rect, paints.bones, colours(paints, op), paints.minScore, true);
}
