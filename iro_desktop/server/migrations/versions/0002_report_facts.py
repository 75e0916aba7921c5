"""The name-free report facts (one per review and per child) the service's annual report is
made from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported from tables.py: a revision must keep meaning what it meant.
NAME = sa.String(length=200)


def upgrade() -> None:
    op.create_table(
        "report_facts",
        sa.Column("fact_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_name", NAME, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=True),
        sa.Column("last_on", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("fact_key"),
    )
    op.create_index("ix_report_facts_owner_name", "report_facts", ["owner_name"])
    op.create_index("ix_report_facts_first_on", "report_facts", ["first_on"])
    op.create_index("ix_report_facts_last_on", "report_facts", ["last_on"])


def downgrade() -> None:
    op.drop_index("ix_report_facts_last_on", table_name="report_facts")
    op.drop_index("ix_report_facts_first_on", table_name="report_facts")
    op.drop_index("ix_report_facts_owner_name", table_name="report_facts")
    op.drop_table("report_facts")
