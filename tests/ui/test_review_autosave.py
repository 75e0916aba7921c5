"""Every edit reaches the store within two seconds; a lock saves at once; undo and redo of
recommendations and meetings, within what the record allows."""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import timedelta

from PySide6.QtCore import Qt

from iro_desktop.domain.review import RecommendationStatus, ReviewStatus
from iro_desktop.services import reviews as svc
from iro_desktop.ui.review_editor import UNDONE_ADD

from .support import TODAY, unlock
from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    ALT,
    CTRL,
    alt,
    choose,
    dmy,
    key,
    latest_review_id,
    press,
    quick_typing,
    stored,
    type_text,
)

SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_typing_reaches_the_store_within_two_seconds(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Kettlewick")
    window.show_page("review", review_id)
    page = window.page("review")

    key(qtbot, window, Qt.Key.Key_1, ALT)
    alt(qtbot, window, "u")
    type_text(qtbot, window, "The library, as Reuben's carer asked")
    typed = time.monotonic()
    assert page.saved.text() == "Unsaved changes (saving in a moment)"

    def saved() -> bool:
        venue = stored(window, review_id).preparation.child_choices.venue
        return venue == "The library, as Reuben's carer asked"

    qtbot.waitUntil(saved, timeout=2000)
    assert time.monotonic() - typed < 2.0
    assert re.fullmatch(r"Saved \d\d:\d\d:\d\d", page.saved.text())


def test_a_lock_saves_what_was_being_typed_at_once(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Kettlewick")
    window.show_page("review", review_id)

    key(qtbot, window, Qt.Key.Key_1, ALT)
    alt(qtbot, window, "u")
    type_text(qtbot, window, "Park cafe")
    key(qtbot, window, Qt.Key.Key_L, CTRL)  # lock before the autosave's second is up
    assert window.session is None
    page = window.page("review")
    assert page.editor.draft is None
    assert page.sections[0].venue.text() == ""  # nothing of the record stays on screen

    unlock(window)
    assert stored(window, review_id).preparation.child_choices.venue == "Park cafe"
    assert window.current_page() is page
    assert page.sections[0].venue.text() == "Park cafe"


def test_undo_and_redo_of_recommendations_keep_what_the_store_allows(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Kettlewick")
    window.show_page("review", review_id)
    page = window.page("review")
    recs = page.sections[5]

    key(qtbot, window, Qt.Key.Key_6, ALT)
    press(qtbot, window, "n")
    type_text(qtbot, window, "Book speech therapy")
    alt(qtbot, window, "t")  # to the table: Ctrl+Z there is the review's undo
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert page.editor.draft.recommendations[0].action == ""
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert page.editor.draft.recommendations == ()
    assert recs.model.rowCount() == 0
    key(qtbot, window, Qt.Key.Key_Z, SHIFT_CTRL)
    key(qtbot, window, Qt.Key.Key_Z, SHIFT_CTRL)
    assert [r.action for r in page.editor.draft.recommendations] == ["Book speech therapy"]
    assert recs.action.text() == "Book speech therapy"

    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).recommendations[0].action == "Book speech therapy"
    # Once saved, undoing the addition drops it with the reason: it is never deleted.
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    (rec,) = stored(window, review_id).recommendations
    assert rec.status is RecommendationStatus.DROPPED
    assert rec.status_note == UNDONE_ADD
    assert "Dropped" in recs.model.data(recs.model.index(0, 5))


def test_undo_of_a_meeting_before_it_is_saved_and_after(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Kettlewick")
    window.show_page("review", review_id)
    page = window.page("review")
    meetings = page.sections[1]

    key(qtbot, window, Qt.Key.Key_2, ALT)
    press(qtbot, window, "t")  # add the first meeting (today)
    assert len(page.editor.draft.meetings) == 1
    key(qtbot, window, Qt.Key.Key_Z, CTRL)  # focus is on the list of meetings
    assert page.editor.draft.meetings == ()
    assert meetings.list.count() == 0
    key(qtbot, window, Qt.Key.Key_Z, SHIFT_CTRL)
    assert len(page.editor.draft.meetings) == 1

    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert len(stored(window, review_id).meetings) == 1
    window.statusBar().clearMessage()
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert len(page.editor.draft.meetings) == 1  # a saved meeting stays on the record
    assert "stays on the record" in window.statusBar().currentMessage()


def test_a_change_the_rules_refuse_is_kept_aside_and_can_be_dropped(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "Olivia Nettlefold")  # an open series of meetings
    # Start from a series with only its first meeting held (the demo also arranges the next).
    from iro_desktop.store import review_repository

    opened = svc.get_review(window.session, review_id)
    held = tuple(m for m in opened.review.meetings if m.held)[:1]
    with window.session.unit_of_work() as s:
        review_repository.save_review(
            s,
            dataclasses.replace(opened.review, meetings=held),
            basis=opened.basis,
            now=window.session.now(),
        )
    window.show_page("review", review_id)
    page = window.page("review")
    meetings = page.sections[1]
    first = page.editor.stored.meetings[0].on

    key(qtbot, window, Qt.Key.Key_2, ALT)
    alt(qtbot, window, "e")
    type_text(qtbot, window, dmy(TODAY))
    alt(qtbot, window, "a")
    choose(qtbot, window, "Unav")
    press(qtbot, window, "t")
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert len(stored(window, review_id).meetings) == 2
    assert not page.kept_host.isVisible()

    alt(qtbot, window, "d")  # the second meeting's date, typed before the first meeting's
    type_text(qtbot, window, dmy(first - timedelta(days=3)))
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert page.kept_host.isVisible()
    assert "Not saved: Meetings of a series are in date order" in page.kept.text()
    assert stored(window, review_id).meetings[1].on == TODAY  # the store is unchanged...
    assert svc.get_review(window.session, review_id).unsaved_draft is not None  # ...typing kept

    page.put_back_button.click()
    assert not page.kept_host.isVisible()
    assert page.editor.draft.meetings[1].on == TODAY
    assert meetings.on.value() == TODAY
    assert svc.get_review(window.session, review_id).unsaved_draft is None


def test_a_signed_off_review_is_read_only_but_its_recommendations_can_be_marked_done(
    unlocked, qtbot
):
    window = unlocked
    review_id = latest_review_id(window, "Daniel Thistlewood")
    window.show_page("review", review_id)
    page = window.page("review")
    assert page.editor.stored.status is ReviewStatus.SUBMITTED
    assert page.signed_off.isVisible()
    assert not page.sections[0].widget().isEnabled()
    recs = page.sections[5]
    assert not recs.detail.isEnabled()

    key(qtbot, window, Qt.Key.Key_6, ALT)
    open_recs = [
        i
        for i, r in enumerate(page.editor.draft.recommendations)
        if r.status is RecommendationStatus.OPEN
    ]
    assert open_recs
    key(qtbot, window, Qt.Key.Key_Home, CTRL)
    for _ in range(open_recs[0]):
        key(qtbot, window, Qt.Key.Key_Down)
    assert recs.current == open_recs[0]
    press(qtbot, window, "m")
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    rec = stored(window, review_id).recommendations[open_recs[0]]
    assert rec.status is RecommendationStatus.DONE and rec.status_on == TODAY
    assert not page.kept_host.isVisible()
