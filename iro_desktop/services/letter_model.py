"""What the letter use cases return, and the rules they share with the sign-off screen.

Plain frozen dataclasses (no database access, no Qt): a letter version and its comments, the
distribution log, the deadlines in words, an opened letter for the editor, a written PDF.
`services.letters` re-exports all of them, so the window imports from one place.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from iro_desktop.domain import timescales
from iro_desktop.domain.letter import (
    AgeBand,
    DraftNote,
    Flag,
    LetterDraft,
    LetterSection,
    format_date,
)
from iro_desktop.domain.letter_signoff import LetterStatus as LetterStatus  # re-exported
from iro_desktop.domain.plain_language import PlainLanguageReport, check_text
from iro_desktop.domain.profile import PracticeProfile
from iro_desktop.domain.record import SignOffStamp
from iro_desktop.domain.review import ReviewStatus
from iro_desktop.store.letter_repository import StoredDistribution, StoredLetter

DRAFT_MARK = "DRAFT – not yet approved"


class DistributionMethod(enum.StrEnum):
    POST = "post"
    EMAIL = "email"
    HAND = "hand"
    SECURE_EMAIL = "secure_email"

    @property
    def label(self) -> str:
        return {
            "post": "by post",
            "email": "by email",
            "hand": "by hand",
            "secure_email": "by secure email",
        }[self.value]


# --- what the use cases return ------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class Comment:
    """A manager's comment or a step of the sign-off, with the hash of the text it was on."""

    at: datetime
    by: str
    by_name: str
    action: str  # submitted | comment | returned | approved
    text: str
    content_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "by": self.by,
            "by_name": self.by_name,
            "action": self.action,
            "text": self.text,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True, slots=True)
class LetterVersion:
    """One version of a review's letter. `edit` is its save counter: pass it back as
    `expected_edit` to be told when it was changed elsewhere in the meantime."""

    id: str
    review_id: str
    version: int
    status: LetterStatus
    text: str
    content_hash: str
    age_band: AgeBand
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
    comments: tuple[Comment, ...]
    edit: int

    @property
    def signoff(self) -> SignOffStamp | None:
        """The stamp printed on the approved letter; None until a manager approves it."""
        if not self.status.signed or self.approved_at is None:
            return None
        return SignOffStamp(
            version=self.version,
            content_hash=self.content_hash,
            approved_by=self.approved_by_name or self.approved_by or "a manager",
            approved_at=self.approved_at,
        )

    @property
    def manager_comments(self) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.action in ("comment", "returned", "approved"))

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "review_id": self.review_id,
            "version": self.version,
            "status": self.status.value,
            "status_label": self.status.label,
            "content_hash": self.content_hash,
            "age_band": self.age_band.value,
            "large_print": self.large_print,
            "corrects_version": self.corrects_version,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "submitted_at": _iso(self.submitted_at),
            "approved_by": self.approved_by_name or self.approved_by,
            "approved_at": _iso(self.approved_at),
            "issued_on": _iso(self.issued_on),
            "comments": [c.to_json() for c in self.comments],
        }
        if with_text:
            data["text"] = self.text
        return data


def version_from_stored(stored: StoredLetter) -> LetterVersion:
    comments = []
    for c in stored.comments:
        try:
            comments.append(
                Comment(
                    at=datetime.fromisoformat(str(c["at"])),
                    by=str(c.get("by", "")),
                    by_name=str(c.get("by_name", "")),
                    action=str(c.get("action", "comment")),
                    text=str(c.get("text", "")),
                    content_hash=str(c.get("content_hash", "")),
                )
            )
        except (KeyError, ValueError):
            continue  # a damaged entry must not hide the letter
    return LetterVersion(
        id=stored.id,
        review_id=stored.review_id,
        version=stored.version,
        status=LetterStatus(stored.status),
        text=stored.letter_text,
        content_hash=stored.content_hash,
        age_band=AgeBand(stored.age_band),
        large_print=stored.large_print,
        corrects_version=stored.corrects_version,
        created_by=stored.created_by,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        submitted_by=stored.submitted_by,
        submitted_at=stored.submitted_at,
        approved_by=stored.approved_by,
        approved_by_name=stored.approved_by_name,
        approved_at=stored.approved_at,
        issued_by=stored.issued_by,
        issued_on=stored.issued_on,
        comments=tuple(comments),
        edit=stored.row_version,
    )


