"""Queries that take and return domain objects; the only place rows become caseload objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Text, delete, func, select
from sqlalchemy.orm import Session, selectinload

from iro_desktop.domain.caseload import (
    Child,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    Person,
    PlacedForAdoption,
    ReviewSummary,
    SocialWorkerVisit,
)
from iro_desktop.store import tables as t


class NotFound(LookupError):
    pass


# --- children -------------------------------------------------------------------------------


def _episode(row: t.Episode) -> Episode:
    return Episode(
        id=row.id,
        start=row.start,
        end=row.end,
        legal_status=row.legal_status,
        placement_type=row.placement_type,
        provider=row.provider,
        provider_kind=row.provider_kind,
        postcode=row.postcode,
        in_area=row.in_area,
        distance_miles=row.distance_miles,
        long_term_confirmed=row.long_term_confirmed,
        reason_new=row.reason_new,
        category_of_need=row.category_of_need,
        place_provider=row.place_provider,
        reason_ended=row.reason_ended,
        reason_place_change=row.reason_place_change,
        home_postcode=row.home_postcode,
        urn=row.urn,
        temporary_approval=bool(row.temporary_approval),
        visits_six_monthly_agreed=row.visits_six_monthly_agreed,
    )


def _period(row: t.PeriodOfCare) -> PeriodOfCare:
    return PeriodOfCare(
        id=row.id,
        start=row.start,
        end=row.end,
        reason_ended=row.reason_ended,
        episodes=tuple(_episode(e) for e in row.episodes),
    )


def _person(row: t.Person) -> Person:
    return Person(
        id=row.id,
        role=row.role,
        name=row.name,
        organisation=row.organisation,
        phone=row.phone,
        email=row.email,
        notes=row.notes,
    )


def _visit(row: t.SocialWorkerVisit) -> SocialWorkerVisit:
    return SocialWorkerVisit(
        id=row.id, visited_on=row.visited_on, seen_alone=row.seen_alone, by=row.by, note=row.note
    )


def _adoption(row: t.AdoptionDecision) -> PlacedForAdoption:
    return PlacedForAdoption(
        id=row.id,
        decided_on=row.decided_on,
        ceased_on=row.ceased_on,
        reason_ceased=row.reason_ceased,
    )


def _missing(row: t.MissingEpisode) -> MissingEpisode:
    return MissingEpisode(id=row.id, kind=row.kind, start=row.start, end=row.end)


def review_summary(row: t.Review) -> ReviewSummary:
    # Built from the summary columns only: parsing every review's JSON record made the
    # 1,300-child list take seconds, and one damaged old record could break the whole list.
    return ReviewSummary(
        id=row.id,
        kind=row.kind,
        status=row.status,
        due_date=row.due_date,
        sequence=row.sequence,
        timeliness_date=row.timeliness_date,
        completed_date=row.completed_date,
        pn_code=row.pn_code,
        is_extra=row.is_extra,
        meeting_dates=(row.first_meeting_on,) if row.first_meeting_on else (),
    )


def _child(row: t.Child, *, with_detail: bool = True) -> Child:
    return Child(
        id=row.id,
        la_child_id=row.la_child_id,
        legal_first_name=row.legal_first_name,
        legal_last_name=row.legal_last_name,
        preferred_name=row.preferred_name,
        date_of_birth=row.date_of_birth,
        sex=row.sex,
        ethnicity=row.ethnicity,
        uasc=row.uasc,
        disability=row.disability,
        communication_needs=row.communication_needs,
        sibling_group=row.sibling_group,
        allocated_iro=row.allocated_iro,
        allocated_on=row.allocated_on,
        care_leaver=row.care_leaver,
        periods=tuple(_period(p) for p in row.periods),
        people=tuple(_person(p) for p in row.people) if with_detail else (),
        reviews=tuple(review_summary(r) for r in row.reviews),
        upn=row.upn,
        first_language=row.first_language,
        interpreter_needed=row.interpreter_needed,
        uasc_ceased=row.uasc_ceased,
        mother=row.mother,
        mother_child_dob=row.mother_child_dob,
        visits=tuple(_visit(v) for v in row.visits),
        adoption_decisions=tuple(_adoption(a) for a in row.adoption_decisions),
        missing=tuple(_missing(m) for m in row.missing),
    )


def _child_query() -> Any:
    return select(t.Child).options(
        selectinload(t.Child.periods).selectinload(t.PeriodOfCare.episodes),
        selectinload(t.Child.people),
        selectinload(t.Child.reviews).defer(t.Review.record),
        selectinload(t.Child.visits),
        selectinload(t.Child.adoption_decisions),
        selectinload(t.Child.missing),
    )


def list_children(session: Session) -> list[Child]:
    rows = session.scalars(
        _child_query().order_by(t.Child.legal_last_name, t.Child.legal_first_name)
    )
    return [_child(r) for r in rows]


def count_children(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(t.Child)) or 0)


def get_child(session: Session, child_id: str) -> Child:
    row = session.scalars(_child_query().where(t.Child.id == child_id)).one_or_none()
    if row is None:
        raise NotFound(f"No child with id {child_id} on this caseload.")
    return _child(row)


def child_exists(session: Session, child_id: str) -> bool:
    return session.get(t.Child, child_id) is not None


def save_child(session: Session, child: Child, now: datetime, *, flush: bool = True) -> bool:
    """Insert or replace a child and their periods, episodes and people. True if new."""
    row = session.get(t.Child, child.id)
    created = row is None
    if row is None:
        row = t.Child(id=child.id, created_at=now)
        session.add(row)
    row.la_child_id = child.la_child_id
    row.legal_first_name = child.legal_first_name
    row.legal_last_name = child.legal_last_name
    row.preferred_name = child.preferred_name
    row.date_of_birth = child.date_of_birth
    row.sex = child.sex
    row.ethnicity = child.ethnicity
    row.uasc = child.uasc
    row.disability = child.disability
    row.communication_needs = child.communication_needs
    row.sibling_group = child.sibling_group
    row.allocated_iro = child.allocated_iro
    row.allocated_on = child.allocated_on
    row.care_leaver = child.care_leaver
    row.upn = child.upn
    row.first_language = child.first_language
    row.interpreter_needed = child.interpreter_needed
    row.uasc_ceased = child.uasc_ceased
    row.mother = child.mother
    row.mother_child_dob = child.mother_child_dob
    row.updated_at = now
    row.periods = [
        t.PeriodOfCare(
            start=p.start,
            end=p.end,
            reason_ended=p.reason_ended,
            episodes=[
                t.Episode(
                    start=e.start,
                    end=e.end,
                    legal_status=e.legal_status,
                    placement_type=e.placement_type,
                    provider=e.provider,
                    provider_kind=e.provider_kind,
                    postcode=e.postcode,
                    in_area=e.in_area,
                    distance_miles=e.distance_miles,
                    long_term_confirmed=e.long_term_confirmed,
                    reason_new=e.reason_new,
                    category_of_need=e.category_of_need,
                    place_provider=e.place_provider,
                    reason_ended=e.reason_ended,
                    reason_place_change=e.reason_place_change,
                    home_postcode=e.home_postcode,
                    urn=e.urn,
                    temporary_approval=e.temporary_approval,
                    visits_six_monthly_agreed=e.visits_six_monthly_agreed,
                )
                for e in p.episodes
            ],
        )
        for p in child.periods
    ]
    row.people = [
        t.Person(
            role=p.role,
            name=p.name,
            organisation=p.organisation,
            phone=p.phone,
            email=p.email,
            notes=p.notes,
        )
        for p in child.people
    ]
    row.visits = [
        t.SocialWorkerVisit(visited_on=v.visited_on, seen_alone=v.seen_alone, by=v.by, note=v.note)
        for v in child.visits
    ]
    row.adoption_decisions = [
        t.AdoptionDecision(
            decided_on=a.decided_on, ceased_on=a.ceased_on, reason_ceased=a.reason_ceased
        )
        for a in child.adoption_decisions
    ]
    row.missing = [t.MissingEpisode(kind=m.kind, start=m.start, end=m.end) for m in child.missing]
    if flush:
        session.flush()
    return created


def caseload_mark(session: Session) -> str:
    """Changes whenever a child or a review is added, changed or removed: an import
    previewed against one mark is refused if the caseload moved on before it was applied."""
    children = session.execute(select(func.count(), func.max(t.Child.updated_at))).one()
    reviews = session.execute(select(func.count(t.Review.id), func.max(t.Review.updated_at))).one()
    return f"{children[0]}|{children[1]}|{reviews[0]}|{reviews[1]}"


def period_ids_by_start(session: Session, child_ids: list[str]) -> dict[str, list[tuple[Any, int]]]:
    """Each child's periods of care as (start, id), oldest first."""
    out: dict[str, list[tuple[Any, int]]] = {}
    for chunk in range(0, len(child_ids), 500):
        rows = session.execute(
            select(t.PeriodOfCare.child_id, t.PeriodOfCare.start, t.PeriodOfCare.id)
            .where(t.PeriodOfCare.child_id.in_(child_ids[chunk : chunk + 500]))
            .order_by(t.PeriodOfCare.start)
        )
        for child_id, start, period_id in rows:
            out.setdefault(child_id, []).append((start, period_id))
    return out


