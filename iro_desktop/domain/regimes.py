"""Which review timetable a looked-after child is on, and when their next review is due.

Most children are reviewed under the Care Planning, Placement and Case Review (England)
Regulations 2010, reg 33: the first review within 20 working days of becoming looked after,
the second within 3 months of the first, then every 6 months. Two groups are on another clock:

- a child **placed for adoption** (Adoption Agencies Regulations 2005, reg 36; placement codes
  A3-A6): the first review within 4 weeks of the placement, the second within 3 months of the
  first, then every 6 months. The clock starts at the placement, not at the start of care, and
  reviews held before the placement do not count towards it;
- a child on **short breaks** (reg 48; legal status V3 or V4): the first review within 3 months
  of the first short break, then every 6 months.

The clock is worked out from the current period of care's episodes, so a move into an
adoptive placement or a change to short breaks changes the child's next due date at once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.codes import ADOPTION_PLACEMENTS
from iro_desktop.domain.timescales import (
    FIRST_REVIEW_WORKING_DAYS,
    LATER_REVIEW_MONTHS,
    SECOND_REVIEW_MONTHS,
    add_months,
    check_date,
    next_review_due,
)

SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})
ADOPTION_FIRST_REVIEW_DAYS = 28  # "within 4 weeks" of the placement
SHORT_BREAKS_FIRST_REVIEW_MONTHS = 3


class ReviewRegime(enum.StrEnum):
    LOOKED_AFTER = "looked_after"
    PLACED_FOR_ADOPTION = "placed_for_adoption"
    SHORT_BREAKS = "short_breaks"

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    ReviewRegime.LOOKED_AFTER: "looked-after review (Care Planning Regulations 2010, reg 33)",
    ReviewRegime.PLACED_FOR_ADOPTION: (
        "placed for adoption (Adoption Agencies Regulations 2005, reg 36): first review within "
        "4 weeks of the placement, then 3 months, then every 6 months"
    ),
    ReviewRegime.SHORT_BREAKS: (
        "short breaks (Care Planning Regulations 2010, reg 48): first review within 3 months "
        "of the first short break, then every 6 months"
    ),
}


@dataclass(frozen=True, slots=True)
class EpisodeCodes:
    """What the regime depends on in one episode of the current period of care."""

    start: date
    legal_status: str
    placement_type: str


@dataclass(frozen=True, slots=True)
class ReviewClock:
    """The child's review regime and the day its clock started."""

    regime: ReviewRegime
    start: date


def review_clock(period_start: date, episodes: Sequence[EpisodeCodes]) -> ReviewClock:
    """The clock for the current period of care (episodes oldest first).

    Placed for adoption from the first of the latest run of adoption placements; short breaks
    while the latest episode's legal status is V3/V4; otherwise reg 33 from the period's start.
    """
    if not episodes:
        return ReviewClock(ReviewRegime.LOOKED_AFTER, period_start)
    latest = episodes[-1]
    if latest.placement_type in ADOPTION_PLACEMENTS:
        placed = latest.start
        for episode in reversed(episodes[:-1]):
            if episode.placement_type not in ADOPTION_PLACEMENTS:
                break
            placed = episode.start  # a change of legal status is not a new placement
        return ReviewClock(ReviewRegime.PLACED_FOR_ADOPTION, placed)
    if latest.legal_status in SHORT_BREAK_STATUSES:
        return ReviewClock(ReviewRegime.SHORT_BREAKS, period_start)
    return ReviewClock(ReviewRegime.LOOKED_AFTER, period_start)


def counted_reviews(clock: ReviewClock, held: Iterable[date]) -> list[date]:
    """The held reviews that count towards this clock, oldest first."""
    if clock.regime is ReviewRegime.PLACED_FOR_ADOPTION:
        return sorted(d for d in held if d >= clock.start)
    return sorted(held)


def next_review_due_on_clock(
    clock: ReviewClock,
    period_start: date,
    held: Iterable[date] = (),
    *,
    first_review_working_days: int = FIRST_REVIEW_WORKING_DAYS,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> date:
    """When the next review is due on this clock, given the reviews held in the period."""
    held_list = list(held)
    if clock.regime is ReviewRegime.LOOKED_AFTER:
        return next_review_due(
            period_start,
            held_list,
            first_review_working_days=first_review_working_days,
            calendar=calendar,
        )
    check_date(clock.start, "start of the review timetable")
    reviews = counted_reviews(clock, held_list)
    for review in reviews:
        check_date(review, "review date")
    if clock.regime is ReviewRegime.PLACED_FOR_ADOPTION:
        if not reviews:
            return clock.start + timedelta(days=ADOPTION_FIRST_REVIEW_DAYS)
        months = SECOND_REVIEW_MONTHS if len(reviews) == 1 else LATER_REVIEW_MONTHS
        return add_months(reviews[-1], months)
    # Short breaks.
    if not reviews:
        return add_months(clock.start, SHORT_BREAKS_FIRST_REVIEW_MONTHS)
    return add_months(reviews[-1], LATER_REVIEW_MONTHS)
