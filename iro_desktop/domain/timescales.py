"""Statutory and local timescales: when each review, visit, record and escalation is due.

The rules come from the Care Planning, Placement and Case Review (England) Regulations 2010
(reg 33 reviews, reg 28 social worker visits), the IRO Handbook and the local practice
profile. Working days come from `calendar`; every function that counts them takes the
practice's `WorkingCalendar` (England and Wales bank holidays by default). Calendar-month
rules clamp to the month end exactly as `dateutil.relativedelta(months=n)` does (the tests
check they agree): 3 months after 30 November is 28 February (29 in a leap year), never
2 March.

Due dates are the last day that is still in timescale: a review held on its due date is on
time, the day after is late. A due date falling on a weekend is reported as it is, because
the statutory limit is a calendar date; the IRO sees it and plans the meeting before it.
"""

from __future__ import annotations

import calendar as _calendar_module
import enum
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, FIRST_YEAR, LAST_YEAR, WorkingCalendar

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
PATHWAY_REVIEW_MONTHS = 6
VISIT_WINDOW_WEEKS = 6
RECOMMENDATIONS_WORKING_DAYS = 5
DISPUTE_RESOLUTION_WORKING_DAYS = 20
FIRST_VISIT_DAYS = 7
VISIT_INTERVAL_WEEKS = 6
LONG_TERM_VISIT_MONTHS = 3
AGREED_VISIT_MONTHS = 6  # reg 28(3): long-term foster care, after a year, the child agreeing

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Spelled out rather than strftime("%A"): Qt sets the process locale, and messages to IROs
# must read the same on every laptop.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SeriesBasis(enum.StrEnum):
    """Which meeting of a series of meetings counts as the date the review was held."""

    FIRST_MEETING = "first_meeting"
    LAST_MEETING = "last_meeting"

    @property
    def description(self) -> str:
        if self is SeriesBasis.FIRST_MEETING:
            return "A review held as a series of meetings counts as held on its first meeting."
        return (
            "This practice counts a review held as a series of meetings as held on its "
            "last meeting."
        )


def add_months(d: date, months: int) -> date:
    """`months` calendar months after d, clamped to the end of a shorter month.

    Same result as `d + dateutil.relativedelta(months=months)`, without its cost: the
    dashboard does this for every child in the service.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = _calendar_module.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


# --- validation -------------------------------------------------------------------------


def format_date(d: date) -> str:
    """A date the way an IRO writes it: 'Monday 30 November 2026'."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def check_date(d: date, what: str) -> None:
    """Refuse a date outside the years the program can calculate timescales for."""
    if not (FIRST_YEAR <= d.year <= LAST_YEAR):
        raise ValueError(
            f"The {what} ({format_date(d)}) is outside {FIRST_YEAR}-{LAST_YEAR}, "
            "the years IRO Desktop can calculate timescales for."
        )


def check_order(earlier: date, later: date, earlier_what: str, later_what: str) -> None:
    """Refuse a `later` date (an end, a response) that comes before `earlier`."""
    if later < earlier:
        raise ValueError(
            f"The {later_what} ({format_date(later)}) is before the {earlier_what} "
            f"({format_date(earlier)})."
        )


def check_not_before_birth(d: date, dob: date, what: str) -> None:
    """Refuse a date in a child's record that comes before the child was born."""
    if d < dob:
        raise ValueError(
            f"The {what} ({format_date(d)}) is before the child's date of birth "
            f"({format_date(dob)})."
        )


def check_not_after_today(d: date, today: date, what: str) -> None:
    """Refuse a record of something that has happened, dated in the future."""
    if d > today:
        raise ValueError(f"The {what} ({format_date(d)}) is after today ({format_date(today)}).")


def _check_working_days(n: int, what: str) -> None:
    if n < 0:
        raise ValueError(f"The {what} cannot be a negative number of working days ({n}).")


# --- reviews (reg 33) ---------------------------------------------------------------------


def _sorted_held(period_start: date, held: Iterable[date]) -> list[date]:
    check_date(period_start, "start of the period of care")
    reviews = sorted(held)
    for review in reviews:
        check_date(review, "review date")
    if reviews and reviews[0] < period_start:
        raise ValueError(
            f"A review is recorded on {format_date(reviews[0])}, before this period of care "
            f"started on {format_date(period_start)}. Reviews belong to the period of care "
            "they were held in."
        )
    return reviews


def _due_after(
    period_start: date,
    reviews: Sequence[date],
    first_review_working_days: int,
    calendar: WorkingCalendar,
) -> date:
    """Due date of the next review given the (sorted, validated) reviews already held."""
    if not reviews:
        return calendar.add_working_days(period_start, first_review_working_days)
    months = SECOND_REVIEW_MONTHS if len(reviews) == 1 else LATER_REVIEW_MONTHS
    # Any review, including an extra one brought forward, restarts the clock from its date.
    due = add_months(reviews[-1], months)
    check_date(due, "next review due date")
    return due


