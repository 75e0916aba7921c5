"""Problems shown at the field, never blocking the save: the PN0 rule, vague recommendations,
and mnemonics that each reach one field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from iro_desktop.domain import review as rv
from iro_desktop.ui.review_widgets import parse_date
from iro_desktop.ui.views.review_steps import STEPS

from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    ALT,
    CTRL,
    alt,
    choose,
    key,
    latest_review_id,
    press,
    quick_typing,
    stored,
    type_text,
)


def test_a_3_year_old_given_pn1_is_told_pn0_at_the_field_and_the_draft_still_saves(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "Alexander Duckerham")
    window.show_page("review", review_id)
    page = window.page("review")
    info = page.editor.info
    when = rv.review_date(page.editor.draft, info.basis)
    assert rv.age_on(info.child_dob, when) == 3
    participation = page.sections[2]

    key(qtbot, window, Qt.Key.Key_3, ALT)
    assert "under 4, so the code is PN0" in participation.suggestion.text()
    choose(qtbot, window, "PN1")
    message = participation.code_problem.text()
    assert participation.code_problem.isVisible()
    assert message.startswith("Error: The child was 3 on the review date")
    assert "so the participation code is PN0 (under 4), not PN1" in message
    assert participation.code.accessibleDescription() == message  # read out at the field
    assert "(1 error)" in page.nav.item(2).text()

    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).participation_code == "PN1"  # saved anyway

    press(qtbot, window, "u")  # Use PN0
    assert participation.code.value() == "PN0"
    assert not participation.code_problem.showing()  # gone (its room kept: nothing moves)
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).participation_code == "PN0"


def test_a_vague_recommendation_is_flagged_beside_its_row_and_saved(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Kettlewick")
    window.show_page("review", review_id)
    page = window.page("review")
    recs = page.sections[5]

    key(qtbot, window, Qt.Key.Key_6, ALT)
    press(qtbot, window, "n")
    type_text(qtbot, window, "Monitor Reuben's speech")
    alt(qtbot, window, "o")
    type_text(qtbot, window, "All professionals")

    check = recs.model.data(recs.model.index(0, 6))  # beside the row
    assert check == "Vague: 'monitor'; no one named; no date"
    reasons = recs.model.data(recs.model.index(0, 6), Qt.ItemDataRole.ToolTipRole)
    assert "'monitor' does not say what will be done" in reasons
    assert "'monitor' does not say what will be done" in recs.action_problem.text()
    assert "is not one person" in recs.owner_problem.text()
    assert recs.due_problem.text().startswith("Check: No due date")
    assert recs.add_button.isEnabled()  # nothing is blocked

    key(qtbot, window, Qt.Key.Key_S, CTRL)
    (rec,) = stored(window, review_id).recommendations
    assert (rec.action, rec.owner, rec.due_on) == (
        "Monitor Reuben's speech",
        "All professionals",
        None,
    )
    assert page.saved.text().startswith("Saved ")


def _mnemonics(widgets: list[object]) -> list[str]:
    found = []
    for w in widgets:
        text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
        m = re.search(r"&([^&])", text.replace("&&", ""))
        if m:
            found.append(m.group(1).lower())
    return found


def test_each_alt_letter_reaches_one_thing_in_every_part_of_the_review(unlocked):
    window = unlocked
    window.show_page("review", latest_review_id(window, "William Mossbottom"))
    page = window.page("review")
    page.sections[0].add_person()  # so the detail fields are there too
    menus = [a.text() for a in window.menuBar().actions()]
    menu_letters = [re.search(r"&(.)", t).group(1).lower() for t in menus if "&" in t]
    step_letters = [
        re.search(r"&(.)", words).group(1).lower() for _to, words in STEPS if "&" in words
    ]
    for i, section in enumerate(page.sections):
        page.go_to_section(i)
        shown = [
            w
            for w in [*section.findChildren(QLabel), *section.findChildren(QAbstractButton)]
            if w.isVisibleTo(page) and (not isinstance(w, QLabel) or w.buddy() is not None)
        ]
        letters = _mnemonics(shown) + step_letters + menu_letters
        clashes = sorted({x for x in letters if letters.count(x) > 1})
        assert clashes == [], f"{section.title}: Alt+{clashes} reach more than one thing"


def test_dates_are_typed_day_first_and_a_wrong_one_says_how_to_write_it():
    today = date(2027, 1, 11)
    assert parse_date("23/11/2026", today) == date(2026, 11, 23)
    assert parse_date("3.2.2027", today) == date(2027, 2, 3)
    assert parse_date("23 Nov 2026", today) == date(2026, 11, 23)
    assert parse_date("1st March 2027", today) == date(2027, 3, 1)
    assert parse_date("2026-11-23", today) == date(2026, 11, 23)
    assert parse_date("today", today) == today
    assert parse_date("  ", today) is None
    assert parse_date("23/11/26", today) == date(2026, 11, 23)
    # While typing, "23/11/20" is on its way to 2026, not the year 2020.
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("23/11/20", today, short_year=False)
    with pytest.raises(ValueError, match="'31/02/2027' is not a real date"):
        parse_date("31/02/2027", today)
    with pytest.raises(ValueError, match="23/11/2026 or 23 Nov 2026"):
        parse_date("next Tuesday", today)
