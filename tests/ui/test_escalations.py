"""The Escalations page: raise by keyboard, send on, respond, resolve, drafts through a lock,
and conflicts shown for the IRO to decide (never overwritten)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.domain import escalation as esc
from iro_desktop.services import escalations as service
from iro_desktop.ui import dialogs
from iro_desktop.ui.views import escalation_forms as forms
from iro_desktop.ui.views.escalation_raise import RaiseForm

from .test_keyboard import unnamed_controls

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _page(window):
    window.show_page("escalations")
    return window.page("escalations")


def _form(page, qtbot=None) -> forms.EscalationForm:
    if qtbot is not None:  # a button pressed by its Alt key clicks a moment later
        qtbot.waitUntil(lambda: page.keeper.form is not None, timeout=2000)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page.keeper.form, timeout=2000)
    form = page.keeper.form
    assert form is not None and form.isVisible()
    return form


def _press(qtbot, widget, key) -> None:
    """Alt+letter, as a person presses it (the button's click follows after a moment)."""
    window = widget.window()
    window.activateWindow()  # as it is again when a dialog closes on screen
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(widget, key, ALT)
    qtbot.wait(150)


def _unsent(window) -> int:
    words = window.sync_label.text()
    assert " unsent" in words, words
    return int(words.split(" unsent")[0].split()[-1])


def test_the_list_says_status_stage_and_deadlines_in_words(unlocked):
    page = _page(unlocked)
    rows = [page.proxy.row_at(i) for i in range(page.proxy.rowCount())]
    assert rows and all(r.view.is_open for r in rows)  # the open ones by default
    # Most urgent overall deadline first; an overdue one says so in words, in working days.
    deadlines = [r.view.overall_deadline for r in rows]
    assert deadlines == sorted(deadlines)
    first = rows[0]
    assert first.overall_left.startswith("Overdue by ") and "working day" in first.overall_left
    assert page.proxy.index(0, 0).data() == "Open, overdue"
    not_sent = next(r for r in rows if r.view.current_stage_key is None)
    assert not_sent.stage == "Not sent to a stage yet"
    # The detail panel for the selected one: its history as a timeline, oldest first.
    assert page.selected_id() == first.id
    assert page.timeline.count() == len(first.view.events)
    assert "raised" in page.timeline.item(0).text()
    assert unnamed_controls(page) == []


def test_raise_an_escalation_with_the_keyboard_only(unlocked, qtbot):
    before = _unsent(unlocked)
    qtbot.keyClick(unlocked, Qt.Key.Key_3, CTRL)
    page = unlocked.page("escalations")
    assert unlocked.current_page() is page
    _press(qtbot, unlocked, Qt.Key.Key_R)
    form = _form(page, qtbot)
    assert isinstance(form, RaiseForm)
    assert unnamed_controls(form) == []
    # The child: typed into the focused box (its full entry from the list).
    assert QApplication.focusWidget() in (form.child, form.child.lineEdit())
    label = form.child.itemText(3)
    qtbot.keyClicks(QApplication.focusWidget(), label)
    assert form.child_id() == form.child.itemData(3)
    # Issues: Alt+I, then Down and Space tick the one under the cursor.
    qtbot.keyClick(form, Qt.Key.Key_I, ALT)
    assert QApplication.focusWidget() is form.issues
    qtbot.keyClick(form.issues, Qt.Key.Key_Down)
    qtbot.keyClick(form.issues, Qt.Key.Key_Down)
    qtbot.keyClick(form.issues, Qt.Key.Key_Space)
    ticked = form.issue_keys()
    assert len(ticked) == 1
    qtbot.keyClick(form, Qt.Key.Key_O, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "Visits every six weeks, as the plan says.")
    qtbot.keyClick(form, Qt.Key.Key_T, ALT)  # "Send to Informal escalation"
    qtbot.keyClicks(QApplication.focusWidget(), "Tess Teamlead")
    _press(qtbot, form, Qt.Key.Key_R)  # the Raise button

    assert not form.isVisible()
    raised = page.selected_row()
    assert raised is not None and raised.view.issues == tuple(ticked)
    assert raised.children == label.rsplit(" (", 1)[0]
    assert raised.view.current_stage_key == "informal"
    assert raised.view.outcome_wanted == "Visits every six weeks, as the plan says."
    assert raised.sync == "2 unsent"  # raised and sent: both wait for the server
    assert _unsent(unlocked) == before + 2  # the status bar counts them at once


def test_a_refused_move_keeps_the_form_open_with_the_reason(unlocked, qtbot):
    page = _page(unlocked)
    page.open_raise()
    form = _form(page)
    form.choose_child(form.child.itemData(1))
    form.try_submit()  # no issue ticked
    assert form.isVisible()
    assert form.problem.text() == "Tick at least one issue."


def test_send_on_record_a_response_and_resolve(unlocked, qtbot):
    page = _page(unlocked)
    not_sent = next(
        r for r in page.model.rows if r.view.is_open and r.view.current_stage_key is None
    )
    page.select_id(not_sent.id)
    assert page.send_button.text() == "Se&nd to Informal escalation..."

    _press(qtbot, unlocked, Qt.Key.Key_N)
    form = _form(page, qtbot)
    qtbot.keyClicks(form.recipient, "Tess Teamlead")
    qtbot.keyClick(form.recipient, Qt.Key.Key_Return)
    assert not form.isVisible()
    view = page.selected_row().view
    assert (view.current_stage_key, view.current_recipient) == ("informal", "Tess Teamlead")
    assert "working day" in page.facts["stage_deadline"].text()

    # Moving on before the team manager answers is refused, in words, and nothing is lost.
    page.open_send()
    form = _form(page)
    form.recipient.setText("Lorna Locality")
    form.try_submit()
    assert form.isVisible() and "No response from Tess Teamlead" in form.problem.text()
    form.reject()  # Esc with something typed asks first; the safe answer keeps the form
    assert form.isVisible()
    dialogs.set_next_answer(True)
    form.reject()
    assert not form.isVisible() and page.keeper.form is None

    _press(qtbot, unlocked, Qt.Key.Key_P)
    form = _form(page, qtbot)
    qtbot.keyClicks(form.text, "A visit is booked for Friday.")
    _press(qtbot, form, Qt.Key.Key_R)
    assert not form.isVisible()
    assert page.selected_row().stage_left.startswith("Response received")

    _press(qtbot, unlocked, Qt.Key.Key_V)
    form = _form(page, qtbot)
    assert QApplication.focusWidget() is form.outcome
    qtbot.keyClicks(form.outcome, "Visits are back within six weeks.")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "The child knows when her social worker comes.")
    _press(qtbot, form, Qt.Key.Key_V)
    assert not form.isVisible()

    resolved = page.selected_row()  # the list shows "All" so the closed one stays in view
    assert resolved.id == not_sent.id
    assert resolved.view.status == "resolved"
    assert page.facts["status"].text().startswith("Resolved ")
    assert not page.resolve_button.isEnabled() and page.comment_button.isEnabled()
    kinds = [line.kind for line in resolved.view.events]
    assert kinds == ["raised", "sent_to_stage", "response_recorded", "resolved"]
    assert page.timeline.count() == 4
    assert "waiting to be sent" in page.timeline.item(3).text()


