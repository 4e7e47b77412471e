"""ISO weeks and habit streaks: pure functions, no database.

A week is written ``"2026-W48"`` (ISO 8601: weeks start on Monday, and week 1 is the one with
the year's first Thursday, so a year has 52 or 53 weeks).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        # fromisocalendar refuses week 53 in a 52-week year and anything out of range.
        datetime.date.fromisocalendar(self.year, self.week, 1)

    @classmethod
    def of(cls, day: datetime.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not an ISO week such as 2026-W48")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 7)

    def day(self, weekday: int) -> datetime.date:
        """The date of ``weekday`` (1 = Monday ... 7 = Sunday) in this week."""
        return datetime.date.fromisocalendar(self.year, self.week, weekday)

    def ordinal(self) -> int:
        """Weeks since an arbitrary origin: consecutive weeks differ by exactly one."""
        return self.monday.toordinal() // 7

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + datetime.timedelta(weeks=weeks))


@dataclass(frozen=True)
class Streak:
    """``current``: kept weeks in a row up to now; ``longest``: the longest run ever."""

    current: int
    longest: int


def streak(kept: Iterable[IsoWeek], *, today: IsoWeek) -> Streak:
    """The run of consecutive kept weeks that reaches ``today``'s week, and the longest run.

    The week in progress never breaks a streak: if it is not kept (yet), the current streak is
    the run that ends last week. Weeks after ``today`` are ignored.

    >>> w = IsoWeek.parse
    >>> streak([w("2026-W01"), w("2025-W52"), w("2025-W50")], today=w("2026-W02"))
    Streak(current=2, longest=2)
    >>> streak([w("2026-W02")], today=w("2026-W04"))
    Streak(current=0, longest=1)
    """
    now = today.ordinal()
    weeks = sorted({k.ordinal() for k in kept if k.ordinal() <= now})
    longest = run = 0
    previous: int | None = None
    for ordinal in weeks:
        run = run + 1 if previous is not None and ordinal == previous + 1 else 1
        longest = max(longest, run)
        previous = ordinal
    if previous is None or previous < now - 1:
        return Streak(current=0, longest=longest)
    return Streak(current=run, longest=longest)
