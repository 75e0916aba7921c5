"""caseload in SSDA903 terms: episode codes, child's 903 fields, visits, adoption, missing

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:10:00

Written by hand to match the ORM and checked against it with Alembic's autogenerate
comparison. Each episode's single "last visit" date becomes a dated visit in the new visit
history (nothing is lost), and ethnicity recorded in words becomes the DfE code the return
needs (words the DfE list does not know become NOBT, "not yet obtained", for the IRO to
check: before this schema only the demo generator ever wrote a child).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ETHNIC_WORDS = {
    "White British": "WBRI",
    "White Irish": "WIRI",
    "Any other White background": "WOTH",
    "Traveller of Irish heritage": "WIRT",
    "Gypsy or Roma": "WROM",
    "Gypsy/Roma": "WROM",
    "White and Black Caribbean": "MWBC",
    "Mixed White and Black Caribbean": "MWBC",
    "White and Black African": "MWBA",
    "Mixed White and Black African": "MWBA",
    "White and Asian": "MWAS",
    "Mixed White and Asian": "MWAS",
    "Any other mixed background": "MOTH",
    "Indian": "AIND",
    "Pakistani": "APKN",
    "Bangladeshi": "ABAN",
    "Any other Asian background": "AOTH",
    "Black Caribbean": "BCRB",
    "Black African": "BAFR",
    "Any other Black background": "BOTH",
    "Chinese": "CHNE",
    "Any other ethnic group": "OOTH",
    "Refused": "REFU",
    "Not yet obtained": "NOBT",
}
_CODES = set(_ETHNIC_WORDS.values())
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
    "source",
)


def upgrade() -> None:
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upn", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("first_language", sa.String(length=60), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("interpreter_needed", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("uasc_ceased", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("mother", sa.String(length=1), server_default="", nullable=False))
        batch_op.add_column(sa.Column("mother_child_dob", sa.Date(), nullable=True))

    op.create_table(
        "social_worker_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("seen_alone", sa.Boolean(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("social_worker_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_social_worker_visits_child_id"), ["child_id"], unique=False
        )
    op.create_table(
        "adoption_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("ceased_on", sa.Date(), nullable=True),
        sa.Column("reason_ceased", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("adoption_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adoption_decisions_child_id"), ["child_id"], unique=False
        )
    op.create_table(
        "missing_episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("missing_episodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_missing_episodes_child_id"), ["child_id"], unique=False
        )

    # Each episode's last visit becomes a visit in the history (seen alone: not recorded).
    op.execute(
        "INSERT INTO social_worker_visits (child_id, visited_on, seen_alone, by, note) "
        "SELECT DISTINCT p.child_id, e.last_social_worker_visit, NULL, '', "
        "'Recorded as the last visit before the visit history' "
        "FROM episodes e JOIN periods_of_care p ON p.id = e.period_id "
        "WHERE e.last_social_worker_visit IS NOT NULL"
    )
    conn = op.get_bind()
    for child_id, words in conn.execute(sa.text("SELECT id, ethnicity FROM children")).all():
        if not words or words in _CODES:
            continue
        code = _ETHNIC_WORDS.get(words.strip(), "NOBT")
        conn.execute(
            sa.text("UPDATE children SET ethnicity = :code WHERE id = :id"),
            {"code": code, "id": child_id},
        )

    # Reviews brought in from the council's files are marked, and the dashboard's covering
    # index carries the mark so it still never reads the records.
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), server_default="", nullable=False)
        )
        batch_op.drop_index("ix_reviews_due_facts")
        batch_op.create_index("ix_reviews_due_facts", list(_DUE_FACT_COLUMNS), unique=False)

    with op.batch_alter_table("episodes", schema=None) as batch_op:
        for name, length in (
            ("reason_new", 1),
            ("category_of_need", 2),
            ("place_provider", 3),
            ("reason_ended", 3),
            ("reason_place_change", 6),
            ("home_postcode", 10),
            ("urn", 10),
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
        batch_op.drop_column("last_social_worker_visit")


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_due_facts")
        batch_op.create_index(
            "ix_reviews_due_facts", list(_DUE_FACT_COLUMNS[:-1]), unique=False
        )
        batch_op.drop_column("source")
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_social_worker_visit", sa.Date(), nullable=True))
        for name in (
            "urn",
            "home_postcode",
            "reason_place_change",
            "reason_ended",
            "place_provider",
            "category_of_need",
            "reason_new",
        ):
            batch_op.drop_column(name)
    op.drop_table("missing_episodes")
    op.drop_table("adoption_decisions")
    op.drop_table("social_worker_visits")
    with op.batch_alter_table("children", schema=None) as batch_op:
        for name in (
            "mother_child_dob",
            "mother",
            "uasc_ceased",
            "interpreter_needed",
            "first_language",
            "upn",
        ):
            batch_op.drop_column(name)
