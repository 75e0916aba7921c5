"""Receiving a batch of items: each judged on its own, all stored in one transaction.

A bad item is rejected with its reason and the rest are stored (one bad record must not block
a laptop's whole queue). An item already received is a duplicate and stores nothing new, so
a client may always retry. The transaction commits before the server answers: if the server
dies mid-push nothing of the batch is stored and the client's retry stores it exactly once.
An escalation event that does not fit what the server already holds (say, the escalation was
resolved while the IRO was offline) is stored and reported as a conflict, never dropped.

Speed: a batch costs a handful of queries, not several per item. Everything the items might
need (stored ids, escalations and their events so far, submissions) is read up front with
one `IN (...)` query per table, items are judged in memory against that plus what earlier
items of the same batch added, and the new rows go in with one multi-row insert per table.
The result is the same as judging and storing the items one at a time, in batch order.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
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
from iro_desktop.server.tables import Base, Counter, Escalation, Item, ReportFact, Submission
from iro_desktop.sync.protocol import (
    ChildFact,
    DecodedBatch,
    DecodedItem,
    ItemResult,
    ItemStatus,
    ProtocolError,
    PushResponse,
    ReviewFact,
    SignoffDecision,
    SignoffSubmission,
    SyncItem,
    escalation_event_from_wire,
    fact_key,
    item_author,
    item_from_wire,
    item_id,
    item_to_wire,
)

log = logging.getLogger(__name__)

# The tables themselves, for Core multi-row statements (no ORM objects to track per row).
_ITEMS = Base.metadata.tables[Item.__tablename__]
_ESCALATIONS = Base.metadata.tables[Escalation.__tablename__]
_SUBMISSIONS = Base.metadata.tables[Submission.__tablename__]
_FACTS = Base.metadata.tables[ReportFact.__tablename__]

# Bound on values per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
_IN_CHUNK = 500


class _Refused(Exception):
    pass


def canonical(item: SyncItem) -> str:
    return json.dumps(item_to_wire(item), sort_keys=True, separators=(",", ":"))


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(values))
    for start_at in range(0, len(ordered), _IN_CHUNK):
        yield ordered[start_at : start_at + _IN_CHUNK]


def stored_event(body: str) -> EscalationEvent | None:
    """A stored escalation event, read tolerantly; None (and a log line) if it cannot be."""
    try:
        data = json.loads(body)
        try:
            # Nearly every stored event passes the strict reading, which is the quicker.
            item = item_from_wire(data)
            if not isinstance(item, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact):
                return item
        except ProtocolError:
            pass
        return escalation_event_from_wire(data)  # tolerantly (see protocol.readable)
    except ValueError as error:  # stored by an older, less strict server
        log.warning("A stored escalation event cannot be read and is left out: %s", error)
        return None


def load_escalation(session: Session, config: ServerConfig, escalation_id: str) -> EscalationState:
    return load_escalations(session, config, [escalation_id])[escalation_id]


def load_escalations(
    session: Session, config: ServerConfig, escalation_ids: Iterable[str]
) -> dict[str, EscalationState]:
    """The stored state of each escalation, replayed from its events in log order."""
    events: dict[str, list[EscalationEvent]] = {}
    for chunk in _chunks(escalation_ids):
        rows = session.execute(
            select(Item.escalation_id, Item.body)
            .where(Item.escalation_id.in_(chunk))
            .order_by(Item.seq)
        )
        for escalation_id, body in rows:
            event = stored_event(body)
            if event is not None:
                events.setdefault(str(escalation_id), []).append(event)
    return {
        escalation_id: replay(config.protocol, stored, config.calendar)
        for escalation_id, stored in events.items()
    }


@dataclass
class _Submission:
    """A sign-off submission as this push sees it: stored before, or added by this batch."""

    item_id: str
    owner_name: str
    review_id: str
    version: int
    seq: int
    decision: str | None = None
    decided_by: str | None = None
    decision_seq: int | None = None
    is_new: bool = False
    decided_now: bool = False


@dataclass
class _Push:
    session: Session
    config: ServerConfig
    caller: Caller
    visible: frozenset[str] | None
    client_id: str
    now: datetime
    seq: int
    # Item id -> (seq, canonical body) of items stored before this push or by it.
    stored: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Escalation id -> owner name, for the escalations this batch refers to.
    owners: dict[str, str] = field(default_factory=dict)
    states: dict[str, EscalationState] = field(default_factory=dict)
    submissions: dict[str, _Submission] = field(default_factory=dict)
    # (review id, version) -> item id of the caller's submissions this batch refers to.
    # (review, version) -> the latest submission's item id and its decision so far
    versions: dict[tuple[str, int], tuple[str, str | None]] = field(default_factory=dict)
    new_items: list[dict[str, Any]] = field(default_factory=list)
    new_escalations: list[dict[str, Any]] = field(default_factory=list)
    # Report fact key -> its row: the latest fact of this batch about each review or child.
    new_facts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def prefetch(self, entries: Sequence[DecodedItem]) -> None:
        """Read up front, a query per table, whatever the batch's items may need."""
        items = [entry.item for entry in entries if entry.item is not None]
        session = self.session
        for chunk in _chunks(item_id(item) for item in items):
            rows = session.execute(
                select(Item.item_id, Item.seq, Item.body).where(Item.item_id.in_(chunk))
            )
            self.stored.update((row.item_id, (row.seq, row.body)) for row in rows)
        fresh = [item for item in items if item_id(item) not in self.stored]

        referred = {
            item.escalation_id
            for item in fresh
            if not isinstance(item, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact)
        }
        for chunk in _chunks(referred):
            rows = session.execute(
                select(Escalation.escalation_id, Escalation.owner_name).where(
                    Escalation.escalation_id.in_(chunk)
                )
            )
            self.owners.update((row.escalation_id, row.owner_name) for row in rows)
        # Only escalations an event will actually be folded into: replaying costs.
        to_replay = {
            item.escalation_id
            for item in fresh
            if not isinstance(
                item,
                SignoffSubmission | SignoffDecision | EscalationRaised | ReviewFact | ChildFact,
            )
            and item.escalation_id in self.owners
            and may_access(self.visible, self.owners[item.escalation_id])
        }
        if to_replay:
            self.states.update(load_escalations(session, self.config, to_replay))

        decided = {item.submission_id for item in fresh if isinstance(item, SignoffDecision)}
        for chunk in _chunks(decided):
            rows = session.execute(
                select(
                    Submission.item_id,
                    Submission.owner_name,
                    Submission.review_id,
                    Submission.version,
                    Submission.seq,
                    Submission.decision,
                    Submission.decided_by,
                    Submission.decision_seq,
                ).where(Submission.item_id.in_(chunk))
            )
            for row in rows:
                self.submissions[row.item_id] = _Submission(
                    item_id=row.item_id,
                    owner_name=row.owner_name,
                    review_id=row.review_id,
                    version=row.version,
                    seq=row.seq,
                    decision=row.decision,
                    decided_by=row.decided_by,
                    decision_seq=row.decision_seq,
                )
        reviews = {item.review_id for item in fresh if isinstance(item, SignoffSubmission)}
        for chunk in _chunks(reviews):
            rows = session.execute(
                select(
                    Submission.review_id,
                    Submission.version,
                    Submission.item_id,
                    Submission.seq,
                    Submission.decision,
                )
                .where(Submission.owner_name == self.caller.name, Submission.review_id.in_(chunk))
                .order_by(Submission.seq)
            )
            self.versions.update(
                ((row.review_id, row.version), (row.item_id, row.decision)) for row in rows
            )

    def handle(self, entry: DecodedItem) -> ItemResult:
        def rejected(reason: str) -> ItemResult:
            return ItemResult(entry.index, entry.item_id, ItemStatus.REJECTED, reason=reason)

        if entry.item is None:
            return rejected(entry.error or "The item could not be read.")
        item = entry.item
        body = canonical(item)
        stored = self.stored.get(item_id(item))
        if stored is not None:
            if stored[1] != body:
                return rejected(
                    f"An item with id {item_id(item)} was already received with different "
                    "content; a changed item needs a new id."
                )
            return ItemResult(entry.index, entry.item_id, ItemStatus.DUPLICATE, seq=stored[0])
        author = item_author(item)
        if author != self.caller.name:
            return rejected(
                f"The item's author '{author}' is not the signed-in user '{self.caller.name}'."
            )
        try:
            seq, conflict = self._admit(item, body)
        except _Refused as refusal:
            return rejected(str(refusal))
        except (ValueError, OverflowError) as error:
            # The domain could not fold it in (a date its calendar cannot count from, say):
            # this item is refused, and nothing of it was kept; the batch goes on.
            return rejected(f"The item does not fit its escalation: {error}")
        return ItemResult(
            entry.index, entry.item_id, ItemStatus.ACCEPTED, seq=seq, conflict=conflict
        )

    def _store(self, item: SyncItem, body: str, owner: str) -> int:
        self.seq += 1
        identity = item_id(item)
        self.stored[identity] = (self.seq, body)
        self.new_items.append(
            {
                "seq": self.seq,
                "item_id": identity,
                "kind": str(item.kind),
                "escalation_id": getattr(item, "escalation_id", None),
                "owner_name": owner,
                "author_name": item_author(item),
                "client_id": self.client_id,
                "received_at": self.now,
                "body": body,
            }
        )
        return self.seq

    def _admit(self, item: SyncItem, body: str) -> tuple[int, str | None]:
        if isinstance(item, SignoffSubmission):
            return self._submission(item, body), None
        if isinstance(item, SignoffDecision):
            return self._decision(item, body), None
        if isinstance(item, ReviewFact | ChildFact):
            return self._fact(item, body), None
        if isinstance(item, EscalationRaised):
            return self._raised(item, body), None
        return self._escalation_event(item, body)

    def _fact(self, item: ReviewFact | ChildFact, body: str) -> int:
        """A name-free report fact: logged like any item, and the latest one about its
        review or child kept in report_facts (a later push replaces it)."""
        seq = self._store(item, body, owner=self.caller.name)
        key = fact_key(item)
        dates = item.dates() if isinstance(item, ReviewFact) else ()
        self.new_facts[key] = {
            "fact_key": key,
            "kind": item.kind,
            "owner_name": self.caller.name,
            "seq": seq,
            "first_on": min(dates, default=None),
            "last_on": max(dates, default=None),
            "body": body,
        }
        return seq

    def _raised(self, item: EscalationRaised, body: str) -> int:
        if item.escalation_id in self.owners:
            raise _Refused(
                f"Escalation {item.escalation_id} already exists; a new escalation needs a new id."
            )
        # Worked out before anything is kept, so an item the domain refuses leaves no trace.
        state = start(self.config.protocol, item, self.config.calendar)
        seq = self._store(item, body, owner=self.caller.name)
        self.owners[item.escalation_id] = self.caller.name
        self.new_escalations.append(
            {
                "escalation_id": item.escalation_id,
                "owner_name": self.caller.name,
                "raised_seq": seq,
            }
        )
        self.states[item.escalation_id] = state
        return seq

    def _escalation_event(self, item: EscalationEvent, body: str) -> tuple[int, str | None]:
        escalation_id = item.escalation_id
        owner = self.owners.get(escalation_id)
        if owner is None:
            raise _Refused(
                f"Escalation {escalation_id} is not known to the server; send its 'raised' "
                "event first."
            )
        if not may_access(self.visible, owner):
            raise _Refused(
                f"Escalation {escalation_id} is not one of yours or your team's, so you "
                "cannot add to it."
            )
        state = self.states.get(escalation_id)
        if state is None:  # not foreseen by prefetch; cannot happen, but never guess
            state = load_escalation(self.session, self.config, escalation_id)
        state, conflicts = fold(state, [item])
        self.states[escalation_id] = state
        seq = self._store(item, body, owner=owner)
        return seq, conflicts[0].reason if conflicts else None

    def _submission(self, item: SignoffSubmission, body: str) -> int:
        earlier = self.versions.get((item.review_id, item.version))
        if earlier is not None:
            earlier_id, decision = earlier
            in_batch = self.submissions.get(earlier_id)
            if in_batch is not None:
                decision = in_batch.decision
            # A letter the manager returned comes back as the same version with new text;
            # anything else submitted twice is a mistake (corrections are new versions).
            if decision != "returned":
                raise _Refused(
                    f"Version {item.version} of review {item.review_id} was already submitted "
                    f"(as item {earlier_id}); send changes as a new version."
                )
        seq = self._store(item, body, owner=self.caller.name)
        self.versions[(item.review_id, item.version)] = (item.item_id, None)
        self.submissions[item.item_id] = _Submission(
            item_id=item.item_id,
            owner_name=self.caller.name,
            review_id=item.review_id,
            version=item.version,
            seq=seq,
            is_new=True,
        )
        return seq

    def _decision(self, item: SignoffDecision, body: str) -> int:
        if self.caller.role not in ("manager", "admin"):
            raise _Refused("Only a manager or an admin can sign off a review.")
        submission = self.submissions.get(item.submission_id)
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
        submission.decided_now = True
        return seq

    def write(self) -> None:
        """The batch's new rows, one multi-row statement per table."""
        session = self.session
        if self.new_items:
            session.execute(insert(_ITEMS), self.new_items)
        if self.new_escalations:
            session.execute(insert(_ESCALATIONS), self.new_escalations)
        if self.new_facts:
            # Replace, portably: what this batch says about a review or child is the latest.
            for chunk in _chunks(self.new_facts):
                session.execute(delete(_FACTS).where(_FACTS.c.fact_key.in_(chunk)))
            session.execute(insert(_FACTS), list(self.new_facts.values()))
        added = [s for s in self.submissions.values() if s.is_new]
        if added:
            session.execute(
                insert(_SUBMISSIONS),
                [
                    {
                        "item_id": s.item_id,
                        "owner_name": s.owner_name,
                        "review_id": s.review_id,
                        "version": s.version,
                        "seq": s.seq,
                        "decision": s.decision,
                        "decided_by": s.decided_by,
                        "decision_seq": s.decision_seq,
                    }
                    for s in added
                ],
            )
        decided = [s for s in self.submissions.values() if s.decided_now and not s.is_new]
        if decided:
            table = _SUBMISSIONS
            session.execute(
                update(table)
                .where(table.c.item_id == bindparam("key"))
                .values(
                    decision=bindparam("decision"),
                    decided_by=bindparam("decided_by"),
                    decision_seq=bindparam("decision_seq"),
                ),
                [
                    {
                        "key": s.item_id,
                        "decision": s.decision,
                        "decided_by": s.decided_by,
                        "decision_seq": s.decision_seq,
                    }
                    for s in decided
                ],
            )


def _pause_for_fault_test(config: ServerConfig) -> None:
    if config.fault_pause_marker is not None:
        config.fault_pause_marker.write_text("paused before commit\n")
        time.sleep(120)


def push(
    db: Database, config: ServerConfig, caller: Caller, batch: DecodedBatch, now: datetime
) -> PushResponse:
    with db.write() as session:
        # Locking the counter row orders pushes: sequence order is commit order, so a pull
        # never skips an item that commits later with a lower number. Everything below is
        # read after the lock, so it sees every push committed before this one.
        last = session.execute(
            select(Counter.value).where(Counter.id == 1).with_for_update()
        ).scalar_one()
        work = _Push(
            session=session,
            config=config,
            caller=caller,
            visible=visible_owners(session, caller),
            client_id=batch.client_id,
            now=now,
            seq=last,
        )
        work.prefetch(batch.items)
        results = tuple(work.handle(entry) for entry in batch.items)
        work.write()
        if work.seq != last:
            session.execute(update(Counter).where(Counter.id == 1).values(value=work.seq))
        _pause_for_fault_test(config)
    return PushResponse(results=results)
