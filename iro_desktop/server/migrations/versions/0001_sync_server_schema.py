"""The sync server's schema as it was made by create_all before migrations: users, tokens,
the item log and its counter, escalations, sign-off submissions, the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported from tables.py: a revision must keep meaning what it meant.
NAME = sa.String(length=200)
ID = sa.String(length=64)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=False)  # naive UTC, see tables.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team", NAME, nullable=True),
        sa.Column("manager_name", NAME, nullable=True),
        sa.Column("password_hash", sa.String(length=400), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", BIG_ID, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])

    op.create_table(
        "sync_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    counter = sa.table("sync_counter", sa.column("id", sa.Integer), sa.column("value"))
    op.bulk_insert(counter, [{"id": 1, "value": 0}])

    op.create_table(
        "items",
        sa.Column("seq", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("escalation_id", ID, nullable=True),
        sa.Column("owner_name", NAME, nullable=False),
        sa.Column("author_name", NAME, nullable=False),
        sa.Column("client_id", ID, nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("item_id"),
    )
    op.create_index("ix_items_escalation_id", "items", ["escalation_id"])
    op.create_index("ix_items_owner_name", "items", ["owner_name"])

    op.create_table(
        "escalations",
        sa.Column("escalation_id", ID, nullable=False),
        sa.Column("owner_name", NAME, nullable=False),
        sa.Column("raised_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("escalation_id"),
    )
    op.create_index("ix_escalations_owner_name", "escalations", ["owner_name"])

    op.create_table(
        "signoff_submissions",
        sa.Column("item_id", ID, nullable=False),
        sa.Column("owner_name", NAME, nullable=False),
        sa.Column("review_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decided_by", NAME, nullable=True),
        sa.Column("decision_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_index("ix_signoff_submissions_owner_name", "signoff_submissions", ["owner_name"])
    op.create_index(
        "ix_signoff_submissions_version",
        "signoff_submissions",
        ["owner_name", "review_id", "version"],
    )

    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("username", NAME, nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("client_addr", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "signoff_submissions",
        "escalations",
        "items",
        "sync_counter",
        "tokens",
        "users",
    ):
        op.drop_table(table)
