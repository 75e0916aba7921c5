"""Working days in England and Wales: bank holidays, one-off days, closures, ranges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iro_desktop.domain.calendar import (
    ENGLAND_AND_WALES,
    WorkingCalendar,
    add_working_days,
    bank_holiday_name,
    check_in_range,
    is_working_day,
    working_days_between,
)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 6, 30))


def _naive_add(calendar: WorkingCalendar, d: date, n: int) -> date:
    current = d
    while n:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            n -= 1
    return current


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Christmas and New Year, with substitute days when they fall at a weekend.
        (date(2025, 12, 25), False),
        (date(2025, 12, 26), False),
        (date(2025, 12, 24), True),
        (date(2021, 12, 27), False),  # Christmas Day (observed), Christmas on a Saturday
        (date(2021, 12, 28), False),  # Boxing Day (observed)
        (date(2020, 12, 28), False),  # Boxing Day on a Saturday -> Monday
        (date(2022, 1, 3), False),  # New Year's Day on a Saturday -> Monday 3 January
        (date(2023, 1, 2), False),  # New Year's Day on a Sunday -> Monday 2 January
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), True),
        # Easter: Good Friday and Easter Monday.
        (date(2024, 3, 29), False),
        (date(2024, 4, 1), False),
        (date(2025, 4, 18), False),
        (date(2025, 4, 21), False),
        (date(2025, 4, 22), True),
        # 2020: the early May bank holiday moved to Friday 8 May for VE day.
        (date(2020, 5, 8), False),
        (date(2020, 5, 4), True),
        # 2022: Platinum Jubilee (spring bank holiday moved) and the Queen's state funeral.
        (date(2022, 6, 2), False),
        (date(2022, 6, 3), False),
        (date(2022, 5, 30), True),
        (date(2022, 9, 19), False),
        # 2023: coronation of King Charles III.
        (date(2023, 5, 8), False),
        # Weekends are never working days.
        (date(2026, 11, 28), False),
        (date(2026, 11, 29), False),
        (date(2026, 11, 30), True),
    ],
)
def test_working_days_table(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_one_off_days_are_named() -> None:
    assert bank_holiday_name(date(2022, 9, 19)) == "State Funeral of Queen Elizabeth II"
    assert bank_holiday_name(date(2026, 11, 30)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 = Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1 = Monday
        (date(2026, 11, 27), 5, date(2026, 12, 4)),
        (date(2026, 11, 30), 0, date(2026, 11, 30)),
        # Across Christmas and New Year 2025: 25, 26 Dec and 1 Jan are lost.
        (date(2025, 12, 19), 5, date(2025, 12, 30)),
        (date(2025, 12, 10), 20, date(2026, 1, 12)),
        # Across Easter 2025 (Good Friday 18 April, Easter Monday 21 April).
        (date(2025, 4, 17), 1, date(2025, 4, 22)),
        (date(2025, 4, 7), 20, date(2025, 5, 8)),  # Easter plus the early May bank holiday
        # VE day 2020, Jubilee 2022, state funeral 2022, coronation 2023.
        (date(2020, 5, 7), 1, date(2020, 5, 11)),
        (date(2022, 6, 1), 1, date(2022, 6, 6)),
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
    ],
)
def test_add_working_days_table(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n


def test_working_days_between_is_negative_backwards() -> None:
    assert working_days_between(date(2026, 12, 4), date(2026, 11, 27)) == -5
    assert working_days_between(date(2026, 11, 28), date(2026, 11, 29)) == 0


def test_local_closure_days_are_honoured() -> None:
    closures = WorkingCalendar([date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)])
    assert not closures.is_working_day(date(2026, 12, 29))
    assert ENGLAND_AND_WALES.is_working_day(date(2026, 12, 29))
    # Thursday 24 December + 1: Christmas, Boxing Day observed (Mon 28), then the closures.
    assert ENGLAND_AND_WALES.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert closures.add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 4)
    assert closures.working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 1
    # A closure on a Saturday changes nothing.
    assert WorkingCalendar([date(2026, 11, 28)]).add_working_days(date(2026, 11, 27), 1) == date(
        2026, 11, 30
    )


def test_calendars_with_the_same_closures_are_equal() -> None:
    assert WorkingCalendar([date(2026, 12, 29)]) == WorkingCalendar([date(2026, 12, 29)])
    assert WorkingCalendar() == ENGLAND_AND_WALES
    assert WorkingCalendar([date(2026, 12, 29)]) != ENGLAND_AND_WALES


@pytest.mark.parametrize("outside", [date(1999, 12, 31), date(2041, 1, 1)])
def test_dates_outside_2000_2040_are_refused(outside: date) -> None:
    with pytest.raises(ValueError, match=outside.isoformat()):
        add_working_days(outside, 1)
    with pytest.raises(ValueError, match="2000-2040"):
        working_days_between(date(2026, 1, 1), outside)
    with pytest.raises(ValueError, match="outside"):
        check_in_range(outside)
    with pytest.raises(ValueError, match="closure day"):
        WorkingCalendar([outside])


def test_adding_past_2040_is_refused() -> None:
    with pytest.raises(ValueError, match="result"):
        add_working_days(date(2040, 12, 28), 10)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="-3"):
        add_working_days(date(2026, 1, 5), -3)


@given(dates, st.integers(min_value=1, max_value=300))
def test_adding_working_days_lands_on_a_working_day(d: date, n: int) -> None:
    result = add_working_days(d, n)
    assert is_working_day(result)
    assert result > d


@given(dates, st.integers(min_value=0, max_value=300))
def test_counting_undoes_adding(d: date, n: int) -> None:
    assert working_days_between(d, add_working_days(d, n)) == n


closure_sets = st.frozensets(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)), max_size=30
)


@given(
    closure_sets,
    st.dates(min_value=date(2023, 6, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=0, max_value=120),
)
def test_fast_counting_matches_day_by_day(closures: frozenset[date], d: date, n: int) -> None:
    calendar = WorkingCalendar(closures)
    expected = _naive_add(calendar, d, n)
    assert calendar.add_working_days(d, n) == expected
    assert calendar.working_days_between(d, expected) == n
    assert n == 0 or expected not in closures
