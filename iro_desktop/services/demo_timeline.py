"""A demo child's timeline of reviews, and the mid-point and case overview notes around them."""

from __future__ import annotations

from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.review import (
    CaseOverview,
    MidPointReview,
    Progress,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewKind,
    ReviewStatus,
)
from iro_desktop.services.demo_records import _booked_review, _held_review, _settle
from iro_desktop.services.demo_review_parts import _Ctx, _Spec
from iro_desktop.services.demo_tables import (
    NOT_HELD,
    RECENT_AGE,
    S,
    on_or_before,
    working_near,
)


def _timeline(
    ctx: _Ctx, kind: ReviewKind, start: date, until: date, held_before: list[date]
) -> tuple[list[_Spec], _Spec | None]:
    """The reviews held from `start` to `until`, and the next one if it falls due by then.

    Looked-after reviews follow reg 33 from the period's start; pathway plan reviews every 6
    months from the last review (`held_before`: the looked-after ones before leaving care).
    Every review is held on a working day after `start` and no later than `until`.
    """
    rng = ctx.rng
    specs: list[_Spec] = []
    held: list[date] = []
    while True:
        if kind is ReviewKind.LOOKED_AFTER:
            due = timescales.next_review_due(start, held, calendar=ctx.calendar)
        else:
            last = (held or held_before or [start])[-1]
            due = timescales.pathway_review_due(last)
        spec = _Spec(kind, len(specs) + 1, due, None)
        if due > until:
            return specs, spec
        if due > until - timedelta(days=40) and ctx.chance(0.12):
            return specs, spec  # a review now overdue: the dashboard must make it obvious
        previous = held[-1] if held else start
        if held and ctx.chance(0.03) and (due - previous).days > 100:
            when, spec.extra = due - timedelta(days=rng.randint(30, 70)), True
        elif ctx.chance(0.08):
            when = due + timedelta(days=rng.randint(1, 25))
        else:
            when = due - timedelta(days=rng.randint(0, 12))
        lowest = previous + timedelta(days=14 if held else 1)
        on = _working_between(ctx, when, lowest, until)
        if on is None:
            return specs, spec
        spec.held = on
        specs.append(spec)
        held.append(on)


def _working_between(ctx: _Ctx, wanted: date, lowest: date, highest: date) -> date | None:
    """A working day at or near `wanted`, within lowest..highest (None if there is none)."""
    wanted = min(max(wanted, lowest), highest)
    return working_near(ctx.rng, ctx.calendar, wanted, lowest, highest, spread=4)


def _natural_target(ctx: _Ctx, last_held: date | None) -> ReviewStatus:
    """Where the latest review has got to, from how long ago it was held."""
    age = (ctx.as_of - last_held).days if last_held else 999
    rng = ctx.rng
    if age <= 3:
        return S.HELD
    if age <= 7:
        return rng.choice([S.COMPLETED, S.RECOMMENDATIONS_ISSUED])
    if age <= 14:
        return rng.choice([S.RECOMMENDATIONS_ISSUED, S.LETTER_DRAFTED])
    if age <= 21:
        return rng.choice([S.LETTER_DRAFTED, S.SUBMITTED])
    if age <= 30:
        return rng.choice([S.SUBMITTED, S.APPROVED, S.ISSUED])
    if age <= 90 and ctx.chance(0.06):
        return rng.choice([S.COMPLETED, S.RECOMMENDATIONS_ISSUED])  # recording overdue
    return S.ISSUED


