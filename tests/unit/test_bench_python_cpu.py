"""bench/python_cpu.py's trace arithmetic, on hand-made trace events."""

from __future__ import annotations

import os
from pathlib import Path

from bench.python_cpu import MEASURE_NAME, ThreadTimes, cores_busy, frame_times, thread_times

MAIN = {"pid": 7, "tid": 1}
OTHER = {"pid": 7, "tid": 2}


def task(ts: float, dur: float, tdur: float, thread: dict[str, int] = MAIN) -> dict[str, object]:
    return {
        "ph": "X",
        "name": "ThreadControllerImpl::RunTask",
        "ts": ts,
        "dur": dur,
        "tdur": tdur,
        **thread,
    }


def measure(ts: float, end: float, ident: str) -> list[dict[str, object]]:
    return [
        {"ph": "b", "name": MEASURE_NAME, "ts": ts, "id2": {"local": ident}, **MAIN},
        {"ph": "e", "name": MEASURE_NAME, "ts": end, "id2": {"local": ident}, **MAIN},
    ]


def test_each_frame_is_matched_with_the_task_that_holds_it() -> None:
    events = [
        task(0, 4000, 2000),  # a frame whose thread was off the CPU half the time
        task(500, 100, 100),  # a short task inside it (nested): does not hold the span
        task(10_000, 1500, 1500),  # a frame with its CPU all the time
        task(10_000, 9000, 9000, OTHER),  # another thread's long task: never counted
        *measure(1000, 3000, "0x1"),
        *measure(10_200, 11_200, "0x2"),
        *measure(50_000, 50_100, "0x3"),  # in no task (cut off by the trace): left out
    ]
    frames = frame_times({"traceEvents": events})
    assert frames == [
        {"work_wall": 2.0, "task_wall": 4.0, "task_cpu": 2.0, "work_cpu_estimate": 1.0},
        {"work_wall": 1.0, "task_wall": 1.5, "task_cpu": 1.5, "work_cpu_estimate": 1.0},
    ]


def test_no_marked_frame_gives_nothing() -> None:
    assert frame_times([task(0, 10, 10)]) == []


def test_cores_busy_shares_of_running_and_waiting() -> None:
    renderer = "chromium renderer"
    before = {
        ("1", "1"): ThreadTimes(renderer, "main", 0, 10.0, 4.0),
        ("1", "2"): ThreadTimes(renderer, "DedicatedWorker", 0, 50.0, 1.0),
    }
    after = {
        ("1", "1"): ThreadTimes(renderer, "main", 0, 11.5, 6.0),
        ("1", "2"): ThreadTimes(renderer, "DedicatedWorker", 0, 59.0, 1.5),
        # started meanwhile: all its time counts
        ("2", "3"): ThreadTimes("chromium gpu-process", "VizCompositorTh", -8, 1.0, 0.2),
    }
    busy = cores_busy(before, after, seconds=10.0)
    assert busy["cores_busy"] == 1.15
    assert busy["by_process"] == {renderer: 1.05, "chromium gpu-process": 0.1}
    assert busy["top_threads"] == [
        {"thread": f"{renderer}: DedicatedWorker", "nice": 0, "running": 0.9, "waiting": 0.05},
        {"thread": f"{renderer}: main", "nice": 0, "running": 0.15, "waiting": 0.2},
        {
            "thread": "chromium gpu-process: VizCompositorTh",
            "nice": -8,
            "running": 0.1,
            "waiting": 0.02,
        },
    ]


def test_this_machines_threads_can_be_read() -> None:
    threads = thread_times()
    if not Path("/proc/self/schedstat").exists():
        assert threads == {}  # no such figures here: the benchmark says nothing of them
        return
    ours = threads[(str(os.getpid()), str(os.getpid()))]
    assert ours.name == "main" and ours.running_s > 0 and ours.waiting_s >= 0
