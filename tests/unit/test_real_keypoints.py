"""Calibration check on real MoveNet keypoints recorded from real video.

Every ``tests/fixtures/keypoints/*.json`` file holds::

    {"source": "...", "frames": [{"t_ms": 0.0, "label": "t_pose" | "arms_down" | ... | null,
                                  "width": W, "height": H, "keypoints": [[x, y, score] * 17]}]}

Frames with the same label must match each other at every difficulty, and
frames of clearly different labels must not.  When thresholds move, this is
the test that says whether they still separate real poses (see difficulty.py).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from strike_a_pose.difficulty import PRESETS, Difficulty
from strike_a_pose.events import PoseSeen, Start, Tick
from strike_a_pose.game import GameConfig, Phase, new_game, step
from strike_a_pose.keypoints import Pose, pose_from_flat
from strike_a_pose.similarity import match_pose, settings_for
from strike_a_pose.temporal import smooth_pose

from .pack_factory import make_pack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keypoints"
FILES = sorted(FIXTURES.glob("*.json")) if FIXTURES.is_dir() else []
if not FILES:
    pytest.skip(
        f"no recorded MoveNet keypoints in {FIXTURES} (add JSON fixtures to run this calibration)",
        allow_module_level=True,
    )

# Label pairs that no difficulty may confuse (order does not matter).
CLEARLY_DIFFERENT = {
    frozenset(pair)
    for pair in (
        ("t_pose", "arms_down"),
        ("t_pose", "arms_up"),
        ("t_pose", "arms_up_bent"),
        ("arms_down", "arms_up"),
        ("arms_down", "arms_up_bent"),
    )
}


@dataclass(frozen=True)
class Frame:
    source: str
    t_ms: float
    label: str | None
    pose: Pose

    def __str__(self) -> str:
        return f"{self.source}@{self.t_ms:g}ms:{self.label}"


def _load(path: Path) -> list[Frame]:
    data = json.loads(path.read_text(encoding="utf-8"))
    frames = []
    for i, f in enumerate(data["frames"]):
        flat = [v for point in f["keypoints"] for v in point]
        try:
            pose = pose_from_flat(flat, f["width"], f["height"])
        except ValueError as exc:
            raise AssertionError(f"{path.name} frame {i}: {exc}") from exc
        frames.append(Frame(path.stem, float(f["t_ms"]), f.get("label"), pose))
    return frames


CLIPS = {path.stem: _load(path) for path in FILES}
LABELLED = [f for frames in CLIPS.values() for f in frames if f.label]
DIFFICULTIES = list(PRESETS.values())


def _fit(visitor: Frame, figure: Frame, difficulty: Difficulty) -> float:
    return match_pose(visitor.pose, figure.pose, settings_for(difficulty)).fit


def test_fixtures_have_labelled_frames() -> None:
    assert LABELLED, f"no labelled frames in {[p.name for p in FILES]}"


@pytest.mark.parametrize("difficulty", DIFFICULTIES, ids=lambda d: d.name)
def test_same_label_matches(difficulty: Difficulty) -> None:
    failures = [
        f"{a} vs {b}: {_fit(a, b, difficulty):.2f}"
        for a, b in itertools.permutations(LABELLED, 2)
        if a.label == b.label and _fit(a, b, difficulty) < difficulty.match_threshold
    ]
    assert not failures, failures


@pytest.mark.parametrize("difficulty", DIFFICULTIES, ids=lambda d: d.name)
def test_clearly_different_labels_do_not_match(difficulty: Difficulty) -> None:
    pairs = [
        (a, b)
        for a, b in itertools.permutations(LABELLED, 2)
        if frozenset((a.label, b.label)) in CLEARLY_DIFFERENT
    ]
    failures = [
        f"{a} vs {b}: {_fit(a, b, difficulty):.2f}"
        for a, b in pairs
        if _fit(a, b, difficulty) >= difficulty.match_threshold
    ]
    assert not failures, failures


@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_smoothed_clip_always_gives_a_fit_in_range(clip: str) -> None:
    smoothed = None
    reference = LABELLED[0].pose
    settings = settings_for(PRESETS["normal"])
    for frame in CLIPS[clip]:
        smoothed = smooth_pose(smoothed, frame.pose, frame.t_ms, settings.confidence_floor)
        result = match_pose(smoothed.pose, reference, settings)
        assert 0.0 <= result.fit <= 1.0


@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_real_clip_frames_the_visitor_and_starts_the_game(clip: str) -> None:
    # Played in a loop, the recorded person must get through framing.
    state = step(new_game(make_pack(), GameConfig(), "normal"), Start(), 0.0)
    frames = CLIPS[clip]
    period = frames[-1].t_ms + 66.7
    for loop in range(4):
        for frame in frames:
            now = 1.0 + loop * period + frame.t_ms
            state = step(state, PoseSeen(frame.pose), now)
    state = step(state, Tick(), now + 3000.0)
    assert state.phase in (Phase.COUNTDOWN, Phase.PLAYING), state.framing_reason
