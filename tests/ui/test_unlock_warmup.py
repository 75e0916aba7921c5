"""While the unlock screen waits for the passphrase, the window loads what the caseload opens
with (its modules, the caseload page), without touching the caseload; typing and unlocking
carry on as before, and Enter shows the page that was made ahead with the children in it."""

from __future__ import annotations

import sys

from iro_desktop.services.warmup import MODULES, warm_up
from iro_desktop.ui.warmup import SCREENS

from .support import LOGIN, unlock


def test_the_caseload_screen_is_ready_before_the_passphrase_is_in(window):
    assert window.root.currentWidget() is window.unlock_panel
    window.warmup.start()
    window.warmup.finish_now()

    assert window.session is None  # nothing was opened: there is no key yet
    assert "caseload" in window.pages  # made while the IRO typed
    assert window.root.currentWidget() is window.unlock_panel
    assert window.unlock_panel.passphrase.isEnabled()
    assert window.unlock_panel.login.currentText() == LOGIN
    assert all(name in sys.modules for name in (*MODULES, *SCREENS))

    made = window.pages["caseload"]
    unlock(window)
    assert window.current_page() is made
    assert made.model.rowCount() == 70


def test_a_warm_up_that_cannot_load_something_never_stops_the_window(monkeypatch):
    monkeypatch.setattr("iro_desktop.services.warmup.MODULES", ("iro_desktop.no_such_module",))
    assert warm_up() == ["iro_desktop.no_such_module"]
