"""The facts of the professional record of a review, and the sign-off stamp printed on it.

The record is what the service keeps and reports from (domain brief 4.2); the letter to the
child says the same things in the child's words. Building a RecordFacts checks the facts
hang together, so a record that would be wrong on paper (a review with no meetings, a
recommendation with no owner) is refused with a message the IRO can act on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.codes import PARTICIPATION_CODES, PERSON_ROLES, check_participation_code

# Roles a record lists besides the professional roles in codes.PERSON_ROLES.
RECORD_ROLES: dict[str, str] = {
    "child": "Child / young person",
    "iro": "Independent Reviewing Officer",
    **PERSON_ROLES,
}


class ReviewKind(Enum):
    LOOKED_AFTER = "looked_after"
    PATHWAY_PLAN = "pathway_plan"

    @property
    def label(self) -> str:
        return (
            "Looked-after child review"
            if self is ReviewKind.LOOKED_AFTER
            else ("Pathway plan review")
        )


class Chairing(Enum):
    """Whether the child chaired their own review (a participation measure the service reports)."""

    NO = "no"
    CHAIRED = "chaired"
    CO_CHAIRED = "co_chaired"

    @property
    def label(self) -> str:
        return {"no": "No", "chaired": "Chaired", "co_chaired": "Co-chaired"}[self.value]


class Participation(Enum):
    ATTENDED = "attended"
    SENT_VIEWS = "sent_views"
    APOLOGIES = "apologies"

    @property
    def label(self) -> str:
        return {
            "attended": "Attended",
            "sent_views": "Sent views",
            "apologies": "Apologies",
        }[self.value]


def _require_text(value: str, what: str) -> None:
    if not value.strip():
        raise ValueError(f"{what} is empty; please fill it in.")


@dataclass(frozen=True)
class ChildId:
    """An identifier printed on the record, e.g. ('LA number', '100234')."""

    label: str
    value: str

    def __post_init__(self) -> None:
        _require_text(self.label, "The label of a child identifier")
        _require_text(self.value, f"The child's {self.label}")


@dataclass(frozen=True)
class RecordAttendee:
    name: str
    role: str  # a key of RECORD_ROLES
    participation: Participation

    def __post_init__(self) -> None:
        _require_text(self.name, "An attendee's name")
        if self.role not in RECORD_ROLES:
            raise ValueError(
                f"'{self.role}' is not a role the record knows for {self.name}. "
                f"Use one of: {', '.join(RECORD_ROLES)}."
            )

    @property
    def role_label(self) -> str:
        return RECORD_ROLES[self.role]


@dataclass(frozen=True)
class Meeting:
    """One meeting of a review; a review held as a series has several."""

    held_on: date
    venue: str
    attendees: tuple[RecordAttendee, ...] = ()
    notes: str = ""
    # Why a later meeting of a series was held apart from the others, in words ("" if not).
    held_separately: str = ""

    def __post_init__(self) -> None:
        check_in_range(self.held_on, "meeting date")
        _require_text(self.venue, f"The venue of the meeting on {self.held_on.isoformat()}")


SEPARATE_REASON_WORDS = {
    "cannot_share_a_room": "people who could not be in the same room",
    "restraining_order": "a restraining order",
    "young_persons_wish": "the young person's wish",
    "unavoidable_delay": "unavoidable delay (someone could only come another day)",
}


def held_separately_words(reason: str | None, note: str = "") -> str:
    """Why a meeting of a series was held separately, as the record says it ("" if it was
    not): the reason chosen, then the IRO's own words about it."""
    note = " ".join(note.split())
    if reason is None and not note:
        return ""
    words = SEPARATE_REASON_WORDS.get(str(reason or ""), "")
    if words:
        return f"Held separately because of {words}" + (f": {note}" if note else ".")
    return f"Held separately: {note}" if note else "Held separately."


@dataclass(frozen=True)
class Topic:
    """A topic covered, in Signs of Safety terms."""

    name: str
    working_well: str = ""
    worried_about: str = ""
    needs_to_happen: str = ""

    def __post_init__(self) -> None:
        _require_text(self.name, "A topic's name")


@dataclass(frozen=True)
class Recommendation:
    action: str
    owner: str
    due: date

    def __post_init__(self) -> None:
        _require_text(self.action, "A recommendation's action")
        _require_text(self.owner, f"The owner of the recommendation '{self.action}'")
        check_in_range(self.due, "recommendation due date")


