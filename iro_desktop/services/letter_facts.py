"""From a stored review to the facts the letter to the child and the record are written from.

A `LetterSnapshot` gathers everything both documents need (the review record, the child, the
IRO's contact details, the service's contacts, the next review date and the letter's date)
in one JSON-ready value. It is stored beside each letter version, so an approved letter and
its record are always printed from exactly the facts the manager signed off.

`letter_facts` and `record_facts` turn a snapshot into the domain's `LetterFacts` and
`RecordFacts`. Gaps a letter can live with (no preferred name, a person with no name, the
child's attendance not recorded) become notes for the IRO; gaps it cannot (no meeting, no
way for the child to reach the IRO) are refused with a message saying what to add.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.letter import (
    Chairing,
    ChildWords,
    DraftNote,
    IroContact,
    LastTime,
    LetterFacts,
    LetterPerson,
    LetterRecommendation,
    Outcome,
    ServiceContact,
    age_on,
    format_date,
)
from iro_desktop.domain.record import (
    ChildId,
    Participation,
    RecordAttendee,
    RecordFacts,
    SignOffStamp,
    held_separately_words,
)
from iro_desktop.domain.record import Meeting as RecordMeeting
from iro_desktop.domain.record import Recommendation as RecordRecommendation
from iro_desktop.domain.record import ReviewKind as RecordKind
from iro_desktop.domain.record import Topic as RecordTopic
from iro_desktop.domain.review import (
    Attendance,
    ChairRole,
    InviteeRole,
    RecommendationStatus,
    Review,
    ReviewKind,
    SeriesBasis,
)
from iro_desktop.resources import resource_path

SNAPSHOT_SCHEMA = 1
NO_MEETINGS = "The review has no meetings yet, so there is nothing to write to the child about."
VENUE_NOT_RECORDED = "Venue not recorded"

__all__ = [
    "NO_MEETINGS",
    "Contacts",
    "LetterSnapshot",
    "SnapshotChild",
    "letter_facts",
    "load_contacts",
    "next_review_date",
    "record_facts",
]


# --- the service's contacts (resources/contacts.toml) -----------------------------------------


@dataclass(frozen=True, kw_only=True)
class Contacts:
    """The service name for the letter heading and who the child can turn to."""

    service_name: str
    advocacy: ServiceContact
    complaints: ServiceContact
    # True when the complaints contact is the shipped national placeholder, not the council's.
    shipped_default: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "service_name": self.service_name,
            "advocacy": _contact_dict(self.advocacy),
            "complaints": _contact_dict(self.complaints),
            "shipped_default": self.shipped_default,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Contacts:
        return cls(
            service_name=str(data["service_name"]),
            advocacy=ServiceContact(**data["advocacy"]),
            complaints=ServiceContact(**data["complaints"]),
            shipped_default=bool(data.get("shipped_default", False)),
        )


def _contact_dict(contact: ServiceContact) -> dict[str, str]:
    return {
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "website": contact.website,
    }


def _contact(table: object, where: str) -> ServiceContact:
    if not isinstance(table, Mapping):
        raise ValueError(f"In the contacts file, [{where}] must be a table of name, phone...")
    unknown = sorted(set(table) - {"name", "phone", "email", "website"})
    if unknown:
        raise ValueError(
            f"In the contacts file, [{where}] has entries IRO Desktop does not know: "
            f"{', '.join(unknown)}. Use name, phone, email and website."
        )
    values = {k: table.get(k, "") for k in ("name", "phone", "email", "website")}
    for key, value in values.items():
        if not isinstance(value, str):
            raise ValueError(f"In the contacts file, {where}.{key} must be text in quotes.")
    try:
        return ServiceContact(**values)
    except ValueError as exc:
        raise ValueError(f"In the contacts file, [{where}]: {exc}") from None


def load_contacts(profile_key: str, path: Path | None = None) -> Contacts:
    """The contacts for a practice profile: its own table over the [default] one."""
    path = path or resource_path("contacts.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ValueError(f"Could not read the contacts file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"The contacts file {path} is not valid TOML: {exc}.") from None
    default = data.get("default")
    if not isinstance(default, Mapping):
        raise ValueError(f"The contacts file {path} needs a [default] table.")
    own = data.get(profile_key, {})
    if not isinstance(own, Mapping):
        raise ValueError(f"In the contacts file, [{profile_key}] must be a table.")

    def pick(key: str) -> tuple[object, str, bool]:
        if key in own:
            return own[key], f"{profile_key}.{key}", False
        if key not in default:
            raise ValueError(f"The contacts file {path} has no [default.{key}].")
        return default[key], f"default.{key}", True

    name, where, _ = pick("service_name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"In the contacts file, {where} must be some text.")
    advocacy, advocacy_where, _ = pick("advocacy")
    complaints, complaints_where, complaints_default = pick("complaints")
    return Contacts(
        service_name=name.strip(),
        advocacy=_contact(advocacy, advocacy_where),
        complaints=_contact(complaints, complaints_where),
        # NYAS is a real advocacy service every looked-after child can use; a complaint,
        # though, goes to the child's own council, so only that must be local.
        shipped_default=complaints_default,
    )


# --- the snapshot -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SnapshotChild:
    id: str
    la_child_id: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    care_leaver: bool
    sex: str = ""
    first_language: str = ""
    interpreter: bool = False

    @property
    def legal_name(self) -> str:
        return " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)


@dataclass(frozen=True, kw_only=True)
class LetterSnapshot:
    """The facts a letter version and its record are printed from, as JSON-ready data."""

    review: Review
    child: SnapshotChild
    iro_name: str
    iro_phone: str
    iro_email: str
    contacts: Contacts
    next_review: date | None
    written_on: date
    basis: SeriesBasis = SeriesBasis.FIRST_MEETING
    # The child's previous review's recommendations ("what we agreed last time"); None when
    # this is their first review.
    previous: tuple[rv.Recommendation, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        c = self.child
        return {
            "schema": SNAPSHOT_SCHEMA,
            "review": self.review.to_dict(),
            "child": {
                "id": c.id,
                "la_child_id": c.la_child_id,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "preferred_name": c.preferred_name,
                "date_of_birth": c.date_of_birth.isoformat(),
                "care_leaver": c.care_leaver,
                "sex": c.sex,
                "first_language": c.first_language,
                "interpreter": c.interpreter,
            },
            "iro": {"name": self.iro_name, "phone": self.iro_phone, "email": self.iro_email},
            "contacts": self.contacts.to_dict(),
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "written_on": self.written_on.isoformat(),
            "basis": self.basis.value,
            "previous": None if self.previous is None else [r.to_dict() for r in self.previous],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LetterSnapshot:
        try:
            schema = data.get("schema")
            if schema != SNAPSHOT_SCHEMA:
                raise ValueError(f"it is in format {schema!r}, this version reads format 1")
            child = dict(data["child"])
            child["date_of_birth"] = date.fromisoformat(child["date_of_birth"])
            iro = data["iro"]
            next_review = data.get("next_review")
            previous = data.get("previous")
            return cls(
                review=Review.from_dict(data["review"]),
                child=SnapshotChild(**child),
                iro_name=str(iro["name"]),
                iro_phone=str(iro["phone"]),
                iro_email=str(iro["email"]),
                contacts=Contacts.from_dict(data["contacts"]),
                next_review=date.fromisoformat(next_review) if next_review else None,
                written_on=date.fromisoformat(data["written_on"]),
                basis=SeriesBasis(data.get("basis", SeriesBasis.FIRST_MEETING.value)),
                previous=None
                if previous is None
                else tuple(rv.Recommendation.from_dict(r) for r in previous),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(
                f"The facts stored with this letter could not be read ({exc})."
            ) from None


# --- next review ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewDates:
    """What `next_review_date` needs to know about each of the child's stored reviews."""

    id: str
    kind: str
    status: str
    period_id: int | None
    due_date: date
    planned_date: date | None
    held_on: date | None  # the date it counts as held (profile's basis), None if not held