def delete_child(session: Session, child_id: str) -> None:
    """Remove a child and everything recorded under them (reviews, letters, notes)."""
    row = session.get(t.Child, child_id)
    if row is None:
        raise NotFound(f"No child with id {child_id} on this caseload.")
    session.delete(row)
    session.flush()


def child_has_escalations(session: Session, child_id: str) -> bool:
    """True when an escalation names the child (events are kept for ever, so the child is)."""
    from sqlalchemy import cast

    found = session.scalar(
        select(t.EscalationEventRecord.id)
        .where(t.EscalationEventRecord.kind == "raised")
        .where(cast(t.EscalationEventRecord.payload, Text).contains(child_id))
        .limit(1)
    )
    return found is not None


def child_id_for_la_id(session: Session, la_child_id: str) -> str | None:
    return session.scalar(select(t.Child.id).where(t.Child.la_child_id == la_child_id))


# --- reviews (summary columns; the full record is the review issue's) -----------------------


def save_review_row(
    session: Session,
    *,
    review_id: str,
    child_id: str,
    kind: str,
    status: str,
    due_date: Any,
    now: datetime,
    record: dict[str, Any] | None = None,
    **columns: Any,
) -> t.Review:
    row = session.get(t.Review, review_id)
    if row is None:
        row = t.Review(id=review_id, child_id=child_id, updated_at=now, row_version=0, record={})
        session.add(row)
    row.kind = kind
    row.status = status
    row.due_date = due_date
    for name, value in columns.items():
        setattr(row, name, value)
    if record is not None:
        row.record = record
    row.updated_at = now
    row.row_version = (row.row_version or 0) + 1
    session.flush()
    return row


