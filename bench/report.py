"""RESULTS.md from the results dictionary: headline figures against the
targets first, then each benchmark's table."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"

TARGETS = {
    "loop_fps": 30.0,
    "loop_ratio": 0.95,
    "busy_share": 0.25,
    "longest_task_ms": 50.0,
    "tap_p95_ms": 50.0,
    "threads_ratio": 0.8,
    "python_p95_ms": 1.0,
    "cold_s": 5.0,
    "warm_s": 2.0,
    "throttled_cold_s": 12.0,
    "first_visit_mb": 25.0,
    "first_visit_wire_mb": 11.0,
}

# The game loops measured, as (results key, label).
LOOPS = (
    ("loop", "worker, 15 fps camera"),
    ("loop_30fps", "worker"),
    ("loop_30fps_2threads", "worker, 2 wasm threads"),
    ("loop_30fps_main", "main thread (?detector=main)"),
    ("loop_30fps_before", "before (--before)"),
)


def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        in_dict = isinstance(data, dict) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data)
        if in_dict or in_list:
            data = data[key]
        else:
            return None
    return data


def _verdict(value: float | None, target: float, higher_is_better: bool) -> str:
    if value is None:
        return "not measured"
    met = value >= target if higher_is_better else value <= target
    if met:
        return "met"
    miss = (target - value) if higher_is_better else (value - target)
    return f"missed by {miss:.2f} ({miss / target:.0%})"


def _ms_to_s(value: Any) -> float | None:
    return round(float(value) / 1000.0, 2) if value is not None else None


def _ratio(a: Any, b: Any) -> float | None:
    return round(float(a) / float(b), 3) if a is not None and b else None


def _bare_rate(r: dict[str, Any], variant: str) -> float | None:
    row = next((v for v in _get(r, "inference", "variants") or [] if v["variant"] == variant), {})
    rate = row.get("inferences_per_s")
    return float(rate) if rate else None


def loop_ratios(r: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Per loop: frames/s over the bare inference rate of the same detector
    (worker or main thread, same run), and over the lower of that rate and
    the camera's (which caps the loop whatever the speed)."""
    out = {}
    for key, _ in LOOPS:
        loop = r.get(key) or {}
        if "loop_fps" not in loop:
            continue
        where = "worker" if loop.get("detector") == "worker" else "main"
        bare = _bare_rate(
            r, "worker-wasm-2threads" if loop.get("threads") == 2 else f"{where}-wasm"
        )
        cap = min(x for x in (bare, loop.get("camera_fps")) if x) if bare else None
        out[key] = {
            "bare_rate": bare,
            "vs_bare": _ratio(loop["loop_fps"], bare),
            "vs_bare_or_camera": _ratio(loop["loop_fps"], cap),
        }
    return out


