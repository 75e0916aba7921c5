"""The Letters page: every review whose letter to the child is still to be written, in draft,
back from the manager, waiting for sign-off, or approved and not yet issued, with its deadline
in words; Enter opens the letter. "Print all approved letters..." makes every approved letter's
PDF in one go, with a progress dialog that can stop between letters.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services import letters
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.letters import BatchLine, WorkItem
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import BLANK_LAST, Column, ColumnTableModel, RowFilter
from iro_desktop.ui.qt_models import SearchFilterProxy as _Proxy
from iro_desktop.ui.views.letter_words import sentence, short_status
from iro_desktop.ui.widgets import read_only_table, uk_date

# One row of the list: a review whose letter is still to do (services.letters.worklist).
LetterLine = WorkItem


def letter_lines(session: CaseloadSession) -> list[LetterLine]:
    """The letters to do, most urgent first: one query, whatever the caseload's size."""
    return letters.worklist(session)


def _urgency(line: LetterLine) -> tuple[int, str]:
    due = line.deadline.due_on if line.deadline is not None else None
    return (due.toordinal() if due else BLANK_LAST, line.child_name)


def _deadline_words(line: LetterLine) -> str:
    if line.problem:
        return f"Cannot be read: {line.problem}"
    if line.deadline is None:
        return ""
    return sentence(line.deadline.words.removeprefix("Letter to the child "))


def _tone(line: LetterLine) -> str | None:
    if line.problem or (line.deadline is not None and line.deadline.late):
        return "alert"
    if line.deadline is not None and (line.deadline.working_days or 0) <= 3:
        return "warn"
    return None


COLUMNS: list[Column[LetterLine]] = [
    Column("Child", lambda r: r.child_name, width_chars=24),
    Column(
        "Review completed",
        lambda r: uk_date(r.completed_on, "Not complete"),
        sort_key=lambda r: r.completed_on.toordinal() if r.completed_on else BLANK_LAST,
        width_chars=14,
    ),
    Column("Letter", lambda r: short_status(r.letter), width_chars=26),
    Column(
        "Deadline",
        _deadline_words,
        sort_key=lambda r: _urgency(r)[0],
        tone=_tone,
        tooltip=_deadline_words,
        width_chars=40,
    ),
]

FILTERS: list[RowFilter[LetterLine]] = [
    RowFilter("all", "All letters to do", lambda r: True),
    RowFilter("to_write", "Not written yet", lambda r: r.stage == "to_write"),
    RowFilter("draft", "Drafts", lambda r: r.stage == "draft"),
    RowFilter("returned", "Returned for changes", lambda r: r.stage == "returned"),
    RowFilter("submitted", "With a manager", lambda r: r.stage == "submitted"),
    RowFilter("approved", "Approved, not issued", lambda r: r.stage == "approved"),
    RowFilter(
        "late",
        "Late",
        lambda r: r.deadline is not None and bool(r.deadline.late),
    ),
]


class BatchStopped(Exception):
    """The IRO stopped the batch: raised from the progress callback between two letters."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"Stopped after {done} of {total} letters.")
        self.done = done
        self.total = total


@dataclass(frozen=True)
class BatchResult:
    lines: list[BatchLine]
    stopped: BatchStopped | None = None


class ProgressRelay(QObject):
    """Carries the worker's progress to the dialog on the main thread (a queued signal)."""

    moved = Signal(int, int)


class LettersTable(QTableView):
    def __init__(self, page: LettersPage) -> None:
        super().__init__()
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._page.open_current()
            event.accept()
            return
        super().keyPressEvent(event)


