"""What the souvenir tests watch inside the page: object URLs made and
revoked, what was handed to the share sheet, and what any storage holds."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Runs before the page's scripts (context.add_init_script). It counts every
# URL.createObjectURL and URL.revokeObjectURL call, remembering the type of
# the Blob behind each live URL, and replaces navigator.share with a recorder
# that says it takes files, so Share can be pressed in a headless browser.
WATCH_SCRIPT = """
(() => {
  const alive = new Map();
  const made = [];
  const counts = { created: 0, revoked: 0 };
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (object) => {
    const url = create(object);
    alive.set(url, (object && object.type) || "");
    made.push(url);
    counts.created += 1;
    return url;
  };
  URL.revokeObjectURL = (url) => {
    alive.delete(url);
    counts.revoked += 1;
    return revoke(url);
  };
  const shared = [];
  Object.defineProperty(navigator, "canShare", {
    configurable: true,
    value: (data) => Boolean(data && Array.isArray(data.files) && data.files.length),
  });
  Object.defineProperty(navigator, "share", {
    configurable: true,
    value: async (data) => {
      shared.push({
        title: data.title,
        text: data.text,
        files: (data.files || []).map((f) => ({ name: f.name, type: f.type, size: f.size })),
      });
    },
  });
  globalThis.__watch = {
    counts,
    shared,
    made,
    alive: () => [...alive].map(([url, type]) => ({ url, type })),
  };
})();
"""


def souvenir_urls_alive(page: Page) -> list[dict[str, str]]:
    """Live object URLs of pictures and videos (the souvenir's kinds)."""
    alive: list[dict[str, str]] = page.evaluate("() => globalThis.__watch.alive()")
    return [item for item in alive if item["type"].startswith(("image/", "video/"))]


def urls_made(page: Page) -> list[str]:
    """Every object URL the page has made (blob: URLs of its own in-memory data)."""
    made: list[str] = page.evaluate("() => [...globalThis.__watch.made]")
    return made


def url_counts(page: Page) -> dict[str, int]:
    counts: dict[str, int] = page.evaluate("() => ({...globalThis.__watch.counts})")
    return counts


def shared(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate("() => globalThis.__watch.shared")
    return result


def storage_report(page: Page) -> dict[str, Any]:
    """Everything the page keeps in any storage: IndexedDB databases with
    their record counts, localStorage and sessionStorage keys, cached URLs."""
    report: dict[str, Any] = page.evaluate(
        """async () => {
            const databases = {};
            for (const info of (await indexedDB.databases())) {
              const db = await new Promise((resolve, reject) => {
                const request = indexedDB.open(info.name);
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
              });
              const stores = {};
              for (const name of db.objectStoreNames) {
                stores[name] = await new Promise((resolve) => {
                  const request = db.transaction(name).objectStore(name).count();
                  request.onsuccess = () => resolve(request.result);
                });
              }
              db.close();
              databases[info.name] = stores;
            }
            const cached = [];
            for (const name of await caches.keys()) {
              const cache = await caches.open(name);
              for (const request of await cache.keys()) cached.push(request.url);
            }
            return {
              indexedDB: databases,
              localStorage: Object.keys(localStorage),
              sessionStorage: Object.keys(sessionStorage),
              cached,
            };
        }"""
    )
    return report


STATS_DATABASE = "strike-a-pose-stats"  # js/stats/store.js


def stats_records(page: Page) -> dict[str, Any]:
    """Every record of the play statistics' database, by key ({} if there is none)."""
    records: dict[str, Any] = page.evaluate(
        """async (name) => {
            if (!(await indexedDB.databases()).some((info) => info.name === name)) return {};
            const db = await new Promise((resolve, reject) => {
              const request = indexedDB.open(name);
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
            const found = {};
            for (const store of db.objectStoreNames) {
              const tx = db.transaction(store);
              const read = (request) => new Promise((resolve) => {
                request.onsuccess = () => resolve(request.result);
              });
              const keys = await read(tx.objectStore(store).getAllKeys());
              const values = await read(tx.objectStore(store).getAll());
              keys.forEach((key, i) => { found[`${store}/${key}`] = values[i]; });
            }
            db.close();
            return found;
        }""",
        STATS_DATABASE,
    )
    return records
