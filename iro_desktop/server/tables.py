"""The sync server's own tables (SQLite or PostgreSQL through SQLAlchemy).

`items` is the log: every accepted item with the server's sequence number and receipt time
(a laptop's clock may be wrong, so the server's order is the only order). The other tables
are indexes over it for authorisation and the managers' views, written in the same
transaction as the item they describe.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAME = String(200)
ID = String(64)
# BIGINT on PostgreSQL; INTEGER on SQLite, where only that becomes an auto-numbered rowid.
BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every backend; always read back as an aware UTC time."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"Refusing to store a time without a time zone: {value!r}.")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(NAME)
    manager_name: Mapped[str | None] = mapped_column(NAME)
    password_hash: Mapped[str] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Token(Base):
    __tablename__ = "tokens"

    # SHA-256 of the bearer token: a copy of the database does not hand out sessions.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Counter(Base):
    """One row holding the last sequence number; locking it orders pushes."""

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Item(Base):
    __tablename__ = "items"

    seq: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=False)
    item_id: Mapped[str] = mapped_column(ID, unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    escalation_id: Mapped[str | None] = mapped_column(ID, index=True)
    # Whose record this is: the IRO who raised the escalation or submitted the review.
    owner_name: Mapped[str] = mapped_column(NAME, index=True)
    author_name: Mapped[str] = mapped_column(NAME)
    client_id: Mapped[str] = mapped_column(ID)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The item in canonical wire JSON (sorted keys), compared byte for byte on a replay.
    body: Mapped[str] = mapped_column(Text)


class Escalation(Base):
    __tablename__ = "escalations"

    escalation_id: Mapped[str] = mapped_column(ID, primary_key=True)
    owner_name: Mapped[str] = mapped_column(NAME, index=True)
    raised_seq: Mapped[int] = mapped_column(BigInteger)


class Submission(Base):
    __tablename__ = "signoff_submissions"
    # Not unique: a returned letter is resubmitted at the same version (see push.py).
    __table_args__ = (
        Index("ix_signoff_submissions_version", "owner_name", "review_id", "version"),
    )

    item_id: Mapped[str] = mapped_column(ID, primary_key=True)
    owner_name: Mapped[str] = mapped_column(NAME, index=True)
    review_id: Mapped[str] = mapped_column(ID)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(NAME)
    decision_seq: Mapped[int | None] = mapped_column(BigInteger)


class ReportFact(Base):
    """The latest name-free fact about each review or child (see domain.report_facts): what
    the service's annual report is made from. The fact itself is also in `items`, like every
    accepted item; this table holds only the one that counts, with its span of dates."""

    __tablename__ = "report_facts"

    # "review:<keyed hash>" or "child:<keyed hash>"
    fact_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_name: Mapped[str] = mapped_column(NAME, index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    # The earliest and latest date a review fact holds: a year's report reads only the facts
    # whose dates reach into it. None for a child's fact (every report reads those).
    first_on: Mapped[date | None] = mapped_column(Date, index=True)
    last_on: Mapped[date | None] = mapped_column(Date, index=True)
    body: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    username: Mapped[str | None] = mapped_column(NAME)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(400))
    status: Mapped[int] = mapped_column(Integer)
    client_addr: Mapped[str | None] = mapped_column(String(100))
