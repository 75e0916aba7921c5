"""The IRO's oversight between reviews, for the child's page and the command line: mid-point
reviews (recorded by `services.reviews.record_midpoint`), the IRO's own visits to the child,
and when the next mid-point review is due.

A visit is kept as a footprint note (kind "iro_visit") beside mid-point reviews and case
overviews; it counts as the IRO's contact with the child before the next review.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.review_footprint import (
    FootprintEntry,
    FootprintKind,
    IroVisit,
    Progress,
    RecommendationProgress,
)
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo

# Reviews a mid-point review can follow: held and completed (the recommendations exist).
AFTER_COMPLETION = frozenset(
    {"completed", "recommendations_issued", "letter_drafted", "submitted", "approved", "issued"}
)
PROGRESS_WORDS = {
    Progress.ON_TRACK: "On track",
    Progress.DONE: "Done",
    Progress.DELAYED: "Delayed",
    Progress.NOT_STARTED: "Not started",
    Progress.DROPPED: "No longer needed",
}


@dataclass(frozen=True, slots=True)
class RecommendationLine:
    id: str
    action: str
    status: str


@dataclass(frozen=True, slots=True)
class Oversight:
    """What the child's page shows of the IRO's oversight between reviews."""

    entries: tuple[FootprintEntry, ...]  # newest first: mid-point reviews, visits, overviews
    visits: tuple[IroVisit, ...]
    midpoints: int
    midpoint_due_on: date | None
    days_since: int | None
    # The review a mid-point review would be recorded against, and its recommendations.
    last_review_id: str | None
    last_review_on: date | None
    recommendations: tuple[RecommendationLine, ...]


def _who(session: CaseloadSession, s: object) -> str:
    user = repo.get_user(s, session.username)  # type: ignore[arg-type]
    return (user or {}).get("display_name") or session.username


def record_iro_visit(
    session: CaseloadSession,
    child_id: str,
    *,
    visited_on: date | None = None,
    seen_alone: bool | None = None,
    note: str = "",
) -> IroVisit:
    """The IRO saw the child between reviews (`child_id` may be the LA number)."""
    when = visited_on or session.clock.today()
    timescales.check_not_after_today(when, session.clock.today(), "visit date")
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        if when < child.date_of_birth:
            raise ValueError("The visit cannot be before the child was born.")
        visit = IroVisit(
            id=str(uuid.uuid4()),
            child_id=child.id,
            visited_on=when,
            author=_who(session, s),
            seen_alone=seen_alone,
            note=note.strip(),
        )
        reviews_repo.save_footprint_note(
            s,
            note_id=visit.id,
            child_id=child.id,
            review_id=None,
            kind=FootprintKind.IRO_VISIT.value,
            on=when,
            author=visit.author,
            record=visit.to_dict(),
            now=session.now(),
        )
        session.audit(s, "create", "IRO visit", child.id, visit.id)
    return visit


def _visits(notes: Iterable[tuple[str, dict[str, object]]]) -> list[IroVisit]:
    found = []
    for kind, record in notes:
        if kind == FootprintKind.IRO_VISIT.value:
            try:
                found.append(IroVisit.from_dict(record))
            except (ValueError, TypeError):
                continue  # an unreadable note is skipped rather than hiding the rest
    return sorted(found, key=lambda v: v.visited_on, reverse=True)


def visit_words(visit: IroVisit) -> str:
    alone = {True: " (seen alone)", False: " (not seen alone)", None: ""}[visit.seen_alone]
    first = visit.note.strip().splitlines()[0] if visit.note.strip() else ""
    return f"Visited the child{alone}" + (f": {first}" if first else "")


def oversight(session: CaseloadSession, child_id: str) -> Oversight:
    from iro_desktop.services import reviews as review_service

    footprint = review_service.child_footprint(session, child_id)
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        visits = _visits(reviews_repo.footprint_notes(s, child.id))
    lines = review_service.list_reviews(session, child.id)
    done = [r for r in lines if r.status in AFTER_COMPLETION and r.readable]
    last = max(done, key=lambda r: (r.completed_on or r.due_date, r.id), default=None)
    recommendations: tuple[RecommendationLine, ...] = ()
    if last is not None:
        review = review_service.get_review(session, last.id).review
        recommendations = tuple(
            RecommendationLine(
                r.id, r.action or r.child_wording or "Recommendation", r.status.value
            )
            for r in review.recommendations
        )
    visit_entries = [
        FootprintEntry(
            on=v.visited_on, kind=FootprintKind.IRO_VISIT, author=v.author, summary=visit_words(v)
        )
        for v in visits
    ]
    entries = tuple(sorted((*footprint.entries, *visit_entries), key=lambda e: e.on, reverse=True))
    return Oversight(
        entries=entries,
        visits=tuple(visits),
        midpoints=len(footprint.midpoints),
        midpoint_due_on=footprint.midpoint_due_on if session.profile.midpoint_reviews else None,
        days_since=rv.days_since_footprint(entries, session.clock.today()),
        last_review_id=last.id if last is not None else None,
        last_review_on=(last.completed_on if last is not None else None),
        recommendations=recommendations,
    )


def progress_from_words(pairs: Iterable[tuple[str, str]]) -> tuple[RecommendationProgress, ...]:
    """(recommendation id, progress value or words) pairs, as the forms and commands give them."""
    by_words = {w.casefold(): p for p, w in PROGRESS_WORDS.items()}
    out = []
    for rec_id, said in pairs:
        key = said.strip().casefold().replace("-", "_").replace(" ", "_")
        try:
            progress = Progress(key)
        except ValueError:
            found = by_words.get(said.strip().casefold())
            if found is None:
                choices = ", ".join(p.value for p in Progress)
                raise ValueError(f"Progress '{said}' is not one of: {choices}.") from None
            progress = found
        out.append(RecommendationProgress(recommendation_id=rec_id, progress=progress))
    return tuple(out)
