"""A synthetic demo caseload: realistic shape, obviously invented people.

Deterministic for a seed and an 'as of' date. The proportions come from the seeds (Manchester
and Cheshire East annual reports): PN codes as Manchester 2018/19, about 6% UASC, about half
placed outside the authority, about 8% of reviews late, 40% rearranged (Cheshire East 44%),
81% of children consulted before their review, about a quarter of consultation forms returned,
a few reviews held as a series of meetings, extra reviews, stood-down reviews, and care
leavers' pathway plan reviews.

Every review is a real domain record, built through the lifecycle functions an IRO's actions
call (plan, rearrange, stand down, prepare, hold, complete, issue...), so the demo shows each
state a review can be in. The first ten children of every demo between them show all ten.

Only what could really happen: every child and episode passes the DfE's rules
(domain.episode_rules, and the returns it makes pass Social Finance's validator), everything
people do falls on a working day of the session's calendar, and what the records say fits the
child's age. The parts: demo_children (who, and their care history: demo_identity,
demo_episodes, demo_places, demo_people), demo_timeline and demo_records (the reviews),
demo_phrases (what notes say, by age) and demo_tables (names and proportions).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.caseload import Child
from iro_desktop.domain.review import (
    CaseOverview,
    MidPointReview,
    Review,
    ReviewKind,
    ReviewStatus,
)
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.demo_children import generate_children
from iro_desktop.services.demo_review_parts import _Ctx
from iro_desktop.services.demo_tables import SHOWCASE
from iro_desktop.services.demo_timeline import _footprint, _reviews_of
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo


@dataclass
class DemoReview:
    """One demo review: the domain record and, for the storage benchmark, its summary."""

    child_id: str
    kind: str
    status: str
    sequence: int
    due: date
    held: date | None
    pn_code: str
    period_start: date | None
    review: Review


@dataclass
class DemoCaseload:
    children: list[Child]
    reviews: list[DemoReview]
    notes: list[MidPointReview | CaseOverview]


def _demo_review(review: Review, period_start: date) -> DemoReview:
    return DemoReview(
        child_id=review.child_id,
        kind=review.kind.value,
        status=review.status.value,
        sequence=review.sequence or 1,
        due=review.due_on,
        held=rv.first_meeting_date(review),
        pn_code=review.participation_code or "",
        period_start=period_start,
        review=review,
    )


def _reviews_for(ctx: _Ctx, child: Child, target: ReviewStatus | None) -> list[tuple[Review, date]]:
    """Every review of the child, each with the start of its period of care: looked-after
    reviews in each period, then pathway plan reviews for a care leaver."""
    out: list[tuple[Review, date]] = []
    held: list[date] = []
    last = len(child.periods) - 1
    for n, period in enumerate(child.periods):
        if period.end is None:
            reviews = _reviews_of(
                ctx, ReviewKind.LOOKED_AFTER, period.start, ctx.as_of, target, [], final=True
            )
        else:
            # Looked-after reviews stop the day before care ends (never at 18 or after).
            until = period.end - timedelta(days=1)
            reviews = _reviews_of(
                ctx, ReviewKind.LOOKED_AFTER, period.start, until, None, [], final=False
            )
        held = [d for r in reviews if (d := rv.first_meeting_date(r)) is not None]
        out += [(r, period.start) for r in reviews]
        if n == last and period.end is not None and child.care_leaver:
            pathway = _reviews_of(
                ctx, ReviewKind.PATHWAY_PLAN, period.end, ctx.as_of, target, held, final=True
            )
            out += [(r, period.start) for r in pathway]
    return out


def generate_caseload(
    n: int,
    seed: int,
    as_of: date,
    iro_names: list[str],
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> DemoCaseload:
    """The whole demo, without the store: children (demo_children), then each child's
    reviews and footprint notes from a random stream of its own."""
    children = generate_children(n, seed, as_of, iro_names, calendar)
    caseload = DemoCaseload(children, [], [])
    for i, child in enumerate(children):
        rng = random.Random(f"demo-reviews:{seed}:{i}")

        def next_id(rng: random.Random = rng) -> str:
            return str(uuid.UUID(int=rng.getrandbits(128)))

        ctx = _Ctx(rng, child, as_of, calendar, next_id)
        for person in child.people:
            ctx.people.setdefault(person.role, person.name)
        target = SHOWCASE[i] if i < len(SHOWCASE) else None
        reviews = _reviews_for(ctx, child, target)
        caseload.reviews += [_demo_review(r, start) for r, start in reviews]
        caseload.notes += _footprint(ctx, [r for r, _ in reviews])
    return caseload


def generate(
    n: int, seed: int, as_of: date, iro_names: list[str]
) -> tuple[list[Child], list[DemoReview]]:
    """The demo children and their reviews (each DemoReview carries its domain record)."""
    caseload = generate_caseload(n, seed, as_of, iro_names)
    return caseload.children, caseload.reviews


def load_demo(
    session: CaseloadSession,
    n: int,
    seed: int,
    as_of: date | None = None,
    iro_names: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    letters: bool = False,
) -> int:
    """Generate and store a demo caseload in one transaction. Returns the number of children.

    With `letters`, each review that has reached its letter gets one to match (`--demo`
    asks for them; without, the tests' caseload stays as it was and loads faster)."""
    from iro_desktop.services.escalations import load_demo_escalations
    from iro_desktop.services.reviews import series_basis

    as_of = as_of or session.clock.today()
    names = iro_names or [session.user.get("display_name") or session.username]
    caseload = generate_caseload(n, seed, as_of, names, session.profile.calendar)
    by_child: dict[str, list[DemoReview]] = {}
    for r in caseload.reviews:
        by_child.setdefault(r.child_id, []).append(r)
    basis = series_basis(session)
    now = session.now()
    with session.unit_of_work() as s:
        for i, child in enumerate(caseload.children):
            repo.save_child(s, child, now)
            for r in by_child.get(child.id, []):
                period_id = repo.period_id_for(s, child.id, r.period_start)
                reviews_repo.save_review(
                    s, r.review, basis=basis, now=now, period_id=period_id, new=True
                )
            if progress:
                progress(i + 1, len(caseload.children))
        for note in caseload.notes:
            midpoint = isinstance(note, MidPointReview)
            reviews_repo.save_footprint_note(
                s,
                note_id=note.id,
                child_id=note.child_id,
                review_id=note.review_id if isinstance(note, MidPointReview) else None,
                kind=(
                    rv.FootprintKind.MID_POINT_REVIEW
                    if midpoint
                    else rv.FootprintKind.CASE_OVERVIEW
                ).value,
                on=note.held_on if isinstance(note, MidPointReview) else note.written_on,
                author=note.author,
                record=note.to_dict(),
                now=now,
            )
        session.audit(s, "create", "caseload", "demo", f"demo caseload: {n} children, seed {seed}")
    load_demo_escalations(session, seed, as_of=as_of)
    if letters:  # to match the reviews' states (an "approved" review has its approved letter)
        from iro_desktop.services.demo_letters import add_demo_letters

        add_demo_letters(session, (r.review for r in caseload.reviews))
    return len(caseload.children)
