"""Recommendations: SMART-ness checks, and tracking them to completion between reviews.

Vague wording is flagged, never blocked: the IRO may have good reason, but "monitor" and
"continue to" are how plans drift, so the program says so each time. Marking a recommendation
done or dropped is allowed at any point after the review (that is the tracking), whereas its
wording is fixed once the record has gone for sign-off.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from iro_desktop.domain.review_events import (
    ChangeRefused,
    EventKind,
    ReviewChange,
    event,
    refuse_if_signed_off,
    require_reason,
)
from iro_desktop.domain.review_record import (
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewStatus,
    say_date,
)

_VAGUE: tuple[tuple[str, str], ...] = (
    (
        r"\bmonitor(?:s|ed|ing)?\b",
        "'monitor' does not say what will be done: say the action and how we will know.",
    ),
    (
        r"\bconsider(?:s|ed|ing|ation)?\b",
        "'consider' commits no one: say what will be decided, by whom.",
    ),
    (
        r"\bexplor(?:e|es|ed|ing|ation)\b",
        "'explore' has no end point: say what will be found out or decided.",
    ),
    (
        r"\bcontinu(?:e|es|ed|ing) to\b",
        "'continue to' describes what already happens: say what will change.",
    ),
    (r"\bas appropriate\b", "'as appropriate' leaves it open: say exactly what or when."),
    (r"\bon-?going\b", "'ongoing' has no end: give the date it will be done by."),
    (r"\bas (?:necessary|required|needed)\b", "'as necessary' leaves it open: say when."),
    (
        r"\b(?:where|when|if) possible\b",
        "'where possible' makes it optional: say what will happen.",
    ),
    (r"\bas and when\b", "'as and when' leaves it open: say when."),
)
_VAGUE_RE = tuple((re.compile(pattern, re.IGNORECASE), why) for pattern, why in _VAGUE)

# Owners that are not one accountable person or service.
_GROUP_OWNERS = frozenset(
    {
        "all",
        "everyone",
        "all professionals",
        "professionals",
        "all parties",
        "network",
        "professional network",
        "the network",
        "team",
        "the team",
        "tbc",
        "tba",
    }
)


def vague_findings(rec: Recommendation) -> list[tuple[str, str]]:
    """(field, reason) pairs: which part of the recommendation is not SMART, and why."""
    found: list[tuple[str, str]] = []
    if not rec.action.strip():
        found.append(("action", "No action is written."))
    owner = rec.owner.strip()
    if not owner:
        found.append(("owner", "No owner: say who will do it."))
    elif owner.lower().rstrip(".") in _GROUP_OWNERS:
        found.append(("owner", f"'{owner}' is not one person: name who will do it."))
    if rec.due_on is None:
        found.append(("due_on", "No due date: say by when."))
    for pattern, why in _VAGUE_RE:
        if pattern.search(rec.action):
            found.append(("action", why))
    return found


def vague_reasons(rec: Recommendation) -> list[str]:
    """Why a recommendation is not SMART: no owner, no due date, or vague words."""
    return [why for _, why in vague_findings(rec)]


# --- tracking -----------------------------------------------------------------------------


class Tracking(enum.StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"
    DROPPED = "dropped"


def tracking_state(rec: Recommendation, as_of: date) -> Tracking:
    """Where a recommendation stands on `as_of`: overdue once its due date has passed."""
    if rec.status is RecommendationStatus.DROPPED:
        return Tracking.DROPPED
    if rec.status is RecommendationStatus.DONE:
        late = rec.due_on is not None and rec.status_on is not None and rec.status_on > rec.due_on
        return Tracking.DONE_LATE if late else Tracking.DONE
    if rec.due_on is not None and rec.due_on < as_of:
        return Tracking.OVERDUE
    return Tracking.OPEN


def overdue(recs: Iterable[Recommendation], as_of: date) -> tuple[Recommendation, ...]:
    return tuple(r for r in recs if tracking_state(r, as_of) is Tracking.OVERDUE)


@dataclass(frozen=True, slots=True)
class TrackingSummary:
    open: int
    overdue: int
    done: int
    done_late: int
    dropped: int

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done + self.done_late + self.dropped


def tracking_summary(recs: Iterable[Recommendation], as_of: date) -> TrackingSummary:
    counts = dict.fromkeys(Tracking, 0)
    for rec in recs:
        counts[tracking_state(rec, as_of)] += 1
    return TrackingSummary(
        open=counts[Tracking.OPEN],
        overdue=counts[Tracking.OVERDUE],
        done=counts[Tracking.DONE],
        done_late=counts[Tracking.DONE_LATE],
        dropped=counts[Tracking.DROPPED],
    )


# --- changing recommendations -------------------------------------------------------------


def next_recommendation_id(review: Review) -> str:
    """The next free id of the form R1, R2, ..."""
    numbers = [
        int(m.group(1)) for r in review.recommendations if (m := re.fullmatch(r"R(\d+)", r.id))
    ]
    return f"R{max(numbers, default=0) + 1}"


def _refuse_wording_change(review: Review) -> None:
    if review.status is ReviewStatus.STOOD_DOWN:
        raise ChangeRefused("The review is stood down: rearrange it before adding recommendations.")
    refuse_if_signed_off(review, "change its recommendations")


def _replace_rec(review: Review, rec: Recommendation) -> Review:
    return replace(
        review,
        recommendations=tuple(rec if r.id == rec.id else r for r in review.recommendations),
    )


def _path(review: Review, rec_id: str) -> str:
    index = next(i for i, r in enumerate(review.recommendations) if r.id == rec_id)
    return f"recommendations[{index}]"


def add_recommendation(review: Review, rec: Recommendation, *, on: date) -> ReviewChange:
    _refuse_wording_change(review)
    if any(r.id == rec.id for r in review.recommendations):
        raise ChangeRefused(f"There is already a recommendation '{rec.id}' on this review.")
    if rec.status is not RecommendationStatus.OPEN:
        raise ChangeRefused("A new recommendation starts open; mark it done afterwards.")
    updated = replace(review, recommendations=(*review.recommendations, rec))
    return event(
        EventKind.RECOMMENDATION_ADDED,
        review,
        updated,
        on=on,
        changed=("recommendations", f"recommendations[{len(review.recommendations)}]"),
        summary=f"Recommendation {rec.id} was added.",
    )


def edit_recommendation(review: Review, rec: Recommendation, *, on: date) -> ReviewChange:
    """Reword a recommendation (its action, owner, due date, child wording)."""
    _refuse_wording_change(review)
    old = review.recommendation(rec.id)
    if (old.status, old.status_on, old.status_note) != (rec.status, rec.status_on, rec.status_note):
        raise ChangeRefused(
            "Mark a recommendation done, dropped or reopened with its own action, not by "
            "editing it."
        )
    return event(
        EventKind.RECOMMENDATION_EDITED,
        review,
        _replace_rec(review, rec),
        on=on,
        changed=(_path(review, rec.id),),
        summary=f"Recommendation {rec.id} was edited.",
    )


def mark_done(review: Review, rec_id: str, *, on: date, note: str = "") -> ReviewChange:
    old = review.recommendation(rec_id)
    if old.status is RecommendationStatus.DONE:
        when = f" on {say_date(old.status_on)}" if old.status_on else ""
        raise ChangeRefused(f"Recommendation {rec_id} was already marked done{when}.")
    rec = replace(old, status=RecommendationStatus.DONE, status_on=on, status_note=note.strip())
    late = old.due_on is not None and on > old.due_on
    summary = f"Recommendation {rec_id} was marked done" + (
        f", after its due date of {say_date(old.due_on)}." if late and old.due_on else "."
    )
    return event(
        EventKind.RECOMMENDATION_DONE,
        review,
        _replace_rec(review, rec),
        on=on,
        changed=(_path(review, rec_id),),
        summary=summary,
        reason=note.strip(),
    )


def drop_recommendation(
    review: Review, rec_id: str, *, on: date, reason: str | None
) -> ReviewChange:
    old = review.recommendation(rec_id)
    if old.status is RecommendationStatus.DROPPED:
        raise ChangeRefused(f"Recommendation {rec_id} was already dropped.")
    text = require_reason(reason, "Give a reason for dropping the recommendation.")
    rec = replace(old, status=RecommendationStatus.DROPPED, status_on=on, status_note=text)
    return event(
        EventKind.RECOMMENDATION_DROPPED,
        review,
        _replace_rec(review, rec),
        on=on,
        changed=(_path(review, rec_id),),
        summary=f"Recommendation {rec_id} was dropped.",
        reason=text,
    )


def reopen_recommendation(
    review: Review, rec_id: str, *, on: date, reason: str | None
) -> ReviewChange:
    old = review.recommendation(rec_id)
    if old.status is RecommendationStatus.OPEN:
        raise ChangeRefused(f"Recommendation {rec_id} is already open.")
    text = require_reason(reason, "Give a reason for reopening the recommendation.")
    rec = replace(old, status=RecommendationStatus.OPEN, status_on=on, status_note=text)
    return event(
        EventKind.RECOMMENDATION_REOPENED,
        review,
        _replace_rec(review, rec),
        on=on,
        changed=(_path(review, rec_id),),
        summary=f"Recommendation {rec_id} was reopened.",
        reason=text,
    )
