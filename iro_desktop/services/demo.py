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
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare, Person, age_on
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    CaseOverview,
    ChairRole,
    ChildChoices,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Meeting,
    MidPointReview,
    PlanView,
    Preparation,
    Progress,
    Recommendation,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    TopicNote,
)
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo

FIRST_NAMES_F = [
    "Amira",
    "Bethany",
    "Chloe",
    "Daisy",
    "Ebony",
    "Freya",
    "Grace",
    "Hana",
    "Isla",
    "Jade",
    "Kayla",
    "Lily",
    "Maya",
    "Nadia",
    "Olivia",
    "Poppy",
    "Ruby",
    "Sophia",
    "Tia",
    "Zara",
    "Łucja",
    "Aisha",
    "Mia",
    "Evie",
]
FIRST_NAMES_M = [
    "Aaron",
    "Bilal",
    "Callum",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harvey",
    "Isaac",
    "Jayden",
    "Kai",
    "Leo",
    "Mason",
    "Noah",
    "Oscar",
    "Reuben",
    "Samuel",
    "Tyler",
    "Yusuf",
    "Zain",
    "Dawit",
    "Tomasz",
    "Kofi",
    "Arlo",
]
# Invented surnames, so no demo child can be mistaken for a real one.
SURNAMES = [
    "Quillfeather",
    "Bramblecombe",
    "Puddleby",
    "Thistlewood",
    "Marrowby",
    "Fernhallow",
    "Larkspurr",
    "Oddington-Demo",
    "Wimbleford",
    "Pebbleworth",
    "Crumblewick",
    "Sorrelvane",
    "Duckerham",
    "Mossbottom",
    "Tumbleton",
    "Hazelquist",
    "Inkwellby",
    "Jollibrook",
    "Kettlewick",
    "Nettlefold",
    "Applewhistle",
    "Buttonsby",
    "Cobblestrand",
    "Dapplemere",
]
ETHNICITIES = [
    "White British",
    "White British",
    "White British",
    "White and Black Caribbean",
    "Black African",
    "Pakistani",
    "Any other White background",
    "White and Asian",
    "Black Caribbean",
    "Any other ethnic group",
]
UASC_ETHNICITIES = ["Black African", "Any other ethnic group", "Any other Asian background"]
LEGAL = [("C2", 58), ("C1", 14), ("V2", 16), ("E1", 8), ("J1", 1), ("L2", 1), ("V3", 2)]
PLACEMENTS = [
    ("U6", 30),
    ("U4", 22),
    ("U5", 3),
    ("U1", 6),
    ("U3", 8),
    ("K2", 11),
    ("P1", 5),
    ("H5", 6),
    ("A5", 3),
    ("R1", 2),
    ("S1", 2),
    ("K1", 1),
    ("Z1", 1),
]
# Manchester 2018/19 participation, over children aged 4 and over (PN0 is decided by age).
PN_OVER_4 = [
    ("PN1", 428),
    ("PN2", 10),
    ("PN3", 5),
    ("PN4", 4),
    ("PN5", 223),
    ("PN6", 278),
    ("PN7", 43),
]
PROVIDERS_IN = ["In-house fostering service", "Council children's home (Oakfield)"]
PROVIDERS_OUT = ["Independent fostering agency (Northway)", "Private children's home (Hilltop)"]
POSTCODES_IN = ["M14 5AA", "M22 9ZZ", "M40 3QQ", "M8 8XX"]
POSTCODES_OUT = ["CH1 4BJ", "LA9 6EX", "SK10 1AB", "LL11 2DD", "WA14 4AA", "IM1 3PP"]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return a
    return a + timedelta(days=rng.randint(0, (b - a).days))


# --- what the reviews say -----------------------------------------------------------------

