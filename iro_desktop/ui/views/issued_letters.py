"""Issued letters: every letter to a child already issued, across the caseload, and its
distribution log (who it went to, how, when, recorded by whom).

A search finds a child; the log of the chosen letter shows below the list; Enter opens the
letter itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from iro_desktop.services.issued_letters import IssuedLetter, SentTo
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import (
    BLANK_LAST,
    Column,
    ColumnTableModel,
    RowFilter,
    SearchFilterProxy,
    fit_columns,
)
from iro_desktop.ui.views.escalation_rows import plural
from iro_desktop.ui.widgets import read_only_table, uk_date


def _day(d: object) -> int:
    return d.toordinal() if hasattr(d, "toordinal") else BLANK_LAST


COLUMNS: list[Column[IssuedLetter]] = [
    Column("Child", lambda r: r.child_name),
    Column("Review", lambda r: uk_date(r.review_date), sort_key=lambda r: _day(r.review_date)),
    Column(
        "Version",
        lambda r: (
            f"{r.version}" + (f" (corrects {r.corrects_version})" if r.corrects_version else "")
        ),
        sort_key=lambda r: r.version,
    ),
    Column("Issued", lambda r: uk_date(r.issued_on), sort_key=lambda r: _day(r.issued_on)),
    Column("Issued by", lambda r: r.issued_by),
    Column("Approved by", lambda r: r.approved_by),
    Column("Sent to", lambda r: r.sent_words),
]
LOG_COLUMNS: list[Column[SentTo]] = [
    Column("Sent to", lambda d: d.recipient),
    Column("Role", lambda d: d.role),
    Column("How", lambda d: d.method),
    Column("On", lambda d: uk_date(d.sent_on), sort_key=lambda d: d.sent_on.toordinal()),
    Column("Recorded by", lambda d: d.recorded_by),
    Column("Note", lambda d: d.note),
]
FILTERS: list[RowFilter[IssuedLetter]] = [
    RowFilter("all", "All issued letters", lambda _r: True),
    RowFilter("unsent", "Not recorded as sent", lambda r: not r.sent_to),
]


class IssuedLettersPage(Page):
    key = "issued"
    title = "&Issued letters"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        heading = QLabel("Issued letters")
        heading.setObjectName("pageHeading")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("How many letters")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Child's name")
        self.search.setAccessibleName("Search issued letters by child")
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        self.open_button = QPushButton("&Open the letter")
        self.open_button.setAccessibleName("Open the chosen letter")
        self.open_button.clicked.connect(self.open_current)
        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.open_button)

        self.model: ColumnTableModel[IssuedLetter] = ColumnTableModel(COLUMNS, self)
        self.proxy = SearchFilterProxy[IssuedLetter](FILTERS, lambda r: r.child_name, self)
        self.proxy.setSourceModel(self.model)
        self.table = read_only_table("Issued letters")
        self.table.setModel(self.proxy)
        self.fitter = fit_columns(self.table, 0)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.activated.connect(lambda _i: self.open_current())
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.returnPressed.connect(lambda: self.table.setFocus())
        caption = QLabel("&Letters, the latest issued first:")
        caption.setBuddy(self.table)

        self.log_heading = QLabel("Distribution log")
        self.log_heading.setObjectName("sectionHeading")
        self.log_model: ColumnTableModel[SentTo] = ColumnTableModel(LOG_COLUMNS, self)
        self.log = read_only_table("Distribution log of the chosen letter")
        self.log.setModel(self.log_model)
        self.log_fitter = fit_columns(self.log, 0)
        self.log_heading.setBuddy(self.log)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_log())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(caption)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.log_heading)
        layout.addWidget(self.log, 1)

    # --- loading -----------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        self.reload()

    def reload(self) -> None:
        from iro_desktop.services.issued_letters import issued_letters

        session = self.ctx.session()
        self.ctx.tasks.run(lambda: issued_letters(session), self.show_letters, self.report)

    def show_letters(self, letters: list[IssuedLetter]) -> None:
        self.model.set_rows(letters)
        unsent = sum(1 for r in letters if not r.sent_to)
        words = f"{plural(len(letters), 'letter')} issued on this caseload"
        if unsent:
            words += f"; {plural(unsent, 'letter')} not yet recorded as sent to anyone"
        self.summary.setText(words + ".")
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self._show_log()

    def selected(self) -> IssuedLetter | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.proxy.rowCount():
            return None
        return self.proxy.row_at(index.row())

    def _show_log(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.log_heading.setText("Distribution log")
            self.log_model.clear()
            return
        self.log_heading.setText(
            f"Distribution &log: the letter to {chosen.child_name}, version {chosen.version}"
        )
        self.log_model.set_rows(list(chosen.sent_to))

    def open_current(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.ctx.navigator.show_page("letter", chosen.review_id)

    def on_changed(self, what: str) -> None:
        if self.isVisible() and self.model.rowCount():
            self.reload()

    def focus_first(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_for_lock(self) -> None:
        self.model.clear()
        self.log_model.clear()
        self.summary.setText("")
        self.search.clear()
