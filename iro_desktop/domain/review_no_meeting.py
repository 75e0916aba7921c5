"""A review held without a meeting: a child settled in a long-term foster placement.

Local procedures (domain section 9) allow a child who has been in a long-term foster placement
for 12 months or more to have a review that is not a meeting: the IRO reviews the plan with
the child and the people around them separately and records the review. Such a review is
*held* on the date the IRO completed it (that is its timeliness date and its completion
date), nobody is recorded as attending a meeting, and the child's participation code is still
recorded (the child cannot have attended a meeting, so PN1-PN4 do not fit).

Anywhere else the review is a meeting, and recording one without a meeting is refused in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.review_events import (
    ChangeRefused,
    EventKind,
    ReviewChange,
    event,
    last_changed_on,
    moved,
)
from iro_desktop.domain.review_record import Meeting, Review, ReviewKind, ReviewStatus, say_date
from iro_desktop.domain.timescales import add_months

FOSTER_PLACEMENTS = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
LONG_TERM_MONTHS = 12
# The child physically attends a meeting in PN1-PN4: none of them fits a review without one.
MEETING_CODES = frozenset({"PN1", "PN2", "PN3", "PN4"})
NO_MEETING_VENUE = "Review without a meeting (long-term foster placement)"


@dataclass(frozen=True, slots=True)
class PlacementFacts:
    """One episode of the current period of care, as this rule needs it (oldest first)."""

    start: date
    placement_type: str
    provider: str = ""
    postcode: str = ""
    long_term_confirmed: date | None = None


def current_placement_start(episodes: Sequence[PlacementFacts]) -> date | None:
    """The start of the current placement: the first of the latest run of episodes in the same
    placement (an episode also changes when only the legal status changes)."""
    if not episodes:
        return None
    last = episodes[-1]
    where = (last.placement_type, last.provider, last.postcode)
    start = last.start
    for episode in reversed(episodes[:-1]):
        if (episode.placement_type, episode.provider, episode.postcode) != where:
            break
        start = episode.start
    return start


def why_meeting_needed(episodes: Sequence[PlacementFacts], on: date) -> str | None:
    """Why a review on `on` must be a meeting; None when it may be held without one.

    Allowed only where the child is in a foster placement confirmed as long-term and has been
    in that placement for at least 12 months on `on`.
    """
    if not episodes:
        return "The child has no placement recorded, so the review must be a meeting."
    last = episodes[-1]
    if last.placement_type not in FOSTER_PLACEMENTS:
        return (
            "A review without a meeting is only for a child in a long-term foster placement "
            f"(this placement is {last.placement_type}). Hold the review as a meeting."
        )
    start = current_placement_start(episodes)
    assert start is not None
    confirmed = [
        e.long_term_confirmed
        for e in episodes
        if e.long_term_confirmed is not None and e.start >= start
    ]
    if not confirmed or min(confirmed) > on:
        return (
            "The foster placement has not been confirmed as long-term, so the review must be a "
            "meeting. Confirm the placement as long-term on the child's page first."
        )
    year_on = add_months(start, LONG_TERM_MONTHS)
    if on < year_on:
        return (
            f"The child has been in this placement since {say_date(start)}: a review without a "
            f"meeting is allowed after {LONG_TERM_MONTHS} months there, from {say_date(year_on)}."
        )
    return None


def complete_without_meeting(
    review: Review, *, on: date, episodes: Sequence[PlacementFacts]
) -> ReviewChange:
    """Record the review as held and completed on `on` without a meeting, or refuse saying why.

    The recommendation and letter clocks run from `on`, as for any completed review.
    """
    check_in_range(on, "date the review was completed")
    if review.kind is not ReviewKind.LOOKED_AFTER:
        raise ChangeRefused(
            "Only a looked-after child's review can be held without a meeting; a pathway plan "
            "review is a meeting with the young person."
        )
    if review.status not in (ReviewStatus.PLANNED, ReviewStatus.PREPARING):
        raise ChangeRefused(
            f"The review is already '{review.status.label}': a review without a meeting is "
            "recorded instead of its first meeting."
        )
    if review.meetings:
        raise ChangeRefused(
            "A meeting is already recorded on this review. Remove it first, or hold the review "
            "as a meeting."
        )
    last = last_changed_on(review)
    if last is not None and on < last:
        raise ChangeRefused(
            f"The date {say_date(on)} is before the review's last change of status on "
            f"{say_date(last)}."
        )
    why = why_meeting_needed(episodes, on)
    if why is not None:
        raise ChangeRefused(why)
    if review.participation_code in MEETING_CODES:
        raise ChangeRefused(
            f"The participation code {review.participation_code} says the child attended a "
            "meeting. Without a meeting choose PN5 (an advocate spoke for the child), PN6 (the "
            "child's views were conveyed another way) or PN7 (no views)."
        )
    meeting = Meeting(on=on, venue=NO_MEETING_VENUE, held=True, final=True)
    held = moved(replace(review, meetings=(meeting,), without_meeting=True), ReviewStatus.HELD, on)
    updated = moved(held, ReviewStatus.COMPLETED, on, "Review held without a meeting")
    return event(
        EventKind.STATUS_CHANGED,
        review,
        updated,
        on=on,
        changed=("status", "history", "meetings", "without_meeting"),
        summary=(
            f"The review was held without a meeting (long-term foster placement) and completed "
            f"on {say_date(on)}."
        ),
    )
