"""escalations and sync: escalation events, outbox, sync state, pulled items, conflict decisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 17:30:00

Written by hand to match the ORM (tables.EscalationEventRecord, OutboxItem, SyncState,
SyncInboxItem, ConflictDecision) and checked against it with Alembic's autogenerate
comparison (tests/services/test_escalations_store.py). Three triggers hold the promises in
the database itself, not only in the program: escalation events are never deleted, an event
the server has numbered never changes, and an outbox item that has not been sent is never
deleted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS_KEPT = "Escalation events are never deleted; a change is a new event."
EVENT_FIXED = "An escalation event the sync server has accepted cannot be changed."
UNSENT_KEPT = "An item that has not been sent cannot be deleted."
_EVENT_FIELDS = ("event_id", "escalation_id", "kind", "occurred_on", "author", "payload")


def upgrade() -> None:
    op.create_table(
        "escalation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("escalation_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("escalation_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_events_escalation_id"), ["escalation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_events_server_seq"), ["server_seq"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("escalation_id", sa.String(length=32), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("server_conflict", sa.Text(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_escalation_id"), ["escalation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("token_expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )

    op.create_table(
        "sync_inbox",
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("pulled_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("item_id"),
    )
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_inbox_kind"), ["kind"], unique=False)

    op.create_table(
        "escalation_conflict_decisions",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("escalation_id", sa.String(length=32), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("comment_event_id", sa.String(length=32), nullable=True),
        sa.Column("new_escalation_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("escalation_conflict_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_conflict_decisions_escalation_id"),
            ["escalation_id"],
            unique=False,
        )

    op.execute(
        "CREATE TRIGGER escalation_events_kept BEFORE DELETE ON escalation_events "
        f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{EVENTS_KEPT}'); END"
    )
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _EVENT_FIELDS)
    op.execute(
        "CREATE TRIGGER escalation_events_fixed BEFORE UPDATE ON escalation_events "
        f"FOR EACH ROW WHEN OLD.server_seq IS NOT NULL AND ({changed}) "
        f"BEGIN SELECT RAISE(ABORT, '{EVENT_FIXED}'); END"
    )
    op.execute(
        "CREATE TRIGGER outbox_unsent_kept BEFORE DELETE ON outbox "
        "FOR EACH ROW WHEN OLD.status <> 'sent' "
        f"BEGIN SELECT RAISE(ABORT, '{UNSENT_KEPT}'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_unsent_kept")
    op.execute("DROP TRIGGER IF EXISTS escalation_events_fixed")
    op.execute("DROP TRIGGER IF EXISTS escalation_events_kept")
    with op.batch_alter_table("escalation_conflict_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_conflict_decisions_escalation_id"))
    op.drop_table("escalation_conflict_decisions")
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_inbox_kind"))
    op.drop_table("sync_inbox")
    op.drop_table("sync_state")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_escalation_id"))
    op.drop_table("outbox")
    with op.batch_alter_table("escalation_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_events_server_seq"))
        batch_op.drop_index(batch_op.f("ix_escalation_events_escalation_id"))
    op.drop_table("escalation_events")
