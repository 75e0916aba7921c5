"""The child's page, "IRO oversight" tab: mid-point reviews, the IRO's own visits and case
overviews between reviews (the IRO footprint), when the next mid-point review is due, and
the two forms that record a mid-point review or a visit.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain.review_footprint import FootprintEntry, FootprintKind, Progress
from iro_desktop.services.oversight import PROGRESS_WORDS, Oversight, RecommendationLine
from iro_desktop.ui.qt_models import Column, ColumnTableModel, fit_columns
from iro_desktop.ui.widgets import read_only_table, uk_date

KIND_WORDS = {
    FootprintKind.MID_POINT_REVIEW: "Mid-point review",
    FootprintKind.IRO_VISIT: "Your visit",
    FootprintKind.CASE_OVERVIEW: "Case overview",
    FootprintKind.OTHER: "Other",
}
COLUMNS: list[Column[FootprintEntry]] = [
    Column("Date", lambda e: uk_date(e.on), sort_key=lambda e: e.on.toordinal()),
    Column("What", lambda e: KIND_WORDS.get(e.kind, str(e.kind))),
    Column("By", lambda e: e.author),
    Column("Summary", lambda e: e.summary),
]


def _date_edit(today: date) -> QDateEdit:
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMaximumDate(QDate(today.year, today.month, today.day))
    return edit


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class MidpointDialog(QDialog):
    """Progress on each recommendation of the last review, and notes."""

    def __init__(
        self,
        recommendations: tuple[RecommendationLine, ...],
        review_on: date | None,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a mid-point review")
        self.setAccessibleName("Record a mid-point review")
        intro = QLabel(
            "How each recommendation of the review"
            + (f" of {uk_date(review_on)}" if review_on else "")
            + " is going. 'Done' and 'No longer needed' are carried onto the recommendation."
        )
        intro.setWordWrap(True)
        self.held_on = _date_edit(today)
        self.held_on.setAccessibleName("Date of the mid-point review")
        form = QFormLayout()
        caption = QLabel("&Held on:")
        caption.setBuddy(self.held_on)
        form.addRow(caption, self.held_on)
        self.table = QTableWidget(len(recommendations), 2)
        self.table.setAccessibleName("Progress on each recommendation")
        self.table.setHorizontalHeaderLabels(["Recommendation", "Progress"])
        self.table.verticalHeader().setVisible(False)
        self.progress: dict[str, QComboBox] = {}
        for row, rec in enumerate(recommendations):
            item = QTableWidgetItem(rec.action)
            item.setToolTip(rec.action)
            self.table.setItem(row, 0, item)
            choice = QComboBox()
            choice.setAccessibleName(f"Progress: {rec.action}")
            for progress, words in PROGRESS_WORDS.items():
                choice.addItem(words, progress.value)
            self.table.setCellWidget(row, 1, choice)
            self.progress[rec.id] = choice
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes of the mid-point review")
        self.notes.setPlaceholderText("What you found, and what you asked to happen")
        notes_caption = QLabel("&Notes:")
        notes_caption.setBuddy(self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        if recommendations:
            layout.addWidget(self.table, 1)
        else:
            self.table.setVisible(False)
            layout.addWidget(QLabel("The review had no recommendations."))
        layout.addWidget(notes_caption)
        layout.addWidget(self.notes, 1)
        layout.addWidget(buttons)
        self.resize(640, 460)

    def chosen(self) -> list[tuple[str, str]]:
        return [(rec_id, str(combo.currentData())) for rec_id, combo in self.progress.items()]

    def set_progress(self, rec_id: str, progress: Progress) -> None:
        combo = self.progress[rec_id]
        combo.setCurrentIndex(combo.findData(progress.value))


class VisitDialog(QDialog):
    """The IRO's visit to the child between reviews."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record your visit to the child")
        self.setAccessibleName("Record your visit to the child")
        self.visited_on = _date_edit(today)
        self.visited_on.setAccessibleName("Date of the visit")
        self.seen_alone = QComboBox()
        self.seen_alone.setAccessibleName("Seen alone")
        for words, value in (("Not recorded", None), ("Yes", True), ("No", False)):
            self.seen_alone.addItem(words, value)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note of the visit")
        self.note.setPlaceholderText("e.g. talked about contact with Mum")
        form = QFormLayout()
        for text, field in (
            ("&Visited on:", self.visited_on),
            ("&Seen alone:", self.seen_alone),
            ("N&ote:", self.note),
        ):
            caption = QLabel(text)
            caption.setBuddy(field)
            form.addRow(caption, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class OversightTab(QWidget):
    """`wanted("midpoint" | "visit")` asks the page to open that form."""

    wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.oversight: Oversight | None = None
        self.due = QLabel("")
        self.due.setWordWrap(True)
        self.due.setAccessibleName("Mid-point review")
        self.midpoint_button = QPushButton("Record a &mid-point review...")
        self.midpoint_button.setAccessibleName("Record a mid-point review")
        self.midpoint_button.clicked.connect(lambda: self.wanted.emit("midpoint"))
        self.visit_button = QPushButton("Record your v&isit...")
        self.visit_button.setAccessibleName("Record your visit to the child")
        self.visit_button.clicked.connect(lambda: self.wanted.emit("visit"))
        bar = QHBoxLayout()
        bar.addWidget(self.due, 1)
        bar.addWidget(self.midpoint_button)
        bar.addWidget(self.visit_button)
        self.model: ColumnTableModel[FootprintEntry] = ColumnTableModel(COLUMNS, self)
        self.table = read_only_table("Your oversight between reviews")
        self.table.setModel(self.model)
        self.fitter = fit_columns(self.table, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def show_oversight(self, found: Oversight | None, today: date) -> None:
        self.oversight = found
        if found is None:
            self.model.clear()
            self.due.setText("")
            return
        self.model.set_rows(list(found.entries))
        parts = []
        if found.midpoint_due_on is not None:
            late = found.midpoint_due_on < today
            parts.append(
                f"Mid-point review {'overdue since' if late else 'due'} "
                f"{uk_date(found.midpoint_due_on)}."
            )
        elif found.midpoints:
            parts.append("The mid-point review since the last review is done.")
        visits = len(found.visits)
        parts.append(
            f"{visits} visit{'s' if visits != 1 else ''} by you recorded."
            if visits
            else "No visit by you recorded yet."
        )
        if found.days_since is not None:
            parts.append(f"Last recorded oversight {found.days_since} days ago.")
        self.due.setText(" ".join(parts))
        self.midpoint_button.setEnabled(found.last_review_id is not None)
        self.midpoint_button.setToolTip(
            "" if found.last_review_id else "A mid-point review follows a completed review."
        )
