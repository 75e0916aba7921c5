"""A child's page: care history, visits, adoption and missing, undo, and removing a child.

Each test starts from an empty caseload with one invented child added through the service
(adding by hand is walked in test_child_entry.py), then works the page as an IRO would.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import children as children_service
from iro_desktop.ui import dialogs

from .test_child_entry import choose, type_into

CLICK = Qt.MouseButton.LeftButton


def add_child(window, *, period: bool = True):
    session = window.session
    child = children_service.add_child(
        session,
        children_service.ChildDetails(
            "Amira", "Testwood", date(2015, 3, 2), "F", "1234567", preferred_name="Mira"
        ),
    )
    if period:
        children_service.start_period(
            session,
            child.id,
            start=date(2026, 10, 1),
            legal_status="C1",
            category_of_need="N1",
            placement=children_service.Placement("U6", place_provider="PR1", postcode="M14 5RT"),
        )
    window.broadcast("caseload")
    window.open_child(child.id)
    page = window.page("child")
    assert page.view is not None and page.view.child.id == child.id
    return page


def press(qtbot, page, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, CLICK)
    form = page.changes.form
    assert form is not None and form.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form


def save(qtbot, form):
    assert form.ok_button.isEnabled(), form.shown_messages()
    qtbot.mouseClick(form.ok_button, CLICK)
    assert not form.isVisible(), form.shown_messages()


def cells(page, title):
    model = page.episodes
    column = [c.title for c in model.columns].index(title)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_start_a_period_of_care_for_a_child_not_yet_looked_after(empty, qtbot):
    page = add_child(empty, period=False)
    assert page.care.empty_words.isVisible()
    assert not page.care.move_button.isEnabled()
    form = press(qtbot, page, page.care.start_button)
    type_into(qtbot, form.widget("start"), "01/10/2026")
    choose(qtbot, form.widget("legal_status"), "C1")
    choose(qtbot, form.widget("placement_type"), "U6")
    save(qtbot, form)
    assert cells(page, "From") == ["1 Oct 2026"]
    assert cells(page, "To") == ["Continuing"]
    assert cells(page, "Legal status") == ["C1 Interim care order"]
    assert cells(page, "Why it began") == ["S Care began"]
    assert page.facts["Legal status"].text() == "C1 Interim care order"
    assert page.care.move_button.isEnabled() and not page.care.start_button.isEnabled()
    # The caseload list knows too.
    assert empty.page("caseload").model.rows[0].row.legal_status == "C1"


def test_record_a_move_ends_one_episode_and_begins_the_next(empty, qtbot):
    page = add_child(empty)
    form = press(qtbot, page, page.care.move_button)
    type_into(qtbot, form.widget("on"), "01/09/2026")  # before the placement began
    assert "after the current episode began, on 1 Oct 2026" in form.shown_messages()["on"]
    assert not form.ok_button.isEnabled()
    form.widget("on").setText("")
    type_into(qtbot, form.widget("on"), "01/12/2026")
    choose(qtbot, form.widget("placement_type"), "K2")
    assert "reason for the move" in form.needed_label.text()
    choose(qtbot, form.widget("reason_place_change"), "CARPL")
    type_into(qtbot, form.widget("provider"), "Oak House")
    save(qtbot, form)
    assert cells(page, "From") == ["1 Dec 2026", "1 Oct 2026"]
    assert cells(page, "To") == ["Continuing", "1 Dec 2026"]
    assert cells(page, "Placement") == ["K2 Children's home", "U6 Foster care"]
    assert cells(page, "Why it began")[0] == "P Placement"
    assert cells(page, "Why it ended")[1].startswith("X1 ")
    assert cells(page, "Reason for the move")[1].startswith("CARPL ")
    assert page.facts["Placement"].text() == "K2 Children's home (Oak House)"
    assert cells(page, "Postcode")[1] == "M14 5RT"


def test_change_legal_status_and_end_the_period_of_care(empty, qtbot):
    page = add_child(empty)
    form = press(qtbot, page, page.care.legal_button)
    choose(qtbot, form.widget("legal_status"), "C1")
    assert form.shown_messages()["legal_status"] == "The legal status is already C1."
    choose(qtbot, form.widget("legal_status"), "C2")
    type_into(qtbot, form.widget("on"), "15/11/2026")
    save(qtbot, form)
    assert cells(page, "Legal status") == ["C2 Full care order", "C1 Interim care order"]
    assert cells(page, "Why it began")[0] == "L Legal status"

    form = press(qtbot, page, page.care.end_button)
    reasons = form.widget("reason_ended")
    assert reasons.findData("X1") < 0  # care that continues is not an ending
    type_into(qtbot, form.widget("on"), "05/01/2027")
    choose(qtbot, reasons, "E4A")
    save(qtbot, form)
    assert cells(page, "To")[0] == "5 Jan 2027"
    assert cells(page, "Why it ended")[0] == "E4A Home (care plan)"
    assert page.care.start_button.isEnabled() and not page.care.end_button.isEnabled()
    assert page.facts["Next visit due (reg 28)"].text() == "Not looked after"


def test_correct_an_episode_with_enter_and_see_a_refusal_beside_its_field(empty, qtbot):
    page = add_child(empty)
    table = page.care.table
    table.setFocus()
    page.care.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    form = page.changes.form
    assert form is not None and form.windowTitle() == "Correct an episode"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert form.widget("start").text() == "01/10/2026"
    form.widget("start").setText("")
    type_into(qtbot, form.widget("start"), "01/01/2015")  # before she was born
    assert "DfE rule 302" in form.shown_messages()["start"]
    assert not form.ok_button.isEnabled()
    qtbot.keyClick(form.widget("start").edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.widget("start").text() == "01/10/2026"
    form.widget("postcode").setText("")
    type_into(qtbot, form.widget("postcode"), "sk11 6ah")
    save(qtbot, form)
    assert cells(page, "Postcode") == ["SK11 6AH"]


def test_adding_a_visit_moves_the_reg_28_due_date(empty, qtbot):
    page = add_child(empty)
    # No visit since the placement began on 1 Oct: the first was due within a week.
    assert page.facts["Last social worker visit"].text() == "None recorded"
    assert page.facts["Next visit due (reg 28)"].text().startswith("8 Oct 2026: overdue")
    page.tabs.setCurrentWidget(page.visits)
    form = press(qtbot, page, page.visits.add_button)
    assert form.widget("visited_on").text() == "11/01/2027"  # today, to change if need be
    form.widget("visited_on").setText("")
    type_into(qtbot, form.widget("visited_on"), "05/01/2027")
    choose(qtbot, form.widget("seen_alone"), "yes")
    type_into(qtbot, form.widget("by"), "Jo Fielding")
    save(qtbot, form)
    assert page.facts["Last social worker visit"].text() == "5 Jan 2027"
    assert page.facts["Next visit due (reg 28)"].text() == "16 Feb 2027"
    visits = page.visits.model
    assert [visits.index(0, c).data() for c in range(3)] == [
        "5 Jan 2027",
        "Yes",
        "Jo Fielding",
    ]


def test_a_visit_in_the_future_is_refused_beside_the_date(empty, qtbot):
    page = add_child(empty)
    page.tabs.setCurrentWidget(page.visits)
    form = press(qtbot, page, page.visits.add_button)
    form.widget("visited_on").setText("")
    type_into(qtbot, form.widget("visited_on"), "12/01/2027")
    assert "before it happens" in form.shown_messages()["visited_on"]
    assert not form.ok_button.isEnabled()


def test_undo_last_change_puts_the_record_back(empty, qtbot):
    page = add_child(empty)
    assert not page.undo_button.isEnabled()
    form = press(qtbot, page, page.care.move_button)
    type_into(qtbot, form.widget("on"), "01/12/2026")
    choose(qtbot, form.widget("placement_type"), "K2")
    choose(qtbot, form.widget("reason_place_change"), "CARPL")
    save(qtbot, form)
    assert page.episodes.rowCount() == 2
    assert page.undo_button.isEnabled()
    assert "the move" in page.undo_button.toolTip()
    qtbot.mouseClick(page.undo_button, CLICK)
    assert page.episodes.rowCount() == 1
    assert cells(page, "To") == ["Continuing"]
    assert not page.undo_button.isEnabled()


def test_edit_details_then_undo(empty, qtbot):
    page = add_child(empty)
    form = press(qtbot, page, page.edit_button)
    assert form.windowTitle() == "Edit Amira Testwood's details"
    assert form.widget("preferred_name").text() == "Mira"
    assert form.period is None  # the care history is changed on the page
    form.widget("preferred_name").selectAll()
    qtbot.keyClicks(form.widget("preferred_name"), "Amy")
    type_into(qtbot, form.widget("communication_needs"), "Short sentences")
    save(qtbot, form)
    assert "Known as Amy" in page.subtitle.text()
    assert page.facts["Communication needs"].text() == "Short sentences"
    qtbot.mouseClick(page.undo_button, CLICK)
    assert "Known as Mira" in page.subtitle.text()
    assert page.facts["Communication needs"].text() == "None recorded"


def test_remove_a_child_needs_a_reason_and_they_go_from_every_list(empty, qtbot):
    page = add_child(empty)
    child_id = page.child_id
    form = press(qtbot, page, page.remove_button)
    assert not form.ok_button.isEnabled()
    type_into(qtbot, form.widget("reason"), "added by mistake")
    save(qtbot, form)
    caseload = empty.page("caseload")
    assert empty.current_page() is caseload
    assert caseload.model.rowCount() == 0
    assert caseload.views.currentWidget() is caseload.empty
    assert caseload_service.children(empty.session) == []
    trail = caseload_service.audit_trail(empty.session, child_id)
    assert any(e["action"] == "delete" and "added by mistake" in e["detail"] for e in trail)
    empty.back()
    assert empty.current_page() is caseload  # Back does not lead to the removed child


def test_adoption_decision_and_missing_episode(empty, qtbot):
    page = add_child(empty)
    page.tabs.setCurrentWidget(page.adoption_missing)
    form = press(qtbot, page, page.adoption_missing.adoption_button)
    type_into(qtbot, form.widget("decided_on"), "01/12/2026")
    choose(qtbot, form.widget("reason_ceased"), "RD2")
    assert form.shown_messages()["ceased_on"] == "Give the date it was reversed."
    type_into(qtbot, form.widget("ceased_on"), "20/12/2026")
    save(qtbot, form)
    adoption = page.adoption_missing.adoption.model
    assert adoption.index(0, 0).data() == "1 Dec 2026"
    assert adoption.index(0, 1).data() == "20 Dec 2026"

    form = press(qtbot, page, page.adoption_missing.missing_button)
    choose(qtbot, form.widget("kind"), "M")
    type_into(qtbot, form.widget("start"), "03/01/2027")
    save(qtbot, form)
    missing = page.adoption_missing.missing.model
    assert [missing.index(0, c).data() for c in range(3)] == [
        "M Missing",
        "3 Jan 2027",
        "Not back yet",
    ]


def test_a_form_open_at_the_lock_is_kept_and_put_back(empty, qtbot):
    page = add_child(empty)
    page.tabs.setCurrentWidget(page.visits)
    form = press(qtbot, page, page.visits.add_button)
    type_into(qtbot, form.widget("by"), "Jo Fielding")
    empty.lock()
    assert not form.isVisible()
    assert dialogs.last("confirm") is None  # the lock does not ask
    from .support import unlock

    unlock(empty)
    page = empty.page("child")
    form = page.changes.form
    assert form is not None and form.isVisible()
    assert "Jo Fielding" in form.widget("by").text()