def test_bypass_needs_a_reason_and_cafcass_is_always_open(unlocked):
    page = _page(unlocked)
    row = next(
        r for r in page.model.rows if r.view.is_open and r.view.current_stage_key == "informal"
    )
    page.select_id(row.id)
    assert page.bypass_button.isEnabled() and page.cafcass_button.isEnabled()
    page.open_bypass()
    form = _form(page)
    form.recipient.setText("Hamid Headofservice")
    form.try_submit()
    assert form.problem.text() == "Say why the stages are bypassed."
    form.reason.setPlainText("The child's safety needs a senior decision today.")
    form.try_submit()
    assert not form.isVisible()
    view = page.selected_row().view
    assert view.current_stage_key == form.values()["stage_key"]
    assert any(line.kind == "stage_bypassed" for line in view.events)


def test_an_unfinished_form_survives_a_lock(unlocked, qtbot):
    from .support import unlock

    page = _page(unlocked)
    page.open_raise()
    form = _form(page)
    form.choose_child(form.child.itemData(2))
    form.outcome.setPlainText("A permanence plan agreed at the next review.")
    chosen = form.child_ids()
    unlocked.lock()
    assert not form.isVisible()
    assert "escalation:form" in unlocked.last_lock.drafts_saved

    unlock(unlocked)
    page = _page(unlocked)
    assert page.notice.isVisible()
    assert "raising an escalation" in page.notice_text.text()
    page.continue_draft()
    form = _form(page)
    assert form.child_ids() == chosen
    assert form.values()["outcome_wanted"] == "A permanence plan agreed at the next review."


