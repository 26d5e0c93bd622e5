// @ts-check
// The front camera, opened on this device only. Frames never leave the page:
// they go to a <video> element and from there to the pose model.

/** Why the camera could not be used; each code has its own screen in index.html. */
export class CameraError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = "CameraError";
    this.code = code;
  }
}

/** getUserMedia's error names, mapped to the game's error codes. @type {Record<string, string>} */
const ERROR_CODES = {
  NotAllowedError: "camera-denied",
  SecurityError: "camera-denied",
  NotFoundError: "no-camera",
  OverconstrainedError: "no-camera",
  NotReadableError: "camera-busy",
  AbortError: "camera-busy",
};

// A modest request: MoveNet Lightning looks at 192x192 pixels, so a larger
// frame only costs time to copy.
const VIDEO_CONSTRAINTS = {
  facingMode: "user",
  width: { ideal: 640 },
  height: { ideal: 480 },
};

/**
 * Open the front camera into `video`.
 * @param {HTMLVideoElement} video
 * @param {() => void} onLost called once if the camera stops while in use
 * @returns {Promise<{width: number, height: number, stop: () => void}>}
 */
export async function openCamera(video, onLost) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Also the case on plain http:// from another machine: not a secure context.
    throw new CameraError(
      window.isSecureContext ? "browser-unsupported" : "insecure-context",
      "this browser offers no camera access here",
    );
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: VIDEO_CONSTRAINTS, audio: false });
  } catch (error) {
    const { name = "", message = "" } = /** @type {{name?: string, message?: string}} */ (error || {});
    throw new CameraError(ERROR_CODES[name] || "camera-failed", `${name}: ${message}`);
  }
  const [track] = stream.getVideoTracks();
  if (!track) {
    throw new CameraError("no-camera", "the camera stream has no video track");
  }
  let stopped = false;
  const stop = () => {
    stopped = true;
    stream.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  };
  track.addEventListener("ended", () => {
    if (!stopped) onLost();
  });
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  if (!video.videoWidth) {
    await new Promise((resolve) => video.addEventListener("loadedmetadata", resolve, { once: true }));
  }
  return { width: video.videoWidth, height: video.videoHeight, stop };
}
