"""File > Import from your council's files: choose the folder, preview, then import.

The preview (services.ssda903_import.plan_import) reads and checks everything and writes
nothing; the IRO sees what would change and every problem, in a list they can scroll and
copy. Import is offered only for a clean preview, and writes all or nothing. Cancel at any
point leaves the caseload as it was: the preview wrote nothing, and an import that is stopped
part-way is rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs
from iro_desktop.ui.tasks import TaskManager


class ImportCancelled(Exception):
    """Raised from the progress callback when the IRO pressed Cancel (rolls the import back)."""


class Progress(QObject):
    """Progress reported from the worker thread; the signal arrives on the main thread."""

    moved = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        # Runs on the worker: no widgets here, only the signal (queued to the main thread).
        if self.cancel.is_set() and done < total:
            raise ImportCancelled()
        self.moved.emit(done, total)


def _path_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(edit, 1)
    line.addWidget(button)
    row.setFocusProxy(edit)
    return row


class ImportDialog(QDialog):
    def __init__(
        self,
        tasks: TaskManager,
        session: Any,
        on_imported: Callable[[str], None],
        parent: QWidget | None = None,
        copy: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.session, self.on_imported, self.copy = tasks, session, on_imported, copy
        self.plan: Any = None
        self.result: Any = None
        self.state = "choose"  # choose | checking | previewed | importing | done
        self._progress: Progress | None = None
        self.setWindowTitle("Import from your council's files")
        self.setAccessibleName("Import from your council's files")
        self.setModal(True)
        self.resize(760, 620)

        intro = QLabel(
            "Choose the folder holding the council's SSDA903 files (the children looked after "
            "return, as CSV: header, episodes, reviews, UASC, placed for adoption, missing). "
            "Nothing changes until you press Import: first the files are checked and you see "
            "what would change. Children already here are matched on the council's child id."
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("The folder with the 903 CSV files")
        self.choose_button = choose = QPushButton("C&hoose...")
        choose.setAccessibleName("Choose the folder")
        choose.clicked.connect(self._choose_folder)
        self.names = QLineEdit()
        self.names.setPlaceholderText("Optional: a CSV with CHILD and NAME columns")
        self.choose_names_button = choose_names = QPushButton("Ch&oose...")
        choose_names.setAccessibleName("Choose the names file")
        choose_names.clicked.connect(self._choose_names)
        form = QFormLayout()
        form.setVerticalSpacing(6)
        folder_label = QLabel("&Folder:")
        folder_label.setBuddy(self.folder)
        self.folder.setAccessibleName("Folder with the council's files")
        form.addRow(folder_label, _path_row(self.folder, choose))
        names_label = QLabel("&Names file:")
        names_label.setBuddy(self.names)
        self.names.setAccessibleName("Names file (optional)")
        form.addRow(names_label, _path_row(self.names, choose_names))
        names_hint = QLabel(
            "The 903 files hold no names. Without a names file, new children are listed by the "
            "council's id until you add their names; a names file in the folder is found "
            "by itself."
        )
        names_hint.setObjectName("hint")
        names_hint.setWordWrap(True)
        form.addRow("", names_hint)
        self.folder.textChanged.connect(self._paths_changed)
        self.names.textChanged.connect(self._paths_changed)

        self.check_button = QPushButton("&Check the files")
        self.check_button.setAccessibleName("Check the files")
        self.check_button.clicked.connect(self.check)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What is happening")
        checking = QHBoxLayout()
        checking.addWidget(self.check_button)
        checking.addWidget(self.bar, 1)
        checking.addStretch(0)
        self.check_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("What the import would do")
        self.problems_label = QLabel("")
        self.problems_label.setObjectName("sectionHeading")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setTabChangesFocus(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems.setAccessibleName("Problems and notes about the files")
        self.problems_label.setBuddy(self.problems)
        self.copy_button = QPushButton("Co&py the list")
        self.copy_button.setAccessibleName("Copy the list of problems")
        self.copy_button.clicked.connect(self._copy)
        for widget in (self.problems_label, self.problems, self.copy_button):
            widget.setVisible(False)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Close without importing anything (Esc)")
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(checking)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self._paths_changed()

    # --- choosing ------------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        chosen = dialogs.choose_folder(self, "Choose the folder with the council's files")
        if chosen:
            self.folder.setText(chosen)
            self.check_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose_names(self) -> None:
        chosen = dialogs.open_file(
            self, "Choose the names file", "CSV files (*.csv);;All files (*)"
        )
        if chosen:
            self.names.setText(chosen)

    def _paths_changed(self) -> None:
        if self.state in ("importing", "done"):
            return
        self.plan = None
        self.state = "choose"
        self.check_button.setEnabled(bool(self.folder.text().strip()))
        self.import_button.setEnabled(False)
        self.summary.setText("")
        self._show_list([], [])

    # --- preview --------------------------------------------------------------------------------

    def _new_progress(self) -> Progress:
        progress = Progress(self)
        progress.moved.connect(self._moved)
        self._progress = progress
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        return progress

    def _moved(self, done: int, total: int) -> None:
        if self.sender() is not self._progress:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def check(self) -> None:
        from iro_desktop.services import ssda903_import as service

        folder = Path(self.folder.text().strip())
        names_text = self.names.text().strip()
        names = Path(names_text) if names_text else None
        session, progress = self.session, self._new_progress()
        self.state = "checking"
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.status.setText("Reading and checking the files. Nothing is changed yet...")

        def done(plan: Any) -> None:
            if self._progress is not progress or self.state != "checking":
                return  # cancelled, or the folder changed meanwhile
            self._previewed(plan)

        def failed(exc: BaseException) -> None:
            if self._progress is progress and self.state == "checking":
                self.state = "choose"
                self.bar.setVisible(False)
                self.check_button.setEnabled(True)
                self.status.setText(f"The files could not be read: {exc}")

        self.tasks.run(
            lambda: service.plan_import(session, folder, names, progress=progress.report),
            done,
            failed,
            label="preview import",
        )

    def _previewed(self, plan: Any) -> None:
        self.plan = plan
        self.state = "previewed"
        self.bar.setVisible(False)
        self.check_button.setEnabled(True)
        self.summary.setText("\n".join(f"\u2022 {line}" for line in plan.summary_lines()))
        self._show_list(plan.problems, plan.warnings)
        can = plan.ok and plan.changes_anything
        self.import_button.setEnabled(can)
        if not plan.ok:
            self.status.setText(
                "The files have problems, so nothing can be imported. Ask the council's "
                "performance team to correct them (or correct a copy), then check again."
            )
        elif not plan.changes_anything:
            self.status.setText("Nothing to import: the caseload already holds these files.")
        else:
            self.status.setText("The files are ready. Press Import to bring them in.")
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_list(self, problems: list[str], warnings: list[str]) -> None:
        lines = list(problems) + [f"Note: {w}" for w in warnings]
        self.problems.setPlainText("\n".join(lines))
        shown = bool(lines)
        for widget in (self.problems_label, self.problems, self.copy_button):
            widget.setVisible(shown)
        if problems:
            noun = "problem" if len(problems) == 1 else "problems"
            self.problems_label.setText(f"{len(problems)} {noun} to put right")
        elif warnings:
            self.problems_label.setText("Notes (these do not stop the import)")

    def _copy(self) -> None:
        text = self.problems.toPlainText()
        if self.copy is not None:
            self.copy(text)
        else:
            from PySide6.QtWidgets import QApplication

            QApplication.clipboard().setText(text)
        self.status.setText("The list was copied.")

    # --- import ----------------------------------------------------------------------------------

    def start_import(self) -> None:
        from iro_desktop.services import ssda903_import as service

        plan = self.plan
        if plan is None or not plan.ok or self.state != "previewed":
            return
        session, progress = self.session, self._new_progress()
        self.state = "importing"
        self.import_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.status.setText("Importing. All or nothing: Cancel now and nothing is kept.")

        def done(result: Any) -> None:
            self.result = result
            self.state = "done"
            self.bar.setVisible(False)
            stopped = progress.cancel.is_set()
            self.status.setText(
                ("It had finished before it could be stopped. " if stopped else "") + result.summary
            )
            self.summary.setText("")  # the preview's 'to add' lines are history now
            self.import_button.setVisible(False)
            self.cancel_button.setText("Close")
            self.cancel_button.setToolTip("")
            self.on_imported(result.summary)

        def failed(exc: BaseException) -> None:
            self.bar.setVisible(False)
            if isinstance(exc, ImportCancelled):
                self.state = "done"
                self.status.setText("The import was cancelled. Nothing was changed.")
                super(ImportDialog, self).reject()
                return
            self.state = "previewed"
            self.plan = None
            self.check_button.setEnabled(True)
            self.status.setText(f"Nothing was imported. {exc}")

        self.tasks.run(
            lambda: service.apply_import(session, plan, progress=progress.report),
            done,
            failed,
            label="import",
        )

    def reject(self) -> None:
        if self.state == "importing" and self._progress is not None:
            # Stop at the next step; the transaction rolls back (see Progress.report).
            self._progress.cancel.set()
            self.status.setText("Stopping the import. Nothing will be kept...")
            self.cancel_button.setEnabled(False)
            return
        self.state = "done" if self.state == "done" else "cancelled"
        self._progress = None
        super().reject()