@dataclass(frozen=True, slots=True)
class Distribution:
    id: int
    version: int
    recipient: str
    role: str
    method: DistributionMethod
    sent_on: date
    note: str
    recorded_by: str

    @property
    def words(self) -> str:
        who = f"{self.recipient} ({self.role})" if self.role else self.recipient
        return f"Version {self.version} sent to {who} {self.method.label} on {format_date(self.sent_on)}."

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "recipient": self.recipient,
            "role": self.role,
            "method": self.method.value,
            "sent_on": self.sent_on.isoformat(),
            "note": self.note,
            "recorded_by": self.recorded_by,
        }


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone an issued letter goes to, and how."""

    recipient: str
    method: DistributionMethod | str
    role: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class DeadlineCheck:
    """One deadline of the record (recommendations, or the letter) and how it stands."""

    what: str
    due_on: date | None  # None until the review is complete
    done_on: date | None
    late: bool | None  # None while it is not done and not yet late
    working_days: int | None  # late by (done or not), or left before the deadline
    words: str

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "due_on": _iso(self.due_on),
            "done_on": _iso(self.done_on),
            "late": self.late,
            "working_days": self.working_days,
            "words": self.words,
        }


@dataclass(frozen=True, slots=True)
class Deadlines:
    completed_on: date | None
    recommendations: DeadlineCheck
    letter: DeadlineCheck

    @property
    def words(self) -> tuple[str, str]:
        return (self.recommendations.words, self.letter.words)

    def to_json(self) -> dict[str, Any]:
        return {
            "completed_on": _iso(self.completed_on),
            "recommendations": self.recommendations.to_json(),
            "letter": self.letter.to_json(),
        }


@dataclass(frozen=True, slots=True)
class LetterBrief:
    """What a list shows of a review's latest letter version: which one and where it stands
    (the text, the snapshot and the comments stay in the store until the letter is opened)."""

    id: str
    version: int
    status: LetterStatus


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A review on the Letters list: its letter still to write, in draft, back from the
    manager, waiting for sign-off, or approved and not yet issued, with the letter's deadline."""

    review_id: str
    child_id: str
    child_name: str
    completed_on: date | None
    letter: LetterBrief | None  # None: not written yet
    deadline: DeadlineCheck | None  # None only when `problem` says why
    problem: str = ""  # set when the row cannot be read: listed, not hidden

    @property
    def stage(self) -> str:
        """to_write, draft, returned, submitted or approved."""
        return "to_write" if self.letter is None else self.letter.status.value


@dataclass(frozen=True, slots=True)
class OpenedLetter:
    """A letter version opened for the letter editor or the manager's sign-off screen."""

    letter: LetterVersion
    versions: tuple[LetterVersion, ...]
    review_id: str
    child_id: str
    child_name: str
    review_status: ReviewStatus
    # Things to check in the draft (no preferred name, a recommendation with no words for
    # the child, ...): shown beside the editor, never part of the letter.
    notes: tuple[DraftNote, ...]
    # Set when the text cannot be read as a letter (a missing title or greeting).
    problem: str
    plain_language: PlainLanguageReport
    deadlines: Deadlines
    distributions: tuple[Distribution, ...]
    # Sentences of the text that still talk about the child in the third person (also in
    # `notes`): submitting asks the IRO to fix them or confirm they are right.
    third_person: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class SavedText:
    letter_id: str
    edit: int
    content_hash: str
    problem: str  # "" when the text reads as a letter


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    path: Path | None  # None: made in memory for a preview, not saved anywhere
    pages: int
    approved: bool
    version: int | None  # None: drafted from the record, not saved as a version
    stamp: SignOffStamp | None

    @property
    def words(self) -> str:
        if self.stamp is not None:
            at = self.stamp.approved_at
            return (
                f"the approved version {self.stamp.version}, signed off by "
                f"{self.stamp.approved_by} on {format_date(at.date(), weekday=False)}"
            )
        if self.version is None:
            return "an unapproved draft, written from the record just now (not saved)"
        return f"an unapproved draft (version {self.version}, not yet approved)"