def next_review_date(
    review: Review,
    others: Sequence[ReviewDates],
    *,
    period_start: date | None,
    period_end: date | None,
    period_id: int | None,
    first_review_working_days: int,
    calendar: Any,
    basis: SeriesBasis,
) -> date | None:
    """When the child's next review is: the one already booked, else the statutory due date.

    None when there is no next review to tell the child about (they have left care).
    """
    completed = rv.completion_date(review) or _last_held(review)
    held_on = rv.timeliness_date(review, basis) or rv.first_meeting_date(review)
    if completed is None or held_on is None:
        return None
    later = sorted(
        (
            r
            for r in others
            if r.id != review.id and r.kind == review.kind.value and r.due_date > review.due_on
        ),
        key=lambda r: r.due_date,
    )
    if later:
        booked = later[0]
        if booked.held_on is not None:
            when = booked.held_on
        elif booked.status == rv.ReviewStatus.STOOD_DOWN.value:
            when = booked.due_date
        else:
            when = booked.planned_date or booked.due_date
        if when > completed:
            return when
    if review.kind is ReviewKind.PATHWAY_PLAN:
        due: date | None = timescales.pathway_review_due(held_on)
    else:
        if period_start is None or (period_end is not None and period_end <= completed):
            return None  # no longer looked after: no looked-after review to come
        held = {
            r.held_on
            for r in others
            if r.kind == review.kind.value
            and r.held_on is not None
            and (r.period_id is None or r.period_id == period_id)
            and period_start <= r.held_on <= held_on
        }
        held.add(held_on)
        due = timescales.next_review_due(
            period_start,
            held,
            first_review_working_days=first_review_working_days,
            calendar=calendar,
        )
    if due is None:
        return None
    # The child is told a day a meeting can happen, not a deadline that falls on a Sunday.
    due = calendar.last_working_day_on_or_before(due)
    return due if due > completed else None


