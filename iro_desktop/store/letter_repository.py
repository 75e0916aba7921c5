"""Letter versions, their sign-off and the distribution log in the store.

An approved or issued version is frozen here (`update_version` refuses any change to it
except approved -> issued) and in the database (the triggers of schema 0003), so nothing can
change a signed-off letter silently; a correction is a new version beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from iro_desktop.store import tables as t
from iro_desktop.store.repositories import NotFound

SIGNED_STATUSES = frozenset({"approved", "issued"})
# What may still change on a signed version: issuing it, and how it is printed.
_CHANGEABLE_WHEN_SIGNED = frozenset(
    {"status", "issued_by", "issued_on", "large_print", "updated_at"}
)
_COLUMNS = (
    "status",
    "letter_text",
    "content_hash",
    "record_snapshot",
    "age_band",
    "large_print",
    "corrects_version",
    "updated_at",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_by_name",
    "approved_at",
    "issued_by",
    "issued_on",
    "comments",
)


class LetterFrozen(ValueError):
    """A signed-off letter version cannot be changed; a correction is a new version."""


class LetterChanged(ValueError):
    """The letter version was saved elsewhere since it was opened."""


@dataclass(frozen=True, slots=True)
class StoredLetter:
    id: str
    review_id: str
    version: int
    status: str
    letter_text: str
    content_hash: str
    record_snapshot: dict[str, Any]
    age_band: str
    large_print: bool
    corrects_version: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    approved_by: str | None
    approved_by_name: str | None
    approved_at: datetime | None
    issued_by: str | None
    issued_on: date | None
    comments: tuple[dict[str, Any], ...]
    row_version: int


@dataclass(frozen=True, slots=True)
class StoredDistribution:
    id: int
    version_id: str
    recipient: str
    role: str
    method: str
    sent_on: date
    note: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class LetterContext:
    """A letter version with the review and child columns the sign-off inbox shows."""

    letter: StoredLetter
    child_id: str
    child_first_name: str
    child_last_name: str
    child_preferred_name: str
    review_status: str
    review_due_date: date
    first_meeting_on: date | None
    completed_date: date | None


def _letter(row: t.LetterVersion) -> StoredLetter:
    return StoredLetter(
        id=row.id,
        review_id=row.review_id,
        version=row.version,
        status=row.status,
        letter_text=row.letter_text,
        content_hash=row.content_hash,
        record_snapshot=dict(row.record_snapshot or {}),
        age_band=row.age_band,
        large_print=bool(row.large_print),
        corrects_version=row.corrects_version,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        approved_by=row.approved_by,
        approved_by_name=row.approved_by_name,
        approved_at=row.approved_at,
        issued_by=row.issued_by,
        issued_on=row.issued_on,
        comments=tuple(dict(c) for c in (row.comments or [])),
        row_version=row.row_version,
    )


def _flush(session: Session) -> None:
    """Flush, turning the database's own refusal (the 0003 triggers) into LetterFrozen."""
    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "approved letter" in message:
            raise LetterFrozen(message) from None
        raise


# --- versions ---------------------------------------------------------------------------------


def next_version_number(session: Session, review_id: str) -> int:
    latest = session.scalar(
        select(func.max(t.LetterVersion.version)).where(t.LetterVersion.review_id == review_id)
    )
    return int(latest or 0) + 1


def add_version(
    session: Session,
    *,
    version_id: str,
    review_id: str,
    letter_text: str,
    content_hash: str,
    record_snapshot: dict[str, Any],
    age_band: str,
    large_print: bool,
    created_by: str,
    now: datetime,
    corrects_version: int | None = None,
) -> StoredLetter:
    """A new draft version, numbered after the review's last one."""
    row = t.LetterVersion(
        id=version_id,
        review_id=review_id,
        version=next_version_number(session, review_id),
        status="draft",
        letter_text=letter_text,
        content_hash=content_hash,
        record_snapshot=record_snapshot,
        age_band=age_band,
        large_print=large_print,
        corrects_version=corrects_version,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        comments=[],
        row_version=1,
    )
    session.add(row)
    _flush(session)
    return _letter(row)


def _row(session: Session, version_id: str) -> t.LetterVersion:
    row = session.get(t.LetterVersion, version_id)
    if row is None:
        raise NotFound(f"No letter version with id {version_id} on this caseload.")
    return row


def get_version(session: Session, version_id: str) -> StoredLetter:
    return _letter(_row(session, version_id))


def versions_for_review(session: Session, review_id: str) -> list[StoredLetter]:
    """Every version of the review's letter, oldest first."""
    rows = session.scalars(
        select(t.LetterVersion)
        .where(t.LetterVersion.review_id == review_id)
        .order_by(t.LetterVersion.version)
    )
    return [_letter(r) for r in rows]


