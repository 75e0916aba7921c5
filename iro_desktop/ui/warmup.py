"""Load the caseload's screens while the IRO types the passphrase (the wait a person feels).

When the unlock screen is up, `Warmup.start()` runs `services.warmup.warm_up` on a thread of
its own (the database worker stays free for the unlock itself) and, on the main thread, imports
the screens the caseload opens with and builds the caseload page, one small step per turn of
the event loop so that typing is never held up. After Enter only the key derivation, the
caseload's own queries and the paint are left. Nothing here sees the passphrase or the key.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

# The screens the caseload opens with (the list, its new-child entry), imported ahead.
SCREENS = (
    "iro_desktop.ui.views.caseload",
    "iro_desktop.ui.views.child_entry",
    "iro_desktop.ui.entry",
    "iro_desktop.ui.views.child_form",
    "iro_desktop.ui.sync_status",
)


class Warmup(QObject):
    """Started once per window; `build_page` makes the first page (on the main thread)."""

    def __init__(self, build_page: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._build_page = build_page
        self._steps: list[Callable[[], object]] = []
        self.started = False
        self.loader: threading.Thread | None = None

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        self.loader = threading.Thread(target=_background, name="iro-warmup", daemon=True)
        self.loader.start()
        self._steps = [*(lambda n=name: importlib.import_module(n) for name in SCREENS)]
        self._steps += [self._build_page, _draw_glyphs]
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        if not self._steps:
            return
        if self.loader is not None and self.loader.is_alive():
            # Two threads importing at once contend for the interpreter, and the typing
            # would stutter: the screens wait for the background part.
            QTimer.singleShot(20, self._step)
            return
        step = self._steps.pop(0)
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a warm-up never stops the window
            log.debug("warm-up step failed: %s", exc)
        if self._steps:
            QTimer.singleShot(1, self._step)

    def finish_now(self) -> None:
        """Every step at once (tests; or when the caseload opens before the steps ran)."""
        if self.loader is not None:
            self.loader.join()
        while self._steps:
            self._step()


def _draw_glyphs() -> None:
    """Draw every printable character once in the window's fonts (plain and bold) off screen,
    so the first paint of the caseload list finds its glyphs already rasterised."""
    from PySide6.QtGui import QFont, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    text = "".join(chr(c) for c in range(32, 127)) + "\u2013\u2014\u2019\u201c\u201d\u00a3"
    image = QImage(2000, 60, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        font = QFont(QApplication.font())
        for bold in (False, True):
            font.setBold(bold)
            painter.setFont(font)
            painter.drawText(0, 20 + 20 * bold, text)
    finally:
        painter.end()


def _background() -> None:
    from iro_desktop.services.warmup import warm_up

    warm_up()
