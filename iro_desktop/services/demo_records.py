"""Building one demo review record through the lifecycle functions an IRO's actions call."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.caseload import Child, age_on
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChairRole,
    ChildChoices,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Meeting,
    PlanView,
    Preparation,
    Recommendation,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    TopicNote,
)
from iro_desktop.services.demo_tables import (
    _CAME,
    _ROLE_KEYS,
    CONTACT_METHODS,
    EXTRA_REASONS,
    LOOKED_AFTER_RECS,
    NEXT_STEPS,
    PATHWAY_RECS,
    PN_OVER_4,
    PROGRESS_AFTER_HELD,
    REARRANGE_REASONS,
    STAND_DOWN_REASONS,
    STEP_DAYS,
    VAGUE_REC,
    VENUES,
    WORKING_WELL,
    WORRIED,
    S,
    _weighted,
)


@dataclass
class _Spec:
    """A review in a child's timeline before it is built: when due, when (if) held."""

    kind: ReviewKind
    sequence: int
    due: date
    held: date | None
    extra: bool = False


@dataclass
class _Ctx:
    rng: random.Random
    child: Child
    as_of: date
    calendar: WorkingCalendar
    next_id: Callable[[], str]
    people: dict[str, str] = field(default_factory=dict)  # role -> name

    def after(self, d: date, low: int, high: int) -> date:
        """A day `low`-`high` days after d, never after the demo's 'today'."""
        return min(d + timedelta(days=self.rng.randint(low, high)), self.as_of)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def _invitees(ctx: _Ctx, kind: ReviewKind) -> list[Invitee]:
    child = ctx.child
    people = [Invitee(key="child", role=InviteeRole.CHILD, name=child.known_as)]
    parents = 0
    for p in child.people:
        if p.role == "parent":
            parents += 1
            if kind is ReviewKind.LOOKED_AFTER:
                people.append(Invitee(key=f"parent{parents}", role=InviteeRole.PARENT, name=p.name))
        elif p.role in _ROLE_KEYS:
            key, role = _ROLE_KEYS[p.role]
            if kind is ReviewKind.PATHWAY_PLAN and role is InviteeRole.CARER:
                continue
            people.append(Invitee(key=key, role=role, name=p.name))
    return people


def _preparation(ctx: _Ctx, kind: ReviewKind, prep_on: date, held: date, rich: bool) -> Preparation:
    rng = ctx.rng
    sent_by = min(prep_on, ctx.as_of)
    invitees = []
    for person in _invitees(ctx, kind):
        sent = sent_by if ctx.chance(0.8) else None
        received = None
        # Cheshire East 2016/17: 2,167 consultations sent, 606 received.
        if sent is not None and ctx.chance(0.28):
            received = min(ctx.after(sent, 3, 20), held)
        invitees.append(
            Invitee(
                key=person.key,
                role=person.role,
                name=person.name,
                consultation_sent_on=sent,
                consultation_received_on=received,
            )
        )
    contacts: tuple[ChildContact, ...] = ()
    roll = rng.random()
    if roll < 0.81:
        seen = max(held - timedelta(days=rng.randint(1, 40)), ctx.child.periods[0].start)
        method = rng.choices(
            [m for m, _ in CONTACT_METHODS], weights=[w for _, w in CONTACT_METHODS]
        )[0]
        contacts = (ChildContact(on=min(seen, ctx.as_of), method=method),)
    elif roll < 0.9:
        contacts = (
            ChildContact(
                method=ContactMethod.NONE,
                reason_if_none="Declined a visit; happy to talk on the day",
            ),
        )
    choices = ChildChoices()
    if rich and age_on(ctx.child.date_of_birth, held) >= 8:
        choices = ChildChoices(
            venue=rng.choice(VENUES),
            who_comes=("carer", "sw"),
            agenda_items=("Family time", "School"),
            chair=rng.choice([ChairRole.NEITHER, ChairRole.NEITHER, ChairRole.CO_CHAIR]),
        )
    report = held - timedelta(days=rng.randint(1, 8)) if ctx.chance(0.85) else None
    plan = held - timedelta(days=rng.randint(2, 15)) if ctx.chance(0.8) else None
    # A review still to come may not have its report and care plan yet.
    report = report if report and report <= ctx.as_of else None
    plan = plan if plan and plan <= ctx.as_of else None
    return Preparation(
        invitees=tuple(invitees),
        child_contacts=contacts,
        child_choices=choices,
        social_worker_report_received_on=report,
        care_plan_received_on=plan,
    )


