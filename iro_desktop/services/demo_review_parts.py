"""The pieces of a demo review before the meeting: the context every step shares (the
child, 'today', the working-day calendar), and the preparation (who is invited, the IRO's
contact with the child, consultation forms, the report and care plan).

Every date here is a working day of the session's calendar and none is after 'today'.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.caseload import Child, Episode, age_on
from iro_desktop.domain.review import (
    ChairRole,
    ChildChoices,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Preparation,
    ReviewKind,
)
from iro_desktop.services import demo_phrases as ph
from iro_desktop.services.demo_tables import (
    _ROLE_FROM_AGE,
    _ROLE_KEYS,
    CONTACT_METHODS,
    on_or_before,
    working_near,
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
    since: date = date.min  # the first working day of the current cycle (period or leaving)

    def __post_init__(self) -> None:
        self.today = on_or_before(self.calendar, self.as_of)

    def after(self, d: date, low: int, high: int) -> date:
        """A working day `low`-`high` working days after d, never after 'today'."""
        return min(self.calendar.add_working_days(d, self.rng.randint(low, high)), self.today)

    def before(self, d: date, low: int, high: int) -> date:
        """A working day about `low`-`high` days before d (never after d), and not before
        the cycle began: nothing is booked before the child came into care."""
        wanted = d - timedelta(days=self.rng.randint(low, high))
        near = working_near(self.rng, self.calendar, wanted, highest=d)
        return max(near or on_or_before(self.calendar, wanted), self.since)

    def near(self, d: date) -> date:
        """d, or a working day a few days either side of it."""
        return working_near(self.rng, self.calendar, d) or self.working(d)

    def working(self, d: date) -> date:
        return self.calendar.next_working_day_on_or_after(d)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def age(self, on: date) -> int:
        return age_on(self.child.date_of_birth, on)

    def episode(self, on: date) -> Episode | None:
        for period in self.child.periods:
            for e in period.episodes:
                if e.start <= on and (e.end is None or on < e.end):
                    return e
        return None

    def venue(self, kind: ReviewKind, on: date) -> str:
        if kind is ReviewKind.PATHWAY_PLAN:
            return self.rng.choice(ph.PATHWAY_VENUES)
        e = self.episode(on)
        key = e.placement_type[0] if e else ""
        return self.rng.choice(ph.VENUES_BY_PLACEMENT.get(key, ph.VENUES_BY_PLACEMENT[""]))


def _invitees(ctx: _Ctx, kind: ReviewKind, on: date) -> list[Invitee]:
    child, age = ctx.child, ctx.age(on)
    people = [Invitee(key="child", role=InviteeRole.CHILD, name=child.known_as)]
    parents = 0
    for p in child.people:
        if age < _ROLE_FROM_AGE.get(p.role, 0):
            continue
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


def _contact(ctx: _Ctx, held: date) -> tuple[ChildContact, ...]:
    """The IRO's visit or other contact with the child in the weeks before the review."""
    rng, age = ctx.rng, ctx.age(held)
    roll = rng.random()
    if roll >= 0.9:
        return ()
    if roll >= 0.81:
        reason = "Declined a visit; happy to talk on the day" if age >= 8 else "Carer unwell"
        return (ChildContact(method=ContactMethod.NONE, reason_if_none=reason),)
    seen = ctx.before(held, 1, 40)
    if seen >= held or seen > ctx.today:
        return ()
    usable = [(m, w) for m, w, youngest in CONTACT_METHODS if age >= youngest]
    method = rng.choices([m for m, _ in usable], weights=[w for _, w in usable])[0]
    return (ChildContact(on=seen, method=method),)


def _preparation(ctx: _Ctx, kind: ReviewKind, prep_on: date, held: date, rich: bool) -> Preparation:
    rng = ctx.rng
    sent_by = min(prep_on, ctx.today)
    invitees = []
    for person in _invitees(ctx, kind, held):
        sent = sent_by if ctx.chance(0.8) else None
        received = None
        # Cheshire East 2016/17: 2,167 consultations sent, 606 received.
        if sent is not None and ctx.chance(0.28):
            received = min(ctx.after(sent, 3, 14), max(held, sent))
        invitees.append(
            Invitee(
                key=person.key,
                role=person.role,
                name=person.name,
                consultation_sent_on=sent,
                consultation_received_on=received,
            )
        )
    choices = ChildChoices()
    age = ctx.age(held)
    if rich and age >= 8:
        choices = ChildChoices(
            venue=ctx.venue(kind, held),
            who_comes=("carer", "sw"),
            agenda_items=("Family time", "School" if age < 16 else "College"),
            chair=rng.choice([ChairRole.NEITHER, ChairRole.NEITHER, ChairRole.CO_CHAIR]),
        )
    # The social worker's report and the care plan, some days before (a review still to
    # come may not have them yet).
    report = ctx.before(held, 1, 8) if ctx.chance(0.85) else None
    plan = ctx.before(held, 2, 15) if ctx.chance(0.8) else None
    return Preparation(
        invitees=tuple(invitees),
        child_contacts=_contact(ctx, held),
        child_choices=choices,
        social_worker_report_received_on=report if report and report <= ctx.today else None,
        care_plan_received_on=plan if plan and plan <= ctx.today else None,
    )
