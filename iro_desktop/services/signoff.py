"""A manager's sign-off of letters to children: the inbox, comments, returning, approving.

A manager logs in to the same caseload (services.access `add_login(..., role="manager")`),
reads each submitted letter with the record it will be printed from, and either returns it
to the IRO with a comment (the review goes back to 'letter drafted') or approves it. Approval
freezes that exact text: its content hash, the approver and the time are stored, printed on
the issued PDF, and can never be changed (a correction is a new version, see
services.letters.correct_letter). A manager cannot sign off a letter they wrote.

Who may take each step, and when, is decided by domain.letter_signoff; what a step does to the
store (moving the review, the letter's log, the outbox seam) is services.letter_steps', shared
with services.letters. `apply_pulled_decisions` is where a manager's decision taken elsewhere,
pulled from the sync server, comes back to the letter version it was about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from iro_desktop.domain.letter_signoff import Step, why_not
from iro_desktop.domain.review import ChangeRefused
from iro_desktop.services import letter_steps as steps
from iro_desktop.services import letters, signoff_queue
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.due import display_name
from iro_desktop.services.letter_model import (
    DeadlineCheck,
    LetterStatus,
    LetterVersion,
    OpenedLetter,
    deadline_check,
    version_from_stored,
)
from iro_desktop.services.letter_steps import SignoffEvent, outbox_hook
from iro_desktop.store import DbSession, outbox
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store import repositories as repo
from iro_desktop.store.letter_repository import StoredLetter
from iro_desktop.sync.protocol import Decision, SignoffDecision

__all__ = [
    "InboxItem",
    "SignoffEvent",
    "apply_pulled_decisions",
    "approve",
    "comment",
    "inbox",
    "outbox_hook",
    "read_for_signoff",
    "return_letter",
]


# --- who may sign off (the rules are domain.letter_signoff's) ---------------------------------


def _manager(session: CaseloadSession, s: DbSession, what: str) -> dict[str, str]:
    user = repo.get_user(s, session.username)
    if user is None or user.get("role") != "manager":
        raise ChangeRefused(
            f"Only a manager can {what}. Log in with a manager's login (add one with "
            "'add-login --role manager')."
        )
    return user


# --- the inbox ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A letter waiting for sign-off, with how long it has waited and its deadline."""

    version_id: str
    review_id: str
    child_id: str
    child_name: str
    version: int
    corrects_version: int | None
    written_by: str
    submitted_at: datetime
    waiting_working_days: int
    held_on: date | None
    completed_on: date | None
    deadline: DeadlineCheck
    content_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "review_id": self.review_id,
            "child_id": self.child_id,
            "child_name": self.child_name,
            "version": self.version,
            "corrects_version": self.corrects_version,
            "written_by": self.written_by,
            "submitted_at": self.submitted_at.isoformat(),
            "waiting_working_days": self.waiting_working_days,
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "deadline": self.deadline.to_json(),
            "content_hash": self.content_hash,
        }


def inbox(session: CaseloadSession) -> list[InboxItem]:
    """Every letter waiting for sign-off on this caseload, the longest-waiting first.

    One query of lean rows (no letter text, snapshot or comments is loaded); each item says
    what the per-letter reading used to (tests/services/test_letters_worklist.py)."""
    today = session.clock.today()
    profile = session.profile
    with session.unit_of_work() as s:
        _manager(session, s, "see the sign-off inbox")
        rows = letters_repo.inbox_rows(s)
        session.audit(s, "open", "sign-off inbox", session.username, f"{len(rows)} letters")
    items = []
    for row in rows:
        submitted_at = row.submitted_at or row.updated_at
        items.append(
            InboxItem(
                version_id=row.version_id,
                review_id=row.review_id,
                child_id=row.child_id,
                child_name=display_name(row.first_name, row.last_name, row.preferred_name),
                version=row.version,
                corrects_version=row.corrects_version,
                written_by=row.writer_name or row.writer,
                submitted_at=submitted_at,
                waiting_working_days=max(
                    0, profile.calendar.working_days_between(submitted_at.date(), today)
                ),
                held_on=row.first_meeting_on,
                completed_on=row.completed_date,
                deadline=deadline_check(
                    "Letter to the child",
                    row.completed_date,
                    profile.minutes_working_days,
                    row.sent_on,
                    today,
                    profile,
                ),
                content_hash=row.content_hash,
            )
        )
    items.sort(key=lambda i: (i.submitted_at, i.version_id))
    return items


