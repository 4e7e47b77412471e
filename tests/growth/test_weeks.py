"""ISO weeks and streaks: pure, so tested with examples and properties."""

from __future__ import annotations

import datetime
import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.growth import weeks
from tandem.growth.weeks import IsoWeek, streak

days = st.dates(min_value=datetime.date(2000, 1, 3), max_value=datetime.date(2090, 12, 31))


def test_the_doctests_hold() -> None:
    assert doctest.testmod(weeks).failed == 0


def test_it_reads_and_writes_iso_weeks() -> None:
    assert str(IsoWeek.parse("2026-W05")) == "2026-W05"
    assert IsoWeek.of(datetime.date(2026, 11, 23)) == IsoWeek(2026, 48)
    # 1 January 2027 is a Friday, so it belongs to the last week of 2026, which has 53.
    assert IsoWeek.of(datetime.date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).shift(1) == IsoWeek(2027, 1)


@pytest.mark.parametrize("text", ["2026-48", "2025-W53", "2026-W00", "W48"])
def test_it_refuses_what_is_not_a_week(text: str) -> None:
    with pytest.raises(ValueError):
        IsoWeek.parse(text)


@given(days, st.integers(min_value=-200, max_value=200))
def test_shifting_moves_by_whole_weeks(day: datetime.date, n: int) -> None:
    week = IsoWeek.of(day)
    assert week.shift(n).ordinal() - week.ordinal() == n
    assert week.shift(n).shift(-n) == week
    assert IsoWeek.parse(str(week)) == week


@given(days, st.integers(min_value=1, max_value=60))
def test_a_run_up_to_this_week_is_the_current_streak(day: datetime.date, n: int) -> None:
    today = IsoWeek.of(day)
    kept = [today.shift(-k) for k in range(n)]
    assert streak(kept, today=today).current == n
    # The week in progress does not break it either.
    assert streak(kept[1:], today=today).current == n - 1


@given(days, st.sets(st.integers(min_value=0, max_value=80), max_size=40))
def test_streak_invariants(day: datetime.date, back: set[int]) -> None:
    today = IsoWeek.of(day)
    kept = [today.shift(-k) for k in back]
    result = streak(kept, today=today)
    assert 0 <= result.current <= result.longest <= len(back)
    # Order and duplicates change nothing; future weeks are ignored.
    assert streak(list(reversed(kept)) + kept + [today.shift(3)], today=today) == result
    if back and min(back) > 1:
        assert result.current == 0


def test_a_missed_week_breaks_the_streak() -> None:
    today = IsoWeek(2026, 2)
    kept = [IsoWeek(2026, 2), IsoWeek(2025, 52), IsoWeek(2025, 51)]  # 2026-W01 was missed
    assert streak(kept, today=today) == weeks.Streak(current=1, longest=2)