def period_id_for(session: Session, child_id: str, on: Any) -> int | None:
    rows = session.scalars(
        select(t.PeriodOfCare)
        .where(t.PeriodOfCare.child_id == child_id)
        .order_by(t.PeriodOfCare.start)
    ).all()
    chosen = None
    for p in rows:
        if p.start <= on:
            chosen = p.id
    return chosen


# --- audit, users, drafts, session state --------------------------------------------------


def audit(
    session: Session,
    *,
    at: datetime,
    username: str,
    action: str,
    entity: str,
    entity_id: str,
    detail: str = "",
) -> None:
    session.add(
        t.AuditEntry(
            at=at,
            username=username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )


def audit_entries(
    session: Session, entity_id: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    q = select(t.AuditEntry).order_by(t.AuditEntry.id.desc()).limit(limit)
    if entity_id is not None:
        q = q.where(t.AuditEntry.entity_id == entity_id)
    return [
        {
            "at": r.at,
            "username": r.username,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "detail": r.detail,
        }
        for r in session.scalars(q)
    ]


def add_user(
    session: Session, *, username: str, display_name: str, role: str, now: datetime, **extra: str
) -> None:
    if session.scalar(select(t.User).where(t.User.username == username)) is not None:
        raise ValueError(f"There is already a login called '{username}'.")
    session.add(
        t.User(username=username, display_name=display_name, role=role, created_at=now, **extra)
    )


def get_user(session: Session, username: str) -> dict[str, str] | None:
    row = session.scalar(select(t.User).where(t.User.username == username))
    if row is None:
        return None
    return {
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "team": row.team,
        "email": row.email,
        "phone": row.phone,
    }


def list_users(session: Session) -> list[dict[str, str]]:
    return [
        {"username": r.username, "display_name": r.display_name, "role": r.role}
        for r in session.scalars(select(t.User).order_by(t.User.username))
    ]


def save_draft(
    session: Session, key: str, username: str, payload: dict[str, Any], now: datetime
) -> None:
    row = session.get(t.Draft, key)
    if row is None:
        session.add(t.Draft(key=key, username=username, payload=payload, saved_at=now))
    else:
        row.payload = payload
        row.saved_at = now
        row.username = username


def load_draft(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(t.Draft, key)
    return dict(row.payload) if row is not None else None


def list_drafts(session: Session, prefix: str = "") -> list[tuple[str, datetime]]:
    q = select(t.Draft.key, t.Draft.saved_at)
    if prefix:
        q = q.where(t.Draft.key.startswith(prefix))
    return [(k, s) for k, s in session.execute(q)]


def delete_draft(session: Session, key: str) -> None:
    session.execute(delete(t.Draft).where(t.Draft.key == key))


def save_session_state(
    session: Session, username: str, state: dict[str, Any], now: datetime
) -> None:
    row = session.get(t.SessionState, username)
    if row is None:
        session.add(t.SessionState(username=username, state=state, saved_at=now))
    else:
        row.state = state
        row.saved_at = now


def load_session_state(session: Session, username: str) -> dict[str, Any]:
    row = session.get(t.SessionState, username)
    return dict(row.state) if row is not None else {}
