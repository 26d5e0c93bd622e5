"""tools/fetch_assets.py without the network: fake packages in tmp_path and a resolver."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools import fetch_assets as fa

REPO = Path(fa.__file__).resolve().parent.parent
PYODIDE_DIR = f"web/vendor/pyodide-{fa.PYODIDE_VERSION}"
OFFICIAL_NUMPY_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class FakeSources:
    """Files of fake packages under ``base``; ``source`` strings map to them."""

    base: Path
    calls: list[str] = field(default_factory=list)

    def path(self, source: str) -> Path:
        group, member = fa.split_source(source)
        return self.base / group.replace(":", "_").replace("/", "_") / member

    def add(self, source: str, data: bytes) -> None:
        path = self.path(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def __call__(self, source: str) -> Path:
        self.calls.append(source)
        return self.path(source)


def entry_for(dest: str, source: str, data: bytes) -> fa.LockedFile:
    return fa.LockedFile(dest, source, sha256(data), len(data), "MIT")


def pyodide_lock_bytes(wheel_sha256: str) -> bytes:
    lock = {
        "info": {"version": fa.PYODIDE_VERSION},
        "packages": {
            "micropip": {"file_name": "micropip-0.8.0-py3-none-any.whl", "sha256": "1" * 64},
            "numpy": {"file_name": fa.NUMPY_WHEEL, "sha256": wheel_sha256},
        },
    }
    return json.dumps(lock).encode()


@dataclass
class Setup:
    root: Path
    sources: FakeSources
    files: list[fa.LockedFile]

    def dest(self, name: str) -> Path:
        matches = [f for f in self.files if f.dest.endswith("/" + name)]
        assert len(matches) == 1, name
        return self.root / matches[0].dest


WHEEL = b"PK\x03\x04 fake official numpy wheel"


def make_setup(
    tmp_path: Path,
    wheel: bytes = WHEEL,
    pyodide_says: str | None = None,
) -> Setup:
    """A root, fake packages and a lock of four files (pyodide, numpy, a model)."""
    root = tmp_path / "repo"
    root.mkdir()
    sources = FakeSources(tmp_path / "packages")
    pyodide = f"npm:pyodide@{fa.PYODIDE_VERSION}"
    carrier = f"pypi:{fa.NUMPY_CARRIER}"
    contents = {
        (f"{PYODIDE_DIR}/pyodide.mjs", f"{pyodide}:pyodide.mjs"): b"export const loadPyodide = 1;",
        (f"{PYODIDE_DIR}/pyodide-lock.json", f"{pyodide}:pyodide-lock.json"): pyodide_lock_bytes(
            pyodide_says or sha256(wheel)
        ),
        (f"{PYODIDE_DIR}/{fa.NUMPY_WHEEL}", f"{carrier}:{fa.NUMPY_CARRIER_MEMBER}"): wheel,
        (
            "web/models/movenet-lightning.json",
            "npm:@vladmandic/human@3.3.6:models/movenet-lightning.json",
        ): b'{"format": "graph-model"}',
    }
    files = []
    for (dest, source), data in contents.items():
        sources.add(source, data)
        files.append(entry_for(dest, source, data))
    return Setup(root, sources, files)


def no_partials(root: Path) -> bool:
    return not any(p.name.startswith(".partial-") for p in root.rglob("*"))


# --- fetch and place -------------------------------------------------------


def test_fetch_places_and_verifies_every_file(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    assert fa.fetch(setup.root, setup.files, setup.sources) == len(setup.files)
    for entry in setup.files:
        placed = setup.root / entry.dest
        assert placed.read_bytes() == setup.sources.path(entry.source).read_bytes()
        assert fa.sha256_file(placed) == entry.sha256
    assert fa.problems_in_place(setup.root, setup.files) == []
    assert no_partials(setup.root)


def test_second_fetch_places_nothing(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    fa.fetch(setup.root, setup.files, setup.sources)
    mtimes = {f.dest: (setup.root / f.dest).stat().st_mtime_ns for f in setup.files}
    setup.sources.calls.clear()
    assert fa.fetch(setup.root, setup.files, setup.sources) == 0
    assert setup.sources.calls == []  # no source was even looked at
    assert {f.dest: (setup.root / f.dest).stat().st_mtime_ns for f in setup.files} == mtimes


def test_tampered_source_is_refused(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    model = next(f for f in setup.files if f.dest.endswith("movenet-lightning.json"))
    setup.sources.add(model.source, b'{"format": "graph-model", "evil": true}')
    with pytest.raises(fa.AssetError, match=re.escape(model.dest)):
        fa.fetch(setup.root, setup.files, setup.sources)
    assert not (setup.root / model.dest).exists()
    assert no_partials(setup.root)


def test_place_refuses_a_tampered_source_directly(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    entry = setup.files[0]
    setup.sources.add(entry.source, b"tampered")
    with pytest.raises(fa.AssetError) as error:
        fa.place(setup.root, entry, setup.sources)
    assert entry.dest in str(error.value)
    assert "refusing" in str(error.value)
    assert not (setup.root / entry.dest).exists()
    assert no_partials(setup.root)


def test_place_reports_a_missing_source(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    entry = setup.files[0]
    setup.sources.path(entry.source).unlink()
    with pytest.raises(fa.AssetError, match="does not exist"):
        fa.place(setup.root, entry, setup.sources)


def test_tampered_file_in_place_is_detected_and_replaced(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    fa.fetch(setup.root, setup.files, setup.sources)
    mjs = setup.dest("pyodide.mjs")
    good = mjs.read_bytes()
    mjs.write_bytes(b"fetch('https://evil.example/')")
    problems = fa.problems_in_place(setup.root, setup.files)
    assert len(problems) == 1
    assert problems[0].startswith(f"{PYODIDE_DIR}/pyodide.mjs: sha256 ")
    assert fa.fetch(setup.root, setup.files, setup.sources) == 1
    assert mjs.read_bytes() == good
    assert fa.problems_in_place(setup.root, setup.files) == []


def test_missing_file_in_place_is_reported(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    fa.fetch(setup.root, setup.files, setup.sources)
    setup.dest("movenet-lightning.json").unlink()
    assert fa.problems_in_place(setup.root, setup.files) == [
        "web/models/movenet-lightning.json: missing"
    ]
    assert fa.missing_files(setup.root, setup.files) == ["web/models/movenet-lightning.json"]


def test_tampered_file_in_place_is_removed_when_it_cannot_be_replaced(tmp_path: Path) -> None:
    # Bug fixed: a wrong file in place stayed there when its source was bad too.
    setup = make_setup(tmp_path)
    fa.fetch(setup.root, setup.files, setup.sources)
    mjs = setup.dest("pyodide.mjs")
    mjs.write_bytes(b"tampered in place")
    entry = next(f for f in setup.files if f.dest.endswith("pyodide.mjs"))
    setup.sources.add(entry.source, b"tampered at the source")
    with pytest.raises(fa.AssetError, match=r"pyodide\.mjs"):
        fa.fetch(setup.root, setup.files, setup.sources)
    assert not mjs.exists()


# --- the official numpy wheel ---------------------------------------------


def test_verify_official_wheel_accepts_the_listed_hash(tmp_path: Path) -> None:
    wheel = tmp_path / fa.NUMPY_WHEEL
    wheel.write_bytes(WHEEL)
    lock = tmp_path / "pyodide-lock.json"
    lock.write_bytes(pyodide_lock_bytes(sha256(WHEEL)))
    fa.verify_official_wheel(wheel, lock)  # no exception


def test_verify_official_wheel_refuses_another_hash(tmp_path: Path) -> None:
    wheel = tmp_path / fa.NUMPY_WHEEL
    wheel.write_bytes(WHEEL)
    lock = tmp_path / "pyodide-lock.json"
    lock.write_bytes(pyodide_lock_bytes(OFFICIAL_NUMPY_SHA256))
    with pytest.raises(fa.AssetError) as error:
        fa.verify_official_wheel(wheel, lock)
    assert fa.NUMPY_WHEEL in str(error.value)
    assert OFFICIAL_NUMPY_SHA256 in str(error.value)


@pytest.mark.parametrize(
    "lock_text",
    [
        json.dumps({"packages": {"scipy": {"file_name": "scipy.whl", "sha256": "2" * 64}}}),
        "{not json",
        json.dumps({"no packages": {}}),
    ],
)
def test_verify_official_wheel_with_an_unusable_pyodide_lock(
    tmp_path: Path, lock_text: str
) -> None:
    # Bug fixed: a malformed pyodide-lock.json raised JSONDecodeError/KeyError,
    # which main() did not catch (a traceback instead of a message).
    wheel = tmp_path / fa.NUMPY_WHEEL
    wheel.write_bytes(WHEEL)
    lock = tmp_path / "pyodide-lock.json"
    lock.write_text(lock_text)
    with pytest.raises(fa.AssetError):
        fa.verify_official_wheel(wheel, lock)


def test_fetch_removes_an_unofficial_wheel(tmp_path: Path) -> None:
    # The asset lock agrees with the wheel, but Pyodide's own lock does not.
    setup = make_setup(tmp_path, pyodide_says="f" * 64)
    with pytest.raises(fa.AssetError, match=re.escape(fa.NUMPY_WHEEL)):
        fa.fetch(setup.root, setup.files, setup.sources)
    assert not setup.dest(fa.NUMPY_WHEEL).exists()
    assert setup.dest("pyodide-lock.json").exists()


def test_fetch_removes_an_unofficial_wheel_already_in_place(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    fa.fetch(setup.root, setup.files, setup.sources)
    # A later pyodide-lock.json (from the lock) no longer vouches for the wheel.
    lock_entry = next(f for f in setup.files if f.dest.endswith("pyodide-lock.json"))
    new_lock = pyodide_lock_bytes("e" * 64)
    setup.sources.add(lock_entry.source, new_lock)
    files = [entry_for(f.dest, f.source, new_lock) if f is lock_entry else f for f in setup.files]
    with pytest.raises(fa.AssetError, match="Pyodide"):
        fa.fetch(setup.root, files, setup.sources)
    assert not setup.dest(fa.NUMPY_WHEEL).exists()


# --- the lock file ---------------------------------------------------------


def test_lock_round_trip(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)
    path = tmp_path / "lock.json"
    fa.write_lock(setup.files, path)
    assert fa.read_lock(path) == setup.files


@pytest.mark.parametrize("text", [None, "{", '{"files": [{"dest": "x"}]}', "[]"])
def test_read_lock_errors_are_asset_errors(tmp_path: Path, text: str | None) -> None:
    path = tmp_path / "lock.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(fa.AssetError, match="asset lock"):
        fa.read_lock(path)


def test_split_source() -> None:
    assert fa.split_source("npm:pyodide@0.27.7:pyodide.mjs") == (
        "npm:pyodide@0.27.7",
        "pyodide.mjs",
    )
    assert fa.split_source("npm:@scope/pkg@1.0:dist/a.js") == ("npm:@scope/pkg@1.0", "dist/a.js")
    with pytest.raises(fa.AssetError):
        fa.split_source("no-colon-at-all")
    with pytest.raises(fa.AssetError):
        fa.split_source("npm:only-one")


def committed_lock() -> list[fa.LockedFile]:
    return fa.read_lock(REPO / "assets.lock.json")


def test_committed_lock_is_well_formed() -> None:
    files = committed_lock()
    assert files
    dests = [f.dest for f in files]
    assert len(set(dests)) == len(dests), "duplicate dest"
    for entry in files:
        assert entry.dest.startswith(("web/vendor/", "web/models/")), entry.dest
        assert ".." not in Path(entry.dest).parts
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256), entry.dest
        assert isinstance(entry.size, int) and entry.size > 0, entry.dest
        assert entry.license.strip(), entry.dest
        group, member = fa.split_source(entry.source)
        assert group.startswith(("npm:", "pypi:")), entry.source
        assert Path(member).name == Path(entry.dest).name


def test_committed_lock_pins_the_official_numpy_wheel() -> None:
    by_dest = {f.dest: f for f in committed_lock()}
    numpy = by_dest[f"{PYODIDE_DIR}/{fa.NUMPY_WHEEL}"]
    # The sha256 that Pyodide 0.27.7's own pyodide-lock.json gives for this wheel.
    assert numpy.sha256 == OFFICIAL_NUMPY_SHA256


@pytest.mark.parametrize(
    "dest",
    [
        f"{PYODIDE_DIR}/pyodide-lock.json",
        f"{PYODIDE_DIR}/pyodide.mjs",
        f"{PYODIDE_DIR}/pyodide.asm.wasm",
        "web/models/movenet-lightning.json",
        "web/models/movenet-lightning.bin",
    ],
)
def test_committed_lock_lists_the_essentials(dest: str) -> None:
    assert dest in {f.dest for f in committed_lock()}


def test_committed_lock_matches_the_asset_groups() -> None:
    """Every locked file comes from a declared group and lands in its folder."""
    groups = {g.source: g for g in fa.ASSET_GROUPS}
    seen = set()
    for entry in committed_lock():
        group_source, _ = fa.split_source(entry.source)
        assert group_source in groups, entry.source
        group = groups[group_source]
        assert entry.dest.rpartition("/")[0] == group.dest
        assert entry.license == group.license
        seen.add(group_source)
    assert seen == set(groups)


def test_pyodide_lock_in_place_vouches_for_the_numpy_wheel() -> None:
    """When the assets are fetched, Pyodide's own lock has the pinned hash."""
    pyodide_lock = REPO / PYODIDE_DIR / "pyodide-lock.json"
    if not pyodide_lock.is_file():
        pytest.skip("assets not fetched")
    assert fa.pyodide_lock_sha256(pyodide_lock, fa.NUMPY_WHEEL) == OFFICIAL_NUMPY_SHA256


