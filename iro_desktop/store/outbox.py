"""The outbox: what must leave the laptop, and where sync stands with the server.

Anything that must reach the sync server (escalation events, minutes submitted for sign-off)
is put here by `enqueue` in the same transaction as the change itself, so a change is never
saved without its outbox item or the other way round. Items are sent in the order they were
written. Nothing unsent is ever deleted: an item the server refuses is set aside with the
server's reason, stays visible, and can be retried or corrected. Like Anki's `usn = -1`,
"unsent" is a state of the row, not a separate queue that can be lost.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from iro_desktop.store import tables as t
from iro_desktop.store.escalation_repository import aware_utc, naive_utc
from iro_desktop.sync.protocol import (
    ChildFact,
    ProtocolError,
    ReviewFact,
    SignoffDecision,
    SignoffSubmission,
    SyncItem,
    item_from_wire,
    item_id,
    item_to_wire,
)

_NOT_EVENTS = (SignoffSubmission, SignoffDecision, ReviewFact, ChildFact)

PENDING = "pending"
SENT = "sent"
REJECTED = "rejected"
STATUSES = (PENDING, SENT, REJECTED)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    item_id: str
    kind: str
    escalation_id: str | None
    payload: dict[str, Any]
    created_at: datetime  # aware UTC, like every time this module hands out
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    status: str
    reject_reason: str
    last_error: str
    sent_at: datetime | None
    server_seq: int | None
    duplicate: bool
    server_conflict: str
    edited_at: datetime | None

    @property
    def wire_size(self) -> int:
        return len(json.dumps(self.payload, separators=(",", ":")))


def _entry(row: t.OutboxItem) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        item_id=row.item_id,
        kind=row.kind,
        escalation_id=row.escalation_id,
        payload=dict(row.payload),
        created_at=row.created_at.replace(tzinfo=UTC),
        attempts=row.attempts,
        next_attempt_at=aware_utc(row.next_attempt_at),
        last_attempt_at=aware_utc(row.last_attempt_at),
        status=row.status,
        reject_reason=row.reject_reason,
        last_error=row.last_error,
        sent_at=aware_utc(row.sent_at),
        server_seq=row.server_seq,
        duplicate=row.duplicate,
        server_conflict=row.server_conflict,
        edited_at=aware_utc(row.edited_at),
    )


def checked_wire(item: SyncItem) -> dict[str, Any]:
    """The item as it will travel, read back exactly as the server will read it.

    An item the server would refuse for its shape (a text beyond the protocol's limits, say)
    is refused here, while the IRO is still looking at it, rather than set aside later.
    """
    wire = item_to_wire(item)
    try:
        item_from_wire(json.loads(json.dumps(wire)))
    except ProtocolError as error:
        raise ValueError(f"This cannot be sent to the sync server: {error.reason}") from None
    return wire


def unsendable(entry: OutboxEntry) -> str | None:
    """Why a queued item cannot be sent as it is, or None if it can.

    `checked_wire` keeps such items out, but an older version queued some (a comment with a
    byte typed in a Latin-1 terminal, say). The sync client sets them aside with this reason
    instead of letting one item's encoding error stop every sync.
    """
    try:
        item_from_wire(entry.payload)
        json.dumps(entry.payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ProtocolError as error:
        return f"Not sent from this laptop: {error.reason}"
    except (ValueError, TypeError) as error:  # UnicodeEncodeError is a ValueError
        return f"Not sent from this laptop: it cannot be written as JSON text ({error})."
    return None


def enqueue(session: Session, item: SyncItem, *, now: datetime | None = None) -> OutboxEntry:
    """Queue `item` for the server in the caller's transaction (with the change it records).

    Any part of the program can call it, for example when minutes are submitted for sign-off
    (protocol.SignoffSubmission). Queuing the same item twice is refused.
    """
    wire = checked_wire(item)
    identifier = item_id(item)
    if session.scalar(select(t.OutboxItem.id).where(t.OutboxItem.item_id == identifier)):
        raise ValueError(f"Item {identifier} is already waiting to be sent.")
    row = t.OutboxItem(
        item_id=identifier,
        kind=str(item.kind),
        escalation_id=getattr(item, "escalation_id", None),
        payload=wire,
        created_at=naive_utc(now) if now else _now(),
        attempts=0,
        status=PENDING,
        reject_reason="",
        last_error="",
        duplicate=False,
        server_conflict="",
    )
    session.add(row)
    session.flush()
    return _entry(row)


def get(session: Session, identifier: str) -> OutboxEntry:
    row = session.scalar(select(t.OutboxItem).where(t.OutboxItem.item_id == identifier))
    if row is None:
        raise LookupError(f"No item {identifier} in the outbox.")
    return _entry(row)


def items(
    session: Session, status: str | None = None, escalation_id: str | None = None
) -> list[OutboxEntry]:
    query = select(t.OutboxItem).order_by(t.OutboxItem.id)
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"'{status}' is not an outbox status; use {', '.join(STATUSES)}.")
        query = query.where(t.OutboxItem.status == status)
    if escalation_id is not None:
        query = query.where(t.OutboxItem.escalation_id == escalation_id)
    return [_entry(r) for r in session.scalars(query)]


def held_escalations(session: Session) -> set[str]:
    """Escalations with an item set aside: their later items wait behind it, because the
    server would refuse them too (it has not got the earlier event they follow)."""
    return set(
        session.scalars(
            select(t.OutboxItem.escalation_id)
            .where(t.OutboxItem.status == REJECTED, t.OutboxItem.escalation_id.is_not(None))
            .distinct()
        )
    )


def next_batch(
    session: Session,
    *,
    limit: int,
    max_bytes: int,
    now: datetime | None = None,
    ignore_schedule: bool = False,
) -> tuple[list[OutboxEntry], int]:
    """The next items to push, oldest first, and how many pending items are held back.

    At most `limit` items and about `max_bytes` of JSON (always at least one item). Items
    whose retry time has not come are skipped unless `ignore_schedule` ("Sync now").
    """
    moment = naive_utc(now) if now else _now()
    item = t.OutboxItem
    blocked = (
        select(item.escalation_id, func.min(item.id).label("first"))
        .where(item.status == REJECTED, item.escalation_id.is_not(None))
        .group_by(item.escalation_id)
        .subquery()
    )
    held = session.scalar(
        select(func.count())
        .select_from(item)
        .join(blocked, item.escalation_id == blocked.c.escalation_id)
        .where(item.status == PENDING, item.id > blocked.c.first)
    )
    query = (
        select(item)
        .outerjoin(blocked, item.escalation_id == blocked.c.escalation_id)
        .where(item.status == PENDING, or_(blocked.c.first.is_(None), item.id < blocked.c.first))
        .order_by(item.id)
        .limit(limit)
    )
    if not ignore_schedule:
        query = query.where(or_(item.next_attempt_at.is_(None), item.next_attempt_at <= moment))
    chosen: list[OutboxEntry] = []
    size = 0
    for row in session.scalars(query):
        entry = _entry(row)
        if chosen and size + entry.wire_size > max_bytes:
            break
        chosen.append(entry)
        size += entry.wire_size
    return chosen, int(held or 0)


def _row(session: Session, identifier: str) -> t.OutboxItem:
    row = session.scalar(select(t.OutboxItem).where(t.OutboxItem.item_id == identifier))
    if row is None:
        raise LookupError(f"No item {identifier} in the outbox.")
    return row


def mark_sent(
    session: Session,
    identifier: str,
    *,
    seq: int | None,
    at: datetime,
    duplicate: bool = False,
    conflict: str | None = None,
) -> None:
    row = _row(session, identifier)
    row.status = SENT
    row.server_seq = seq
    row.sent_at = naive_utc(at)
    row.last_attempt_at = naive_utc(at)
    row.attempts += 1
    row.duplicate = duplicate
    row.server_conflict = conflict or ""
    row.last_error = ""
    row.next_attempt_at = None


@dataclass(frozen=True)
class Delivered:
    """The server's answer for one item it stored (or already had)."""

    item_id: str
    seq: int | None
    duplicate: bool = False
    conflict: str | None = None


def mark_delivered(session: Session, delivered: list[Delivered], *, at: datetime) -> None:
    """mark_sent for a whole batch at once: one UPDATE for what every item shares and one
    executemany for each item's own answer, with no rows loaded (a 1,000-item push)."""
    if not delivered:
        return
    moment = naive_utc(at)
    ids = [d.item_id for d in delivered]
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        session.execute(
            update(t.OutboxItem)
            .where(t.OutboxItem.item_id.in_(ids[start : start + 500]))
            .values(
                status=SENT,
                sent_at=moment,
                last_attempt_at=moment,
                attempts=t.OutboxItem.attempts + 1,
                last_error="",
                next_attempt_at=None,
            )
            .execution_options(synchronize_session=False)
        )
    table = cast(Table, t.OutboxItem.__table__)
    session.connection().execute(
        update(table)
        .where(table.c.item_id == bindparam("b_item_id"))
        .values(
            server_seq=bindparam("b_seq"),
            duplicate=bindparam("b_duplicate"),
            server_conflict=bindparam("b_conflict"),
        ),
        [
            {
                "b_item_id": d.item_id,
                "b_seq": d.seq,
                "b_duplicate": d.duplicate,
                "b_conflict": d.conflict or "",
            }
            for d in delivered
        ],
    )
    session.expire_all()  # rows already loaded in this unit of work read the new values


def mark_rejected(session: Session, identifier: str, reason: str, *, at: datetime) -> None:
    row = _row(session, identifier)
    row.status = REJECTED
    row.reject_reason = reason
    row.last_attempt_at = naive_utc(at)
    row.attempts += 1
    row.next_attempt_at = None


def mark_attempt_failed(
    session: Session,
    identifiers: list[str],
    error: str,
    *,
    at: datetime,
    retry_at: datetime | None,
) -> None:
    """The push did not get through (no answer): the items stay pending, as they were."""
    for identifier in identifiers:
        row = _row(session, identifier)
        if row.status != PENDING:
            continue
        row.attempts += 1
        row.last_attempt_at = naive_utc(at)
        row.last_error = error
        row.next_attempt_at = naive_utc(retry_at) if retry_at else None


def retry(session: Session, identifier: str) -> OutboxEntry:
    """Put a set-aside item back in the queue, as it is."""
    row = _row(session, identifier)
    if row.status != REJECTED:
        raise ValueError("Only an item the server set aside can be retried.")
    row.status = PENDING
    row.next_attempt_at = None
    session.flush()
    return _entry(row)


def replace_payload(
    session: Session, identifier: str, item: SyncItem, *, at: datetime
) -> OutboxEntry:
    """Correct a set-aside item (same id: the server has never stored it) and queue it again."""
    row = _row(session, identifier)
    if row.status != REJECTED:
        raise ValueError("Only an item the server set aside can be corrected.")
    if item_id(item) != identifier or str(item.kind) != row.kind:
        raise ValueError("A correction keeps the item's id and kind.")
    row.payload = checked_wire(item)
    row.status = PENDING
    row.edited_at = naive_utc(at)
    row.next_attempt_at = None
    session.flush()
    return _entry(row)


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    rejected: int
    oldest_unsent_at: datetime | None  # aware UTC

    @property
    def unsent(self) -> int:
        return self.pending + self.rejected


def summary(session: Session) -> OutboxSummary:
    counts = dict(
        session.execute(
            select(t.OutboxItem.status, func.count())
            .where(t.OutboxItem.status != SENT)
            .group_by(t.OutboxItem.status)
        ).all()
    )
    oldest = session.scalar(
        select(func.min(t.OutboxItem.created_at)).where(t.OutboxItem.status != SENT)
    )
    return OutboxSummary(
        pending=int(counts.get(PENDING, 0)),
        rejected=int(counts.get(REJECTED, 0)),
        oldest_unsent_at=aware_utc(oldest),
    )


def unsent_by_escalation(session: Session) -> dict[str, int]:
    return {
        str(escalation_id): int(n)
        for escalation_id, n in session.execute(
            select(t.OutboxItem.escalation_id, func.count())
            .where(t.OutboxItem.status != SENT, t.OutboxItem.escalation_id.is_not(None))
            .group_by(t.OutboxItem.escalation_id)
        )
    }


def rejected_by_escalation(session: Session) -> dict[str, int]:
    return {
        str(escalation_id): int(n)
        for escalation_id, n in session.execute(
            select(t.OutboxItem.escalation_id, func.count())
            .where(t.OutboxItem.status == REJECTED, t.OutboxItem.escalation_id.is_not(None))
            .group_by(t.OutboxItem.escalation_id)
        )
    }


# --- where sync stands ------------------------------------------------------------------------


def state_key(server_url: str, username: str) -> str:
    return f"{username}@{server_url}"


@dataclass(frozen=True)
class SyncStateView:
    key: str
    server_url: str
    username: str
    client_id: str
    cursor: int
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str
    failures: int
    next_attempt_at: datetime | None
    token: str | None
    token_expires_at: datetime | None


def _state_view(row: t.SyncState) -> SyncStateView:
    return SyncStateView(
        key=row.key,
        server_url=row.server_url,
        username=row.username,
        client_id=row.client_id,
        cursor=row.cursor,
        last_attempt_at=aware_utc(row.last_attempt_at),
        last_success_at=aware_utc(row.last_success_at),
        last_error=row.last_error,
        failures=row.failures,
        next_attempt_at=aware_utc(row.next_attempt_at),
        token=row.token,
        token_expires_at=aware_utc(row.token_expires_at),
    )


def sync_state(session: Session, server_url: str, username: str) -> SyncStateView:
    """The state for this server and user, created (cursor 0, a new client id) if new."""
    key = state_key(server_url, username)
    row = session.get(t.SyncState, key)
    if row is None:
        row = t.SyncState(
            key=key,
            server_url=server_url,
            username=username,
            client_id=f"desk-{uuid.uuid4().hex[:20]}",
            cursor=0,
            last_error="",
            failures=0,
        )
        session.add(row)
        session.flush()
    return _state_view(row)


def find_sync_state(session: Session, key: str) -> SyncStateView | None:
    row = session.get(t.SyncState, key)
    return _state_view(row) if row is not None else None


def latest_sync_state(session: Session) -> SyncStateView | None:
    """The most recently used server (for the status bar when settings name none)."""
    row = session.scalar(
        select(t.SyncState)
        .where(t.SyncState.key.not_like(f"{_BINDING}%"))
        .order_by(t.SyncState.last_attempt_at.is_(None), t.SyncState.last_attempt_at.desc())
    )
    return _state_view(row) if row is not None else None


def update_sync_state(session: Session, key: str, **changes: Any) -> None:
    row = session.get(t.SyncState, key)
    if row is None:
        raise LookupError(f"No sync state {key}.")
    for name, value in changes.items():
        if isinstance(value, datetime):
            value = naive_utc(value)
        setattr(row, name, value)


# --- items pulled from the server that are not escalation events ----------------------------


@dataclass(frozen=True)
class InboxEntry:
    item_id: str
    kind: str
    server_seq: int
    received_at: datetime
    pulled_at: datetime
    payload: dict[str, Any]
    handled_at: datetime | None
    handled_by: str | None


def _inbox_entry(row: t.SyncInboxItem) -> InboxEntry:
    return InboxEntry(
        item_id=row.item_id,
        kind=row.kind,
        server_seq=row.server_seq,
        received_at=row.received_at.replace(tzinfo=UTC),
        pulled_at=row.pulled_at.replace(tzinfo=UTC),
        payload=dict(row.payload),
        handled_at=aware_utc(row.handled_at),
        handled_by=row.handled_by,
    )


def store_pulled(
    session: Session, item: SyncItem, *, seq: int, received_at: datetime, at: datetime
) -> bool:
    identifier = item_id(item)
    if session.get(t.SyncInboxItem, identifier) is not None:
        return False
    session.add(
        t.SyncInboxItem(
            item_id=identifier,
            kind=str(item.kind),
            server_seq=seq,
            received_at=naive_utc(received_at),
            pulled_at=naive_utc(at),
            payload=item_to_wire(item),
        )
    )
    session.flush()
    return True


def inbox(session: Session, kind: str | None = None, *, unhandled: bool = True) -> list[InboxEntry]:
    query = select(t.SyncInboxItem).order_by(t.SyncInboxItem.server_seq)
    if kind is not None:
        query = query.where(t.SyncInboxItem.kind == kind)
    if unhandled:
        query = query.where(t.SyncInboxItem.handled_at.is_(None))
    return [_inbox_entry(r) for r in session.scalars(query)]


def mark_handled(session: Session, identifier: str, *, by: str, at: datetime) -> None:
    row = session.get(t.SyncInboxItem, identifier)
    if row is None:
        raise LookupError(f"No pulled item {identifier}.")
    if row.handled_at is None:
        row.handled_at = naive_utc(at)
        row.handled_by = by


# --- which server account this laptop's login is ------------------------------------------------

# Bindings are kept as rows of the sync-state table under their own key ("login:NAME"), so
# no schema change was needed; a server user name never contains ":", so the keys cannot
# meet a server's row ("user@url").
_BINDING = "login:"
_AUTHOR_FIELDS = {"signoff": "submitted_by", "signoff_decision": "decided_by"}


@dataclass(frozen=True)
class AccountBinding:
    """The laptop's login `login` is the sync server's user `account` (set at first sign-in)."""

    login: str
    account: str
    server_url: str
    bound_at: datetime | None


def account_binding(session: Session, login: str) -> AccountBinding | None:
    row = session.get(t.SyncState, f"{_BINDING}{login}")
    if row is None:
        return None
    return AccountBinding(login, row.username, row.server_url, aware_utc(row.last_success_at))


def bound_accounts(session: Session) -> dict[str, str]:
    """Every login on this laptop that is bound, and its server account."""
    rows = session.scalars(select(t.SyncState).where(t.SyncState.key.like(f"{_BINDING}%")))
    return {row.key.removeprefix(_BINDING): row.username for row in rows}


def bind_account(
    session: Session, login: str, account: str, server_url: str, *, at: datetime
) -> AccountBinding:
    """Link `login` to `account` for good; refused if it is linked to another account."""
    known = account_binding(session, login)
    if known is not None:
        if known.account != account:
            raise ValueError(f"The login '{login}' is already linked to '{known.account}'.")
        return known
    session.add(
        t.SyncState(
            key=f"{_BINDING}{login}",
            server_url=server_url,
            username=account,
            client_id="",
            cursor=0,
            last_error="",
            failures=0,
            last_success_at=naive_utc(at),
        )
    )
    session.flush()
    return AccountBinding(login, account, server_url, at)


def local_logins(session: Session) -> set[str]:
    return set(session.scalars(select(t.User.username)))


def item_author_field(kind: str) -> str:
    return _AUTHOR_FIELDS.get(kind, "author")


def reattribute_unsent(session: Session, account: str, *, others: set[str]) -> list[str]:
    """Attribute to `account` every unsent item not by it nor by another login here.

    The laptop's items were written under its login name (or a user name typed before the
    first sign-in); the server accepts an item only from its author, so once the login is
    bound to an account they are that account's. Items by the laptop's other logins (a
    manager who signs off here) and their accounts, in `others`, are left alone. An item set
    aside only because its author was not the signed-in user is queued again. Returns the
    ids of the items changed. Their escalation events here are changed with them: the
    server has never stored them, so nothing anyone has seen changes.
    """
    from iro_desktop.store import escalation_repository as events_repo

    changed: list[str] = []
    rows = session.scalars(select(t.OutboxItem).where(t.OutboxItem.status != SENT))
    for row in rows:
        field_name = item_author_field(row.kind)
        author = row.payload.get(field_name)
        if not isinstance(author, str) or author == account or author in others:
            continue
        payload = {**row.payload, field_name: account}
        row.payload = payload
        if row.status == REJECTED and "is not the signed-in user" in row.reject_reason:
            row.status = PENDING
            row.next_attempt_at = None
        if row.escalation_id is not None:
            try:
                item = item_from_wire(payload)
            except ProtocolError:
                item = None  # set aside as unsendable anyway; its log entry stays as it was
            if item is not None and not isinstance(item, _NOT_EVENTS):
                # Not in this laptop's log, or already on the server: the log stays as it is.
                with contextlib.suppress(LookupError, ValueError):
                    events_repo.replace_unsent_event(session, item)
        changed.append(row.item_id)
    session.flush()
    return changed
