"""Escalation events in the store: an append-only log, replayed by the domain.

Events are kept as the wire protocol writes them, so what is stored, what is sent and what
the server holds are the same text. The log is read back in the server's order where the
server has numbered an event and then in the order events were written here: a laptop that
replays its log reaches the same state, and the same conflicts, as the manager's view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop.domain.escalation import EscalationEvent, EventKind
from iro_desktop.store import tables as t
from iro_desktop.sync.protocol import escalation_event_from_wire, item_to_wire

HERE = "here"
SERVER = "server"


def naive_utc(moment: datetime) -> datetime:
    """The store keeps UTC times without a zone (as the rest of the caseload does)."""
    if moment.utcoffset() is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def aware_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StoredEvent:
    event: EscalationEvent
    origin: str
    server_seq: int | None
    synced_at: datetime | None


def _order() -> tuple[Any, ...]:
    return (
        t.EscalationEventRecord.server_seq.is_(None),
        t.EscalationEventRecord.server_seq,
        t.EscalationEventRecord.id,
    )


def _stored(row: t.EscalationEventRecord) -> StoredEvent:
    return StoredEvent(
        event=escalation_event_from_wire(dict(row.payload)),
        origin=row.origin,
        server_seq=row.server_seq,
        synced_at=aware_utc(row.synced_at),
    )


def has_event(session: Session, event_id: str) -> bool:
    found = session.scalar(
        select(t.EscalationEventRecord.id).where(t.EscalationEventRecord.event_id == event_id)
    )
    return found is not None


def append_event(
    session: Session,
    event: EscalationEvent,
    *,
    origin: str,
    server_seq: int | None = None,
    synced_at: datetime | None = None,
) -> bool:
    """Add an event to the log; False (and nothing written) when it is already there."""
    if has_event(session, event.event_id):
        return False
    session.add(
        t.EscalationEventRecord(
            event_id=event.event_id,
            escalation_id=event.escalation_id,
            kind=event.kind.value,
            occurred_on=event.occurred_on,
            author=event.author,
            recorded_at=naive_utc(event.recorded_at),
            payload=item_to_wire(event),
            origin=origin,
            server_seq=server_seq,
            synced_at=naive_utc(synced_at) if synced_at else None,
        )
    )
    session.flush()
    return True


def replace_unsent_event(session: Session, event: EscalationEvent) -> None:
    """Correct an event the server has not accepted (the IRO's edit of a set-aside item)."""
    row = session.scalar(
        select(t.EscalationEventRecord).where(t.EscalationEventRecord.event_id == event.event_id)
    )
    if row is None:
        raise LookupError(f"No escalation event {event.event_id} on this caseload.")
    if row.server_seq is not None or row.origin != HERE:
        raise ValueError("This event is already on the sync server, so it cannot be changed.")
    row.kind = event.kind.value
    row.occurred_on = event.occurred_on
    row.author = event.author
    row.recorded_at = naive_utc(event.recorded_at)
    row.payload = item_to_wire(event)
    session.flush()


def mark_on_server(session: Session, event_id: str, seq: int, at: datetime) -> None:
    row = session.scalar(
        select(t.EscalationEventRecord).where(t.EscalationEventRecord.event_id == event_id)
    )
    if row is not None and row.server_seq is None:
        row.server_seq = seq
        row.synced_at = naive_utc(at)


def mark_many_on_server(session: Session, seqs: dict[str, int], at: datetime) -> None:
    """mark_on_server for a whole batch at once."""
    if not seqs:
        return
    moment = naive_utc(at)
    with session.no_autoflush:
        for row in session.scalars(
            select(t.EscalationEventRecord).where(
                t.EscalationEventRecord.event_id.in_(list(seqs)),
                t.EscalationEventRecord.server_seq.is_(None),
            )
        ):
            row.server_seq = seqs[row.event_id]
            row.synced_at = moment


def _raised_first(log: list[StoredEvent]) -> list[StoredEvent]:
    # Nothing can come before an escalation is raised. Its 'raised' event can lack a server
    # number for a while (the answer to the push that stored it was lost) when a manager's
    # later event already has one; it still belongs first.
    first = [s for s in log if s.event.kind is EventKind.RAISED]
    return first + [s for s in log if s.event.kind is not EventKind.RAISED]


def events_of(session: Session, escalation_id: str) -> list[StoredEvent]:
    """One escalation's log in replay order."""
    rows = session.scalars(
        select(t.EscalationEventRecord)
        .where(t.EscalationEventRecord.escalation_id == escalation_id)
        .order_by(*_order())
    )
    return _raised_first([_stored(r) for r in rows])


def all_events(
    session: Session, escalation_ids: Iterable[str] | None = None
) -> dict[str, list[StoredEvent]]:
    """Every escalation's log (or those named), in replay order, keyed by escalation id."""
    query = select(t.EscalationEventRecord).order_by(*_order())
    if escalation_ids is not None:
        query = query.where(t.EscalationEventRecord.escalation_id.in_(list(escalation_ids)))
    logs: dict[str, list[StoredEvent]] = defaultdict(list)
    for row in session.scalars(query):
        logs[row.escalation_id].append(_stored(row))
    return {key: _raised_first(log) for key, log in logs.items()}


def escalation_ids(session: Session) -> list[str]:
    return list(session.scalars(select(t.EscalationEventRecord.escalation_id).distinct()))


def count_events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(t.EscalationEventRecord)) or 0)