def headline(r: dict[str, Any]) -> list[str]:
    fast = r.get("loop_30fps", {})
    main = r.get("loop_30fps_main", {})
    before = r.get("loop_30fps_before", {})
    ratios = loop_ratios(r)
    ratio = _get(ratios, "loop_30fps", "vs_bare")
    tap = _get(r, "tap", "tap_to_paint_ms", "p95")
    threads_ratio = _get(r, "inference", "threads_2_vs_1_ms_ratio")
    in_game_p95 = _get(fast, "python_own_ms", "p95")
    pyodide_p95 = _get(r, "python_cost", "pyodide", "total", "p95")
    paced_p95 = _get(r, "python_cost", "pyodide_paced", "total", "p95")
    cold = _ms_to_s(_get(r, "startup", "cold", "ready_ms"))
    warm = _ms_to_s(_get(r, "startup", "warm", "ready_ms"))
    throttled_start = _ms_to_s(_get(r, "startup", "throttled_cold", "ready_ms"))
    visit_mb = _get(r, "bytes", "first_visit", "uncompressed_mb")
    wire_mb = _get(r, "bytes", "first_visit", "on_the_wire_mb")

    def trio(key: str, *path: str) -> str:
        values = [_get(r, name, *path) for name in (key, f"{key}_main", f"{key}_before")]
        return " / ".join("-" if v is None else str(v) for v in values)

    throttled = [r.get(k) or {} for k in ("throttled", "throttled_main", "throttled_before")]
    rows = [
        "Each cell with three figures: MoveNet in its worker (the game now) / on the "
        "page's main thread (`?detector=main`) / the game before (`--before "
        f"{r.get('before_revision') or '-'}`), all in this run.",
        "",
        "| Figure | Measured | Target | Verdict |",
        "|---|---|---|---|",
        "| Loop frames/s over the bare inference rate, 30 fps camera "
        f"(worker {fast.get('loop_fps')} / {_get(ratios, 'loop_30fps', 'bare_rate')}; "
        f"main {main.get('loop_fps')} / "
        f"{_get(ratios, 'loop_30fps_main', 'bare_rate')}; before {before.get('loop_fps')}) | "
        f"{ratio} / {_get(ratios, 'loop_30fps_main', 'vs_bare')} / "
        f"{_get(ratios, 'loop_30fps_before', 'vs_bare')} | >= 0.95 | "
        f"{_verdict(ratio, TARGETS['loop_ratio'], True)} |",
        f"| Main-thread busy share during play (long tasks / play time) | "
        f"{fast.get('busy_share')} / {main.get('busy_share')} / {before.get('busy_share')} | "
        f"<= 0.25 | {_verdict(fast.get('busy_share'), TARGETS['busy_share'], False)} |",
        f"| Longest main-thread task during play, ms (count of long tasks) | "
        f"{fast.get('longest_task_ms')} ({fast.get('long_tasks')}) / "
        f"{main.get('longest_task_ms')} ({main.get('long_tasks')}) / "
        f"{before.get('longest_task_ms')} ({before.get('long_tasks')}) | <= 50 | "
        f"{_verdict(fast.get('longest_task_ms'), TARGETS['longest_task_ms'], False)} |",
        f"| Tap-to-paint for Skip during play, p95 ms (median) | "
        f"{tap} ({_get(r, 'tap', 'tap_to_paint_ms', 'median')}) / "
        f"{_get(r, 'tap_main', 'tap_to_paint_ms', 'p95')} / "
        f"{_get(r, 'tap_before', 'tap_to_paint_ms', 'p95')} | <= 50 | "
        f"{_verdict(tap, TARGETS['tap_p95_ms'], False)} |",
        f"| Inference with 2 wasm threads over 1 thread (bare worker, median ms ratio) | "
        f"{threads_ratio} | <= 0.8 (aim) | "
        f"{_verdict(threads_ratio, TARGETS['threads_ratio'], False)} |",
        "| CPU throttled 4x (main thread only: Chrome cannot throttle workers): loop frames/s, "
        "outcome | "
        + " / ".join(f"{t.get('loop_fps', '-')} {t.get('outcome', '-')}" for t in throttled)
        + " | - | - |",
        f"| Python's own work per frame in the game (30 fps camera), p95 ms (median) | "
        f"{in_game_p95} ({_get(fast, 'python_own_ms', 'median')}) / "
        f"{_get(main, 'python_own_ms', 'p95')} / {_get(before, 'python_own_ms', 'p95')} | <= 1 | "
        f"{_verdict(in_game_p95, TARGETS['python_p95_ms'], False)} |",
        f"| Python core per frame in Pyodide (no page), p95 ms | {pyodide_p95} | <= 1 | "
        f"{_verdict(pyodide_p95, TARGETS['python_p95_ms'], False)} |",
        f"| The same, one frame per 30 fps camera interval (no page), p95 ms (median) | "
        f"{paced_p95} ({_get(r, 'python_cost', 'pyodide_paced', 'total', 'median')}) | "
        f"<= 1 | {_verdict(paced_p95, TARGETS['python_p95_ms'], False)} |",
        f"| Whole loop, frames/s, 30 frames/s fake camera | {fast.get('loop_fps')} (camera "
        f"delivered {fast.get('camera_fps')}) | >= 30 | "
        f"{_verdict(fast.get('loop_fps'), TARGETS['loop_fps'], True)} |",
        f"| Cold start to ready, s | {cold} | <= 5 | {_verdict(cold, TARGETS['cold_s'], False)} |",
        f"| Warm start to ready, s | {warm} | <= 2 | {_verdict(warm, TARGETS['warm_s'], False)} |",
        f"| Cold start on a 4x slower CPU, s | {throttled_start} | <= 12 | "
        f"{_verdict(throttled_start, TARGETS['throttled_cold_s'], False)} |",
        f"| Warm start / bare page (Pyodide + numpy only), warm, same run | "
        f"{_get(r, 'startup', 'ratios', 'warm_game_over_bare')} | - | - |",
        f"| First visit, MB uncompressed (on the wire) | {visit_mb} "
        f"({_get(r, 'bytes', 'first_visit', 'on_the_wire_mb')}) | <= 25 | "
        f"{_verdict(visit_mb, TARGETS['first_visit_mb'], False)} |",
        f"| First visit on the wire, MB | {wire_mb} | <= 11 | "
        f"{_verdict(wire_mb, TARGETS['first_visit_wire_mb'], False)} |",
        f"| Offline copy (service worker, after the first start) on the wire, MB | "
        f"{_get(r, 'bytes', 'offline_copy', 'on_the_wire_mb')} | - | - |",
        f"| Endurance over {_get(r, 'endurance', 'games')} games: heap MB, tensors (in the "
        f"worker), frames/s (first -> last) | {_get(r, 'endurance', 'heap_mb')}, "
        f"{_get(r, 'endurance', 'tensors')}, {_get(r, 'endurance', 'fps')} | flat | "
        f"heap {_get(r, 'endurance', 'heap_growth_mb')} MB |",
    ]
    return rows


