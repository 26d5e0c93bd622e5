// The exported pack file: one JSON file with the pack and its pictures, so a
// curator can move a pack to a kiosk (see docs/levelpack.md, "Exported pack file").

import { bytesToDataUrl, dataUrlToBytes, MAX_IMAGE_BYTES, sniffImage } from "./images.js";

export const EXPORT_FORMAT = "strike-a-pose/exported-pack";
export const EXPORT_VERSION = 1;
export const MAX_EXPORT_CHARS = 60 * 1024 * 1024; // 8 MB pictures grow by a third in base64

/** The text of an export file for a local pack record. */
export function exportText(record) {
  const images = {};
  for (const [name, image] of Object.entries(record.images)) {
    images[name] = { type: image.type, data: image.dataUrl.slice(image.dataUrl.indexOf(",") + 1) };
  }
  return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, pack: record.pack, images });
}

/**
 * Read an export file's text into a local pack record. Throws an Error whose
 * message says what is wrong; the pack itself is validated by the game core.
 */
export function importText(text) {
  if (text.length > MAX_EXPORT_CHARS) throw new Error("the file is too large to be a level pack");
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not valid JSON (${error.message})`);
  }
  if (!data || typeof data !== "object" || data.format !== EXPORT_FORMAT) {
    throw new Error(`the file is not a Strike a Pose pack export ("format" must be "${EXPORT_FORMAT}")`);
  }
  if (data.version !== EXPORT_VERSION) {
    throw new Error(`the export is version ${JSON.stringify(data.version)}; this page reads version ${EXPORT_VERSION}`);
  }
  if (!data.pack || typeof data.pack !== "object" || !data.images || typeof data.images !== "object") {
    throw new Error('the export needs a "pack" and an "images" object');
  }
  const images = {};
  for (const [name, image] of Object.entries(data.images)) {
    if (!image || typeof image.data !== "string") throw new Error(`picture ${name}: no data`);
    let bytes;
    try {
      bytes = dataUrlToBytes(`data:;base64,${image.data}`);
    } catch {
      throw new Error(`picture ${name}: the data is not base64`);
    }
    if (bytes.length > MAX_IMAGE_BYTES) throw new Error(`picture ${name}: larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`);
    const kind = sniffImage(bytes);
    if (!kind) throw new Error(`picture ${name}: not a PNG, JPEG or WebP picture`);
    images[name] = { type: kind.type, dataUrl: bytesToDataUrl(bytes, kind.type) };
  }
  const levels = Array.isArray(data.pack.levels) ? data.pack.levels : [];
  levels.forEach((level, i) => {
    if (level && typeof level.image === "string" && !(level.image in images)) {
      throw new Error(`level ${i + 1}: its picture ${level.image} is not in the file`);
    }
  });
  return { id: String(data.pack.id || ""), pack: data.pack, images };
}
