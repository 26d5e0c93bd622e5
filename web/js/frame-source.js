// @ts-check
// Camera frames as the detector takes them: which frames the <video> has
// presented (frame pacing), when each was captured, and the frame itself as a
// transferable VideoFrame or ImageBitmap (for the detector worker) or as the
// <video> element (for the main-thread detector).
//
// Capture time: requestVideoFrameCallback's metadata.captureTime where the
// browser gives it (a camera frame's capture instant), else its
// presentationTime, else the callback's own time; without
// requestVideoFrameCallback, the moment a new frame is noticed. Always on the
// page's performance.now() clock, never going backwards. The pose found in a
// frame carries this time as its t_ms, which Python steps the game with
// (now_ms), so smoothing and holds run on camera time.
//
// Capture hook: addCaptureListener(listener) registers a function that is
// called synchronously with each frame taken for the detector and its
// capture time, before the frame is handed over (transferred to the worker,
// or read by the main-thread detector):
//
//     const remove = frames.addCaptureListener((image, captureMs, size) => {
//       // image: a VideoFrame or ImageBitmap about to be transferred (valid
//       // only during this call: draw it onto your own canvas now, or keep
//       // image.clone() of a VideoFrame and close it yourself), or the
//       // <video> element, which shows this frame during the call.
//       // captureMs: equals the t_ms of the pose result for this frame
//       // (poseBridge.nextFrame()), so the frame can be matched to its
//       // keypoints. A frame whose result is dropped (a reset, or Python
//       // finding it stale) never gets one.
//       // size: {width, height} of the frame in pixels.
//     });
//     remove(); // stop listening
//
// With no listener registered, a frame costs nothing extra. A listener that
// throws is reported on the console and does not stop the frame.

// A capture time older than this before the callback that reports it (or in
// the future) is not on this page's clock: the callback's own time is used.
const MAX_CAPTURE_AGE_MS = 1000;

/** @typedef {VideoFrame | ImageBitmap | HTMLVideoElement} FrameImage */

/**
 * @callback CaptureListener
 * @param {FrameImage} image the exact frame about to be analysed (see the module comment)
 * @param {number} captureMs its capture time, the t_ms of its pose result
 * @param {{width: number, height: number}} size in pixels
 * @returns {void}
 */

/**
 * A frame taken for the detector.
 * @typedef {object} CapturedFrame
 * @property {FrameImage} image
 * @property {number} t_ms capture time (performance.now() clock)
 * @property {number} width pixels
 * @property {number} height pixels
 */

/** Close a taken VideoFrame or ImageBitmap that will not be analysed after all. @param {FrameImage} image */
export function discardImage(image) {
  if ("close" in image && typeof image.close === "function") image.close();
}

export class FrameSource {
  /** @param {HTMLVideoElement} video the camera's <video> element */
  constructor(video) {
    this.video = video;
    /** Frames the video has presented so far. */
    this.presented = 0;
    /** `presented` when a frame was last taken: a newer one is waiting when they differ. */
    this.taken = 0;
    /** Capture time of the frame on show (performance.now() clock). */
    this.captureMs = 0;
    /** Called on every presented frame (the pose pipeline's pump), or null. @type {(() => void) | null} */
    this.onFrame = null;
    /** @type {Set<CaptureListener>} */
    this.listeners = new Set();
    this.watching = false;
    this.lastVideoTime = -1;
  }

  /** Start following the video's frames (once; then for as long as the page lives). */
  start() {
    if (this.watching) return;
    this.watching = true;
    const video = this.video;
    if (video.requestVideoFrameCallback) {
      /** @type {VideoFrameRequestCallback} */
      const onFrame = (now, metadata) => {
        this.#presented(now, metadata.captureTime ?? metadata.presentationTime ?? now);
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      return;
    }
    // No requestVideoFrameCallback: look at the video's clock once per screen refresh.
    /** @param {number} now */
    const poll = (now) => {
      if (video.currentTime !== this.lastVideoTime) {
        this.lastVideoTime = video.currentTime;
        this.#presented(now, now);
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }

  /** @param {number} now the callback's time @param {number} captured the reported capture time */
  #presented(now, captured) {
    const sane = Number.isFinite(captured) && captured <= performance.now() && captured >= now - MAX_CAPTURE_AGE_MS;
    this.captureMs = Math.max(this.captureMs, sane ? captured : now);
    this.presented += 1;
    if (this.onFrame) this.onFrame();
  }

  /** Whether a frame not yet taken is on show. */
  hasNewFrame() {
    return this.presented !== this.taken && this.video.videoWidth > 0;
  }

  /** Forget the frames presented so far (the camera closed: only its next frames count). */
  skipToNow() {
    this.taken = this.presented;
  }

  /**
   * Take the frame on show for the detector, calling the capture listeners.
   * @param {"transfer" | "element"} form a transferable VideoFrame/ImageBitmap, or the <video> itself
   * @returns {Promise<CapturedFrame | null>} null when the video has no frame
   */
  async take(form) {
    const video = this.video;
    this.taken = this.presented;
    const t_ms = this.captureMs || performance.now();
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return null;
    /** @type {FrameImage | null} */
    let image = null;
    if (form === "element") {
      image = video;
    } else if (typeof VideoFrame === "function") {
      try {
        image = new VideoFrame(video); // no copy: the camera's own buffer
      } catch {
        image = null; // e.g. a browser that cannot wrap this video: take a bitmap instead
      }
    }
    if (!image) {
      try {
        image = await createImageBitmap(video);
      } catch {
        return null; // the video lost its frame meanwhile (the camera closed)
      }
    }
    if (this.listeners.size) this.#tellListeners(image, t_ms, { width, height });
    return { image, t_ms, width, height };
  }

  /** @param {FrameImage} image @param {number} t_ms @param {{width: number, height: number}} size */
  #tellListeners(image, t_ms, size) {
    for (const listener of this.listeners) {
      try {
        listener(image, t_ms, size);
      } catch (error) {
        console.error("a capture listener failed:", error);
      }
    }
  }

  /**
   * Be called with every frame taken for the detector (see the module comment).
   * @param {CaptureListener} listener
   * @returns {() => void} removes the listener
   */
  addCaptureListener(listener) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
