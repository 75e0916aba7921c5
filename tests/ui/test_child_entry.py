"""Adding a child by hand, from an empty caseload, as an IRO would: keyboard first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import children as children_service
from iro_desktop.ui import dialogs

from .support import NAME

CTRL = Qt.KeyboardModifier.ControlModifier


def open_form(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    form = window.page("caseload").entry.form
    assert form is not None and form.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form


def type_into(qtbot, widget, text):
    target = getattr(widget, "edit", widget)
    target.setFocus()
    qtbot.keyClicks(target, text)


def choose(qtbot, combo, code):
    combo.setFocus()
    index = combo.findData(code)
    assert index >= 0, code
    if combo.currentData():
        qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not more of one
    # Typing the code picks it, as the IRO would in the list.
    qtbot.keyClicks(combo, code)
    assert combo.currentData() == code, (code, combo.currentText())


def fill_amira(qtbot, form, la_id="1234567"):
    type_into(qtbot, form.widget("legal_first_name"), "Amira")
    type_into(qtbot, form.widget("legal_last_name"), "Testwood")
    type_into(qtbot, form.widget("preferred_name"), "Mira")
    type_into(qtbot, form.widget("date_of_birth"), "02/03/2015")
    choose(qtbot, form.widget("sex"), "F")
    type_into(qtbot, form.widget("la_child_id"), la_id)
    type_into(qtbot, form.widget("start"), "01/10/2026")
    choose(qtbot, form.widget("legal_status"), "C2")
    choose(qtbot, form.widget("placement_type"), "U4")
    choose(qtbot, form.widget("place_provider"), "PR1")


def test_add_a_child_from_an_empty_caseload_and_see_them_in_the_list(empty, qtbot):
    form = open_form(empty, qtbot)
    assert not form.ok_button.isEnabled()
    assert "legal first name" in form.needed_label.text()
    fill_amira(qtbot, form)
    assert form.widget("allocated_iro").currentText() == NAME  # the signed-in IRO
    assert form.ok_button.isEnabled(), form.shown_messages()
    assert form.needed_label.text() == ""
    qtbot.keyClick(form.widget("la_child_id"), Qt.Key.Key_Return)  # Enter saves

    assert not form.isVisible()
    caseload = empty.page("caseload")
    assert caseload.model.rowCount() == 1
    assert caseload.views.currentWidget() is caseload.table  # no longer 'empty'
    row = caseload.model.rows[0].row
    assert row.name == "Amira Testwood" and row.preferred_name == "Mira"
    assert row.legal_status == "C2" and row.placement == "U4"
    assert row.allocated_iro == NAME
    # ... and the child's page opened.
    child = empty.page("child")
    assert empty.current_page() is child
    assert child.name.text() == "Amira Testwood"
    assert "Known as Mira" in child.subtitle.text()
    assert child.episodes.rowCount() == 1


def test_required_fields_keep_save_off_and_say_what_is_missing(empty, qtbot):
    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("legal_first_name"), "Amira")
    qtbot.keyClick(form.widget("legal_first_name"), Qt.Key.Key_Tab)
    qtbot.keyClick(form.widget("legal_last_name"), Qt.Key.Key_Tab)  # left empty
    assert form.shown_messages()["legal_last_name"] == "Still needed: the last name."
    assert not form.ok_button.isEnabled()
    assert "the last name" in form.needed_label.text()


def test_problems_are_shown_beside_the_field_as_the_iro_types(empty, qtbot):
    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("date_of_birth"), "31/02/2015")
    assert form.shown_messages()["date_of_birth"] == "There is no 31 February 2015."
    form.widget("date_of_birth").setText("")
    type_into(qtbot, form.widget("date_of_birth"), "2 Mar 2015")
    assert "date_of_birth" not in form.shown_messages()
    assert form.widget("date_of_birth").shown.text() == "Mon 2 Mar 2015"
    # A DfE rule, checked live: section 20 cannot be a placement with parents (rule 378).
    type_into(qtbot, form.widget("start"), "01/10/2026")
    choose(qtbot, form.widget("legal_status"), "V2")
    choose(qtbot, form.widget("placement_type"), "P1")
    message = form.shown_messages()["placement_type"]
    assert "section 20" in message and "DfE rule 378" in message
    assert not form.ok_button.isEnabled()
    choose(qtbot, form.widget("placement_type"), "U4")
    assert "placement_type" not in form.shown_messages()


def test_a_refusal_from_the_save_is_shown_beside_the_field_and_nothing_typed_is_lost(empty, qtbot):
    form = open_form(empty, qtbot)
    fill_amira(qtbot, form, la_id="7654321")
    # Meanwhile the same council id arrives another way (another window, an import).
    children_service.add_child(
        empty.session,
        children_service.ChildDetails("Other", "Child", date(2014, 1, 1), "M", "7654321"),
    )
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert "already on this caseload" in form.shown_messages()["la_child_id"]
    assert form.widget("legal_first_name").text() == "Amira"
    assert form.widget("date_of_birth").text() == "02/03/2015"
    assert form.widget("legal_status").currentData() == "C2"
    assert QApplication.focusWidget() is form.widget("la_child_id")
    # Put it right and save: no half-saved child was left behind by the refusal.
    form.widget("la_child_id").selectAll()
    qtbot.keyClicks(form.widget("la_child_id"), "7654322")
    assert "la_child_id" not in form.shown_messages()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    ids = sorted(c.la_child_id for c in caseload_service.children(empty.session))
    assert ids == ["7654321", "7654322"]


def test_ctrl_z_undoes_the_last_change_in_the_form(empty, qtbot):
    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("legal_first_name"), "Amira")
    choose(qtbot, form.widget("sex"), "F")
    qtbot.keyClick(form.widget("sex"), Qt.Key.Key_Z, CTRL)
    assert form.widget("sex").currentData() == ""
    qtbot.keyClick(form.widget("sex"), Qt.Key.Key_Z, CTRL)
    assert form.widget("legal_first_name").text() == ""
    qtbot.keyClick(
        form.widget("legal_first_name"),
        Qt.Key.Key_Z,
        CTRL | Qt.KeyboardModifier.ShiftModifier,
    )
    assert form.widget("legal_first_name").text() == "Amira"


def test_esc_asks_before_throwing_away_what_was_typed(empty, qtbot):
    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("legal_first_name"), "Amira")
    qtbot.keyClick(form.widget("legal_first_name"), Qt.Key.Key_Escape)
    assert dialogs.last("confirm").title == "Discard what you typed?"
    assert form.isVisible()  # the safe answer: keep it
    assert form.widget("legal_first_name").text() == "Amira"
    dialogs.set_next_answer(True)
    qtbot.keyClick(form.widget("legal_first_name"), Qt.Key.Key_Escape)
    assert not form.isVisible()
    assert caseload_service.children(empty.session) == []


def test_esc_on_an_untouched_form_just_closes(empty, qtbot):
    form = open_form(empty, qtbot)
    qtbot.keyClick(form.widget("legal_first_name"), Qt.Key.Key_Escape)
    assert not form.isVisible()
    assert dialogs.last("confirm") is None


def test_tab_goes_through_the_fields_in_the_order_they_are_shown(empty, qtbot):
    form = open_form(empty, qtbot)
    order = [
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "la_child_id",
        "upn",
    ]
    form.widget(order[0]).setFocus()
    for name in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = form.widget(name)
        target = getattr(widget, "edit", widget)
        assert QApplication.focusWidget() is target, name


def test_a_sibling_chosen_in_the_form_shares_the_group(empty, qtbot):
    form = open_form(empty, qtbot)
    fill_amira(qtbot, form)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("legal_first_name"), "Bilal")
    type_into(qtbot, form.widget("legal_last_name"), "Testwood")
    type_into(qtbot, form.widget("date_of_birth"), "14/07/2017")
    choose(qtbot, form.widget("sex"), "M")
    type_into(qtbot, form.widget("la_child_id"), "1234568")
    form.period.setChecked(False)  # his period of care is added later
    siblings = form.widget("siblings")
    assert siblings.count() == 1 and "Amira" in siblings.item(0).text()
    siblings.setFocus()
    siblings.setCurrentRow(0)
    qtbot.keyClick(siblings, Qt.Key.Key_Space)
    assert siblings.item(0).checkState() == Qt.CheckState.Checked
    assert form.ok_button.isEnabled(), form.shown_messages()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    kids = {c.legal_first_name: c for c in caseload_service.children(empty.session)}
    assert (
        kids["Bilal"].sibling_group and kids["Bilal"].sibling_group == kids["Amira"].sibling_group
    )
    assert kids["Bilal"].periods == ()


def test_what_was_typed_survives_the_lock_and_comes_back_after_unlocking(empty, qtbot):
    from .support import unlock

    form = open_form(empty, qtbot)
    type_into(qtbot, form.widget("legal_first_name"), "Amira")
    type_into(qtbot, form.widget("date_of_birth"), "02/03/2015")
    empty.lock()
    assert not form.isVisible()
    assert dialogs.last("confirm") is None  # the lock closes the form without asking
    unlock(empty)
    again = empty.page("caseload").entry.form
    assert again is not None and again.isVisible()
    assert again.widget("legal_first_name").text() == "Amira"
    assert again.widget("date_of_birth").text() == "02/03/2015"
    assert again.windowTitle() == "Add a child"


def test_the_calendar_opens_with_alt_down_and_enter_chooses(empty, qtbot):
    form = open_form(empty, qtbot)
    field = form.widget("date_of_birth")
    type_into(qtbot, field, "02/03/2015")
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    assert calendar.selectedDate().toString("dd/MM/yyyy") == "02/03/2015"
    grid = calendar.findChild(QAbstractItemView)  # where the calendar's keys go
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert field.text() == "03/03/2015"
    assert field.shown.text() == "Tue 3 Mar 2015"