def update_version(
    session: Session,
    version_id: str,
    *,
    now: datetime,
    expected_version: int | None = None,
    **changes: Any,
) -> StoredLetter:
    """Change a version's columns; refuses any change to a signed-off version but issuing it."""
    unknown = sorted(set(changes) - set(_COLUMNS))
    if unknown:
        raise ValueError(f"A letter version has no column(s) {', '.join(unknown)} to change.")
    row = _row(session, version_id)
    if expected_version is not None and row.row_version != expected_version:
        raise LetterChanged(
            f"Version {row.version} of this letter was changed elsewhere after you opened it "
            f"(edit {expected_version}, now {row.row_version}). Open it again to see the changes."
        )
    if row.status in SIGNED_STATUSES:
        touched = {k for k, v in changes.items() if getattr(row, k) != v}
        frozen = sorted(touched - _CHANGEABLE_WHEN_SIGNED)
        new_status = changes.get("status", row.status)
        bad_move = new_status != row.status and (row.status, new_status) != ("approved", "issued")
        issued_again = row.status == "issued" and ({"issued_by", "issued_on"} & touched)
        if frozen or bad_move or issued_again:
            raise LetterFrozen(
                f"Version {row.version} of this letter has been {row.status}, so it cannot be "
                "changed; a correction is made as a new version."
            )
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = now
    row.row_version = (row.row_version or 0) + 1
    _flush(session)
    return _letter(row)


