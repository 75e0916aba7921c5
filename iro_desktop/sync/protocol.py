"""The sync wire format, version 1: JSON-able dicts to and from dataclasses.

Shared by the desktop sync client and the sync server, so it uses the standard library only.
Every item that arrives is checked strictly (known kind, every field present, no unknown
fields, right types, sizes within limits); a bad item raises ProtocolError with a reason a
person can read, and the rest of a batch is judged on its own.

Items that travel:
- escalation events (kinds "raised", "sent_to_stage", ... from domain.escalation_events);
- "signoff": a review's letter and record, at one version, submitted for a manager's sign-off;
- "signoff_decision": the manager's decision on a submission (approved, or returned with a
  comment).
Every item has "kind" and "id" (32 lower-case hex characters, a uuid4) which makes delivery
idempotent: sending the same item twice is harmless.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from iro_desktop.domain.codes import (
    ETHNICITIES,
    LEGACY_PLACEMENT_TYPES,
    LEGAL_STATUSES,
    PARTICIPATION_CODES,
    PLACEMENT_TYPES,
    SEXES,
)
from iro_desktop.domain.escalation_events import (
    EVENT_TYPES,
    SHORT_ID,
    Category,
    EscalationEvent,
    EventKind,
    check_child_ids,
    check_id,
)
from iro_desktop.domain.kpis import ConsultationForm, ReviewSummary
from iro_desktop.domain.report_facts import AGE_BAND_NAMES, band_lower_age
from iro_desktop.domain.review_record import ChairRole, InviteeRole, ReviewKind

PROTOCOL_VERSION = 1

MAX_TEXT_CHARS = 20_000  # a response or outcome; far beyond any real one, well below abuse
MAX_NAME_CHARS = 200  # names, keys, short labels
MAX_LIST_ITEMS = 50  # children in a sibling group, issues, stages skipped
MAX_BATCH_ITEMS = 500
MAX_PULL_ITEMS = 1000
# Whole numbers (versions, sequence numbers, cursors) stay within what every JSON reader and
# a 64-bit database column hold exactly; beyond it a number is refused, not stored.
MAX_WHOLE_NUMBER = 2**53 - 1
# Dates and times outside these years are typing mistakes or attacks; working-day arithmetic
# near the ends of the calendar would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2999

_SHA256 = re.compile(r"[0-9a-f]{64}")
# A lone UTF-16 surrogate: valid in JSON (as an escape) and in a Python string (a byte typed
# in a Latin-1 terminal arrives as one), but not text, and it cannot be written as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ProtocolError(ValueError):
    """A message or item that does not follow the wire format; `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- sign-off items ------------------------------------------------------------------------


class Decision(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


def _utc_time(value: datetime, what: str) -> None:
    if not isinstance(value, datetime) or value.utcoffset() != timedelta(0):
        raise ValueError(f"{what} must be a UTC time, not {value!r}.")


@dataclass(frozen=True, kw_only=True)
class SignoffSubmission:
    """A review's letter and record at one version, sent for a manager to sign off."""

    kind: ClassVar[str] = "signoff"
    item_id: str
    review_id: str
    version: int
    # SHA-256 (hex) of the exact content submitted, so an approved version cannot change
    # silently: a correction is a new version with a new hash.
    content_hash: str
    child_ids: tuple[str, ...]
    submitted_by: str
    submitted_at: datetime

    def __post_init__(self) -> None:
        check_id(self.item_id, "submission id")
        if not SHORT_ID.fullmatch(self.review_id):
            raise ValueError(f"{self.review_id!r} is not a valid review id.")
        if isinstance(self.version, bool) or not isinstance(self.version, int):
            raise ValueError(f"The version must be a whole number, not {self.version!r}.")
        if self.version < 1:
            raise ValueError(f"Versions start at 1, not {self.version}.")
        if not _SHA256.fullmatch(self.content_hash):
            raise ValueError(
                f"content_hash {self.content_hash!r} is not a SHA-256 hex digest "
                "(64 lower-case hex characters)."
            )
        if not self.child_ids:
            raise ValueError("A submission must name the child (or children) it is about.")
        check_child_ids(self.child_ids)
        if not self.submitted_by.strip():
            raise ValueError("submitted_by cannot be blank.")
        _utc_time(self.submitted_at, "submitted_at")


@dataclass(frozen=True, kw_only=True)
class SignoffDecision:
    kind: ClassVar[str] = "signoff_decision"
    item_id: str
    submission_id: str
    decision: Decision
    comment: str
    decided_by: str
    decided_at: datetime

    def __post_init__(self) -> None:
        check_id(self.item_id, "decision id")
        check_id(self.submission_id, "submission id")
        if not isinstance(self.decision, Decision):
            raise ValueError(f"{self.decision!r} is not a decision; use approved or returned.")
        if self.decision is Decision.RETURNED and not self.comment.strip():
            raise ValueError("A returned submission needs a comment saying what to change.")
        if not self.decided_by.strip():
            raise ValueError("decided_by cannot be blank.")
        _utc_time(self.decided_at, "decided_at")


# --- report facts (name-free; see domain.report_facts) --------------------------------------


_PSEUDONYM = re.compile(r"[0-9a-f]{64}")


def _check_pseudonym(value: str, what: str) -> None:
    if not _PSEUDONYM.fullmatch(value):
        raise ValueError(
            f"{what} must be a keyed hash (64 lower-case hex characters), never a child's "
            f"name or id: {value[:12]!r}... is not."
        )


def _check_code(value: str, table: Mapping[str, str], what: str) -> None:
    if value and value not in table:
        raise ValueError(f"{value!r} is not a {what} code; use one of: {', '.join(table)}.")


def _check_count(value: int, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {value!r}.")


@dataclass(frozen=True, kw_only=True)
class ReviewFact:
    """One review as the service's annual report counts it: kpis.ReviewSummary's fields, the
    child named only by a keyed hash, and who the child was at the review (bands and codes).
    Sent again, with a new id, whenever the review changes; the latest one counts."""

    kind: ClassVar[str] = "review_fact"
    item_id: str
    author: str
    review_key: str
    child_key: str
    review_kind: ReviewKind
    due_on: date
    held_on: date | None
    completed_on: date | None
    review_number: int | None
    age_band: str
    sex: str
    ethnicity: str
    legal_status: str
    placement_type: str
    participation_code: str | None
    child_chair: ChairRole | None
    child_attended: bool
    consulted_before: bool
    recommendations_issued_on: date | None
    letter_issued_on: date | None
    permanence_plan_agreed: bool | None
    social_worker_attended: bool
    social_worker_report: bool
    parent_invited: bool
    parent_attended: bool
    rearrangements: int
    meetings: int
    extra: bool
    # (role, sent on, received on) of each consultation form.
    consultations: tuple[tuple[InviteeRole, date | None, date | None], ...]

    def __post_init__(self) -> None:
        check_id(self.item_id, "fact id")
        _check_pseudonym(self.review_key, "review_key")
        _check_pseudonym(self.child_key, "child_key")
        if not self.author.strip():
            raise ValueError("author cannot be blank.")
        if self.age_band and self.age_band not in AGE_BAND_NAMES:
            raise ValueError(
                f"{self.age_band!r} is not an age band; use one of: {', '.join(AGE_BAND_NAMES)}."
            )
        _check_code(self.sex, {**SEXES, "U": "Unknown"}, "sex")
        _check_code(self.ethnicity, ETHNICITIES, "ethnicity")
        _check_code(self.legal_status, LEGAL_STATUSES, "legal status")
        _check_code(
            self.placement_type,
            {**PLACEMENT_TYPES, **LEGACY_PLACEMENT_TYPES},
            "placement type",
        )
        if self.participation_code is not None:
            _check_code(self.participation_code or "?", PARTICIPATION_CODES, "participation")
        if self.review_number is not None:
            _check_count(self.review_number, "review_number", 1, 10_000)
        _check_count(self.rearrangements, "rearrangements", 0, 1_000)
        _check_count(self.meetings, "meetings", 0, 1_000)  # 0: not held yet
        if len(self.consultations) > MAX_LIST_ITEMS:
            raise ValueError(f"A review has at most {MAX_LIST_ITEMS} consultation forms.")

    def summary(self) -> ReviewSummary:
        """The fact as the annual figures take it: the child is its key, the IRO its author."""
        return ReviewSummary(
            review_id=self.review_key,
            child_id=self.child_key,
            iro=self.author,
            kind=self.review_kind,
            due_on=self.due_on,
            held_on=self.held_on,
            completed_on=self.completed_on,
            review_number=self.review_number,
            child_age=band_lower_age(self.age_band),
            participation_code=self.participation_code,
            child_chair=self.child_chair,
            child_attended=self.child_attended,
            consulted_before=self.consulted_before,
            recommendations_issued_on=self.recommendations_issued_on,
            letter_issued_on=self.letter_issued_on,
            permanence_plan_agreed=self.permanence_plan_agreed,
            social_worker_attended=self.social_worker_attended,
            social_worker_report=self.social_worker_report,
            parent_invited=self.parent_invited,
            parent_attended=self.parent_attended,
            rearrangements=self.rearrangements,
            meetings=self.meetings,
            extra=self.extra,
        )

    def dates(self) -> tuple[date, ...]:
        """Every date the fact holds: the years it can count in lie between the first and
        the last (a consultation form may be sent in the year before the review)."""
        found = [
            self.due_on,
            self.held_on,
            self.completed_on,
            self.recommendations_issued_on,
            self.letter_issued_on,
        ]
        for _role, sent, got in self.consultations:
            found += [sent, got]
        return tuple(d for d in found if d is not None)

    def forms(self) -> tuple[ConsultationForm, ...]:
        return tuple(
            ConsultationForm(review_id=self.review_key, role=role, sent_on=sent, received_on=got)
            for role, sent, got in self.consultations
        )


@dataclass(frozen=True, kw_only=True)
class ChildFact:
    """A child on the sender's caseload (for caseload per IRO), named only by a keyed hash."""

    kind: ClassVar[str] = "child_fact"
    item_id: str
    author: str
    child_key: str
    allocated: bool  # in care now and allocated to the sender
    care_leaver: bool

    def __post_init__(self) -> None:
        check_id(self.item_id, "fact id")
        _check_pseudonym(self.child_key, "child_key")
        if not self.author.strip():
            raise ValueError("author cannot be blank.")


ReportFact = ReviewFact | ChildFact
FACT_KINDS: frozenset[str] = frozenset({ReviewFact.kind, ChildFact.kind})
FACT_TYPES = (ReviewFact, ChildFact)


def fact_key(fact: ReportFact) -> str:
    """What a fact is about; a later fact with the same key replaces it."""
    if isinstance(fact, ReviewFact):
        return f"review:{fact.review_key}"
    return f"child:{fact.child_key}"


SyncItem = EscalationEvent | SignoffSubmission | SignoffDecision | ReviewFact | ChildFact


def item_id(item: SyncItem) -> str:
    if isinstance(item, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact):
        return item.item_id
    return item.event_id


def item_author(item: SyncItem) -> str:
    if isinstance(item, SignoffSubmission):
        return item.submitted_by
    if isinstance(item, SignoffDecision):
        return item.decided_by
    return item.author  # escalation events and report facts


# --- field conversions ---------------------------------------------------------------------

Decoder = Callable[[str, object], Any]
Encoder = Callable[[Any], Any]


def _type_error(name: str, expected: str, value: object) -> ProtocolError:
    return ProtocolError(f"Field '{name}' must be {expected}, not {type(value).__name__}.")


def not_text_at(value: str) -> int | None:
    """Where (from 1) `value` has a character that is not text and cannot be sent, if it has."""
    found = _SURROGATE.search(value)
    return None if found is None else found.start() + 1


def _string(limit: int) -> Decoder:
    def decode(name: str, value: object) -> str:
        if not isinstance(value, str):
            raise _type_error(name, "a string", value)
        if len(value) > limit:
            raise ProtocolError(
                f"Field '{name}' is {len(value):,} characters long; the limit is {limit:,}."
            )
        where = not_text_at(value)
        if where is not None:
            raise ProtocolError(
                f"Field '{name}' has a character that is not valid text at character {where} "
                "(often a letter typed in a terminal that is not set to UTF-8); type it again."
            )
        return value

    return decode


_name = _string(MAX_NAME_CHARS)
_text = _string(MAX_TEXT_CHARS)


def _optional_name(name: str, value: object) -> str | None:
    return None if value is None else _name(name, value)


def _names(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _type_error(name, "a list of strings", value)
    if len(value) > MAX_LIST_ITEMS:
        raise ProtocolError(
            f"Field '{name}' has {len(value)} entries; the limit is {MAX_LIST_ITEMS}."
        )
    return tuple(_name(f"{name}[{i}]", v) for i, v in enumerate(value))


def _integer(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(name, "a whole number", value)
    if abs(value) > MAX_WHOLE_NUMBER:
        raise ProtocolError(f"Field '{name}' is too large; the limit is {MAX_WHOLE_NUMBER:,}.")
    return value


def _check_year(name: str, value: date, shown: object) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ProtocolError(
            f"Field '{name}' must be between the years {MIN_YEAR} and {MAX_YEAR}, not {shown!r}."
        )


def _date(name: str, value: object) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ProtocolError(f"Field '{name}' must be a date as YYYY-MM-DD, not {value!r}.")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ProtocolError(f"Field '{name}' is not a real date: {value!r}.") from None
    _check_year(name, parsed, value)
    return parsed


def _time(name: str, value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise ProtocolError(f"Field '{name}' must be an ISO 8601 time string, not {value!r}.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ProtocolError(f"Field '{name}' is not an ISO 8601 time: {value!r}.") from None
    if parsed.utcoffset() is None:
        raise ProtocolError(f"Field '{name}' must include a time zone (UTC): {value!r}.")
    _check_year(name, parsed, value)
    try:
        # An offset near +/-24 h at the ends of the calendar falls outside it in UTC.
        in_utc = parsed.astimezone(UTC)
    except OverflowError:
        raise ProtocolError(f"Field '{name}' is outside the range of times: {value!r}.") from None
    _check_year(name, in_utc, value)
    return in_utc


def _enum(kind: type[StrEnum]) -> Decoder:
    def decode(name: str, value: object) -> StrEnum:
        allowed = [member.value for member in kind]
        if not isinstance(value, str) or value not in allowed:
            raise ProtocolError(
                f"Field '{name}' must be one of {', '.join(allowed)}, not {value!r}."
            )
        return kind(value)

    return decode


def _plain(value: Any) -> Any:
    return value


def _iso(value: date) -> str:
    return value.isoformat()


def _listed(value: tuple[str, ...]) -> list[str]:
    return list(value)


def _enum_value(value: StrEnum) -> str:
    return value.value


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _type_error(name, "true or false", value)
    return value


def _optional_boolean(name: str, value: object) -> bool | None:
    return None if value is None else _boolean(name, value)


def _optional_date(name: str, value: object) -> date | None:
    return None if value is None else _date(name, value)


def _optional_iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _optional_integer(name: str, value: object) -> int | None:
    return None if value is None else _integer(name, value)


def _code(name: str, value: object) -> str:
    """A short code (PN1, C2, WBRI, ...): never room for a sentence."""
    text: str = _string(8)(name, value)
    if text and not text.isalnum():
        raise ProtocolError(f"Field '{name}' must be a code of letters and digits, not {text!r}.")
    return text


def _optional_code(name: str, value: object) -> str | None:
    return None if value is None else _code(name, value)


def _optional_enum(kind: type[StrEnum]) -> Decoder:
    decode = _enum(kind)

    def wrapped(name: str, value: object) -> StrEnum | None:
        return None if value is None else decode(name, value)

    return wrapped


def _optional_enum_value(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


_Form = tuple[InviteeRole, date | None, date | None]


def _forms(name: str, value: object) -> tuple[_Form, ...]:
    if not isinstance(value, list):
        raise _type_error(name, "a list of [role, sent on, received on]", value)
    if len(value) > MAX_LIST_ITEMS:
        raise ProtocolError(
            f"Field '{name}' has {len(value)} entries; the limit is {MAX_LIST_ITEMS}."
        )
    forms: list[_Form] = []
    for i, entry in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(entry, list) or len(entry) != 3:
            raise ProtocolError(f"Field '{where}' must be [role, sent on, received on].")
        role = _enum(InviteeRole)(where, entry[0])
        assert isinstance(role, InviteeRole)
        forms.append((role, _optional_date(where, entry[1]), _optional_date(where, entry[2])))
    return tuple(forms)


def _forms_to_wire(value: tuple[_Form, ...]) -> list[list[str | None]]:
    return [[role.value, _optional_iso(sent), _optional_iso(got)] for role, sent, got in value]


@dataclass(frozen=True)
class _Field:
    attr: str
    decode: Decoder
    encode: Encoder = _plain


def _event_fields(**extra: _Field) -> dict[str, _Field]:
    return {
        "id": _Field("event_id", _name),
        "escalation_id": _Field("escalation_id", _name),
        "occurred_on": _Field("occurred_on", _date, _iso),
        "recorded_at": _Field("recorded_at", _time, _iso),
        "author": _Field("author", _name),
        **extra,
    }


_SPECS: dict[str, tuple[type[Any], dict[str, _Field]]] = {
    EventKind.RAISED: (
        EVENT_TYPES[EventKind.RAISED],
        _event_fields(
            child_ids=_Field("child_ids", _names, _listed),
            category=_Field("category", _enum(Category), _enum_value),
            issues=_Field("issues", _names, _listed),
            outcome_wanted=_Field("outcome_wanted", _text),
            detail=_Field("detail", _text),
            partner_agency=_Field("partner_agency", _optional_name),
            service=_Field("service", _name),
        ),
    ),
    EventKind.SENT_TO_STAGE: (
        EVENT_TYPES[EventKind.SENT_TO_STAGE],
        _event_fields(stage_key=_Field("stage_key", _name), recipient=_Field("recipient", _name)),
    ),
    EventKind.RESPONSE_RECORDED: (
        EVENT_TYPES[EventKind.RESPONSE_RECORDED],
        _event_fields(
            stage_key=_Field("stage_key", _name),
            responder=_Field("responder", _name),
            text=_Field("text", _text),
        ),
    ),
    EventKind.STAGE_BYPASSED: (
        EVENT_TYPES[EventKind.STAGE_BYPASSED],
        _event_fields(
            skipped_stage_keys=_Field("skipped_stage_keys", _names, _listed),
            reason=_Field("reason", _text),
        ),
    ),
    EventKind.RESOLVED: (
        EVENT_TYPES[EventKind.RESOLVED],
        _event_fields(
            outcome=_Field("outcome", _text),
            difference_for_child=_Field("difference_for_child", _text),
        ),
    ),
    EventKind.WITHDRAWN: (
        EVENT_TYPES[EventKind.WITHDRAWN],
        _event_fields(reason=_Field("reason", _text)),
    ),
    EventKind.COMMENT: (
        EVENT_TYPES[EventKind.COMMENT],
        _event_fields(text=_Field("text", _text)),
    ),
    SignoffSubmission.kind: (
        SignoffSubmission,
        {
            "id": _Field("item_id", _name),
            "review_id": _Field("review_id", _name),
            "version": _Field("version", _integer),
            "content_hash": _Field("content_hash", _name),
            "child_ids": _Field("child_ids", _names, _listed),
            "submitted_by": _Field("submitted_by", _name),
            "submitted_at": _Field("submitted_at", _time, _iso),
        },
    ),
    SignoffDecision.kind: (
        SignoffDecision,
        {
            "id": _Field("item_id", _name),
            "submission_id": _Field("submission_id", _name),
            "decision": _Field("decision", _enum(Decision), _enum_value),
            "comment": _Field("comment", _text),
            "decided_by": _Field("decided_by", _name),
            "decided_at": _Field("decided_at", _time, _iso),
        },
    ),
    ReviewFact.kind: (
        ReviewFact,
        {
            "id": _Field("item_id", _name),
            "author": _Field("author", _name),
            "review_key": _Field("review_key", _name),
            "child_key": _Field("child_key", _name),
            "review_kind": _Field("review_kind", _enum(ReviewKind), _enum_value),
            "due_on": _Field("due_on", _date, _iso),
            "held_on": _Field("held_on", _optional_date, _optional_iso),
            "completed_on": _Field("completed_on", _optional_date, _optional_iso),
            "review_number": _Field("review_number", _optional_integer),
            "age_band": _Field("age_band", _string(20)),
            "sex": _Field("sex", _code),
            "ethnicity": _Field("ethnicity", _code),
            "legal_status": _Field("legal_status", _code),
            "placement_type": _Field("placement_type", _code),
            "participation_code": _Field("participation_code", _optional_code),
            "child_chair": _Field("child_chair", _optional_enum(ChairRole), _optional_enum_value),
            "child_attended": _Field("child_attended", _boolean),
            "consulted_before": _Field("consulted_before", _boolean),
            "recommendations_issued_on": _Field(
                "recommendations_issued_on", _optional_date, _optional_iso
            ),
            "letter_issued_on": _Field("letter_issued_on", _optional_date, _optional_iso),
            "permanence_plan_agreed": _Field("permanence_plan_agreed", _optional_boolean),
            "social_worker_attended": _Field("social_worker_attended", _boolean),
            "social_worker_report": _Field("social_worker_report", _boolean),
            "parent_invited": _Field("parent_invited", _boolean),
            "parent_attended": _Field("parent_attended", _boolean),
            "rearrangements": _Field("rearrangements", _integer),
            "meetings": _Field("meetings", _integer),
            "extra": _Field("extra", _boolean),
            "consultations": _Field("consultations", _forms, _forms_to_wire),
        },
    ),
    ChildFact.kind: (
        ChildFact,
        {
            "id": _Field("item_id", _name),
            "author": _Field("author", _name),
            "child_key": _Field("child_key", _name),
            "allocated": _Field("allocated", _boolean),
            "care_leaver": _Field("care_leaver", _boolean),
        },
    ),
}

ITEM_KINDS: tuple[str, ...] = tuple(_SPECS)
ESCALATION_KINDS: frozenset[str] = frozenset(kind.value for kind in EventKind)


def item_to_wire(item: SyncItem) -> dict[str, Any]:
    _, spec = _SPECS[item.kind]
    wire: dict[str, Any] = {"kind": str(item.kind)}
    for name, field in spec.items():
        wire[name] = field.encode(getattr(item, field.attr))
    return wire


def _check_keys(data: Mapping[str, Any], expected: set[str], what: str) -> None:
    missing = sorted(expected - set(data))
    if missing:
        raise ProtocolError(f"The {what} is missing field(s): {', '.join(missing)}.")
    unknown = sorted(set(data) - expected)
    if unknown:
        raise ProtocolError(f"The {what} has unknown field(s): {', '.join(unknown)}.")


def item_from_wire(data: object) -> SyncItem:
    if not isinstance(data, dict):
        raise ProtocolError(f"An item must be a JSON object, not {type(data).__name__}.")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _SPECS:
        raise ProtocolError(
            f"Unknown item kind {kind!r}; this server understands: {', '.join(ITEM_KINDS)}."
        )
    cls, spec = _SPECS[kind]
    _check_keys(data, {"kind", *spec}, f"'{kind}' item")
    values = {field.attr: field.decode(name, data[name]) for name, field in spec.items()}
    try:
        item: SyncItem = cls(**values)
    except ValueError as error:
        raise ProtocolError(str(error)) from None
    return item


def readable(data: Any) -> Any:
    """JSON read back from storage with any character that is not text replaced by U+FFFD.

    Older servers stored what the checks above now refuse; reading it must never fail (it
    would fail every pull and every list for good), so the bad character becomes visible.
    """
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, list):
        return [readable(value) for value in data]
    if isinstance(data, dict):
        return {readable(key): readable(value) for key, value in data.items()}
    return data


def escalation_event_from_wire(data: object) -> EscalationEvent:
    """An escalation event as stored (here or on the server), read tolerantly: see
    `readable`. Events arriving over the wire are read strictly, by `item_from_wire`."""
    item = item_from_wire(readable(data))
    if isinstance(item, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact):
        raise ProtocolError(f"Expected an escalation event, not a '{item.kind}' item.")
    return item


def wire_item_id(data: object) -> str | None:
    """The id of a raw item, if it has a usable one (to label a rejection)."""
    if isinstance(data, dict):
        value = data.get("id")
        if isinstance(value, str) and 0 < len(value) <= 64:
            return value
    return None


# --- batches and responses -----------------------------------------------------------------


def _check_version(data: Mapping[str, Any]) -> None:
    version = data.get("protocol")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            f"Protocol version {version!r} is not supported; this side speaks version "
            f"{PROTOCOL_VERSION}."
        )


def _client_id(value: object) -> str:
    if not isinstance(value, str) or not SHORT_ID.fullmatch(value):
        raise ProtocolError(
            f"client_id must be 1-64 letters, digits or _ . : - characters, not {value!r}."
        )
    return value


@dataclass(frozen=True)
class PushBatch:
    client_id: str
    items: tuple[SyncItem, ...]


def batch_to_wire(batch: PushBatch) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL_VERSION,
        "client_id": _client_id(batch.client_id),
        "items": [item_to_wire(item) for item in batch.items],
    }


@dataclass(frozen=True)
class DecodedItem:
    """One entry of a received batch: the item, or why it could not be read."""

    index: int
    item_id: str | None
    item: SyncItem | None
    error: str | None


@dataclass(frozen=True)
class DecodedBatch:
    client_id: str
    items: tuple[DecodedItem, ...]


def decode_batch(data: object) -> DecodedBatch:
    """Check a push batch's envelope (raising ProtocolError) and each item on its own."""
    if not isinstance(data, dict):
        raise ProtocolError(f"A push batch must be a JSON object, not {type(data).__name__}.")
    _check_keys(data, {"protocol", "client_id", "items"}, "push batch")
    _check_version(data)
    client_id = _client_id(data["client_id"])
    raw_items = data["items"]
    if not isinstance(raw_items, list):
        raise _type_error("items", "a list", raw_items)
    if len(raw_items) > MAX_BATCH_ITEMS:
        raise ProtocolError(
            f"A batch may hold at most {MAX_BATCH_ITEMS} items; this one has {len(raw_items)}."
        )
    decoded = []
    for index, raw in enumerate(raw_items):
        try:
            item: SyncItem | None = item_from_wire(raw)
            error = None
        except ProtocolError as problem:
            item, error = None, problem.reason
        decoded.append(DecodedItem(index, wire_item_id(raw), item, error))
    return DecodedBatch(client_id=client_id, items=tuple(decoded))


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ItemResult:
    index: int
    item_id: str | None
    status: ItemStatus
    # The server's sequence number for the stored item (accepted or duplicate).
    seq: int | None = None
    reason: str | None = None
    # Accepted, but it does not fit what the server already had (for example the escalation
    # was resolved meanwhile): stored, and to be shown to a person.
    conflict: str | None = None


@dataclass(frozen=True)
class PushResponse:
    results: tuple[ItemResult, ...]


def push_response_to_wire(response: PushResponse) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL_VERSION,
        "results": [
            {
                "index": r.index,
                "id": r.item_id,
                "status": r.status.value,
                "seq": r.seq,
                "reason": r.reason,
                "conflict": r.conflict,
            }
            for r in response.results
        ],
    }


def _optional(decode: Decoder) -> Decoder:
    def wrapped(name: str, value: object) -> Any:
        return None if value is None else decode(name, value)

    return wrapped


def push_response_from_wire(data: object) -> PushResponse:
    if not isinstance(data, dict):
        raise ProtocolError("A push response must be a JSON object.")
    _check_keys(data, {"protocol", "results"}, "push response")
    _check_version(data)
    if not isinstance(data["results"], list):
        raise _type_error("results", "a list", data["results"])
    results = []
    for raw in data["results"]:
        if not isinstance(raw, dict):
            raise ProtocolError("Each push result must be a JSON object.")
        _check_keys(raw, {"index", "id", "status", "seq", "reason", "conflict"}, "push result")
        results.append(
            ItemResult(
                index=_integer("index", raw["index"]),
                item_id=_optional(_name)("id", raw["id"]),
                status=_enum(ItemStatus)("status", raw["status"]),
                seq=_optional(_integer)("seq", raw["seq"]),
                reason=_optional(_text)("reason", raw["reason"]),
                conflict=_optional(_text)("conflict", raw["conflict"]),
            )
        )
    return PushResponse(results=tuple(results))


@dataclass(frozen=True)
class PulledItem:
    # Order and time are the server's: a laptop's clock may be wrong.
    seq: int
    received_at: datetime
    item: SyncItem


@dataclass(frozen=True)
class PullResponse:
    # Pass as `since` next time; every item up to it has been seen.
    cursor: int
    items: tuple[PulledItem, ...]
    more: bool


def pull_response_to_wire(response: PullResponse) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL_VERSION,
        "cursor": response.cursor,
        "more": response.more,
        "items": [
            {
                "seq": pulled.seq,
                "received_at": pulled.received_at.isoformat(),
                "item": item_to_wire(pulled.item),
            }
            for pulled in response.items
        ],
    }


def pull_response_from_wire(data: object) -> PullResponse:
    if not isinstance(data, dict):
        raise ProtocolError("A pull response must be a JSON object.")
    _check_keys(data, {"protocol", "cursor", "more", "items"}, "pull response")
    _check_version(data)
    if not isinstance(data["more"], bool):
        raise _type_error("more", "true or false", data["more"])
    if not isinstance(data["items"], list):
        raise _type_error("items", "a list", data["items"])
    items = []
    for raw in data["items"]:
        if not isinstance(raw, dict):
            raise ProtocolError("Each pulled item must be a JSON object.")
        _check_keys(raw, {"seq", "received_at", "item"}, "pulled item")
        items.append(
            PulledItem(
                seq=_integer("seq", raw["seq"]),
                received_at=_time("received_at", raw["received_at"]),
                item=item_from_wire(raw["item"]),
            )
        )
    return PullResponse(
        cursor=_integer("cursor", data["cursor"]), items=tuple(items), more=data["more"]
    )
