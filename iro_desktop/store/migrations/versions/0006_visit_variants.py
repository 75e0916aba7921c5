"""reg 28 visit variants: reg 24 temporary approval, the child's agreement to 6-monthly visits

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 19:30:00

Two columns on episodes, both empty for every existing episode (nothing recorded before this
schema said either): a connected carer's temporary approval under reg 24 (the social worker
then visits weekly until the first review), and the date a child in a long-term foster
placement agreed to visits up to every 6 months after its first year (reg 28(3)).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("temporary_approval", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("visits_six_monthly_agreed", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_column("visits_six_monthly_agreed")
        batch_op.drop_column("temporary_approval")
