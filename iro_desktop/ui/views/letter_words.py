"""How a letter version's state is said on screen: in words, never by colour alone.

Shared by the letter page, the letters list and the manager's sign-off page.
"""

from __future__ import annotations

from datetime import datetime

from iro_desktop.domain.letter import format_date
from iro_desktop.services.letters import Comment, LetterBrief, LetterStatus, LetterVersion


def sentence(words: str) -> str:
    """Words with a capital first letter (str.capitalize would lower 'Friday')."""
    return words[:1].upper() + words[1:]


def when(at: datetime) -> str:
    """'Monday 23 November 2026 at 10:05'."""
    return f"{format_date(at.date())} at {at:%H:%M}"


def last_comment(version: LetterVersion, action: str) -> Comment | None:
    for comment in reversed(version.comments):
        if comment.action == action:
            return comment
    return None


def stamp_words(version: LetterVersion) -> str:
    """The sign-off stamp in words (empty until a manager approves the version)."""
    stamp = version.signoff
    if stamp is None:
        return ""
    return (
        f"Approved by {stamp.approved_by} on {when(stamp.approved_at)} "
        f"(version {stamp.version}, ref {stamp.content_hash[:12]})."
    )


def status_words(version: LetterVersion) -> str:
    """One or two sentences on where the version stands and what can happen to it next."""
    status = version.status
    n = version.version
    correction = (
        f" It corrects version {version.corrects_version}." if version.corrects_version else ""
    )
    if status is LetterStatus.DRAFT:
        return (
            f"Draft, version {n}: not yet sent for sign-off. Your changes are saved as you "
            f"type.{correction}"
        )
    if status is LetterStatus.SUBMITTED:
        since = f" since {when(version.submitted_at)}" if version.submitted_at else ""
        return (
            f"Submitted: version {n} is with a manager for sign-off{since}. It cannot be "
            f"changed while it waits.{correction}"
        )
    if status is LetterStatus.RETURNED:
        comment = last_comment(version, "returned")
        if comment is None:
            return f"Returned for changes: version {n} came back from the manager."
        return (
            f"Returned for changes by {comment.by_name or comment.by} on {when(comment.at)}:\n"
            f"\u201c{comment.text}\u201d\n"
            "Change the letter, then submit it again."
        )
    if status is LetterStatus.APPROVED:
        return (
            f"{stamp_words(version)} It cannot be changed: issue it, or make a correction as "
            "a new version."
        )
    issued = f" on {format_date(version.issued_on)}" if version.issued_on else ""
    return (
        f"Issued{issued}. {stamp_words(version)} It cannot be changed; a correction is a new "
        "version."
    )


def short_status(version: LetterVersion | LetterBrief | None) -> str:
    """For a list column: 'Draft (version 2)', 'Returned for changes', ..."""
    if version is None:
        return "Not written yet"
    label = version.status.label
    if version.version > 1:
        label += f" (version {version.version})"
    return label
