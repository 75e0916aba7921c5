"""The child's own words recorded in the review window, kept with the review for the letter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from iro_desktop.domain.review import ChildView, ViewSource
from tests.services import letters_kit as kit

from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    ALT,
    CTRL,
    alt,
    key,
    quick_typing,
    stored,
    type_text,
)


def test_the_childs_words_are_typed_and_kept_with_the_review(unlocked, qtbot):
    window = unlocked
    assert window.session is not None
    review_id = kit.completed_review(window.session, kit.make_child(window.session))
    window.show_page("review", review_id)
    page = window.page("review")
    key(qtbot, window, Qt.Key.Key_7, ALT)
    assert page.sections[6].title == "What the child told us"
    alt(qtbot, window, "o")  # In their own words
    type_text(qtbot, window, "I want to see my brother more.")
    alt(qtbot, window, "k")  # If they did not take part, how you asked
    type_text(qtbot, window, "I rang you.")
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    saved = stored(window, review_id)
    assert saved.child_views == (
        ChildView(words="I want to see my brother more.", source=ViewSource.IN_MEETING),
    )
    assert saved.views_sought == "I rang you."
