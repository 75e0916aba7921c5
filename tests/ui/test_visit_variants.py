"""A move to a relative approved temporarily as foster carer (reg 24): the child's page then
asks for weekly social worker visits until the first review, as the dashboard does."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_care_history import add_child, press, save
from .test_child_entry import choose, type_into


def test_temporary_approval_ticked_on_a_move_makes_the_next_visit_weekly(empty, qtbot):
    page = add_child(empty)
    form = press(qtbot, page, page.care.move_button)
    type_into(qtbot, form.widget("on"), "04/01/2027")
    choose(qtbot, form.widget("placement_type"), "U3")
    choose(qtbot, form.widget("reason_place_change"), "CARPL")
    type_into(qtbot, form.widget("provider"), "Nan Testwood")
    box = form.widget("temporary_approval")
    assert "reg 24" in box.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    save(qtbot, form)

    page.tabs.setCurrentWidget(page.visits)
    form = press(qtbot, page, page.visits.add_button)
    form.widget("visited_on").setText("")
    type_into(qtbot, form.widget("visited_on"), "05/01/2027")
    choose(qtbot, form.widget("seen_alone"), "yes")
    save(qtbot, form)
    # Weekly until the first review, not the usual 6 weeks (16 Feb 2027).
    assert page.facts["Next visit due (reg 28)"].text() == "12 Jan 2027"
