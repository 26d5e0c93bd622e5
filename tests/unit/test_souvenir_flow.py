"""When the shell tells the page to keep, seal, compose and erase the souvenir,
driven by real games of the core with a fake page."""

from __future__ import annotations

import json
from typing import Any

from shell.i18n import Words
from shell.souvenir import SouvenirFlow
from strike_a_pose import GameConfig, GameState, Next, PlayAgain, Reset, Skip, Start, new_game

from .synthetic_poses import ARMS_DOWN
from .test_game import PACK, Player, figure

CAMERA = (480, 500)


class FakePage:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def souvenirBegin(self, photos: bool) -> None:
        self.calls.append(("begin", photos))

    def souvenirKeep(self, slot: int, t_ms: float) -> None:
        self.calls.append(("keep", slot, t_ms))

    def souvenirSeal(self, slot: int, t_ms: float) -> None:
        self.calls.append(("seal", slot, t_ms))

    def souvenirCompose(self, picture_json: str, clip_json: str, kiosk: bool) -> None:
        self.calls.append(("compose", json.loads(picture_json), json.loads(clip_json), kiosk))

    def souvenirErase(self) -> None:
        self.calls.append(("erase",))

    def kinds(self) -> list[str]:
        return [call[0] for call in self.calls]


class WatchedPlayer(Player):
    """A Player whose every step goes through the souvenir flow, as in app.py."""

    flow: SouvenirFlow

    def send(self, event: Any, advance_ms: float = 33.0) -> GameState:
        before = self.state
        after = super().send(event, advance_ms)
        self.flow.update(before, after)
        return after


def watched(kiosk: bool = False, photos: bool = True) -> tuple[WatchedPlayer, FakePage, list[bool]]:
    page = FakePage()
    choice = [photos]
    p = WatchedPlayer(new_game(PACK, GameConfig(), "normal"))
    p.flow = SouvenirFlow(
        page=page,
        photos_wanted=lambda: choice[0],
        forget_choice=lambda: choice.__setitem__(0, False),
        picture_url=lambda name: f"levels/test/{name}",
        words=Words(),
        kiosk=kiosk,
        museum="The Museum",
        camera_size=CAMERA,
    )
    return p, page, choice


def clear_level(p: Player) -> None:
    while p.state.phase.value == "playing":
        p.pose(figure(p.state))


def test_a_won_level_is_kept_at_its_best_moment_and_sealed_at_the_match() -> None:
    p, page, _ = watched()
    p.to_playing()
    assert page.calls[:2] == [("erase",), ("begin", True)]
    clear_level(p)
    keeps = [call for call in page.calls if call[0] == "keep"]
    assert keeps and all(slot == 0 for _, slot, _ in keeps)
    assert keeps[-1][2] == p.state.level_best_ms  # the last kept moment is the best one
    assert [t for _, _, t in keeps] == sorted(t for _, _, t in keeps)
    assert page.calls[-1] == ("seal", 0, p.state.phase_started_ms)
    assert page.kinds().count("seal") == 1


def test_the_results_compose_the_cleared_levels_only() -> None:
    p, page, _ = watched()
    p.to_playing()
    clear_level(p)
    p.send(Next(), 0.0)
    p.send(Skip())
    clear_level(p)
    p.send(Next(), 0.0)
    for _ in range(2):
        p.send(Skip())
    assert p.state.phase.value == "results"
    kind, picture, clip, kiosk = page.calls[-1]
    assert kind == "compose" and kiosk is False
    assert [op["slot"] for op in picture["ops"] if op["op"] == "photo"] == [0, 2]
    assert [op["url"] for op in picture["ops"] if op["op"] == "art"] == [
        f"levels/test/{PACK.levels[i].image}" for i in (0, 2)
    ]
    texts = [op["text"] for op in picture["ops"] if op["op"] == "text"]
    assert texts[:3] == ["Strike a Pose", "The Museum", f"Score: {p.state.score}"]
    assert len(clip["scenes"]) == 2
    assert [call[1] for call in page.calls if call[0] == "seal"] == [0, 2]


def test_without_photos_the_souvenir_has_no_photo_and_nothing_cleared_means_none() -> None:
    p, page, _ = watched(photos=False)
    p.to_playing()
    assert ("begin", False) in page.calls
    clear_level(p)
    p.send(Next(), 0.0)
    for _ in range(4):
        p.send(Skip())
    picture = page.calls[-1][1]
    assert [op["op"] for op in picture["ops"]].count("photo") == 0
    assert [op["slot"] for op in picture["ops"] if op["op"] == "visitor"] == [0]

    q, quiet, _ = watched()
    q.to_playing()
    for _ in range(5):
        q.send(Skip())
    assert quiet.calls[-1] == ("compose", None, None, False)


def test_play_again_erases_the_old_souvenir_and_rereads_the_choice() -> None:
    p, page, choice = watched()
    p.to_playing()
    for _ in range(5):
        p.send(Skip())
    choice[0] = False
    p.send(PlayAgain())
    assert page.calls[-2:] == [("erase",), ("begin", False)]


def test_a_kiosk_shows_the_picture_only_and_forgets_everything_at_the_end() -> None:
    p, page, choice = watched(kiosk=True)
    p.to_playing()
    clear_level(p)
    p.send(Next(), 0.0)
    for _ in range(4):
        p.send(Skip())
    kind, picture, clip, kiosk = page.calls[-1]
    assert kind == "compose" and picture is not None and clip is None and kiosk is True
    p.send(Reset())
    assert page.calls[-1] == ("erase",)
    assert choice == [False]  # the next visitor chooses for themselves


def test_a_reset_mid_game_erases_but_a_visitor_keeps_the_choice() -> None:
    p, page, choice = watched()
    p.send(Start(), 0.0)
    p.frames_until(ARMS_DOWN, p.state.phase.COUNTDOWN)
    p.send(Reset())
    assert page.calls[-1] == ("erase",)
    assert choice == [True]
