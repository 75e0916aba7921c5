"""The sync status in the status bar, "Sync now", signing in, and set-aside items, against a
real `iro-sync-server` process on 127.0.0.1 (and with none, or none reachable)."""

from __future__ import annotations

import dataclasses
import socket
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from iro_desktop.services import escalations, sync
from iro_desktop.ui import dialogs

from .test_keyboard import unnamed_controls

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from server_testkit import PASSWORD, ServerProcess, seed_users, url_of  # noqa: E402

SET_ASIDE = "Not sent from this laptop: Field 'text' has a character that is not valid text"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the module, with the kit's users and the demo IRO, 'sam'."""
    from iro_desktop.server import auth
    from iro_desktop.server.db import Database

    tmp = tmp_path_factory.mktemp("sync-server")
    db_args = ["--data-dir", str(tmp / "data")]
    seed_users(db_args)
    db = Database(url_of(db_args))
    with db.write() as session:
        auth.add_user(
            session, name="sam", role="iro", password=PASSWORD, now=datetime.now(UTC), team="north"
        )
    db.dispose()
    process = ServerProcess(db_args, tmp / "server.log").start()
    yield process
    process.stop()


def _use_server(window, url: str, user: str = "") -> None:
    session = window.session
    session.settings = dataclasses.replace(session.settings, server_url=url, sync_user=user)
    session.save_settings()
    window.sync_status.on_changed("settings")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sign_in(window, qtbot, user: str, password: str = PASSWORD):
    dialog = window.sync_status.open_sign_in()
    assert dialog is not None and dialog.isVisible()
    dialog.user.setText(user)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    return dialog


def test_offline_the_unsent_count_shows_and_updates(unlocked):
    words = unlocked.sync_label.text()
    # The demo's escalations were all made on this laptop: every event waits for a server.
    assert words == "74 unsent, oldest just now · Not syncing: no server set"
    session = unlocked.session
    child = escalations.siblings(session, escalations.list_escalations(session)[0].children[0].id)
    escalations.raise_escalation(
        session,
        child_ids=[child[0].id],
        category="dispute",
        issues=["care_plan_not_updated"],
        outcome_wanted="An updated care plan.",
    )
    unlocked.sync_status.on_changed("escalations")
    assert unlocked.sync_label.text().startswith("75 unsent, oldest just now")
    session.clock.advance(hours=3)
    unlocked.sync_status.refresh()
    assert unlocked.sync_label.text().startswith("75 unsent, oldest 3 h")
    # "Sync now" explains instead of failing quietly.
    unlocked.sync_status.sync_now_action.trigger()
    assert dialogs.last("info").title == "No sync server is set"


def test_with_no_sign_in_yet_sync_now_asks_for_the_password(unlocked, qtbot):
    _use_server(unlocked, f"http://127.0.0.1:{_closed_port()}")
    qtbot.keyClick(unlocked, Qt.Key.Key_F5)
    assert unlocked.sync_label.text() == "74 unsent, oldest just now · Not syncing: sign in needed"
    dialog = unlocked.sync_status.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.user.text() == "sam" and dialog.password.text() == ""
    assert unnamed_controls(dialog) == []
    assert not unlocked.sync_status.sync_timer.isActive()  # a timer cannot sign in


def test_when_the_server_cannot_be_reached_work_waits_and_is_retried(unlocked, qtbot, server):
    _use_server(unlocked, server.url)
    _sign_in(unlocked, qtbot, "sam")
    assert unlocked.sync_label.text() == "All sent"
    # The laptop is taken out of reach of the server (here: an address nobody answers on).
    _use_server(unlocked, f"http://127.0.0.1:{_closed_port()}", "sam")
    session = unlocked.session
    first = escalations.list_escalations(session)[0]
    escalations.add_comment(session, first.escalation_id, "Chased by phone today.")
    unlocked.sync_status.on_changed("escalations")
    qtbot.keyClick(unlocked, Qt.Key.Key_F5)
    words = unlocked.sync_label.text()
    assert words.startswith("1 unsent, oldest just now · Offline — will retry in ")
    assert words.endswith(" s")
    assert "cannot be reached" in unlocked.sync_label.toolTip()
    # The next try is on the timer, at the back-off time (5 s at most, the first time).
    timer = unlocked.sync_status.sync_timer
    assert timer.isActive() and timer.remainingTime() <= 6_000
    assert sync.status(session).unsent == 1