# --- people's decisions on conflicts --------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    event_id: str
    escalation_id: str
    decided_at: datetime
    decided_by: str
    decision: str
    note: str
    comment_event_id: str | None
    new_escalation_id: str | None


def record_decision(
    session: Session,
    *,
    event_id: str,
    escalation_id: str,
    at: datetime,
    by: str,
    decision: str,
    note: str,
    comment_event_id: str | None,
    new_escalation_id: str | None,
) -> None:
    if session.get(t.ConflictDecision, event_id) is not None:
        raise ValueError("That conflict has already been settled.")
    session.add(
        t.ConflictDecision(
            event_id=event_id,
            escalation_id=escalation_id,
            decided_at=naive_utc(at),
            decided_by=by,
            decision=decision,
            note=note,
            comment_event_id=comment_event_id,
            new_escalation_id=new_escalation_id,
        )
    )
    session.flush()


def decisions(session: Session, event_ids: Iterable[str] | None = None) -> dict[str, Decision]:
    query = select(t.ConflictDecision)
    if event_ids is not None:
        query = query.where(t.ConflictDecision.event_id.in_(list(event_ids)))
    return {
        row.event_id: Decision(
            event_id=row.event_id,
            escalation_id=row.escalation_id,
            decided_at=row.decided_at.replace(tzinfo=UTC),
            decided_by=row.decided_by,
            decision=row.decision,
            note=row.note,
            comment_event_id=row.comment_event_id,
            new_escalation_id=row.new_escalation_id,
        )
        for row in session.scalars(query)
    }


def children_named(session: Session, child_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Name and sibling group of each child on this caseload (others are simply absent)."""
    wanted = list(set(child_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            t.Child.id, t.Child.legal_first_name, t.Child.legal_last_name, t.Child.sibling_group
        ).where(t.Child.id.in_(wanted))
    )
    return {cid: (f"{first} {last}".strip(), group) for cid, first, last, group in rows}


def sibling_ids(session: Session, child_id: str) -> list[str]:
    """The child and their siblings on this caseload (same sibling group), child first."""
    group = session.scalar(select(t.Child.sibling_group).where(t.Child.id == child_id))
    if group is None:
        raise LookupError(f"No child with id {child_id} on this caseload.")
    if not group:
        return [child_id]
    others = session.scalars(
        select(t.Child.id)
        .where(t.Child.sibling_group == group, t.Child.id != child_id)
        .order_by(t.Child.date_of_birth)
    )
    return [child_id, *others]
