"""Confirming a foster placement as long-term from the child's page (care history)."""

from __future__ import annotations

from datetime import date

from iro_desktop.services import children as children_service

from .test_care_history import add_child, press, save
from .test_child_entry import type_into


def test_confirm_a_foster_placement_as_long_term(empty, qtbot):
    page = add_child(empty)  # U6 foster care from 1 October 2026
    form = press(qtbot, page, page.care.long_term_button)
    type_into(qtbot, form.widget("on"), "20/11/2026")
    type_into(qtbot, form.widget("agreed"), "19/11/2026")
    assert "cannot agree before" in form.shown_messages()["agreed"]
    assert not form.ok_button.isEnabled()
    form.widget("agreed").setText("")
    save(qtbot, form)
    child = children_service.find(empty.session, page.view.child.id)
    current = child.current_period.episodes[-1]
    assert current.long_term_confirmed == date(2026, 11, 20)
    assert current.visits_six_monthly_agreed is None


def test_only_a_foster_placement_can_be_confirmed_as_long_term(empty, qtbot):
    page = add_child(empty)
    form = press(qtbot, page, page.care.move_button)
    type_into(qtbot, form.widget("on"), "01/11/2026")
    from .test_child_entry import choose

    choose(qtbot, form.widget("placement_type"), "K2")
    choose(qtbot, form.widget("reason_place_change"), "CARPL")
    type_into(qtbot, form.widget("provider"), "Oak House")
    save(qtbot, form)
    assert not page.care.long_term_button.isEnabled()
    assert "U1-U6" in page.care.long_term_button.toolTip()
