"""Bytes: every file under web/ as our server serves it (gzip where it
compresses, as a browser asks), against its size on disk; what a first visit
downloads (from the cold start-up's resource timing); and what better
compression ahead of time would save (gzip -9, for pre-compressed files).
"""

from __future__ import annotations

import gzip
import http.client
import json
from pathlib import Path
from typing import Any

from tools.local_server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
MB = 1_000_000


def served_size(server: LocalServer, path: str) -> tuple[int, str]:
    """(bytes on the wire, Content-Encoding) for a browser-like GET."""
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
    try:
        connection.request("GET", "/" + path, headers={"Accept-Encoding": "gzip, deflate, br"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        return len(body), response.getheader("Content-Encoding", "") or ""
    finally:
        connection.close()


def first_visit_summary(first_visit: list[dict[str, Any]]) -> dict[str, Any]:
    """What a first visit's page downloads (its Resource Timing), in MB: each
    URL once (Pyodide asks again for its WebAssembly, which the page compiled
    already; that second answer comes from the browser's cache)."""
    once: dict[str, dict[str, Any]] = {}
    for r in first_visit:
        if r["decoded"] or r["encoded"]:
            once.setdefault(r["url"], r)
    visit = list(once.values())
    decoded = sum(int(r["decoded"]) for r in visit)
    encoded = sum(int(r["encoded"]) for r in visit)
    return {
        "requests": len(first_visit),
        "uncompressed_mb": round(decoded / MB, 2),
        "on_the_wire_mb": round(encoded / MB, 2),
        "with_headers_mb": round(sum(int(r["transfer"]) for r in visit) / MB, 2),
        "compression_saves_mb": round((decoded - encoded) / MB, 2),
    }


def offline_copy(server: LocalServer, root: Path) -> dict[str, Any]:
    """What the service worker downloads for offline play (every file of
    precache.json, as the server sends it), in MB."""
    manifest = json.loads((root / "precache.json").read_text(encoding="utf-8"))
    sizes = [
        (f["path"], int(f["size"]), served_size(server, f["path"])[0]) for f in manifest["files"]
    ]
    return {
        "files": len(sizes),
        "uncompressed_mb": round(sum(size for _, size, _ in sizes) / MB, 2),
        "on_the_wire_mb": round(sum(sent for _, _, sent in sizes) / MB, 2),
        "largest": [
            {"path": path, "bytes": size, "served": sent}
            for path, size, sent in sorted(sizes, key=lambda s: -s[1])[:6]
        ],
    }


def run(server: LocalServer, root: Path, first_visit: list[dict[str, Any]]) -> dict[str, Any]:
    """Every file as served from ``root``, the first visit and the offline copy."""
    files: list[dict[str, Any]] = []
    served_files = (
        p
        for p in WEB.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".br", ".gz")
    )  # not the pre-compressed copies: they are how a file is served, not files
    for path in sorted(served_files):
        relative = path.relative_to(WEB).as_posix()
        raw = path.read_bytes()
        served, encoding = served_size(server, relative)
        best_gzip = len(gzip.compress(raw, compresslevel=9, mtime=0)) if encoding else served
        files.append(
            {
                "path": relative,
                "bytes": len(raw),
                "served": served,
                "encoding": encoding or "identity",
                "gzip9": best_gzip,
            }
        )
    files.sort(key=lambda f: -int(f["bytes"]))
    total = sum(int(f["bytes"]) for f in files)
    served_total = sum(int(f["served"]) for f in files)
    visit = [r for r in first_visit if r["decoded"] or r["encoded"]]
    return {
        "web_files": len(files),
        "web_mb": round(total / MB, 2),
        "web_served_mb": round(served_total / MB, 2),
        "web_gzip9_mb": round(sum(int(f["gzip9"]) for f in files) / MB, 2),
        "first_visit": {
            **first_visit_summary(first_visit),
            "largest": sorted(visit, key=lambda r: -int(r["decoded"]))[:8],
        },
        "offline_copy": offline_copy(server, root),
        "files": files,
    }
