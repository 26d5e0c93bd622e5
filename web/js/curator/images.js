// Checks on a curator's image files: only PNG, JPEG and WebP (never SVG,
// which can carry script), recognised by their first bytes, not their name.

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const MB = 1024 * 1024; // bytes, for messages
export const MAX_IMAGE_SIDE = 8192; // pixels

const SIGNATURES = [
  { type: "image/png", ext: "png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", ext: "jpg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/webp", ext: "webp", bytes: [0x52, 0x49, 0x46, 0x46], at8: [0x57, 0x45, 0x42, 0x50] },
];

/** The image type of these bytes, or null. */
export function sniffImage(bytes) {
  const starts = (sig, offset) => sig.every((b, i) => bytes[offset + i] === b);
  for (const sig of SIGNATURES) {
    if (starts(sig.bytes, 0) && (!sig.at8 || starts(sig.at8, 8))) return sig;
  }
  return null;
}

export function bytesToDataUrl(bytes, type) {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return `data:${type};base64,${btoa(binary)}`;
}

export function dataUrlToBytes(dataUrl) {
  const comma = dataUrl.indexOf(",");
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decode and measure an image; rejects what is not a sane picture. */
export async function loadImage(dataUrl) {
  const img = new Image();
  img.src = dataUrl;
  try {
    await img.decode();
  } catch {
    throw new Error("the file is not a picture this browser can show");
  }
  if (img.naturalWidth > MAX_IMAGE_SIDE || img.naturalHeight > MAX_IMAGE_SIDE) {
    throw new Error(`the picture is ${img.naturalWidth}x${img.naturalHeight}; at most ${MAX_IMAGE_SIDE} pixels a side`);
  }
  return img;
}

/**
 * Read a picked or dropped file: {type, ext, dataUrl, img}; throws with a
 * message a curator understands.
 */
export async function readImageFile(file) {
  if (file.size > MAX_IMAGE_BYTES) {
    throw new Error(`${file.name} is ${(file.size / MB).toFixed(1)} MB; at most ${MAX_IMAGE_BYTES / MB} MB`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes);
  if (!kind) throw new Error(`${file.name} is not a PNG, JPEG or WebP picture`);
  const dataUrl = bytesToDataUrl(bytes, kind.type);
  const img = await loadImage(dataUrl);
  return { type: kind.type, ext: kind.ext, dataUrl, img };
}
