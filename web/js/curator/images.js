// @ts-check
// A curator's picture files: checked by their bytes (picture-check.js: PNG,
// JPEG or WebP only, never SVG; the header's real size within the limits)
// before the browser decodes anything, then decoded and measured.

import { checkPicture, MAX_IMAGE_BYTES, PictureError } from "./picture-check.js";

export { MAX_IMAGE_BYTES };

const MB = 1024 * 1024; // bytes, for messages

/** @param {Uint8Array} bytes @param {string} type */
export function bytesToDataUrl(bytes, type) {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return `data:${type};base64,${btoa(binary)}`;
}

/** @param {string} dataUrl */
export function dataUrlToBytes(dataUrl) {
  const comma = dataUrl.indexOf(",");
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Decode a picture already checked by checkPicture, and make sure the
 * browser sees the size its header gave.
 * @param {string} dataUrl
 * @param {{width: number, height: number}} [expected]
 */
export async function loadImage(dataUrl, expected) {
  const img = new Image();
  img.src = dataUrl;
  try {
    await img.decode();
  } catch {
    throw new PictureError("is not a picture this browser can show");
  }
  if (expected && (img.naturalWidth !== expected.width || img.naturalHeight !== expected.height)) {
    throw new PictureError(`shows as ${img.naturalWidth}x${img.naturalHeight} pixels, not the ${expected.width}x${expected.height} its header gives`);
  }
  return img;
}

/**
 * Read a picked or dropped file: {type, ext, dataUrl, img}; throws with a
 * message a curator understands.
 * @param {File} file
 */
export async function readImageFile(file) {
  if (file.size > MAX_IMAGE_BYTES) {
    throw new Error(`${file.name} is ${(file.size / MB).toFixed(1)} MB; at most ${MAX_IMAGE_BYTES / MB} MB`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let info;
  try {
    info = checkPicture(bytes);
  } catch (error) {
    throw new Error(`${file.name} ${error instanceof Error ? error.message : error}`);
  }
  const dataUrl = bytesToDataUrl(bytes, info.type);
  try {
    const img = await loadImage(dataUrl, info);
    return { type: info.type, ext: info.ext, dataUrl, img };
  } catch (error) {
    throw new Error(`${file.name} ${error instanceof Error ? error.message : error}`);
  }
}
