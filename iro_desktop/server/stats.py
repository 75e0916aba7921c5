"""Counts for `iro-sync-server stats`: enough to check a deployment or a backup at a glance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from iro_desktop.server.db import Database
from iro_desktop.server.tables import AuditEntry, Escalation, Item, Submission, Token, User
from iro_desktop.sync.protocol import ESCALATION_KINDS, SignoffDecision, SignoffSubmission


def stats(db: Database) -> dict[str, int | str]:
    with db.read() as session:

        def count(column: Any, *where: ColumnElement[bool]) -> int:
            return session.execute(select(func.count(column)).where(*where)).scalar_one()

        now = datetime.now(UTC)
        return {
            "database": db.backend,
            "users": count(User.id),
            "active_users": count(User.id, User.active.is_(True)),
            "live_tokens": count(Token.token_hash, Token.expires_at > now),
            "escalations": count(Escalation.escalation_id),
            "escalation_events": count(Item.seq, Item.kind.in_(ESCALATION_KINDS)),
            "signoff_submissions": count(Item.seq, Item.kind == SignoffSubmission.kind),
            "signoff_decisions": count(Item.seq, Item.kind == SignoffDecision.kind),
            "awaiting_signoff": count(Submission.item_id, Submission.decision.is_(None)),
            "items": count(Item.seq),
            "last_seq": db.last_seq(session),
            "audit_entries": count(AuditEntry.id),
        }
