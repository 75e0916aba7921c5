"""The letter's sign-off rules: its statuses, who may take each step, versions, corrections.

A letter to the child is kept as numbered versions. The IRO drafts and edits a version, then
submits it; a manager (never its author) returns it with a comment or approves exactly the text
they read, which freezes it for good. An approved version is issued, and its sending logged; a
change after approval is a correction: a new version, which goes through sign-off the same way.

`why_not` says, in words for the person trying, why a step cannot be taken now (None when it
can); `status_after` and `review_moves` say what the step changes. No database: the services
gather a `VersionFacts`, ask, then store what the answer says, like review_lifecycle does for
the review itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from iro_desktop.domain.letter import format_date
from iro_desktop.domain.review_record import ReviewStatus

__all__ = [
    "Actor",
    "LetterStatus",
    "Refusal",
    "RefusalKind",
    "Step",
    "VersionFacts",
    "review_moves",
    "status_after",
    "why_not",
]


class LetterStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    ISSUED = "issued"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def editable(self) -> bool:
        return self in (LetterStatus.DRAFT, LetterStatus.RETURNED)

    @property
    def signed(self) -> bool:
        return self in (LetterStatus.APPROVED, LetterStatus.ISSUED)


_LABELS = {
    LetterStatus.DRAFT: "Draft",
    LetterStatus.SUBMITTED: "With a manager for sign-off",
    LetterStatus.RETURNED: "Returned for changes",
    LetterStatus.APPROVED: "Approved",
    LetterStatus.ISSUED: "Issued",
}


class Step(enum.StrEnum):
    EDIT = "edit"  # save text, redraft
    SUBMIT = "submit"
    COMMENT = "comment"
    RETURN = "return"
    APPROVE = "approve"
    ISSUE = "issue"
    CORRECT = "correct"  # start a new version from a signed-off one
    LOG_SENDING = "log_sending"


class RefusalKind(enum.StrEnum):
    NOT_NOW = "not_now"  # the step does not fit the letter's status, versions or the person
    FROZEN = "frozen"  # the version is signed off: its text can never change
    CHANGED = "changed"  # the version changed since the person opened it


@dataclass(frozen=True, slots=True)
class Refusal:
    kind: RefusalKind
    message: str


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is taking the step. None for a decision a manager took elsewhere (pulled from the
    sync server): the server has already checked who they were."""

    username: str
    manager: bool


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """What the rules need to know about one version of a letter and its neighbours."""

    version: int
    status: LetterStatus
    created_by: str
    submitted_by: str | None
    stored_hash: str  # the content hash kept with the version
    text_hash: str  # the hash of its text as stored now
    edit: int  # the save counter
    latest_version: int  # the review's latest version number
    latest_status: LetterStatus | None = None
    other_waiting: int | None = None  # another version of the letter with a manager
    issued_on: date | None = None


_NOT_READY = frozenset(
    {
        ReviewStatus.PLANNED,
        ReviewStatus.PREPARING,
        ReviewStatus.STOOD_DOWN,
        ReviewStatus.HELD,
        ReviewStatus.COMPLETED,
    }
)

_MANAGER_WORDS = {
    Step.COMMENT: "comment on a letter for sign-off",
    Step.RETURN: "return a letter",
    Step.APPROVE: "approve a letter",
}
_DECIDED_WORDS = {Step.COMMENT: "commented on", Step.RETURN: "returned", Step.APPROVE: "approved"}


def _not_now(message: str) -> Refusal:
    return Refusal(RefusalKind.NOT_NOW, message)


def _editable(v: VersionFacts, what: str) -> Refusal | None:
    if v.status is LetterStatus.SUBMITTED:
        return _not_now(
            f"Version {v.version} is with a manager for sign-off; to {what}, ask for it to be "
            "returned first."
        )
    if v.status.signed:
        return Refusal(
            RefusalKind.FROZEN,
            f"Version {v.version} has been {v.status.value}, so it cannot be changed; a "
            "correction is made as a new version.",
        )
    return None


def _edit_moved(v: VersionFacts, expected_edit: int | None, message: str) -> Refusal | None:
    if expected_edit is not None and v.edit != expected_edit:
        return Refusal(RefusalKind.CHANGED, message)
    return None


