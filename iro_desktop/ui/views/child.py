"""A child's page: who they are, their care history, social worker visits, reviews, the
people around them, adoption decisions and missing episodes, with the buttons that change
them. Opening it is recorded in the audit trail (services.caseload.open_child)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Person, ReviewSummary
from iro_desktop.services.caseload import CaseloadRow
from iro_desktop.services.oversight import Oversight, progress_from_words
from iro_desktop.ui import dialogs
from iro_desktop.ui.entry import code_words
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import ColumnFitter, ColumnTableModel, fit_columns
from iro_desktop.ui.views.care_history import AdoptionAndMissing, CareHistory, Visits
from iro_desktop.ui.views.child_actions import DRAFT_PREFIX, ChildActions
from iro_desktop.ui.views.child_columns import (
    ALL_PLACEMENTS,
    PEOPLE_COLUMNS,
    REVIEW_COLUMNS,
    ROLE_ORDER,
)
from iro_desktop.ui.views.child_oversight import MidpointDialog, OversightTab, VisitDialog, day_of
from iro_desktop.ui.widgets import read_only_table, uk_date, yes_no

FACTS = [
    "Legal status",
    "Placement",
    "Next review due",
    "Review status",
    "Last social worker visit",
    "Next visit due (reg 28)",
    "Allocated IRO",
    "Date of birth",
    "UASC",
    "Care leaver",
    "Brothers and sisters",
    "Communication needs",
]


@dataclass(frozen=True)
class ChildView:
    child: Child
    row: CaseloadRow
    today: date
    visit_due: date | None = None
    siblings: tuple[str, ...] = ()
    oversight: Oversight | None = None  # mid-point reviews, the IRO's visits, overviews


def load_child(session: Any, child_id: str) -> ChildView:
    """The child's record and what the page works out from it (on the worker)."""
    from iro_desktop.domain.due import social_worker_visit_due
    from iro_desktop.services import caseload as service
    from iro_desktop.services import due as due_service

    today = session.clock.today()
    child = service.open_child(session, child_id)  # audited
    visit_due = None
    period = child.current_period
    if period is not None and period.is_open:
        state = due_service.state_from_child(child, session.profile.series_basis)
        try:
            visit_due = social_worker_visit_due(state, today)  # as the dashboard says
        except ValueError:
            visit_due = None
    siblings: tuple[str, ...] = ()
    if child.sibling_group:
        siblings = tuple(
            c.display_name
            for c in service.children(session)
            if c.sibling_group == child.sibling_group and c.id != child.id
        )
    from iro_desktop.services import oversight

    return ChildView(
        child,
        service.caseload_row(child, session, today),
        today,
        visit_due,
        siblings,
        oversight.oversight(session, child.id),
    )


def _visit_due_words(view: ChildView) -> str:
    due = view.visit_due
    period = view.child.current_period
    if period is None or not period.is_open:
        return "Not looked after"
    if due is None:
        return "Not known"
    if due < view.today:
        return f"{uk_date(due)}: overdue by {(view.today - due).days} days"
    return uk_date(due)


def _placement_words(child: Child, row: CaseloadRow) -> str:
    words = code_words(row.placement, ALL_PLACEMENTS) or "Not recorded"
    period = child.current_period
    episode = period.current_episode if period is not None and period.is_open else None
    return f"{words} ({episode.provider})" if episode is not None and episode.provider else words


