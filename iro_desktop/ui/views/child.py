"""A child's page: who they are, their episodes of care, the people around them, and their
review history. Opening it is recorded in the audit trail (services.caseload.open_child)."""

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
from iro_desktop.domain.caseload import Child, Episode, Person, ReviewSummary
from iro_desktop.services.caseload import CaseloadRow
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import BLANK_LAST, Column, ColumnTableModel
from iro_desktop.ui.widgets import read_only_table, size_columns, uk_date, yes_no

REVIEW_KINDS = {
    "looked_after": "Looked-after review",
    "pathway_plan": "Pathway plan review",
}

# The same words as domain.review_record.ReviewStatus.label (kept here so this page does not
# depend on the review module's internals).
REVIEW_STATUSES = {
    "planned": "Planned",
    "preparing": "Preparing",
    "held": "Held",
    "completed": "Completed",
    "recommendations_issued": "Recommendations issued",
    "letter_drafted": "Letter drafted",
    "submitted": "Submitted for sign-off",
    "approved": "Approved",
    "issued": "Issued",
    "stood_down": "Stood down",
}

ROLE_ORDER = list(codes.PERSON_ROLES)


def _ord(d: date | None) -> int:
    return d.toordinal() if d is not None else BLANK_LAST


def _code(code: str, table: dict[str, str]) -> str:
    return f"{code} {table.get(code, '')}".strip() if code else ""


EPISODE_COLUMNS: list[Column[Episode]] = [
    Column("From", lambda e: uk_date(e.start), sort_key=lambda e: _ord(e.start), width_chars=11),
    Column(
        "To", lambda e: uk_date(e.end, "Continuing"), sort_key=lambda e: _ord(e.end), width_chars=11
    ),
    Column(
        "Legal status",
        lambda e: _code(e.legal_status, codes.LEGAL_STATUSES),
        tooltip=lambda e: _code(e.legal_status, codes.LEGAL_STATUSES),
        width_chars=20,
    ),
    Column(
        "Placement",
        lambda e: _code(e.placement_type, codes.PLACEMENT_SHORT),
        tooltip=lambda e: codes.PLACEMENT_TYPES.get(e.placement_type, ""),
        width_chars=16,
    ),
    Column("Provider", lambda e: e.provider, tooltip=lambda e: e.provider, width_chars=19),
    Column("Postcode", lambda e: e.postcode, width_chars=9),
    Column(
        "In area",
        lambda e: yes_no(e.in_area),
        tooltip=lambda e: "Placed inside the authority's area" if e.in_area else "Placed outside",
        width_chars=6,
    ),
    Column(
        "Miles",
        lambda e: f"{e.distance_miles:g}" if e.distance_miles is not None else "",
        sort_key=lambda e: e.distance_miles if e.distance_miles is not None else BLANK_LAST,
        align_right=True,
        width_chars=5,
    ),
]

PEOPLE_COLUMNS: list[Column[Person]] = [
    Column(
        "Role",
        lambda p: codes.PERSON_ROLES.get(p.role, p.role),
        sort_key=lambda p: ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else len(ROLE_ORDER),
        width_chars=18,
    ),
    Column("Name", lambda p: p.name, width_chars=30),
    Column("Organisation", lambda p: p.organisation, width_chars=26),
    Column("Phone", lambda p: p.phone, width_chars=14),
    Column("Email", lambda p: p.email, width_chars=24),
]


def _in_timescale(r: ReviewSummary) -> str:
    verdict = r.in_timescale
    if verdict is None:
        return "Not held yet"
    return "Yes" if verdict else "No, held late"


REVIEW_COLUMNS: list[Column[ReviewSummary]] = [
    Column(
        "Review",
        lambda r: (
            f"{REVIEW_KINDS.get(r.kind, r.kind)} {r.sequence}" + (" (extra)" if r.is_extra else "")
        ),
        sort_key=lambda r: f"{r.kind}{r.sequence:04d}",
        width_chars=24,
    ),
    Column(
        "Date due",
        lambda r: uk_date(r.due_date),
        sort_key=lambda r: _ord(r.due_date),
        width_chars=12,
    ),
    Column(
        "Date held",
        lambda r: uk_date(r.timeliness_date, "Not held"),
        sort_key=lambda r: _ord(r.timeliness_date),
        width_chars=12,
    ),
    Column(
        "Status",
        lambda r: REVIEW_STATUSES.get(r.status, r.status.replace("_", " ")),
        width_chars=16,
    ),
    Column(
        "Participation",
        lambda r: r.pn_code,
        tooltip=lambda r: codes.PARTICIPATION_CODES.get(r.pn_code, ""),
        width_chars=10,
    ),
    Column(
        "In timescale",
        _in_timescale,
        tone=lambda r: "alert" if r.in_timescale is False else None,
        width_chars=14,
    ),
]


