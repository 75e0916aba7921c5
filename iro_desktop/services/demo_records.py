"""Building one demo review record through the lifecycle functions an IRO's actions call.

Every date an IRO or business support would act on (booking, rearranging, consultations,
the visit to the child, meetings, recommendations issued, letter drafted, signed off and
issued) is a working day of the session's calendar, and none is after 'today'.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChairRole,
    Invitee,
    InviteeRole,
    Meeting,
    PlanView,
    Recommendation,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    TopicNote,
)
from iro_desktop.services import demo_phrases as ph
from iro_desktop.services.demo_review_parts import _Ctx, _preparation, _Spec
from iro_desktop.services.demo_tables import (
    _CAME,
    PN_OVER_4,
    PROGRESS_AFTER_HELD,
    STEP_DAYS,
    S,
    _weighted,
    on_or_before,
    working_near,
)


def _pn_code(ctx: _Ctx, held: date) -> str:
    # DfE rules 440/441: PN0 exactly when the child is under 4 on the day of the review.
    if ctx.age(held) < 4:
        return "PN0"
    return _weighted(ctx.rng, PN_OVER_4)


def _child_attendance(ctx: _Ctx, kind: ReviewKind, pn: str | None) -> Attendance:
    if kind is ReviewKind.PATHWAY_PLAN:
        return Attendance.ATTENDED if ctx.chance(0.61) else Attendance.SENT_VIEWS
    if pn in rv.ATTENDED_CODES or (pn == "PN0" and ctx.chance(0.4)):
        return Attendance.ATTENDED
    if pn == "PN7":
        return Attendance.APOLOGIES
    return Attendance.SENT_VIEWS if pn != "PN0" else Attendance.NOT_INVITED


def _attendance(
    ctx: _Ctx, invitees: tuple[Invitee, ...], child: Attendance, keys: set[str] | None = None
) -> tuple[AttendanceEntry, ...]:
    entries = []
    for person in invitees:
        if keys is not None and person.key not in keys:
            continue
        if person.role is InviteeRole.CHILD:
            came = child
        elif ctx.chance(_CAME.get(person.role, 0.3)):
            came = Attendance.ATTENDED
        else:
            came = Attendance.SENT_VIEWS if ctx.chance(0.4) else Attendance.APOLOGIES
        entries.append(AttendanceEntry(key=person.key, attendance=came))
    return tuple(entries)


def _topics(ctx: _Ctx, kind: ReviewKind, held: date, rich: bool) -> tuple[TopicNote, ...]:
    if not rich:
        return ()
    age = ctx.age(held)
    episode = ctx.episode(held)
    status = episode.legal_status if episode else ""
    notes = []
    for topic in rv.topic_checklist(kind, age):
        well, worried, nxt = ph.topic_note(ctx.rng, topic, age, status)
        notes.append(
            TopicNote(
                topic=topic,
                covered=ctx.chance(0.95),
                working_well=well,
                worried_about=worried,
                needs_to_happen=nxt,
            )
        )
    return tuple(notes)


def _recommendations(ctx: _Ctx, held: date) -> list[Recommendation]:
    rng, age = ctx.rng, ctx.age(held)
    table = ph.for_age(ph.RECOMMENDATIONS, age)
    chosen = rng.sample(table, k=min(len(table), rng.randint(2, 4)))
    if ctx.chance(0.05):
        chosen.append((0, 0, ph.pick(rng, ph.VAGUE_RECS, age)[2], "all professionals", ""))
    recs = []
    for i, (_, _, action, role, for_child) in enumerate(chosen, start=1):
        owner = ctx.people.get(role) or role.replace("_", " ").capitalize()
        if role == "all professionals":
            owner = "All professionals"
        recs.append(
            Recommendation(
                id=f"R{i}",
                action=action.format(name=ctx.child.known_as),
                owner=owner,
                due_on=ctx.near(held + timedelta(days=rng.randint(21, 90))),
                child_wording=for_child,
            )
        )
    return recs


def _settle(ctx: _Ctx, review: Review, current_cycle: bool) -> Review:
    """Recommendation tracking after the review: most done, some dropped, some overdue."""
    held = rv.first_meeting_date(review) or review.planned_on
    for rec in review.recommendations:
        assert rec.due_on is not None
        roll = ctx.rng.random()
        if current_cycle and rec.due_on > ctx.today:
            if roll < 0.25 and held < ctx.today:
                review = rv.mark_done(review, rec.id, on=ctx.after(held, 5, 40)).review
            continue
        open_share = 0.25 if current_cycle else 0.03
        if roll < open_share:
            continue  # still open after its due date: overdue
        if roll < open_share + 0.06:
            review = rv.drop_recommendation(
                review,
                rec.id,
                on=ctx.after(held, 10, 40),
                reason="No longer needed after the change of placement",
            ).review
        else:
            near_due = on_or_before(ctx.calendar, rec.due_on + timedelta(ctx.rng.randint(-20, 12)))
            review = rv.mark_done(review, rec.id, on=min(max(near_due, held), ctx.today)).review
    return review


def _planned(ctx: _Ctx, spec: _Spec, held: date) -> tuple[Review, date]:
    """Booked weeks ahead; now and then stood down or rearranged before it was held.
    Returns the review and the date of its last change."""
    rng = ctx.rng
    booked = ctx.before(held, 14, 28) if spec.extra else ctx.before(held, 42, 70)
    stood = ctx.chance(0.05)
    first_plan = held
    if stood:
        first_plan = ctx.before(held, 7, 28)
    elif ctx.chance(0.4):
        shift = rng.randint(3, 21)
        first_plan = ctx.near(held + timedelta(days=shift)) if rng.random() < 0.5 else (
            ctx.before(held, shift, shift))  # fmt: skip
    age = ctx.age(held)
    review = rv.plan_review(
        id=ctx.next_id(),
        child_id=ctx.child.id,
        due_on=spec.due,
        planned_on=first_plan,
        kind=spec.kind,
        sequence=spec.sequence,
        chaired_by=ctx.child.allocated_iro,
        extra_reason=ph.pick(rng, ph.EXTRA_REASONS, age)[2] if spec.extra else None,
    )
    last = booked
    if stood:
        last = max(ctx.before(first_plan, 1, 5), booked)
        reason = ph.pick(rng, ph.STAND_DOWN_REASONS, age)[2]
        review = rv.stand_down(review, on=last, reason=reason).review
    if stood or first_plan != held:
        last = max(ctx.before(min(first_plan, held), 1, 10), last)
        reason = ph.pick(rng, ph.REARRANGE_REASONS, age)[2]
        review = rv.rearrange(review, held, on=last, reason=reason).review
    return review, last


def _child_views(review: Review, pn: str | None, age: int, came: bool) -> tuple[rv.ChildView, ...]:
    """What the child told us, in their own words, when they gave views (age 4 and over).

    Drawn from its own random stream, seeded by the review, so the rest of the demo (names,
    dates) is the same with or without it.
    """
    if age < 4 or (pn is not None and pn not in rv.VIEWS_CONVEYED_CODES):
        return ()
    rng = random.Random(f"{review.id}:child-words")
    rows = [r for r in ph.for_age(ph.CHILD_WORDS, age) if came or r[3] != "in_meeting"]
    if not rows or rng.random() < 0.15:
        return ()  # not every child's words get written down
    picked = rng.sample(rows, k=min(len(rows), rng.choice((1, 2))))
    return tuple(rv.ChildView(words=w, source=rv.ViewSource(src)) for _, _, w, src in picked)


def _held_review(ctx: _Ctx, spec: _Spec, target: ReviewStatus, rich: bool) -> Review:
    """A review taken through the lifecycle from planning to `target` (held or later)."""
    assert spec.held is not None
    rng, cal, held, kind = ctx.rng, ctx.calendar, spec.held, spec.kind
    review, last = _planned(ctx, spec, held)
    prep_on = max(ctx.before(held, 5, 25), last)
    review = rv.transition(review, S.PREPARING, on=prep_on).review
    prep = _preparation(ctx, kind, prep_on, held, rich)
    review = rv.edit_review(review, on=prep_on, preparation=prep).review

    pn = _pn_code(ctx, held) if kind is ReviewKind.LOOKED_AFTER else None
    child_came = _child_attendance(ctx, kind, pn)
    series = ctx.chance(0.06) or (target is S.HELD and ctx.chance(0.5))
    parents = {p.key for p in prep.invitees if p.role is InviteeRole.PARENT}
    first_keys = {p.key for p in prep.invitees} - parents if series and parents else None
    age = ctx.age(held)
    name = ctx.child.known_as
    notes = ph.pick(rng, ph.MEETING_NOTES, age)[2].format(name=name) if rich else ""
    first = Meeting(
        on=held,
        venue=ctx.venue(kind, held),
        attendance=_attendance(ctx, prep.invitees, child_came, first_keys),
        notes=notes,
    )
    review = rv.add_meeting(review, first, on=held).review
    if series:
        second_on = ctx.near(held + timedelta(days=rng.randint(5, 20)))
        if target is not S.HELD:
            second_on = min(second_on, ctx.today)  # a completed series has had all its meetings
        reason = SeparateReason.CANNOT_SHARE_A_ROOM if parents else SeparateReason.UNAVOIDABLE_DELAY
        second = Meeting(
            on=second_on,
            venue="Family centre",
            held=second_on <= ctx.today,
            separate_reason=reason,
            attendance=_attendance(
                ctx, prep.invitees, child_came, parents | {"sw"} if parents else None
            ),
            notes="Parents' views on the plan." if rich else "",
        )
        review = rv.add_meeting(review, second, on=min(second_on, ctx.today)).review

    chair = None
    if kind is ReviewKind.LOOKED_AFTER and age >= rv.CHAIR_AGE_FROM:
        chair = ChairRole.NEITHER
        if pn in rv.ATTENDED_CODES and ctx.chance(0.2):
            chair = rng.choice([ChairRole.CHAIR, ChairRole.CO_CHAIR])
    permanence = None
    if kind is ReviewKind.LOOKED_AFTER and spec.sequence >= 2:
        permanence = ctx.chance(0.76 if spec.sequence == 2 else 0.88)
    endorsed = ctx.chance(0.92)
    review = rv.edit_review(
        review,
        on=held,
        participation_code=pn,
        child_chair=chair,
        topics=_topics(ctx, kind, held, rich),
        permanence_plan_agreed=permanence,
        pathway_plan_in_place=ctx.chance(0.85) if age >= 16 else None,
        plan_view=PlanView(
            view=f"The plan meets {name}'s needs."
            if endorsed
            else "The plan does not yet say where the child will grow up.",
            endorsed=endorsed,
            endorsed_on=held if endorsed else None,
        ),
    ).review
    review = rv.edit_review(
        review,
        on=held,
        child_views=_child_views(review, pn, age, child_came is Attendance.ATTENDED),
    ).review
    for rec in _recommendations(ctx, held):
        review = rv.add_recommendation(review, rec, on=held).review
    if target is S.HELD:
        return review

    day = review.meetings[-1].on
    for status in PROGRESS_AFTER_HELD:
        if status is S.RECOMMENDATIONS_ISSUED:
            # Both seeds aim for 5 working days; Cheshire East managed 55%.
            days = rng.randint(1, 5) if ctx.chance(0.72) else rng.randint(6, 12)
            day = min(cal.add_working_days(day, days), ctx.today)
        else:
            day = ctx.after(day, *STEP_DAYS[status])
        if status is S.APPROVED and ctx.chance(0.08):
            # Returned from sign-off once, then resubmitted.
            review = rv.transition(
                review, S.LETTER_DRAFTED, on=day, reason="Please explain 'PEP' in the letter"
            ).review
            day = ctx.after(day, 1, 2)
            review = rv.transition(review, S.SUBMITTED, on=day).review
            day = ctx.after(day, 0, 2)
        review = rv.transition(review, status, on=day).review
        if status is target:
            break
    return review


def _booked_review(ctx: _Ctx, spec: _Spec, target: ReviewStatus) -> Review:
    """The next review, not yet held: planned, being prepared, or stood down."""
    rng = ctx.rng
    overdue = spec.due <= ctx.as_of
    planned_on = ctx.before(spec.due, 0, 5 if overdue else 10)
    age = ctx.age(max(planned_on, ctx.as_of))
    review = rv.plan_review(
        id=ctx.next_id(),
        child_id=ctx.child.id,
        due_on=spec.due,
        planned_on=planned_on,
        kind=spec.kind,
        sequence=spec.sequence,
        chaired_by=ctx.child.allocated_iro,
    )
    last = min(ctx.before(ctx.as_of, 10, 20), ctx.today)
    if overdue or ctx.chance(0.25):
        # Moved to a later day; for an overdue review that is after its due date.
        after = max(planned_on, ctx.as_of)
        wanted = after + timedelta(days=rng.randint(3, 20))
        new = working_near(rng, ctx.calendar, wanted, lowest=after + timedelta(days=1))
        new = new or ctx.working(wanted)
        reason = ph.pick(rng, ph.REARRANGE_REASONS, age)[2]
        review = rv.rearrange(review, new, on=last, reason=reason).review
    if target is S.PREPARING:
        prep_on = ctx.after(last, 1, 7)
        review = rv.transition(review, S.PREPARING, on=prep_on).review
        prep = _preparation(ctx, spec.kind, prep_on, max(review.planned_on, prep_on), rich=True)
        review = rv.edit_review(review, on=prep_on, preparation=prep).review
    elif target is S.STOOD_DOWN:
        reason = ph.pick(rng, ph.STAND_DOWN_REASONS, age)[2]
        review = rv.stand_down(review, on=ctx.after(last, 1, 7), reason=reason).review
    return review
