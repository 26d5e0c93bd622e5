// @ts-check
// The souvenir on the results screen: the picture, the clip, and the Save,
// Share and Delete buttons. The files exist only as in-memory Blobs shown
// through object URLs, each revoked when the souvenir is erased. A kiosk
// shows the souvenir only: nothing may leave it, so no Save and no Share.

const PICTURE_NAME = "strike-a-pose-souvenir";
const SHARE_TITLE = "Strike a Pose"; // the game's name, in every language

/**
 * @typedef {{blob: Blob, url: string, name: string}} Kept a file of the souvenir
 * @typedef {{canShare?: (data: ShareData) => boolean, share?: (data: ShareData) => Promise<void>}} Sharer
 */

export class SouvenirPanel {
  /**
   * @param {Document} doc
   * @param {Sharer} [sharer] navigator, or a stand-in
   */
  constructor(doc, sharer = navigator) {
    this.doc = doc;
    this.sharer = sharer;
    /** @param {string} id */
    const byId = (id) => /** @type {HTMLElement} */ (doc.getElementById(id));
    this.section = byId("souvenir");
    this.picture = /** @type {HTMLImageElement} */ (byId("souvenir-picture"));
    this.clip = /** @type {HTMLVideoElement} */ (byId("souvenir-clip"));
    this.status = byId("souvenir-status");
    this.saveButton = byId("souvenir-save");
    this.shareButton = byId("souvenir-share");
    this.deleteButton = byId("souvenir-delete");
    /** @type {Kept | null} */
    this.kept = null;
    /** @type {Kept | null} */
    this.keptClip = null;
    this.kiosk = false;
    /** @type {() => void} who erases the whole souvenir (the Delete button) */
    this.onDelete = () => this.clear("deleted");
    this.saveButton.addEventListener("click", () => this.save());
    this.shareButton.addEventListener("click", () => this.share());
    this.deleteButton.addEventListener("click", () => this.onDelete());
  }

  /** The visitor's words for `status` (the page has them, translated). @param {string} status */
  text(status) {
    const source = this.doc.querySelector(`#souvenir-texts [data-status="${status}"]`);
    return source ? String(source.textContent) : "";
  }

  /** @param {string} status none | making | clip-making | ready | kiosk | deleted | failed */
  show(status) {
    this.section.dataset.status = status;
    this.status.textContent = this.text(status);
  }

  /** The picture is made: show it, and offer what this screen may offer. @param {Blob} blob @param {boolean} kiosk */
  present(blob, kiosk) {
    this.clear("making");
    this.kiosk = kiosk;
    this.kept = { blob, url: URL.createObjectURL(blob), name: `${PICTURE_NAME}.${extension(blob)}` };
    this.picture.src = this.kept.url;
    this.picture.alt = this.text("alt");
    this.picture.hidden = false;
    this.deleteButton.hidden = false;
    this.saveButton.hidden = kiosk;
    this.shareButton.hidden = kiosk || !this.#canShare([this.kept]);
    this.show(kiosk ? "kiosk" : "ready");
  }

  /** The clip is recorded (after the picture). @param {Blob} blob */
  presentClip(blob) {
    if (!this.kept) return;
    this.keptClip = { blob, url: URL.createObjectURL(blob), name: `${PICTURE_NAME}.${extension(blob)}` };
    this.clip.src = this.keptClip.url;
    this.clip.hidden = false;
    // Muted, so the browser lets it play; not for visitors who asked for less motion.
    const still = this.doc.defaultView?.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!still) this.clip.play().catch(() => {}); // if refused, the controls are there
    this.shareButton.hidden = this.kiosk || !this.#canShare(this.#files());
    this.show(this.kiosk ? "kiosk" : "ready");
  }

  #files() {
    return [this.kept, this.keptClip].filter((kept) => kept !== null);
  }

  /** @param {Kept[]} files */
  #canShare(files) {
    if (!this.sharer.canShare || !this.sharer.share) return false;
    try {
      return this.sharer.canShare({ files: files.map(toFile) });
    } catch {
      return false;
    }
  }

  /** Save: download the picture, and the clip if it is made. */
  save() {
    if (this.kiosk) return;
    for (const kept of this.#files()) {
      const link = this.doc.createElement("a");
      link.href = kept.url;
      link.download = kept.name;
      link.hidden = true;
      this.doc.body.appendChild(link);
      link.click();
      link.remove();
    }
  }

  /** Share: the system's share sheet, with every file it takes. */
  async share() {
    if (this.kiosk || !this.sharer.share) return;
    let files = this.#files();
    if (!this.#canShare(files)) files = files.slice(0, 1); // some accept the picture only
    try {
      await this.sharer.share({ files: files.map(toFile), title: SHARE_TITLE, text: this.text("share-text") });
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "AbortError")) console.warn("share failed:", error);
    }
  }

  /** Take the souvenir off the screen and revoke its URLs; say `status`. */
  clear(status = "none") {
    for (const kept of this.#files()) URL.revokeObjectURL(kept.url);
    this.kept = null;
    this.keptClip = null;
    this.picture.removeAttribute("src");
    this.picture.hidden = true;
    this.clip.pause();
    this.clip.removeAttribute("src");
    this.clip.load(); // drop the decoder's hold on the old clip
    this.clip.hidden = true;
    this.saveButton.hidden = this.shareButton.hidden = this.deleteButton.hidden = true;
    this.show(status);
  }
}

/** @param {Blob} blob */
function extension(blob) {
  if (blob.type === "image/png") return "png";
  if (blob.type === "image/jpeg") return "jpg";
  return blob.type === "video/mp4" ? "mp4" : "webm";
}

/** @param {Kept} kept */
function toFile(kept) {
  return new File([kept.blob], kept.name, { type: kept.blob.type });
}