@dataclass(frozen=True, slots=True)
class BatchLine:
    version_id: str
    review_id: str
    child_name: str
    version: int
    path: Path | None
    error: str = ""
    review_on: date | None = None  # the review the letter is about


def mark_unapproved(draft: LetterDraft) -> LetterDraft:
    """The letter with 'DRAFT – not yet approved' in its title and a closing warning."""
    warning = LetterSection(
        DRAFT_MARK,
        (
            "A manager has not approved this letter yet, so it must not be sent. "
            "Print the approved version to send it.",
        ),
    )
    return LetterDraft(
        title=f"{DRAFT_MARK}: {draft.title}",
        salutation=draft.salutation,
        sections=(*draft.sections, warning),
        sign_off=draft.sign_off,
    )


def check_plain_language(text: str, age_band: AgeBand | str) -> PlainLanguageReport:
    """Readability, long sentences, jargon and passives in the letter's text, for its reader.

    Advice only: it never stops a letter being saved, submitted or approved.
    """
    return check_text(text, AgeBand(age_band))


# --- deadlines ------------------------------------------------------------------------------


def _plural(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")


def deadline_check(
    what: str,
    completed: date | None,
    working_days: int,
    done_on: date | None,
    today: date,
    profile: PracticeProfile,
    *,
    verb: str = "sent",
) -> DeadlineCheck:
    """How one deadline stands, in words: due N working days after completion."""
    if completed is None:
        return DeadlineCheck(
            what,
            None,
            done_on,
            None,
            None,
            f"{what}: the clock starts when the review is completed ({working_days} working "
            "days from then).",
        )
    if what.startswith("Recommendations"):
        due = timescales.recommendations_due(completed, working_days, calendar=profile.calendar)
    else:
        due = timescales.minutes_due(completed, working_days, calendar=profile.calendar)
    cal = profile.calendar
    if done_on is not None:
        late_by = cal.working_days_between(due, done_on)
        if late_by > 0:
            return DeadlineCheck(
                what,
                due,
                done_on,
                True,
                late_by,
                f"{what} {verb} on {format_date(done_on)}: {_plural(late_by)} late "
                f"(due by {format_date(due)}).",
            )
        return DeadlineCheck(
            what,
            due,
            done_on,
            False,
            0,
            f"{what} {verb} on {format_date(done_on)}: on time (due by {format_date(due)}).",
        )
    left = cal.working_days_between(today, due)
    if left < 0:
        return DeadlineCheck(
            what,
            due,
            None,
            True,
            -left,
            f"{what} not {verb} yet: {_plural(-left)} late (due by {format_date(due)}).",
        )
    if left == 0 and today >= due:
        words = f"{what} not {verb} yet: due today ({format_date(due)})."
    else:
        words = f"{what} not {verb} yet: due by {format_date(due)}, {_plural(left)} left."
    return DeadlineCheck(what, due, None, None, left, words)


def letter_sent_on(
    letters: Sequence[StoredLetter], dists: Sequence[StoredDistribution]
) -> date | None:
    """When the letter first went out: its first logged sending, else its first issue date."""
    issued = [v for v in letters if v.status == LetterStatus.ISSUED.value]
    if not issued:
        return None
    ids = {v.id for v in issued}
    sent = [d.sent_on for d in dists if d.version_id in ids]
    issued_on = [v.issued_on for v in issued if v.issued_on is not None]
    return min(sent or issued_on, default=None)
