"""What happens to an escalation, as append-only events.

An escalation is never edited in place: the IRO on a laptop and a manager in the office each
add events, the sync server puts them in one order, and the current state is folded from
them. That way two people acting offline cannot silently overwrite each other.
Each event checks its own fields here; whether it fits the escalation's current state is
decided in escalation_state.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from iro_desktop.domain.calendar import check_in_range

# Common issues from Manchester's 2015/16 analysis (domain.md section 5), in the IRO's words.
THEMES: dict[str, str] = {
    "no_social_work_report": "No social work report for the review",
    "no_casework_activity": "No evidence of casework activity",
    "visits_out_of_timescale": "Statutory visits out of timescale",
    "permanence_drift": "Drift in permanence planning",
    "no_pathway_plan": "Pathway plan not in place",
    "care_plan_not_updated": "Care plan not updated",
    "social_worker_did_not_attend": "Social worker did not attend",
    "age_assessment_delay": "Delay in age assessment",
    "sgo_assessment_delay": "Delay in SGO assessment",
    "other": "Other",
}

PARTNER_AGENCIES: dict[str, str] = {
    "health": "Health",
    "education": "Education",
    "police": "Police",
    "adult_services": "Adult services",
    "housing": "Housing",
}

# A theme's key travels in escalation events between laptops and the server: short, plain.
THEME_KEY = re.compile(r"[a-z][a-z0-9_]{0,47}")

_ID = re.compile(r"[0-9a-f]{32}")
# Opaque ids only: names never travel in an id.
SHORT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class Category(StrEnum):
    DISPUTE = "dispute"
    PARTNER = "partner"
    GOOD_PRACTICE = "good_practice"


CATEGORY_LABELS: dict[Category, str] = {
    Category.DISPUTE: "Dispute resolution",
    Category.PARTNER: "Partner escalation",
    Category.GOOD_PRACTICE: "Good practice notification",
}


class EventKind(StrEnum):
    RAISED = "raised"
    SENT_TO_STAGE = "sent_to_stage"
    RESPONSE_RECORDED = "response_recorded"
    STAGE_BYPASSED = "stage_bypassed"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"
    COMMENT = "comment"


def new_id() -> str:
    return uuid.uuid4().hex


def check_id(value: object, what: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"The {what} {value!r} is not a 32-character lower-case hex id.")


def check_child_ids(child_ids: tuple[str, ...]) -> None:
    for child_id in child_ids:
        if not isinstance(child_id, str) or not SHORT_ID.fullmatch(child_id):
            raise ValueError(f"{child_id!r} is not a valid child id.")
    if len(set(child_ids)) != len(child_ids):
        raise ValueError(f"A child is listed twice: {', '.join(child_ids)}.")


def _check_text(value: object, what: str, *, required: bool = True) -> None:
    if not isinstance(value, str):
        raise ValueError(f"The {what} must be text, not {value!r}.")
    if required and not value.strip():
        raise ValueError(f"The {what} cannot be left blank.")


def _check_themes(values: object) -> None:
    """Issue themes are the profile's (a council lists its own), so any well-formed key is
    accepted here: an escalation raised under another profile still syncs and counts."""
    if not isinstance(values, tuple):
        raise ValueError(f"The escalation issues must be a list, not {values!r}.")
    bad = [v for v in values if not isinstance(v, str) or not THEME_KEY.fullmatch(v)]
    if bad:
        raise ValueError(f"Not an escalation issue: {', '.join(map(repr, bad))}.")
    if len(set(values)) != len(values):
        raise ValueError(f"The escalation issue list repeats an entry: {', '.join(values)}.")


@dataclass(frozen=True, kw_only=True)
class _EventBase:
    """Fields every event carries; `kind` names the event on the wire and in the log."""

    kind: ClassVar[EventKind]
    event_id: str
    escalation_id: str
    occurred_on: date
    recorded_at: datetime
    author: str

    def __post_init__(self) -> None:
        check_id(self.event_id, "event id")
        check_id(self.escalation_id, "escalation id")
        if not isinstance(self.occurred_on, date) or isinstance(self.occurred_on, datetime):
            raise ValueError(f"The date must be a calendar date, not {self.occurred_on!r}.")
        check_in_range(self.occurred_on)
        if not isinstance(self.recorded_at, datetime) or self.recorded_at.utcoffset() is None:
            raise ValueError(
                f"recorded_at must be a time with a time zone (UTC), not {self.recorded_at!r}."
            )
        if self.recorded_at.utcoffset() != timedelta(0):
            raise ValueError(f"recorded_at must be in UTC, not {self.recorded_at.isoformat()}.")
        _check_text(self.author, "author")


@dataclass(frozen=True, kw_only=True)
class EscalationRaised(_EventBase):
    kind: ClassVar[EventKind] = EventKind.RAISED
    # One escalation may cover a sibling group.
    child_ids: tuple[str, ...]
    category: Category
    issues: tuple[str, ...]
    outcome_wanted: str
    detail: str = ""
    partner_agency: str | None = None
    # The team or service the escalation is about, for "escalations by service".
    service: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.child_ids, tuple) or not self.child_ids:
            raise ValueError("An escalation must name at least one child.")
        check_child_ids(self.child_ids)
        if not isinstance(self.category, Category):
            raise ValueError(
                f"{self.category!r} is not an escalation category. "
                f"Use: {', '.join(c.value for c in Category)}."
            )
        _check_themes(self.issues)
        _check_text(self.detail, "detail", required=False)
        _check_text(self.service, "service", required=False)
        if self.category is Category.GOOD_PRACTICE:
            if self.issues:
                raise ValueError(
                    "A good practice notification has no issues; describe the good practice "
                    "in the detail instead."
                )
            _check_text(self.detail, "description of the good practice")
            _check_text(self.outcome_wanted, "outcome wanted", required=False)
        else:
            if not self.issues:
                raise ValueError("Choose at least one issue for the escalation.")
            _check_text(self.outcome_wanted, "outcome wanted")
            if "other" in self.issues:
                _check_text(self.detail, "detail of the 'other' issue")
        if self.category is Category.PARTNER:
            if self.partner_agency not in PARTNER_AGENCIES:
                raise ValueError(
                    f"{self.partner_agency!r} is not a partner agency. "
                    f"Use: {', '.join(PARTNER_AGENCIES)}."
                )
        elif self.partner_agency is not None:
            raise ValueError(
                f"Only a partner escalation names a partner agency ({self.partner_agency!r} "
                f"was given for a {self.category.value} escalation)."
            )


@dataclass(frozen=True, kw_only=True)
class SentToStage(_EventBase):
    """The escalation was sent to a stage; `occurred_on` is the date it was sent."""

    kind: ClassVar[EventKind] = EventKind.SENT_TO_STAGE
    stage_key: str
    recipient: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.stage_key, "stage")
        _check_text(self.recipient, "recipient's name")

    @property
    def sent_on(self) -> date:
        return self.occurred_on


@dataclass(frozen=True, kw_only=True)
class ResponseRecorded(_EventBase):
    """A response came back at a stage; `occurred_on` is the date it came."""

    kind: ClassVar[EventKind] = EventKind.RESPONSE_RECORDED
    stage_key: str
    responder: str
    text: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.stage_key, "stage")
        _check_text(self.responder, "name of who responded")
        _check_text(self.text, "response")


@dataclass(frozen=True, kw_only=True)
class StageBypassed(_EventBase):
    kind: ClassVar[EventKind] = EventKind.STAGE_BYPASSED
    skipped_stage_keys: tuple[str, ...]
    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.skipped_stage_keys, tuple) or not self.skipped_stage_keys:
            raise ValueError("A bypass must name the stage(s) skipped.")
        for key in self.skipped_stage_keys:
            _check_text(key, "skipped stage")
        _check_text(self.reason, "reason for bypassing stages")


@dataclass(frozen=True, kw_only=True)
class Resolved(_EventBase):
    kind: ClassVar[EventKind] = EventKind.RESOLVED
    outcome: str
    difference_for_child: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.outcome, "outcome")
        _check_text(self.difference_for_child, "difference for the child")


@dataclass(frozen=True, kw_only=True)
class Withdrawn(_EventBase):
    kind: ClassVar[EventKind] = EventKind.WITHDRAWN
    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.reason, "reason for withdrawing")


@dataclass(frozen=True, kw_only=True)
class Comment(_EventBase):
    kind: ClassVar[EventKind] = EventKind.COMMENT
    text: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.text, "comment")


EscalationEvent = (
    EscalationRaised
    | SentToStage
    | ResponseRecorded
    | StageBypassed
    | Resolved
    | Withdrawn
    | Comment
)

EVENT_TYPES: dict[EventKind, type[EscalationEvent]] = {
    EventKind.RAISED: EscalationRaised,
    EventKind.SENT_TO_STAGE: SentToStage,
    EventKind.RESPONSE_RECORDED: ResponseRecorded,
    EventKind.STAGE_BYPASSED: StageBypassed,
    EventKind.RESOLVED: Resolved,
    EventKind.WITHDRAWN: Withdrawn,
    EventKind.COMMENT: Comment,
}

TERMINAL_KINDS = frozenset({EventKind.RESOLVED, EventKind.WITHDRAWN})
