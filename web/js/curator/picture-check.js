// @ts-check
// What a picture really is, read from its bytes before any browser decodes it:
// PNG, JPEG or WebP only (never SVG, which can carry script), its real width
// and height from the header, and the limits a level picture must keep.
//
// tools/pictures.py does the same for the kiosk's installer, with the same
// messages; tests/unit/test_pictures.py runs both on the same hostile files
// and checks that they agree. The limits are the game loader's
// (web/py/strike_a_pose/packformat.py), through ../constants.js.

import { MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from "../constants.js";

export { MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE };

const MB = 1024 * 1024;

/** @typedef {{type: string, ext: string, width: number, height: number}} PictureInfo */

/** An error whose message completes "picture NAME ..." */
export class PictureError extends Error {}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Bit depths allowed for each PNG colour type.
const PNG_DEPTHS = new Map([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);
// JPEG start-of-frame markers (not DHT C4, JPG C8, DAC CC).
const JPEG_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

let crcTable = /** @type {Uint32Array | null} */ (null);

/** CRC-32 (as zlib's) of bytes[start, end). @param {Uint8Array} bytes @param {number} start @param {number} end */
function crc32(bytes, start, end) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i += 1) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// Readers of a number at byte i of b (big- or little-endian), of n bytes as
// text, and whether b holds the bytes sig at `at`.
/** @typedef {(b: Uint8Array, i: number) => number} Reader */
/** @type {Reader} */
const be16 = (b, i) => (b[i] << 8) | b[i + 1];
/** @type {Reader} */
const be32 = (b, i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
/** @type {Reader} */
const le16 = (b, i) => b[i] | (b[i + 1] << 8);
/** @type {Reader} */
const le24 = (b, i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
/** @type {Reader} */
const le32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
/** @type {(b: Uint8Array, i: number, n: number) => string} */
const ascii = (b, i, n) => String.fromCharCode(...b.subarray(i, i + n));
/** @type {(b: Uint8Array, sig: number[], at?: number) => boolean} */
const startsWith = (b, sig, at = 0) => sig.every((value, i) => b[at + i] === value);

/** @param {string} kind @param {string} why */
function damaged(kind, why) {
  return new PictureError(`is a damaged ${kind} (${why})`);
}

/** @param {Uint8Array} b @returns {[number, number]} */
function pngSize(b) {
  let pos = 8;
  let size = /** @type {[number, number] | null} */ (null);
  let sawData = false;
  while (pos + 12 <= b.length) {
    const length = be32(b, pos);
    const type = ascii(b, pos + 4, 4);
    if (length > 0x7fffffff || pos + 12 + length > b.length) throw damaged("PNG", "a chunk runs past the end");
    if (crc32(b, pos + 4, pos + 8 + length) !== be32(b, pos + 8 + length)) {
      throw damaged("PNG", `the checksum of its ${type} chunk is wrong`);
    }
    if (!size) {
      if (type !== "IHDR" || length !== 13) throw damaged("PNG", "its first chunk is not IHDR");
      const width = be32(b, pos + 8);
      const height = be32(b, pos + 12);
      const [depth, colour, compression, filter, interlace] = b.subarray(pos + 16, pos + 21);
      if (!width || !height || width > 0x7fffffff || height > 0x7fffffff) throw damaged("PNG", "it gives no size");
      const depths = PNG_DEPTHS.get(colour);
      if (!depths || !depths.includes(depth) || compression || filter || interlace > 1) {
        throw damaged("PNG", "its header is not valid");
      }
      size = [width, height];
    } else if (type === "IDAT") {
      sawData = true;
    } else if (type === "IEND") {
      if (!sawData) throw damaged("PNG", "it holds no image data");
      if (pos + 12 + length !== b.length) throw damaged("PNG", "there is data after its end");
      return size;
    }
    pos += 12 + length;
  }
  throw damaged("PNG", size ? "it is cut short" : "the header is cut short");
}

/** @param {Uint8Array} b @returns {[number, number]} */
function jpegSize(b) {
  let pos = 2;
  while (pos < b.length) {
    if (b[pos] !== 0xff) throw damaged("JPEG", "a segment marker is missing");
    while (b[pos] === 0xff) pos += 1; // fill bytes
    if (pos >= b.length) break;
    const marker = b[pos];
    pos += 1;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) throw damaged("JPEG", "no frame header before its image data");
    if (pos + 2 > b.length) break;
    const length = be16(b, pos);
    if (length < 2 || pos + length > b.length) throw damaged("JPEG", "a segment runs past the end");
    if (JPEG_FRAMES.has(marker)) {
      if (length < 8) throw damaged("JPEG", "its frame header is too short");
      const height = be16(b, pos + 3);
      const width = be16(b, pos + 5);
      if (!width || !height) throw damaged("JPEG", "it gives no size");
      return [width, height];
    }
    pos += length;
  }
  throw damaged("JPEG", "it is cut short");
}

/** @param {Uint8Array} b @returns {[number, number]} */
function webpSize(b) {
  if (le32(b, 4) + 8 !== b.length) throw damaged("WebP", "its size field does not match the file");
  if (b.length < 30) throw damaged("WebP", "it is cut short");
  const chunk = ascii(b, 12, 4);
  const length = le32(b, 16);
  if (20 + length > b.length) throw damaged("WebP", "a chunk runs past the end");
  const d = 20;
  let size;
  if (chunk === "VP8 ") {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], d + 3)) throw damaged("WebP", "its VP8 header is not valid");
    size = [le16(b, d + 6) & 0x3fff, le16(b, d + 8) & 0x3fff];
  } else if (chunk === "VP8L") {
    if (b[d] !== 0x2f) throw damaged("WebP", "its VP8L header is not valid");
    const bits = le32(b, d + 1);
    size = [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  } else if (chunk === "VP8X") {
    size = [le24(b, d + 4) + 1, le24(b, d + 7) + 1];
  } else {
    throw damaged("WebP", "its first chunk is not VP8, VP8L or VP8X");
  }
  if (!size[0] || !size[1]) throw damaged("WebP", "it gives no size");
  return /** @type {[number, number]} */ (size);
}

