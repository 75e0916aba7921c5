"""The tabs of a child's page that hold their own history: care history (episodes), social
worker visits, and decisions to place for adoption with missing episodes. Each is a table with
the buttons that change it; the page's ChildActions does the changing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from iro_desktop.domain.caseload import Child, Episode
from iro_desktop.domain.review_no_meeting import FOSTER_PLACEMENTS
from iro_desktop.ui.qt_models import Column, ColumnTableModel
from iro_desktop.ui.views.care_forms import open_episode
from iro_desktop.ui.views.child_columns import (
    ADOPTION_COLUMNS,
    EPISODE_COLUMNS,
    MISSING_COLUMNS,
    VISIT_COLUMNS,
)
from iro_desktop.ui.widgets import read_only_table, size_columns

R = TypeVar("R")


def button(text: str, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(text.replace("&", "").rstrip("."))
    if tip:
        b.setToolTip(tip)
    return b


class Listing(QWidget, Generic[R]):
    """A table, a line saying what it holds when it is empty, and a row of buttons."""

    def __init__(self, columns: Sequence[Column[R]], accessible: str, empty_words: str) -> None:
        super().__init__()
        self.model: ColumnTableModel[R] = ColumnTableModel(columns, self)
        self.table: QTableView = read_only_table(accessible)
        self.table.setModel(self.model)
        size_columns(self.table, list(columns))
        self.empty_words = QLabel(empty_words)
        self.empty_words.setObjectName("hint")
        self.empty_words.setWordWrap(True)
        self.buttons = QHBoxLayout()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 6, 0, 0)
        self.layout_.addLayout(self.buttons)
        self.layout_.addWidget(self.empty_words)
        self.layout_.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed())

    def set_rows(self, rows: Sequence[R]) -> None:
        self.model.set_rows(rows)
        self.empty_words.setVisible(not rows)
        self.selection_changed()

    def selected(self) -> R | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_at(index.row())

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def selection_changed(self) -> None:
        """Subclasses enable the buttons that need a row."""


class CareHistory(Listing[Episode]):
    """The episodes of every period of care, newest first, and the moves that add to them."""

    wanted = Signal(str)  # start | move | legal_status | end | long_term | correct

    def __init__(self) -> None:
        super().__init__(
            EPISODE_COLUMNS,
            "Care history",
            "No periods of care yet. Start one when the child becomes looked after (or was: "
            "a past date is fine).",
        )
        self.start_button = button("&Start a period of care...", "The child becomes looked after")
        self.move_button = button("Record a &move...", "A new placement from a date")
        self.legal_button = button("Change &legal status...", "A new legal status from a date")
        self.end_button = button("&End the period of care...", "The child stops being looked after")
        self.long_term_button = button(
            "Confirm lon&g-term...", "The foster placement is confirmed as long-term"
        )
        self.correct_button = button(
            "C&orrect the selected episode...", "Put right what was recorded wrongly"
        )
        for b, what in (
            (self.start_button, "start"),
            (self.move_button, "move"),
            (self.legal_button, "legal_status"),
            (self.end_button, "end"),
            (self.long_term_button, "long_term"),
            (self.correct_button, "correct"),
        ):
            b.clicked.connect(lambda _checked=False, w=what: self.wanted.emit(w))
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        self.table.activated.connect(lambda _index: self.wanted.emit("correct"))
        self.child: Child | None = None
        self.show_child(None)

    def show_child(self, child: Child | None) -> None:
        self.child = child
        episodes = [e for p in child.periods for e in p.episodes] if child else []
        self.set_rows(sorted(episodes, key=lambda e: e.start, reverse=True))
        looked_after = child is not None and open_episode(child) is not None
        self.start_button.setEnabled(child is not None and not looked_after)
        for b in (self.move_button, self.legal_button, self.end_button):
            b.setEnabled(looked_after)
        current = open_episode(child) if child is not None else None
        foster = current is not None and current.placement_type in FOSTER_PLACEMENTS
        self.long_term_button.setEnabled(foster)
        self.long_term_button.setToolTip(
            "The foster placement is confirmed as long-term"
            if foster
            else "Only a current foster placement (U1-U6) can be confirmed as long-term"
        )

    def selection_changed(self) -> None:
        self.correct_button.setEnabled(self.selected() is not None)


class Visits(Listing[Any]):
    wanted = Signal(str)  # visit | remove_visit

    def __init__(self) -> None:
        super().__init__(
            VISIT_COLUMNS,
            "Social worker visits",
            "No visits recorded yet. The first visit is due within a week of a placement "
            "starting, then at least every 6 weeks in the first year.",
        )
        self.add_button = button("Add a vi&sit...", "Record a statutory visit (regulation 28)")
        self.remove_button = button("Remove the selected visi&t...", "A visit recorded by mistake")
        self.add_button.clicked.connect(lambda: self.wanted.emit("visit"))
        self.remove_button.clicked.connect(lambda: self.wanted.emit("remove_visit"))
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)

    def selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)


class AdoptionAndMissing(QWidget):
    wanted = Signal(str)  # adoption | missing

    def __init__(self) -> None:
        super().__init__()
        self.adoption: Listing[Any] = Listing(
            ADOPTION_COLUMNS,
            "Decisions to place for adoption",
            "No decision to place for adoption is recorded.",
        )
        self.missing: Listing[Any] = Listing(
            MISSING_COLUMNS, "Missing episodes", "No missing episodes are recorded."
        )
        self.adoption_button = button(
            "Record a decision to place for ad&option...", "Or its reversal"
        )
        self.missing_button = button("Add a &missing episode...", "Missing, or away without leave")
        self.adoption_button.clicked.connect(lambda: self.wanted.emit("adoption"))
        self.missing_button.clicked.connect(lambda: self.wanted.emit("missing"))
        self.adoption.buttons.addWidget(self.adoption_button)
        self.adoption.buttons.addStretch(1)
        self.missing.buttons.addWidget(self.missing_button)
        self.missing.buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.adoption, 1)
        row.addSpacing(16)
        row.addWidget(self.missing, 1)

    def show_child(self, child: Child | None) -> None:
        self.adoption.set_rows(list(child.adoption_decisions) if child else [])
        self.missing.set_rows(list(child.missing) if child else [])
