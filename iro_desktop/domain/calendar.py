"""Working days in England and Wales.

A working day is Monday to Friday and not a bank holiday of England and Wales (from the
`holidays` package, computed offline, including one-off days such as the 2022 state funeral)
nor a local closure day from the practice profile. Every statutory and local timescale an IRO
is held to is counted in these days, so the whole program goes through this one module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2040


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


def bank_holiday_name(d: date) -> str | None:
    days = holidays.country_holidays("GB", subdiv="ENG", years=d.year)
    name = days.get(d)
    return str(name) if name else None


class WorkingCalendar:
    """England and Wales working days plus a practice's own closure days."""

    def __init__(self, closure_days: Iterable[date] = ()) -> None:
        self.closure_days: frozenset[date] = frozenset(closure_days)

    def __repr__(self) -> str:
        return f"WorkingCalendar(closure_days={len(self.closure_days)})"

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
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        check_in_range(current, "result")
        return current

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after a, up to and including b; negative when b is before a."""
        check_in_range(a)
        check_in_range(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def next_working_day_on_or_after(self, d: date) -> date:
        current = d
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current


ENGLAND_AND_WALES = WorkingCalendar()


def is_working_day(d: date) -> bool:
    return ENGLAND_AND_WALES.is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    return ENGLAND_AND_WALES.add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    return ENGLAND_AND_WALES.working_days_between(a, b)
