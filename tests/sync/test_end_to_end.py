"""Escalations that sync: two IROs' laptops, their manager and a real sync server.

Each person has their own encrypted caseload; the server is a real `iro-sync-server`
process on 127.0.0.1. These are the stories the offline-first design promises: work done
with no network waits (visibly) and goes when the server is back; the manager sees it with
its deadline and acts; the IRO sees what the manager did; a server killed mid-push loses
nothing and duplicates nothing; a conflict is shown, not overwritten.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from server_testkit import PASSWORD
from sqlalchemy import create_engine, text

from iro_desktop.cli import main
from iro_desktop.server.config import FAULT_PAUSE_ENV
from iro_desktop.services import escalations, sync
from iro_desktop.sync.client import SyncClient
from tests.conftest import PASSPHRASE


def _client(session, server, **options) -> SyncClient:
    return SyncClient(session, server_url=server.url, password=PASSWORD, **options)


def _server_items(server) -> list[tuple[str, str]]:
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT item_id, author_name FROM items ORDER BY seq"))
            return [(r[0], r[1]) for r in rows]
    finally:
        engine.dispose()


def test_raised_offline_sent_later_seen_by_the_manager_resolved_and_pulled_back(
    new_server, laptop, add_child
) -> None:
    server = new_server()  # its address is known; it is not running yet
    amber = laptop("amber.iro", server.url)
    basil = laptop("basil.iro", server.url)
    manager = laptop("mo.manager", server.url)
    zara, zak = (
        add_child(amber, "Zara", "Inkwell", "SG-1"),
        add_child(amber, "Zak", "Inkwell", "SG-1"),
    )
    other = add_child(basil, "Omar", "Quillby")

    # Offline: the IRO raises an escalation for a sibling group and sends it to the team manager.
    raised = escalations.raise_escalation(
        amber,
        child_ids=[c.id for c in escalations.siblings(amber, zara)],
        category="dispute",
        issues=["visits_out_of_timescale", "care_plan_not_updated"],
        outcome_wanted="Visits every six weeks and an updated care plan.",
        send_to="Tess Teamlead",
    )
    assert {c.id for c in raised.children} == {zara, zak}
    with _client(amber, server) as amber_sync:
        report = amber_sync.sync_once()
        assert report.error and "cannot be reached" in report.error
        assert (report.pushed, report.unsent) == (0, 2)
        # The count and the age of what waits are there for the status bar.
        amber.clock.advance(hours=3)
        status = sync.status(amber)
        assert (status.unsent, status.set_aside) == (2, 0)
        assert status.oldest_unsent_age == timedelta(hours=3)
        assert "2 unsent (oldest 3 h)" in status.words
        assert "last sync failed" in status.words
        assert escalations.get_escalation(amber, raised.escalation_id).unsent == 2
        assert amber_sync.sync_once().error  # still down

        # The server comes up; the next timer tick is held back by the back-off...
        server.start()
        assert amber_sync.sync_once().skipped
        # ...and goes when its time comes.
        amber.clock.advance(minutes=1)
        report = amber_sync.sync_once()
        assert report.ok, report.error
        assert (report.pushed, report.duplicates, report.unsent) == (2, 0, 0)
        assert sync.status(amber).unsent == 0
        assert "All changes sent" in sync.status(amber).words

    escalations.raise_escalation(
        basil,
        child_ids=[other],
        category="partner",
        issues=["no_casework_activity"],
        outcome_wanted="The initial health assessment booked.",
        partner_agency="health",
        send_to="Hana Health",
    )
    with _client(basil, server) as basil_sync:
        assert basil_sync.sync_once().pushed == 2

    # The manager sees both, with the same deadlines as the IRO's laptop.
    with _client(manager, server) as manager_sync:
        listed = {e["escalation_id"]: e for e in manager_sync.server_escalations()}
        assert len(listed) == 2
        on_server = listed[raised.escalation_id]
        assert on_server["overall_deadline"] == raised.overall_deadline.isoformat()
        assert on_server["current_stage"]["deadline"] == raised.stage_deadline.isoformat()
        assert on_server["raised_by"] == "amber.iro"

        # The manager's own laptop pulls the team's escalations and resolves Amber's.
        report = manager_sync.sync_once()
        assert (report.pulled, report.error) == (4, None)
        mine = {v.escalation_id: v for v in escalations.list_escalations(manager)}
        assert mine[raised.escalation_id].stage_deadline == raised.stage_deadline
        manager.clock.advance(days=1)
        escalations.resolve(
            manager,
            raised.escalation_id,
            "Visits booked and the care plan updated.",
            "Zara and Zak see their social worker every six weeks.",
        )
        assert manager_sync.sync_once().pushed == 1

    with _client(amber, server) as amber_sync:
        report = amber_sync.sync_once(force=True)
        assert (report.pulled, report.conflicts, report.error) == (1, 0, None)
    view = escalations.get_escalation(amber, raised.escalation_id)
    assert view.status == "resolved"
    assert view.events[-1].author == "mo.manager"
    assert view.events[-1].sync == "from_server"
    # Basil is told nothing about Amber's escalations.
    with _client(basil, server) as basil_sync:
        assert basil_sync.sync_once(force=True).pulled == 0
    assert raised.escalation_id not in {
        v.escalation_id for v in escalations.list_escalations(basil)
    }

    # Every item is on the server once, by its author.
    items = _server_items(server)
    assert len(items) == len({i for i, _ in items}) == 5
    assert sorted({a for _, a in items}) == ["amber.iro", "basil.iro", "mo.manager"]


def test_server_killed_mid_push_then_restarted_loses_nothing_and_duplicates_nothing(
    new_server, laptop, add_child, tmp_path: Path
) -> None:
    marker = tmp_path / "paused"
    server = new_server(env={FAULT_PAUSE_ENV: str(marker)}).start()
    amber = laptop("amber.iro", server.url)
    child = add_child(amber, "Ava", "Thimbleby")
    for n in range(6):
        escalations.raise_escalation(
            amber,
            child_ids=[child],
            category="dispute",
            issues=["no_social_work_report"],
            outcome_wanted=f"The report three days before the review ({n}).",
            send_to="Tess Teamlead",
        )
    assert sync.status(amber).unsent == 12

    with _client(amber, server, batch_size=5) as amber_sync:
        amber_sync.sign_in()
        outcome = {}
        worker = threading.Thread(target=lambda: outcome.update(report=amber_sync.sync_once()))
        worker.start()
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the push never reached the server's commit"
            time.sleep(0.02)
        server.kill()  # items written, transaction open: now the power goes
        worker.join(timeout=30)
    report = outcome["report"]
    assert report.error and "cannot be reached" in report.error
    assert (report.pushed, report.unsent) == (0, 12)
    assert _server_items(server) == []

    revived = new_server(db_args=server.db_args).start()
    with _client(amber, revived, batch_size=5) as amber_sync:
        report = amber_sync.sync_once(force=True)
        assert report.ok, report.error
        assert (report.pushed, report.duplicates, report.unsent) == (12, 0, 0)
        assert amber_sync.sync_once(force=True).pushed == 0
    stored = _server_items(revived)
    assert len(stored) == len(set(stored)) == 12
    outbox_ids = [i.item_id for i in sync.outbox_items(amber)]
    assert sorted(outbox_ids) == sorted(i for i, _ in _server_items(revived))


def test_a_conflict_is_shown_to_the_iro_and_not_overwritten(new_server, laptop, add_child) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    manager = laptop("mo.manager", server.url)
    child = add_child(amber, "Ivy", "Pondwhistle")
    raised = escalations.raise_escalation(
        amber,
        child_ids=[child],
        category="dispute",
        issues=["permanence_drift"],
        outcome_wanted="A permanence plan agreed at the next review.",
        send_to="Tess Teamlead",
    )
    with _client(amber, server) as amber_sync, _client(manager, server) as manager_sync:
        assert amber_sync.sync_once().pushed == 2
        assert manager_sync.sync_once().pulled == 2
        # The manager resolves it in the office...
        escalations.resolve(
            manager, raised.escalation_id, "Plan agreed with the head of service.", "A home."
        )
        assert manager_sync.sync_once().pushed == 1
        # ...while the IRO, offline, records the response and moves it on.
        amber.clock.advance(days=2)
        escalations.record_response(amber, raised.escalation_id, "Tess Teamlead", "Not agreed.")
        moved = escalations.advance(amber, raised.escalation_id, "Lorna Locality")
        assert moved.status == "open" and moved.current_stage_key == "formal"

        report = amber_sync.sync_once()
        assert report.ok, report.error
        assert (report.pushed, report.pulled, report.conflicts) == (2, 1, 2)

    view = escalations.get_escalation(amber, raised.escalation_id)
    assert view.status == "resolved"  # the server's order: the manager's resolution came first
    assert [e.author for e in view.events] == ["amber.iro"] * 2 + ["mo.manager"] + ["amber.iro"] * 2
    # The IRO's own moves are still there, marked as not fitting, with the reason.
    assert [bool(e.conflict) for e in view.events] == [False, False, False, True, True]
    found = escalations.conflicts(amber)
    assert len(found) == 2
    assert all("already resolved" in c.reason and "mo.manager" in c.reason for c in found)
    assert {c.blocked_by_author for c in found} == {"mo.manager"}
    # The manager's view shows the same conflicts.
    listed = server.get("mo.manager", "/v1/escalations", status="all")["escalations"]
    assert len(listed[0]["conflicts"]) == 2

    # The IRO decides: the escalation is raised again; the decision reaches the manager.
    again = escalations.settle_conflict(
        amber, found[1].event_id, "Not resolved for the child: raising it again.", raise_again=True
    )
    escalations.settle_conflict(amber, found[0].event_id, "See the new escalation.")
    assert again is not None and again.status == "open"
    assert escalations.conflicts(amber) == []
    assert len(escalations.conflicts(amber, include_decided=True)) == 2
    with _client(amber, server) as amber_sync:
        assert amber_sync.sync_once().pushed == 3  # two comments and the new escalation
    comments = [
        e
        for e in escalations.get_escalation(amber, raised.escalation_id).events
        if e.kind == "comment"
    ]
    assert len(comments) == 2 and all(c.sync == "on_server" for c in comments)


def _first_id(run: Any) -> str:
    return str(json.loads(run("escalations", "--json")[1])[0]["id"])


def test_the_sync_command_prints_one_line_and_fails_with_one_line(
    new_server, tmp_path, monkeypatch, capsys
) -> None:
    server = new_server().start()
    folder = str(tmp_path / "cli-caseload")
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("IRO_SYNC_PASSWORD", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", folder, "--user", "amber", *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init")[0] == 0
    assert run("demo-data", "--children", "3", "--seed", "2")[0] == 0
    unsent = sum(e["unsent"] for e in json.loads(run("escalations", "--json")[1]))
    assert unsent > 10

    code, out, err = run("sync", "--server", server.url, "--user", "amber.iro")
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert "IRO_SYNC_PASSWORD" in err

    # The demo's events were written as 'amber' (no sync user was set then): the first
    # sign-in links the login 'amber' to the account 'amber.iro', and they are sent as hers.
    monkeypatch.setenv("IRO_SYNC_PASSWORD", PASSWORD)
    code, out, err = run("sync", "--server", server.url, "--user", "amber.iro")
    assert code == 0, err
    assert out.strip().splitlines() == [f"Synced: sent {unsent}, received 0; nothing left to send."]
    assert json.loads(run("outbox", "--status", "rejected", "--json")[1]) == []

    code, out, err = run("escalations", "comment", _first_id(run), "--text", "Chased by phone.")
    assert code == 0, err
    code, out, err = run("sync", "--server", "http://127.0.0.1:9")
    assert code == 1
    assert "cannot be reached" in err
    assert len(err.strip().splitlines()) == 1
    # A failed sync changes nothing here: the comment still waits to be sent.
    after = json.loads(run("escalations", "--json")[1])
    assert sum(e["unsent"] for e in after) == 1

    # Another account on this laptop's login is refused in one line; nothing is set aside.
    code, out, err = run("sync", "--server", server.url, "--user", "basil.iro")
    assert code == 1
    assert err.strip().splitlines() == [
        "iro-desktop: Sync failed: This laptop's login 'amber' is linked to the sync account "
        "'amber.iro', so it cannot sync as 'basil.iro'. Sign in as amber.iro; nothing was "
        "sent or set aside (sent 0, received 0; 1 not yet sent)."
    ]
    assert json.loads(run("outbox", "--status", "rejected", "--json")[1]) == []