def _pn_code(ctx: _Ctx, held: date) -> str:
    if age_on(ctx.child.date_of_birth, held) < 4:
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
    age = age_on(ctx.child.date_of_birth, held)
    rng = ctx.rng
    return tuple(
        TopicNote(
            topic=topic,
            covered=ctx.chance(0.95),
            working_well=rng.choice(WORKING_WELL),
            worried_about=rng.choice(WORRIED),
            needs_to_happen=rng.choice(NEXT_STEPS),
        )
        for topic in rv.topic_checklist(kind, age)
    )


def _recommendations(ctx: _Ctx, kind: ReviewKind, held: date) -> list[Recommendation]:
    rng = ctx.rng
    table = PATHWAY_RECS if kind is ReviewKind.PATHWAY_PLAN else LOOKED_AFTER_RECS
    chosen = rng.sample(table, k=min(len(table), rng.randint(2, 4)))
    if ctx.chance(0.05):
        chosen.append(VAGUE_REC)
    recs = []
    for i, (action, role, for_child) in enumerate(chosen, start=1):
        owner = ctx.people.get(role) or role.replace("_", " ").capitalize()
        if role == "all professionals":
            owner = "All professionals"
        recs.append(
            Recommendation(
                id=f"R{i}",
                action=action.format(name=ctx.child.known_as),
                owner=owner,
                due_on=held + timedelta(days=rng.randint(21, 90)),
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
        if current_cycle and rec.due_on > ctx.as_of:
            if roll < 0.25 and held < ctx.as_of:
                review = rv.mark_done(review, rec.id, on=ctx.after(held, 7, 60)).review
            continue
        open_share = 0.25 if current_cycle else 0.03
        if roll < open_share:
            continue  # still open after its due date: overdue
        if roll < open_share + 0.06:
            when = ctx.after(held, 14, 60)
            review = rv.drop_recommendation(
                review, rec.id, on=when, reason="No longer needed after the change of placement"
            ).review
        else:
            when = min(max(rec.due_on + timedelta(days=ctx.rng.randint(-20, 12)), held), ctx.as_of)
            review = rv.mark_done(review, rec.id, on=when).review
    return review


def _held_review(ctx: _Ctx, spec: _Spec, target: ReviewStatus, rich: bool) -> Review:
    """A review taken through the lifecycle from planning to `target` (held or later)."""
    assert spec.held is not None
    rng, cal, held, kind = ctx.rng, ctx.calendar, spec.held, spec.kind
    booked = held - timedelta(days=rng.randint(14, 28) if spec.extra else rng.randint(42, 70))
    stood = ctx.chance(0.05)
    rearranged = stood or ctx.chance(0.4)
    first_plan = held
    if stood:
        first_plan = held - timedelta(days=rng.randint(7, 28))
    elif rearranged:
        first_plan = held + timedelta(days=rng.choice([-1, 1]) * rng.randint(3, 21))
    review = rv.plan_review(
        id=ctx.next_id(),
        child_id=ctx.child.id,
        due_on=spec.due,
        planned_on=first_plan,
        kind=kind,
        sequence=spec.sequence,
        chaired_by=ctx.child.allocated_iro,
        extra_reason=rng.choice(EXTRA_REASONS) if spec.extra else None,
    )
    last = booked
    if stood:
        last = max(first_plan - timedelta(days=rng.randint(1, 5)), booked)
        review = rv.stand_down(review, on=last, reason=rng.choice(STAND_DOWN_REASONS)).review
    if rearranged:
        last = max(min(first_plan, held) - timedelta(days=rng.randint(1, 10)), last)
        review = rv.rearrange(review, held, on=last, reason=rng.choice(REARRANGE_REASONS)).review
    prep_on = max(held - timedelta(days=rng.randint(5, 25)), last)
    review = rv.transition(review, S.PREPARING, on=prep_on).review
    prep = _preparation(ctx, kind, prep_on, held, rich)
    review = rv.edit_review(review, on=prep_on, preparation=prep).review

    pn = _pn_code(ctx, held) if kind is ReviewKind.LOOKED_AFTER else None
    child_came = _child_attendance(ctx, kind, pn)
    series = ctx.chance(0.06) or (target is S.HELD and ctx.chance(0.5))
    parents = {p.key for p in prep.invitees if p.role is InviteeRole.PARENT}
    first_keys = {p.key for p in prep.invitees} - parents if series and parents else None
    notes = f"{ctx.child.known_as} talked about school and family time." if rich else ""
    venue = rng.choice(VENUES)
    first = Meeting(
        on=held,
        venue=venue,
        attendance=_attendance(ctx, prep.invitees, child_came, first_keys),
        notes=notes,
    )
    review = rv.add_meeting(review, first, on=held).review
    if series:
        second_on = held + timedelta(days=rng.randint(5, 20))
        if target is not S.HELD:
            second_on = min(second_on, ctx.as_of)  # a completed series has had all its meetings
        reason = SeparateReason.CANNOT_SHARE_A_ROOM if parents else SeparateReason.UNAVOIDABLE_DELAY
        second = Meeting(
            on=second_on,
            venue="Family centre",
            held=second_on <= ctx.as_of,
            separate_reason=reason,
            attendance=_attendance(
                ctx, prep.invitees, child_came, parents | {"sw"} if parents else None
            ),
            notes="Parents' views on the plan." if rich else "",
        )
        review = rv.add_meeting(review, second, on=min(second_on, ctx.as_of)).review

    age = age_on(ctx.child.date_of_birth, held)
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
            view=f"The plan meets {ctx.child.known_as}'s needs."
            if endorsed
            else "The plan does not yet say where the child will grow up.",
            endorsed=endorsed,
            endorsed_on=held if endorsed else None,
        ),
    ).review
    for rec in _recommendations(ctx, kind, held):
        review = rv.add_recommendation(review, rec, on=held).review
    if target is S.HELD:
        return review

    day = review.meetings[-1].on
    for status in PROGRESS_AFTER_HELD:
        if status is S.RECOMMENDATIONS_ISSUED:
            # Both seeds aim for 5 working days; Cheshire East managed 55%.
            days = rng.randint(1, 5) if ctx.chance(0.72) else rng.randint(6, 12)
            day = min(cal.add_working_days(day, days), ctx.as_of)
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
    planned_on = spec.due - timedelta(days=rng.randint(0, 5 if overdue else 10))
    review = rv.plan_review(
        id=ctx.next_id(),
        child_id=ctx.child.id,
        due_on=spec.due,
        planned_on=planned_on,
        kind=spec.kind,
        sequence=spec.sequence,
        chaired_by=ctx.child.allocated_iro,
    )
    last = ctx.as_of - timedelta(days=rng.randint(10, 20))
    if overdue or ctx.chance(0.25):
        # Moved to a later day; for an overdue review that is after its due date.
        new = max(planned_on, ctx.as_of) + timedelta(days=rng.randint(3, 20))
        if new != planned_on:
            review = rv.rearrange(review, new, on=last, reason=rng.choice(REARRANGE_REASONS)).review
    if target is S.PREPARING:
        prep_on = ctx.after(last, 1, 9)
        review = rv.transition(review, S.PREPARING, on=prep_on).review
        prep = _preparation(ctx, spec.kind, prep_on, max(review.planned_on, prep_on), rich=True)
        review = rv.edit_review(review, on=prep_on, preparation=prep).review
    elif target is S.STOOD_DOWN:
        review = rv.stand_down(
            review, on=ctx.after(last, 1, 9), reason=rng.choice(STAND_DOWN_REASONS)
        ).review
    return review