def letters_waiting(session: CaseloadSession) -> int:
    """How many letters wait for this manager's sign-off (0 for an IRO), for the window's
    navigation and a manager's landing page: a count, so nothing is opened or audited.

    A manager's own letters are left out: someone else signs those off."""
    if not session.is_manager:
        return 0
    with session.unit_of_work() as s:
        return letters_repo.count_waiting(s, not_by=session.username)


def read_for_signoff(session: CaseloadSession, version_id: str) -> OpenedLetter:
    """A submitted letter opened by a manager, with its notes, deadlines and history."""
    with session.unit_of_work() as s:
        _manager(session, s, "read letters for sign-off")
    return letters.get_letter(session, version_id)


# --- decisions ------------------------------------------------------------------------------


def comment(
    session: CaseloadSession, version_id: str, text: str, *, expected_edit: int | None = None
) -> LetterVersion:
    """A manager's comment on a submitted letter, without deciding yet."""
    words = text.strip()
    if not words:
        raise ValueError("Write the comment first.")
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.COMMENT, letter, expected_edit=expected_edit)
        entry = steps.comment_entry(session, s, "comment", words, letter.content_hash)
        updated = letters_repo.update_version(
            s, version_id, now=session.now(), comments=[*letter.comments, entry]
        )
        session.audit(s, "update", "letter", version_id, f"comment on version {letter.version}")
        return version_from_stored(updated)


def return_letter(
    session: CaseloadSession, version_id: str, comment: str, *, expected_edit: int | None = None
) -> LetterVersion:
    """Send the letter back to the IRO with what to change; the review goes back to
    'letter drafted'."""
    words = comment.strip()
    if not words:
        raise ValueError("Say what needs to change, so the IRO knows why the letter came back.")
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.RETURN, letter, expected_edit=expected_edit)
        entry = steps.comment_entry(session, s, "returned", words, letter.content_hash)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.RETURNED.value,
            comments=[*letter.comments, entry],
        )
        steps.move_review_with(session, s, Step.RETURN, letter.review_id, reason=words)
        session.audit(
            s, "update", "letter", version_id, f"version {letter.version} returned: {words}"
        )
        steps.emit(session, s, "returned", updated, comment=words)
        return version_from_stored(updated)


def approve(
    session: CaseloadSession,
    version_id: str,
    *,
    comment: str = "",
    expected_hash: str | None = None,
    expected_edit: int | None = None,
) -> LetterVersion:
    """Approve exactly this text for issue: the version is frozen from now on.

    `expected_hash` is the content hash of the text the manager read; approval is refused
    if the stored text is not that text.
    """
    words = comment.strip()
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        facts = steps.check(
            s,
            session,
            Step.APPROVE,
            letter,
            expected_edit=expected_edit,
            expected_hash=expected_hash,
        )
        manager = repo.get_user(s, session.username) or {}
        actual = facts.text_hash
        entry = steps.comment_entry(session, s, "approved", words, actual)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.APPROVED.value,
            approved_by=session.username,
            approved_by_name=manager.get("display_name") or session.username,
            approved_at=session.now(),
            comments=[*letter.comments, entry],
        )
        steps.move_review_with(session, s, Step.APPROVE, letter.review_id)
        session.audit(
            s,
            "update",
            "letter",
            version_id,
            f"version {letter.version} approved (ref {actual[:12]})"
            + (f": {words}" if words else ""),
        )
        steps.emit(session, s, "approved", updated, comment=words)
        return version_from_stored(updated)


# --- decisions taken elsewhere, pulled from the sync server ------------------------------------