class LettersPage(Page):
    key = "letters"
    title = "Letters"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model: ColumnTableModel[LetterLine] = ColumnTableModel(COLUMNS, self)
        self.proxy = _Proxy[LetterLine](FILTERS, lambda r: r.child_name, self)
        self.proxy.setSourceModel(self.model)
        self.loaded = False
        self.batch_progress: QProgressDialog | None = None
        self.batch_relay = ProgressRelay(self)
        self.last_batch: BatchResult | None = None

        heading = QLabel("Letters to children")
        heading.setObjectName("pageHeading")
        intro = QLabel(
            "Reviews whose letter is still to be written, checked or sent, the most urgent "
            "first. Enter opens the letter."
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.filter = QComboBox()
        for f in FILTERS:
            self.filter.addItem(f.label, f.key)
        self.filter.setAccessibleName("Show which letters")
        self.filter.currentIndexChanged.connect(self._filter_changed)
        filter_label = QLabel("Sho&w:")
        filter_label.setBuddy(self.filter)
        self.count = QLabel("")
        self.count.setAccessibleName("How many letters are shown")
        self.open_button = QPushButton("&Open letter")
        self.open_button.setAccessibleName("Open the selected letter")
        self.open_button.clicked.connect(self.open_current)
        self.print_button = QPushButton("&Print all approved letters...")
        self.print_button.setAccessibleName("Print all approved letters")
        self.print_button.setToolTip(
            "Save every approved letter not yet issued as a PDF in a folder you choose"
        )
        self.print_button.clicked.connect(self.print_approved)

        bar = QHBoxLayout()
        bar.addWidget(filter_label)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.table = read_only_table("Letters to children", LettersTable(self))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for i, column in enumerate(COLUMNS[:-1]):
            header.resizeSection(i, column.width(char))
        header.setStretchLastSection(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    # --- loading ------------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        session = self.ctx.session()
        self.count.setText("Loading the letters...")

        def failed(exc: BaseException) -> None:
            self.count.setText("The letters could not be listed.")
            self.report(exc)

        self.ctx.tasks.run(lambda: letter_lines(session), self._loaded, failed, label="letters")

    def _loaded(self, lines: list[LetterLine]) -> None:
        keep = self.selected_review()
        self.model.set_rows(lines)
        self.loaded = True
        if keep:
            self.select_review(keep)
        self._update_count()

    def on_changed(self, what: str) -> None:
        if self.loaded and what in ("letters", "caseload"):
            self.reload()

    def _filter_changed(self, _index: int) -> None:
        key = self.filter.currentData()
        if key:
            self.proxy.set_filter(str(key))
            self._update_count()

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "letter" if total == 1 else "letters"
        self.count.setText(
            f"{total} {noun} to do" if shown == total else f"Showing {shown} of {total} {noun}"
        )

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def clear_for_lock(self) -> None:
        self.model.clear()
        self.loaded = False
        self.count.setText("")

    def state(self) -> dict[str, Any]:
        return {"filter": self.proxy.filter_key}

    def restore_state(self, state: dict[str, Any]) -> None:
        index = self.filter.findData(state.get("filter") or "all")
        if index >= 0:
            self.filter.setCurrentIndex(index)

    # --- opening ------------------------------------------------------------------------------

    def selected_review(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.proxy.row_at(index.row()).review_id

    def select_review(self, review_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).review_id == review_id:
                self.table.selectRow(row)
                return True
        return False

    def open_current(self) -> None:
        review_id = self.selected_review()
        if review_id:
            self.ctx.navigator.show_page("letter", review_id)

    # --- printing every approved letter -------------------------------------------------------

    def print_approved(self) -> None:
        session = self.ctx.session()
        today = session.clock.today()
        chosen = dialogs.save_file(
            self,
            "Save the approved letters in a new folder",
            f"approved-letters-{today.isoformat()}",
            "Folders (*)",
        )
        if not chosen:
            return
        folder = Path(chosen)
        progress = QProgressDialog("Getting the approved letters ready...", "&Cancel", 0, 0, self)
        progress.setWindowTitle("Saving the approved letters as PDF")
        progress.setAccessibleName("Saving the approved letters as PDF")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumWidth(420)
        dialogs.track(progress)
        stop = threading.Event()
        progress.canceled.connect(stop.set)
        self.batch_progress = progress

        def moved(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            progress.setLabelText(
                f"Saved {done} of {total} approved letters as PDF. Cancel stops after the "
                "letter being saved; those already saved are kept."
                if total
                else "There are no approved letters waiting to be issued."
            )

        self.batch_relay.moved.connect(moved)
        progress.show()

        def on_progress(done: int, total: int) -> None:  # on the worker: no widgets here
            self.batch_relay.moved.emit(done, total)
            if stop.is_set() and done < total:
                raise BatchStopped(done, total)

        def work() -> BatchResult:
            try:
                return BatchResult(letters.render_batch(session, folder, on_progress))
            except BatchStopped as stopped:
                return BatchResult([], stopped)

        def finished(result: BatchResult) -> None:
            self.batch_relay.moved.disconnect(moved)
            progress.hide()  # close() would count as Stop
            self.last_batch = result
            self._report_batch(result, folder)

        def failed(exc: BaseException) -> None:
            self.batch_relay.moved.disconnect(moved)
            progress.hide()  # close() would count as Stop
            self.report(exc)

        self.ctx.tasks.run(work, finished, failed, label="print approved letters")

    def _report_batch(self, result: BatchResult, folder: Path) -> None:
        if result.stopped is not None:
            s = result.stopped
            dialogs.info(
                self,
                "Saving the letters was cancelled",
                f"Cancelled after {s.done} of {s.total} letters. The PDFs already saved are "
                f"in {folder}.",
            )
            return
        made = [line for line in result.lines if line.path is not None]
        failed = [line for line in result.lines if line.path is None]
        if not result.lines:
            dialogs.info(
                self,
                "Nothing to print",
                "There are no approved letters waiting to be issued.",
            )
            return
        text = (
            f"{len(made)} approved letter{'s' if len(made) != 1 else ''} saved as PDF in "
            f"{folder}. They are not marked as issued: issue each letter when it is sent."
        )
        if made:
            text += "\n\n" + "\n".join(
                f"\u2022 {_whose(line)}: {line.path.name if line.path else ''}" for line in made
            )
        if failed:
            text += "\n\nThese could not be made:\n" + "\n".join(
                f"\u2022 {_whose(line)}, version {line.version}: {line.error}" for line in failed
            )
        title = f"{len(made)} approved letter{'s' if len(made) != 1 else ''} saved as PDF"
        if failed:
            title += f", {len(failed)} not made"
        dialogs.info(self, title, text)
        self.ctx.status(f"Saved {len(made)} approved letters as PDF in {folder}.")


def _whose(line: BatchLine) -> str:
    """Amira Quillfeather, review of 27 Oct 2026."""
    when = f", review of {uk_date(line.review_on)}" if line.review_on else ""
    return f"{line.child_name}{when}"
