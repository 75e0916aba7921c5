"""Statutory timescales: what is due for every child, most urgent first.

Reviews due (with working days left), visit windows open, recommendations and letters
overdue, unfinished series of meetings and how long they have been open, social workers'
statutory visits overdue. "This week", "Next 4 weeks" or everything; the caseload against the
50-70 guidance; Enter opens the child's review; the due dates go to a calendar file (.ics).
A child whose dates cannot be worked out is listed with the reason, not left out silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain.due import DueItem, DueKind
from iro_desktop.services.due import Dashboard
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import Column, ColumnTableModel, fit_columns
from iro_desktop.ui.widgets import read_only_table, uk_date

# (key, the button's words, days ahead; None = everything)
VIEWS: tuple[tuple[str, str, int | None], ...] = (
    ("week", "This &week", 7),
    ("four_weeks", "&Next 4 weeks", 28),
    ("all", "&All", None),
)
SOON_WORKING_DAYS = 5
# Rows whose review Enter opens; the recording rows open the last completed review.
REVIEW_KINDS = (
    DueKind.REVIEW_DUE,
    DueKind.VISIT_WINDOW_OPEN,
    DueKind.SERIES_OPEN,
    DueKind.PATHWAY_REVIEW_DUE,
)
RECORDING_KINDS = (DueKind.RECOMMENDATIONS_OVERDUE, DueKind.MINUTES_OVERDUE)


@dataclass(frozen=True)
class DueRow:
    """One line of the list: a due item, or a child whose dates need checking."""

    item: DueItem | None
    today: date
    problem: str = ""

    @property
    def urgency(self) -> str:
        item = self.item
        if item is None:
            return "Check the record"
        if item.kind is DueKind.SERIES_OPEN and not item.overdue:
            return "Series open"
        if item.kind is DueKind.SIGNIFICANT_CHANGE:
            return "To answer"  # a question about a change that happened, not a deadline
        if item.overdue:
            return "Overdue"
        if item.due_date <= self.today:
            return "Due today"
        if item.working_days_left <= SOON_WORKING_DAYS:
            return "Due within a week"
        if (item.due_date - self.today).days <= 28:
            return "Due within 4 weeks"
        return "Later"

    @property
    def tone(self) -> str | None:
        if self.item is None or self.item.overdue:
            return "alert"
        if self.urgency in ("Due today", "Due within a week", "Series open", "To answer"):
            return "warn"
        return None

    def sort_key(self) -> tuple[int, int, int]:
        if self.item is None:
            return (-1, 0, 0)
        return self.item.urgency[:3]


def _order(row: DueRow) -> int:
    first, day, kind = row.sort_key()
    return (first + 1) * 10**8 + day * 10 + kind


COLUMNS: list[Column[DueRow]] = [
    Column("Urgency", lambda r: r.urgency, sort_key=_order, tone=lambda r: r.tone, width_chars=16),
    Column(
        "What",
        lambda r: r.item.kind.label if r.item else "Dates need checking",
        tooltip=lambda r: r.item.kind.label if r.item else "",
        width_chars=34,
    ),
    Column(
        "Child",
        lambda r: r.item.child_name if r.item else "",
        sort_key=lambda r: (r.item.child_name if r.item else "").casefold(),
        width_chars=21,
    ),
    Column(
        "Due",
        lambda r: uk_date(r.item.due_date) if r.item else "",
        sort_key=lambda r: r.item.due_date.toordinal() if r.item else 0,
        width_chars=11,
    ),
    Column(
        "Working days left",
        # A series held for timeliness has no deadline left to count: its status says how long
        # it has been open.
        lambda r: (
            str(r.item.working_days_left)
            if r.item
            and not (r.item.kind is DueKind.SERIES_OPEN and not r.item.overdue)
            and r.item.kind is not DueKind.SIGNIFICANT_CHANGE
            else ""
        ),
        sort_key=lambda r: r.item.working_days_left if r.item else -(10**6),
        align_right=True,
        width_chars=8,
    ),
    Column(
        "Status",
        lambda r: r.item.status if r.item else r.problem,
        tooltip=lambda r: r.item.status if r.item else r.problem,
        tone=lambda r: r.tone,
        width_chars=40,
    ),
]


class DueTable(QTableView):
    """Enter opens the row's review (or the child)."""

    def __init__(self, page: DashboardPage) -> None:
        super().__init__()
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._page.open_current()
            event.accept()
            return
        super().keyPressEvent(event)


