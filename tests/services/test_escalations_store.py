"""The escalation log and the outbox in the store: schema 0004 matches the ORM, the log is
read back in the server's order, and items wait behind an earlier item set aside."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from iro_desktop.domain.escalation import (
    MANCHESTER,
    Comment,
    raise_escalation,
    replay,
    send_to_stage,
)
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store import outbox
from iro_desktop.store.escalation_repository import HERE, SERVER
from iro_desktop.store.tables import Base

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_schema_0004_matches_the_tables_the_program_uses(session) -> None:
    with session.store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def _raised(author: str = "ada"):
    return raise_escalation(
        child_ids=["child-1"],
        category="dispute",
        issues=["no_casework_activity"],
        outcome_wanted="Casework on file.",
        on=date(2026, 11, 23),
        author=author,
        now=NOW,
    )


def test_the_log_is_replayed_in_the_servers_order_then_the_order_written_here(session) -> None:
    raised = _raised()
    sent = send_to_stage(
        replay(MANCHESTER, [raised]), "informal", "Tess", on=date(2026, 11, 23), author="ada",
        now=NOW,
    )  # fmt: skip

    def comment(author: str) -> Comment:
        return Comment(
            event_id=uuid.uuid4().hex,
            escalation_id=raised.escalation_id,
            occurred_on=date(2026, 11, 24),
            recorded_at=NOW,
            author=author,
            text=f"From {author}.",
        )

    mine, theirs = comment("ada"), comment("mo.manager")
    with session.unit_of_work() as s:
        for event in (sent, mine):  # written here first, not yet numbered by the server
            events_repo.append_event(s, event, origin=HERE)
        events_repo.append_event(s, theirs, origin=SERVER, server_seq=2)
        # The 'raised' event's push answer was lost: the manager's event is numbered first.
        events_repo.append_event(s, raised, origin=HERE)
        assert not events_repo.append_event(s, theirs, origin=SERVER, server_seq=2)
        events_repo.mark_on_server(s, sent.event_id, 3, NOW)
        order = [
            x.event.author + ":" + x.event.kind
            for x in events_repo.events_of(s, raised.escalation_id)
        ]
    assert order == ["ada:raised", "mo.manager:comment", "ada:sent_to_stage", "ada:comment"]


def test_later_items_of_an_escalation_wait_behind_one_set_aside(session) -> None:
    first, second = _raised(), _raised()
    state = replay(MANCHESTER, [first])
    follower = send_to_stage(
        state, "informal", "Tess", on=date(2026, 11, 23), author="ada", now=NOW
    )
    with session.unit_of_work() as s:
        for item in (first, second, follower):
            outbox.enqueue(s, item, now=NOW)
        outbox.mark_rejected(s, first.event_id, "Not yours.", at=NOW)
        batch, held = outbox.next_batch(s, limit=10, max_bytes=10_000, now=NOW)
        assert [e.item_id for e in batch] == [second.event_id]
        assert held == 1
        assert outbox.summary(s).unsent == 3
        outbox.retry(s, first.event_id)
        batch, held = outbox.next_batch(s, limit=10, max_bytes=10_000, now=NOW)
        assert [e.item_id for e in batch] == [first.event_id, second.event_id, follower.event_id]
        assert held == 0
        # A batch stops at its size limit (but always takes one item).
        assert len(outbox.next_batch(s, limit=10, max_bytes=1, now=NOW)[0]) == 1
        assert len(outbox.next_batch(s, limit=2, max_bytes=10_000, now=NOW)[0]) == 2
