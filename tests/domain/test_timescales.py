"""Statutory and local timescales, as an IRO would check them by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.timescales import (
    SeriesBasis,
    add_months,
    check_not_before_birth,
    check_order,
    completion_date,
    due_date_for_review,
    escalation_overall_deadline,
    escalation_stage_deadline,
    format_date,
    mid_point_review_date,
    minutes_due,
    next_review_due,
    pathway_review_due,
    recommendations_due,
    review_due_dates,
    statutory_visit_due,
    timeliness_date,
    visit_window,
    was_consulted_in_window,
    was_in_timescale,
)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


def test_format_date_is_plain_english() -> None:
    assert format_date(date(2026, 11, 30)) == "Monday 30 November 2026"


# --- next review due --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_start", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 30)),  # four plain weeks
        (date(2025, 12, 10), date(2026, 1, 12)),  # across Christmas and New Year
        (date(2025, 3, 31), date(2025, 4, 30)),  # across Easter 2025
    ],
)
def test_first_review_within_20_working_days(period_start: date, expected: date) -> None:
    assert next_review_due(period_start, []) == expected


def test_first_review_over_christmas_2026_skips_substitute_boxing_day() -> None:
    # Sat 28 Nov 2026 + 20 working days: Mon 30 Nov .. Thu 24 Dec is 19, then Fri 25 Dec,
    # Sat 26, Sun 27 and Mon 28 (Boxing Day observed) are not worked: Tue 29 December.
    assert next_review_due(date(2026, 11, 28), []) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (date(2025, 11, 30), date(2026, 2, 28)),  # 3 months after 30 Nov: end of February
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year 2024
        (date(2027, 11, 29), date(2028, 2, 29)),  # leap year 2028
        (date(2026, 1, 15), date(2026, 4, 15)),
        (date(2026, 12, 31), date(2027, 3, 31)),
    ],
)
def test_second_review_within_3_months_of_the_first(first: date, expected: date) -> None:
    period_start = first - timedelta(days=20)
    assert next_review_due(period_start, [first]) == expected


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (date(2024, 8, 31), date(2025, 2, 28)),  # 31 Aug + 6 months: 28 February
        (date(2023, 8, 31), date(2024, 2, 29)),  # ... or 29 February in a leap year
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 6, 15), date(2026, 12, 15)),
    ],
)
def test_later_reviews_within_6_months(latest: date, expected: date) -> None:
    held = [latest - timedelta(days=120), latest]
    assert next_review_due(latest - timedelta(days=200), held) == expected


def test_held_reviews_may_be_given_in_any_order() -> None:
    start = date(2025, 1, 6)
    held = [date(2025, 1, 30), date(2025, 4, 20), date(2025, 10, 1)]
    assert next_review_due(start, held) == next_review_due(start, reversed(held))
    assert next_review_due(start, held) == date(2026, 4, 1)


def test_an_extra_review_restarts_the_clock() -> None:
    start = date(2025, 1, 6)
    held = [date(2025, 1, 30), date(2025, 4, 20)]
    assert next_review_due(start, held) == date(2025, 10, 20)
    # A change of plan in June: an extra review, and the next is due 6 months after it.
    assert next_review_due(start, [*held, date(2025, 6, 2)]) == date(2025, 12, 2)


def test_an_extra_review_before_the_second_makes_the_next_6_monthly() -> None:
    start = date(2025, 1, 6)
    first = date(2025, 1, 30)
    assert next_review_due(start, [first]) == date(2025, 4, 30)
    # A placement disruption brings a review forward to March: it is the second review.
    assert next_review_due(start, [first, date(2025, 3, 10)]) == date(2025, 9, 10)


def test_first_review_timescale_comes_from_the_profile() -> None:
    assert next_review_due(date(2026, 3, 2), [], first_review_working_days=10) == date(2026, 3, 16)


def test_closure_days_push_the_first_review() -> None:
    closures = WorkingCalendar([date(2026, 3, 30)])
    assert next_review_due(date(2026, 3, 2), [], calendar=closures) == date(2026, 3, 31)


def test_review_before_the_period_of_care_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        next_review_due(date(2026, 3, 2), [date(2026, 2, 27)])
    message = str(error.value)
    assert "Friday 27 February 2026" in message
    assert "Monday 2 March 2026" in message


@pytest.mark.parametrize(
    ("period_start", "held"),
    [(date(1999, 12, 1), []), (date(2026, 1, 5), [date(2041, 1, 10)])],
)
def test_dates_outside_2000_2040_are_refused(period_start: date, held: list[date]) -> None:
    with pytest.raises(ValueError, match="2000-2040"):
        next_review_due(period_start, held)


def test_a_due_date_past_2040_is_refused() -> None:
    with pytest.raises(ValueError, match="2000-2040"):
        next_review_due(date(2040, 1, 2), [date(2040, 1, 20), date(2040, 9, 1)])


@given(dates, st.lists(st.integers(min_value=0, max_value=3000), max_size=8))
def test_due_date_is_always_after_the_latest_review(start: date, offsets: list[int]) -> None:
    held = [start + timedelta(days=o) for o in offsets]
    due = next_review_due(start, held)
    assert due > max(held, default=start)


@given(
    dates,
    st.lists(st.integers(min_value=0, max_value=1500), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=1, max_value=200),
)
def test_holding_a_review_earlier_never_makes_the_next_one_later(
    start: date, offsets: list[int], gap_a: int, gap_b: int
) -> None:
    held = [start + timedelta(days=o) for o in offsets]
    latest = max(held)
    earlier, later = sorted([latest + timedelta(days=gap_a), latest + timedelta(days=gap_b)])
    assume(earlier < later)
    assert next_review_due(start, [*held, earlier]) <= next_review_due(start, [*held, later])


@given(dates, st.lists(st.integers(min_value=0, max_value=2000), max_size=6))
def test_due_dates_never_go_backwards(start: date, offsets: list[int]) -> None:
    held = sorted(start + timedelta(days=o) for o in offsets)
    dues = [due for _, due in review_due_dates(start, held)]
    for review, due in zip(held[:-1], dues[1:], strict=True):
        assert due > review


# --- timeliness of each review ------------------------------------------------------------


def test_each_review_is_measured_against_its_own_due_date() -> None:
    start = date(2025, 1, 6)
    held = [date(2025, 1, 30), date(2025, 5, 6), date(2025, 10, 20)]
    assert review_due_dates(start, held) == [
        (date(2025, 1, 30), date(2025, 2, 3)),
        (date(2025, 5, 6), date(2025, 4, 30)),
        (date(2025, 10, 20), date(2025, 11, 6)),
    ]
    in_time = [was_in_timescale(due, review) for review, due in review_due_dates(start, held)]
    assert in_time == [True, False, True]


def test_a_rearranged_review_keeps_its_original_due_date() -> None:
    start = date(2025, 1, 6)
    first = date(2025, 1, 30)
    # The second review was due 30 April, stood down, rearranged twice and held 12 May.
    original_due = due_date_for_review(start, [first], 2)
    assert original_due == date(2025, 4, 30)
    assert not was_in_timescale(original_due, date(2025, 5, 12))
    assert was_in_timescale(original_due, date(2025, 4, 30))
    assert due_date_for_review(start, [first, date(2025, 5, 12)], 2) == original_due


def test_asking_for_a_review_number_that_cannot_exist() -> None:
    with pytest.raises(ValueError, match="review number 4"):
        due_date_for_review(date(2025, 1, 6), [date(2025, 1, 30)], 4)
    with pytest.raises(ValueError, match="review number 0"):
        due_date_for_review(date(2025, 1, 6), [], 0)


# --- pathway plans, visits, recording --------------------------------------------------


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2026, 5, 12), date(2026, 11, 12)),
    ],
)
def test_pathway_review_every_6_months(last: date, expected: date) -> None:
    assert pathway_review_due(last) == expected


def test_visit_window_is_the_6_weeks_before_the_review() -> None:
    assert visit_window(date(2026, 6, 30)) == (date(2026, 5, 19), date(2026, 6, 30))
    assert visit_window(date(2026, 6, 30), weeks=4) == (date(2026, 6, 2), date(2026, 6, 30))
    with pytest.raises(ValueError, match="at least one week"):
        visit_window(date(2026, 6, 30), weeks=0)


@pytest.mark.parametrize(
    ("seen", "in_window"),
    [
        ([date(2026, 5, 19)], True),  # first day of the window
        ([date(2026, 6, 30)], True),  # on the day
        ([date(2026, 5, 18)], False),  # a day too early
        ([date(2026, 7, 1)], False),  # after the review
        ([date(2026, 1, 5), date(2026, 6, 1)], True),
        ([], False),
    ],
)
def test_consulted_in_window(seen: list[date], in_window: bool) -> None:
    assert was_consulted_in_window(date(2026, 6, 30), seen) is in_window


def test_recommendations_within_5_working_days_across_christmas() -> None:
    assert recommendations_due(date(2025, 12, 22)) == date(2025, 12, 31)
    assert recommendations_due(date(2026, 3, 2)) == date(2026, 3, 9)


def test_minutes_follow_the_profile_timescale() -> None:
    completed = date(2026, 3, 2)
    assert minutes_due(completed, 15) == date(2026, 3, 23)
    assert minutes_due(completed, 20) == date(2026, 3, 30)
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    assert minutes_due(date(2026, 3, 16), 15) == date(2026, 4, 8)
    with pytest.raises(ValueError, match="negative"):
        minutes_due(completed, -1)


def test_mid_point_review_is_halfway_on_a_working_day() -> None:
    assert mid_point_review_date(date(2026, 1, 5), date(2026, 3, 5)) == date(2026, 2, 3)
    # Halfway lands on Saturday 4 April 2026 (Easter weekend): moved to Tuesday 7 April.
    assert mid_point_review_date(date(2026, 1, 5), date(2026, 7, 3)) == date(2026, 4, 7)
    with pytest.raises(ValueError, match="must be after"):
        mid_point_review_date(date(2026, 7, 5), date(2026, 1, 5))


# --- social worker's statutory visits ---------------------------------------------------


@pytest.mark.parametrize(
    ("last_visit", "long_term", "expected"),
    [
        (None, None, date(2025, 3, 10)),  # within a week of the placement starting
        (date(2025, 3, 7), None, date(2025, 4, 18)),  # 6 weeks in the first year
        (date(2025, 12, 15), date(2025, 6, 1), date(2026, 1, 26)),  # still the first year
        (date(2026, 3, 10), date(2025, 6, 1), date(2026, 6, 10)),  # long-term: 3 months
        (date(2026, 3, 10), None, date(2026, 4, 21)),  # not long-term: still 6-weekly
        (date(2026, 5, 31), date(2026, 5, 1), date(2026, 8, 31)),
    ],
)
def test_statutory_visits(last_visit: date | None, long_term: date | None, expected: date) -> None:
    placement_start = date(2025, 3, 3)
    today = date(2026, 6, 1)
    assert statutory_visit_due(placement_start, last_visit, long_term, today) == expected


@pytest.mark.parametrize(
    ("last_visit", "long_term", "words"),
    [
        (date(2025, 3, 1), None, "Saturday 1 March 2025"),  # visit before the placement
        (date(2026, 6, 2), None, "is after today"),  # a visit in the future
        (date(2025, 4, 1), date(2025, 2, 1), "confirmed as long-term"),
        (date(2025, 4, 1), date(2026, 7, 1), "Wednesday 1 July 2026"),
    ],
)
def test_statutory_visit_validation(last_visit: date, long_term: date | None, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        statutory_visit_due(date(2025, 3, 3), last_visit, long_term, date(2026, 6, 1))


def test_reg_28_variants() -> None:
    start, today = date(2025, 3, 3), date(2026, 6, 1)
    # Weekly until the first review (interim care order placed with a parent; reg 24).
    assert statutory_visit_due(start, date(2025, 3, 7), None, today, weekly=True) == date(
        2025, 3, 14
    )
    # A care order made for a child already at home: a visit within a week of the order,
    # even though the 6-week interval would run on.
    order = date(2025, 4, 1)
    assert statutory_visit_due(
        start, date(2025, 3, 25), None, today, care_order_at_home=order
    ) == date(2025, 4, 8)
    # A visit after the order returns to the usual interval.
    assert statutory_visit_due(
        start, date(2025, 4, 3), None, today, care_order_at_home=order
    ) == date(2025, 5, 15)
    # Long-term foster care after a year, the child agreeing: up to every 6 months.
    agreed = date(2026, 3, 1)
    assert statutory_visit_due(
        start, date(2026, 3, 10), date(2025, 6, 1), today, six_monthly_agreed=agreed
    ) == date(2026, 9, 10)
    # Without the placement being confirmed long-term the agreement does not apply.
    assert statutory_visit_due(
        start, date(2026, 3, 10), None, today, six_monthly_agreed=agreed
    ) == date(2026, 4, 21)


# --- escalation -----------------------------------------------------------------------


def test_escalation_deadlines() -> None:
    assert escalation_stage_deadline(date(2026, 12, 21), 5) == date(2026, 12, 30)
    assert escalation_stage_deadline(date(2026, 3, 2), 10) == date(2026, 3, 16)
    assert escalation_stage_deadline(date(2026, 3, 2), 0) is None  # open-ended (CAFCASS)
    assert escalation_overall_deadline(date(2026, 3, 2)) == date(2026, 3, 30)
    assert escalation_overall_deadline(date(2026, 3, 2), 15) == date(2026, 3, 23)
    closures = WorkingCalendar([date(2026, 3, 3)])
    assert escalation_stage_deadline(date(2026, 3, 2), 5, calendar=closures) == date(2026, 3, 10)
    with pytest.raises(ValueError, match="negative"):
        escalation_stage_deadline(date(2026, 3, 2), -1)
    with pytest.raises(ValueError, match="at least one"):
        escalation_overall_deadline(date(2026, 3, 2), 0)


# --- series of meetings -----------------------------------------------------------------


def test_series_is_held_on_its_first_meeting_and_complete_on_its_last() -> None:
    meetings = [date(2026, 3, 20), date(2026, 3, 9), date(2026, 3, 13)]
    assert timeliness_date(meetings) == date(2026, 3, 9)
    assert timeliness_date(meetings, SeriesBasis.FIRST_MEETING) == date(2026, 3, 9)
    assert timeliness_date(meetings, SeriesBasis.LAST_MEETING) == date(2026, 3, 20)
    assert completion_date(meetings) == date(2026, 3, 20)
    # The recording clocks run from completion.
    assert recommendations_due(completion_date(meetings)) == date(2026, 3, 27)


def test_series_basis_changes_timeliness() -> None:
    due = date(2026, 3, 10)
    meetings = [date(2026, 3, 9), date(2026, 3, 16)]
    assert was_in_timescale(due, timeliness_date(meetings, SeriesBasis.FIRST_MEETING))
    assert not was_in_timescale(due, timeliness_date(meetings, SeriesBasis.LAST_MEETING))
    assert "last meeting" in SeriesBasis.LAST_MEETING.description


def test_a_single_meeting_is_both_held_and_complete() -> None:
    assert timeliness_date([date(2026, 3, 9)], SeriesBasis.LAST_MEETING) == date(2026, 3, 9)
    assert completion_date([date(2026, 3, 9)]) == date(2026, 3, 9)


def test_a_review_without_meetings_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one meeting"):
        timeliness_date([])
    with pytest.raises(ValueError, match="at least one meeting"):
        completion_date([])


@given(st.lists(dates, min_size=1, max_size=6))
def test_series_dates_bracket_every_meeting(meetings: list[date]) -> None:
    held = timeliness_date(meetings)
    complete = completion_date(meetings)
    assert held <= complete
    assert all(held <= m <= complete for m in meetings)
    assert timeliness_date(meetings, SeriesBasis.LAST_MEETING) == complete


# --- validation helpers ---------------------------------------------------------------


def test_dates_before_birth_are_refused() -> None:
    check_not_before_birth(date(2020, 5, 1), date(2020, 5, 1), "review date")
    with pytest.raises(ValueError) as error:
        check_not_before_birth(date(2020, 4, 30), date(2020, 5, 1), "review date")
    assert str(error.value) == (
        "The review date (Thursday 30 April 2020) is before the child's date of birth "
        "(Friday 1 May 2020)."
    )


def test_end_before_start_is_refused() -> None:
    check_order(date(2026, 1, 1), date(2026, 1, 1), "placement start", "placement end")
    with pytest.raises(ValueError, match="placement end .* is before the placement start"):
        check_order(date(2026, 1, 2), date(2026, 1, 1), "placement start", "placement end")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=-24, max_value=24),
)
def test_add_months_agrees_with_relativedelta(d: date, months: int) -> None:
    assert add_months(d, months) == d + relativedelta(months=months)


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(d: date, months: int, expected: date) -> None:
    assert add_months(d, months) == expected
