"""Export the game as a self-contained static folder for any static web host.

``python3 tools/export_static.py OUT_DIR`` copies the page, every pinned asset
of ``assets.lock.json``, the level packs (not the tests' ``levels/test-*``),
the service worker, the compiled translations and the list of packs (made
afresh for the export) and a ``precache.json`` generated for the export itself.
Upload the folder as it is; deploy/README.md says which headers a host should
add (none is required: nothing needs SharedArrayBuffer or cross-origin
isolation).  For hosts that cannot set headers at all, every page carries
server.py's Content-Security-Policy as a ``<meta http-equiv>`` (derived from
its one constant, without ``frame-ancestors``, which a meta tag cannot carry),
and every file worth compressing gets its ``.br`` and ``.gz`` copies
(tools/precompress.py) for hosts that serve them (nginx ``gzip_static``).

It refuses to export when a pinned asset is missing or does not match the
lock (run ``python3 tools/fetch_assets.py`` first), and verifies every copy.
The folder is assembled next to OUT_DIR and moved into place at the end, so a
failed export never leaves a half-written OUT_DIR.  An existing OUT_DIR is only
replaced if it is empty or an earlier export (it has sw.js and precache.json).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import CONTENT_SECURITY_POLICY
from staticserver.compressed import COPY_SUFFIXES, copy_path, valid_copy
from tools.build_precache import (
    MANIFEST_NAME,
    WEB,
    collect,
    generate,
    manifest,
    own_files,
    web_path,
    with_copies,
    write_manifest,
)
from tools.build_snapshot import refuse_if_stale
from tools.fetch_assets import (
    LOCK_PATH,
    NUMPY_WHEEL,
    AssetError,
    LockedFile,
    problems_in_place,
    read_lock,
    verify_official_wheel,
)
from tools.precompress import compress_file

EXPORT_MARKERS = ("sw.js", MANIFEST_NAME)
# Directives a <meta http-equiv> policy cannot carry (CSP 3, section 3.3).
HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "report-to", "sandbox")
CHARSET_META = re.compile(rb"<meta charset=\"utf-8\">", re.IGNORECASE)


def meta_policy(policy: str = CONTENT_SECURITY_POLICY) -> str:
    """server.py's policy without the directives a meta tag cannot carry."""
    kept = [
        directive.strip()
        for directive in policy.split(";")
        if directive.strip() and directive.split()[0] not in HEADER_ONLY_DIRECTIVES
    ]
    return "; ".join(kept)


def add_policy_meta(page: Path) -> None:
    """Put the policy into an HTML page, right after its charset (before any script)."""
    html = page.read_bytes()
    tag = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy()}">'.encode()
    html, found = CHARSET_META.subn(lambda match: match.group(0) + b"\n  " + tag, html, count=1)
    if not found:
        raise AssetError(f'{page.name} has no <meta charset="utf-8"> to put the policy after')
    page.write_bytes(html)


def _reuse_copies(web_root: Path, stage: Path, path: str) -> None:
    """Bring web/'s valid compressed copies of an unchanged file into the stage."""
    source, target = web_root / path, stage / path
    source_stat, target_stat = source.stat(), target.stat()
    for coding in COPY_SUFFIXES:
        if valid_copy(source, source_stat, coding):
            copied = copy_path(target, coding)
            _copy(copy_path(source, coding), copied)
            os.utime(copied, ns=(target_stat.st_mtime_ns, target_stat.st_mtime_ns))


def verify_sources(web_root: Path, locked: Sequence[LockedFile]) -> None:
    """Refuse (AssetError) unless every pinned asset under ``web_root`` matches the lock."""
    problems = problems_in_place(web_root.parent, _relocated(locked, web_root))
    if problems:
        shown = "\n  ".join(problems[:10]) + ("\n  ..." if len(problems) > 10 else "")
        raise AssetError(
            f"refusing to export: {len(problems)} pinned asset(s) missing or not as locked:\n"
            f"  {shown}\nrun `python3 tools/fetch_assets.py` to fetch and verify them"
        )
    wheels = [f for f in locked if f.dest.endswith(NUMPY_WHEEL)]
    locks = [f for f in locked if f.dest.endswith("/pyodide-lock.json")]
    if wheels and locks:
        verify_official_wheel(
            web_root / web_path(wheels[0].dest), web_root / web_path(locks[0].dest)
        )


def _relocated(locked: Sequence[LockedFile], web_root: Path) -> list[LockedFile]:
    """The lock's entries with ``dest`` relative to ``web_root.parent`` instead of the repo."""
    return [
        LockedFile(
            dest=f"{web_root.name}/{web_path(f.dest)}",
            source=f.source,
            sha256=f.sha256,
            size=f.size,
            license=f.license,
        )
        for f in locked
    ]


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    shutil.copyfile(source, target)  # contents only: readable modes, not the source's
    os.chmod(target, 0o644)


def _replaceable(out_dir: Path) -> bool:
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    if not any(out_dir.iterdir()):
        return True
    return all((out_dir / marker).is_file() for marker in EXPORT_MARKERS)


def export(out_dir: Path, web_root: Path = WEB, lock_path: Path = LOCK_PATH) -> dict[str, object]:
    """Write the static folder to ``out_dir``; return its precache manifest."""
    out_dir = out_dir.resolve()
    web_root = web_root.resolve()
    if out_dir == web_root or web_root in out_dir.parents:
        raise AssetError(f"{out_dir} is inside the web folder {web_root}")
    if not _replaceable(out_dir):
        raise AssetError(f"{out_dir} exists and is not an earlier export: refusing to replace it")
    locked = read_lock(lock_path)
    verify_sources(web_root, locked)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    try:
        stage = staging / "web"
        stage.mkdir(mode=0o755)
        copied = [web_path(entry.dest) for entry in locked] + own_files(web_root)
        for path in copied:
            _copy(web_root / path, stage / path)
            _reuse_copies(web_root, stage, path)  # brotli 11 is slow: made once, in web/
        verify_sources(stage, locked)  # the copies, too
        refuse_if_stale(stage)
        for path in copied:
            if path.endswith(".html"):
                add_policy_meta(stage / path)  # changed: its copies are made anew
        generate(stage)  # translations and the pack list, current for this export
        data = manifest(with_copies(stage, collect(stage, locked)))
        compress_file(write_manifest(stage, data))
        os.chmod(stage, 0o755)
        old = None
        if out_dir.exists():
            old = staging / "old"
            os.replace(out_dir, old)
        os.replace(stage, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (replaced if an export)")
    parser.add_argument("--root", type=Path, default=WEB, help="web folder (default web/)")
    parser.add_argument("--lock", type=Path, default=LOCK_PATH, help="asset lock file")
    args = parser.parse_args(argv)
    try:
        data = export(args.out_dir, args.root, args.lock)
    except AssetError as error:
        print(f"export_static: {error}", file=sys.stderr)
        return 1
    files = data["files"]
    assert isinstance(files, list)
    total = sum(int(entry["size"]) for entry in files)
    pages = sorted(p.name for p in args.out_dir.glob("*.html"))
    print(
        f"exported {len(files)} files ({total / 1e6:.1f} MB), version {data['version']}, "
        f"to {args.out_dir}; see deploy/README.md for hosting.\n"
        f"The Content-Security-Policy is in {', '.join(pages)} as <meta http-equiv> too, "
        "for hosts that cannot set headers (without frame-ancestors, which only a header "
        "can carry); .br and .gz copies are beside the files for hosts that serve them."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
