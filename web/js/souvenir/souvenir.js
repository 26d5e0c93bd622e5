// @ts-check
// The visitor's souvenir, made on this device: the page's side of what
// web/py/shell/souvenir.py decides. It keeps the best moments (keeper.js),
// paints the picture (painter.js), records the clip (clip.js) and shows
// them (panel.js). Nothing of it is ever written to any storage or sent:
// it lives in memory until the game resets, "Delete" is pressed, or a
// kiosk's results time out.

import { recordClip } from "./clip.js";
import { MomentKeeper } from "./keeper.js";
import { closeArtworks, loadArtworks, paintOpsInSlices } from "./painter.js";
import { SouvenirPanel } from "./panel.js";

const PICTURE_TYPE = "image/jpeg"; // photos: a fraction of a PNG's size
const PICTURE_QUALITY = 0.92;

/**
 * @typedef {{width: number, height: number, ops: import("./painter.js").Op[]}} PictureSpec
 * @typedef {import("./painter.js").Paints} Paints
 */

export class Souvenir {
  /**
   * @param {Document} doc
   * @param {{keeper?: MomentKeeper, panel?: SouvenirPanel}} [parts]
   */
  constructor(doc, parts = {}) {
    this.keeper = parts.keeper || new MomentKeeper();
    this.panel = parts.panel || new SouvenirPanel(doc);
    this.panel.onDelete = () => this.erase("deleted");
    /** @type {Array<[number, number]>} */
    this.bones = [];
    this.minScore = 0.3; // until the game says (bridge.paintOverlay)
    // Bumped by every begin and erase: a composition still running for an
    // older game must not show up on the screen after it.
    this.generation = 0;
    /** How long the last picture and clip took to make, in ms (benchmarks). */
    this.timings = { picture_ms: -1, clip_ms: -1 };
  }

  /** A new game; photos are kept only if the visitor chose so. @param {boolean} photos */
  begin(photos) {
    this.generation += 1;
    this.keeper.begin(photos);
    this.panel.clear("none");
  }

  /** @param {Map<string, ImageBitmap>} images @returns {Paints} */
  #paints(images) {
    return { images, keeper: this.keeper, bones: this.bones, minScore: this.minScore };
  }

  /**
   * Make the picture (and, unless null, the clip) and show them.
   * @param {string} pictureJson a PictureSpec, or "null": nothing was cleared
   * @param {string} clipJson the clip's spec, or "null"
   * @param {boolean} kiosk shown only: no Save, no Share
   */
  async compose(pictureJson, clipJson, kiosk) {
    const generation = this.generation;
    const current = () => generation === this.generation;
    /** @type {PictureSpec | null} */
    const picture = JSON.parse(pictureJson);
    /** @type {import("./clip.js").ClipSpec | null} */
    const clip = JSON.parse(clipJson);
    if (!picture) {
      this.panel.show("none");
      return;
    }
    this.panel.show("making");
    /** @type {Map<string, ImageBitmap>} */
    let artworks = new Map();
    try {
      let started = performance.now();
      const scenes = clip ? clip.scenes.flat() : [];
      artworks = await loadArtworks([...picture.ops, ...scenes]);
      const paints = this.#paints(artworks);
      const canvas = document.createElement("canvas");
      canvas.width = picture.width;
      canvas.height = picture.height;
      await paintOpsInSlices(/** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")), picture.ops, paints);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, PICTURE_TYPE, PICTURE_QUALITY));
      canvas.width = canvas.height = 0;
      if (!current()) return;
      if (!blob) throw new Error("the picture could not be encoded");
      this.timings.picture_ms = performance.now() - started;
      this.panel.present(blob, kiosk);
      if (!clip) return;
      this.panel.show("clip-making");
      started = performance.now();
      const recorded = await recordClip(clip, paints, () => !current());
      if (!current()) return;
      if (recorded) {
        this.timings.clip_ms = performance.now() - started;
        this.panel.presentClip(recorded);
      } else {
        this.panel.show("ready"); // this browser records no video: the picture stays
      }
    } catch (error) {
      console.warn("souvenir failed:", error);
      if (current()) this.panel.show("failed");
    } finally {
      closeArtworks(artworks);
    }
  }

  /** Erase everything at once: moments, pictures, clip, their URLs. */
  erase(status = "none") {
    this.generation += 1;
    this.keeper.erase();
    this.panel.clear(status);
  }
}