def test_sign_in_once_then_everything_is_sent(unlocked, qtbot, server, paths):
    _use_server(unlocked, server.url)
    dialog = _sign_in(unlocked, qtbot, "sam")
    assert not dialog.isVisible() and dialog.password.text() == ""
    assert unlocked.sync_label.text() == "All sent"
    assert sync.status(unlocked.session).unsent == 0
    # The password is never written down; the user name and server are.
    settings_text = paths.settings.read_text("utf-8")
    assert PASSWORD not in settings_text and 'sync_user = "sam"' in settings_text
    assert unlocked.sync_status.sync_timer.isActive()  # syncing on the timer from now on

    # A change: counted at once, sent by F5 without asking for the password again.
    session = unlocked.session
    first = escalations.list_escalations(session)[0]
    escalations.add_comment(session, first.escalation_id, "Chased by phone today.")
    unlocked.sync_status.on_changed("escalations")
    assert unlocked.sync_label.text().startswith("1 unsent, oldest just now")
    qtbot.keyClick(unlocked, Qt.Key.Key_F5)
    assert unlocked.sync_label.text() == "All sent"
    assert not any(shown.kind == "form" for shown in dialogs.history)


def test_a_set_aside_item_is_shown_with_its_reason_and_can_be_corrected(
    unlocked, qtbot, server, monkeypatch
):
    from iro_desktop.store import outbox
    from iro_desktop.sync.protocol import item_to_wire

    session = unlocked.session
    first = escalations.list_escalations(session)[0]
    with monkeypatch.context() as older:  # queued by an older version: not checked at input
        older.setattr(outbox, "checked_wire", item_to_wire)
        escalations.add_comment(session, first.escalation_id, "Caf\udce9 visit on Monday.")
    _use_server(unlocked, server.url)
    _sign_in(unlocked, qtbot, "sam")
    words = unlocked.sync_label.text()
    assert words.startswith("1 unsent, oldest just now")  # still counted: nothing is lost
    assert " set aside: " + SET_ASIDE[:40] in words  # shortened to fit the status bar ...
    assert SET_ASIDE in unlocked.sync_label.toolTip()  # ... said in full in its tooltip

    items = unlocked.sync_status.open_items()
    assert items is not None
    (row,) = items.model.rows
    assert items.model.index(0, 0).data() == "Set aside by the server"
    reason = [c.title for c in items.model.columns].index("Reason")
    assert items.model.index(0, reason).data().startswith(SET_ASIDE)
    assert row.what == "Comment on an escalation"
    assert items.retry_button.isEnabled()
    items.close()

    # Put right, and sent.
    sync.correct_set_aside(session, row.item_id, {"text": "Café visit on Monday."})
    qtbot.keyClick(unlocked, Qt.Key.Key_F5)
    assert unlocked.sync_label.text() == "All sent"


def test_signing_in_as_another_account_is_refused_and_nothing_is_set_aside(unlocked, qtbot, server):
    _use_server(unlocked, server.url)
    _sign_in(unlocked, qtbot, "sam")  # the first sign-in links the login 'sam' to 'sam'
    assert unlocked.sync_label.text() == "All sent"
    session = unlocked.session
    first = escalations.list_escalations(session)[0]
    escalations.add_comment(session, first.escalation_id, "Chased by phone today.")
    unlocked.sync_status.on_changed("escalations")

    dialog = _sign_in(unlocked, qtbot, "amber.iro")
    assert dialog.isVisible()
    assert dialog.problem.text() == (
        "This laptop's login 'sam' is linked to the sync account 'sam', so it cannot sync as "
        "'amber.iro'. Sign in as sam; nothing was sent or set aside"
    )
    assert sync.outbox_items(session, "rejected") == []
    assert sync.status(session).unsent == 1
    dialog.reject()
    qtbot.keyClick(unlocked, Qt.Key.Key_F5)
    assert unlocked.sync_label.text() == "All sent"


def test_the_managers_view_lists_the_teams_escalations_from_the_server(unlocked, qtbot, server):
    from .support import unlock

    _use_server(unlocked, server.url)
    _sign_in(unlocked, qtbot, "sam")  # the IRO's escalations reach the server
    assert unlocked.sync_label.text() == "All sent"
    unlocked.session.add_login("mo", "Mo Manager", "manager", "teapot harbour violet")
    unlocked.lock()
    unlock(unlocked, "teapot harbour violet", "mo")
    _sign_in(unlocked, qtbot, "mo.manager")  # the North team's manager

    qtbot.keyClick(unlocked, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = unlocked.page("manager")
    expected = [
        v
        for v in escalations.list_escalations(unlocked.session, only_open=True)
        if v.category != "good_practice"
    ]
    assert page.source.text().startswith(
        f"From the sync server ({len(expected)} open escalations in your team)"
    )
    assert page.data is not None and {r.source for r in page.data.rows} == {"both"}
    assert sorted(page.listed_ids()) == sorted(v.escalation_id for v in expected)
    assert page.selected() is not None and page.resolve_button.isEnabled()
