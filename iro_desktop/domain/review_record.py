"""What a review record holds: preparation, meetings, the record of the review, recommendations.

Frozen dataclasses. A record may be an unfinished draft (the IRO saves as they go, offline),
so constructors refuse only what can never be right (a blank id, an unknown participation
code); everything a draft may still be missing is reported by `review_checks.check_review`.
Changes go through the lifecycle functions, which return a new record plus an event.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Self

from iro_desktop.domain.codes import PERSON_ROLES, check_participation_code
from iro_desktop.domain.review_codec import Record, from_plain

REVIEW_SCHEMA = 1


class ReviewStatus(enum.StrEnum):
    PLANNED = "planned"
    PREPARING = "preparing"
    HELD = "held"
    COMPLETED = "completed"
    RECOMMENDATIONS_ISSUED = "recommendations_issued"
    LETTER_DRAFTED = "letter_drafted"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ISSUED = "issued"
    STOOD_DOWN = "stood_down"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ReviewStatus.PLANNED: "Planned",
    ReviewStatus.PREPARING: "Preparing",
    ReviewStatus.HELD: "Held",
    ReviewStatus.COMPLETED: "Completed",
    ReviewStatus.RECOMMENDATIONS_ISSUED: "Recommendations issued",
    ReviewStatus.LETTER_DRAFTED: "Letter drafted",
    ReviewStatus.SUBMITTED: "Submitted for sign-off",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.ISSUED: "Issued",
    ReviewStatus.STOOD_DOWN: "Stood down",
}

# The order a review normally moves through; stood down sits outside it.
PROGRESS: tuple[ReviewStatus, ...] = (
    ReviewStatus.PLANNED,
    ReviewStatus.PREPARING,
    ReviewStatus.HELD,
    ReviewStatus.COMPLETED,
    ReviewStatus.RECOMMENDATIONS_ISSUED,
    ReviewStatus.LETTER_DRAFTED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
    ReviewStatus.ISSUED,
)


def reached(status: ReviewStatus, milestone: ReviewStatus) -> bool:
    """True when `status` is `milestone` or later in the normal order."""
    if status is ReviewStatus.STOOD_DOWN or milestone is ReviewStatus.STOOD_DOWN:
        return status is milestone
    return PROGRESS.index(status) >= PROGRESS.index(milestone)


class ReviewKind(enum.StrEnum):
    LOOKED_AFTER = "looked_after"
    PATHWAY_PLAN = "pathway_plan"


class InviteeRole(enum.StrEnum):
    CHILD = "child"
    PARENT = "parent"
    CARER = "carer"
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    HEALTH = "health"
    EDUCATION = "education"
    ADVOCATE = "advocate"
    INDEPENDENT_VISITOR = "independent_visitor"
    PERSONAL_ADVISER = "personal_adviser"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "Child" if self is InviteeRole.CHILD else PERSON_ROLES[self.value]


class ContactMethod(enum.StrEnum):
    VISIT = "visit"
    PHONE = "phone"
    VIDEO = "video"
    MIND_OF_MY_OWN = "mind_of_my_own"
    HAVE_YOUR_SAY = "have_your_say"
    NONE = "none"


class ChairRole(enum.StrEnum):
    CHAIR = "chair"
    CO_CHAIR = "co_chair"
    NEITHER = "neither"


class SeparateReason(enum.StrEnum):
    """Why a meeting of a series was held apart from the others."""

    CANNOT_SHARE_A_ROOM = "cannot_share_a_room"
    RESTRAINING_ORDER = "restraining_order"
    YOUNG_PERSONS_WISH = "young_persons_wish"
    UNAVOIDABLE_DELAY = "unavoidable_delay"
    OTHER = "other"


class Attendance(enum.StrEnum):
    ATTENDED = "attended"
    SENT_VIEWS = "sent_views"
    APOLOGIES = "apologies"
    NOT_INVITED = "not_invited"


class Topic(enum.StrEnum):
    # Looked-after review (domain 4.2)
    HEALTH = "health"
    EDUCATION = "education"
    PLACEMENT_STABILITY = "placement_stability"
    FAMILY_TIME = "family_time"
    IDENTITY = "identity"
    EMOTIONAL_WELLBEING = "emotional_wellbeing"
    LEGAL_STATUS_AND_COURT = "legal_status_and_court"
    PERMANENCE_PLAN = "permanence_plan"
    PATHWAY_PLAN = "pathway_plan"
    ADVOCACY_OFFERED = "advocacy_offered"
    INDEPENDENT_VISITOR_CONSIDERED = "independent_visitor_considered"
    KNOWS_HOW_TO_COMPLAIN = "knows_how_to_complain"
    COMMUNICATION_NEEDS = "communication_needs"
    # Pathway plan review (care leavers); health is shared with the list above
    ACCOMMODATION = "accommodation"
    EDUCATION_EMPLOYMENT_TRAINING = "education_employment_training"
    MONEY = "money"
    RELATIONSHIPS = "relationships"
    PERSONAL_ADVISER = "personal_adviser"
    STAYING_PUT = "staying_put"

    @property
    def label(self) -> str:
        return _TOPIC_LABELS[self]


_TOPIC_LABELS = {
    Topic.HEALTH: "Health (health assessment, dental)",
    Topic.EDUCATION: "Education (PEP, EHCP)",
    Topic.PLACEMENT_STABILITY: "Where the child lives (placement stability)",
    Topic.FAMILY_TIME: "Family time",
    Topic.IDENTITY: "Identity",
    Topic.EMOTIONAL_WELLBEING: "Emotional wellbeing (SDQ)",
    Topic.LEGAL_STATUS_AND_COURT: "Legal status and court timetable",
    Topic.PERMANENCE_PLAN: "Permanence plan",
    Topic.PATHWAY_PLAN: "Pathway plan (16+)",
    Topic.ADVOCACY_OFFERED: "Advocacy offered",
    Topic.INDEPENDENT_VISITOR_CONSIDERED: "Independent visitor considered",
    Topic.KNOWS_HOW_TO_COMPLAIN: "Knows how to complain",
    Topic.COMMUNICATION_NEEDS: "Communication needs",
    Topic.ACCOMMODATION: "Accommodation",
    Topic.EDUCATION_EMPLOYMENT_TRAINING: "Education, employment or training",
    Topic.MONEY: "Money",
    Topic.RELATIONSHIPS: "Relationships",
    Topic.PERSONAL_ADVISER: "Personal adviser",
    Topic.STAYING_PUT: "Staying put",
}

LOOKED_AFTER_TOPICS: tuple[Topic, ...] = (
    Topic.HEALTH,
    Topic.EDUCATION,
    Topic.PLACEMENT_STABILITY,
    Topic.FAMILY_TIME,
    Topic.IDENTITY,
    Topic.EMOTIONAL_WELLBEING,
    Topic.LEGAL_STATUS_AND_COURT,
    Topic.PERMANENCE_PLAN,
    Topic.PATHWAY_PLAN,
    Topic.ADVOCACY_OFFERED,
    Topic.INDEPENDENT_VISITOR_CONSIDERED,
    Topic.KNOWS_HOW_TO_COMPLAIN,
    Topic.COMMUNICATION_NEEDS,
)

PATHWAY_TOPICS: tuple[Topic, ...] = (
    Topic.ACCOMMODATION,
    Topic.EDUCATION_EMPLOYMENT_TRAINING,
    Topic.HEALTH,
    Topic.MONEY,
    Topic.RELATIONSHIPS,
    Topic.PERSONAL_ADVISER,
    Topic.STAYING_PUT,
)

PATHWAY_PLAN_AGE = 16


def topic_checklist(kind: ReviewKind, child_age: int | None = None) -> tuple[Topic, ...]:
    """The topics a review of this kind should cover; the pathway plan topic from 16."""
    if kind is ReviewKind.PATHWAY_PLAN:
        return PATHWAY_TOPICS
    if child_age is not None and child_age < PATHWAY_PLAN_AGE:
        return tuple(t for t in LOOKED_AFTER_TOPICS if t is not Topic.PATHWAY_PLAN)
    return LOOKED_AFTER_TOPICS


class RecommendationStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


def say_date(d: date) -> str:
    """A date as people write it in letters and messages: 3 March 2025."""
    return f"{d.day} {d.strftime('%B %Y')}"


def _require_text(value: str, what: str) -> None:
    if not value.strip():
        raise ValueError(f"{what} cannot be blank.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Invitee(Record):
    """Someone invited to (or known to) the review; `key` links them to meeting attendance."""

    key: str
    role: InviteeRole
    name: str = ""
    invited: bool = True
    consultation_sent_on: date | None = None
    consultation_received_on: date | None = None

    def __post_init__(self) -> None:
        _require_text(self.key, "A person's key in the review")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildContact(Record):
    """The IRO's contact with the child before the review; NONE needs a reason."""

    on: date | None = None
    method: ContactMethod = ContactMethod.VISIT
    reason_if_none: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildChoices(Record):
    """What the child chose about their review (None: not asked or not answered yet)."""

    venue: str = ""
    who_comes: tuple[str, ...] = ()
    agenda_items: tuple[str, ...] = ()
    chair: ChairRole | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Preparation(Record):
    invitees: tuple[Invitee, ...] = ()
    child_contacts: tuple[ChildContact, ...] = ()
    child_choices: ChildChoices = field(default_factory=ChildChoices)
    social_worker_report_received_on: date | None = None
    care_plan_received_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceEntry(Record):
    key: str
    attendance: Attendance


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting(Record):
    """One meeting of the review. `held` False: arranged for later in a series.

    `final` is set when the review is completed: it marks the last meeting of the series.
    """

    on: date
    venue: str = ""
    held: bool = True
    final: bool = False
    separate_reason: SeparateReason | None = None
    separate_reason_note: str = ""
    attendance: tuple[AttendanceEntry, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicNote(Record):
    """A checklist topic in Signs of Safety terms."""

    topic: Topic
    covered: bool = False
    working_well: str = ""
    worried_about: str = ""
    needs_to_happen: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation(Record):
    id: str
    action: str = ""
    owner: str = ""
    due_on: date | None = None
    child_wording: str = ""
    status: RecommendationStatus = RecommendationStatus.OPEN
    status_on: date | None = None
    status_note: str = ""

    def __post_init__(self) -> None:
        _require_text(self.id, "A recommendation's id")


class ViewSource(enum.StrEnum):
    """How the child gave their views for the review, in their own words."""

    CONSULTATION_FORM = "consultation_form"
    MIND_OF_MY_OWN = "mind_of_my_own"
    IN_MEETING = "in_meeting"
    TO_IRO = "to_iro"  # to the IRO before the review (a visit, a call)
    OTHER = "other"

    @property
    def label(self) -> str:
        return _VIEW_SOURCE_LABELS[self]


_VIEW_SOURCE_LABELS = {
    ViewSource.CONSULTATION_FORM: "Consultation form",
    ViewSource.MIND_OF_MY_OWN: "Mind of My Own",
    ViewSource.IN_MEETING: "Said in the meeting",
    ViewSource.TO_IRO: "Told the IRO before the review",
    ViewSource.OTHER: "Other",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildView(Record):
    """Something the child said or wrote for the review, kept in their own words: the letter
    quotes it back to them ('What you told me')."""

    words: str
    source: ViewSource = ViewSource.IN_MEETING
    on: date | None = None

    def __post_init__(self) -> None:
        _require_text(self.words, "The child's words")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanView(Record):
    """The IRO's view of the care plan and whether (and when) the IRO endorsed it."""

    view: str = ""
    endorsed: bool | None = None
    endorsed_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rearrangement(Record):
    on: date
    from_date: date
    to_date: date
    reason: str
    after_stand_down: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StandDown(Record):
    on: date
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChange(Record):
    on: date
    from_status: ReviewStatus
    to_status: ReviewStatus
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Review(Record):
    """One statutory review (or pathway plan review) of one child.

    `due_on` is the statutory due date and never moves when the review is rearranged or
    stood down: timeliness is always judged against it. `sequence` is the review's number in
    the current period of care (1 = first review), which decides the permanence question.
    """

    id: str
    child_id: str
    due_on: date
    planned_on: date
    kind: ReviewKind = ReviewKind.LOOKED_AFTER
    sequence: int | None = None
    status: ReviewStatus = ReviewStatus.PLANNED
    chaired_by: str = ""
    extra: bool = False
    extra_reason: str = ""
    preparation: Preparation = field(default_factory=Preparation)
    meetings: tuple[Meeting, ...] = ()
    participation_code: str | None = None
    child_chair: ChairRole | None = None
    topics: tuple[TopicNote, ...] = ()
    permanence_plan_agreed: bool | None = None
    permanence_plan_note: str = ""
    pathway_plan_in_place: bool | None = None
    pathway_plan_note: str = ""
    plan_view: PlanView = field(default_factory=PlanView)
    # What the child told us, in their own words (preparation and the meeting), and, when
    # they did not take part, how their views were sought.
    child_views: tuple[ChildView, ...] = ()
    views_sought: str = ""
    recommendations: tuple[Recommendation, ...] = ()
    rearrangements: tuple[Rearrangement, ...] = ()
    stand_downs: tuple[StandDown, ...] = ()
    history: tuple[StatusChange, ...] = ()
    # "ssda903": brought in from the council's files. Such a review is history: held
    # elsewhere, its recommendations and letter were sent from the council's own system.
    source: str = ""
    # Held without a meeting (a long-term foster placement after 12 months, where local
    # procedures allow it): held and completed on the date the IRO completed it.
    without_meeting: bool = False

    def __post_init__(self) -> None:
        _require_text(self.id, "A review's id")
        _require_text(self.child_id, "A review's child id")
        if self.participation_code is not None:
            object.__setattr__(
                self, "participation_code", check_participation_code(self.participation_code)
            )
        if self.sequence is not None and self.sequence < 1:
            raise ValueError(
                f"A review's number in the period of care starts at 1, not {self.sequence}."
            )

    @property
    def permanence_question_required(self) -> bool:
        """The permanence plan must be agreed by the second review (and stays a question)."""
        return (
            self.kind is ReviewKind.LOOKED_AFTER
            and self.sequence is not None
            and self.sequence >= 2
        )

    def status_since(self, status: ReviewStatus) -> date | None:
        """The date the review last entered `status`, from its history."""
        for change in reversed(self.history):
            if change.to_status is status:
                return change.on
        return None

    def recommendation(self, rec_id: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.id == rec_id:
                return rec
        known = ", ".join(r.id for r in self.recommendations) or "none"
        raise ValueError(f"This review has no recommendation '{rec_id}' (it has: {known}).")

    def invitee(self, key: str) -> Invitee | None:
        for person in self.preparation.invitees:
            if person.key == key:
                return person
        return None

    def to_dict(self) -> dict[str, Any]:
        data = Record.to_dict(self)
        data["schema"] = REVIEW_SCHEMA
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        if not isinstance(data, Mapping):
            raise ValueError(
                f"A stored review should be a set of named fields, not {type(data).__name__}."
            )
        fields = dict(data)
        schema = fields.pop("schema", REVIEW_SCHEMA)
        if schema != REVIEW_SCHEMA:
            raise ValueError(
                f"This review was stored in format {schema!r}; this version reads format "
                f"{REVIEW_SCHEMA}."
            )
        return from_plain(cls, fields)