S = ReviewStatus
# The first children of every demo between them show every state a review can be in.
SHOWCASE = (
    S.PLANNED,
    S.PREPARING,
    S.HELD,
    S.COMPLETED,
    S.RECOMMENDATIONS_ISSUED,
    S.LETTER_DRAFTED,
    S.SUBMITTED,
    S.APPROVED,
    S.ISSUED,
    S.STOOD_DOWN,
)
# Days since the last review's first meeting for a showcase child in each recording state.
RECENT_AGE = {
    S.HELD: 12,
    S.COMPLETED: 4,
    S.RECOMMENDATIONS_ISSUED: 9,
    S.LETTER_DRAFTED: 14,
    S.SUBMITTED: 20,
    S.APPROVED: 25,
}
NOT_HELD = (S.PLANNED, S.PREPARING, S.STOOD_DOWN)
PROGRESS_AFTER_HELD = rv.PROGRESS[rv.PROGRESS.index(S.COMPLETED) :]
# Days from one recording step to the next (recommendations count working days instead).
STEP_DAYS = {
    S.COMPLETED: (0, 1),
    S.LETTER_DRAFTED: (1, 8),
    S.SUBMITTED: (0, 3),
    S.APPROVED: (1, 5),
    S.ISSUED: (0, 2),
}

REARRANGE_REASONS = [
    "The social worker is on leave that week",
    "The young person asked to move it after their exams",
    "The foster carer has a hospital appointment",
    "Clash with a court hearing",
    "School trip on the planned day",
]
STAND_DOWN_REASONS = [
    "The social worker's report was not ready",
    "The care plan has not been formulated",
    "The child was unwell and wanted to be there",
    "The child had not been prepared for the review",
]
EXTRA_REASONS = [
    "Placement disruption: a new placement was made",
    "Change of care plan: permanence plan changed to long-term fostering",
    "IRO request after missing episodes",
]
VENUES = ["Foster home", "Children's home", "Family centre", "Library meeting room", "Video call"]
CONTACT_METHODS = [
    (ContactMethod.VISIT, 55),
    (ContactMethod.PHONE, 10),
    (ContactMethod.VIDEO, 10),
    (ContactMethod.MIND_OF_MY_OWN, 15),
    (ContactMethod.HAVE_YOUR_SAY, 10),
]
WORKING_WELL = [
    "Settled and happy where they live",
    "Going to school every day",
    "Enjoys football club on Saturdays",
    "Good relationship with their carer",
    "Family time with grandma is going well",
]
WORRIED = [
    "",
    "Missed two dental appointments",
    "Falling behind in maths",
    "Some arguments at home after family time",
    "",
]
NEXT_STEPS = [
    "Keep family time as it is",
    "Book the dentist",
    "Ask school about extra help",
    "Talk about the plan for next year",
]
# (action, owner's role, the same for the child); {name} is the child's first name.
LOOKED_AFTER_RECS = [
    (
        "Book {name}'s dental check-up and tell the IRO the date",
        "carer",
        "Your carer will book you a check-up at the dentist.",
    ),
    (
        "Update the PEP with the virtual school, adding a maths tutor for {name}",
        "education",
        "School will write down the extra help you will get with maths.",
    ),
    (
        "Complete the Strengths and Difficulties Questionnaire and send it to the nurse",
        "social_worker",
        "Your social worker will fill in a short form about how you are feeling.",
    ),
    (
        "Arrange family time with {name}'s brother every fortnight, starting this month",
        "social_worker",
        "You will see your brother every two weeks.",
    ),
    (
        "Refer {name} to the advocacy service and arrange a first visit",
        "social_worker",
        "Someone from the advocacy service will come to meet you.",
    ),
    (
        "Finish the life story book with {name} before the next review",
        "social_worker",
        "You and your social worker will finish your life story book.",
    ),
    (
        "Present the permanence plan to the next legal planning meeting",
        "team_manager",
        "The managers will meet to agree where you will grow up.",
    ),
]
PATHWAY_RECS = [
    (
        "Apply for the setting-up-home allowance with {name}",
        "personal_adviser",
        "Your PA will help you apply for money for your new home.",
    ),
    (
        "Support {name} to enrol on the college course starting in September",
        "personal_adviser",
        "Your PA will help you sign up for college.",
    ),
    (
        "Register {name} with a GP near the new flat",
        "personal_adviser",
        "Your PA will help you sign up with a doctor near your flat.",
    ),
]
VAGUE_REC = ("Continue to monitor school attendance", "all professionals", "")