def _context(
    session: Session, where: Any, order: Iterable[Any] = (t.LetterVersion.submitted_at,)
) -> list[LetterContext]:
    rows = session.execute(
        select(
            t.LetterVersion,
            t.Child.id,
            t.Child.legal_first_name,
            t.Child.legal_last_name,
            t.Child.preferred_name,
            t.Review.status,
            t.Review.due_date,
            t.Review.first_meeting_on,
            t.Review.completed_date,
        )
        .join(t.Review, t.Review.id == t.LetterVersion.review_id)
        .join(t.Child, t.Child.id == t.Review.child_id)
        .where(where)
        .order_by(*order, t.LetterVersion.created_at, t.LetterVersion.id)
    ).all()
    return [
        LetterContext(_letter(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows
    ]


def versions_with_status(session: Session, status: str) -> list[LetterContext]:
    """Every version in `status` across the caseload, oldest submission first."""
    return _context(session, t.LetterVersion.status == status)


def letter_context(session: Session, version_id: str) -> LetterContext:
    found = _context(session, t.LetterVersion.id == version_id)
    if not found:
        raise NotFound(f"No letter version with id {version_id} on this caseload.")
    return found[0]


# --- the work lists (one query each, lean rows) --------------------------------------------


class WorklistRow(NamedTuple):
    """A review on the Letters list: the child, the review, its latest letter version (None
    when no letter is written yet) and when the letter first went out."""

    review_id: str
    child_id: str
    first_name: str
    last_name: str
    preferred_name: str
    completed_date: date | None
    letter_id: str | None
    version: int | None
    letter_status: str | None
    sent_on: date | None


class InboxRow(NamedTuple):
    """A letter version waiting for sign-off, with what the manager's inbox shows of it."""

    version_id: str
    review_id: str
    child_id: str
    first_name: str
    last_name: str
    preferred_name: str
    version: int
    corrects_version: int | None
    writer: str  # who submitted it (or wrote it)
    writer_name: str | None  # their display name, when they have a login here
    submitted_at: datetime | None
    updated_at: datetime
    first_meeting_on: date | None
    completed_date: date | None
    content_hash: str
    sent_on: date | None


def _sent_on() -> Any:
    """Per review, when its letter first went out: the first logged sending of an issued
    version, else the first issue date (services.letter_model.letter_sent_on, in SQL)."""
    issued = t.LetterVersion
    return (
        select(
            issued.review_id.label("review_id"),
            func.coalesce(func.min(t.LetterDistribution.sent_on), func.min(issued.issued_on)).label(
                "sent_on"
            ),
        )
        .outerjoin(t.LetterDistribution, t.LetterDistribution.version_id == issued.id)
        .where(issued.status == "issued")
        .group_by(issued.review_id)
        .subquery("sent")
    )


def worklist_rows(session: Session, review_statuses: Sequence[str]) -> list[WorklistRow]:
    """Every review in `review_statuses` whose latest letter version is not issued, with that
    version's number and status: one query, no letter text, snapshot or record loaded.

    In the caseload list's order (by surname, first name, then each child's reviews by due
    date)."""
    latest = (
        select(
            t.LetterVersion.review_id.label("review_id"),
            func.max(t.LetterVersion.version).label("version"),
        )
        .group_by(t.LetterVersion.review_id)
        .subquery("latest")
    )
    sent = _sent_on()
    letter = t.LetterVersion
    rows = session.execute(
        select(
            t.Review.id,
            t.Child.id,
            t.Child.legal_first_name,
            t.Child.legal_last_name,
            t.Child.preferred_name,
            t.Review.completed_date,
            letter.id,
            letter.version,
            letter.status,
            sent.c.sent_on,
        )
        .join(t.Child, t.Child.id == t.Review.child_id)
        .outerjoin(latest, latest.c.review_id == t.Review.id)
        .outerjoin(
            letter, and_(letter.review_id == t.Review.id, letter.version == latest.c.version)
        )
        .outerjoin(sent, sent.c.review_id == t.Review.id)
        .where(t.Review.status.in_(list(review_statuses)))
        .where(or_(letter.status.is_(None), letter.status != "issued"))
        .order_by(t.Child.legal_last_name, t.Child.legal_first_name, t.Child.id, t.Review.due_date)
    ).all()
    return [WorklistRow(*r) for r in rows]


def _writer() -> Any:
    """Who a version is from: whoever submitted it, else whoever wrote it."""
    return func.coalesce(func.nullif(t.LetterVersion.submitted_by, ""), t.LetterVersion.created_by)


def inbox_rows(session: Session) -> list[InboxRow]:
    """Every letter version waiting for sign-off, oldest submission first: one query, no
    letter text, snapshot or comments loaded."""
    sent = _sent_on()
    letter = t.LetterVersion
    writer = _writer()
    rows = session.execute(
        select(
            letter.id,
            letter.review_id,
            t.Child.id,
            t.Child.legal_first_name,
            t.Child.legal_last_name,
            t.Child.preferred_name,
            letter.version,
            letter.corrects_version,
            writer,
            t.User.display_name,
            letter.submitted_at,
            letter.updated_at,
            t.Review.first_meeting_on,
            t.Review.completed_date,
            letter.content_hash,
            sent.c.sent_on,
        )
        .join(t.Review, t.Review.id == letter.review_id)
        .join(t.Child, t.Child.id == t.Review.child_id)
        .outerjoin(t.User, t.User.username == writer)
        .outerjoin(sent, sent.c.review_id == letter.review_id)
        .where(letter.status == "submitted")
        .order_by(letter.submitted_at, letter.created_at, letter.id)
    ).all()
    return [InboxRow(*r) for r in rows]


def count_waiting(session: Session, *, not_by: str) -> int:
    """How many letter versions wait for sign-off, leaving out those `not_by` submitted."""
    writer = _writer()
    found = session.scalar(
        select(func.count())
        .select_from(t.LetterVersion)
        .where(t.LetterVersion.status == "submitted", writer != not_by)
    )
    return int(found or 0)


# --- distribution log ---------------------------------------------------------------------


def add_distribution(
    session: Session,
    *,
    version_id: str,
    recipient: str,
    role: str,
    method: str,
    sent_on: date,
    note: str,
    recorded_by: str,
    now: datetime,
) -> StoredDistribution:
    row = t.LetterDistribution(
        version_id=version_id,
        recipient=recipient,
        role=role,
        method=method,
        sent_on=sent_on,
        note=note,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    session.add(row)
    _flush(session)
    return _distribution(row)


def _distribution(row: t.LetterDistribution) -> StoredDistribution:
    return StoredDistribution(
        id=row.id,
        version_id=row.version_id,
        recipient=row.recipient,
        role=row.role,
        method=row.method,
        sent_on=row.sent_on,
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def distributions_for_review(session: Session, review_id: str) -> list[StoredDistribution]:
    """Every logged sending of any version of the review's letter, in the order sent."""
    rows = session.scalars(
        select(t.LetterDistribution)
        .join(t.LetterVersion, t.LetterVersion.id == t.LetterDistribution.version_id)
        .where(t.LetterVersion.review_id == review_id)
        .order_by(t.LetterDistribution.sent_on, t.LetterDistribution.id)
    )
    return [_distribution(r) for r in rows]


# --- the people who write and sign letters --------------------------------------------------


def user_by_display_name(session: Session, display_name: str) -> dict[str, str] | None:
    """The login whose display name is `display_name` (the name on the child's record)."""
    row = session.scalar(
        select(t.User).where(t.User.display_name == display_name).order_by(t.User.id)
    )
    if row is None:
        return None
    return {
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "email": row.email,
        "phone": row.phone,
    }


def set_user_contact(session: Session, username: str, *, phone: str, email: str) -> None:
    """The work phone and email printed on letters for a login."""
    row = session.scalar(select(t.User).where(t.User.username == username))
    if row is None:
        raise NotFound(f"There is no login called '{username}'.")
    row.phone = phone
    row.email = email
    session.flush()
