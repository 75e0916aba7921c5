"""The 'Due' page: what is due, most urgent first, in words; the week and 4-week views; the
caseload against the guidance; Enter opens the review; the calendar file; and a child whose
dates cannot be worked out shown as a message, not a crash."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.domain.due import DueKind
from iro_desktop.domain.timescales import SeriesBasis
from iro_desktop.settings import _profile_cache, practice_profile
from iro_desktop.ui import dialogs
from tests.services.review_helpers import add_child

from .support import TODAY
from .test_review_walk import ALT, CTRL, alt, key, press

SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _due_page(window, qtbot):  # type: ignore[no-untyped-def]
    key(qtbot, window, Qt.Key.Key_2, CTRL)
    page = window.page("due")
    assert window.current_page() is page
    return page


def test_the_views_show_overdue_first_in_words_within_their_horizon(unlocked, qtbot):
    page = _due_page(unlocked, qtbot)
    assert page.summary.text() == "Your caseload: 70 children: within the 50-70 guidance."
    assert not page.basis.isVisible()  # the profile counts a series as the law does

    counts = {}
    for letter, view, days in (("w", "week", 7), ("n", "four_weeks", 28), ("a", "all", None)):
        press(qtbot, unlocked, letter)
        assert page.view_key == view
        rows = page.model.rows
        counts[view] = len(rows)
        if days is not None:
            assert all(r.item.due_date <= TODAY + timedelta(days=days) for r in rows)
        urgencies = [r.urgency for r in rows]
        # Most urgent first: every overdue row before anything that is not.
        overdue = [u == "Overdue" for u in urgencies]
        assert overdue == sorted(overdue, reverse=True)
        for r in rows:
            assert r.item.status  # in words, not colour alone
            if r.item.overdue:
                assert r.item.status.startswith("Overdue")
    assert 0 < counts["week"] <= counts["four_weeks"] < counts["all"]
    assert page.count.text() == f"{counts['all']} rows"
    kinds = {r.item.kind for r in page.model.rows}
    assert DueKind.REVIEW_DUE in kinds and DueKind.SERIES_OPEN in kinds
    series = next(r for r in page.model.rows if r.item.kind is DueKind.SERIES_OPEN)
    assert series.item.status.startswith("Series open for ")


def test_enter_opens_the_childs_review(unlocked, qtbot):
    page = _due_page(unlocked, qtbot)
    press(qtbot, unlocked, "a")
    alt(qtbot, unlocked, "d")
    assert QApplication.focusWidget() is page.table
    for _ in range(page.model.rowCount()):
        if page.selected().item.kind is DueKind.REVIEW_DUE:
            break
        key(qtbot, unlocked, Qt.Key.Key_Down)
    wanted = page.selected().item
    key(qtbot, unlocked, Qt.Key.Key_Return)
    review = unlocked.page("review")
    assert unlocked.current_page() is review
    assert review.editor.info.child_id == wanted.child_id
    assert review.editor.stored.status.value in ("planned", "preparing", "held", "stood_down")
    assert review.editor.stored.due_on == wanted.due_date
    assert review.sections[0].isAncestorOf(QApplication.focusWidget())


def test_plan_next_review_books_it_and_opens_it(unlocked, qtbot):
    child = add_child(
        unlocked.session, first="Pip", last="Newcomer", period_start=TODAY - timedelta(days=3)
    )
    page = _due_page(unlocked, qtbot)
    press(qtbot, unlocked, "r")  # refresh: the new child is there
    press(qtbot, unlocked, "a")
    alt(qtbot, unlocked, "d")
    for _ in range(page.model.rowCount()):
        if page.selected().item.child_id == child.id:
            break
        key(qtbot, unlocked, Qt.Key.Key_Down)
    assert page.selected().item.kind is DueKind.REVIEW_DUE
    press(qtbot, unlocked, "p")
    review = unlocked.page("review")
    assert unlocked.current_page() is review
    assert review.editor.stored.child_id == child.id
    assert review.editor.stored.sequence == 1
    assert "booked for" in unlocked.status_message()


def test_the_calendar_is_saved_where_the_iro_chooses(unlocked, qtbot, tmp_path: Path):
    page = _due_page(unlocked, qtbot)
    press(qtbot, unlocked, "w")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "my due dates"
    dialogs.set_next_answer(str(target))
    key(qtbot, unlocked, Qt.Key.Key_E, SHIFT_CTRL)
    saved = target.with_name("my due dates.ics")
    text = saved.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    entries = text.count("BEGIN:VEVENT")
    assert entries >= len(page.model.rows) > 0
    assert f"Saved {entries} calendar entries to {saved}." == unlocked.status_message()
    assert dialogs.last("save_file").title == "Export the due dates as a calendar"

    dialogs.set_next_answer(dialogs.CANCEL)  # cancelling writes nothing
    press(qtbot, unlocked, "e")
    assert sorted(p.name for p in folder.iterdir()) == ["my due dates.ics"]


def test_a_child_whose_dates_cannot_be_worked_out_is_a_message_row(unlocked, qtbot):
    # Saved (2040 is a year the program handles), but the first review would fall in 2041.
    add_child(unlocked.session, first="Oddly", last="Dated", period_start=date(2040, 12, 20))
    page = _due_page(unlocked, qtbot)
    first = page.model.rows[0]
    assert first.item is None
    assert first.urgency == "Check the record"
    assert first.problem.startswith("Oddly Dated: ")
    assert "2000-2040" in first.problem
    assert page.model.data(page.model.index(0, 5)) == first.problem
    assert len(page.model.rows) > 1  # the rest of the caseload is still listed


def test_a_profile_that_counts_a_series_from_its_last_meeting_says_so(unlocked, qtbot, monkeypatch):
    key_ = unlocked.session.settings.profile
    profile = practice_profile(key_)
    monkeypatch.setitem(
        _profile_cache, key_, dataclasses.replace(profile, series_basis=SeriesBasis.LAST_MEETING)
    )
    page = _due_page(unlocked, qtbot)
    assert page.basis.isVisible()
    text = page.basis.text()
    assert "counts a review held as a series of meetings as held on its last meeting" in text
    assert "statutory reading counts it as held on its first meeting" in text
    series = next(r for r in page.model.rows if r.item and r.item.kind is DueKind.SERIES_OPEN)
    assert "counts as held at its last meeting" in series.item.status
    key(qtbot, unlocked, Qt.Key.Key_1, ALT)  # (Alt+1 on this page does nothing harmful)
