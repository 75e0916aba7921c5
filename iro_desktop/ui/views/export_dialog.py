"""File > Export the 903 return: the collection year, where to write, then what was written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs
from iro_desktop.ui.tasks import TaskManager

YEARS_BACK = 5
FILE_WORDS = {
    "Header": "children",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "UASC rows",
    "PlacedAdoption": "adoption decisions",
    "Missing": "missing episodes",
}


def year_words(year: int) -> str:
    return f"April {year - 1} to March {year} ({year - 1}/{year % 100:02d})"


def default_folder(year: int) -> str:
    return str(Path.home() / f"903 return {year - 1}-{year % 100:02d}")


class ExportDialog(QDialog):
    def __init__(
        self,
        tasks: TaskManager,
        session: Any,
        today: date,
        parent: QWidget | None = None,
        on_written: Callable[[str], None] | None = None,
    ) -> None:
        from iro_desktop.services.ssda903_export import default_year

        super().__init__(parent)
        self.tasks, self.session, self.on_written = tasks, session, on_written
        self.result: Any = None
        self.setWindowTitle("Export the 903 return")
        self.setAccessibleName("Export the 903 return")
        self.setModal(True)
        self.resize(640, 420)
        intro = QLabel(
            "Writes the DfE's children looked after return (SSDA903) for the children on this "
            "caseload: one CSV file per table, for the council's performance team or to check "
            "with the DfE's validator. The files hold no names, but they are about children: "
            "keep them on the council's secure storage."
        )
        intro.setWordWrap(True)

        this_year = default_year(today)
        self.year = QComboBox()
        for year in range(this_year, this_year - YEARS_BACK, -1):
            self.year.addItem(year_words(year), year)
        self.year.setAccessibleName("Collection year")
        self.folder = QLineEdit(default_folder(this_year))
        self.folder.setAccessibleName("Folder to write the files to")
        self._suggested = self.folder.text()
        self.year.currentIndexChanged.connect(self._year_changed)
        self.choose_button = choose = QPushButton("C&hoose...")
        choose.setAccessibleName("Choose the folder")
        choose.clicked.connect(self._choose)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(choose)
        row.setFocusProxy(self.folder)
        form = QFormLayout()
        year_label = QLabel("Collection &year:")
        year_label.setBuddy(self.year)
        folder_label = QLabel("Write to &folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(year_label, self.year)
        form.addRow(folder_label, row)

        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setVisible(False)
        self.bar.setAccessibleName("Writing the files")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What was written")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.buttons = QDialogButtonBox()
        self.write_button = self.buttons.addButton(
            "&Write the files", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.write_button.setAccessibleName("Write the files")
        self.write_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.write_button.clicked.connect(self.write)
        self.close_button.clicked.connect(self.reject)
        self.folder.textChanged.connect(
            lambda text: self.write_button.setEnabled(bool(text.strip()))
        )

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.buttons)

    def _year_changed(self, _index: int) -> None:
        # Follow the year while the folder is still the suggested one.
        if self.folder.text() == self._suggested:
            self._suggested = default_folder(int(self.year.currentData()))
            self.folder.setText(self._suggested)

    def _choose(self) -> None:
        chosen = dialogs.choose_folder(self, "Choose where to write the return", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def write(self) -> None:
        from iro_desktop.interchange.ssda903_write import FILE_NAMES
        from iro_desktop.services.ssda903_export import export_return

        year = int(self.year.currentData())
        out = Path(self.folder.text().strip()).expanduser()
        there = [name for name in FILE_NAMES.values() if (out / name).exists()]
        if there and not dialogs.confirm(
            self,
            "Replace the files?",
            f"The folder already has {', '.join(there)}. Replace them with this return?",
            yes_label="&Replace",
        ):
            return
        session = self.session
        self.bar.setVisible(True)
        self.write_button.setEnabled(False)
        self.status.setText("Writing the files...")

        def done(result: Any) -> None:
            self.result = result
            self.bar.setVisible(False)
            lines = [f"\u2022 {FILE_WORDS.get(t, t)}: {n}" for t, n in result.rows.items()]
            where = result.files[0].parent if result.files else out
            self.status.setText(
                f"The return for {year_words(year)} was written to {where}:\n" + "\n".join(lines)
            )
            self.write_button.setVisible(False)
            self.close_button.setText("Close")
            if self.on_written is not None:
                self.on_written(result.summary)

        def failed(exc: BaseException) -> None:
            self.bar.setVisible(False)
            self.write_button.setEnabled(True)
            self.status.setText(f"The return was not written. {exc}")

        self.tasks.run(lambda: export_return(session, year, out), done, failed, label="export 903")
