// @ts-check
// Anonymous play statistics, kept on this device (IndexedDB) and never sent
// anywhere. This module only stores: what a record holds, how a game is
// counted and which days are dropped are decided by Python
// (web/py/strike_a_pose/playstats.py), which also names each record's key.
//
// Database "strike-a-pose-stats", version DB_VERSION, one object store
// "days": day records (JSON objects, see docs/statistics.md) under
// out-of-line keys "<YYYY-MM-DD> <pack id>".

const DB_NAME = "strike-a-pose-stats";
const DB_VERSION = 1; // the database's layout; a record's own format is its "schema" field
const STORE = "days";

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("the statistics database is blocked by another tab"));
  });
}

/**
 * Run `work` in one transaction and resolve with its result once committed.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => (() => T)} work returns a function that reads the result
 * @returns {Promise<T>}
 */
async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result());
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("the statistics transaction was aborted"));
    });
  } finally {
    db.close();
  }
}

/**
 * The record under `key` (or null) and every key stored.
 * @param {string} key
 * @returns {Promise<{record: unknown, keys: string[]}>}
 */
export function loadRecord(key) {
  return transact("readonly", (store) => {
    const record = store.get(key);
    const keys = store.getAllKeys();
    return () => ({ record: record.result ?? null, keys: keys.result.map(String) });
  });
}

/**
 * Store `record` under `key` and delete the records under `dropKeys`, at once.
 * @param {string} key
 * @param {unknown} record
 * @param {string[]} dropKeys
 * @returns {Promise<void>}
 */
export function saveRecord(key, record, dropKeys) {
  return transact("readwrite", (store) => {
    store.put(record, key);
    for (const old of dropKeys) store.delete(old);
    return () => undefined;
  });
}

/**
 * Every stored record, in key order (by day, then pack).
 * @returns {Promise<unknown[]>}
 */
export function allRecords() {
  return transact("readonly", (store) => {
    const all = store.getAll();
    return () => all.result;
  });
}

/**
 * Erase every record (the statistics view's confirmed reset).
 * @returns {Promise<void>}
 */
export function clearRecords() {
  return transact("readwrite", (store) => {
    store.clear();
    return () => undefined;
  });
}

/**
 * The device's local date as YYYY-MM-DD: the only time a record holds.
 * @param {Date} [now]
 */
export function localDay(now = new Date()) {
  const two = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
