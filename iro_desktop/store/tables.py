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


def configure() -> None:
    """Set up every ORM mapping now (about 0.1 s), not at the first query after unlock: the
    window calls this (through services.warmup) while the passphrase is typed."""
    Base.registry.configure()


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
    # Schema 0005: what the SSDA903 Header and UASC tables carry, and language needs.
    upn: Mapped[str] = mapped_column(String(20), default="", server_default="")
    first_language: Mapped[str] = mapped_column(String(60), default="", server_default="")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    uasc_ceased: Mapped[date | None] = mapped_column(Date, nullable=True)
    mother: Mapped[str] = mapped_column(String(1), default="", server_default="")
    mother_child_dob: Mapped[date | None] = mapped_column(Date, nullable=True)

    periods: Mapped[list[PeriodOfCare]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="PeriodOfCare.start"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Person.role"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Review.due_date"
    )
    visits: Mapped[list[SocialWorkerVisit]] = relationship(
        cascade="all, delete-orphan", order_by="SocialWorkerVisit.visited_on"
    )
    adoption_decisions: Mapped[list[AdoptionDecision]] = relationship(
        cascade="all, delete-orphan", order_by="AdoptionDecision.decided_on"
    )
    missing: Mapped[list[MissingEpisode]] = relationship(
        cascade="all, delete-orphan", order_by="MissingEpisode.start"
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
    # Schema 0005: the SSDA903 Episodes columns (RNE, CIN, PLACE_PROVIDER, REC,
    # REASON_PLACE_CHANGE, HOME_POST, URN); visits moved to their own table.
    reason_new: Mapped[str] = mapped_column(String(1), default="", server_default="")
    category_of_need: Mapped[str] = mapped_column(String(2), default="", server_default="")
    place_provider: Mapped[str] = mapped_column(String(3), default="", server_default="")
    reason_ended: Mapped[str] = mapped_column(String(3), default="", server_default="")
    reason_place_change: Mapped[str] = mapped_column(String(6), default="", server_default="")
    home_postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    urn: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # Schema 0006: reg 28 visit variants (weekly under reg 24 temporary approval; 6-monthly
    # in long-term foster care after a year when the child agrees).
    temporary_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    visits_six_monthly_agreed: Mapped[date | None] = mapped_column(Date, nullable=True)

    period: Mapped[PeriodOfCare] = relationship(back_populates="episodes")


class SocialWorkerVisit(Base):
    """A dated statutory visit (reg 28); the visit timescale counts from the latest."""

    __tablename__ = "social_worker_visits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    seen_alone: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class AdoptionDecision(Base):
    """The 903 PlacedAdoption row: the decision to place for adoption and its reversal."""

    __tablename__ = "adoption_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    ceased_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason_ceased: Mapped[str] = mapped_column(String(3), default="")


class MissingEpisode(Base):
    """The 903 Missing row: missing (M) or away without authorisation (A)."""

    __tablename__ = "missing_episodes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(1))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)


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


DUE_FACT_COLUMNS = (
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
    # Summary columns (schema 0002), written from the record on every save so that the
    # dashboard, lists and KPIs never need to read the JSON.
    first_meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recommendations_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    letter_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The IRO's latest contact with the child on or before the review date.
    child_consulted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    meetings_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # First meeting held, last meeting not yet: the review is still being held.
    series_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Stood down at least once (the status says whether it is stood down now).
    stood_down: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    rearranged_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_recommendations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_recommendation_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Schema 0005: "ssda903" for a review brought in from the council's files.
    source: Mapped[str] = mapped_column(String(10), default="", server_default="")

    child: Mapped[Child] = relationship(back_populates="reviews")

    __table_args__ = (
        Index("ix_reviews_child_due", "child_id", "due_date"),
        # Covers every column the dashboard reads, so a service's ~10,000 reviews are
        # scanned without reading the records beside them (see review_repository.due_rows).
        Index("ix_reviews_due_facts", *DUE_FACT_COLUMNS),
        Index("ix_reviews_series_open", "series_open"),
    )


class FootprintNote(Base):
    """The IRO's oversight between reviews: a mid-point review or a case overview.

    Kept beside the reviews, not inside a review record: a case overview belongs to the
    child, and both are written after the review's letter has been issued, when the review
    record must not change silently.
    """

    __tablename__ = "footprint_notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[str | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # mid_point_review | case_overview
    on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200))
    record: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


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