_ROLE_KEYS = {
    "social_worker": ("sw", InviteeRole.SOCIAL_WORKER),
    "carer": ("carer", InviteeRole.CARER),
    "health": ("health", InviteeRole.HEALTH),
    "education": ("education", InviteeRole.EDUCATION),
    "advocate": ("advocate", InviteeRole.ADVOCATE),
    "independent_visitor": ("iv", InviteeRole.INDEPENDENT_VISITOR),
    "personal_adviser": ("pa", InviteeRole.PERSONAL_ADVISER),
}
# How often each kind of person came (seeds: parents about 35%, young people at pathway
# reviews 61%); the rest sent views or apologies.
_CAME = {
    InviteeRole.SOCIAL_WORKER: 0.88,
    InviteeRole.CARER: 0.8,
    InviteeRole.PARENT: 0.35,
    InviteeRole.HEALTH: 0.2,
    InviteeRole.EDUCATION: 0.3,
    InviteeRole.ADVOCATE: 0.5,
    InviteeRole.INDEPENDENT_VISITOR: 0.4,
    InviteeRole.PERSONAL_ADVISER: 0.9,
}


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


# --- a child's timeline of reviews ----------------------------------------------------------


def _timeline(
    ctx: _Ctx, kind: ReviewKind, start: date, until: date, held_before: list[date]
) -> tuple[list[_Spec], _Spec | None]:
    """The reviews held from `start` to `until`, and the next one if it falls due by then.

    Looked-after reviews follow reg 33 from the period's start; pathway plan reviews every 6
    months from the last review (`held_before`: the looked-after ones before leaving care).
    """
    rng = ctx.rng
    specs: list[_Spec] = []
    held: list[date] = []
    while True:
        if kind is ReviewKind.LOOKED_AFTER:
            due = timescales.next_review_due(start, held)
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
        when = min(max(when, previous + timedelta(days=14 if held else 1)), until)
        spec.held = when
        specs.append(spec)
        held.append(when)


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
    specs, upcoming = _timeline(ctx, kind, start, until, held_before)
    if final and target in RECENT_AGE and specs:
        # A showcase child's last review was held a set number of days ago (never much later
        # than it was due, so the showcase does not make a review late).
        moved = ctx.as_of - timedelta(days=RECENT_AGE[target])
        floor = specs[-2].held if len(specs) > 1 and specs[-2].held else start
        if floor + timedelta(days=14) < moved <= specs[-1].due + timedelta(days=7):
            specs[-1].held = moved
    last_held = specs[-1].held if specs else None
    if final and target is None:
        target = _natural_target(ctx, last_held)
    reviews = []
    for i, spec in enumerate(specs):
        latest = i == len(specs) - 1
        status = target if final and latest and target not in NOT_HELD else S.ISSUED
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
                timescales.next_review_due(start, [s.held for s in specs if s.held])
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
    if issued and booked and ctx.chance(0.6):
        last = issued[-1]
        held = rv.first_meeting_date(last)
        if held is not None and booked[-1].due_on > held:
            when = timescales.mid_point_review_date(held, booked[-1].due_on)
            if when <= ctx.as_of:
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
                        notes="Checked progress with the social worker and carer.",
                        progress=tuple(progress),
                    )
                )
    if ctx.chance(0.3):
        notes.append(
            CaseOverview(
                id=ctx.next_id(),
                child_id=ctx.child.id,
                written_on=max(
                    ctx.as_of - timedelta(days=ctx.rng.randint(5, 120)), ctx.child.periods[0].start
                ),
                author=ctx.child.allocated_iro,
                text="Case overview: placement stable; permanence plan on track.",
            )
        )
    return notes