def next_review_due(
    period_start: date,
    held: Iterable[date] = (),
    *,
    first_review_working_days: int = FIRST_REVIEW_WORKING_DAYS,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> date:
    """When the next review of this period of care is due.

    `held` are the timeliness dates of the reviews already held in this period of care, in
    any order. The first review is due 20 working days after the period starts, the second
    3 months after the first, each later one 6 months after the one before. An extra review
    brought forward counts as a review and restarts the clock from its own date.
    """
    _check_working_days(first_review_working_days, "first review timescale")
    reviews = _sorted_held(period_start, held)
    return _due_after(period_start, reviews, first_review_working_days, calendar)


def review_due_dates(
    period_start: date,
    held: Iterable[date],
    *,
    first_review_working_days: int = FIRST_REVIEW_WORKING_DAYS,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> list[tuple[date, date]]:
    """Each held review (in date order) with the due date that applied to it.

    A review that was stood down or rearranged keeps its ORIGINAL due date: the due date
    comes only from the reviews actually held before it, so moving a meeting never moves the
    date it is measured against.
    """
    _check_working_days(first_review_working_days, "first review timescale")
    reviews = _sorted_held(period_start, held)
    return [
        (review, _due_after(period_start, reviews[:i], first_review_working_days, calendar))
        for i, review in enumerate(reviews)
    ]


def due_date_for_review(
    period_start: date,
    held: Iterable[date],
    number: int,
    *,
    first_review_working_days: int = FIRST_REVIEW_WORKING_DAYS,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> date:
    """The due date of the `number`-th review of the period of care (1 = first review).

    Needs the reviews held before it; a stood-down or rearranged review keeps the due date
    that was set by the review before it, however many times the meeting moved.
    """
    _check_working_days(first_review_working_days, "first review timescale")
    reviews = _sorted_held(period_start, held)
    if not 1 <= number <= len(reviews) + 1:
        raise ValueError(
            f"Cannot work out when review number {number} was due: "
            f"{len(reviews)} review(s) are recorded in this period of care."
        )
    return _due_after(period_start, reviews[: number - 1], first_review_working_days, calendar)


def was_in_timescale(due: date, held: date) -> bool:
    """Whether a review held (by its timeliness date) on `held` met its due date.

    Pass the ORIGINAL due date for a review that was stood down or rearranged: rearranging
    does not buy extra time (Cheshire East 2023/24 rearranged 44% of its reviews, and each is
    still measured against the date it was first due).
    """
    check_date(due, "due date")
    check_date(held, "review date")
    return held <= due


def pathway_review_due(last: date) -> date:
    """A care leaver's pathway plan is reviewed at least every 6 months."""
    check_date(last, "last pathway plan review")
    due = add_months(last, PATHWAY_REVIEW_MONTHS)
    check_date(due, "next pathway plan review due date")
    return due


def mid_point_review_date(
    previous: date, next_due: date, *, calendar: WorkingCalendar = ENGLAND_AND_WALES
) -> date:
    """Halfway between the last review and the next due date, on a working day."""
    check_date(previous, "last review date")
    check_date(next_due, "next review due date")
    if next_due <= previous:
        raise ValueError(
            f"The next review due date ({format_date(next_due)}) must be after the last "
            f"review ({format_date(previous)})."
        )
    middle = previous + timedelta(days=(next_due - previous).days // 2)
    candidate = calendar.next_working_day_on_or_after(middle)
    return candidate if candidate < next_due else middle


# --- before and after the meeting ---------------------------------------------------------


def visit_window(due: date, weeks: int = VISIT_WINDOW_WEEKS) -> tuple[date, date]:
    """The IRO's window for seeing the child: the `weeks` before the review, inclusive."""
    check_date(due, "review date")
    if weeks <= 0:
        raise ValueError(f"The visit window must be at least one week long (not {weeks}).")
    return due - timedelta(weeks=weeks), due


def was_consulted_in_window(
    review: date, consultations: Iterable[date], weeks: int = VISIT_WINDOW_WEEKS
) -> bool:
    """Whether the IRO saw or consulted the child in the window before this review."""
    start, end = visit_window(review, weeks)
    return any(start <= seen <= end for seen in consultations)


def recommendations_due(
    completed: date,
    working_days: int = RECOMMENDATIONS_WORKING_DAYS,
    *,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> date:
    """Recommendations go out within 5 working days of the review being completed."""
    check_date(completed, "review completion date")
    _check_working_days(working_days, "recommendations timescale")
    return calendar.add_working_days(completed, working_days)


def minutes_due(
    completed: date, working_days: int, *, calendar: WorkingCalendar = ENGLAND_AND_WALES
) -> date:
    """The minutes (the letter to the child) within the profile's 15 or 20 working days."""
    check_date(completed, "review completion date")
    _check_working_days(working_days, "minutes timescale")
    return calendar.add_working_days(completed, working_days)


# --- social worker's statutory visits (reg 28) --------------------------------------------


def statutory_visit_due(
    placement_start: date,
    last_visit: date | None,
    long_term_confirmed: date | None,
    today: date,
    *,
    weekly: bool = False,
    care_order_at_home: date | None = None,
    six_monthly_agreed: date | None = None,
) -> date:
    """When the social worker must next visit the child in this placement.

    First visit within a week of the placement starting; then at intervals of at most
    6 weeks during the placement's first year; after the first year at most every 3 months
    if the placement has been confirmed as long-term, otherwise still every 6 weeks.
    The interval is taken from the last visit; a visit in the first year starts a 6-week
    interval even when that interval ends after the first anniversary.

    The variants of reg 28: `weekly` (a child placed with a connected person under reg 24
    temporary approval, or on an interim care order placed with a parent, until the first
    review) makes the interval one week; `care_order_at_home` (a care order made for a child
    already living at home) needs a visit within a week of the order; `six_monthly_agreed` (in
    a long-term foster placement after its first year, the child agreed) allows 6 months.
    """
    check_date(placement_start, "placement start date")
    check_date(today, "date today")
    if last_visit is None:
        return placement_start + timedelta(days=FIRST_VISIT_DAYS)
    check_date(last_visit, "social worker's last visit")
    check_order(placement_start, last_visit, "placement start date", "social worker's last visit")
    check_not_after_today(last_visit, today, "social worker's last visit")
    if long_term_confirmed is not None:
        check_date(long_term_confirmed, "date the placement was confirmed as long-term")
        check_order(
            placement_start,
            long_term_confirmed,
            "placement start date",
            "date the placement was confirmed as long-term",
        )
        check_not_after_today(
            long_term_confirmed, today, "date the placement was confirmed as long-term"
        )
    first_anniversary = add_months(placement_start, 12)
    due: date
    if weekly:
        due = last_visit + timedelta(days=FIRST_VISIT_DAYS)
    elif last_visit >= first_anniversary and long_term_confirmed is not None:
        agreed = six_monthly_agreed is not None and six_monthly_agreed <= last_visit
        due = add_months(last_visit, AGREED_VISIT_MONTHS if agreed else LONG_TERM_VISIT_MONTHS)
    else:
        due = last_visit + timedelta(weeks=VISIT_INTERVAL_WEEKS)
    if care_order_at_home is not None and last_visit < care_order_at_home:
        check_date(care_order_at_home, "date of the care order")
        due = min(due, care_order_at_home + timedelta(days=FIRST_VISIT_DAYS))
    return due


# --- escalation -------------------------------------------------------------------------


def escalation_stage_deadline(
    sent_on: date, limit_working_days: int, *, calendar: WorkingCalendar = ENGLAND_AND_WALES
) -> date | None:
    """The date a response to an escalation stage is due; None for an open-ended stage.

    A stage limit of 0 working days means the stage has no deadline of its own (a referral
    to CAFCASS, for example).
    """
    check_date(sent_on, "date the escalation stage was sent")
    _check_working_days(limit_working_days, "escalation stage limit")
    if limit_working_days == 0:
        return None
    return calendar.add_working_days(sent_on, limit_working_days)


def escalation_overall_deadline(
    raised_on: date,
    limit_working_days: int = DISPUTE_RESOLUTION_WORKING_DAYS,
    *,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> date:
    """Dispute resolution must conclude within 20 working days of first being raised."""
    check_date(raised_on, "date the escalation was raised")
    if limit_working_days <= 0:
        raise ValueError(
            f"The overall escalation limit must be at least one working day "
            f"(not {limit_working_days})."
        )
    return calendar.add_working_days(raised_on, limit_working_days)


# --- a review held as a series of meetings ------------------------------------------------


def _meetings(meeting_dates: Sequence[date]) -> list[date]:
    if not meeting_dates:
        raise ValueError("A review needs at least one meeting date.")
    for meeting in meeting_dates:
        check_date(meeting, "meeting date")
    return sorted(meeting_dates)


def timeliness_date(
    meeting_dates: Sequence[date], basis: SeriesBasis = SeriesBasis.FIRST_MEETING
) -> date:
    """The date a review counts as held for timeliness.

    Statutory reading: a review held as a series of meetings is held on its FIRST meeting.
    A practice profile may choose the last meeting instead; the program then says so.
    """
    meetings = _meetings(meeting_dates)
    return meetings[0] if basis is SeriesBasis.FIRST_MEETING else meetings[-1]


def completion_date(meeting_dates: Sequence[date]) -> date:
    """A review is complete when its last meeting ends; recording clocks start here."""
    return _meetings(meeting_dates)[-1]
