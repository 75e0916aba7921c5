"""What others did that concerns the caller, since the caller's cursor.

For an IRO: managers' events on the IRO's escalations and decisions on their submissions.
For a manager: their team's escalation events and submissions. Items the caller sent
themselves are left out: their laptop already has them.

Stored items are read tolerantly: a character that is not text (stored before the server
refused them) comes out as U+FFFD, and an item that still cannot be read is left out with a
log line rather than failing this and every later pull.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from iro_desktop.server.access import visible_owners
from iro_desktop.server.auth import Caller
from iro_desktop.server.db import Database
from iro_desktop.server.tables import Item
from iro_desktop.sync.protocol import (
    FACT_KINDS,
    PulledItem,
    PullResponse,
    SyncItem,
    item_from_wire,
    readable,
)

log = logging.getLogger(__name__)


def _stored_item(seq: int, body: str) -> SyncItem | None:
    try:
        return item_from_wire(readable(json.loads(body)))
    except ValueError as error:
        log.warning("Stored item %s cannot be read and is left out of pulls: %s", seq, error)
        return None


def pull(db: Database, caller: Caller, since: int, limit: int) -> PullResponse:
    with db.read() as session:
        # Read the counter first and go no further than it: every item up to it is committed
        # (pushes commit in sequence order), so the cursor returned never skips one.
        last = db.last_seq(session)
        query = select(Item).where(
            Item.seq > since,
            Item.seq <= last,
            Item.author_name != caller.name,
            # Report facts are for the service's report only: no laptop gets another's.
            Item.kind.not_in(sorted(FACT_KINDS)),
        )
        visible = visible_owners(session, caller)
        if visible is not None:
            query = query.where(Item.owner_name.in_(visible))
        rows = session.execute(query.order_by(Item.seq).limit(limit + 1)).scalars().all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = tuple(
            PulledItem(seq=row.seq, received_at=row.received_at, item=item)
            for row in rows
            if (item := _stored_item(row.seq, row.body)) is not None
        )
        # Normally `last` >= since; if the server was restored from an older backup it is
        # lower, and the client's next pull re-reads from there (duplicates are harmless).
        cursor = rows[-1].seq if more else last
    return PullResponse(cursor=cursor, items=items, more=more)