def _people(rng: random.Random, surname: str, care_leaver: bool, uasc: bool) -> tuple[Person, ...]:
    sw_first = rng.choice(["Sam", "Priya", "Tom", "Nia", "Ollie", "Farah", "Gus", "Rhian"])
    people = [
        Person(
            "social_worker",
            f"{sw_first} {rng.choice(SURNAMES)}",
            "Children's Social Care",
            "0161 000 " + f"{rng.randint(0, 9999):04d}",
            f"{sw_first.lower()}@example.invalid",
        ),
        Person(
            "team_manager",
            f"{rng.choice(['Jo', 'Alex', 'Kim'])} {rng.choice(SURNAMES)}",
            "Children's Social Care",
        ),
        Person("health", "Looked After Children nurse (demo)", "Community health"),
        Person("education", "Designated teacher (demo)", "Virtual School"),
    ]
    if not uasc:
        people.append(Person("parent", f"{rng.choice(['Dana', 'Lee', 'Chris'])} {surname}", ""))
        if rng.random() < 0.6:
            people.append(
                Person(
                    "parent", f"{rng.choice(['Jordan', 'Robin', 'Sky'])} {rng.choice(SURNAMES)}", ""
                )
            )
    people.append(
        Person(
            "carer", f"{rng.choice(['Pat', 'Sue', 'Mo', 'Viv'])} {rng.choice(SURNAMES)}", "Carer"
        )
    )
    if rng.random() < 0.3:
        people.append(Person("advocate", "Advocate (demo advocacy service)", "Advocacy service"))
    if rng.random() < 0.1:
        people.append(Person("independent_visitor", f"Ivy {rng.choice(SURNAMES)}", "IV scheme"))
    if care_leaver:
        people.append(
            Person("personal_adviser", f"Pip {rng.choice(SURNAMES)}", "Leaving care team")
        )
    return tuple(people)


# --- the caseload ---------------------------------------------------------------------------


@dataclass
class DemoCaseload:
    children: list[Child]
    reviews: list[DemoReview]
    notes: list[MidPointReview | CaseOverview]


def _child(
    rng: random.Random, i: int, seed: int, as_of: date, iro: str, sibling_pending: list[Any]
) -> Child:
    cid = str(uuid.UUID(int=rng.getrandbits(128)))
    showcase = SHOWCASE[i] if i < len(SHOWCASE) else None
    care_leaver = rng.random() < 0.12 and showcase is None
    group = ""
    start_hint: date | None = None
    if sibling_pending and rng.random() < 0.5:
        group, surname, start_hint, iro = sibling_pending.pop()
    else:
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.15 and not care_leaver:
            group = f"SG-{i:04d}"
            sibling_pending.append((group, surname, date.min, iro))
    age = (
        rng.randint(18, 21)
        if care_leaver
        else rng.choices(
            range(0, 18), weights=[6, 5, 5, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11, 11, 9]
        )[0]
    )
    dob = as_of - timedelta(days=age * 365 + rng.randint(0, 364))
    uasc = (not care_leaver and age >= 14 and rng.random() < 0.35) or (
        care_leaver and rng.random() < 0.15
    )
    sex = rng.choice(["F", "M"]) if not uasc else "M" if rng.random() < 0.9 else "F"
    first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
    preferred = "" if rng.random() < 0.8 else first[:3]
    earliest = max(dob + timedelta(days=1), as_of - timedelta(days=365 * 8), date(2012, 1, 1))
    if start_hint and start_hint != date.min and start_hint >= earliest:
        start = start_hint
    elif uasc:
        start = _date_between(
            rng, max(earliest, dob + timedelta(days=365 * 14)), as_of - timedelta(days=10)
        )
    else:
        start = _date_between(rng, earliest, as_of - timedelta(days=10))
    if showcase in RECENT_AGE:
        # Into care about four months ago, so the second review fell due a few days ago.
        start = max(as_of - timedelta(days=RECENT_AGE[showcase] + 120), earliest)
    if group and sibling_pending and sibling_pending[-1][0] == group:
        sibling_pending[-1] = (group, surname, start, iro)
    out_of_area = rng.random() < 0.56
    legal = "V2" if uasc else _weighted(rng, LEGAL)
    place = ("H5" if age >= 16 else "U6") if uasc else _weighted(rng, PLACEMENTS)
    # Keep placements believable for the age: no semi-independent toddlers.
    if age < 16 and place in ("H5", "P2"):
        place = "U6"
    if age < 8 and place in ("K2", "R1", "S1", "K1", "Z1"):
        place = "U4"
    if age >= 10 and place.startswith("A"):
        place = "U4"
    if place.startswith("A"):
        legal = "E1"
    period_end = None
    if care_leaver:
        eighteen = date(dob.year + 18, dob.month, min(dob.day, 28))
        start = min(start, eighteen - timedelta(days=400))
        start = max(start, dob + timedelta(days=1))
        period_end = eighteen
    episode_start = _date_between(rng, start, min(as_of, period_end or as_of) - timedelta(days=1))
    episodes = []
    if episode_start > start:
        episodes.append(
            Episode(
                start=start,
                end=episode_start,
                legal_status="C1" if legal in ("C2", "E1") else legal,
                placement_type="U6" if age > 0 else "U5",
                provider="In-house fostering service",
                provider_kind="in_house",
                postcode=rng.choice(POSTCODES_IN),
                in_area=True,
                distance_miles=round(rng.uniform(1, 9), 1),
            )
        )
    # Visits are due every 6 weeks; about one in eight is late ("visits out of timescale").
    last_visit = as_of - timedelta(days=rng.randint(3, 42 if rng.random() < 0.88 else 90))
    episodes.append(
        Episode(
            start=episode_start,
            end=period_end,
            legal_status=legal,
            placement_type=place,
            provider=rng.choice(PROVIDERS_OUT if out_of_area else PROVIDERS_IN),
            provider_kind="external" if out_of_area else "in_house",
            postcode=rng.choice(POSTCODES_OUT if out_of_area else POSTCODES_IN),
            in_area=not out_of_area,
            distance_miles=round(rng.uniform(21, 140) if out_of_area else rng.uniform(1, 19), 1),
            long_term_confirmed=(episode_start + timedelta(days=200))
            if place in ("U1", "U4") and (as_of - episode_start).days > 220
            else None,
            # A visit is in this placement, so never before it started.
            last_social_worker_visit=None if period_end else max(last_visit, episode_start),
        )
    )
    child = Child(
        id=cid,
        la_child_id=f"DEMO-{seed % 1000:03d}-{i + 1:05d}",
        legal_first_name=first,
        legal_last_name=surname,
        preferred_name=preferred,
        date_of_birth=dob,
        sex=sex,
        ethnicity=rng.choice(UASC_ETHNICITIES if uasc else ETHNICITIES),
        uasc=uasc,
        disability=""
        if rng.random() < 0.85
        else rng.choice(["Autism", "Hearing impairment", "Learning disability"]),
        communication_needs=""
        if not uasc
        else "Interpreter needed (Tigrinya)"
        if rng.random() < 0.5
        else "Interpreter needed (Arabic)",
        sibling_group=group,
        allocated_iro=iro,
        allocated_on=start,
        care_leaver=care_leaver,
        periods=(
            PeriodOfCare(
                start=start,
                end=period_end,
                reason_ended="Turned 18" if period_end else "",
                episodes=tuple(episodes),
            ),
        ),
        people=_people(rng, surname, care_leaver, uasc),
    )
    return child.validated()


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


