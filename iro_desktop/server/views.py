"""The manager's view: open escalations with their deadlines, and the sign-off inbox.

States are replayed from the stored events with the server's practice profile, by the same
domain code the desktop uses, so both show the same stage, deadline and conflicts.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from iro_desktop.domain.escalation import EscalationState, StageRecord, replay
from iro_desktop.server.access import visible_owners
from iro_desktop.server.auth import Caller
from iro_desktop.server.config import ServerConfig
from iro_desktop.server.db import Database
from iro_desktop.server.tables import Escalation, Item, Submission
from iro_desktop.sync.protocol import escalation_event_from_wire, readable

log = logging.getLogger(__name__)


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _stage_json(record: StageRecord, today: date) -> dict[str, Any]:
    return {
        "key": record.stage.key,
        "name": record.stage.name,
        "to_role": record.stage.to_role,
        "recipient": record.recipient,
        "sent_on": record.sent_on.isoformat(),
        "sent_by": record.sent_by,
        "deadline": _day(record.deadline),
        "overdue": record.overdue(today),
        "responses": [
            {
                "responder": r.responder,
                "text": r.text,
                "received_on": r.received_on.isoformat(),
                "recorded_by": r.recorded_by,
            }
            for r in record.responses
        ],
    }


def state_json(state: EscalationState, today: date) -> dict[str, Any]:
    raised = state.raised
    current = state.current_stage
    next_stage = state.next_stage
    return {
        "escalation_id": state.escalation_id,
        "raised_by": state.raised_by,
        "raised_on": state.raised_on.isoformat(),
        "child_ids": list(state.child_ids),
        "category": state.category.value,
        "issues": list(state.issues),
        "partner_agency": raised.partner_agency,
        "service": raised.service,
        "outcome_wanted": raised.outcome_wanted,
        "status": state.status.value,
        "current_stage": _stage_json(current, today) if current else None,
        "next_stage": next_stage.key if next_stage else None,
        "overall_deadline": state.overall_deadline.isoformat(),
        "overall_overdue": state.overall_overdue(today),
        "stage_overdue": state.stage_overdue(today),
        "working_days_open": state.working_days_open(today),
        "closed_on": _day(state.closed_on),
        "resolved_within_limit": state.resolved_within_limit,
        "stages": [_stage_json(record, today) for record in state.stages],
        "bypasses": [
            {
                "stage_keys": list(b.stage_keys),
                "reason": b.reason,
                "on": b.on.isoformat(),
                "by": b.by,
            }
            for b in state.bypasses
        ],
        "conflicts": [
            {
                "event_id": c.event.event_id,
                "kind": c.event.kind.value,
                "author": c.event.author,
                "reason": c.reason,
            }
            for c in state.conflicts
        ],
    }


def escalations(
    db: Database,
    config: ServerConfig,
    caller: Caller,
    *,
    today: date,
    only_open: bool,
    include_events: bool,
) -> list[dict[str, Any]]:
    with db.read() as session:
        visible = visible_owners(session, caller)
        ids_query = select(Escalation.escalation_id)
        if visible is not None:
            ids_query = ids_query.where(Escalation.owner_name.in_(visible))
        ids = ids_query.scalar_subquery()
        rows = session.execute(
            select(Item.escalation_id, Item.body)
            .where(Item.escalation_id.in_(ids))
            .order_by(Item.seq)
        ).all()
    logs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for escalation_id, body in rows:
        assert escalation_id is not None  # selected by escalation id
        # Stored as checked, canonical JSON; read tolerantly all the same (see pull.py).
        logs[escalation_id].append(readable(json.loads(body)))
    listed = []
    for escalation_id, wire_events in logs.items():
        try:
            events = [escalation_event_from_wire(wire) for wire in wire_events]
            state = replay(config.protocol, events, config.calendar)
            if only_open and not state.is_open:
                continue
            entry = state_json(state, today)
        except (ValueError, OverflowError) as error:  # one bad escalation must not hide all
            log.warning("Escalation %s cannot be read and is left out: %s", escalation_id, error)
            continue
        if include_events:
            entry["events"] = wire_events
        listed.append(entry)
    listed.sort(key=lambda e: (e["overall_deadline"], e["escalation_id"]))
    return listed


def signoff_inbox(db: Database, caller: Caller) -> list[dict[str, Any]]:
    """Submissions from the caller's team awaiting a decision, oldest first."""
    with db.read() as session:
        visible = visible_owners(session, caller)
        query = (
            select(Item.seq, Item.received_at, Item.body)
            .join(Submission, Submission.item_id == Item.item_id)
            .where(Submission.decision.is_(None), Submission.owner_name != caller.name)
        )
        if visible is not None:
            query = query.where(Submission.owner_name.in_(visible))
        rows = session.execute(query.order_by(Item.seq)).all()
    inbox = []
    for seq, received_at, body in rows:
        submission = readable(json.loads(body))  # stored as checked, canonical wire JSON
        inbox.append({"seq": seq, "received_at": received_at.isoformat(), "submission": submission})
    return inbox
