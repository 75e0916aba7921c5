"""ORM mappings for the caseload. Only the store package sees these; the rest sees domain objects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who logs in to this caseload (the IRO, a manager who signs off here)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # iro | manager
    team: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Child(Base):
    __tablename__ = "children"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    la_child_id: Mapped[str] = mapped_column(String(40), unique=True)
    legal_first_name: Mapped[str] = mapped_column(String(100))
    legal_last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    disability: Mapped[str] = mapped_column(Text, default="")
    communication_needs: Mapped[str] = mapped_column(Text, default="")
    sibling_group: Mapped[str] = mapped_column(String(40), default="")
    allocated_iro: Mapped[str] = mapped_column(String(200), default="")
    allocated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    care_leaver: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    periods: Mapped[list[PeriodOfCare]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="PeriodOfCare.start"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Person.role"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Review.due_date"
    )


class PeriodOfCare(Base):
    __tablename__ = "periods_of_care"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason_ended: Mapped[str] = mapped_column(String(100), default="")

    child: Mapped[Child] = relationship(back_populates="periods")
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="Episode.start"
    )


class Episode(Base):
    __tablename__ = "episodes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("periods_of_care.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    legal_status: Mapped[str] = mapped_column(String(2))
    placement_type: Mapped[str] = mapped_column(String(2))
    provider: Mapped[str] = mapped_column(String(200), default="")
    provider_kind: Mapped[str] = mapped_column(String(20), default="")  # in_house | external
    postcode: Mapped[str] = mapped_column(String(10), default="")
    in_area: Mapped[bool] = mapped_column(Boolean, default=True)
    distance_miles: Mapped[float | None] = mapped_column(Float, nullable=True)
    long_term_confirmed: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_social_worker_visit: Mapped[date | None] = mapped_column(Date, nullable=True)

    period: Mapped[PeriodOfCare] = relationship(back_populates="episodes")


class Person(Base):
    """Someone around the child: social worker, carer, parent, advocate..."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    child: Mapped[Child] = relationship(back_populates="people")


class Review(Base):
    """One statutory review (looked-after or pathway plan), possibly a series of meetings.

    The full record (preparation, meetings, topics, recommendations) is a JSON document owned
    by the domain; the columns beside it are what lists, dashboards and reports filter on.
    """

    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("periods_of_care.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # looked_after | pathway_plan
    status: Mapped[str] = mapped_column(String(30), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1)  # 1st, 2nd... in the period
    due_date: Mapped[date] = mapped_column(Date)  # the original due date: timeliness uses it
    planned_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    timeliness_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    completed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    pn_code: Mapped[str] = mapped_column(String(3), default="")
    is_extra: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    child: Mapped[Child] = relationship(back_populates="reviews")

    __table_args__ = (Index("ix_reviews_child_due", "child_id", "due_date"),)


class AuditEntry(Base):
    """Who viewed or changed what, and when. Append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | open | export
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Draft(Base):
    """Unsaved form contents, written as the IRO types so a crash or lock loses nothing."""

    __tablename__ = "drafts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class SessionState(Base):
    """Where each person was in the window (screen, selection), to return there after unlock."""

    __tablename__ = "session_state"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
