"""For the start-up benchmark: note when the caseload list is first painted with its rows,
print the timings as one JSON line, and quit."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication


class PaintProbe(QObject):
    def __init__(self, marks: dict[str, float], table_name: str = "caseloadTable") -> None:
        super().__init__()
        self.marks = marks
        self.table_name = table_name
        self.done = False
        self.rows = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.done or event.type() != QEvent.Type.Paint:
            return False
        # The first screen a person sees (the unlock screen), whatever it is.
        self.marks.setdefault("first_paint", time.time())
        view = watched.parent()
        if not isinstance(view, QAbstractItemView) or view.objectName() != self.table_name:
            return False
        model: QAbstractItemModel | None = view.model()
        if model is None or model.rowCount() == 0:
            return False
        self.done = True
        self.rows = model.rowCount()
        # Report on the next turn of the event loop: this paint has then reached the screen.
        QTimer.singleShot(0, self.report)
        return False

    def give_up_after(self, seconds: float) -> None:
        """Quit with exit code 3 if the list never paints (a benchmark must not hang)."""
        QTimer.singleShot(int(seconds * 1000), self._give_up)

    def _give_up(self) -> None:
        if not self.done:
            print(json.dumps({"marks": self.marks, "error": "never painted"}), flush=True)
            QApplication.exit(3)

    def report(self) -> None:
        self.marks["painted"] = time.time()
        print(json.dumps({"marks": self.marks, "rows": self.rows}), flush=True)
        QApplication.quit()