def _last_held(review: Review) -> date | None:
    held = rv.held_meetings(review)
    return held[-1].on if held else None


# --- the letter ---------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _items(text: str) -> list[str]:
    """A note as separate single-line items: one per line, list markers dropped."""
    items = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line)
        line = " ".join(line.split())
        if line:
            items.append(line)
    return items


def _chairing(review: Review) -> Chairing:
    role = review.child_chair or review.preparation.child_choices.chair
    if role is ChairRole.CHAIR:
        return Chairing.CHAIRED
    if role is ChairRole.CO_CHAIR:
        return Chairing.CO_CHAIRED
    return Chairing.NO


def _child_came(review: Review, name: str, notes: list[DraftNote]) -> bool:
    for person in rv.merged_attendance(review):
        if person.role is InviteeRole.CHILD and person.attendance is not None:
            return person.attendance is Attendance.ATTENDED
    code = review.participation_code
    if code is not None:
        return code in rv.ATTENDED_CODES
    notes.append(
        DraftNote(
            "child_attendance_unknown",
            f"Whether {name} came to the review is not recorded (no attendance and no "
            "participation code), so the letter thanks them for coming. Check this.",
        )
    )
    return True


def _people(
    review: Review, notes: list[DraftNote]
) -> tuple[list[LetterPerson], list[LetterPerson]]:
    came: list[LetterPerson] = []
    views: list[LetterPerson] = []
    for person in rv.merged_attendance(review):
        if person.role is InviteeRole.CHILD:
            continue
        if person.attendance not in (Attendance.ATTENDED, Attendance.SENT_VIEWS):
            continue
        if not person.name.strip():
            notes.append(
                DraftNote(
                    "person_without_name",
                    f"Someone recorded as '{person.role.label}' has no name, so the letter "
                    "does not list them. Add their name to the review to include them.",
                )
            )
            continue
        entry = LetterPerson(person.name.strip(), person.role.value)
        (came if person.attendance is Attendance.ATTENDED else views).append(entry)
    return came, views


def _decisions(review: Review) -> list[str]:
    """What needs to happen, from each topic. Never the IRO's view of the plan, nor the plan
    notes: those are the IRO's professional record, not something decided with the child."""
    return [i for t in review.topics for i in _items(t.needs_to_happen)]


_SAID = {
    rv.ViewSource.CONSULTATION_FORM: "consultation_form",
    rv.ViewSource.MIND_OF_MY_OWN: "mind_of_my_own",
    rv.ViewSource.IN_MEETING: "in_meeting",
    rv.ViewSource.TO_IRO: "to_iro",
    rv.ViewSource.OTHER: "other",
}

_ASKED = {
    rv.ContactMethod.VISIT: "I came to see you before the review to ask what you think.",
    rv.ContactMethod.PHONE: "I rang you before the review to ask what you think.",
    rv.ContactMethod.VIDEO: "I talked with you on a video call before the review.",
    rv.ContactMethod.MIND_OF_MY_OWN: "I asked you to tell me what you think on Mind of My Own.",
    rv.ContactMethod.HAVE_YOUR_SAY: "I sent you a form to tell me what you think.",
}


def _views_sought(review: Review) -> str:
    """How the child's views were sought: the IRO's words, else from the recorded contacts."""
    if review.views_sought.strip():
        return review.views_sought
    said = []
    for contact in review.preparation.child_contacts:
        if contact.method in _ASKED and _ASKED[contact.method] not in said:
            said.append(_ASKED[contact.method])
    return " ".join(said)


def _last_time(previous: tuple[rv.Recommendation, ...] | None) -> tuple[LastTime, ...] | None:
    if previous is None:
        return None
    out = []
    for rec in previous:
        wording = " ".join((rec.child_wording or rec.action).split())
        if not wording:
            continue
        if rec.status is RecommendationStatus.DONE:
            out.append(LastTime(wording, Outcome.DONE, rec.status_note, rec.status_on))
        elif rec.status is RecommendationStatus.DROPPED:
            out.append(LastTime(wording, Outcome.CHANGED, rec.status_note, rec.status_on))
        else:
            out.append(LastTime(wording, Outcome.NOT_DONE, rec.status_note))
    return tuple(out)


