"""What others did that concerns the caller, since the caller's cursor.

For an IRO: managers' events on the IRO's escalations and decisions on their submissions.
For a manager: their team's escalation events and submissions. Items the caller sent
themselves are left out: their laptop already has them.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from iro_desktop.server.access import visible_owners
from iro_desktop.server.auth import Caller
from iro_desktop.server.db import Database
from iro_desktop.server.tables import Item
from iro_desktop.sync.protocol import PulledItem, PullResponse, item_from_wire


def pull(db: Database, caller: Caller, since: int, limit: int) -> PullResponse:
    with db.read() as session:
        # Read the counter first and go no further than it: every item up to it is committed
        # (pushes commit in sequence order), so the cursor returned never skips one.
        last = db.last_seq(session)
        query = select(Item).where(
            Item.seq > since, Item.seq <= last, Item.author_name != caller.name
        )
        visible = visible_owners(session, caller)
        if visible is not None:
            query = query.where(Item.owner_name.in_(visible))
        rows = session.execute(query.order_by(Item.seq).limit(limit + 1)).scalars().all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = tuple(
            PulledItem(
                seq=row.seq, received_at=row.received_at, item=item_from_wire(json.loads(row.body))
            )
            for row in rows
        )
        # Normally `last` >= since; if the server was restored from an older backup it is
        # lower, and the client's next pull re-reads from there (duplicates are harmless).
        cursor = rows[-1].seq if more else last
    return PullResponse(cursor=cursor, items=items, more=more)
