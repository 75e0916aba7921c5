"""The "what's due" dashboard: each child's next deadlines as plain rows, most urgent first.

The caller (services) describes each child's position with `ChildDueState`; `due_items`
turns a whole caseload, or a whole service of ~1,300 children, into sorted `DueItem` rows
using the practice profile's timescales and calendar.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.caseload import age_on
from iro_desktop.domain.ics import CalendarEvent
from iro_desktop.domain.profile import PracticeProfile
from iro_desktop.domain.regimes import ReviewClock, ReviewRegime, next_review_due_on_clock
from iro_desktop.domain.significant_change import SignificantChange, open_questions
from iro_desktop.domain.timescales import (
    SeriesBasis,
    format_date,
    mid_point_review_date,
    minutes_due,
    pathway_review_due,
    recommendations_due,
    statutory_visit_due,
    timeliness_date,
    visit_window,
)


class DueKind(enum.Enum):
    REVIEW_DUE = "review_due"
    VISIT_WINDOW_OPEN = "visit_window_open"
    RECOMMENDATIONS_OVERDUE = "recommendations_overdue"
    MINUTES_OVERDUE = "minutes_overdue"
    SERIES_OPEN = "series_open"
    STATUTORY_VISIT_OVERDUE = "statutory_visit_overdue"
    PATHWAY_REVIEW_DUE = "pathway_review_due"
    MIDPOINT_REVIEW_DUE = "midpoint_review_due"
    SIGNIFICANT_CHANGE = "significant_change"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DueKind.REVIEW_DUE: "Review due",
    DueKind.VISIT_WINDOW_OPEN: "Visit the child before the review",
    DueKind.RECOMMENDATIONS_OVERDUE: "Recommendations overdue",
    DueKind.MINUTES_OVERDUE: "Letter to the child (minutes) overdue",
    DueKind.SERIES_OPEN: "Series of meetings not finished",
    DueKind.STATUTORY_VISIT_OVERDUE: "Social worker's statutory visit overdue",
    DueKind.PATHWAY_REVIEW_DUE: "Pathway plan review due",
    DueKind.MIDPOINT_REVIEW_DUE: "Mid-point review due",
    DueKind.SIGNIFICANT_CHANGE: "Review needed before a significant change?",
}

# Among rows due on the same day, the IRO's own late work first.
_KIND_ORDER = {kind: i for i, kind in enumerate(_LABELS)}


@dataclass(frozen=True)
class OpenSeries:
    """A review being held as a series of meetings that has not had its last meeting yet.

    `meeting_dates` are the meetings already held, not the ones still planned.
    """

    meeting_dates: tuple[date, ...]

    def __post_init__(self) -> None:
        if not self.meeting_dates:
            raise ValueError("An unfinished series of meetings needs at least one meeting date.")

    @property
    def first_meeting(self) -> date:
        return min(self.meeting_dates)

    @property
    def meetings_so_far(self) -> int:
        return len(self.meeting_dates)


@dataclass(frozen=True)
class LastReview:
    """The last completed review and when its recommendations and minutes went out."""

    completed: date
    recommendations_issued: date | None = None
    minutes_issued: date | None = None


@dataclass(frozen=True)
class Placement:
    """The current placement, for the social worker's statutory visits (reg 28)."""

    start: date
    last_social_worker_visit: date | None = None
    long_term_confirmed: date | None = None
    # Reg 28 variants (see timescales.statutory_visit_due).
    weekly_until_first_review: bool = False
    care_order_at_home: date | None = None
    six_monthly_agreed: date | None = None


