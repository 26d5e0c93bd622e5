// @ts-check
// Reads a wheel (a zip file) in JavaScript, so that numpy's files can be
// unpacked while Pyodide's own WebAssembly still compiles: Pyodide's package
// loader would unpack it later, in Python, one step after another.
// Used by the page (js/python-loader.js) and by tools/make_snapshot.mjs in Node.

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** @typedef {{name: string, bytes: Uint8Array}} WheelFile */

/**
 * Inflate raw deflate data with the platform's own decompressor.
 * @param {Uint8Array} data
 * @returns {Promise<Uint8Array>}
 */
async function inflate(data) {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  // (never shared memory, which the DOM types allow for; errors surface on the readable side)
  writer.write(/** @type {Uint8Array<ArrayBuffer>} */ (data)).catch(() => {});
  writer.close().catch(() => {});
  return new Uint8Array(await new Response(stream.readable).arrayBuffer());
}

/**
 * Every file of a zip archive, with its contents (directories left out).
 * @param {ArrayBuffer | Uint8Array} archive
 * @param {(name: string) => boolean} [wanted] which files to inflate (default: all)
 * @returns {Promise<WheelFile[]>}
 */
export async function unzip(archive, wanted = () => true) {
  const bytes = archive instanceof Uint8Array ? archive : new Uint8Array(archive);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 65557); at -= 1) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = view.getUint16(end + 10, true);
  let entry = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  /** @type {Promise<WheelFile>[]} */
  const files = [];
  for (let index = 0; index < count; index += 1) {
    if (view.getUint32(entry, true) !== DIRECTORY_ENTRY) throw new Error("damaged zip directory");
    const method = view.getUint16(entry + 10, true);
    const packedSize = view.getUint32(entry + 20, true);
    const size = view.getUint32(entry + 24, true);
    const nameLength = view.getUint16(entry + 28, true);
    const extraLength = view.getUint16(entry + 30, true);
    const commentLength = view.getUint16(entry + 32, true);
    const local = view.getUint32(entry + 42, true);
    const name = names.decode(bytes.subarray(entry + 46, entry + 46 + nameLength));
    entry += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/") || !wanted(name)) continue;
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`unsafe path in zip: ${name}`);
    if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error(`${name}: damaged zip entry`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const packed = bytes.subarray(start, start + packedSize);
    if (method !== STORED && method !== DEFLATED) throw new Error(`${name}: unknown compression ${method}`);
    files.push(
      (method === STORED ? Promise.resolve(packed) : inflate(packed)).then((contents) => {
        if (contents.length !== size) throw new Error(`${name}: unpacked to the wrong size`);
        return { name, bytes: contents };
      }),
    );
  }
  return Promise.all(files);
}
