"""reviews: summary columns for lists, dashboards and KPIs; footprint notes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:10:00

Written by hand and checked against the ORM with Alembic's autogenerate comparison
(tests/store/test_review_repository.py). Rows written by schema 0001 hold only a review's
summary; their new columns are filled from the old ones here, so the dashboard treats them
exactly as before (an issued review's recommendations and letter count as sent on the day
it was completed: 0001 kept no other date for them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DUE_FACT_COLUMNS = (
    "child_id",
    "id",
    "kind",
    "status",
    "period_id",
    "due_date",
    "planned_date",
    "first_meeting_on",
    "completed_date",
    "recommendations_issued_on",
    "letter_issued_on",
    "child_consulted_on",
    "meetings_count",
    "series_open",
)
_AFTER_RECOMMENDATIONS = (
    "'recommendations_issued', 'letter_drafted', 'submitted', 'approved', 'issued'"
)


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_meeting_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recommendations_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("letter_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("child_consulted_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("meetings_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("series_open", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("stood_down", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("rearranged_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("open_recommendations", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("next_recommendation_due", sa.Date(), nullable=True))

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        # The dashboard's columns, covered by one index so the records are never scanned.
        batch_op.create_index("ix_reviews_due_facts", list(_DUE_FACT_COLUMNS), unique=False)
        batch_op.create_index("ix_reviews_series_open", ["series_open"], unique=False)

    op.execute(
        "UPDATE reviews SET "
        "first_meeting_on = timeliness_date, "
        "meetings_count = CASE WHEN timeliness_date IS NULL THEN 0 ELSE 1 END, "
        "series_open = CASE WHEN status = 'held' THEN 1 ELSE 0 END, "
        "stood_down = CASE WHEN status = 'stood_down' THEN 1 ELSE 0 END, "
        "recommendations_issued_on = CASE WHEN status IN "
        f"({_AFTER_RECOMMENDATIONS}) THEN completed_date END, "
        "letter_issued_on = CASE WHEN status = 'issued' THEN completed_date END"
    )

    op.create_table(
        "footprint_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("review_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("footprint_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_footprint_notes_child_id"), ["child_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("footprint_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_footprint_notes_child_id"))
    op.drop_table("footprint_notes")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_series_open")
        batch_op.drop_index("ix_reviews_due_facts")
        batch_op.drop_column("next_recommendation_due")
        batch_op.drop_column("open_recommendations")
        batch_op.drop_column("rearranged_count")
        batch_op.drop_column("stood_down")
        batch_op.drop_column("series_open")
        batch_op.drop_column("child_consulted_on")
        batch_op.drop_column("meetings_count")
        batch_op.drop_column("letter_issued_on")
        batch_op.drop_column("recommendations_issued_on")
        batch_op.drop_column("first_meeting_on")