class LetterVersion(Base):
    """One version of the letter to the child (the minutes of a review) and its sign-off.

    `letter_text` is the editable text (domain.letter.letter_to_text); `record_snapshot` holds
    the facts the letter and the record of the review are printed from, as they stood when
    the version was made or last submitted. An approved or issued version is frozen: the
    repository refuses to change it and a database trigger (schema 0003) refuses it too, so
    a correction is always a new version and the old one stays as it was signed off.
    """

    __tablename__ = "letter_versions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the review
    # draft | submitted | returned | approved | issued
    status: Mapped[str] = mapped_column(String(16), index=True)
    letter_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    record_snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    age_band: Mapped[str] = mapped_column(String(20))
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    # The approved version this one corrects (None for a first letter).
    corrects_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    approved_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    issued_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The manager's comments and each decision, oldest first: {at, by, action, comment, hash}.
    comments: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_letter_versions_review_version", "review_id", "version", unique=True),
    )


class LetterDistribution(Base):
    """Who received an issued letter, how and when. Append-only."""

    __tablename__ = "letter_distributions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[str] = mapped_column(
        ForeignKey("letter_versions.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(60), default="")  # child, carer, social worker...
    method: Mapped[str] = mapped_column(String(20))  # post | email | hand | secure_email
    sent_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


# --- escalations and sync (schema 0004) ------------------------------------------------------


class EscalationEventRecord(Base):
    """One escalation event, as the wire protocol writes it. Append-only.

    The state of an escalation is replayed from these (domain.escalation) in the server's
    order where the server has numbered them (`server_seq`) and then in the order they were
    written here, so the laptop and the manager's view agree. A trigger (schema 0004) refuses
    deletes, and refuses any change to an event the server has already accepted.
    """

    __tablename__ = "escalation_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # local order
    event_id: Mapped[str] = mapped_column(String(32), unique=True)
    escalation_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    # here: written on this laptop; server: pulled from the sync server (a manager's action).
    origin: Mapped[str] = mapped_column(String(10))
    server_seq: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class OutboxItem(Base):
    """Something that must leave the laptop, written in the same transaction as the change.

    Nothing unsent is ever deleted (a trigger refuses it): an item the server rejects is set
    aside with the reason, for the IRO to retry or correct.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # send order
    item_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    escalation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)  # protocol wire dict
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending | sent | rejected
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    server_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The server already had it (a retried push whose first answer was lost).
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    # Accepted, but it did not fit what the server held (shown to a person, never dropped).
    server_conflict: Mapped[str] = mapped_column(Text, default="")
    edited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncState(Base):
    """Where sync stands with one server as one user: cursor, last success, last error."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)  # user@server_url
    server_url: Mapped[str] = mapped_column(String(300))
    username: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(64))
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row, for the back-off
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The sign-in token lives in the OS keyring; only where there is none, here (encrypted).
    token: Mapped[str | None] = mapped_column(Text, nullable=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncInboxItem(Base):
    """An item pulled from the server that is not an escalation event (a sign-off decision),
    kept until the part of the program it concerns has dealt with it."""

    __tablename__ = "sync_inbox"
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    server_seq: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime)  # the server's receipt time
    pulled_at: Mapped[datetime] = mapped_column(DateTime)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ConflictDecision(Base):
    """A person's decision on an escalation event that did not fit (never silently dropped)."""

    __tablename__ = "escalation_conflict_decisions"
    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the conflicting event
    escalation_id: Mapped[str] = mapped_column(String(32), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(20))  # noted | raised_again
    note: Mapped[str] = mapped_column(Text)
    comment_event_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    new_escalation_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
