"""Reviews in the store: the domain record as JSON plus the summary columns beside it.

A review is saved whole (`Review.to_dict()` in `reviews.record`) and, in the same write, the
columns that lists, the dashboard and the annual figures filter on are worked out from it,
so nothing else ever has to read the JSON. Reading never crashes on an old row: a record
written by schema 0001 (`{"meetings": [{"date": ...}]}`) is turned into a domain Review from
its columns, and a record that cannot be read at all comes back as its summary alone, with
the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop.domain.regimes import EpisodeCodes
from iro_desktop.domain.review import (
    ContactMethod,
    Meeting,
    RecommendationStatus,
    Review,
    ReviewKind,
    ReviewStatus,
    SeriesBasis,
    first_meeting_date,
    held_meetings,
    reached,
    review_date,
    series_open,
    timeliness_date,
)
from iro_desktop.domain.review import completion_date as review_completion_date
from iro_desktop.store import tables as t
from iro_desktop.store.repositories import NotFound


class ReviewChanged(ValueError):
    """The review was saved by someone (or something) else since it was opened."""


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """The summary columns of one stored review."""

    id: str
    child_id: str
    period_id: int | None
    period_start: date | None
    kind: str
    status: str
    sequence: int | None
    due_date: date
    planned_date: date | None
    first_meeting_on: date | None
    timeliness_date: date | None
    completed_date: date | None
    pn_code: str
    is_extra: bool
    recommendations_issued_on: date | None
    letter_issued_on: date | None
    child_consulted_on: date | None
    meetings_count: int
    series_open: bool
    stood_down: bool
    rearranged_count: int
    open_recommendations: int
    next_recommendation_due: date | None
    row_version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredReview:
    """A review as read from the store.

    `source` is "record" (the full domain record), "legacy" (rebuilt from a schema-0001 row:
    dates, status and participation code only) or "summary" (the record could not be read;
    `review` is None and `problem` says why).
    """

    row: ReviewRow
    review: Review | None
    source: str
    problem: str = ""

    @property
    def version(self) -> int:
        return self.row.row_version


# --- writing ------------------------------------------------------------------------------


def summary_columns(review: Review, basis: SeriesBasis) -> dict[str, Any]:
    """The columns stored beside the record, all worked out from the record itself."""
    # Earliest entry into each status, as the annual figures count it (a letter returned
    # from sign-off and resubmitted was still first submitted on the earlier date).
    entered = {change.to_status: change.on for change in reversed(review.history)}
    when = review_date(review, basis)
    contacts = [
        c.on
        for c in review.preparation.child_contacts
        if c.method is not ContactMethod.NONE and c.on is not None and c.on <= when
    ]
    open_recs = [r for r in review.recommendations if r.status is RecommendationStatus.OPEN]
    rec_dues = [r.due_on for r in open_recs if r.due_on is not None]
    return {
        "kind": review.kind.value,
        "status": review.status.value,
        "sequence": review.sequence or 0,
        "due_date": review.due_on,
        "planned_date": review.planned_on,
        "first_meeting_on": first_meeting_date(review),
        "timeliness_date": timeliness_date(review, basis),
        "completed_date": review_completion_date(review),
        "pn_code": review.participation_code or "",
        "is_extra": review.extra,
        "recommendations_issued_on": entered.get(ReviewStatus.RECOMMENDATIONS_ISSUED),
        "letter_issued_on": entered.get(ReviewStatus.ISSUED),
        "child_consulted_on": max(contacts, default=None),
        "meetings_count": len(held_meetings(review)),
        "series_open": series_open(review),
        "stood_down": bool(review.stand_downs),
        "rearranged_count": len(review.rearrangements),
        "open_recommendations": len(open_recs),
        "next_recommendation_due": min(rec_dues, default=None),
        "source": review.source,
    }


def save_review(
    session: Session,
    review: Review,
    *,
    basis: SeriesBasis,
    now: datetime,
    period_id: int | None = None,
    expected_version: int | None = None,
    new: bool = False,
) -> int:
    """Insert or update the review and its summary columns; returns the new row version.

    With `expected_version`, refuses (ReviewChanged) when the stored row has moved on.
    `period_id` is only used for a new review; an existing one keeps its period of care.
    `new` skips looking for an existing row (bulk loading of reviews known to be new).
    """
    row = None if new else session.get(t.Review, review.id)
    if row is None:
        if expected_version not in (None, 0):
            raise ReviewChanged(
                f"The review {review.id} is no longer on this caseload; it may have been removed."
            )
        row = t.Review(id=review.id, child_id=review.child_id, period_id=period_id, row_version=0)
        session.add(row)
    else:
        if row.child_id != review.child_id:
            raise ValueError(
                f"The review {review.id} belongs to another child ({row.child_id}), "
                f"not {review.child_id}."
            )
        if expected_version is not None and row.row_version != expected_version:
            raise ReviewChanged(
                "This review was changed elsewhere after you opened it "
                f"(version {expected_version}, now {row.row_version}). Open it again to see "
                "the changes."
            )
    for name, value in summary_columns(review, basis).items():
        setattr(row, name, value)
    row.record = review.to_dict()
    row.updated_at = now
    row.row_version = (row.row_version or 0) + 1
    return row.row_version


def insert_new_reviews(
    session: Session,
    reviews: list[tuple[Review, int | None]],
    *,
    basis: SeriesBasis,
    now: datetime,
) -> None:
    """Add reviews known to be new in one statement per batch (an import brings tens of
    thousands: one ORM object each took most of a ten-year import's time)."""
    from sqlalchemy import insert

    rows = []
    for review, period_id in reviews:
        row = summary_columns(review, basis)
        row.update(
            id=review.id,
            child_id=review.child_id,
            period_id=period_id,
            record=review.to_dict(),
            updated_at=now,
            row_version=1,
        )
        rows.append(row)
    for start in range(0, len(rows), 1000):
        session.execute(insert(t.Review), rows[start : start + 1000])


# --- reading ------------------------------------------------------------------------------


def _row(r: t.Review, period_start: date | None) -> ReviewRow:
    return ReviewRow(
        id=r.id,
        child_id=r.child_id,
        period_id=r.period_id,
        period_start=period_start,
        kind=r.kind,
        status=r.status,
        sequence=r.sequence or None,
        due_date=r.due_date,
        planned_date=r.planned_date,
        first_meeting_on=r.first_meeting_on,
        timeliness_date=r.timeliness_date,
        completed_date=r.completed_date,
        pn_code=r.pn_code,
        is_extra=r.is_extra,
        recommendations_issued_on=r.recommendations_issued_on,
        letter_issued_on=r.letter_issued_on,
        child_consulted_on=r.child_consulted_on,
        meetings_count=r.meetings_count,
        series_open=r.series_open,
        stood_down=r.stood_down,
        rearranged_count=r.rearranged_count,
        open_recommendations=r.open_recommendations,
        next_recommendation_due=r.next_recommendation_due,
        row_version=r.row_version,
        updated_at=r.updated_at,
    )


def _legacy_review(row: ReviewRow, record: dict[str, Any]) -> Review:
    """A schema-0001 row as a domain Review: its meeting dates, status and PN code."""
    meetings_data = record.get("meetings", [])
    if not isinstance(meetings_data, list):
        raise ValueError("The stored meetings are not a list.")
    dates: list[date] = []
    for m in meetings_data:
        value = m.get("date") if isinstance(m, dict) else None
        try:
            dates.append(date.fromisoformat(str(value)))
        except ValueError:
            raise ValueError(f"The stored meeting date {value!r} is not a date.") from None
    try:
        status = ReviewStatus(row.status)
        kind = ReviewKind(row.kind)
    except ValueError as exc:
        raise ValueError(f"The stored review has an unknown status or kind ({exc}).") from None
    complete = reached(status, ReviewStatus.COMPLETED)
    meetings = tuple(
        Meeting(on=d, held=True, final=complete and i == len(dates) - 1)
        for i, d in enumerate(sorted(dates))
    )
    return Review(
        id=row.id,
        child_id=row.child_id,
        due_on=row.due_date,
        planned_on=row.planned_date or (dates[0] if dates else row.due_date),
        kind=kind,
        sequence=row.sequence,
        status=status,
        extra=row.is_extra,
        meetings=meetings,
        participation_code=row.pn_code or None,
    )


def _stored(r: t.Review, period_start: date | None) -> StoredReview:
    row = _row(r, period_start)
    record = r.record if isinstance(r.record, dict) else None
    if record is None:
        return StoredReview(row, None, "summary", "The stored record is not a set of fields.")
    try:
        return StoredReview(row, Review.from_dict(record), "record")
    except (ValueError, TypeError, KeyError) as exc:
        problem = str(exc)
    if "id" not in record:
        try:
            return StoredReview(row, _legacy_review(row, record), "legacy")
        except (ValueError, TypeError) as exc:
            problem = str(exc)
    return StoredReview(row, None, "summary", problem)


def _with_period() -> Any:
    return select(t.Review, t.PeriodOfCare.start).outerjoin(
        t.PeriodOfCare, t.PeriodOfCare.id == t.Review.period_id
    )


def load_review(session: Session, review_id: str) -> StoredReview:
    found = session.execute(_with_period().where(t.Review.id == review_id)).one_or_none()
    if found is None:
        raise NotFound(f"No review with id {review_id} on this caseload.")
    return _stored(found[0], found[1])


def reviews_for_child(session: Session, child_id: str) -> list[StoredReview]:
    """The child's reviews, oldest due first."""
    rows = session.execute(
        _with_period()
        .where(t.Review.child_id == child_id)
        .order_by(t.Review.due_date, t.Review.sequence, t.Review.id)
    ).all()
    return [_stored(r, start) for r, start in rows]


# --- the child around a review ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodFacts:
    id: int | None
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What the review use cases need to know about the child (not the whole record)."""

    id: str
    la_child_id: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    care_leaver: bool
    allocated_iro: str
    periods: tuple[PeriodFacts, ...]
    # The current period's episodes, oldest first: they set the review timetable.
    current_episodes: tuple[EpisodeCodes, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def current_period(self) -> PeriodFacts | None:
        """The open period of care, else the latest one (as `Child.current_period`)."""
        open_periods = [p for p in self.periods if p.end is None]
        if open_periods:
            return open_periods[-1]
        return self.periods[-1] if self.periods else None

    def period(self, period_id: int | None) -> PeriodFacts | None:
        return next((p for p in self.periods if p.id == period_id), None)


def find_child(session: Session, ref: str) -> ChildFacts:
    """The child by internal id or by the local authority's child identifier."""
    row = session.execute(
        select(
            t.Child.id,
            t.Child.la_child_id,
            t.Child.legal_first_name,
            t.Child.legal_last_name,
            t.Child.preferred_name,
            t.Child.date_of_birth,
            t.Child.care_leaver,
            t.Child.allocated_iro,
        ).where((t.Child.id == ref) | (t.Child.la_child_id == ref))
    ).first()
    if row is None:
        raise NotFound(f"No child with id {ref} on this caseload.")
    periods = session.execute(
        select(t.PeriodOfCare.id, t.PeriodOfCare.start, t.PeriodOfCare.end)
        .where(t.PeriodOfCare.child_id == row[0])
        .order_by(t.PeriodOfCare.start, t.PeriodOfCare.id)
    ).all()
    facts = ChildFacts(*row, periods=tuple(PeriodFacts(*p) for p in periods))
    current = facts.current_period
    if current is None or current.id is None:
        return facts
    episodes = session.execute(
        select(t.Episode.start, t.Episode.legal_status, t.Episode.placement_type)
        .where(t.Episode.period_id == current.id)
        .order_by(t.Episode.start, t.Episode.id)
    ).all()
    return replace(facts, current_episodes=tuple(EpisodeCodes(*e) for e in episodes))


# --- the lean rows the dashboard is built from ----------------------------------------------


class ReviewFacts(NamedTuple):
    """One review as the dashboard sees it: only the columns it needs.

    A named tuple, not a dataclass: a service has ~10,000 of these and a frozen dataclass
    costs twice as much to build as the query takes to run.
    """

    child_id: str
    id: str
    kind: str
    status: str
    period_id: int | None
    due_date: date
    planned_date: date | None
    first_meeting_on: date | None
    completed_on: date | None
    recommendations_issued_on: date | None = None
    letter_issued_on: date | None = None
    child_consulted_on: date | None = None
    meetings_count: int = 0
    series_open: bool = False
    source: str = ""  # "ssda903": held elsewhere, brought in from the council's files


class EpisodeFacts(NamedTuple):
    start: date
    placement_type: str
    provider: str
    postcode: str
    long_term_confirmed: date | None
    legal_status: str = ""  # for the review regime (short breaks: V3/V4)
    temporary_approval: bool = False  # reg 24: weekly visits to the first review
    visits_six_monthly_agreed: date | None = None


@dataclass(frozen=True, slots=True)
class DueRows:
    """What the dashboard is built from, for a whole service at once.

    children: (id, first name, last name, preferred name, care leaver, date of birth), by name
    periods: each child's current period of care (the open one, else the latest)
    episodes: the episodes of open periods, by period id, oldest first
    reviews: each child's reviews
    open_series_dates: the held meeting dates of each review still being held
    last_visits: each child's latest social worker visit
    """

    children: list[tuple[str, str, str, str, bool, date]]
    periods: dict[str, PeriodFacts]
    episodes: dict[int, list[EpisodeFacts]]
    reviews: dict[str, list[ReviewFacts]]
    open_series_dates: dict[str, tuple[date, ...]]
    last_visits: dict[str, date]


REVIEW_FACT_COLUMNS = (
    t.Review.child_id,
    t.Review.id,
    t.Review.kind,
    t.Review.status,
    t.Review.period_id,
    t.Review.due_date,
    t.Review.planned_date,
    t.Review.first_meeting_on,
    t.Review.completed_date,
    t.Review.recommendations_issued_on,
    t.Review.letter_issued_on,
    t.Review.child_consulted_on,
    t.Review.meetings_count,
    t.Review.series_open,
    t.Review.source,
)


def fetch_raw(session: Session, statement: Any) -> list[Any]:
    """Plain tuples from the driver (dates as ISO text), in the session's transaction.

    The dashboard reads ~10,000 reviews for a service: SQLAlchemy's row objects and per-value
    date processing would cost more than the query itself, so these few columns are read
    from the driver directly and their dates parsed below.
    """
    conn = session.connection()
    compiled = statement.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    ordered = tuple(params[name] for name in compiled.positiontup or ())
    driver = conn.connection.driver_connection
    assert driver is not None
    return list(driver.execute(str(compiled), ordered).fetchall())


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _held_dates(record: Any) -> tuple[date, ...]:
    """The held meetings' dates in a stored record; () if it cannot be read."""
    try:
        meetings = record.get("meetings", []) if isinstance(record, dict) else []
        return tuple(sorted(date.fromisoformat(m["on"]) for m in meetings if m.get("held", True)))
    except (AttributeError, KeyError, TypeError, ValueError):
        return ()


class DueQueries(NamedTuple):
    children: Any
    periods: Any
    episodes: Any
    reviews: Any
    open_series: Any
    visits: Any


def due_queries(iro: str | None = None, child_id: str | None = None) -> DueQueries:
    """The dashboard's five narrow queries: every child, one IRO's children, or one child.

    The review columns come from a covering index (ix_reviews_due_facts), so the large
    record beside them is never read; only a review still being held is opened, for the
    dates of its meetings so far.
    """
    children_q = select(
        t.Child.id,
        t.Child.legal_first_name,
        t.Child.legal_last_name,
        t.Child.preferred_name,
        t.Child.care_leaver,
        t.Child.date_of_birth,
    ).order_by(t.Child.legal_last_name, t.Child.legal_first_name, t.Child.id)
    periods_q = select(
        t.PeriodOfCare.child_id, t.PeriodOfCare.id, t.PeriodOfCare.start, t.PeriodOfCare.end
    ).order_by(t.PeriodOfCare.child_id, t.PeriodOfCare.start, t.PeriodOfCare.id)
    episodes_q = (
        select(
            t.Episode.period_id,
            t.Episode.start,
            t.Episode.placement_type,
            t.Episode.provider,
            t.Episode.postcode,
            t.Episode.long_term_confirmed,
            t.Episode.legal_status,
            t.Episode.temporary_approval,
            t.Episode.visits_six_monthly_agreed,
        )
        .join(t.PeriodOfCare, t.PeriodOfCare.id == t.Episode.period_id)
        .where(t.PeriodOfCare.end.is_(None))
        .order_by(t.Episode.period_id, t.Episode.start, t.Episode.id)
    )
    reviews_q = select(*REVIEW_FACT_COLUMNS)
    series_q = select(t.Review.id, t.Review.record).where(t.Review.series_open.is_(True))
    visits_q = select(
        t.SocialWorkerVisit.child_id, func.max(t.SocialWorkerVisit.visited_on)
    ).group_by(t.SocialWorkerVisit.child_id)
    if iro is not None or child_id is not None:
        which = t.Child.allocated_iro == iro if child_id is None else t.Child.id == child_id
        mine = select(t.Child.id).where(which)
        children_q = children_q.where(which)
        periods_q = periods_q.where(t.PeriodOfCare.child_id.in_(mine))
        episodes_q = episodes_q.where(t.PeriodOfCare.child_id.in_(mine))
        reviews_q = reviews_q.where(t.Review.child_id.in_(mine))
        series_q = series_q.where(t.Review.child_id.in_(mine))
        visits_q = visits_q.where(t.SocialWorkerVisit.child_id.in_(mine))

    return DueQueries(children_q, periods_q, episodes_q, reviews_q, series_q, visits_q)


def due_rows(session: Session, iro: str | None = None, child_id: str | None = None) -> DueRows:
    """The dashboard's rows, as plain named tuples with real dates."""
    children_q, periods_q, episodes_q, reviews_q, series_q, visits_q = due_queries(iro, child_id)
    periods: dict[str, PeriodFacts] = {}
    for owner, period_id, start, end in fetch_raw(session, periods_q):
        current = periods.get(owner)
        # The open period if there is one, else the latest (rows come in start order).
        if current is None or current.end is not None or end is None:
            periods[owner] = PeriodFacts(period_id, date.fromisoformat(start), _day(end))
    episodes: dict[int, list[EpisodeFacts]] = {}
    for (
        period_id,
        start,
        place,
        provider,
        postcode,
        long_term,
        legal,
        temporary,
        agreed,
    ) in fetch_raw(session, episodes_q):
        episodes.setdefault(period_id, []).append(
            EpisodeFacts(
                date.fromisoformat(start),
                place,
                provider,
                postcode,
                _day(long_term),
                legal,
                bool(temporary),
                _day(agreed),
            )
        )
    reviews: dict[str, list[ReviewFacts]] = {}
    iso = date.fromisoformat
    for r in fetch_raw(session, reviews_q):
        reviews.setdefault(r[0], []).append(
            ReviewFacts(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                iso(r[5]),
                iso(r[6]) if r[6] else None,
                iso(r[7]) if r[7] else None,
                iso(r[8]) if r[8] else None,
                iso(r[9]) if r[9] else None,
                iso(r[10]) if r[10] else None,
                iso(r[11]) if r[11] else None,
                r[12],
                bool(r[13]),
                r[14] or "",
            )
        )
    return DueRows(
        children=[
            (c, f, la, p, bool(cl), date.fromisoformat(dob))
            for c, f, la, p, cl, dob in fetch_raw(session, children_q)
        ],
        periods=periods,
        episodes=episodes,
        reviews=reviews,
        open_series_dates={rid: _held_dates(rec) for rid, rec in session.execute(series_q).all()},
        last_visits={c: date.fromisoformat(v) for c, v in fetch_raw(session, visits_q) if v},
    )


class ListedChild(NamedTuple):
    """What the caseload list shows of a child that the due rows do not carry."""

    id: str
    la_child_id: str
    date_of_birth: date
    allocated_iro: str
    uasc: bool
    sibling_group: str
    legal_status: str  # of the current episode of the current period ("" with none)
    placement_type: str


def listed_children(
    session: Session, periods: dict[str, PeriodFacts], iro: str | None = None
) -> dict[str, ListedChild]:
    """The caseload list's own columns for every child (or one IRO's), from two narrow
    queries; `periods` is `due_rows(...).periods` (each child's current period)."""
    children_q = select(
        t.Child.id,
        t.Child.la_child_id,
        t.Child.date_of_birth,
        t.Child.allocated_iro,
        t.Child.uasc,
        t.Child.sibling_group,
    )
    episodes_q = select(
        t.Episode.period_id, t.Episode.legal_status, t.Episode.placement_type
    ).order_by(t.Episode.period_id, t.Episode.start, t.Episode.id)
    if iro is not None:
        children_q = children_q.where(t.Child.allocated_iro == iro)
        mine = select(t.PeriodOfCare.id).join(t.Child).where(t.Child.allocated_iro == iro)
        episodes_q = episodes_q.where(t.Episode.period_id.in_(mine))
    latest: dict[int, tuple[str, str]] = {}
    for period_id, legal, place in fetch_raw(session, episodes_q):
        latest[period_id] = (legal, place)  # rows come oldest first: the last one stays
    listed: dict[str, ListedChild] = {}
    for child_id, la_id, dob, allocated, uasc, siblings in fetch_raw(session, children_q):
        period = periods.get(child_id)
        legal, place = latest.get(period.id, ("", "")) if period and period.id else ("", "")
        listed[child_id] = ListedChild(
            child_id,
            la_id,
            date.fromisoformat(dob),
            allocated or "",
            bool(uasc),
            siblings or "",
            legal,
            place,
        )
    return listed


def allocated_iros(session: Session) -> list[tuple[str, int]]:
    """Each allocated IRO (blank for none) with their number of children."""
    from sqlalchemy import func

    rows = session.execute(
        select(t.Child.allocated_iro, func.count())
        .group_by(t.Child.allocated_iro)
        .order_by(t.Child.allocated_iro)
    ).all()
    return [(iro, int(n)) for iro, n in rows]


# --- footprint notes (mid-point reviews and case overviews) ---------------------------------


def save_footprint_note(
    session: Session,
    *,
    note_id: str,
    child_id: str,
    review_id: str | None,
    kind: str,
    on: date,
    author: str,
    record: dict[str, Any],
    now: datetime,
) -> None:
    row = session.get(t.FootprintNote, note_id)
    if row is None:
        row = t.FootprintNote(id=note_id, child_id=child_id, created_at=now)
        session.add(row)
    row.review_id = review_id
    row.kind = kind
    row.on = on
    row.author = author
    row.record = record


def latest_footprint(session: Session, child_id: str | None = None) -> dict[tuple[str, str], date]:
    """The latest date of each kind of footprint note, by (child id, kind)."""
    query = select(
        t.FootprintNote.child_id, t.FootprintNote.kind, func.max(t.FootprintNote.on)
    ).group_by(t.FootprintNote.child_id, t.FootprintNote.kind)
    if child_id is not None:
        query = query.where(t.FootprintNote.child_id == child_id)
    found: dict[tuple[str, str], date] = {}
    for owner, kind, on in session.execute(query).all():
        if on is not None:
            found[(owner, kind)] = on if isinstance(on, date) else date.fromisoformat(str(on))
    return found


def footprint_dates(session: Session) -> list[tuple[str, date]]:
    """(kind, date) of every footprint note on the caseload, for the annual figures."""
    rows = session.execute(select(t.FootprintNote.kind, t.FootprintNote.on)).all()
    return [(kind, on) for kind, on in rows if on is not None]


def footprint_records(
    session: Session, kind: str, child_id: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(child id, record) of every footprint note of one kind, oldest first."""
    query = select(t.FootprintNote.child_id, t.FootprintNote.record).where(
        t.FootprintNote.kind == kind
    )
    if child_id is not None:
        query = query.where(t.FootprintNote.child_id == child_id)
    rows = session.execute(query.order_by(t.FootprintNote.on, t.FootprintNote.created_at)).all()
    return [(owner, dict(record)) for owner, record in rows]


def footprint_notes(session: Session, child_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(kind, record) of every footprint note of the child, oldest first."""
    rows = session.execute(
        select(t.FootprintNote.kind, t.FootprintNote.record)
        .where(t.FootprintNote.child_id == child_id)
        .order_by(t.FootprintNote.on, t.FootprintNote.created_at)
    ).all()
    return [(kind, dict(record)) for kind, record in rows]
