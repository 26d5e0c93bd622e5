// @ts-check
// The exported pack file: one JSON file with the pack and its pictures, so a
// curator can move a pack to a kiosk (see docs/levelpack.md, "Exported pack file").
//
// The file is untrusted: fields are read as own properties only (never `in`
// or an inherited value), only the pictures the levels name are kept, in a
// map with no prototype (a "__proto__" name reaches nothing), and each is
// checked by its bytes (picture-check.js) with its level's image_size.

import { bytesToDataUrl, dataUrlToBytes } from "./images.js";
import { checkPicture, nameFitsType, PictureError } from "./picture-check.js";

export const EXPORT_FORMAT = "strike-a-pose/exported-pack";
export const EXPORT_VERSION = 1;
export const MAX_EXPORT_CHARS = 60 * 1024 * 1024; // 8 MB pictures grow by a third in base64

/** @typedef {import("../local-packs.js").PackRecord} PackRecord */

/**
 * Whether `value` is a plain JSON object (not null, not an array).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** The own property `key` of `object`, or undefined. @param {unknown} object @param {string} key */
function own(object, key) {
  return isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The text of an export file for a local pack record. @param {PackRecord} record */
export function exportText(record) {
  /** @type {Record<string, {type: string, data: string}>} */
  const images = {};
  for (const [name, image] of Object.entries(record.images)) {
    images[name] = { type: image.type, data: image.dataUrl.slice(image.dataUrl.indexOf(",") + 1) };
  }
  return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, pack: record.pack, images });
}

/**
 * Read an export file's text into a local pack record: {id, pack, images,
 * sizes} (sizes: each picture's real width and height, from its header).
 * Throws an Error whose message says what is wrong; the pack itself is
 * validated by the game core.
 * @param {string} text
 * @returns {{id: string, pack: Record<string, unknown>, images: PackRecord["images"],
 *   sizes: Record<string, {width: number, height: number}>}}
 */
export function importText(text) {
  if (text.length > MAX_EXPORT_CHARS) throw new Error("the file is too large to be a level pack");
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof RangeError ? "it is nested too deeply" : String(error instanceof Error ? error.message : error);
    throw new Error(`the file is not valid JSON (${why})`);
  }
  if (own(data, "format") !== EXPORT_FORMAT) {
    throw new Error(`the file is not a Strike a Pose pack export ("format" must be "${EXPORT_FORMAT}")`);
  }
  if (own(data, "version") !== EXPORT_VERSION) {
    throw new Error(`the export is version ${JSON.stringify(own(data, "version"))}; this page reads version ${EXPORT_VERSION}`);
  }
  const pack = own(data, "pack");
  const files = own(data, "images");
  if (!isObject(pack) || !isObject(files)) throw new Error('the export needs a "pack" and an "images" object');
  const levels = own(pack, "levels");
  /** @type {Record<string, {type: string, dataUrl: string}>} */
  const images = Object.create(null);
  /** @type {Record<string, {width: number, height: number}>} */
  const sizes = Object.create(null);
  (Array.isArray(levels) ? levels : []).forEach((level, i) => {
    const name = own(level, "image");
    if (typeof name !== "string" || Object.hasOwn(images, name)) return; // the loader judges it
    const image = own(files, name);
    const encoded = own(image, "data");
    if (typeof encoded !== "string") throw new Error(`level ${i + 1}: its picture ${name} is not in the file`);
    let bytes;
    try {
      bytes = dataUrlToBytes(`data:;base64,${encoded}`);
    } catch {
      throw new Error(`picture ${name}: the data is not base64`);
    }
    let info;
    try {
      info = checkPicture(bytes);
    } catch (error) {
      throw new Error(`picture ${name} ${error instanceof PictureError ? error.message : error}`);
    }
    if (!nameFitsType(name, info)) {
      throw new Error(`picture ${name} is a ${info.ext.toUpperCase()} picture: its name must end in .${info.ext}`);
    }
    images[name] = { type: info.type, dataUrl: bytesToDataUrl(bytes, info.type) };
    sizes[name] = { width: info.width, height: info.height };
  });
  (Array.isArray(levels) ? levels : []).forEach((level, i) => {
    const name = own(level, "image");
    const size = own(level, "image_size");
    const real = typeof name === "string" ? sizes[name] : undefined;
    if (real && Array.isArray(size) && (size[0] !== real.width || size[1] !== real.height)) {
      throw new Error(`level ${i + 1}: "image_size" is ${JSON.stringify(size)} but picture ${name} is ${real.width}x${real.height} pixels`);
    }
  });
  return { id: String(own(pack, "id") || ""), pack, images: { ...images }, sizes };
}
