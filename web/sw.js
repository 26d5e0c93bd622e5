// @ts-check
// Strike a Pose service worker: after one visit the game loads and plays with
// no server at all (a museum kiosk whose network drops).
//
// Registered by js/offline.js as "sw.js?v=<version>", where <version> is
// precache.json's version (tools/build_precache.py). A new version is a new
// script URL, so the browser installs it as an update.
//
// Install is all or nothing: every file listed in precache.json is downloaded
// into the cache "strike-a-pose-<version>" and checked against its sha256 and
// size; one failure fails the install, the half-filled cache is deleted and
// the previous version (if any) stays in charge, untouched. Only a complete,
// verified cache is ever activated; activation deletes every older cache.
//
// Serving: only GET requests to our own origin, under our scope, are handled;
// everything else goes to the network as if there were no worker. A file the
// manifest lists is only ever answered from the network or from this
// version's verified cache, never from any other copy:
//   vendor/ and models/ (pinned, versioned): the verified cache first; never
//     kept anywhere else.
//   our own listed files: network first (developers see their edits at once;
//     the answer is passed on, not kept); with no network, a server error or
//     no answer within NETWORK_TIMEOUT_MS, the verified copy.
//   files the manifest does not list (e.g. a pack added after the build):
//     network first, a copy kept in the runtime cache for offline use. The
//     runtime cache can never shadow a listed file: it is not even asked.
// So offline, a file altered on the server after install is never served,
// and a failed update leaves the old version whole (its cache is untouched
// and no copy of the new files is used in its place).

/** This worker's global scope, typed as what it is (lib "WebWorker" types `self` as any worker's). */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/**
 * A file of precache.json (tools/build_precache.py).
 * @typedef {{path: string, sha256: string, size: number}} ListedFile
 * @typedef {{version: string, files: ListedFile[]}} Manifest
 */

const CACHE_PREFIX = "strike-a-pose-";
const RUNTIME_CACHE = `${CACHE_PREFIX}runtime`;
const MANIFEST = "precache.json";
const CACHE_FIRST_PREFIXES = ["vendor/", "models/"];
const NETWORK_TIMEOUT_MS = 5000;
const PARALLEL_DOWNLOADS = 4;

const VERSION = new URL(sw.location.href).searchParams.get("v") || "";
const PRECACHE = `${CACHE_PREFIX}${VERSION}`;
const SCOPE = new URL("./", sw.location.href).href;

// Install progress, for js/offline.js and the self-test page.
const progress = { done: 0, total: 0, error: "" };

/** @param {ArrayBuffer} buffer */
function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @param {BufferSource} buffer */
async function sha256(buffer) {
  return hex(await crypto.subtle.digest("SHA-256", buffer));
}

/** The same version tools/build_precache.py computes: a hash of every path, hash and size. @param {ListedFile[]} files */
async function manifestVersion(files) {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const text = sorted.map((f) => `${f.path}\0${f.sha256}\0${f.size}\n`).join("");
  return (await sha256(new TextEncoder().encode(text))).slice(0, 16);
}

/** The cache key of a path relative to the scope: no query, "" and "x/" mean index.html. @param {string} path */
function keyFor(path) {
  const clean = path === "" || path.endsWith("/") ? `${path}index.html` : path;
  return new URL(clean, SCOPE).href;
}

/** This version's precache.json, checked, and the response it came in (kept as the completion mark). */
async function fetchManifest() {
  const response = await fetch(MANIFEST, { cache: "no-store" });
  if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
  /** @type {Manifest} */
  const manifest = await response.clone().json();
  if (!Array.isArray(manifest.files) || !manifest.files.length) {
    throw new Error(`${MANIFEST} lists no files`);
  }
  if (manifest.version !== VERSION) {
    throw new Error(`${MANIFEST} is version ${manifest.version}, this worker is for ${VERSION}`);
  }
  if ((await manifestVersion(manifest.files)) !== manifest.version) {
    throw new Error(`${MANIFEST}: its version does not match its list of files`);
  }
  return { manifest, response };
}

/** Whether a cached response is the file the manifest describes. @param {Response | undefined} response @param {ListedFile} file */
async function intact(response, file) {
  if (!response || !response.ok) return false;
  const body = await response.clone().arrayBuffer();
  return body.byteLength === file.size && (await sha256(body)) === file.sha256;
}

