"""Working days in England and Wales.

A working day is Monday to Friday and not a bank holiday of England and Wales (from the
`holidays` package, computed offline, including one-off days such as the 2022 state funeral)
nor a local closure day from the practice profile. Every statutory and local timescale an IRO
is held to is counted in these days, so the whole program goes through this one module.

Counting is done with whole-week arithmetic plus a sorted list of the weekdays that are not
worked, so a due-date dashboard over a whole service (~1,300 children) stays instant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2040

# Day 0 of the weekday arithmetic: date.fromordinal(1) is Monday 1 January 0001.
_MONDAY_ORDINAL = 1


def check_in_range(d: date, what: str = "date") -> None:
    """Refuse dates outside the years the program vouches for, with a plain message."""
    if not (FIRST_YEAR <= d.year <= LAST_YEAR):
        raise ValueError(
            f"The {what} {d.isoformat()} is outside {FIRST_YEAR}-{LAST_YEAR}, "
            "the years IRO Desktop can calculate timescales for."
        )


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # Years either side are allowed so that counting across a range edge still works.
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(days.keys())


@lru_cache(maxsize=1)
def _weekday_bank_holidays() -> tuple[date, ...]:
    # Only bank holidays on Monday-Friday change a count; weekends are already excluded.
    days: set[date] = set()
    for year in range(FIRST_YEAR - 1, LAST_YEAR + 2):
        days.update(d for d in _bank_holidays(year) if d.weekday() < 5)
    return tuple(sorted(days))


def bank_holiday_name(d: date) -> str | None:
    days = holidays.country_holidays("GB", subdiv="ENG", years=d.year)
    name = days.get(d)
    return str(name) if name else None


def _weekdays_up_to(d: date) -> int:
    """Monday-to-Friday days from 1 January 0001 up to and including d."""
    weeks, rest = divmod(d.toordinal() - _MONDAY_ORDINAL + 1, 7)
    return weeks * 5 + min(rest, 5)


def _add_weekdays(d: date, n: int) -> date:
    """The n-th Monday-to-Friday day after d (n > 0), ignoring holidays."""
    if d.weekday() >= 5:
        # The weekdays after a Saturday or Sunday are the same as after the Friday before.
        d -= timedelta(days=d.weekday() - 4)
    weeks, rest = divmod(n, 5)
    days = weeks * 7 + rest
    if d.weekday() + rest >= 5:
        days += 2
    return d + timedelta(days=days)


class WorkingCalendar:
    """England and Wales working days plus a practice's own closure days."""

    def __init__(self, closure_days: Iterable[date] = ()) -> None:
        self.closure_days: frozenset[date] = frozenset(closure_days)
        for d in self.closure_days:
            check_in_range(d, "closure day")
        self._blocked: tuple[date, ...] | None = None

    def __repr__(self) -> str:
        return f"WorkingCalendar(closure_days={len(self.closure_days)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self.closure_days == other.closure_days

    def __hash__(self) -> int:
        return hash(self.closure_days)

    def _blocked_weekdays(self) -> tuple[date, ...]:
        """Sorted Monday-to-Friday days that are not worked (bank holidays, closures)."""
        if self._blocked is None:
            if self.closure_days:
                extra = {d for d in self.closure_days if d.weekday() < 5}
                self._blocked = tuple(sorted(extra.union(_weekday_bank_holidays())))
            else:
                self._blocked = _weekday_bank_holidays()
        return self._blocked

    def _blocked_between(self, a: date, b: date) -> int:
        """Blocked weekdays after a, up to and including b (a <= b)."""
        blocked = self._blocked_weekdays()
        return bisect_right(blocked, b) - bisect_right(blocked, a)

    def is_working_day(self, d: date) -> bool:
        if d.weekday() >= 5:
            return False
        if d in self.closure_days:
            return False
        return d not in _bank_holidays(d.year)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (d itself not counted). n == 0 gives d."""
        if n < 0:
            raise ValueError(f"Cannot add a negative number of working days ({n}).")
        check_in_range(d)
        current = d
        remaining = n
        # Jump over the weekdays still needed, then make up for any that were holidays;
        # when a jump loses nothing its last day is a weekday that is worked.
        while remaining:
            target = _add_weekdays(current, remaining)
            remaining = self._blocked_between(current, target)
            current = target
            check_in_range(current, "result")
        return current

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after a, up to and including b; negative when b is before a."""
        check_in_range(a)
        check_in_range(b)
        if b < a:
            return -self.working_days_between(b, a)
        weekdays = _weekdays_up_to(b) - _weekdays_up_to(a)
        return weekdays - self._blocked_between(a, b)

    def next_working_day_on_or_after(self, d: date) -> date:
        current = d
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def last_working_day_on_or_before(self, d: date) -> date:
        """The latest day a meeting due by `d` can be held (a deadline may fall on a Sunday)."""
        current = d
        while not self.is_working_day(current):
            current -= timedelta(days=1)
        return current


ENGLAND_AND_WALES = WorkingCalendar()


def is_working_day(d: date) -> bool:
    return ENGLAND_AND_WALES.is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    return ENGLAND_AND_WALES.add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    return ENGLAND_AND_WALES.working_days_between(a, b)
