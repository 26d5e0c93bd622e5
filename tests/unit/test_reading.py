"""The story's reading time after a match, and who may set its bounds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strike_a_pose.levelpack import load_pack
from strike_a_pose.reading import MAX_BOUND_S, MIN_BOUND_S, ReadingRules, check_bound_s, reading_ms

from .pack_factory import pack_data

RULES = ReadingRules(min_ms=4_000.0, max_ms=15_000.0, base_ms=1_500.0, ms_per_char=70.0)


def test_reading_time_grows_with_the_text() -> None:
    # 100 characters: 1.5 s + 100 x 70 ms = 8.5 s.
    assert reading_ms("x" * 100, RULES) == pytest.approx(8_500.0)
    assert reading_ms("x" * 101, RULES) == pytest.approx(8_570.0)


def test_reading_time_is_clamped_to_its_bounds() -> None:
    assert reading_ms("Hi.", RULES) == 4_000.0
    assert reading_ms("x" * 1_200, RULES) == 15_000.0


def test_surrounding_blanks_are_not_read() -> None:
    assert reading_ms("  \n" + "x" * 100 + "\n\n", RULES) == reading_ms("x" * 100, RULES)


@given(st.text(max_size=1_500), st.floats(0.0, 60_000.0), st.floats(0.0, 60_000.0))
def test_reading_time_always_lies_within_the_bounds(text: str, a: float, b: float) -> None:
    rules = ReadingRules(min_ms=min(a, b), max_ms=max(a, b))
    assert rules.min_ms <= reading_ms(text, rules) <= rules.max_ms


@given(st.text(max_size=600), st.text(max_size=600))
def test_a_longer_text_never_reads_faster(a: str, b: str) -> None:
    short, long = sorted((a.strip(), b.strip()), key=len)
    assert reading_ms(short, RULES) <= reading_ms(long, RULES)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_ms": -1.0}, "min_ms must be a finite number >= 0"),
        ({"max_ms": float("inf")}, "max_ms must be a finite number >= 0"),
        ({"ms_per_char": True}, "ms_per_char must be a finite number >= 0"),
        ({"min_ms": 5_000.0, "max_ms": 4_000.0}, "min_ms (5000) is more than max_ms (4000)"),
    ],
)
def test_bad_rules_are_refused_with_the_field_named(fields: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        ReadingRules(**fields)


def test_new_bounds_replace_old_ones_and_the_newer_bound_wins() -> None:
    rules = ReadingRules(min_ms=4_000.0, max_ms=15_000.0)
    assert rules.with_bounds(None, None) == rules
    assert rules.with_bounds(2.0, 8.0) == ReadingRules(min_ms=2_000.0, max_ms=8_000.0)
    # A museum that only lowers the maximum below the minimum gets min == max.
    assert rules.with_bounds(None, 3.0) == ReadingRules(min_ms=3_000.0, max_ms=3_000.0)
    # ...and one that only raises the minimum above the maximum likewise.
    assert rules.with_bounds(20.0, None) == ReadingRules(min_ms=20_000.0, max_ms=20_000.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1.0), (7.5, 7.5), (60, 60.0), (0.5, None), (61, None), (True, None), ("5", None)],
)
def test_a_bound_must_be_a_number_of_seconds_in_range(
    value: object, expected: float | None
) -> None:
    assert check_bound_s(value) == expected
    assert (MIN_BOUND_S, MAX_BOUND_S) == (1.0, 60.0)


def test_a_pack_may_set_its_reading_bounds() -> None:
    result = load_pack(pack_data(reading_seconds=[2, 9.5]))
    assert result.pack is not None, result.messages()
    assert result.pack.reading_seconds == (2.0, 9.5)
    assert load_pack(pack_data()).pack is not None
    assert load_pack(pack_data()).pack.reading_seconds is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, '"reading_seconds" must be [min, max] in seconds, got number'),
        ([5], '"reading_seconds" must be [min, max] in seconds, got 1 entries'),
        ([0, 5], '"reading_seconds" min = 0 is outside [1, 60]'),
        ([5, 90], '"reading_seconds" max = 90 is outside [1, 60]'),
        ([9, 5], '"reading_seconds" min (9) is more than max (5)'),
        (["5", 9], '"reading_seconds" min must be a number, got string "5"'),
    ],
)
def test_bad_reading_bounds_in_a_pack_are_reported(value: object, message: str) -> None:
    result = load_pack(pack_data(reading_seconds=value))
    assert result.pack is None
    assert result.messages() == [f"pack: {message}"]