def test_a_conflict_is_listed_for_the_iro_and_nothing_is_overwritten(unlocked):
    """A manager resolved it on the server while the IRO, offline, sent it on."""
    session = unlocked.session
    page = _page(unlocked)
    row = next(
        r
        for r in page.model.rows
        if r.view.is_open
        and r.view.current_stage_key == "informal"
        and r.view.state.stages[-1].responded
    )
    eid = row.id
    # The IRO's move, made offline on this laptop.
    service.advance(session, eid, "Lorna Locality")
    # The manager's resolution, as the sync client stores what it pulls (dated earlier).
    from iro_desktop.store import escalation_repository as events_repo  # test set-up only

    state = service.get_escalation(session, eid).state
    at_informal = esc.replay(
        state.protocol,
        [e.event for e in _events(session, eid)[:-1]],
        session.profile.calendar,
    )
    resolved = esc.resolve(
        at_informal,
        "Agreed at the team meeting.",
        "Visits are back on track.",
        on=at_informal.stages[-1].sent_on + timedelta(days=1),
        author="mo.manager",
        now=session.clock.now(),
    )
    earlier = _events(session, eid)[:-1]
    with session.unit_of_work() as s:
        # What the IRO did before going offline had reached the server; then the manager's
        # resolution; the IRO's offline move comes after both.
        for seq, stored in enumerate(earlier, start=1):
            events_repo.mark_on_server(s, stored.event.event_id, seq, session.clock.now())
        events_repo.append_event(
            s, resolved, origin=events_repo.SERVER, server_seq=len(earlier) + 1
        )
    unlocked.page("escalations").on_changed("sync")

    assert page.conflict_box.isVisible()
    assert page.conflict_list.count() == 1
    text = page.conflict_list.item(0).text()
    assert "already resolved" in text and "mo.manager" in text and "Lorna Locality" in text
    # Both events are kept in the history; the IRO's move is marked, not dropped.
    page.select_id(eid, reveal=True)
    history = [page.timeline.item(i).text() for i in range(page.timeline.count())]
    assert any("DOES NOT FIT" in line and "Lorna Locality" in line for line in history)
    assert any("Resolved: Agreed at the team meeting." in line for line in history)

    page.settle_selected(raise_again=True)
    form = _form(page)
    form.note.setPlainText("The visits lapsed again; raising it afresh.")
    form.try_submit()
    assert not page.conflict_box.isVisible()
    again = [r for r in page.model.rows if r.view.is_open and r.children == row.children]
    assert any("Raised again after escalation" in r.view.detail for r in again)


def _events(session, eid):
    from iro_desktop.store import escalation_repository as events_repo

    with session.unit_of_work() as s:
        return events_repo.events_of(s, eid)


def _mnemonics(root) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for widget in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        text = widget.text().replace("&&", "")
        if "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


def _lonely_labels(root) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [
        label.text()
        for label in root.findChildren(QLabel)
        if "&" in label.text() and label.buddy() is None
    ]


def test_alt_keys_are_unique_named_and_never_clash_with_the_menus(unlocked):
    from iro_desktop.ui.views import escalation_moves as moves
    from iro_desktop.ui.views.manager import ManagerData

    menus = {
        a.text()[a.text().index("&") + 1].lower()
        for a in unlocked.menuBar().actions()
        if "&" in a.text()
    }
    assert {"f", "g", "s", "y", "h"} <= menus  # File, Go, Settings, Sync, Help
    unlocked.page("manager")._loaded(ManagerData(allowed=True))  # show all its controls
    for key in ("escalations", "manager", "reports"):
        page = unlocked.page(key)
        keys = _mnemonics(page)
        assert len(keys) == len(set(keys)), (key, sorted(keys))
        assert not set(keys) & menus, (key, set(keys) & menus)
        assert _lonely_labels(page) == [], key
        assert unnamed_controls(page) == [], key
    # The forms and the sync dialogs are windows of their own: unique keys inside each.
    page = _page(unlocked)
    view = page.selected_row().view
    today = unlocked.session.clock.today()
    windows = [moves.build_move(k, view, unlocked.session, today, page)[0] for k in moves.MOVES]
    windows += [unlocked.sync_status.open_sign_in(), unlocked.sync_status.open_items()]
    page.open_raise()
    windows.append(page.keeper.form)
    for window in windows:
        keys = _mnemonics(window)
        assert len(keys) == len(set(keys)), (window.windowTitle(), sorted(keys))
        assert _lonely_labels(window) == [], window.windowTitle()
        assert unnamed_controls(window) == [], window.windowTitle()
