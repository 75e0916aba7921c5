"""What a change to a review did: the event returned alongside every new Review.

Every change function returns a `ReviewChange(review, event)`. The event says which fields
changed (so the UI redraws only those) and carries one plain sentence for the audit trail.
A change the rules do not allow raises `ChangeRefused` (a ValueError) with the reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from iro_desktop.domain.review_codec import Record
from iro_desktop.domain.review_record import Review, ReviewStatus, StatusChange


class ChangeRefused(ValueError):
    """The review cannot be changed this way; the message says why, for the IRO."""


class TransitionRefused(ChangeRefused):
    """The review cannot move to the requested status; the message says why."""


class EventKind(enum.StrEnum):
    STATUS_CHANGED = "status_changed"
    RETURNED = "returned"
    STOOD_DOWN = "stood_down"
    REARRANGED = "rearranged"
    MARKED_EXTRA = "marked_extra"
    RECORD_EDITED = "record_edited"
    MEETING_ADDED = "meeting_added"
    MEETING_UPDATED = "meeting_updated"
    MEETING_REMOVED = "meeting_removed"
    RECOMMENDATION_ADDED = "recommendation_added"
    RECOMMENDATION_EDITED = "recommendation_edited"
    RECOMMENDATION_DONE = "recommendation_done"
    RECOMMENDATION_DROPPED = "recommendation_dropped"
    RECOMMENDATION_REOPENED = "recommendation_reopened"
    MID_POINT_RECORDED = "mid_point_recorded"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewEvent(Record):
    kind: EventKind
    review_id: str
    on: date
    from_status: ReviewStatus
    to_status: ReviewStatus
    changed: tuple[str, ...]
    summary: str
    reason: str = ""


class ReviewChange(NamedTuple):
    review: Review
    event: ReviewEvent


def event(
    kind: EventKind,
    before: Review,
    after: Review,
    *,
    on: date,
    changed: tuple[str, ...],
    summary: str,
    reason: str = "",
) -> ReviewChange:
    return ReviewChange(
        after,
        ReviewEvent(
            kind=kind,
            review_id=after.id,
            on=on,
            from_status=before.status,
            to_status=after.status,
            changed=changed,
            summary=summary,
            reason=reason,
        ),
    )


def require_reason(
    reason: str | None, message: str, refusal: type[ChangeRefused] = ChangeRefused
) -> str:
    """The reason, trimmed; refuse a missing or blank one with `message`."""
    text = (reason or "").strip()
    if not text:
        raise refusal(message)
    return text


def refuse_if_signed_off(review: Review, what: str) -> None:
    """Refuse to `what` once the record has gone for sign-off, saying how to get it back."""
    if review.status is ReviewStatus.SUBMITTED:
        raise ChangeRefused(
            f"The review is with the manager for sign-off: to {what}, the letter must be "
            "returned from sign-off first."
        )
    if review.status in (ReviewStatus.APPROVED, ReviewStatus.ISSUED):
        raise ChangeRefused(
            f"The review has been {review.status.label.lower()}, so you cannot {what} now; "
            "corrections are made as a new version of the letter."
        )


def moved(review: Review, to: ReviewStatus, on: date, reason: str = "") -> Review:
    """The review with its status changed and the change added to its history."""
    change = StatusChange(on=on, from_status=review.status, to_status=to, reason=reason)
    return replace(review, status=to, history=(*review.history, change))


def last_changed_on(review: Review) -> date | None:
    return review.history[-1].on if review.history else None
