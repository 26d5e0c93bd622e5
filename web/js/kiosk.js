// @ts-check
// An unattended kiosk: no cursor, no selection, no context menu, no leaving
// the page by gesture or key, fullscreen at the first touch; and a watchdog
// that calls for a reload when the game loop (Python) stops showing frames.

/**
 * Lock the page down for unattended use.
 * @param {Document} doc
 */
export function lockDown(doc) {
  doc.body.dataset.kiosk = "true";
  /** @param {Event} event */
  const block = (event) => event.preventDefault();
  for (const type of ["contextmenu", "selectstart", "dragstart"]) {
    doc.addEventListener(type, block);
  }
  doc.addEventListener("keydown", (event) => {
    const leaving = event.altKey || event.metaKey || ["Backspace", "F5", "BrowserBack"].includes(event.key);
    if (leaving) event.preventDefault();
  });
  doc.addEventListener(
    "pointerdown",
    () => {
      const root = doc.documentElement;
      if (!doc.fullscreenElement && root.requestFullscreen) root.requestFullscreen().catch(() => {});
    },
    { once: true },
  );
}

/** Calls `onStall` when beat() has not been called for `stallMs`. */
export class Watchdog {
  /** @param {number} stallMs @param {() => void} onStall */
  constructor(stallMs, onStall) {
    this.stallMs = stallMs;
    this.onStall = onStall;
    this.lastBeat = performance.now();
    /** @type {ReturnType<typeof setInterval> | null} */
    this.timer = null;
  }

  start() {
    if (this.timer !== null) return;
    this.lastBeat = performance.now();
    // Checked four times per period: a stall is noticed at most a quarter late.
    this.timer = setInterval(() => {
      if (performance.now() - this.lastBeat > this.stallMs) this.onStall();
    }, this.stallMs / 4);
  }

  /** The game loop is alive. */
  beat() {
    this.lastBeat = performance.now();
  }
}