def _reviews_of(
    ctx: _Ctx,
    kind: ReviewKind,
    start: date,
    until: date,
    target: ReviewStatus | None,
    held_before: list[date],
    *,
    final: bool,
) -> list[Review]:
    """Build one cycle of reviews; `final` is the cycle the child is in now."""
    ctx.since = ctx.working(start)
    specs, upcoming = _timeline(ctx, kind, start, until, held_before)
    if final and target in RECENT_AGE and specs:
        # A showcase child's last review was held a set number of days ago (never much later
        # than it was due, so the showcase does not make a review late).
        moved = on_or_before(ctx.calendar, ctx.as_of - timedelta(days=RECENT_AGE[target]))
        floor = specs[-2].held if len(specs) > 1 and specs[-2].held else start
        if floor + timedelta(days=14) < moved <= specs[-1].due + timedelta(days=7):
            specs[-1].held = moved
    last_held = specs[-1].held if specs else None
    if target is None and (final or (last_held and (ctx.as_of - last_held).days < 30)):
        # A cycle that ended recently (the child left care) may still be being recorded.
        target = _natural_target(ctx, last_held)
    reviews = []
    for i, spec in enumerate(specs):
        latest = i == len(specs) - 1
        status = target if latest and target and target not in NOT_HELD else S.ISSUED
        assert status is not None
        review = _held_review(ctx, spec, status, rich=i >= len(specs) - 2)
        if rv.reached(review.status, S.RECOMMENDATIONS_ISSUED):
            review = _settle(ctx, review, current_cycle=final and latest)
        reviews.append(review)
    still_recording = (
        final and target is not None and target not in NOT_HELD and target is not S.ISSUED
    )
    if final and upcoming is not None and not (still_recording and specs):
        if specs and specs[-1].held:
            # The next review is due from the last one actually held.
            upcoming.due = (
                timescales.next_review_due(
                    start, [s.held for s in specs if s.held], calendar=ctx.calendar
                )
                if kind is ReviewKind.LOOKED_AFTER
                else timescales.pathway_review_due(specs[-1].held)
            )
        booked_target = target if target in NOT_HELD else _upcoming_target(ctx, upcoming.due)
        reviews.append(_booked_review(ctx, upcoming, booked_target))
    return reviews


def _upcoming_target(ctx: _Ctx, due: date) -> ReviewStatus:
    if due <= ctx.as_of:
        return ctx.rng.choice([S.PLANNED, S.PLANNED, S.STOOD_DOWN, S.PREPARING])
    if (due - ctx.as_of).days <= 42:
        return ctx.rng.choices([S.PREPARING, S.PLANNED, S.STOOD_DOWN], weights=[65, 27, 8])[0]
    return S.PLANNED


def _footprint(ctx: _Ctx, reviews: list[Review]) -> list[MidPointReview | CaseOverview]:
    """Mid-point reviews halfway to the next review, and the odd case overview."""
    notes: list[MidPointReview | CaseOverview] = []
    issued = [r for r in reviews if r.status is S.ISSUED]
    booked = [r for r in reviews if r.status in NOT_HELD]
    # Most IROs record the mid-point review the profile asks for; a few are still to do.
    if issued and booked and ctx.chance(0.9):
        last = issued[-1]
        held = rv.first_meeting_date(last)
        if held is not None and booked[-1].due_on > held:
            middle = timescales.mid_point_review_date(
                held, booked[-1].due_on, calendar=ctx.calendar
            )
            when = _working_between(ctx, middle, held, ctx.today)
            if when is not None and middle <= ctx.as_of:
                progress = []
                for rec in last.recommendations:
                    if (
                        rec.status is RecommendationStatus.DONE
                        and rec.status_on
                        and rec.status_on <= when
                    ):
                        state = Progress.DONE
                    elif rec.status is RecommendationStatus.DROPPED:
                        continue
                    elif rec.due_on and rec.due_on < when:
                        state = Progress.DELAYED
                    else:
                        state = Progress.ON_TRACK
                    progress.append(
                        RecommendationProgress(recommendation_id=rec.id, progress=state)
                    )
                notes.append(
                    MidPointReview(
                        id=ctx.next_id(),
                        child_id=ctx.child.id,
                        review_id=last.id,
                        held_on=when,
                        author=ctx.child.allocated_iro,
                        notes="Checked progress with the social worker and carer."
                        if last.kind is ReviewKind.LOOKED_AFTER
                        else "Checked progress with the young person and their PA.",
                        progress=tuple(progress),
                    )
                )
    period = ctx.child.periods[-1]
    if ctx.chance(0.3) and period.end is None:
        wanted = ctx.as_of - timedelta(days=ctx.rng.randint(5, 120))
        written = _working_between(ctx, wanted, period.start, ctx.today)
        if written is not None:
            notes.append(
                CaseOverview(
                    id=ctx.next_id(),
                    child_id=ctx.child.id,
                    written_on=written,
                    author=ctx.child.allocated_iro,
                    text="Case overview: placement stable; permanence plan on track.",
                )
            )
    return notes