@dataclass(frozen=True)
class ChildDueState:
    """Everything the dashboard needs to know about one child.

    `held_reviews` are the timeliness dates of the completed reviews in the current period
    of care (work them out with `timescales.timeliness_date` and the profile's basis).
    A review still being held as a series goes in `open_series`, not `held_reviews`.
    `period_start` is None for a care leaver who is no longer looked after.
    """

    child_id: str
    child_name: str
    period_start: date | None
    held_reviews: tuple[date, ...] = ()
    open_series: OpenSeries | None = None
    last_review: LastReview | None = None
    last_consultation: date | None = None
    placement: Placement | None = None
    is_care_leaver: bool = False
    last_pathway_review: date | None = None
    # The review timetable (reg 33 unless placed for adoption or on short breaks); None is
    # reg 33 from the period's start.
    review_clock: ReviewClock | None = None
    # For a care leaver: pathway reviews stop at the profile's age.
    date_of_birth: date | None = None
    # The booked meeting of the next review: the IRO's visit window runs up to it.
    planned_review_on: date | None = None
    # The IRO's last mid-point review of the child's progress (the footprint between reviews).
    last_midpoint: date | None = None
    # Moves and the end of care not already covered by a review, and the keys of those the
    # IRO has answered ("review booked" / "not needed, because ...").
    significant_changes: tuple[SignificantChange, ...] = ()
    answered_changes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DueItem:
    child_id: str
    child_name: str
    kind: DueKind
    due_date: date
    working_days_left: int
    status: str
    urgency: tuple[int, int, int, str, str] = field(compare=False, repr=False)
    # What the row is about when a child can have several of its kind (a change's key).
    ref: str = field(default="", compare=False)

    @property
    def overdue(self) -> bool:
        return self.urgency[0] == 0

    def as_calendar_event(self) -> CalendarEvent:
        """This row as an all-day calendar entry; the UID stays put when the date moves."""
        uid = uuid.uuid5(uuid.NAMESPACE_URL, f"iro-desktop:{self.child_id}:{self.kind.value}")
        return CalendarEvent(
            uid=f"{uid}@iro-desktop",
            date=self.due_date,
            summary=f"{self.kind.label}: {self.child_name}",
            description=self.status,
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _status(due: date, today: date, working_days_left: int) -> str:
    if due < today:
        if working_days_left < 0:
            return f"Overdue by {_plural(-working_days_left, 'working day')}"
        # Due on a weekend or bank holiday that has just passed: no working day lost yet.
        return f"Overdue (was due {format_date(due)})"
    if due == today:
        return "Due today"
    if working_days_left == 0:
        return f"Due {format_date(due)}"
    return f"Due in {_plural(working_days_left, 'working day')}"


def _item(
    child: ChildDueState,
    kind: DueKind,
    due: date,
    today: date,
    calendar: WorkingCalendar,
    status: str | None = None,
    overdue: bool | None = None,
) -> DueItem:
    left = calendar.working_days_between(today, due)
    is_overdue = due < today if overdue is None else overdue
    return DueItem(
        child_id=child.child_id,
        child_name=child.child_name,
        kind=kind,
        due_date=due,
        working_days_left=left,
        status=status if status is not None else _status(due, today, left),
        urgency=(
            0 if is_overdue else 1,
            due.toordinal(),
            _KIND_ORDER[kind],
            child.child_name,
            child.child_id,
        ),
    )


_REGIME_NOTES = {
    ReviewRegime.PLACED_FOR_ADOPTION: "placed for adoption: reg 36",
    ReviewRegime.SHORT_BREAKS: "short breaks: reg 48",
}


def _review_items(
    child: ChildDueState, today: date, profile: PracticeProfile, calendar: WorkingCalendar
) -> list[DueItem]:
    if child.period_start is None:
        return []
    held = list(child.held_reviews)
    series = child.open_series
    # The review in progress has already been held for timeliness when the profile counts
    # a series from its first meeting; the next review is then due from that meeting.
    series_held = series is not None and profile.series_basis is SeriesBasis.FIRST_MEETING
    period_start = child.period_start
    clock = child.review_clock or ReviewClock(ReviewRegime.LOOKED_AFTER, period_start)

    def next_due(reviews: list[date]) -> date:
        return next_review_due_on_clock(
            clock,
            period_start,
            reviews,
            first_review_working_days=profile.first_review_working_days,
            calendar=calendar,
        )

    due_before_series = next_due(held)
    items: list[DueItem] = []
    if series is not None:
        days_open = (today - series.first_meeting).days
        meetings = _plural(series.meetings_so_far, "meeting")
        status = f"Series open for {_plural(days_open, 'day')} ({meetings} so far)"
        if not series_held:
            status += f"; counts as held at its last meeting ({profile.name})"
        items.append(
            _item(
                child,
                DueKind.SERIES_OPEN,
                due_before_series,
                today,
                calendar,
                status=status,
                overdue=not series_held and due_before_series < today,
            )
        )
    if series_held and series is not None:
        held.append(timeliness_date(series.meeting_dates, profile.series_basis))
        due = next_due(held)
    else:
        due = due_before_series
    review = _item(child, DueKind.REVIEW_DUE, due, today, calendar)
    if clock.regime is not ReviewRegime.LOOKED_AFTER:
        review = replace(review, status=f"{review.status} ({_REGIME_NOTES[clock.regime]})")
    items.append(review)
    items += _midpoint_items(child, held, series is not None, due, today, profile, calendar)

    # The weeks before the review: the booked meeting when there is one (as the review's own
    # checks and the figures count from the day it is held), else the due date.
    start, end = visit_window(child.planned_review_on or due, profile.visit_window_weeks)
    consulted = child.last_consultation is not None and start <= child.last_consultation <= end
    if start <= today <= end and not consulted:
        items.append(_item(child, DueKind.VISIT_WINDOW_OPEN, end, today, calendar))
    return items


def _midpoint_items(
    child: ChildDueState,
    held: list[date],
    series_open: bool,
    due: date,
    today: date,
    profile: PracticeProfile,
    calendar: WorkingCalendar,
) -> list[DueItem]:
    """The mid-point review halfway to the next review, where the profile asks for one, until
    one is recorded after the last review."""
    if not profile.midpoint_reviews or not held or series_open:
        return []
    previous = max(held)
    if due <= previous or (child.last_midpoint is not None and child.last_midpoint > previous):
        return []
    midpoint = mid_point_review_date(previous, due, calendar=calendar)
    if midpoint >= due:
        return []
    return [_item(child, DueKind.MIDPOINT_REVIEW_DUE, midpoint, today, calendar)]


def _recording_items(
    child: ChildDueState, today: date, profile: PracticeProfile, calendar: WorkingCalendar
) -> list[DueItem]:
    last = child.last_review
    if last is None:
        return []
    items: list[DueItem] = []
    if last.recommendations_issued is None:
        due = recommendations_due(
            last.completed, profile.recommendations_working_days, calendar=calendar
        )
        if due < today:
            items.append(_item(child, DueKind.RECOMMENDATIONS_OVERDUE, due, today, calendar))
    if last.minutes_issued is None:
        due = minutes_due(last.completed, profile.minutes_working_days, calendar=calendar)
        if due < today:
            items.append(_item(child, DueKind.MINUTES_OVERDUE, due, today, calendar))
    return items


def _other_items(
    child: ChildDueState, today: date, profile: PracticeProfile, calendar: WorkingCalendar
) -> list[DueItem]:
    items: list[DueItem] = []
    due = social_worker_visit_due(child, today)
    if due is not None and due < today:
        items.append(_item(child, DueKind.STATUTORY_VISIT_OVERDUE, due, today, calendar))
    # Without a recorded pathway review there is no date to count from; nothing is shown.
    if (
        child.is_care_leaver
        and child.last_pathway_review is not None
        and in_pathway_age(child.date_of_birth, today, profile)
    ):
        due = pathway_review_due(child.last_pathway_review)
        items.append(_item(child, DueKind.PATHWAY_REVIEW_DUE, due, today, calendar))
    for change in open_questions(
        child.significant_changes, today=today, answered=child.answered_changes
    ):
        item = _item(
            child,
            DueKind.SIGNIFICANT_CHANGE,
            change.on,
            today,
            calendar,
            status=change.words,
            overdue=False,
        )
        items.append(replace(item, ref=change.key))
    return items


def social_worker_visit_due(child: ChildDueState, today: date) -> date | None:
    """When the social worker must next visit (reg 28 and its variants); None with no
    current placement. The dashboard and the child's page both ask here."""
    placement = child.placement
    if placement is None:
        return None
    return statutory_visit_due(
        placement.start,
        placement.last_social_worker_visit,
        placement.long_term_confirmed,
        today,
        weekly=placement.weekly_until_first_review and not child.held_reviews,
        care_order_at_home=placement.care_order_at_home,
        six_monthly_agreed=placement.six_monthly_agreed,
    )


def in_pathway_age(dob: date | None, today: date, profile: PracticeProfile) -> bool:
    """Whether the IRO still reviews this care leaver's pathway plan (the profile's age)."""
    return dob is None or age_on(dob, today) < profile.pathway_reviews_until_age


def due_items(
    children: Iterable[ChildDueState], today: date, profile: PracticeProfile
) -> list[DueItem]:
    """Every due row for these children, overdue first, then soonest.

    Reviews and pathway reviews are always listed; the visit row while the window before
    the review is open and the child has not been seen in it; recommendations, minutes and
    social worker visits only once they are overdue; an unfinished series always.
    """
    calendar = profile.calendar
    items: list[DueItem] = []
    for child in children:
        try:
            items += _review_items(child, today, profile, calendar)
            items += _recording_items(child, today, profile, calendar)
            items += _other_items(child, today, profile, calendar)
        except ValueError as error:
            raise ValueError(f"{child.child_name}: {error}") from None
    items.sort(key=lambda item: item.urgency)
    return items


def filter_within(items: Sequence[DueItem], today: date, days: int) -> list[DueItem]:
    """Rows due by `days` from today, overdue ones included: 7 for this week, 28 for 4."""
    if days < 0:
        raise ValueError(f"The number of days ahead cannot be negative ({days}).")
    horizon = today + timedelta(days=days)
    return [item for item in items if item.due_date <= horizon]


def caseload_summary(count: int, profile: PracticeProfile) -> str:
    """'62 children: within the 50-70 guidance' and the like."""
    if count < 0:
        raise ValueError(f"A caseload cannot have a negative number of children ({count}).")
    low, high = profile.caseload_guidance
    if count < low:
        where = "below"
    elif count > high:
        where = "above"
    else:
        where = "within"
    children = "1 child" if count == 1 else f"{count} children"
    return f"{children}: {where} the {low}-{high} guidance"