@dataclass(frozen=True)
class ChildView:
    child: Child
    row: CaseloadRow


class ChildPage(Page):
    key = "child"
    title = "Child"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.child_id: str | None = None
        self.view: ChildView | None = None

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

        self.plan_button = QPushButton("Plan ne&xt review")
        self.plan_button.setAccessibleName("Plan next review")
        self.plan_button.setToolTip("Book this child's next review and open it")
        self.plan_button.clicked.connect(self._plan_next_review)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        top.addLayout(names, 1)
        top.addWidget(self.plan_button)

        self.facts: dict[str, QLabel] = {}
        facts = QFrame()
        facts.setObjectName("facts")
        grid = QGridLayout(facts)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        fields = [
            "Legal status",
            "Placement",
            "Next review due",
            "Review status",
            "Allocated IRO",
            "Date of birth",
            "UASC",
            "Care leaver",
            "Sibling group",
            "Communication needs",
        ]
        for i, field in enumerate(fields):
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

        self.episodes: ColumnTableModel[Episode] = ColumnTableModel(EPISODE_COLUMNS, self)
        self.people: ColumnTableModel[Person] = ColumnTableModel(PEOPLE_COLUMNS, self)
        self.reviews: ColumnTableModel[ReviewSummary] = ColumnTableModel(REVIEW_COLUMNS, self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("The child's record")
        self.tables: dict[str, QTableView] = {}
        self._add_tab("&Episodes of care", self.episodes, "Episodes of care")
        self._add_tab("&People around the child", self.people, "People around the child")
        self._add_tab("&Reviews", self.reviews, "Review history")
        # Enter (or a double-click) on a review opens it.
        self.tables["Review history"].activated.connect(self._open_review)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addWidget(self.tabs, 1)

    def _add_tab(self, title: str, model: ColumnTableModel[Any], accessible: str) -> None:
        table = read_only_table(accessible)
        table.setModel(model)
        size_columns(table, model.columns)
        self.tabs.addTab(table, title)
        self.tables[accessible] = table

    def _open_review(self, index: Any) -> None:
        from iro_desktop.ui.views.review_open import open_review

        open_review(self.ctx.navigator, self.reviews.row_at(index.row()).id)

    def _plan_next_review(self) -> None:
        from iro_desktop.ui.views.review_open import plan_next_review

        if self.child_id:
            plan_next_review(self.ctx, self.child_id, self)

    # --- loading -------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if arg and (arg != self.child_id or self.view is None):
            self.show_child(arg)

    def current_arg(self) -> str | None:
        return self.child_id

    def show_child(self, child_id: str) -> None:
        from iro_desktop.services import caseload as service

        session = self.ctx.session()
        self.child_id = child_id
        self.name.setText("Opening...")

        def load() -> ChildView:
            child = service.open_child(session, child_id)  # audited
            return ChildView(child, service.caseload_row(child, session, session.clock.today()))

        def failed(exc: BaseException) -> None:
            self.name.setText("This child's record could not be opened.")
            self.report(exc)

        self.ctx.tasks.run(load, self._show, failed, label="open child")

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
            "Legal status": _code(row.legal_status, codes.LEGAL_STATUSES) or "Not recorded",
            "Placement": _code(row.placement, codes.PLACEMENT_TYPES) or "Not recorded",
            "Next review due": uk_date(row.next_review_due, "None due"),
            "Review status": row.status,
            "Allocated IRO": child.allocated_iro or "Not allocated",
            "Date of birth": uk_date(child.date_of_birth),
            "UASC": yes_no(child.uasc),
            "Care leaver": yes_no(child.care_leaver),
            "Sibling group": child.sibling_group or "None",
            "Communication needs": child.communication_needs or "None recorded",
        }
        for field, value in values.items():
            self.facts[field].setText(value)
        episodes = [e for p in child.periods for e in p.episodes]
        self.episodes.set_rows(sorted(episodes, key=lambda e: e.start, reverse=True))
        self.people.set_rows(
            sorted(
                child.people,
                key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 99, p.name),
            )
        )
        self.reviews.set_rows(sorted(child.reviews, key=lambda r: r.due_date, reverse=True))
        self.setAccessibleName(f"Child: {child.name}")

    def on_changed(self, what: str) -> None:
        if self.child_id and what in (f"child:{self.child_id}", "settings", "caseload"):
            self.show_child(self.child_id)

    def focus_first(self) -> None:
        self.tabs.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    # --- lock and restore ------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {"child_id": self.child_id, "tab": self.tabs.currentIndex()}

    def restore_state(self, state: dict[str, Any]) -> None:
        tab = state.get("tab")
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def clear_for_lock(self) -> None:
        self.view = None
        self.name.setText("")
        self.subtitle.setText("")
        for label in self.facts.values():
            label.setText("")
        for model in (self.episodes, self.people, self.reviews):
            model.clear()