/**
 * The type and real size of a picture, from its bytes; throws PictureError.
 * @param {Uint8Array} bytes
 * @returns {PictureInfo}
 */
export function readPictureHeader(bytes) {
  if (startsWith(bytes, PNG_SIGNATURE)) {
    const [width, height] = pngSize(bytes);
    return { type: "image/png", ext: "png", width, height };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const [width, height] = jpegSize(bytes);
    return { type: "image/jpeg", ext: "jpg", width, height };
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") {
    const [width, height] = webpSize(bytes);
    return { type: "image/webp", ext: "webp", width, height };
  }
  throw new PictureError("is not a PNG, JPEG or WebP picture");
}

/**
 * Check a level picture: type, header, bytes, sides, pixels. Throws a
 * PictureError whose message completes "picture NAME ...".
 * @param {Uint8Array} bytes
 * @returns {PictureInfo}
 */
export function checkPicture(bytes) {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new PictureError(`is larger than ${MAX_IMAGE_BYTES / MB} MB (${bytes.length} bytes)`);
  }
  const info = readPictureHeader(bytes);
  const shown = `${info.width}x${info.height} pixels`;
  if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
    throw new PictureError(`is ${shown}; at most ${MAX_IMAGE_SIDE} pixels a side`);
  }
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    throw new PictureError(`is ${shown}; at most ${MAX_IMAGE_PIXELS / 1e6} million pixels in all`);
  }
  return info;
}

/**
 * Whether a picture's name ends as its type does (a file is served by its name).
 * @param {string} name @param {PictureInfo} info
 */
export function nameFitsType(name, info) {
  const ext = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return ext === info.ext || (info.ext === "jpg" && ext === "jpeg");
}
