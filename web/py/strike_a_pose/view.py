"""The game as plain data for the page: ``GameState.to_view()`` (pure).

Everything here is JSON-serialisable (str, int, float, bool, list, dict,
None), so the shell can hand it to the presenter and tests can read it from
the page.  Level texts are given in the game's language already
(``Level.text``), so nothing downstream needs its own fallback rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .levelpack import Level

if TYPE_CHECKING:
    from .gamestate import GameState

RESULTS = "results"  # Phase.RESULTS's value (gamestate.py imports this module)


def game_view(state: GameState, now_ms: float | None = None) -> dict[str, Any]:
    level = state.shown_level
    pose = state.smoothed.pose if state.smoothed is not None else None
    now = state.now_ms if now_ms is None else now_ms
    return {
        "phase": state.phase.value,
        "language": state.language,
        "level_index": state.level_index,
        "level_number": state.level_index + 1,
        "level_count": state.level_count,
        "level_order": list(state.level_order),
        "time_left_ms": float(state.time_left_ms(now_ms)),
        "total_ms": float(state.config.total_ms),
        "countdown": state.countdown,
        "fit": float(state.fit),
        "match_threshold": float(state.difficulty.match_threshold),
        "hold_progress": float(state.hold_progress),
        "framing_progress": float(state.framing_progress),
        "framing": state.framing_reason.to_view() if state.framing_reason else None,
        "limb_verdicts": {name: str(v) for name, v in state.limb_verdicts.items()},
        "hint": state.hint.to_view() if state.hint else None,
        "mirror_mode": state.mirror_mode,
        "score": int(state.score),
        "streak": int(state.streak),
        "best_streak": int(state.best_streak),
        "level_times_ms": [float(t) for t in state.level_times_ms],
        "level_fits": [float(f) for f in state.level_fits],
        "level_points": [int(p) for p in state.level_points],
        "level_results": list(state.level_results),
        "level_best_fit": float(state.level_best_fit),
        "story_ms": float(state.story_ms),
        "story_progress": state.story_progress(now) if now is not None else 0.0,
        "outcome": state.outcome,
        "difficulty": state.difficulty.name,
        "upper_body_only": state.upper_body_framing,
        "seated": state.seated,
        "level": (
            level_view(level, state.level_order[state.level_index], state)
            if level is not None
            else None
        ),
        "pose": pose.tolist() if pose is not None else None,
        # Every level of the game in play order, for the results gallery
        # (only on the results screen: it is not needed, nor sent, before).
        "played_levels": (
            [level_view(state.pack.levels[i], i, state) for i in state.level_order]
            if state.phase.value == RESULTS
            else []
        ),
    }


def level_view(level: Level, pack_index: int, state: GameState) -> dict[str, Any]:
    """One level for the page, its texts in the game's language."""
    text = level.text(state.language, state.pack.default_language)
    return {
        "pack_index": pack_index,
        "image": level.image,
        "image_size": list(level.image_size),
        "title": level.title,
        "artist": level.artist,
        "date": level.date,
        "credit": level.credit,
        "hint": text.hint,
        "about": text.about,
        "mirror_ok": level.mirror_ok,
        "upper_body_only": level.upper_body_only,
        "seated_playable": level.seated_playable,
        "keypoints": [list(k) for k in level.keypoints],
    }