# --- the command line -----------------------------------------------------


@pytest.fixture
def fetch_assets_tmp_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """fetch_assets' ROOT and LOCK_PATH pointed at a temporary repository."""
    setup = make_setup(tmp_path)
    lock = setup.root / "assets.lock.json"
    fa.write_lock(setup.files, lock)
    monkeypatch.setattr(fa, "ROOT", setup.root)
    monkeypatch.setattr(fa, "LOCK_PATH", lock)
    monkeypatch.setattr(fa, "CACHE_DIR", setup.root / ".cache")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the test tried to fetch")

    monkeypatch.setattr(fa, "PackageSources", no_network)
    return setup


def test_check_names_missing_files_and_the_fix(
    fetch_assets_tmp_repo: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # Bug fixed: main() read the lock through read_lock()'s default argument,
    # bound at import time, so LOCK_PATH could not be redirected.
    assert fa.main(["--check"]) != 0
    err = capsys.readouterr().err
    assert "python3 tools/fetch_assets.py" in err
    for entry in fetch_assets_tmp_repo.files:
        assert f"{entry.dest}: missing" in err
    assert "pyodide.asm.wasm" not in err  # the temporary lock was read, not the real one


def test_check_passes_when_everything_is_in_place(
    fetch_assets_tmp_repo: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = fetch_assets_tmp_repo
    fa.fetch(setup.root, setup.files, setup.sources)
    assert fa.main(["--check"]) == 0
    assert f"all {len(setup.files)} assets present and verified" in capsys.readouterr().out
    setup.dest("pyodide.mjs").write_text("tampered")
    assert fa.main(["--check"]) == 1
    assert "pyodide.mjs: sha256" in capsys.readouterr().err


def test_main_fetch_with_everything_in_place_fetches_nothing(
    fetch_assets_tmp_repo: Setup,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = fetch_assets_tmp_repo
    fa.fetch(setup.root, setup.files, setup.sources)
    setup.sources.calls.clear()

    def sources(root: Path, cache: Path) -> Callable[[str], Path]:
        assert root == setup.root
        return setup.sources

    monkeypatch.setattr(fa, "PackageSources", sources)
    assert fa.main([]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert setup.sources.calls == []


def test_main_with_an_unreadable_lock(
    fetch_assets_tmp_repo: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    fa.LOCK_PATH.write_text("{broken")
    assert fa.main(["--check"]) == 1
    assert "fetch_assets:" in capsys.readouterr().err


def test_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        fa.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--check" in out and "--update-lock" in out


def test_check_and_update_lock_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        fa.main(["--check", "--update-lock"])
    assert exit_info.value.code == 2
