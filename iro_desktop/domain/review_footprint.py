"""Between reviews: mid-point reviews, case overviews, and the IRO footprint they make.

The IRO's second statutory task is monitoring the child's case between reviews. What the IRO
records of it (mid-point reviews of progress on each recommendation, case overview notes) is
the "IRO footprint" on the child's file; inspectors look for it, and gaps in it are how drift
goes unnoticed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from iro_desktop.domain.recommendations import drop_recommendation, mark_done
from iro_desktop.domain.review_codec import Record
from iro_desktop.domain.review_events import (
    ChangeRefused,
    EventKind,
    ReviewChange,
    event,
)
from iro_desktop.domain.review_record import RecommendationStatus, Review, say_date


class Progress(enum.StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    DELAYED = "delayed"
    NOT_STARTED = "not_started"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecommendationProgress(Record):
    recommendation_id: str
    progress: Progress
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MidPointReview(Record):
    """The IRO's check on progress halfway between reviews, against the last review."""

    id: str
    child_id: str
    review_id: str
    held_on: date
    author: str
    notes: str = ""
    progress: tuple[RecommendationProgress, ...] = ()

    def needs_attention(self) -> tuple[RecommendationProgress, ...]:
        """Recommendations that are delayed or not started: where drift begins."""
        return tuple(
            p for p in self.progress if p.progress in (Progress.DELAYED, Progress.NOT_STARTED)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseOverview(Record):
    id: str
    child_id: str
    written_on: date
    author: str
    text: str


def midpoint_date(review_completed_on: date, next_review_due: date) -> date:
    """Halfway between the review and the next one's due date (rounded down)."""
    if next_review_due < review_completed_on:
        raise ValueError(
            f"The next review's due date ({say_date(next_review_due)}) is before the review "
            f"({say_date(review_completed_on)})."
        )
    return review_completed_on + timedelta(days=(next_review_due - review_completed_on).days // 2)


def apply_midpoint(review: Review, midpoint: MidPointReview) -> ReviewChange:
    """Carry a mid-point review's findings onto the review's recommendations.

    Progress DONE marks the recommendation done on the mid-point date; DROPPED drops it with
    the note as the reason. Other progress is recorded on the mid-point review only.
    """
    if midpoint.review_id != review.id:
        raise ChangeRefused(
            f"This mid-point review is about review '{midpoint.review_id}', not '{review.id}'."
        )
    current = review
    changed: list[str] = []
    for item in midpoint.progress:
        rec = current.recommendation(item.recommendation_id)
        if item.progress is Progress.DONE and rec.status is not RecommendationStatus.DONE:
            current, ev = mark_done(
                current, rec.id, on=midpoint.held_on, note=item.note or "Mid-point review"
            )
            changed.extend(ev.changed)
        elif item.progress is Progress.DROPPED and rec.status is not RecommendationStatus.DROPPED:
            current, ev = drop_recommendation(
                current, rec.id, on=midpoint.held_on, reason=item.note
            )
            changed.extend(ev.changed)
    return event(
        EventKind.MID_POINT_RECORDED,
        review,
        current,
        on=midpoint.held_on,
        changed=tuple(dict.fromkeys(changed)),
        summary=f"Mid-point review on {say_date(midpoint.held_on)} recorded against the review.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class IroVisit(Record):
    """The IRO seeing the child between reviews (it also counts as the IRO's contact with
    the child before the next review, when it falls in the visit window)."""

    id: str
    child_id: str
    visited_on: date
    author: str
    seen_alone: bool | None = None
    note: str = ""


class FootprintKind(enum.StrEnum):
    MID_POINT_REVIEW = "mid_point_review"
    CASE_OVERVIEW = "case_overview"
    IRO_VISIT = "iro_visit"
    OTHER = "other"  # e.g. an escalation, added by the caller


@dataclass(frozen=True, slots=True, kw_only=True)
class FootprintEntry:
    on: date
    kind: FootprintKind
    author: str
    summary: str


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def footprint(
    midpoints: Iterable[MidPointReview],
    overviews: Iterable[CaseOverview],
    others: Iterable[FootprintEntry] = (),
) -> tuple[FootprintEntry, ...]:
    """The IRO's recorded oversight of the child's case, newest first."""
    entries = [
        FootprintEntry(
            on=m.held_on,
            kind=FootprintKind.MID_POINT_REVIEW,
            author=m.author,
            summary=_first_line(m.notes) or "Mid-point review",
        )
        for m in midpoints
    ]
    entries += [
        FootprintEntry(
            on=o.written_on,
            kind=FootprintKind.CASE_OVERVIEW,
            author=o.author,
            summary=_first_line(o.text) or "Case overview",
        )
        for o in overviews
    ]
    entries += list(others)
    return tuple(sorted(entries, key=lambda e: e.on, reverse=True))


def days_since_footprint(entries: Iterable[FootprintEntry], today: date) -> int | None:
    """Days since the IRO last recorded oversight; None if never."""
    latest = max((e.on for e in entries if e.on <= today), default=None)
    return None if latest is None else (today - latest).days


def with_progress(midpoint: MidPointReview, progress: RecommendationProgress) -> MidPointReview:
    """The mid-point review with this recommendation's progress added or replaced."""
    others = tuple(
        p for p in midpoint.progress if p.recommendation_id != progress.recommendation_id
    )
    return replace(midpoint, progress=(*others, progress))