def _working_day(due: date, calendar: Any, notes: list[DraftNote], action: str) -> date:
    """A 'by' date the child can count on: a weekend or bank holiday moves to the working day
    before it (done by Friday is done by Saturday)."""
    if calendar is None or calendar.is_working_day(due):
        return due
    day = due
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    notes.append(
        DraftNote(
            "due_not_working_day",
            f"'{action}' is due on {format_date(due)}, which is not a working day; the letter "
            f"says {format_date(day)}. Change the due date in the review if that is wrong.",
        )
    )
    return day


def _live_recommendations(review: Review) -> list[rv.Recommendation]:
    return [r for r in review.recommendations if r.status is not RecommendationStatus.DROPPED]


def _checked_recommendation(rec: rv.Recommendation) -> tuple[str, str, date]:
    action = " ".join(rec.action.split())
    if not action:
        raise ValueError(
            f"Recommendation {rec.id} has no action written down. Add what is to be done "
            "before writing the letter."
        )
    if not rec.owner.strip():
        raise ValueError(
            f"The recommendation '{action}' has no owner. Add who will do it before writing "
            "the letter."
        )
    if rec.due_on is None:
        raise ValueError(
            f"The recommendation '{action}' has no date to be done by. Add one before "
            "writing the letter."
        )
    return action, rec.owner.strip(), rec.due_on


def _iro_contact(snap: LetterSnapshot) -> IroContact:
    name = snap.iro_name.strip() or "Your Independent Reviewing Officer"
    try:
        return IroContact(name, snap.iro_phone.strip(), snap.iro_email.strip())
    except ValueError as exc:
        raise ValueError(
            f"{exc} Add a work phone number or email address to {name}'s login details."
        ) from None


def letter_facts(
    snap: LetterSnapshot, calendar: Any = None
) -> tuple[LetterFacts, tuple[DraftNote, ...]]:
    """The letter's facts, and notes on what the IRO should check in the draft.

    With the practice profile's `calendar`, due dates that fall on a weekend or bank holiday
    are told to the child as the working day before.
    """
    review, child = snap.review, snap.child
    held = rv.held_meetings(review)
    if not held:
        raise ValueError(NO_MEETINGS)
    notes: list[DraftNote] = []
    name = child.preferred_name.strip() or child.first_name.strip() or child.legal_name
    came, views = _people(review, notes)
    recommendations = []
    for rec in _live_recommendations(review):
        action, owner, due = _checked_recommendation(rec)
        due = _working_day(due, calendar, notes, action)
        recommendations.append(
            LetterRecommendation(
                action, owner, due, child_wording=" ".join(rec.child_wording.split()) or None
            )
        )
    if not rv.reached(review.status, rv.ReviewStatus.COMPLETED) or rv.series_open(review):
        notes.append(
            DraftNote(
                "review_not_complete",
                "The review is not marked complete yet, so this letter only covers the "
                "meetings held so far.",
            )
        )
    if snap.contacts.shipped_default:
        notes.append(
            DraftNote(
                "default_contacts",
                "The complaints contact is the national placeholder shipped with IRO Desktop, "
                "not your council's. Ask for your service's own to be set up in contacts.toml.",
            )
        )
    facts = LetterFacts(
        legal_name=child.legal_name,
        preferred_name=child.preferred_name.strip() or None,
        date_of_birth=child.date_of_birth,
        # A care leaver's earlier looked-after reviews were written to the child they were.
        care_leaver=review.kind is ReviewKind.PATHWAY_PLAN
        or (child.care_leaver and age_on(child.date_of_birth, held[0].on) >= 16),
        meeting_dates=tuple(m.on for m in held),
        written_on=snap.written_on,
        child_came=_child_came(review, name, notes),
        child_chaired=_chairing(review),
        came=tuple(came),
        shared_views=tuple(views),
        going_well=tuple(i for t in review.topics for i in _items(t.working_well)),
        worries=tuple(i for t in review.topics for i in _items(t.worried_about)),
        decisions=tuple(_decisions(review)),
        recommendations=tuple(recommendations),
        next_review=snap.next_review,
        iro=_iro_contact(snap),
        advocacy=snap.contacts.advocacy,
        complaints=snap.contacts.complaints,
        service_name=snap.contacts.service_name,
        sex=child.sex,
        child_words=tuple(
            ChildWords(" ".join(v.words.split()), _SAID[v.source])
            for v in review.child_views
            if v.words.strip()
        ),
        views_sought=_views_sought(review),
        last_time=_last_time(snap.previous),
        first_language=child.first_language,
        interpreter=child.interpreter,
    )
    return facts, tuple(notes)


