"""What opening a caseload needs, loaded before the passphrase is in: while the unlock screen
waits for the IRO to type, the window calls `warm_up()` on a thread of its own, so that after
Enter only the key derivation and the caseload's own queries are left.

Nothing here touches the caseload (there is no key yet) or keeps anything secret: it imports
the modules the unlock, the caseload list and the first sync load, and fills the bank-holiday
tables every working-day count uses, and sets up the store's
mappings. Safe to call more than once, from any thread.
"""

from __future__ import annotations

import importlib
import logging
from datetime import date

log = logging.getLogger(__name__)

# What the unlock, the caseload list, the window's first sync and its status bar import, in
# the order they are needed (found with an import audit hook after Enter; see
# benchmarks/bench_unlock.py).
MODULES = (
    "iro_desktop.services.window",
    "iro_desktop.store.migrate",
    "iro_desktop.domain.calendar",
    "iro_desktop.services.caseload",
    "iro_desktop.services.due",
    "iro_desktop.services.sync",
    "iro_desktop.sync.client",
    "httpx",
    # The sign-off count the navigation shows after every unlock (it loads the letters and
    # their PDF fonts): kept off the window's start-up, so loaded here instead.
    "iro_desktop.services.signoff",
)


def warm_up(today: date | None = None) -> list[str]:
    """Import what opening a caseload needs and build the working-day tables; returns the
    modules that could not be loaded (they load, or fail, again when really needed)."""
    missed = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a warm-up never stops the window
            log.debug("warm-up: %s not loaded: %s", name, exc)
            missed.append(name)
    try:
        from iro_desktop.store import tables

        tables.configure()
    except Exception as exc:  # noqa: BLE001
        log.debug("warm-up: mappings not configured: %s", exc)
    try:
        from iro_desktop.domain.calendar import WorkingCalendar

        day = today or date.today()
        calendar = WorkingCalendar()
        calendar.working_days_between(date(day.year - 1, 1, 1), day)
        calendar.is_working_day(day)
    except Exception as exc:  # noqa: BLE001
        log.debug("warm-up: calendar not built: %s", exc)
    return missed
