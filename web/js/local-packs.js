// @ts-check
// Level packs kept on this device (IndexedDB), for the curator page and for
// the game (?pack=local:<id>). Nothing here is ever sent anywhere.
//
// A record: {id, pack: <pack.json object, images named by relative path>,
//            images: {<name>: {type: "image/png", dataUrl: "data:..."}}, updated}

const DB_NAME = "strike-a-pose";
const DB_VERSION = 1;
const STORE = "packs";

/**
 * @typedef {object} PackRecord
 * @property {string} id
 * @property {any} pack the pack.json object
 * @property {Record<string, {type: string, dataUrl: string}>} images
 * @property {number} [updated] Date.now() of the last save
 */

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest | undefined} work
 * @returns {Promise<any>} the request's result
 */
async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Save (or replace) a pack record. @param {PackRecord} record */
export function savePack(record) {
  return transact("readwrite", (store) => store.put({ ...record, updated: Date.now() }));
}

/** The record with this id, or undefined. @param {string} id @returns {Promise<PackRecord | undefined>} */
export function loadPack(id) {
  return transact("readonly", (store) => store.get(id));
}

/** Every saved record's id and title. @returns {Promise<Array<{id: string, title: string}>>} */
export async function listPacks() {
  /** @type {PackRecord[]} */
  const all = await transact("readonly", (store) => store.getAll());
  return all.map((record) => ({ id: record.id, title: record.pack && record.pack.title }));
}

/**
 * A saved pack as the game's Python reads it: {ok, text, images, message}
 * where text is the pack's JSON and images (JSON) maps its picture names to
 * data: URLs.
 * @param {string} id
 */
export async function loadPackForGame(id) {
  try {
    const record = await loadPack(id);
    if (!record) return { ok: false, text: "", images: "{}", message: `no pack "${id}" is saved on this device` };
    const images = Object.fromEntries(Object.entries(record.images).map(([name, image]) => [name, image.dataUrl]));
    return { ok: true, text: JSON.stringify(record.pack), images: JSON.stringify(images), message: "" };
  } catch (error) {
    return { ok: false, text: "", images: "{}", message: String(error) };
  }
}