@dataclass(frozen=True)
class SignOffStamp:
    """A manager's approval of one version of the minutes or letter, printed on the PDF."""

    version: int
    content_hash: str  # hex SHA-256 of the approved text, see content_hash()
    approved_by: str
    approved_at: datetime

    def __post_init__(self) -> None:
        if self.version < 1:
            raise ValueError(f"A sign-off version must be 1 or more, not {self.version}.")
        if len(self.content_hash) < 12 or any(
            c not in "0123456789abcdef" for c in self.content_hash
        ):
            raise ValueError(
                f"'{self.content_hash}' is not a content hash (expected lowercase hex digits)."
            )
        _require_text(self.approved_by, "The name of the manager who approved it")

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


def content_hash(text: str) -> str:
    """The hash that identifies one exact version of a letter or record text.

    Line endings are normalised first, so the same words saved on Windows and Linux agree.
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class RecordFacts:
    """Everything printed on the professional record of one review."""

    child_name: str
    child_ids: tuple[ChildId, ...] = ()
    date_of_birth: date | None = None
    review_kind: ReviewKind = ReviewKind.LOOKED_AFTER
    due_date: date
    meetings: tuple[Meeting, ...]
    # The DfE's PN code for a looked-after review; a pathway plan review has none (None).
    participation_code: str | None
    social_worker_attended: bool
    social_worker_report: bool
    parents_attended: bool
    child_chaired: Chairing = Chairing.NO
    topics: tuple[Topic, ...] = ()
    permanence_plan: str = ""
    iro_view: str = ""
    endorsed_on: date | None = None
    recommendations: tuple[Recommendation, ...] = ()
    iro_name: str
    service_name: str = "Independent Reviewing Service"
    # The date timeliness is judged on. Default: the first meeting (the review is "held" then,
    # domain brief 4.3); a practice profile with another basis passes its own date.
    timeliness_date: date | None = None
    signoff: SignOffStamp | None = None
    meetings_sorted: tuple[Meeting, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _require_text(self.child_name, "The child's name")
        _require_text(self.iro_name, "The IRO's name")
        if not self.meetings:
            raise ValueError(
                f"The review for {self.child_name} has no meetings. Add the date and venue of "
                "at least one meeting before making the record."
            )
        check_in_range(self.due_date, "review due date")
        if self.participation_code is not None:
            object.__setattr__(
                self, "participation_code", check_participation_code(self.participation_code)
            )
        elif self.review_kind is not ReviewKind.PATHWAY_PLAN:
            raise ValueError(
                f"Record {self.child_name}'s participation code (PN0 to PN7) in the review "
                "before making the record."
            )
        ordered = tuple(sorted(self.meetings, key=lambda m: m.held_on))
        object.__setattr__(self, "meetings_sorted", ordered)
        if self.date_of_birth is not None and self.date_of_birth > ordered[0].held_on:
            raise ValueError(
                f"{self.child_name}'s date of birth ({self.date_of_birth.isoformat()}) is after "
                f"the first meeting ({ordered[0].held_on.isoformat()})."
            )
        if self.endorsed_on is not None and self.endorsed_on < ordered[0].held_on:
            raise ValueError(
                f"The plan is recorded as endorsed on {self.endorsed_on.isoformat()}, before "
                f"the review's first meeting on {ordered[0].held_on.isoformat()}."
            )
        for rec in self.recommendations:
            if rec.due < ordered[0].held_on:
                raise ValueError(
                    f"The recommendation '{rec.action}' is due on {rec.due.isoformat()}, before "
                    f"the review's first meeting on {ordered[0].held_on.isoformat()}."
                )

    @property
    def held_on(self) -> date:
        """The review is held on the date of its first meeting."""
        return self.meetings_sorted[0].held_on

    @property
    def completed_on(self) -> date:
        """The review is complete when its last meeting ends."""
        return self.meetings_sorted[-1].held_on

    @property
    def is_series(self) -> bool:
        return len(self.meetings) > 1

    @property
    def judged_on(self) -> date:
        return self.timeliness_date if self.timeliness_date is not None else self.held_on

    @property
    def in_timescale(self) -> bool:
        return self.judged_on <= self.due_date

    @property
    def participation_meaning(self) -> str:
        if self.participation_code is None:
            return "No participation code: pathway plan reviews are not in the DfE return."
        return PARTICIPATION_CODES[self.participation_code]

    @property
    def participation_words(self) -> str:
        """The participation line of the record: 'PN1: ...', or why a pathway review has none."""
        if self.participation_code is None:
            return self.participation_meaning
        return f"{self.participation_code}: {self.participation_meaning}"
