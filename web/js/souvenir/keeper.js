// @ts-check
// The visitor's best moments, kept in memory for the souvenir and nowhere
// else: never in any storage, never sent, never handed to Python.
//
// Every analysed camera frame passes through `capture` (at its capture time,
// which is the game core's `now_ms`) and then `pose` (its keypoints). The
// keeper holds the last RING_SIZE of them. Python then says which one to
// keep for a level (`keep`: the best fit so far) and when the level is
// cleared (`seal`: the frames up to the match become the clip's replay).
// Without photos only keypoints are held: the souvenir then shows the
// visitor's skeleton, and no camera pixel is ever copied.

export const PHOTO_LONG_SIDE = 480; // pixels: the kept photo of each level
export const CLIP_LONG_SIDE = 320; // pixels: the frames of a level's replay
export const RING_SIZE = 12; // frames held back, about 0.8 s at 15 frames/s

/**
 * @typedef {{t_ms: number, width: number, height: number,
 *   canvas: HTMLCanvasElement | null, keypoints: Float32Array | null}} Frame
 *   one analysed camera frame: its size, its downscaled mirrored picture
 *   (photos only) and its keypoints (pixels of the unmirrored camera image)
 * @typedef {{photo: HTMLCanvasElement | null, keypoints: Float32Array | null,
 *   width: number, height: number, replay: Frame[]}} Moment
 *   a level's best moment, and the frames up to its match
 * @typedef {(width: number, height: number) => HTMLCanvasElement} CanvasMaker
 */

/** @type {CanvasMaker} */
function newCanvas(width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/**
 * `width` x `height` scaled down so its longer side is at most `longSide`.
 * @param {number} width @param {number} height @param {number} longSide
 * @returns {{width: number, height: number}}
 */
export function scaledSize(width, height, longSide) {
  const scale = Math.min(1, longSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Copy `source` into a new canvas of `size`, mirrored left-right if asked.
 * @param {CanvasMaker} make @param {CanvasImageSource} source
 * @param {{width: number, height: number}} size @param {boolean} mirror
 */
function copyPicture(make, source, size, mirror) {
  const canvas = make(size.width, size.height);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  if (mirror) {
    ctx.translate(size.width, 0);
    ctx.scale(-1, 1);
  }
  ctx.drawImage(source, 0, 0, size.width, size.height);
  return canvas;
}

/** Free a canvas's pixels now rather than at the next garbage collection. @param {HTMLCanvasElement | null} canvas */
function release(canvas) {
  if (canvas) canvas.width = canvas.height = 0;
}

export class MomentKeeper {
  /** @param {CanvasMaker} [makeCanvas] */
  constructor(makeCanvas = newCanvas) {
    this.makeCanvas = makeCanvas;
    /** Whether this game keeps photos (the visitor's choice when it began). */
    this.photos = false;
    /** Whether a game is on: frames are only looked at between begin and erase. */
    this.active = false;
    /** @type {Frame[]} oldest first */
    this.ring = [];
    /** @type {HTMLCanvasElement[]} ring canvases to reuse (no allocation per frame) */
    this.spare = [];
    /** @type {Map<number, Moment>} by slot (the level's position in play order) */
    this.moments = new Map();
  }

  /** A new game: forget everything, and keep photos only if `photos`. @param {boolean} photos */
  begin(photos) {
    this.erase();
    this.photos = Boolean(photos);
    this.active = true;
  }

  /**
   * A camera frame is being analysed: hold its picture (photos only),
   * mirrored as the visitor sees it.
   * @param {CanvasImageSource} source the frame (the <video>, or a bitmap of it)
   * @param {number} width the frame's size in pixels
   * @param {number} height
   * @param {number} t_ms its capture time (the game's now_ms)
   */
  capture(source, width, height, t_ms) {
    if (!this.active || !width || !height) return;
    /** @type {HTMLCanvasElement | null} */
    let canvas = null;
    if (this.photos) {
      const size = scaledSize(width, height, PHOTO_LONG_SIDE);
      canvas = this.ring.length >= RING_SIZE ? this.ring[0].canvas : this.spare.pop() || null;
      if (!canvas) canvas = this.makeCanvas(size.width, size.height);
      if (canvas.width !== size.width || canvas.height !== size.height) {
        canvas.width = size.width;
        canvas.height = size.height;
      }
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
      ctx.setTransform(-1, 0, 0, 1, size.width, 0); // mirrored, as on screen
      ctx.drawImage(source, 0, 0, size.width, size.height);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    if (this.ring.length >= RING_SIZE) this.ring.shift();
    this.ring.push({ t_ms, width, height, canvas, keypoints: null });
  }

  /**
   * The detection of the frame captured at `t_ms` is back.
   * @param {number} t_ms
   * @param {Float32Array | null} keypoints
   */
  pose(t_ms, keypoints) {
    const frame = this.#frameAt(t_ms);
    if (frame) frame.keypoints = keypoints ? Float32Array.from(keypoints) : null;
  }

  /** @param {number} t_ms */
  #frameAt(t_ms) {
    for (let i = this.ring.length - 1; i >= 0; i -= 1) {
      if (this.ring[i].t_ms === t_ms) return this.ring[i];
    }
    return null;
  }

  /**
   * The frame of `t_ms` is the best moment of level `slot` so far: keep it.
   * @param {number} slot @param {number} t_ms
   * @returns {boolean} false if that frame is no longer held (too old)
   */
  keep(slot, t_ms) {
    const frame = this.#frameAt(t_ms);
    if (!this.active || !frame) return false;
    const old = this.moments.get(slot);
    if (old) release(old.photo);
    this.moments.set(slot, {
      photo: frame.canvas ? copyPicture(this.makeCanvas, frame.canvas, frame.canvas, false) : null,
      keypoints: frame.keypoints,
      width: frame.width,
      height: frame.height,
      replay: old ? old.replay : [],
    });
    return true;
  }

  /** Level `slot` was cleared at `t_ms`: the frames up to then become its replay. @param {number} slot @param {number} t_ms */
  seal(slot, t_ms) {
    const moment = this.moments.get(slot);
    if (!this.active || !moment) return;
    moment.replay.forEach((frame) => release(frame.canvas));
    moment.replay = this.ring
      .filter((frame) => frame.t_ms <= t_ms)
      .map((frame) => ({
        ...frame,
        canvas: frame.canvas
          ? copyPicture(this.makeCanvas, frame.canvas, scaledSize(frame.width, frame.height, CLIP_LONG_SIDE), false)
          : null,
      }));
  }

  /** @param {number} slot @returns {Moment | undefined} */
  moment(slot) {
    return this.moments.get(slot);
  }

  /** Everything goes at once: pictures, poses, the ring. */
  erase() {
    for (const moment of this.moments.values()) {
      release(moment.photo);
      moment.replay.forEach((frame) => release(frame.canvas));
    }
    this.moments.clear();
    this.ring.forEach((frame) => release(frame.canvas));
    this.spare.forEach(release);
    this.ring = [];
    this.spare = [];
    this.active = false;
    this.photos = false;
  }

  /** What is held, for tests: counts only, never pixels. */
  census() {
    let pictures = this.ring.filter((frame) => frame.canvas).length;
    for (const moment of this.moments.values()) {
      pictures += (moment.photo ? 1 : 0) + moment.replay.filter((frame) => frame.canvas).length;
    }
    return { active: this.active, photos: this.photos, moments: this.moments.size, ring: this.ring.length, pictures };
  }
}
