"""What taking a sign-off step does to the store, shared by services.letters (the IRO's steps)
and services.signoff (the manager's): ask the rules (domain.letter_signoff), then move the
review with the letter, note the step in the letter's log, and queue it for sync.

Both services import this module; it imports neither, and sync only through the sign-off queue
below it, so the three hold together without late imports or borrowed private helpers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from iro_desktop.domain import review as rv
from iro_desktop.domain.letter_signoff import (
    Actor,
    LetterStatus,
    Refusal,
    RefusalKind,
    Step,
    VersionFacts,
    review_moves,
    why_not,
)
from iro_desktop.domain.record import content_hash
from iro_desktop.domain.review import ChangeRefused, Review, ReviewStatus, SeriesBasis
from iro_desktop.services import signoff_queue
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import DbSession
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo
from iro_desktop.store.letter_repository import LetterChanged, LetterFrozen, StoredLetter

__all__ = [
    "SignoffEvent",
    "actor",
    "check",
    "comment_entry",
    "emit",
    "move_review",
    "move_review_with",
    "outbox_hook",
    "readable_review",
    "review_status",
    "version_facts",
]


def readable_review(stored: reviews_repo.StoredReview) -> Review:
    if stored.review is None:
        raise ValueError(
            f"The record of review {stored.row.id} could not be read ({stored.problem}), so "
            "no letter can be written from it."
        )
    return stored.review


def review_status(s: DbSession, review_id: str) -> ReviewStatus:
    return readable_review(reviews_repo.load_review(s, review_id)).status


def move_review(
    session: CaseloadSession,
    s: DbSession,
    review_id: str,
    to: ReviewStatus,
    *,
    reason: str | None = None,
) -> None:
    """One move of the review's own lifecycle, saved and audited with the letter's step."""
    stored = reviews_repo.load_review(s, review_id)
    change = rv.transition(readable_review(stored), to, on=session.clock.today(), reason=reason)
    reviews_repo.save_review(
        s, change.review, basis=session.profile.series_basis, now=session.now()
    )
    detail = change.event.summary + (
        f" Reason: {change.event.reason}" if change.event.reason else ""
    )
    session.audit(s, "update", "review", review_id, detail)


def move_review_with(
    session: CaseloadSession, s: DbSession, step: Step, review_id: str, *, reason: str = ""
) -> None:
    """The review's moves that go with a letter's step (domain.letter_signoff.review_moves)."""
    for to in review_moves(step, review_status(s, review_id)):
        move_review(session, s, review_id, to, reason=reason or None)


def comment_entry(
    session: CaseloadSession, s: DbSession, action: str, text: str, hash_: str
) -> dict[str, Any]:
    """An entry of the letter's log: who, when, what, on which text."""
    me = repo.get_user(s, session.username) or {}
    return {
        "at": session.now().isoformat(),
        "by": session.username,
        "by_name": me.get("display_name") or session.username,
        "action": action,
        "text": text,
        "content_hash": hash_,
    }


def actor(s: DbSession, session: CaseloadSession) -> Actor:
    user = repo.get_user(s, session.username) or {}
    return Actor(session.username, user.get("role") == "manager")


def version_facts(s: DbSession, letter: StoredLetter) -> VersionFacts:
    """What the sign-off rules need to know about this version and the letter's others."""
    versions = letters_repo.versions_for_review(s, letter.review_id)
    latest = versions[-1] if versions else letter
    waiting = [
        v.version
        for v in versions
        if v.status == LetterStatus.SUBMITTED.value and v.id != letter.id
    ]
    return VersionFacts(
        version=letter.version,
        status=LetterStatus(letter.status),
        created_by=letter.created_by,
        submitted_by=letter.submitted_by,
        stored_hash=letter.content_hash,
        text_hash=content_hash(letter.letter_text),
        edit=letter.row_version,
        latest_version=latest.version,
        latest_status=LetterStatus(latest.status),
        other_waiting=waiting[0] if waiting else None,
        issued_on=letter.issued_on,
    )


def check(
    s: DbSession,
    session: CaseloadSession | None,
    step: Step,
    letter: StoredLetter,
    **context: Any,
) -> VersionFacts:
    """Take the rules' answer for this step: return the facts, or raise the refusal as the
    error the callers (and the window) know: LetterFrozen, LetterChanged or ChangeRefused.

    `session` None: a decision taken elsewhere (pulled from the sync server)."""
    facts = version_facts(s, letter)
    who = actor(s, session) if session is not None else None
    refused = why_not(step, facts, who, **context)
    if refused is not None:
        raise _error(refused)
    return facts


def _error(refused: Refusal) -> Exception:
    if refused.kind is RefusalKind.FROZEN:
        return LetterFrozen(refused.message)
    if refused.kind is RefusalKind.CHANGED:
        return LetterChanged(refused.message)
    return ChangeRefused(refused.message)


# --- the seam for sync ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignoffEvent:
    """One step of a letter's sign-off, as it will travel to the sync server."""

    kind: str  # submitted | approved | returned | issued
    version_id: str
    review_id: str
    child_id: str
    version: int
    content_hash: str
    by: str
    at: datetime
    comment: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {
            "type": f"letter.{self.kind}",
            "version_id": self.version_id,
            "review_id": self.review_id,
            "child_id": self.child_id,
            "version": self.version,
            "content_hash": self.content_hash,
            "by": self.by,
            "at": self.at.isoformat(),
            "comment": self.comment,
        }


def outbox_hook(session: CaseloadSession, db: DbSession, event: SignoffEvent) -> None:
    """Where a submission or a manager's decision is queued to leave the laptop.

    Called for every submission, approval, return and issue, inside the same unit of work as
    the change itself: whatever is written to `db` here is committed with the change or not at
    all, and an exception here undoes the change.

    A submission goes to the outbox so a manager elsewhere sees it in their inbox once the
    laptop syncs. Decisions taken here (a manager signing off on this laptop) need not travel:
    the letter version itself is the record.
    """
    if event.kind != "submitted":
        return
    # A returned letter comes back as the same version: with new text it is a new item; with
    # the same text the item already queued (or sent) says it all.
    item_id = signoff_queue.signoff_item_id(f"{event.version_id}:{event.content_hash}")
    if signoff_queue.is_queued(db, item_id):
        return
    signoff_queue.enqueue_signoff(
        session,
        db,
        review_id=event.review_id,
        version=event.version,
        content_hash=event.content_hash,
        child_ids=[event.child_id],
        # The store keeps UTC times without a zone (CaseloadSession.now()); the wire wants one.
        submitted_at=event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC),
        item_id=item_id,
    )


def emit(
    session: CaseloadSession,
    s: DbSession,
    kind: str,
    letter: StoredLetter,
    *,
    by: str | None = None,
    at: datetime | None = None,
    comment: str = "",
) -> None:
    """Pass one sign-off step through the outbox seam."""
    outbox_hook(
        session,
        s,
        SignoffEvent(
            kind=kind,
            version_id=letter.id,
            review_id=letter.review_id,
            child_id=reviews_repo.load_review(s, letter.review_id).row.child_id,
            version=letter.version,
            content_hash=letter.content_hash,
            by=by or session.username,
            at=at or session.now(),
            comment=comment,
        ),
    )


def series_basis(session: CaseloadSession) -> SeriesBasis:
    return session.profile.series_basis