class DashboardPage(Page):
    key = "due"
    title = "Due"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: Dashboard | None = None
        self.view_key = "four_weeks"
        self.stale = True
        self._loading = False
        self._pending_state: dict[str, Any] | None = None

        heading = QLabel("Due: statutory timescales")
        heading.setObjectName("pageHeading")
        self.summary = QLabel("")
        self.summary.setObjectName("subtitle")
        self.summary.setAccessibleName("Caseload size against the guidance")
        self.basis = QLabel("")
        self.basis.setObjectName("banner")
        self.basis.setWordWrap(True)
        self.basis.setAccessibleName("How this practice counts a series of meetings")
        self.basis.setVisible(False)

        self.view_buttons: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        bar = QHBoxLayout()
        show = QLabel("Show:")
        bar.addWidget(show)
        for key, words, _days in VIEWS:
            button = QRadioButton(words)
            button.setAccessibleName(f"Show {words.replace('&', '').lower()}")
            self.group.addButton(button)
            self.view_buttons[key] = button
            button.toggled.connect(lambda on, k=key: self.set_view(k) if on else None)
            bar.addWidget(button)
        self.view_buttons[self.view_key].setChecked(True)
        bar.addStretch(1)
        # The actions on their own row, so the page fits a 1280-pixel screen with the list.
        actions = QHBoxLayout()
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the child's review")
        self.open_button.setToolTip("Open the review for the chosen row (Enter)")
        self.open_button.clicked.connect(self.open_current)
        self.plan_button = QPushButton("&Plan next review")
        self.plan_button.setAccessibleName("Plan the chosen child's next review")
        self.plan_button.clicked.connect(self.plan_current)
        self.answer_button = QPushButton("Review before &change?...")
        self.answer_button.setAccessibleName(
            "Answer whether a review is needed before the chosen change"
        )
        self.answer_button.setToolTip(
            "For a placement move or the end of care: 'review booked', or why it is not needed"
        )
        self.answer_button.clicked.connect(self.answer_current)
        self.export_button = QPushButton("&Export calendar (.ics)...")
        self.export_button.setAccessibleName("Export the due dates as a calendar file")
        self.export_button.setToolTip("Ctrl+Shift+E: the rows shown, as calendar entries")
        self.export_button.clicked.connect(self.export_calendar)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Work the dates out again (F5)")
        self.refresh_button.setAccessibleName("Refresh the due dates")
        self.refresh_button.clicked.connect(self.reload)
        for action in (
            self.open_button,
            self.plan_button,
            self.answer_button,
            self.export_button,
            self.refresh_button,
        ):
            actions.addWidget(action)
        actions.addStretch(1)
        self.count = QLabel("")
        self.count.setAccessibleName("How many rows are shown")
        bar.addWidget(self.count)

        self.model: ColumnTableModel[DueRow] = ColumnTableModel(COLUMNS, self)
        self.table = read_only_table("What is due", DueTable(self))
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        # Sized to what they hold; the child's name takes spare width; the status narrows
        # first on a small screen (its full text in a tooltip).
        self.fitter = fit_columns(self.table, 2, give_way=(5, 0))
        caption = QLabel("&Due, most urgent first:")
        caption.setBuddy(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.basis)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        export = QShortcut(QKeySequence("Ctrl+Shift+E"), self, context=context)
        export.activated.connect(self.export_calendar)
        refresh = QShortcut(QKeySequence("F5"), self, context=context)
        refresh.activated.connect(self.reload)

    # --- loading -------------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if self.stale and not self._loading:
            self.reload()
        # Ctrl+2, then Down and Enter, without reaching for the mouse; but someone moving
        # down the list of pages stays in that list.
        focus = QApplication.focusWidget()
        if focus is None or not (self.isAncestorOf(focus) or focus.objectName() == "sidebar"):
            self.focus_first()

    def reload(self) -> None:
        from iro_desktop.services import due as service

        session = self.ctx.session()
        self._loading = True
        self.count.setText("Working out what is due...")

        def failed(exc: BaseException) -> None:
            self._loading = False
            self.count.setText("What is due could not be worked out.")
            self.report(exc)

        self.ctx.tasks.run(lambda: service.dashboard(session), self._loaded, failed, label="due")

    def _loaded(self, data: Dashboard) -> None:
        self._loading = False
        self.stale = False
        self.data = data
        self.summary.setText(f"Your caseload: {data.summary}.")
        try:
            profile = self.ctx.session().profile
        except ValueError as exc:  # an unreadable profile is said, not hidden
            self.basis.setText(f"The practice profile could not be read: {exc}")
            self.basis.setVisible(True)
        else:
            from iro_desktop.domain.timescales import SeriesBasis

            differs = profile.series_basis is not SeriesBasis.FIRST_MEETING
            self.basis.setText(
                f"{profile.name}: {profile.series_basis.description} The statutory reading "
                "counts it as held on its first meeting; these dates follow the practice."
                if differs
                else ""
            )
            self.basis.setVisible(differs)
        keep = self._pending_state or {}
        self._pending_state = None
        if keep.get("view") in {k for k, _w, _d in VIEWS}:
            self.view_buttons[str(keep["view"])].setChecked(True)
        self._show()

    def _rows(self) -> list[DueRow]:
        data = self.data
        if data is None:
            return []
        days = dict((k, d) for k, _w, d in VIEWS)[self.view_key]
        items = data.items if days is None else data.within(days)
        rows = [DueRow(None, data.today, p) for p in data.problems]
        rows += [DueRow(item, data.today) for item in items]
        return rows

    def _show(self) -> None:
        keep = self.selected()
        rows = self._rows()
        self.model.set_rows(rows)
        total = len(self.data.items) + len(self.data.problems) if self.data else 0
        noun = "row" if total == 1 else "rows"
        self.count.setText(
            f"{len(rows)} {noun}"
            if len(rows) == total
            else f"Showing {len(rows)} of {total} {noun}"
        )
        if rows:
            index = 0
            if keep is not None:
                index = next(
                    (
                        i
                        for i, r in enumerate(rows)
                        if r.item is not None
                        and keep.item is not None
                        and (r.item.child_id, r.item.kind) == (keep.item.child_id, keep.item.kind)
                    ),
                    0,
                )
            self._select(index)

    def set_view(self, key: str) -> None:
        if key != self.view_key:
            self.view_key = key
            self._show()

    def on_changed(self, what: str) -> None:
        if what in ("caseload", "settings") or what.startswith(("child:", "review:")):
            self.stale = True
            if self.isVisible() and not self._loading:
                self.reload()

    # --- selection and opening -------------------------------------------------------------------

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected(self) -> DueRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def open_current(self) -> None:
        from iro_desktop.ui.views.review_open import open_child_review

        row = self.selected()
        if row is None or row.item is None:
            if row is not None:
                self.ctx.status(row.problem)
            return
        item = row.item
        if item.kind in REVIEW_KINDS:
            open_child_review(self.ctx, item.child_id, parent=self)
        elif item.kind in RECORDING_KINDS:
            open_child_review(self.ctx, item.child_id, completed=True, parent=self)
        elif item.kind is DueKind.SIGNIFICANT_CHANGE:
            self.answer_current()
        else:
            self.ctx.navigator.open_child(item.child_id)

    def plan_current(self) -> None:
        from iro_desktop.ui.views.review_open import plan_next_review

        row = self.selected()
        if row is None or row.item is None:
            self.ctx.status("Choose a child's row first.")
            return
        plan_next_review(self.ctx, row.item.child_id, parent=self)

    def answer_current(self) -> None:
        """Is a review needed before the chosen move or end of care? 'Review booked' (the
        review must be booked first), or 'not needed' with the reason; both are recorded."""
        from iro_desktop.domain.significant_change import Answer
        from iro_desktop.services import due as service

        row = self.selected()
        item = row.item if row is not None else None
        if item is None or item.kind is not DueKind.SIGNIFICANT_CHANGE:
            self.ctx.status("Choose a 'Review needed before a significant change?' row first.")
            return
        booked = dialogs.confirm(
            self,
            "Review before a significant change",
            f"{item.child_name}: {item.status}\n\nA review should come before a significant "
            "change unless that is not reasonably practicable. Has a review been booked? "
            "(No: say why one is not needed.)",
            yes_label="Review booked",
        )
        reason = ""
        if not booked:
            answer = dialogs.ask_text(
                self,
                "Review not needed",
                "Why is a review not needed before this change?",
            )
            if answer is None or not answer.strip():
                self.ctx.status("Not answered: the question stays on the dashboard.")
                return
            reason = answer.strip()
        session = self.ctx.session()
        child_id, key = item.child_id, item.ref
        choice = Answer.REVIEW_BOOKED if booked else Answer.NOT_NEEDED

        def done(result: Any) -> None:
            self.ctx.status(f"Recorded: {result.words}")
            self.changed.emit(f"child:{child_id}")

        def failed(exc: BaseException) -> None:
            dialogs.error(self, "The answer was not recorded", str(exc))

        self.ctx.tasks.run(
            lambda: service.answer_change(session, child_id, key, choice, reason=reason),
            done,
            failed,
            label="answer the question about a change",
        )

    # --- the calendar ---------------------------------------------------------------------------

    def export_calendar(self) -> None:
        from iro_desktop.services import due as service

        session = self.ctx.session()
        days = dict((k, d) for k, _w, d in VIEWS)[self.view_key]
        today = session.clock.today()
        suggested = str(Path.home() / f"IRO due dates {today.isoformat()}.ics")
        chosen = dialogs.save_file(
            self, "Export the due dates as a calendar", suggested, "Calendar files (*.ics)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")

        def done(count: int) -> None:
            what = "entry" if count == 1 else "entries"
            self.ctx.status(f"Saved {count} calendar {what} to {path}.")

        def failed(exc: BaseException) -> None:
            dialogs.error(self, "The calendar was not saved", f"{path}: {exc}")

        self.ctx.tasks.run(
            lambda: service.export_ics(session, path, within_days=days),
            done,
            failed,
            label="export calendar",
        )

    # --- focus, lock, restore -----------------------------------------------------------------

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def state(self) -> dict[str, Any]:
        return {"view": self.view_key}

    def restore_state(self, state: dict[str, Any]) -> None:
        if self.data is None:
            self._pending_state = dict(state)
        elif state.get("view") in self.view_buttons:
            self.view_buttons[str(state["view"])].setChecked(True)

    def clear_for_lock(self) -> None:
        self.data = None
        self.stale = True
        self.model.clear()
        self.summary.setText("")
        self.basis.setText("")
        self.basis.setVisible(False)
        self.count.setText("")