class ChildPage(Page):
    key = "child"
    title = "Child"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.child_id: str | None = None
        self.view: ChildView | None = None
        self._pending_draft: tuple[str, dict[str, Any]] | None = None
        self.changes = ChildActions(self)

        self.back_button = QPushButton("\u2190 Back")
        self.back_button.setToolTip("Back to where you were (Alt+Left)")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(lambda: self.ctx.navigator.back())

        self.name = QLabel("")
        self.name.setObjectName("pageHeading")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setAccessibleName("Child's name")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setAccessibleName("Known as, age and LA number")

        self.edit_button = self._button("Edit &details...", "Change the child's details")
        self.edit_button.clicked.connect(lambda: self.changes.open("details"))
        self.undo_button = self._button("&Undo last change", "Nothing to undo yet")
        self.undo_button.clicked.connect(self.changes.undo)
        self.remove_button = self._button(
            "Remove &child...", "Take a child added by mistake off the caseload"
        )
        self.remove_button.clicked.connect(lambda: self.changes.open("remove"))
        self.plan_button = self._button("Plan ne&xt review", "Book this child's next review")
        self.plan_button.clicked.connect(self._plan_next_review)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        top.addLayout(names, 1)
        for b in (self.edit_button, self.undo_button, self.remove_button, self.plan_button):
            top.addWidget(b)

        self.facts: dict[str, QLabel] = {}
        facts = QFrame()
        facts.setObjectName("facts")
        grid = QGridLayout(facts)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        for i, field in enumerate(FACTS):
            caption = QLabel(field)
            caption.setObjectName("factCaption")
            value = QLabel("")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(field)
            value.setWordWrap(True)
            row, col = divmod(i, 2)
            grid.addWidget(caption, row, col * 2)
            grid.addWidget(value, row, col * 2 + 1)
            self.facts[field] = value
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.care = CareHistory()
        self.care.wanted.connect(
            lambda what: self.changes.open(what) if what != "correct" else self._correct()
        )
        self.episodes = self.care.model
        self.visits = Visits()
        self.visits.wanted.connect(
            lambda what: (
                self.changes.remove_visit() if what == "remove_visit" else self.changes.open(what)
            )
        )
        self.adoption_missing = AdoptionAndMissing()
        self.adoption_missing.wanted.connect(lambda what: self.changes.open(what))
        self.people: ColumnTableModel[Person] = ColumnTableModel(PEOPLE_COLUMNS, self)
        self.reviews: ColumnTableModel[ReviewSummary] = ColumnTableModel(REVIEW_COLUMNS, self)
        self.fitters: list[ColumnFitter] = []
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("The child's record")
        self.tables: dict[str, QTableView] = {
            "Care history": self.care.table,
            "Social worker visits": self.visits.table,
        }
        self.tabs.addTab(self.care, "Care &history")
        self.tabs.addTab(self.visits, "Social worker &visits")
        self._add_tab("&Reviews", self.reviews, "Review history")
        self._add_tab("&People around the child", self.people, "People around the child")
        self.tabs.addTab(self.adoption_missing, "&Adoption and missing")
        self.oversight = OversightTab()
        self.oversight.wanted.connect(self.record_oversight)
        self.tabs.addTab(self.oversight, "IRO &oversight")
        self.tables["Your oversight between reviews"] = self.oversight.table
        # Enter (or a double-click) on a review opens it.
        self.tables["Review history"].activated.connect(self._open_review)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addWidget(self.tabs, 1)
        self.update_undo()

    def _button(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(text.replace("&", "").rstrip("."))
        b.setToolTip(tip)
        return b

    def _add_tab(self, title: str, model: ColumnTableModel[Any], accessible: str) -> None:
        table = read_only_table(accessible)
        table.setModel(model)
        self.fitters.append(fit_columns(table, 0))
        self.tabs.addTab(table, title)
        self.tables[accessible] = table

    def _open_review(self, index: Any) -> None:
        from iro_desktop.ui.views.review_open import open_review

        open_review(self.ctx.navigator, self.reviews.row_at(index.row()).id)

    def _plan_next_review(self) -> None:
        from iro_desktop.ui.views.review_open import plan_next_review

        if self.child_id:
            plan_next_review(self.ctx, self.child_id, self)

    def _correct(self) -> None:
        episode = self.care.selected()
        if episode is not None:
            self.changes.open("correct", episode_id=episode.id)

    def update_undo(self) -> None:
        words = self.changes.undo_words
        self.undo_button.setEnabled(self.changes.undo_record is not None)
        self.undo_button.setToolTip(
            f"Put the record back as it was before {words}" if words else "Nothing to undo yet"
        )

    # --- loading -------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if arg and (arg != self.child_id or self.view is None):
            self.show_child(arg)

    def current_arg(self) -> str | None:
        return self.child_id

    def show_child(self, child_id: str) -> None:
        session = self.ctx.session()
        if child_id != self.child_id:
            self.changes.undo_record, self.changes.undo_words = None, ""
            self.update_undo()
        self.child_id = child_id
        if self.view is None or self.view.child.id != child_id:
            self.name.setText("Opening...")

        def failed(exc: BaseException) -> None:
            self.name.setText("This child's record could not be opened.")
            self.report(exc)

        self.ctx.tasks.run(
            lambda: load_child(session, child_id), self._show, failed, label="open child"
        )

    def _show(self, view: ChildView) -> None:
        if view.child.id != self.child_id:
            return  # the IRO moved on to another child meanwhile
        self.view = view
        child, row = view.child, view.row
        self.name.setText(child.name)
        parts = []
        if child.preferred_name and child.preferred_name != child.legal_first_name:
            parts.append(f"Known as {child.preferred_name}")
        parts.append(f"Age {row.age}")
        parts.append(f"LA number {child.la_child_id}")
        self.subtitle.setText("  \u00b7  ".join(parts))
        values = {
            "Legal status": code_words(row.legal_status, codes.LEGAL_STATUSES) or "Not recorded",
            "Placement": _placement_words(child, row),
            "Next review due": uk_date(row.next_review_due, "None due"),
            "Review status": row.status,
            "Last social worker visit": uk_date(child.last_visit, "None recorded"),
            "Next visit due (reg 28)": _visit_due_words(view),
            "Allocated IRO": child.allocated_iro or "Not allocated",
            "Date of birth": uk_date(child.date_of_birth),
            "UASC": yes_no(child.uasc),
            "Care leaver": yes_no(child.care_leaver),
            "Brothers and sisters": ", ".join(view.siblings) or "None on this caseload",
            "Communication needs": child.communication_needs or "None recorded",
        }
        for field, value in values.items():
            self.facts[field].setText(value)
        self.care.show_child(child)
        self.visits.set_rows(sorted(child.visits, key=lambda v: v.visited_on, reverse=True))
        self.adoption_missing.show_child(child)
        self.oversight.show_oversight(view.oversight, view.today)
        self.people.set_rows(
            sorted(
                child.people,
                key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 99, p.name),
            )
        )
        self.reviews.set_rows(sorted(child.reviews, key=lambda r: r.due_date, reverse=True))
        self.setAccessibleName(f"Child: {child.name}")
        pending = self._pending_draft
        if pending is not None and pending[0] == child.id:
            self._pending_draft = None
            self.changes.reopen(pending[1])

    def record_oversight(self, what: str) -> None:
        """Record a mid-point review or the IRO's visit (from the IRO oversight tab)."""
        view, found = self.view, self.oversight.oversight
        if view is None or found is None:
            return
        session = self.ctx.session()
        child_id = view.child.id
        if what == "midpoint":
            if found.last_review_id is None:
                return
            review_id = found.last_review_id
            form: MidpointDialog | VisitDialog = MidpointDialog(
                found.recommendations, found.last_review_on, view.today, self
            )
            if not dialogs.run_form(form):
                return
            assert isinstance(form, MidpointDialog)
            held_on, notes = day_of(form.held_on), form.notes.toPlainText().strip()
            progress = progress_from_words(form.chosen())

            def work() -> object:
                from iro_desktop.services import reviews

                return reviews.record_midpoint(
                    session, review_id, held_on=held_on, notes=notes, progress=progress
                )

            done = f"The mid-point review of {uk_date(held_on)} was recorded."
        else:
            form = VisitDialog(view.today, self)
            if not dialogs.run_form(form):
                return
            assert isinstance(form, VisitDialog)
            on, alone = day_of(form.visited_on), form.seen_alone.currentData()
            note = form.note.text()

            def work() -> object:
                from iro_desktop.services import oversight

                return oversight.record_iro_visit(
                    session, child_id, visited_on=on, seen_alone=alone, note=note
                )

            done = f"Your visit of {uk_date(on)} was recorded."

        def saved(_result: object) -> None:
            self.ctx.status(done)
            self.changed.emit(f"child:{child_id}")

        def failed(exc: BaseException) -> None:
            dialogs.error(self, "Not recorded", str(exc))

        self.ctx.tasks.run(work, saved, failed, label="record oversight")

    def on_changed(self, what: str) -> None:
        if self.child_id and what in (f"child:{self.child_id}", "settings", "caseload"):
            self.show_child(self.child_id)

    def forget(self) -> None:
        """The child was removed: show nothing of them."""
        self.clear_for_lock()
        self.child_id = None

    def focus_first(self) -> None:
        widget = self.tabs.currentWidget()
        target = getattr(widget, "table", widget)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- lock, restore and drafts ----------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {"child_id": self.child_id, "tab": self.tabs.currentIndex()}

    def restore_state(self, state: dict[str, Any]) -> None:
        tab = state.get("tab")
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def drafts(self) -> dict[str, dict[str, Any]]:
        found = self.changes.drafts()
        if not found and self._pending_draft is not None:
            child_id, payload = self._pending_draft
            found = {f"{DRAFT_PREFIX}{child_id}": payload}
        return found

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if not key.startswith(DRAFT_PREFIX) or not isinstance(payload, dict):
            return False
        child_id = key[len(DRAFT_PREFIX) :]
        self._pending_draft = (child_id, payload)
        if self.view is not None and self.view.child.id == child_id:
            self._pending_draft = None
            self.changes.reopen(payload)
        return True

    def clear_for_lock(self) -> None:
        self._pending_draft = None  # still saved in the caseload; put back after unlocking
        self.changes.clear_for_lock()
        self.update_undo()
        self.view = None
        self.name.setText("")
        self.subtitle.setText("")
        for label in self.facts.values():
            label.setText("")
        self.care.show_child(None)
        self.visits.set_rows([])
        self.adoption_missing.show_child(None)
        for model in (self.people, self.reviews):
            model.clear()