def _inference_table(r: dict[str, Any]) -> list[str]:
    rows = [
        "| Variant | Median ms | p95 ms | Inferences/s | Load ms | Notes |",
        "|---|---|---|---|---|---|",
    ]
    for v in _get(r, "inference", "variants") or []:
        if not v.get("available"):
            rows.append(f"| {v['variant']} | - | - | - | - | unavailable: {v.get('error')} |")
            continue
        notes = []
        if v["backend"] == "wasm":
            if "simd" in v:
                notes.append(f"simd {v.get('simd')}")
            notes.append(f"{v.get('threads_count')} thread(s)")
        if v.get("renderer"):
            notes.append(str(v["renderer"])[:60])
        notes.append(f"tensors {v.get('tensors_before')} -> {v.get('tensors_after')}")
        ms = v["inference_ms"]
        rows.append(
            f"| {v['variant']} | {ms['median']} | {ms['p95']} | {v['inferences_per_s']} | "
            f"{v['load_ms']} | {'; '.join(notes)} |"
        )
    return rows


def _loops_table(r: dict[str, Any]) -> list[str]:
    ratios = loop_ratios(r)
    rows = [
        "| Loop | Frames/s | Camera fps | / bare rate | / min(bare, camera) | Inference ms "
        "| Busy share | Long tasks (longest ms) | Frame to screen ms, median / p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in LOOPS:
        loop = r.get(key)
        if not loop or "loop_fps" not in loop:
            continue
        rows.append(
            f"| {label} | {loop['loop_fps']} | {loop.get('camera_fps')} | "
            f"{_get(ratios, key, 'vs_bare')} | {_get(ratios, key, 'vs_bare_or_camera')} | "
            f"{_get(loop, 'inference_ms', 'median')} | {loop.get('busy_share')} | "
            f"{loop.get('long_tasks')} ({loop.get('longest_task_ms')}) | "
            f"{_get(loop, 'frame_to_screen_ms', 'median')} / "
            f"{_get(loop, 'frame_to_screen_ms', 'p95')} |"
        )
    for key, label in (
        ("throttled", "worker, CPU 4x"),
        ("throttled_main", "main thread, CPU 4x"),
        ("throttled_before", "before, CPU 4x"),
    ):
        loop = r.get(key)
        if not loop or "loop_fps" not in loop:
            continue
        rows.append(
            f"| {label} ({loop.get('outcome')}) | {loop['loop_fps']} | {loop.get('camera_fps')} | "
            f"- | - | {_get(loop, 'inference_ms', 'median')} | {loop.get('busy_share')} | "
            f"{loop.get('long_tasks')} ({loop.get('longest_task_ms')}) | "
            f"{_get(loop, 'frame_to_screen_ms', 'median')} / "
            f"{_get(loop, 'frame_to_screen_ms', 'p95')} |"
        )
    rows += [
        "",
        "| Tap-to-paint, Skip | Presses | Median ms | p95 ms | Max ms |",
        "|---|---|---|---|---|",
    ]
    for key, label in (("tap", "worker"), ("tap_main", "main thread"), ("tap_before", "before")):
        tap = r.get(key)
        if not tap or "tap_to_paint_ms" not in tap:
            continue
        ms = tap["tap_to_paint_ms"]
        rows.append(
            f"| {label} | {tap['presses']} | {ms.get('median')} | {ms.get('p95')} "
            f"| {ms.get('max')} |"
        )
    return rows


def _python_table(r: dict[str, Any]) -> list[str]:
    rows = ["| Where | Part | Median ms | p95 ms |", "|---|---|---|---|"]
    for name, label in LOOPS:
        loop = r.get(name)
        if not loop or "loop_fps" not in loop:
            continue
        where = f"game, {label}"
        for part in (
            "python_ms",
            "python_own_ms",
            "wait_ms",
            "overlay_ms",
            "inference_ms",
            "frame_to_screen_ms",
        ):
            rows.append(
                f"| {where} | {part[:-3]} | {_get(loop, part, 'median')} "
                f"| {_get(loop, part, 'p95')} |"
            )
    for where in ("pyodide", "pyodide_paced", "cpython"):
        for part in ("crossing", "scoring", "view", "total"):
            summary = _get(r, "python_cost", where, part) or {}
            rows.append(f"| {where} | {part} | {summary.get('median')} | {summary.get('p95')} |")
    return rows


def _startup_table(r: dict[str, Any]) -> list[str]:
    names = [
        ("python_ms", "Python ready (Pyodide + numpy + game files)"),
        ("model_ms", "Model ready (TF.js + MoveNet, backend chosen)"),
        ("levels_ms", "Level pack loaded"),
        ("ready_ms", "Ready to play (start screen)"),
        ("camera_ms", "Camera: Start click -> first analysed frame"),
        ("pyodide_wasm_arrived_ms", "pyodide.asm.wasm downloaded"),
        ("stdlib_arrived_ms", "python_stdlib.zip downloaded"),
        ("numpy_wheel_arrived_ms", "numpy wheel downloaded"),
        ("tfjs_arrived_ms", "tf.min.js downloaded"),
        ("model_weights_arrived_ms", "MoveNet weights downloaded"),
    ]
    rows = [
        "| Milestone (ms from navigation) | Cold | Warm | Cold, CPU x4 |",
        "|---|---|---|---|",
    ]
    for key, label in names:
        cells = [_get(r, "startup", kind, key) for kind in ("cold", "warm", "throttled_cold")]
        rows.append(f"| {label} | " + " | ".join(str(c) for c in cells) + " |")
    kinds = ("cold", "warm", "throttled_cold")
    bare = [_get(r, "startup", "bare", kind, "ready_ms") for kind in kinds]
    rows.append("| Bare page ready (Pyodide + numpy only) | " + " | ".join(map(str, bare)) + " |")
    rows.append(
        f"| Python started from (warm) | | {_get(r, 'startup', 'warm', 'python_start')} | |"
    )
    rows.append(
        f"| Pyodide alone / numpy alone (bare page, cold cache) | "
        f"{_get(r, 'python_cost', 'pyodide', 'load_pyodide_ms')} / "
        f"{_get(r, 'python_cost', 'pyodide', 'load_numpy_ms')} | |"
    )
    return rows


def _bytes_table(r: dict[str, Any]) -> list[str]:
    b = r.get("bytes", {})
    visit = b.get("first_visit", {})
    rows = [
        f"First visit: {visit.get('requests')} requests, {visit.get('uncompressed_mb')} MB "
        f"uncompressed, {visit.get('on_the_wire_mb')} MB on the wire (gzip saves "
        f"{visit.get('compression_saves_mb')} MB). All of web/: {b.get('web_files')} files, "
        f"{b.get('web_mb')} MB on disk, {b.get('web_served_mb')} MB as served, "
        f"{b.get('web_gzip9_mb')} MB with gzip -9 ahead of time.",
        "",
        "| File (largest 12) | Bytes | Served | Encoding | gzip -9 |",
        "|---|---|---|---|---|",
    ]
    for f in (b.get("files") or [])[:12]:
        rows.append(
            f"| {f['path']} | {f['bytes']:,} | {f['served']:,} | {f['encoding']} | {f['gzip9']:,} |"
        )
    return rows


def _endurance_table(r: dict[str, Any]) -> list[str]:
    rows = [
        "| Game | Outcome | Loop fps | Inference ms | Python ms | Heap MB start/end "
        "| Tensors start/end |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in _get(r, "endurance", "rows") or []:
        rows.append(
            f"| {g['game']} | {g['outcome']} | {g['loop_fps']} | {g['inference_ms_median']} | "
            f"{g['python_ms_median']} | {g['heap_mb_start']} / {g['heap_mb_end']} | "
            f"{g['tensors_start']} / {g['tensors_end']} |"
        )
    return rows


def _souvenir_table(r: dict[str, Any]) -> list[str]:
    s = r.get("souvenir") or {}
    if not s or "error" in s:
        return ["(not measured)"]
    return [
        "| Figure | Value | Target |",
        "|---|---|---|",
        f"| Loop frames/s, photos on / off (same page, ABBA order) | "
        f"{s.get('loop_fps_photos_on')} / {s.get('loop_fps_photos_off')} | |",
        f"| Ratio on / off | {s.get('ratio_on_off')} | >= {s.get('target_ratio')}: "
        f"{_verdict(s.get('ratio_on_off'), float(s.get('target_ratio', 0.97)), True)} |",
        f"| Keeping a frame (keeper.capture), main thread, median ms | "
        f"{s.get('capture_ms_median')} | |",
        f"| Composing the picture, median ms | {s.get('picture_ms_median')} | |",
        f"| Recording the clip (real time), median ms | {s.get('clip_ms_median')} | |",
    ]


def _server_table(r: dict[str, Any]) -> list[str]:
    rows = [
        "| Server | Keep-alive clients | Slow clients held | Requests | Errors | Requests/s "
        "| MB/s | p50 ms | p95 ms | Server threads (most) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in ("baseline", "server.py"):
        for level in _get(r, "server", label, "levels") or []:
            rows.append(
                f"| {label} | {level['clients']} | {level.get('slow_clients', 0)} | "
                f"{level['requests']} | {level['errors']} | {level['requests_per_s']} | "
                f"{level['mb_per_s']} | {_get(level, 'latency_ms', 'median')} | "
                f"{_get(level, 'latency_ms', 'p95')} | {level.get('server_threads_max')} |"
            )
    ratios = _get(r, "server", "ratio_requests_per_s")
    if ratios:
        rows += ["", f"server.py / baseline, requests/s per row: {ratios}"]
    return rows


NOTES = """### Reading the figures, and what would close the gaps

- Compare figures within one run only: this is a shared 2-core virtual
  machine, other work on it slows everything (the load average is above),
  and its speed varies from day to day (MoveNet took 26 ms on 2026-11-24 and
  50 ms on 2026-11-27).  The worker / main thread / before cells of a row come
  from the same run, one after the other.
- MoveNet runs in a module worker (web/js/detector-worker.js): the main
  thread keeps Python, the DOM and the overlay, so its busy share and long
  tasks fall, and a tap reaches the screen without waiting for an inference.
  While Python handles frame n the worker analyses frame n+1 (one frame in
  the worker, at most one result waiting): the loop follows the bare
  inference rate, unless the camera is slower.  On 2 cores the worker and
  the main thread share the machine with everything else, so the in-game
  inference is slower than the bare one when the main thread is busy.
- The fake camera plays a file at its header's rate: the tests' 15 frames/s
  caps the loop, so the loop is measured with a 30 frames/s copy of the same
  video too.  The camera figure is what the page presented
  (requestVideoFrameCallback).
- Threads: TF.js runs wasm threads only where the page is cross-origin
  isolated (server.py's COOP + COEP) and caps its pool at half the logical
  cores, so this 2-core machine runs one thread; the 2-thread figures pretend
  4 cores to the worker, on the same 2 cores, where the threads compete with
  the main thread and each other.  The game asks for cores - 1 threads (at
  most 4, TF.js's cap applies), i.e. threads on 4-core and larger devices.
- CPU throttling 4x slows only the page's main thread (Chrome refuses it for
  workers), so the worker figure shows Python, the DOM and the overlay on a
  phone-class CPU with MoveNet at this machine's speed, while the main-thread
  and before figures slow MoveNet too: the worker figure is optimistic for a
  phone, the other two are the fully throttled game.
- Python's own work per frame (the time it measures from taking a frame to
  publishing the view) includes the core's step (matching only the mirror
  modes the level accepts, the mirrored one from the visitor's own vectors),
  the view, the presenter and the DOM writes; its p95 here mostly reflects
  other processes taking the CPU in the middle of a frame (the same frames
  in Pyodide without a page, python_cost, are steadier).
- Start-up: Python is ready last (Pyodide's own start-up and numpy's
  import); the model loads meanwhile in the worker.  Levers: a Pyodide memory
  snapshot, loading numpy lazily, or showing the start screen before Python
  is ready.
- Server: server.py against the standard library's ThreadingHTTPServer
  (a thread per connection, no compression) on the same files, in the same
  run, with browser-like clients (brotli accepted: server.py sends the
  pre-compressed copies, so fewer bytes per request); then both again while
  100 slow clients (a header line every 0.4 s) are held open.
- First-visit bytes are the page's own requests and the detector worker's
  (Resource Timing of both); fetches a service worker makes are not counted.

"""


def markdown(r: dict[str, Any], notes: str = NOTES) -> str:
    m = r.get("machine", {})
    load = r.get("load", {})
    quiet = (
        "below 1.0 before the run"
        if load.get("quiet")
        else f"never below 1.0 in {load.get('waited_s')} s of waiting: run anyway, "
        "figures are pessimistic"
    )
    errors = [
        f"- {name}: {v['error']}" for name, v in r.items() if isinstance(v, dict) and "error" in v
    ]
    parts = [
        "# Benchmark results",
        "",
        f"{r.get('date')}, {r.get('mode')} run (`.venv/bin/python bench/run_all.py"
        f"{' --quick' if r.get('mode') == 'quick' else ''}`); raw figures in latest.json.",
        "",
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gb')} GB RAM, "
        f"GPU: {m.get('gpu')}; {m.get('chromium')}; headless; {m.get('os')}.",
        f"Load average (1, 5, 15 min) before: {load.get('load_before')} ({quiet}); "
        f"after: {load.get('load_after')}.",
        "",
        "## Headline",
        "",
        *headline(r),
        "",
        *(["Failed benchmarks:", *errors, ""] if errors else []),
        notes,
        "## The game loop",
        "",
        *_loops_table(r),
        "",
        "## MoveNet Lightning, bare (no game): in the detector worker and on a main thread",
        "",
        *_inference_table(r),
        "",
        "## Python per frame",
        "",
        *_python_table(r),
        "",
        "## Start-up (median of runs)",
        "",
        *_startup_table(r),
        "",
        "## Bytes",
        "",
        *_bytes_table(r),
        "",
        "## Endurance",
        "",
        *_endurance_table(r),
        "",
        "## Souvenir (bench/souvenir.py)",
        "",
        *_souvenir_table(r),
        "",
        "## Server on loopback (each server in its own process)",
        "",
        *_server_table(r),
        "",
    ]
    return "\n".join(parts)


def write_dated(
    result: dict[str, Any], out: Path, prefix: str, to_markdown: Callable[[dict[str, Any]], str]
) -> str:
    """Stamp ``result`` with the time and write it as ``<prefix>-DATE.json``
    and its ``to_markdown`` as ``<prefix>-DATE.md`` in ``out`` (a
    before/after benchmark run alone); the markdown."""
    result["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{prefix}-{datetime.date.today().isoformat()}"
    text = to_markdown(result)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    import sys

    results_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS_DIR
    data = json.loads((results_dir / "latest.json").read_text("utf-8"))
    (results_dir / "RESULTS.md").write_text(markdown(data), encoding="utf-8")
