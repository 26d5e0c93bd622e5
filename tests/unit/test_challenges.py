"""The list of installed packs (levels/index.json) and what the start screen offers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shell.challenges import Challenge, index_entry, index_json, offered, parse_index
from strike_a_pose import load_pack
from tools import pack_index

from .pack_factory import pack_data

ROOT = Path(__file__).resolve().parents[2]


def challenge(pack_id: str, seated_levels: int = 5) -> Challenge:
    return Challenge(
        pack_id,
        f"levels/{pack_id}/pack.json",
        pack_id.title(),
        ("en",),
        f"levels/{pack_id}/a.png",
        5,
        seated_levels,
        seated_levels == 5,
    )


def write_pack(levels: Path, folder: str, pack_id: str, skip: tuple[int, ...] = ()) -> None:
    data = pack_data(id=pack_id)
    for i in skip:
        data["levels"][i]["seated"] = "skip"
    (levels / folder).mkdir(parents=True)
    (levels / folder / "pack.json").write_text(json.dumps(data), encoding="utf-8")


def test_an_entry_says_what_the_chooser_shows() -> None:
    data = pack_data(id="ours")
    data["levels"][2]["seated"] = "skip"
    pack = load_pack(data).pack
    assert pack is not None
    entry = index_entry(pack, "levels/ours/pack.json")
    assert entry == Challenge(
        id="ours",
        url="levels/ours/pack.json",
        title="Test pack",
        languages=("en", "fr"),
        cover="levels/ours/images/level-1.jpg",
        levels=5,
        seated_levels=4,
        seated=False,
    )
    assert parse_index(index_json([entry])) == (entry,)


@pytest.mark.parametrize(
    "text",
    [
        '{"format_version": 2, "packs": []}',
        '{"format_version": 1}',
        "[]",
        '{"format_version": 1, "packs": [{}]}',
    ],
)
def test_a_broken_index_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError):
        parse_index(text)


def test_the_chooser_offers_two_or_more_in_the_museums_order() -> None:
    listed = (challenge("default"), challenge("ours"), challenge("kids"))
    assert offered(listed, None, "levels/default/pack.json") == listed
    assert offered(listed, ("kids", "default"), "levels/default/pack.json") == (
        listed[2],
        listed[0],
    )
    # The pack being played is always there, first; unknown ids are ignored.
    assert offered(listed, ("kids", "nope"), "levels/ours/pack.json") == (listed[1], listed[2])
    assert offered(listed, ("kids",), "levels/kids/pack.json") == ()  # one: no choice
    assert offered(listed[:1], None, "levels/default/pack.json") == ()


def test_the_index_lists_every_installed_pack_that_loads_default_first(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    write_pack(levels, "zoo", "zoo")
    write_pack(levels, "default", "default")
    write_pack(levels, "sitting", "sitting", skip=(0, 1, 2, 3, 4))
    (levels / "broken").mkdir()
    (levels / "broken" / "pack.json").write_text("{", encoding="utf-8")
    (levels / ".ours-staging").mkdir()
    (levels / ".ours-staging" / "pack.json").write_text("{}", encoding="utf-8")
    target, entries, warnings = pack_index.build(levels)
    assert [entry.id for entry in entries] == ["default", "sitting", "zoo"]
    assert entries[1].seated_levels == 0 and not entries[1].seated
    assert len(warnings) == 1 and "broken/pack.json: left out" in warnings[0]
    assert parse_index(target.read_text(encoding="utf-8")) == tuple(entries)


def test_the_real_default_pack_is_seated_friendly() -> None:
    entries, warnings = pack_index.collect(ROOT / "web" / "levels")
    default = next(entry for entry in entries if entry.id == "default")
    assert default.cover == "levels/default/vitruvian_man.svg" and default.seated
    assert "it" in default.languages
    assert not [w for w in warnings if "/default/" in w]
