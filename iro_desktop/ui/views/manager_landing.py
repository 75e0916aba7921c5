"""Waiting for you: where a manager lands after unlocking.

Letters waiting for their sign-off, open escalations past their stage's deadline, and the
team's overdue reviews, each with the way to act on it (Enter or double-click opens it).
An IRO sees the escalations and reviews; sign-off is a manager's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services.landing import Landing, LateEscalation, LetterWaiting, OverdueReview
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import Column, ColumnTableModel, fit_columns
from iro_desktop.ui.views.escalation_rows import plural
from iro_desktop.ui.widgets import read_only_table, uk_date

LETTER_COLUMNS: list[Column[LetterWaiting]] = [
    Column("Child", lambda r: r.child_name),
    Column("Written by", lambda r: r.written_by),
    Column(
        "Submitted",
        lambda r: uk_date(r.submitted_on),
        sort_key=lambda r: r.submitted_on.toordinal(),
    ),
    Column(
        "Waiting",
        lambda r: plural(r.waiting_working_days, "working day"),
        sort_key=lambda r: r.waiting_working_days,
        tone=lambda r: "alert" if r.waiting_working_days > 5 else None,
    ),
]
ESCALATION_COLUMNS: list[Column[LateEscalation]] = [
    Column("Children", lambda r: r.children),
    Column("Raised by", lambda r: r.raised_by),
    Column("Stage", lambda r: r.stage_name),
    Column(
        "Stage deadline",
        lambda r: uk_date(r.stage_deadline),
        sort_key=lambda r: r.stage_deadline.toordinal(),
    ),
    Column(
        "Late by",
        lambda r: plural(r.working_days_late, "working day"),
        sort_key=lambda r: r.working_days_late,
        tone=lambda _r: "alert",
    ),
]
REVIEW_COLUMNS: list[Column[OverdueReview]] = [
    Column("Child", lambda r: r.child_name),
    Column("IRO", lambda r: r.iro),
    Column("What", lambda r: r.what),
    Column("Due", lambda r: uk_date(r.due_date), sort_key=lambda r: r.due_date.toordinal()),
    Column("Status", lambda r: r.status, tone=lambda _r: "alert"),
]


class _Section:
    """A heading with its count, a table and the button that acts on the chosen row."""

    def __init__(
        self, page: QWidget, heading: str, columns: list[Any], button: str, name: str
    ) -> None:
        self.heading = QLabel("")
        self.heading.setObjectName("sectionHeading")
        self.words = heading
        self.model: ColumnTableModel[Any] = ColumnTableModel(columns, page)
        self.table: QTableView = read_only_table(name)
        self.table.setModel(self.model)
        self.fitter = fit_columns(self.table, 0)
        self.button = QPushButton(button)
        self.button.setAccessibleName(button.replace("&", "").rstrip("."))
        self.heading.setBuddy(self.table)
        self.empty = QLabel("")
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)

    def add_to(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.addWidget(self.heading)
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: list[Any], empty_words: str) -> None:
        self.model.set_rows(rows)
        self.heading.setText(f"{self.words} ({len(rows)})")
        self.heading.setAccessibleName(f"{self.words.replace('&', '')}: {len(rows)}")
        self.empty.setText(empty_words)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.button.setEnabled(bool(rows))
        if rows:
            self.table.selectRow(0)

    def chosen(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.model.rowCount():
            return None
        return self.model.row_at(index.row())


class ManagerLandingPage(Page):
    key = "landing"
    title = "&Waiting for you"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.landing: Landing | None = None
        heading = QLabel("Waiting for you")
        heading.setObjectName("pageHeading")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What is waiting")

        self.letters = _Section(
            self,
            "&Letters waiting for your sign-off",
            LETTER_COLUMNS,
            "Open &sign-off",
            "Letters waiting for your sign-off",
        )
        self.letters.button.clicked.connect(self.open_letter)
        self.letters.table.doubleClicked.connect(lambda _i: self.open_letter())
        self.letters.table.activated.connect(lambda _i: self.open_letter())
        self.escalations = _Section(
            self,
            "&Escalations past their stage deadline",
            ESCALATION_COLUMNS,
            "Open the &manager's view",
            "Escalations past their stage deadline",
        )
        self.escalations.button.clicked.connect(self.open_escalations)
        self.escalations.table.doubleClicked.connect(lambda _i: self.open_escalations())
        self.escalations.table.activated.connect(lambda _i: self.open_escalations())
        self.reviews = _Section(
            self,
            "&Overdue reviews in the team",
            REVIEW_COLUMNS,
            "Open the &child",
            "Overdue reviews in the team",
        )
        self.reviews.button.clicked.connect(self.open_child)
        self.reviews.table.doubleClicked.connect(lambda _i: self.open_child())
        self.reviews.table.activated.connect(lambda _i: self.open_child())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        for section in (self.letters, self.escalations, self.reviews):
            section.add_to(layout)

    # --- loading -----------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        self.reload()

    def reload(self) -> None:
        from iro_desktop.services.landing import manager_landing

        session = self.ctx.session()
        self.ctx.tasks.run(lambda: manager_landing(session), self.show_landing, self.report)

    def show_landing(self, landing: Landing) -> None:
        self.landing = landing
        n_letters, n_late, n_reviews = (
            len(landing.letters),
            len(landing.escalations),
            len(landing.reviews),
        )
        if landing.is_manager:
            self.summary.setText(
                f"{landing.who}: {plural(n_letters, 'letter')} to sign off, "
                f"{plural(n_late, 'escalation')} past the stage deadline and "
                f"{plural(n_reviews, 'overdue review')} in the team."
            )
        else:
            self.summary.setText(
                f"{landing.who}: {plural(n_late, 'escalation')} past the stage deadline and "
                f"{plural(n_reviews, 'overdue review')}. Letters are signed off by an IRO "
                "manager."
            )
        self.letters.show_rows(
            list(landing.letters),
            "No letters are waiting for your sign-off."
            if landing.is_manager
            else "Sign-off is for IRO managers.",
        )
        self.escalations.show_rows(
            list(landing.escalations), "No open escalation is past its stage deadline."
        )
        self.reviews.show_rows(list(landing.reviews), "No review is overdue.")
        focused = QApplication.focusWidget()
        if self.isVisible() and (focused is None or not self.isAncestorOf(focused)):
            self.focus_first()  # landed here: the keyboard works at once (Enter, Ctrl+digits)

    def on_changed(self, what: str) -> None:
        if self.landing is not None and self.isVisible():
            self.reload()

    # --- acting --------------------------------------------------------------------------------

    def open_letter(self) -> None:
        if self.letters.chosen() is not None:
            self.ctx.navigator.show_page("signoff")

    def open_escalations(self) -> None:
        if self.escalations.chosen() is not None:
            self.ctx.navigator.show_page("manager")

    def open_child(self) -> None:
        row = self.reviews.chosen()
        if isinstance(row, OverdueReview):
            self.ctx.navigator.open_child(row.child_id)

    def focus_first(self) -> None:
        for section in (self.letters, self.escalations, self.reviews):
            if section.table.isVisible():
                section.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        super().focus_first()

    def clear_for_lock(self) -> None:
        self.landing = None
        self.summary.setText("")
        for section in (self.letters, self.escalations, self.reviews):
            section.model.clear()