def _submission_ids(s: DbSession) -> dict[str, tuple[StoredLetter, str]]:
    """Every submission item id this caseload has sent, with its version and the text's hash.

    A returned letter is resubmitted as the same version with new text, so one version may
    have several: one for each text it was submitted with (kept in its comment log).
    """
    found: dict[str, tuple[StoredLetter, str]] = {}
    for status in LetterStatus:
        for row in letters_repo.versions_with_status(s, status.value):
            letter = row.letter
            hashes = {letter.content_hash} | {
                str(c["content_hash"])
                for c in letter.comments
                if c.get("action") == "submitted" and c.get("content_hash")
            }
            for hash_ in hashes:
                found[signoff_queue.signoff_item_id(f"{letter.id}:{hash_}")] = (letter, hash_)
    return found


def _stale_reason(s: DbSession, letter: StoredLetter, hash_: str) -> str:
    """Why a pulled decision can no longer be applied to this version ('' if it can)."""
    facts = steps.version_facts(s, letter)
    if facts.status is not LetterStatus.SUBMITTED:
        return f"version {letter.version} is now '{facts.status.label}', not waiting for sign-off"
    # A manager elsewhere decided on the text with this hash: the rules' own check of it.
    if why_not(Step.APPROVE, facts, None, expected_hash=hash_) or facts.stored_hash != hash_:
        return f"version {letter.version} was resubmitted with different text since"
    return ""


def apply_pulled_decisions(session: CaseloadSession) -> int:
    """Apply managers' sign-off decisions pulled from the sync server to the letters they were
    about, exactly as a manager approving or returning on this laptop would. Returns how many
    were applied.

    Each decision is one unit of work with marking it dealt with. A decision about text the
    letter no longer has (the IRO corrected it, or a manager here already decided) is marked
    dealt with and noted in the audit log, never applied to other text. A decision about a
    submission this caseload never sent is left alone.
    """
    pending = signoff_queue.signoff_decisions(session)
    if not pending:
        return 0
    applied = 0
    with session.unit_of_work() as s:
        known = _submission_ids(s)
    for decision, entry in pending:
        if decision.submission_id not in known:
            continue
        with session.unit_of_work() as s:
            still = {e.item_id for e in outbox.inbox(s, SignoffDecision.kind)}
            if entry.item_id not in still:
                continue  # dealt with meanwhile
            matched, hash_ = known[decision.submission_id]
            letter = letters_repo.get_version(s, matched.id)
            reason = _stale_reason(s, letter, hash_)
            if reason:
                session.audit(
                    s,
                    "update",
                    "letter",
                    letter.id,
                    f"decision from the sync server not applied ({decision.decision.value} by "
                    f"{decision.decided_by}): {reason}",
                )
            else:
                _apply_decision(session, s, letter, decision)
                applied += 1
            signoff_queue.mark_pulled_handled(session, s, entry.item_id)
    return applied


def _apply_decision(
    session: CaseloadSession, s: DbSession, letter: StoredLetter, decision: SignoffDecision
) -> None:
    # The store keeps UTC times without a zone; the wire's carry one.
    at = decision.decided_at.astimezone(UTC).replace(tzinfo=None)
    by = decision.decided_by
    words = decision.comment.strip()
    entry = {
        "at": at.isoformat(),
        "by": by,
        "by_name": by,
        "action": decision.decision.value,
        "text": words,
        "content_hash": letter.content_hash,
    }
    comments = [*letter.comments, entry]
    if decision.decision is Decision.APPROVED:
        updated = letters_repo.update_version(
            s,
            letter.id,
            now=session.now(),
            status=LetterStatus.APPROVED.value,
            approved_by=by,
            approved_by_name=by,
            approved_at=at,
            comments=comments,
        )
        steps.move_review_with(session, s, Step.APPROVE, letter.review_id)
        detail = f"version {letter.version} approved by {by} (ref {letter.content_hash[:12]})" + (
            f": {words}" if words else ""
        )
    else:
        updated = letters_repo.update_version(
            s,
            letter.id,
            now=session.now(),
            status=LetterStatus.RETURNED.value,
            comments=comments,
        )
        steps.move_review_with(
            session, s, Step.RETURN, letter.review_id, reason=words or f"Returned by {by}."
        )
        detail = f"version {letter.version} returned by {by}" + (f": {words}" if words else "")
    session.audit(s, "update", "letter", letter.id, f"{detail} (from the sync server)")
    steps.emit(session, s, decision.decision.value, updated, by=by, at=at, comment=words)
