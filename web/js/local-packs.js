// Level packs kept on this device (IndexedDB), for the curator page and for
// the game (?pack=local:<id>). Nothing here is ever sent anywhere.
//
// A record: {id, pack: <pack.json object, images named by relative path>,
//            images: {<name>: {type: "image/png", dataUrl: "data:..."}}, updated}

const DB_NAME = "strike-a-pose";
const DB_VERSION = 1;
const STORE = "packs";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

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

/** Save (or replace) a pack record. */
export function savePack(record) {
  return transact("readwrite", (store) => store.put({ ...record, updated: Date.now() }));
}

/** The record with this id, or undefined. */
export function loadPack(id) {
  return transact("readonly", (store) => store.get(id));
}

/** Every saved record's id and title. */
export async function listPacks() {
  const all = await transact("readonly", (store) => store.getAll());
  return all.map((record) => ({ id: record.id, title: record.pack && record.pack.title }));
}