# --- the record of the review -----------------------------------------------------------------

_PARTICIPATION = {
    Attendance.ATTENDED: Participation.ATTENDED,
    Attendance.SENT_VIEWS: Participation.SENT_VIEWS,
    Attendance.APOLOGIES: Participation.APOLOGIES,
}


def _attendees(review: Review, meeting: rv.Meeting, child_name: str) -> tuple[RecordAttendee, ...]:
    people = []
    for entry in meeting.attendance:
        participation = _PARTICIPATION.get(entry.attendance)
        if participation is None:
            continue
        invitee = review.invitee(entry.key)
        role = invitee.role if invitee else InviteeRole.OTHER
        name = invitee.name.strip() if invitee else ""
        if not name:
            name = child_name if role is InviteeRole.CHILD else f"{role.label} (name not recorded)"
        people.append(RecordAttendee(name, role.value, participation))
    return tuple(people)


def _yes_no_note(agreed: bool | None, yes: str, no: str, note: str) -> str:
    lead = {True: yes, False: no, None: ""}[agreed]
    return " ".join(p for p in (lead, " ".join(note.split())) if p)


def record_facts(
    snap: LetterSnapshot, signoff: SignOffStamp | None = None
) -> tuple[RecordFacts, tuple[DraftNote, ...]]:
    """The professional record of the review, and notes on what it had to fill in."""
    review, child = snap.review, snap.child
    held = rv.held_meetings(review)
    if not held:
        raise ValueError(NO_MEETINGS)
    if review.participation_code is None and review.kind is not ReviewKind.PATHWAY_PLAN:
        raise ValueError(
            f"Record {child.legal_name}'s participation code (PN0 to PN7) in the review "
            "before making the record."
        )
    notes: list[DraftNote] = []
    meetings = []
    for m in held:
        if not m.venue.strip():
            notes.append(
                DraftNote(
                    "venue_missing",
                    f"The meeting on {format_date(m.on)} has no venue; the "
                    f"record says '{VENUE_NOT_RECORDED}'.",
                )
            )
        meetings.append(
            RecordMeeting(
                m.on,
                m.venue.strip() or VENUE_NOT_RECORDED,
                _attendees(review, m, child.legal_name),
                m.notes,
                held_separately=held_separately_words(m.separate_reason, m.separate_reason_note),
            )
        )
    topics = tuple(
        RecordTopic(t.topic.label, t.working_well, t.worried_about, t.needs_to_happen)
        for t in review.topics
        if t.covered
        or t.working_well.strip()
        or t.worried_about.strip()
        or t.needs_to_happen.strip()
    )
    if review.kind is ReviewKind.PATHWAY_PLAN:
        plan = _yes_no_note(
            review.pathway_plan_in_place,
            "Pathway plan in place.",
            "Pathway plan not in place.",
            review.pathway_plan_note,
        )
    else:
        plan = _yes_no_note(
            review.permanence_plan_agreed,
            "Permanence plan agreed.",
            "Permanence plan not agreed yet.",
            review.permanence_plan_note,
        )
    recommendations = tuple(
        RecordRecommendation(*_checked_recommendation(r)) for r in _live_recommendations(review)
    )
    view = review.plan_view
    facts = RecordFacts(
        child_name=child.legal_name,
        child_ids=(ChildId("LA number", child.la_child_id),) if child.la_child_id.strip() else (),
        date_of_birth=child.date_of_birth,
        review_kind=RecordKind(review.kind.value),
        due_date=review.due_on,
        meetings=tuple(meetings),
        participation_code=review.participation_code,
        social_worker_attended=rv.attended(review, InviteeRole.SOCIAL_WORKER),
        social_worker_report=review.preparation.social_worker_report_received_on is not None,
        parents_attended=rv.attended(review, InviteeRole.PARENT),
        child_chaired=_chairing(review),
        topics=topics,
        permanence_plan=plan,
        iro_view=view.view,
        endorsed_on=view.endorsed_on if view.endorsed else None,
        recommendations=recommendations,
        iro_name=snap.iro_name.strip() or "Not recorded",
        service_name=snap.contacts.service_name,
        timeliness_date=rv.timeliness_date(review, snap.basis),
        signoff=signoff,
    )
    return facts, tuple(notes)
