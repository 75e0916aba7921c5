"""Escalations: the list with deadlines in working days, one escalation's moves and history,
and conflicts for the IRO to decide.

Everything here works the same offline: a move is saved on this laptop (and queued for the
sync server in the same transaction) whether or not there is a network. When a manager's
decision and a move made offline do not fit together, both are kept and the conflict is
listed at the top of this page until the IRO decides; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services.escalations import (
    ConflictView,
    EscalationChoices,
    EscalationView,
    EventLine,
)
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import TONES, ColumnTableModel, RowFilter, SearchFilterProxy
from iro_desktop.ui.views import escalation_forms as forms
from iro_desktop.ui.views import escalation_moves as moves
from iro_desktop.ui.views.escalation_raise import ChildOption, RaiseForm
from iro_desktop.ui.views.escalation_rows import (
    COLUMNS,
    DEADLINE_COLUMN,
    SYNC_WORDS,
    EscalationRow,
    plural,
    row_of,
)
from iro_desktop.ui.widgets import read_only_table, uk_date

DRAFT_KEY = "escalation:form"

FILTERS: list[RowFilter[EscalationRow]] = [
    RowFilter("open", "Open escalations", lambda r: r.view.is_open),
    RowFilter("overdue", "Overdue", lambda r: r.overdue),
    RowFilter("conflicts", "With a conflict to decide", lambda r: r.conflicts > 0),
    RowFilter("unsent", "Not yet on the sync server", lambda r: r.view.unsent > 0),
    RowFilter(
        "closed", "Resolved or withdrawn", lambda r: r.view.status in ("resolved", "withdrawn")
    ),
    RowFilter("good_practice", "Good practice notifications", lambda r: r.view.status == "noted"),
    RowFilter("all", "All", lambda r: True),
]

FORM_WORDS = {
    "raise": "raising an escalation",
    "send": "sending an escalation on",
    "response": "recording a response",
    "bypass": "bypassing stages",
    "cafcass": "referring to CAFCASS",
    "resolve": "resolving an escalation",
    "withdraw": "withdrawing an escalation",
    "comment": "adding a comment",
    "settle": "deciding on a conflict",
}


def search_text(row: EscalationRow) -> str:
    return f"{row.children} {row.issues} {row.stage} {row.view.service}"


@dataclass(frozen=True)
class Loaded:
    rows: list[EscalationRow]
    conflicts: list[ConflictView]
    today: date


def event_text(line: EventLine) -> str:
    """One line of the timeline: when, what, who, and where it stands with the server."""
    head = f"{uk_date(line.occurred_on)} · {line.words}"
    if line.detail:  # what the other side replied; the difference for the child
        head += "\n   " + line.detail
    tail = f"by {line.author} · {line.sync_words}"
    if line.conflict:
        return f"{head}\n   DOES NOT FIT (kept, not applied): {line.conflict}\n   {tail}"
    return f"{head}\n   {tail}"


def conflict_text(c: ConflictView) -> str:
    children = ", ".join(ch.label for ch in c.children) or "An escalation not held here"
    return f"{children}: {c.words} ({c.author}, {uk_date(c.occurred_on)}). {c.reason}"


class EscalationsPage(Page):
    key = "escalations"
    title = "Escalations"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model: ColumnTableModel[EscalationRow] = ColumnTableModel(COLUMNS, self)
        self.proxy: SearchFilterProxy[EscalationRow] = SearchFilterProxy(FILTERS, search_text, self)
        self.proxy.setSourceModel(self.model)
        self.keeper = forms.FormKeeper(self, DRAFT_KEY)
        self.loaded = False
        self._loading = False
        self._today: date | None = None
        self._conflicts: list[ConflictView] = []
        self._pending_state: dict[str, Any] | None = None
        self._pending_select: str | None = None
        self._pending_draft: dict[str, Any] | None = None
        self._pending_raise_for: str | None = None
        self._choices: EscalationChoices | None = None
        self._shown: EscalationView | None = None
        self._own_change = False

        heading = QLabel("Escalations")
        heading.setObjectName("pageHeading")
        self.raise_button = QPushButton("&Raise an escalation...")
        self.raise_button.setAccessibleName("Raise an escalation")
        self.raise_button.setToolTip(
            "Raise a dispute, a partner escalation or good practice (Ctrl+N)"
        )
        self.raise_button.clicked.connect(lambda: self.open_raise())
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.raise_button)

        self.notice = self._build_notice()
        self.conflict_box = self._build_conflicts()

        self.filter = QComboBox()
        for f in FILTERS:
            self.filter.addItem(f.label, f.key)
        self.filter.setAccessibleName("Which escalations to list")
        filter_label = QLabel("&List:")
        filter_label.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Child, issue, stage or team")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find an escalation")
        search_label = QLabel("Fin&d:")
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._search_changed)
        self.count = QLabel("")
        self.count.setAccessibleName("How many escalations are listed")
        bar = QHBoxLayout()
        bar.addWidget(filter_label)
        bar.addWidget(self.filter)
        bar.addSpacing(16)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addSpacing(16)
        bar.addWidget(self.count)

        self.table = read_only_table("Escalations")
        self.table.setObjectName("escalationTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DEADLINE_COLUMN, Qt.SortOrder.AscendingOrder)
        char = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        for i, column in enumerate(COLUMNS[:-1]):
            header.resizeSection(i, column.width(char))
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        table_label = QLabel("Escalat&ions:")
        table_label.setBuddy(self.table)

        list_part = QWidget()
        list_layout = QVBoxLayout(list_part)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(table_label)
        list_layout.addWidget(self.table, 1)

        self.detail = self._build_detail()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_part)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 380])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.conflict_box)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.open_raise())
        self._show_detail(None)

    # --- building --------------------------------------------------------------------------

    def _build_notice(self) -> QFrame:
        box = QFrame()
        box.setObjectName("facts")
        self.notice_text = QLabel("")
        self.notice_text.setWordWrap(True)
        self.notice_text.setAccessibleName("Unfinished form")
        self.continue_button = QPushButton("C&ontinue")
        self.continue_button.setAccessibleName("Continue the unfinished form")
        self.continue_button.clicked.connect(self.continue_draft)
        self.discard_button = QPushButton("Discard it")
        self.discard_button.setAccessibleName("Discard the unfinished form")
        self.discard_button.clicked.connect(self.discard_draft)
        row = QHBoxLayout(box)
        row.addWidget(self.notice_text, 1)
        row.addWidget(self.continue_button)
        row.addWidget(self.discard_button)
        box.setVisible(False)
        return box

    def _build_conflicts(self) -> QFrame:
        box = QFrame()
        box.setObjectName("conflicts")
        box.setStyleSheet(
            "QFrame#conflicts { background: #fdecea; border: 2px solid #a4262c; border-radius: 4px; }"
        )
        self.conflict_heading = QLabel("")
        self.conflict_heading.setStyleSheet("font-weight: 600; color: #7a1c21;")
        self.conflict_heading.setWordWrap(True)
        self.conflict_list = QListWidget()
        self.conflict_list.setAccessibleName("Conflicts to decide")
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setFixedHeight(self._conflict_rows_height(1))
        self.conflict_heading.setBuddy(self.conflict_list)
        self.keep_button = QPushButton("&Keep it closed...")
        self.keep_button.setAccessibleName("Keep it closed and record your decision")
        self.keep_button.clicked.connect(lambda: self.settle_selected(raise_again=False))
        self.again_button = QPushButton("Raise it &again...")
        self.again_button.setAccessibleName("Raise it again as a new escalation")
        self.again_button.clicked.connect(lambda: self.settle_selected(raise_again=True))
        self.show_conflict_button = QPushButton("Show the escalation")
        self.show_conflict_button.clicked.connect(self._show_conflict_escalation)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.show_conflict_button)
        buttons.addStretch(1)
        column = QVBoxLayout(box)
        column.addWidget(self.conflict_heading)
        column.addWidget(self.conflict_list)
        column.addLayout(buttons)
        box.setVisible(False)
        return box

    def _build_detail(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("card")
        self.detail_title = QLabel("")
        self.detail_title.setStyleSheet("font-size: 12.5pt; font-weight: 600;")
        self.detail_title.setWordWrap(True)
        self.detail_title.setAccessibleName("Escalation")
        self.facts: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        names = [
            ("status", "Status"),
            ("stage", "Stage"),
            ("stage_deadline", "Stage deadline"),
            ("overall_deadline", "Overall deadline"),
            ("issues", "Issues"),
            ("outcome", "Outcome wanted"),
            ("detail", "Details"),
            ("raised", "Raised"),
            ("service", "Team or service"),
            ("sync", "Sync"),
        ]
        for i, (key, caption) in enumerate(names):
            label = QLabel(caption)
            label.setObjectName("factCaption")
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            self.facts[key] = value
            grid.addWidget(label, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(names), 1)

        self.send_button = QPushButton("Se&nd on...")
        self.send_button.clicked.connect(self.open_send)
        self.response_button = QPushButton("Record res&ponse...")
        self.response_button.clicked.connect(self.open_response)
        self.bypass_button = QPushButton("&Bypass stages...")
        self.bypass_button.clicked.connect(self.open_bypass)
        self.cafcass_button = QPushButton("Refer to &CAFCASS...")
        self.cafcass_button.clicked.connect(self.open_cafcass)
        self.resolve_button = QPushButton("Resol&ve...")
        self.resolve_button.clicked.connect(self.open_resolve)
        self.withdraw_button = QPushButton("&Withdraw...")
        self.withdraw_button.clicked.connect(self.open_withdraw)
        self.comment_button = QPushButton("Co&mment...")
        self.comment_button.clicked.connect(self.open_comment)
        self.pdf_button = QPushButton("E&xport as PDF...")
        self.pdf_button.setToolTip("The escalation and its whole history, replies included")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.action_buttons = [
            self.send_button,
            self.response_button,
            self.bypass_button,
            self.cafcass_button,
            self.resolve_button,
            self.withdraw_button,
            self.comment_button,
        ]
        actions = QHBoxLayout()
        for button in self.action_buttons:
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))
            actions.addWidget(button)
        actions.addStretch(1)
        self.pdf_button.setAccessibleName("Export the escalation as a PDF")
        self.pdf_button.setEnabled(False)
        actions.addWidget(self.pdf_button)
        self.why_disabled = QLabel("")
        self.why_disabled.setObjectName("hint")
        self.why_disabled.setWordWrap(True)

        self.timeline = QListWidget()
        self.timeline.setAccessibleName("History of the escalation")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        timeline_label = QLabel("His&tory (oldest first):")
        timeline_label.setBuddy(self.timeline)

        history = QVBoxLayout()
        history.setContentsMargins(0, 0, 0, 0)
        history.addWidget(timeline_label)
        history.addWidget(self.timeline, 1)
        # The facts scroll rather than squeeze into each other when the panel is short.
        facts = QWidget()
        facts.setLayout(grid)
        grid.setContentsMargins(0, 0, 6, 0)
        facts_area = QScrollArea()
        facts_area.setWidget(facts)
        facts_area.setWidgetResizable(True)
        facts_area.setFrameShape(QFrame.Shape.NoFrame)
        facts_area.setAccessibleName("About this escalation")
        body = QHBoxLayout()
        body.addWidget(facts_area, 5)
        body.addSpacing(12)
        body.addLayout(history, 6)
        column = QVBoxLayout(panel)
        column.addWidget(self.detail_title)
        column.addLayout(body, 1)
        column.addLayout(actions)
        column.addWidget(self.why_disabled)
        return panel

    # --- loading ---------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if arg and arg.startswith("raise:"):
            self._pending_raise_for = arg.split(":", 1)[1] or None
        elif arg:
            self._pending_select = arg
        if not self.loaded and not self._loading:
            self.reload()
        elif self.loaded:
            self._after_load()

    def current_arg(self) -> str | None:
        return self.selected_id()

    def reload(self) -> None:
        from iro_desktop.services import escalations as service

        session = self.ctx.session()
        self._loading = True
        self.count.setText("Loading escalations...")

        def load() -> Loaded:
            today = session.clock.today()
            views = service.list_escalations(session)
            return Loaded([row_of(v, today) for v in views], service.conflicts(session), today)

        def failed(exc: BaseException) -> None:
            self._loading = False
            self.count.setText("The escalations could not be loaded.")
            self.report(exc)

        self.ctx.tasks.run(load, self._loaded, failed, label="escalations")

    def _loaded(self, loaded: Loaded) -> None:
        self._loading = False
        keep = self._pending_select or self.selected_id()
        self._pending_select = None
        self._today = loaded.today
        self.model.set_rows(loaded.rows)
        self.loaded = True
        self._set_conflicts(loaded.conflicts)
        if self._pending_state is not None:
            state, self._pending_state = self._pending_state, None
            self._apply_state(state)
        elif keep:
            self.select_id(keep, reveal=True)
        if self.selected_id() is None and self.proxy.rowCount():
            self._select_proxy_row(0)
        self._selection_changed()
        self._update_count()
        self._after_load()

    def _after_load(self) -> None:
        if self._pending_select:
            chosen, self._pending_select = self._pending_select, None
            self.select_id(chosen, reveal=True)
        if self._pending_raise_for is not None:
            child, self._pending_raise_for = self._pending_raise_for, None
            self.open_raise(child)

    def on_changed(self, what: str) -> None:
        if self._own_change:
            return  # our own move: already reloading
        relevant = what in ("escalations", "caseload", "sync", "settings") or what.startswith(
            ("child:", "escalation:")
        )
        if relevant and self.loaded:
            self.reload()

    def _moved(self, view: EscalationView | None) -> None:
        if view is not None:
            self._pending_select = view.escalation_id
        self.reload()
        self._own_change = True
        try:
            self.changed.emit("escalations")  # the sync status and other lists redraw
        finally:
            self._own_change = False

    # --- list -------------------------------------------------------------------------------

    def _filter_changed(self, _index: int) -> None:
        key = self.filter.currentData()
        if key:
            self.proxy.set_filter(str(key))
            self._update_count()
            if self.selected_id() is None and self.proxy.rowCount():
                self._select_proxy_row(0)
            self._selection_changed()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self, *_: object) -> None:
        if not self.loaded:
            return
        rows = self.model.rows
        open_rows = [r for r in rows if r.view.is_open]
        overdue = sum(r.overdue for r in open_rows)
        shown = self.proxy.rowCount()
        self.count.setText(
            f"{plural(len(open_rows), 'open escalation')}, {overdue} overdue · showing {shown}"
        )

    def _select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_row(self) -> EscalationRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.proxy.row_at(index.row())

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return row.id if row else None

    def select_id(self, escalation_id: str, *, reveal: bool = False) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).id == escalation_id:
                self._select_proxy_row(row)
                return True
        if reveal and any(r.id == escalation_id for r in self.model.rows):
            self.filter.setCurrentIndex(self.filter.findData("all"))
            self.search.clear()
            return self.select_id(escalation_id)
        return False

    # --- one escalation ------------------------------------------------------------------

    def _selection_changed(self) -> None:
        row = self.selected_row()
        self._show_detail(row)

    def _show_detail(self, row: EscalationRow | None) -> None:
        self._shown = row.view if row else None
        if row is None:
            self.detail_title.setText(
                "Choose an escalation in the list, or raise one (Ctrl+N)." if self.loaded else ""
            )
            for value in self.facts.values():
                value.setText("")
            self.timeline.clear()
            for button in self.action_buttons:
                button.setEnabled(False)
            self.pdf_button.setEnabled(False)
            self.why_disabled.setText("")
            return
        self.pdf_button.setEnabled(True)
        view = row.view
        self.detail_title.setText(f"{view.category_label}: {row.children}")
        partner = f" with {view.partner_agency}" if view.partner_agency else ""
        self.facts["status"].setText(row.status)
        self.facts["stage"].setText(row.stage)
        self.facts["stage_deadline"].setText(row.stage_deadline or "None")
        overall = row.overall_deadline or "None (good practice is not time-limited)"
        if view.is_open and view.overall_deadline is not None:
            overall += f" ({plural(view.working_days_open, 'working day')} open)"
        self.facts["overall_deadline"].setText(overall)
        self.facts["issues"].setText(row.issues + partner if view.issues else row.issues)
        self.facts["outcome"].setText(view.outcome_wanted or "None recorded")
        self.facts["detail"].setText(view.detail or "None recorded")
        self.facts["raised"].setText(f"{uk_date(view.raised_on)} by {view.raised_by}")
        self.facts["service"].setText(view.service or "Not recorded")
        sync = "All sent to the sync server"
        if view.unsent:
            sync = f"{plural(view.unsent, 'change')} not yet on the sync server"
            if view.set_aside:
                sync += f" ({view.set_aside} set aside: see Sync ▸ Unsent and set-aside items)"
        self.facts["sync"].setText(sync)
        self._fill_timeline(view)
        self._enable_actions(view)

    def export_pdf(self) -> None:
        """The shown escalation, with its whole history, as a PDF where the IRO chooses."""
        from iro_desktop.services.escalations import save_escalation_pdf

        view = self._shown
        if view is None:
            return
        names = "-".join(c.label for c in view.children).replace(" ", "-")
        suggested = f"escalation-{names}-{view.raised_on.isoformat()}.pdf"
        chosen = dialogs.save_file(self, "Export the escalation as a PDF", suggested, "PDF (*.pdf)")
        if not chosen:
            return
        session = self.ctx.session()
        eid = view.escalation_id

        def saved(pages: int) -> None:
            self.ctx.status(f"The escalation was saved as a PDF ({plural(pages, 'page')}).")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError | ValueError):
                dialogs.error(self, "The PDF was not saved", str(exc))
            else:
                self.report(exc)

        self.ctx.tasks.run(
            lambda: save_escalation_pdf(session, eid, chosen), saved, failed, label="escalation PDF"
        )

    def _fill_timeline(self, view: EscalationView) -> None:
        self.timeline.clear()
        for line in view.events:
            item = QListWidgetItem(event_text(line))
            item.setData(Qt.ItemDataRole.UserRole, line.event_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, event_text(line).replace("\n", " "))
            if line.conflict:
                item.setForeground(TONES["alert"])
            elif line.sync in ("waiting", "set_aside"):
                item.setToolTip(SYNC_WORDS[line.sync])
            self.timeline.addItem(item)

    def _enable_actions(self, view: EscalationView) -> None:
        is_open = view.is_open
        next_name = view.next_stage_name
        next_is_cafcass = view.next_stage_key == "cafcass"
        if next_name is None or next_is_cafcass:
            self.send_button.setText("Se&nd on...")
            self.send_button.setToolTip(
                "The next stage is a referral to CAFCASS: use Refer to CAFCASS."
                if next_is_cafcass
                else "There is no further stage."
            )
        elif view.current_stage_key is None:
            self.send_button.setText(f"Se&nd to {next_name}...")
            self.send_button.setToolTip("")
        else:
            self.send_button.setText(f"Se&nd on to {next_name}...")
            self.send_button.setToolTip("")
        self.send_button.setEnabled(is_open and next_name is not None and not next_is_cafcass)
        self.response_button.setEnabled(is_open and view.current_stage_key is not None)
        later = moves.bypass_targets(view)
        self.bypass_button.setEnabled(is_open and bool(later))
        has_cafcass = view.state.protocol.cafcass_stage is not None
        self.cafcass_button.setEnabled(
            is_open and has_cafcass and view.current_stage_key != "cafcass"
        )
        self.resolve_button.setEnabled(is_open)
        self.withdraw_button.setEnabled(is_open)
        self.comment_button.setEnabled(True)
        for button in self.action_buttons:
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))
        if view.undecided_conflicts:
            self.why_disabled.setText(
                "Something recorded here did not fit what was decided on the server: decide "
                "on the conflict at the top of the page."
            )
        elif not is_open:
            self.why_disabled.setText(
                "This escalation is closed: only a comment can be added."
                if view.status != "noted"
                else "A good practice notification is counted and reported; it has no stages."
            )
        else:
            self.why_disabled.setText("")

    # --- conflicts ------------------------------------------------------------------------

    def _set_conflicts(self, conflicts: list[ConflictView]) -> None:
        self._conflicts = conflicts
        self.conflict_list.clear()
        for c in conflicts:
            item = QListWidgetItem(conflict_text(c))
            item.setData(Qt.ItemDataRole.UserRole, c.event_id)
            self.conflict_list.addItem(item)
        self.conflict_box.setVisible(bool(conflicts))
        self.conflict_list.setFixedHeight(self._conflict_rows_height(len(conflicts)))
        if conflicts:
            self.conflict_heading.setText(
                f"{plural(len(conflicts), 'conflict')} to decide. A manager's decision and "
                "something recorded on this laptop do not fit together. Both are kept and "
                "nothing was overwritten: decide what happens next."
            )
            self.conflict_list.setCurrentRow(0)

    def _conflict_rows_height(self, rows: int) -> int:
        # Room for up to three conflicts of two lines each; more scroll.
        line = self.fontMetrics().lineSpacing()
        return min(max(rows, 1), 3) * (2 * line + 8) + 8

    def selected_conflict(self) -> ConflictView | None:
        row = self.conflict_list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _show_conflict_escalation(self) -> None:
        conflict = self.selected_conflict()
        if conflict is not None and not self.select_id(conflict.escalation_id, reveal=True):
            self.ctx.status("That escalation is not held on this laptop.")
        else:
            self.table.setFocus()

    def settle_selected(self, *, raise_again: bool, values: dict[str, Any] | None = None) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        from iro_desktop.services import escalations as service

        session = self.ctx.session()
        form = forms.SettleForm(conflict_text(conflict), raise_again, self._today_or_now(), self)
        if values:
            form.set_values(values)
        event_id = conflict.event_id
        self.keeper.open(
            form,
            {"event_id": event_id},
            lambda v: service.settle_conflict(
                session, event_id, v["note"], raise_again=bool(v["raise_again"])
            ),
            self._moved,
        )

    # --- moves ------------------------------------------------------------------------------

    def _today_or_now(self) -> date:
        if self._today is not None:
            return self._today
        return self.ctx.session().clock.today()

    def open_raise(self, child_id: str | None = None, values: dict[str, Any] | None = None) -> None:
        from iro_desktop.services import caseload as caseload_service
        from iro_desktop.services import escalations as service

        session = self.ctx.session()

        def gather() -> tuple[list[ChildOption], EscalationChoices, list[str], date]:
            children = [
                ChildOption(c.id, f"{c.display_name} ({c.la_child_id})")
                for c in caseload_service.children(session)
            ]
            teams = sorted({v.service for v in service.list_escalations(session) if v.service})
            return children, service.choices(session), teams, session.clock.today()

        def ready(
            found: tuple[list[ChildOption], EscalationChoices, list[str], date],
        ) -> None:
            children, choices, teams, today = found
            self._choices = choices
            form = RaiseForm(children, choices, teams, today, self)
            form.siblings_wanted.connect(lambda cid: self._find_siblings(form, cid))
            if values:
                form.set_values(values)
            elif child_id:
                form.choose_child(child_id)

            def perform(v: dict[str, Any]) -> EscalationView:
                return service.raise_escalation(
                    session,
                    child_ids=v["child_ids"],
                    category=v["category"],
                    issues=v["issues"],
                    outcome_wanted=v["outcome_wanted"],
                    detail=v["detail"],
                    partner_agency=v["partner_agency"],
                    service=v["service"],
                    on=date.fromisoformat(v["on"]),
                    send_to=v["send_to"] or None,
                )

            self.keeper.open(form, {}, perform, self._raised)
            form.child.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ctx.tasks.run(gather, ready, self.report, label="raise form")

    def _find_siblings(self, form: RaiseForm, child_id: str) -> None:
        from iro_desktop.services import escalations as service

        session = self.ctx.session()
        self.ctx.tasks.run(
            lambda: service.siblings(session, child_id),
            lambda found: form.show_siblings(child_id, found, form.wanted_siblings),
            self.report,
            label="siblings",
        )

    def _raised(self, view: EscalationView) -> None:
        self.ctx.status(f"Escalation raised for {', '.join(c.label for c in view.children)}.")
        self.filter.setCurrentIndex(self.filter.findData("all" if not view.is_open else "open"))
        self._moved(view)

    def _open_move(
        self, kind: str, view: EscalationView | None = None, values: dict[str, Any] | None = None
    ) -> None:
        view = view or self._shown
        if view is None:
            return
        session = self.ctx.session()
        moves.open_move(
            self.keeper, kind, view, session, self._today_or_now(), self, self._moved, values
        )

    def open_send(self) -> None:
        self._open_move("send")

    def open_response(self) -> None:
        self._open_move("response")

    def open_bypass(self) -> None:
        self._open_move("bypass")

    def open_cafcass(self) -> None:
        self._open_move("cafcass")

    def open_resolve(self) -> None:
        self._open_move("resolve")

    def open_withdraw(self) -> None:
        self._open_move("withdraw")

    def open_comment(self) -> None:
        self._open_move("comment")

    # --- drafts ----------------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        found = self.keeper.drafts()
        if not found and self._pending_draft is not None:
            found = {DRAFT_KEY: self._pending_draft}
        return found

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if key != DRAFT_KEY or not isinstance(payload, dict):
            return False
        self._pending_draft = payload
        what = FORM_WORDS.get(str(payload.get("form")), "filling in a form")
        self.notice_text.setText(
            f"You were {what} when the caseload was locked or closed. What you typed is kept."
        )
        self.notice.setVisible(True)
        return True

    def continue_draft(self) -> None:
        payload, self._pending_draft = self._pending_draft, None
        self.notice.setVisible(False)
        if not payload:
            return
        kind = str(payload.get("form"))
        found_values = payload.get("values")
        found_context = payload.get("context")
        values: dict[str, Any] = found_values if isinstance(found_values, dict) else {}
        context: dict[str, Any] = found_context if isinstance(found_context, dict) else {}
        if kind == "raise":
            self.open_raise(values=values)
            return
        if kind == "settle":
            event_id = context.get("event_id")
            for number, c in enumerate(self._conflicts):
                if c.event_id == event_id:
                    self.conflict_list.setCurrentRow(number)
                    self.settle_selected(raise_again=bool(values.get("raise_again")), values=values)
                    return
            self.ctx.status("That conflict has been settled since; the draft was not needed.")
            return
        eid = context.get("escalation_id")
        row = next((r for r in self.model.rows if r.id == eid), None)
        if row is None:
            self.ctx.status("That escalation is no longer on this laptop; the draft was kept.")
            self._pending_draft = payload
            self.notice.setVisible(True)
            return
        self.select_id(row.id, reveal=True)
        self._open_move(kind, row.view, values)

    def discard_draft(self) -> None:
        from iro_desktop.services import caseload as caseload_service

        self._pending_draft = None
        self.notice.setVisible(False)
        session = self.ctx.session()
        self.ctx.tasks.run(lambda: caseload_service.discard_draft(session, DRAFT_KEY))

    # --- lock and restore -------------------------------------------------------------------

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def state(self) -> dict[str, Any]:
        return {"filter": self.proxy.filter_key, "selected_id": self.selected_id()}

    def restore_state(self, state: dict[str, Any]) -> None:
        if not self.loaded:
            self._pending_state = dict(state)
            return
        self._apply_state(state)

    def _apply_state(self, state: dict[str, Any]) -> None:
        index = self.filter.findData(state.get("filter") or "open")
        if index >= 0:
            self.filter.setCurrentIndex(index)
        selected = state.get("selected_id")
        if isinstance(selected, str):
            self.select_id(selected)

    def clear_for_lock(self) -> None:
        self.keeper.clear_for_lock()
        self.model.clear()
        self.loaded = False
        self._pending_state = None
        self._pending_draft = None
        self._pending_select = None
        self._today = None
        self._set_conflicts([])
        self.notice.setVisible(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.proxy.set_search("")
        self.count.setText("")
        self._show_detail(None)
