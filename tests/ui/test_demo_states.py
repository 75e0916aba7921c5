"""The demo agrees with itself (issue 12, item 17): in the `--demo` caseload a review waiting
for sign-off is in the manager's inbox, an approved or issued review has its approved or
issued letter, and there is a manager login, named with its passphrase in the demo's banner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from iro_desktop.domain.review import ReviewStatus
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import letters
from iro_desktop.services import reviews as review_service
from iro_desktop.services import window as window_service
from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui.launch import demo_banner

from .support import fixed_clock, make_window, unlock

CTRL = Qt.KeyboardModifier.ControlModifier
AGREE = {
    ReviewStatus.LETTER_DRAFTED: LetterStatus.DRAFT,
    ReviewStatus.SUBMITTED: LetterStatus.SUBMITTED,
    ReviewStatus.APPROVED: LetterStatus.APPROVED,
}


@pytest.fixture
def demo() -> Iterator[window_service.DemoCaseload]:
    # The first ten demo children between them show every state a review can be in.
    made = window_service.make_demo(12, clock=fixed_clock())
    yield made
    made.remove()


def test_the_demos_reviews_letters_and_manager_agree(demo, qtbot):
    session = demo.session
    by_status: dict[str, list[str]] = {}
    for child in caseload_service.caseload(session):
        for line in review_service.list_reviews(session, child.id):
            by_status.setdefault(line.status, []).append(line.id)
    submitted = by_status.get(ReviewStatus.SUBMITTED.value, [])
    assert submitted and by_status.get(ReviewStatus.APPROVED.value)
    for status, letter_status in AGREE.items():
        for review_id in by_status.get(status.value, []):
            opened = letters.open_letter(session, review_id)
            assert opened is not None, f"a review at '{status.label}' has no letter"
            assert opened.letter.status is letter_status
    session.lock()

    # The banner names the manager and their passphrase; they log in and find the letters.
    manager = ("manager", window_service.DEMO_MANAGER_PASSPHRASE)
    banner = demo_banner(window_service.DEMO_PASSPHRASE, manager)
    assert "\u201cmanager\u201d" in banner and window_service.DEMO_MANAGER_PASSPHRASE in banner
    assert "manager" in window_service.known_logins(session.paths)
    window = make_window(qtbot, session.paths)
    window.set_banner(banner)
    window.start(login="manager")
    unlock(window, manager[1], "manager")
    assert window.session is not None
    assert window.user_label.text() == "Signed in: Jo Ledgerwood (IRO manager)"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_5, CTRL)
    page = window.page("signoff")
    assert window.current_page() is page
    assert sorted(i.review_id for i in page.model.rows) == sorted(submitted)
    window.lock()