/** Download a listed file into `cache`, checked. @param {Cache} cache @param {ListedFile} file */
async function download(cache, file) {
  const key = keyFor(file.path);
  // A file kept by an earlier, interrupted install of this version is reused if intact.
  if (await intact(await cache.match(key), file)) return;
  const response = await fetch(key, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${file.path}: HTTP ${response.status}`);
  if (!(await intact(response, file))) {
    throw new Error(`${file.path}: the download does not match its sha256 or size`);
  }
  await cache.put(key, response);
}

async function precache() {
  if (!VERSION) throw new Error("register this worker as sw.js?v=<precache.json's version>");
  const { manifest, response } = await fetchManifest();
  const cache = await caches.open(PRECACHE);
  progress.total = manifest.files.length;
  progress.done = 0;
  try {
    const queue = [...manifest.files];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        await download(cache, file);
        progress.done += 1;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));
    // Check the whole cache once more, then store the list itself (it marks completion).
    for (const file of manifest.files) {
      if (!(await cache.match(keyFor(file.path)))) throw new Error(`${file.path}: not in the cache`);
    }
    await cache.put(keyFor(MANIFEST), response);
  } catch (error) {
    progress.error = String(error instanceof Error ? error.message : error);
    // Never leave a broken cache behind: the previous version stays in charge.
    await caches.delete(PRECACHE);
    throw error;
  }
}

sw.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        // Older versions, and runtime copies made while they were in charge.
        if (name.startsWith(CACHE_PREFIX) && name !== PRECACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

/** How complete this worker's cache is: {version, complete, done, total, error}. */
async function status() {
  const base = { version: VERSION, done: progress.done, total: progress.total, error: progress.error };
  if (!(await caches.has(PRECACHE))) return { ...base, complete: false };
  const cache = await caches.open(PRECACHE);
  const stored = await cache.match(keyFor(MANIFEST));
  if (!stored) return { ...base, complete: false };
  /** @type {Manifest} */
  const { files } = await stored.json();
  const keys = new Set((await cache.keys()).map((request) => request.url));
  const present = files.filter((file) => keys.has(keyFor(file.path))).length;
  return { ...base, done: present, total: files.length, complete: present === files.length };
}

sw.addEventListener("message", (event) => {
  const port = event.ports && event.ports[0];
  if (!port || !event.data || event.data.type !== "status") return;
  event.waitUntil(
    status().then(
      (result) => port.postMessage(result),
      (error) => port.postMessage({ version: VERSION, complete: false, error: String(error) }),
    ),
  );
});

/**
 * `promise`, or a rejection after `ms`.
 * @template T
 * @param {Promise<T>} promise @param {number} ms
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** @type {Promise<Set<string>> | null} the keys this version's manifest lists */
let listedKeys = null;

/** The cache keys of every file this version saved (empty until it is complete). */
function listed() {
  if (!listedKeys) {
    const keys = (async () => {
      if (!(await caches.has(PRECACHE))) return new Set();
      const stored = await (await caches.open(PRECACHE)).match(keyFor(MANIFEST));
      if (!stored) return new Set();
      /** @type {Manifest} */
      const { files } = await stored.json();
      return new Set(files.map((file) => keyFor(file.path)));
    })();
    listedKeys = keys;
    // Not complete yet: ask again next time.
    keys.then((found) => {
      if (!found.size) listedKeys = null;
    });
  }
  return listedKeys;
}

/** The verified copy of a listed file (undefined if this version is not saved). @param {string} key */
async function fromPrecache(key) {
  if (!(await caches.has(PRECACHE))) return undefined;
  return (await caches.open(PRECACHE)).match(key);
}

/** @param {Request} request @param {string} key */
async function cacheFirst(request, key) {
  const cached = await fromPrecache(key);
  return cached || fetch(request);
}

/** @param {FetchEvent} event @param {string} key @param {boolean} isListed */
async function networkFirst(event, key, isListed) {
  const network = fetch(event.request).then((response) => {
    if (!isListed && response.ok && response.type === "basic" && response.status === 200) {
      const copy = response.clone();
      event.waitUntil(caches.open(RUNTIME_CACHE).then((cache) => cache.put(key, copy)));
    }
    return response;
  });
  network.catch(() => {}); // handled below; keeps an offline failure from being reported twice
  /** @type {Response | null} */
  let response;
  try {
    response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (response.status < 500) return response;
  } catch {
    response = null;
  }
  const cached = isListed ? await fromPrecache(key) : await (await caches.open(RUNTIME_CACHE)).match(key);
  if (cached) return cached;
  return response || network; // no copy: wait for the network after all
}

/** @param {FetchEvent} event @param {string} path relative to the scope @param {string} key */
async function answer(event, path, key) {
  const isListed = (await listed()).has(key);
  if (CACHE_FIRST_PREFIXES.some((prefix) => path.startsWith(prefix))) {
    // Pinned files are never kept outside the verified cache.
    return isListed ? cacheFirst(event.request, key) : fetch(event.request);
  }
  return networkFirst(event, key, isListed);
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || !url.href.startsWith(SCOPE)) return;
  const path = url.pathname.slice(new URL(SCOPE).pathname.length);
  event.respondWith(answer(event, path, keyFor(path)));
});
