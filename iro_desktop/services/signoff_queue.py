"""Letters submitted for sign-off, as items in the sync outbox, and managers' decisions
pulled back: the part of sync the letters need, kept below both so neither imports the other.

services.sync re-exports these for its callers; services.signoff and services.letter_steps use
them directly. Nothing here knows about letters beyond their ids and content hashes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from iro_desktop.domain.escalation import new_id
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import DbSession, outbox
from iro_desktop.store.outbox import InboxEntry
from iro_desktop.sync.protocol import SignoffDecision, SignoffSubmission, item_from_wire

__all__ = [
    "enqueue_signoff",
    "is_queued",
    "mark_pulled_handled",
    "signoff_decisions",
    "signoff_item_id",
    "submitter_name",
]

# Fixed, so a letter version's submission id is the same whoever works it out, whenever.
_SIGNOFF_NAMESPACE = uuid.UUID("6f0c7f1e-3c4b-4e55-9d7e-1a2b3c4d5e6f")


def submitter_name(session: CaseloadSession) -> str:
    """The name a submission carries: the sync user when one is set, else the login (the
    same rule as services.sync.author_name, which every other outbox item follows)."""
    return (session.settings.sync_user or "").strip() or session.username


def enqueue_signoff(
    session: CaseloadSession,
    db: DbSession,
    *,
    review_id: str,
    version: int,
    content_hash: str,
    child_ids: Sequence[str],
    submitted_at: datetime | None = None,
    item_id: str | None = None,
) -> SignoffSubmission:
    """Queue a letter version for a manager's sign-off, inside the caller's unit of work
    `db` (the same transaction that marks the letter submitted)."""
    submission = SignoffSubmission(
        item_id=item_id or new_id(),
        review_id=review_id,
        version=version,
        content_hash=content_hash,
        child_ids=tuple(child_ids),
        submitted_by=submitter_name(session),
        submitted_at=submitted_at or session.clock.now(),
    )
    outbox.enqueue(db, submission, now=session.clock.now())
    return submission


def is_queued(db: DbSession, item_id: str) -> bool:
    """Whether an item with this id is already in the outbox (pending, sent or set aside)."""
    try:
        outbox.get(db, item_id)
    except LookupError:
        return False
    return True


def signoff_item_id(version_id: str) -> str:
    """The submission's item id for a letter version: the same id every time, so submitting
    one version twice can never send two different items."""
    return uuid.uuid5(_SIGNOFF_NAMESPACE, f"signoff:{version_id}").hex


def signoff_decisions(session: CaseloadSession) -> list[tuple[SignoffDecision, InboxEntry]]:
    """Managers' decisions pulled from the server and not yet dealt with, oldest first."""
    with session.unit_of_work() as s:
        entries = outbox.inbox(s, SignoffDecision.kind, unhandled=True)
    decided = []
    for entry in entries:
        item = item_from_wire(entry.payload)
        assert isinstance(item, SignoffDecision)
        decided.append((item, entry))
    return decided


def mark_pulled_handled(session: CaseloadSession, db: DbSession, item_id: str) -> None:
    """Mark a pulled item dealt with, in the caller's unit of work (with what it changed)."""
    outbox.mark_handled(db, item_id, by=session.username, at=session.clock.now())
