"""A re-encryption killed half-way (a flat battery): the next unlock in the window finishes it
and shows the new recovery code once, since the old one no longer works."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

from iro_desktop.services import window as service
from iro_desktop.ui import dialogs

from .support import LOGIN, PASSPHRASE, make_window, unlock

CODE = re.compile(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){4}")


def test_unlocking_after_a_killed_rekey_shows_the_new_recovery_code_once(qtbot, paths):
    killed = subprocess.run(
        [sys.executable, "-m", "tests.crash_at", "rekey:re-encrypted"]
        + ["--data-dir", str(paths.root), "--user", LOGIN, "rekey"],
        env=dict(os.environ, IRO_DESKTOP_PASSPHRASE=PASSPHRASE),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    window = make_window(qtbot, paths)
    window.start()
    seen: list[str] = []

    def write_it_down(dialog) -> bool:  # type: ignore[no-untyped-def]
        seen.append(dialog.view.code.text())
        dialog.view.confirmed.setChecked(True)
        return True

    dialogs.set_next_answer(write_it_down)
    unlock(window)
    assert window.session is not None and window.session.is_open
    assert window.page("caseload").model.rowCount() == 70
    assert len(seen) == 1 and CODE.fullmatch(seen[0]), seen
    qtbot.waitUntil(lambda: not (paths.root / "keys.json.pending").exists())

    window.lock()
    dialogs.reset()
    dialogs.non_interactive(True)
    unlock(window)
    assert window.session is not None and window.session.is_open
    assert not [s for s in dialogs.history if s.kind == "form"], "shown a second time"
    window.lock()
    # The code shown is the one that now works.
    service.reset_passphrase(paths, LOGIN, seen[0], "a passphrase set with the new code")
    unlock(window, "a passphrase set with the new code")
    assert window.session is not None and window.session.is_open