def generate_caseload(
    n: int,
    seed: int,
    as_of: date,
    iro_names: list[str],
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> DemoCaseload:
    rng = random.Random(seed)

    def next_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    caseload = DemoCaseload([], [], [])
    sibling_pending: list[Any] = []  # (group, surname, period start, iro)
    for i in range(n):
        child = _child(rng, i, seed, as_of, iro_names[i % len(iro_names)], sibling_pending)
        caseload.children.append(child)
        ctx = _Ctx(rng, child, as_of, calendar, next_id)
        for person in child.people:
            ctx.people.setdefault(person.role, person.name)
        target = SHOWCASE[i] if i < len(SHOWCASE) else None
        period = child.periods[0]
        if period.end is None:
            reviews = _reviews_of(
                ctx, ReviewKind.LOOKED_AFTER, period.start, as_of, target, [], final=True
            )
        else:
            reviews = _reviews_of(
                ctx, ReviewKind.LOOKED_AFTER, period.start, period.end, None, [], final=False
            )
            held = [d for r in reviews if (d := rv.first_meeting_date(r)) is not None]
            reviews += _reviews_of(
                ctx, ReviewKind.PATHWAY_PLAN, period.end, as_of, target, held, final=True
            )
        caseload.reviews += [_demo_review(r, period.start) for r in reviews]
        caseload.notes += _footprint(ctx, reviews)
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
) -> int:
    """Generate and store a demo caseload in one transaction. Returns the number of children."""
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
            period_id = repo.period_id_for(s, child.id, child.periods[0].start)
            for r in by_child.get(child.id, []):
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
    return len(caseload.children)