def why_not(
    step: Step,
    v: VersionFacts,
    actor: Actor | None,
    *,
    review_status: ReviewStatus | None = None,
    expected_edit: int | None = None,
    expected_hash: str | None = None,
) -> Refusal | None:
    """Why `actor` cannot take `step` on this version now, or None when they can."""
    if step is Step.EDIT:
        return _editable(v, "change it")
    if step is Step.SUBMIT:
        return (
            _editable(v, "submit it again")
            or _edit_moved(
                v,
                expected_edit,
                f"Version {v.version} was changed elsewhere after you opened it. Open it "
                "again before submitting.",
            )
            or _submit_fits(v, review_status)
        )
    if step in _MANAGER_WORDS:
        return _manager_decision(step, v, actor, expected_edit, expected_hash)
    if step is Step.ISSUE:
        if v.status is LetterStatus.ISSUED:
            when = format_date(v.issued_on) if v.issued_on else "an earlier date"
            return _not_now(f"Version {v.version} was already issued on {when}.")
        if v.status is not LetterStatus.APPROVED:
            return _not_now(
                f"Version {v.version} is '{v.status.label}': only a letter a manager has "
                "approved can be issued."
            )
        if v.latest_version != v.version:
            return _not_now(
                f"Version {v.version} has been replaced by version {v.latest_version}; issue "
                "that one once it is approved."
            )
        return None
    if step is Step.CORRECT:
        if not v.status.signed:
            return _not_now(
                f"Version {v.version} is not approved yet, so change it directly; a "
                "correction is only needed once a letter has been signed off."
            )
        if v.latest_version != v.version:
            status = f", {v.latest_status.label.lower()}" if v.latest_status else ""
            return _not_now(
                f"There is already a later version ({v.latest_version}{status}); correct that "
                "one instead."
            )
        return None
    if step is Step.LOG_SENDING:
        if v.status is not LetterStatus.ISSUED:
            return _not_now(
                f"Version {v.version} has not been issued, so it cannot have been sent. "
                "Issue the approved letter first."
            )
        return None
    raise ValueError(f"Unknown step {step!r}.")


def _submit_fits(v: VersionFacts, review_status: ReviewStatus | None) -> Refusal | None:
    if v.other_waiting is not None:
        return _not_now(
            f"Version {v.other_waiting} of this letter is already with a manager for sign-off."
        )
    if review_status in _NOT_READY:
        step = (
            "complete the review and record that its recommendations were issued"
            if review_status is not ReviewStatus.COMPLETED
            else "record that the review's recommendations were issued"
        )
        return _not_now(
            f"The review is at '{review_status.label}': {step} before the letter goes for sign-off."
        )
    return None


def _manager_decision(
    step: Step,
    v: VersionFacts,
    actor: Actor | None,
    expected_edit: int | None,
    expected_hash: str | None,
) -> Refusal | None:
    if actor is not None and not actor.manager:
        return _not_now(
            f"Only a manager can {_MANAGER_WORDS[step]}. Log in with a manager's login (add "
            "one with 'add-login --role manager')."
        )
    if v.status is not LetterStatus.SUBMITTED:
        return _not_now(
            f"Version {v.version} is '{v.status.label}', not waiting for sign-off, so it "
            f"cannot be {_DECIDED_WORDS[step]}."
        )
    if step is Step.COMMENT:
        return _edit_moved(
            v,
            expected_edit,
            f"Version {v.version} changed after you opened it. Open it again before deciding.",
        )
    if actor is not None and actor.username in (v.created_by, v.submitted_by):
        verb = "approve" if step is Step.APPROVE else "return"
        return _not_now(
            f"You wrote version {v.version} of this letter, so another manager must {verb} it."
        )
    moved = _edit_moved(
        v,
        expected_edit,
        f"Version {v.version} changed after you opened it. Open it again before deciding.",
    )
    if moved:
        return moved
    if step is Step.APPROVE and (
        v.text_hash != v.stored_hash or (expected_hash and expected_hash != v.text_hash)
    ):
        return Refusal(
            RefusalKind.CHANGED,
            f"The text of version {v.version} is not the text you read (ref "
            f"{v.text_hash[:12]}). Open it again before approving.",
        )
    return None


_AFTER = {
    Step.SUBMIT: LetterStatus.SUBMITTED,
    Step.RETURN: LetterStatus.RETURNED,
    Step.APPROVE: LetterStatus.APPROVED,
    Step.ISSUE: LetterStatus.ISSUED,
    Step.CORRECT: LetterStatus.DRAFT,  # the new version
}


def status_after(step: Step, status: LetterStatus) -> LetterStatus:
    """The letter's status once `step` is taken (the new version's, for a correction)."""
    return _AFTER.get(step, status)


def review_moves(step: Step, review: ReviewStatus) -> tuple[ReviewStatus, ...]:
    """The review's lifecycle moves that go with a step, in order (none when the review is
    elsewhere: a correction of an issued letter leaves the review issued)."""
    if step is Step.SUBMIT:
        if review is ReviewStatus.RECOMMENDATIONS_ISSUED:
            return (ReviewStatus.LETTER_DRAFTED, ReviewStatus.SUBMITTED)
        if review is ReviewStatus.LETTER_DRAFTED:
            return (ReviewStatus.SUBMITTED,)
    elif step is Step.RETURN and review is ReviewStatus.SUBMITTED:
        return (ReviewStatus.LETTER_DRAFTED,)
    elif step is Step.APPROVE and review is ReviewStatus.SUBMITTED:
        return (ReviewStatus.APPROVED,)
    elif step is Step.ISSUE and review is ReviewStatus.APPROVED:
        return (ReviewStatus.ISSUED,)
    return ()
