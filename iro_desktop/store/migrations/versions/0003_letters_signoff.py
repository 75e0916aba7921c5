"""letters: versions of the letter to the child, manager sign-off, distribution log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:30:00

Written by hand to match the ORM (tables.LetterVersion, tables.LetterDistribution). Two
triggers make an approved or issued letter version unchangeable in the database itself, not
only in the program: its text, hash, snapshot and sign-off cannot be updated, it can only move
from approved to issued, and it cannot be deleted. A correction is a new version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FROZEN_COLUMNS = (
    "review_id",
    "version",
    "letter_text",
    "content_hash",
    "record_snapshot",
    "age_band",
    "corrects_version",
    "created_by",
    "created_at",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_by_name",
    "approved_at",
    "comments",
)
_SIGNED = "('approved', 'issued')"
FROZEN_MESSAGE = "An approved letter cannot be changed; a correction is made as a new version."
KEPT_MESSAGE = "An approved letter cannot be deleted; it stays on the record."


def upgrade() -> None:
    op.create_table(
        "letter_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("letter_text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("record_snapshot", sa.JSON(), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("corrects_version", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_by_name", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("issued_by", sa.String(length=64), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("letter_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_letter_versions_review_version", ["review_id", "version"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_letter_versions_status"), ["status"], unique=False)

    op.create_table(
        "letter_distributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["letter_versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("letter_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_distributions_version_id"), ["version_id"], unique=False
        )

    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FROZEN_COLUMNS)
    op.execute(
        "CREATE TRIGGER letter_versions_frozen BEFORE UPDATE ON letter_versions "
        f"FOR EACH ROW WHEN OLD.status IN {_SIGNED} AND ({changed} "
        f"OR NEW.status NOT IN {_SIGNED} "
        "OR (OLD.status = 'issued' AND (NEW.status <> 'issued' "
        "OR NEW.issued_on IS NOT OLD.issued_on OR NEW.issued_by IS NOT OLD.issued_by))) "
        f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER letter_versions_kept BEFORE DELETE ON letter_versions "
        f"FOR EACH ROW WHEN OLD.status IN {_SIGNED} "
        f"BEGIN SELECT RAISE(ABORT, '{KEPT_MESSAGE}'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS letter_versions_kept")
    op.execute("DROP TRIGGER IF EXISTS letter_versions_frozen")
    with op.batch_alter_table("letter_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_distributions_version_id"))
    op.drop_table("letter_distributions")
    with op.batch_alter_table("letter_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_versions_status"))
        batch_op.drop_index("ix_letter_versions_review_version")
    op.drop_table("letter_versions")
