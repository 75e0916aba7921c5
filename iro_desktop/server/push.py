"""Receiving a batch of items: each judged on its own, all stored in one transaction.

A bad item is rejected with its reason and the rest are stored (one bad record must not block
a laptop's whole queue). An item already received is a duplicate and stores nothing new, so
a client may always retry. The transaction commits before the server answers: if the server
dies mid-push nothing of the batch is stored and the client's retry stores it exactly once.
An escalation event that does not fit what the server already holds (say, the escalation was
resolved while the IRO was offline) is stored and reported as a conflict, never dropped.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop.domain.escalation import (
    EscalationEvent,
    EscalationRaised,
    EscalationState,
    fold,
    replay,
    start,
)
from iro_desktop.server.access import may_access, visible_owners
from iro_desktop.server.auth import Caller
from iro_desktop.server.config import ServerConfig
from iro_desktop.server.db import Database
from iro_desktop.server.tables import Counter, Escalation, Item, Submission
from iro_desktop.sync.protocol import (
    DecodedBatch,
    DecodedItem,
    ItemResult,
    ItemStatus,
    PushResponse,
    SignoffDecision,
    SignoffSubmission,
    SyncItem,
    escalation_event_from_wire,
    item_author,
    item_id,
    item_to_wire,
)


class _Refused(Exception):
    pass


def canonical(item: SyncItem) -> str:
    return json.dumps(item_to_wire(item), sort_keys=True, separators=(",", ":"))


def load_escalation(session: Session, config: ServerConfig, escalation_id: str) -> EscalationState:
    bodies = session.execute(
        select(Item.body).where(Item.escalation_id == escalation_id).order_by(Item.seq)
    ).scalars()
    events = [escalation_event_from_wire(json.loads(body)) for body in bodies]
    return replay(config.protocol, events, config.calendar)


@dataclass
class _Push:
    session: Session
    config: ServerConfig
    caller: Caller
    visible: frozenset[str] | None
    client_id: str
    now: datetime
    seq: int
    states: dict[str, EscalationState] = field(default_factory=dict)

    def handle(self, entry: DecodedItem) -> ItemResult:
        def rejected(reason: str) -> ItemResult:
            return ItemResult(entry.index, entry.item_id, ItemStatus.REJECTED, reason=reason)

        if entry.item is None:
            return rejected(entry.error or "The item could not be read.")
        item = entry.item
        body = canonical(item)
        stored = self.session.execute(
            select(Item.seq, Item.body).where(Item.item_id == item_id(item))
        ).first()
        if stored is not None:
            if stored.body != body:
                return rejected(
                    f"An item with id {item_id(item)} was already received with different "
                    "content; a changed item needs a new id."
                )
            return ItemResult(entry.index, entry.item_id, ItemStatus.DUPLICATE, seq=stored.seq)
        author = item_author(item)
        if author != self.caller.name:
            return rejected(
                f"The item's author '{author}' is not the signed-in user '{self.caller.name}'."
            )
        try:
            seq, conflict = self._admit(item, body)
        except _Refused as refusal:
            return rejected(str(refusal))
        return ItemResult(
            entry.index, entry.item_id, ItemStatus.ACCEPTED, seq=seq, conflict=conflict
        )

    def _store(self, item: SyncItem, body: str, owner: str) -> int:
        self.seq += 1
        self.session.add(
            Item(
                seq=self.seq,
                item_id=item_id(item),
                kind=str(item.kind),
                escalation_id=getattr(item, "escalation_id", None),
                owner_name=owner,
                author_name=item_author(item),
                client_id=self.client_id,
                received_at=self.now,
                body=body,
            )
        )
        return self.seq

    def _admit(self, item: SyncItem, body: str) -> tuple[int, str | None]:
        if isinstance(item, SignoffSubmission):
            return self._submission(item, body), None
        if isinstance(item, SignoffDecision):
            return self._decision(item, body), None
        if isinstance(item, EscalationRaised):
            return self._raised(item, body), None
        return self._escalation_event(item, body)

    def _raised(self, item: EscalationRaised, body: str) -> int:
        if self.session.get(Escalation, item.escalation_id) is not None:
            raise _Refused(
                f"Escalation {item.escalation_id} already exists; a new escalation needs a new id."
            )
        seq = self._store(item, body, owner=self.caller.name)
        self.session.add(
            Escalation(
                escalation_id=item.escalation_id, owner_name=self.caller.name, raised_seq=seq
            )
        )
        self.states[item.escalation_id] = start(self.config.protocol, item, self.config.calendar)
        return seq

    def _escalation_event(self, item: EscalationEvent, body: str) -> tuple[int, str | None]:
        escalation_id = item.escalation_id
        escalation = self.session.get(Escalation, escalation_id)
        if escalation is None:
            raise _Refused(
                f"Escalation {escalation_id} is not known to the server; send its 'raised' "
                "event first."
            )
        if not may_access(self.visible, escalation.owner_name):
            raise _Refused(
                f"Escalation {escalation_id} is not one of yours or your team's, so you "
                "cannot add to it."
            )
        state = self.states.get(escalation_id)
        if state is None:
            state = load_escalation(self.session, self.config, escalation_id)
        state, conflicts = fold(state, [item])
        self.states[escalation_id] = state
        seq = self._store(item, body, owner=escalation.owner_name)
        return seq, conflicts[0].reason if conflicts else None

    def _submission(self, item: SignoffSubmission, body: str) -> int:
        earlier = self.session.execute(
            select(Submission.item_id).where(
                Submission.owner_name == self.caller.name,
                Submission.review_id == item.review_id,
                Submission.version == item.version,
            )
        ).scalar_one_or_none()
        if earlier is not None:
            raise _Refused(
                f"Version {item.version} of review {item.review_id} was already submitted "
                f"(as item {earlier}); send changes as a new version."
            )
        seq = self._store(item, body, owner=self.caller.name)
        self.session.add(
            Submission(
                item_id=item.item_id,
                owner_name=self.caller.name,
                review_id=item.review_id,
                version=item.version,
                seq=seq,
            )
        )
        return seq

    def _decision(self, item: SignoffDecision, body: str) -> int:
        if self.caller.role not in ("manager", "admin"):
            raise _Refused("Only a manager or an admin can sign off a review.")
        submission = self.session.get(Submission, item.submission_id)
        if submission is None:
            raise _Refused(f"Submission {item.submission_id} is not known to the server.")
        if not may_access(self.visible, submission.owner_name):
            raise _Refused(
                f"Submission {item.submission_id} is not from your team, so you cannot sign it off."
            )
        if submission.owner_name == self.caller.name:
            raise _Refused("You cannot sign off your own submission.")
        if submission.decision is not None:
            raise _Refused(
                f"Version {submission.version} of review {submission.review_id} was already "
                f"{submission.decision} by {submission.decided_by}."
            )
        seq = self._store(item, body, owner=submission.owner_name)
        submission.decision = item.decision.value
        submission.decided_by = self.caller.name
        submission.decision_seq = seq
        return seq


def _pause_for_fault_test(config: ServerConfig) -> None:
    if config.fault_pause_marker is not None:
        config.fault_pause_marker.write_text("paused before commit\n")
        time.sleep(120)


def push(
    db: Database, config: ServerConfig, caller: Caller, batch: DecodedBatch, now: datetime
) -> PushResponse:
    with db.write() as session:
        # Locking the counter row orders pushes: sequence order is commit order, so a pull
        # never skips an item that commits later with a lower number.
        counter = session.execute(
            select(Counter).where(Counter.id == 1).with_for_update()
        ).scalar_one()
        work = _Push(
            session=session,
            config=config,
            caller=caller,
            visible=visible_owners(session, caller),
            client_id=batch.client_id,
            now=now,
            seq=counter.value,
        )
        results = tuple(work.handle(entry) for entry in batch.items)
        counter.value = work.seq
        session.flush()
        _pause_for_fault_test(config)
    return PushResponse(results=results)
