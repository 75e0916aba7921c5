"""The manager's view: every open escalation of the team by deadline, stage, theme or team,
the sign-off inbox count, and the quarterly themes report.

Online, the list comes from the sync server (its own replay of the team's escalations), with
this laptop's copies where they are newer; offline, from this laptop alone, and the page says
which. A manager acts (sends on, records a response, resolves) on this laptop's copy, so it
works offline too; the move is queued for the server like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain.escalation import (
    NOT_SENT,
    THEMES,
    ThemesReport,
    theme_label,
    theme_labels,
)
from iro_desktop.services.escalations import EscalationView
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import TONES
from iro_desktop.ui.views import escalation_forms as forms
from iro_desktop.ui.views import escalation_moves as moves
from iro_desktop.ui.views.escalation_rows import left_words, plural
from iro_desktop.ui.widgets import uk_date

DRAFT_KEY = "manager:form"
SOON_WORKING_DAYS = 5

ARRANGEMENTS = {
    "deadline": "Deadline",
    "stage": "Stage",
    "theme": "Theme",
    "team": "Team or service",
    "iro": "IRO",
}
HEADERS = ["Children", "IRO", "Team or service", "Stage", "Stage deadline", "Overall deadline"]


@dataclass(frozen=True)
class ManagerRow:
    """One open escalation, from the server, from this laptop, or both."""

    escalation_id: str
    children: str
    raised_by: str
    service: str
    issues: tuple[str, ...]  # theme keys
    stage_key: str | None
    stage_name: str
    stage_index: int
    stage_deadline: date | None
    overall_deadline: date
    stage_words: str
    overall_words: str
    overdue: bool
    stage_overdue: bool
    overall_overdue: bool
    soon: bool
    source: str  # "both" | "server" | "here"
    view: EscalationView | None = field(default=None, compare=False)

    @property
    def can_act(self) -> bool:
        return self.view is not None and self.view.is_open


@dataclass(frozen=True)
class ManagerData:
    allowed: bool
    who: str = ""
    rows: tuple[ManagerRow, ...] = ()
    source_words: str = ""
    inbox: int | None = None
    inbox_words: str = ""
    protocol_stages: tuple[tuple[str, str], ...] = ()
    today: date | None = None
    # The profile's theme words (a council's own themes, never folded into "Other").
    theme_labels: Mapping[str, str] = field(default_factory=lambda: dict(THEMES))


# --- gathering (worker side) -------------------------------------------------------------------


def _from_view(view: EscalationView, today: date, source: str) -> ManagerRow:
    calendar = view.state.calendar
    overall = view.overall_deadline or view.raised_on
    stage_words = "Not sent to a stage yet"
    if view.current_stage_key is not None:
        current = view.state.current_stage
        if current is not None and current.responded_on is not None:
            stage_words = f"Response received {uk_date(current.responded_on)}"
        elif view.stage_deadline is None:
            stage_words = "No time limit at this stage"
        else:
            stage_words = left_words(view.stage_deadline, today, calendar)
    protocol = view.state.protocol
    index = protocol.index_of(view.current_stage_key) if view.current_stage_key else -1
    return ManagerRow(
        escalation_id=view.escalation_id,
        children=", ".join(c.label for c in view.children),
        raised_by=view.raised_by,
        service=view.service,
        issues=view.issues,
        stage_key=view.current_stage_key,
        stage_name=view.current_stage_name or "Not sent yet",
        stage_index=index,
        stage_deadline=view.stage_deadline,
        overall_deadline=overall,
        stage_words=stage_words,
        overall_words=left_words(overall, today, calendar),
        overdue=view.overdue,
        stage_overdue=view.stage_overdue,
        overall_overdue=view.overall_overdue,
        soon=calendar.working_days_between(today, overall) <= SOON_WORKING_DAYS,
        source=source,
        view=view,
    )


def _from_server(entry: dict[str, Any], today: date, session: Any) -> ManagerRow:
    calendar = session.profile.calendar
    stage = entry.get("current_stage") or None
    overall = date.fromisoformat(entry["overall_deadline"])
    stage_deadline = (
        date.fromisoformat(stage["deadline"]) if stage and stage.get("deadline") else None
    )
    if stage is None:
        stage_words = "Not sent to a stage yet"
    elif stage.get("responses"):
        stage_words = (
            f"Response received {uk_date(date.fromisoformat(stage['responses'][0]['received_on']))}"
        )
    elif stage_deadline is None:
        stage_words = "No time limit at this stage"
    else:
        stage_words = left_words(stage_deadline, today, calendar)
    children = ", ".join(f"Child {str(c)[:8]}" for c in entry.get("child_ids", []))
    return ManagerRow(
        escalation_id=entry["escalation_id"],
        children=children,
        raised_by=str(entry.get("raised_by", "")),
        service=str(entry.get("service") or ""),
        issues=tuple(str(i) for i in entry.get("issues", [])),
        stage_key=stage["key"] if stage else None,
        stage_name=stage["name"] if stage else "Not sent yet",
        stage_index=-1,
        stage_deadline=stage_deadline,
        overall_deadline=overall,
        stage_words=stage_words,
        overall_words=left_words(overall, today, calendar),
        overdue=bool(entry.get("overall_overdue") or entry.get("stage_overdue")),
        stage_overdue=bool(entry.get("stage_overdue")),
        overall_overdue=bool(entry.get("overall_overdue")),
        soon=calendar.working_days_between(today, overall) <= SOON_WORKING_DAYS,
        source="server",
    )


def ask_server(session: Any) -> tuple[list[dict[str, Any]] | None, str]:
    """The server's list of the team's open escalations, and where the page's list comes
    from. Runs on the network executor (the database worker never waits for a server)."""
    from iro_desktop.services import sync as sync_service

    if session.user.get("role") != "manager":
        return None, ""
    if not session.settings.server_url.strip():
        return None, "No sync server is set: showing the escalations on this laptop."
    try:
        server = sync_service.team_escalations(session)
    except Exception as exc:  # offline or not signed in: the local copies still serve
        return None, f"Showing the escalations on this laptop: {exc}"
    return server, (
        f"From the sync server ({plural(len(server), 'open escalation')} in your "
        "team), with this laptop's copies where they are newer."
    )


def gather(
    session: Any, asked: tuple[list[dict[str, Any]] | None, str] | None = None
) -> ManagerData:
    """The page's data from this laptop, with the server's answer (`ask_server`) if given."""
    from iro_desktop.services import escalations as service
    from iro_desktop.services import signoff

    user = session.user
    if user.get("role") != "manager":
        return ManagerData(allowed=False, who=user.get("display_name") or session.username)
    today = session.clock.today()
    local = {v.escalation_id: v for v in service.list_escalations(session, only_open=True)}
    server, source = asked if asked is not None else ask_server(session)
    rows: dict[str, ManagerRow] = {}
    for entry in server or []:
        eid = entry["escalation_id"]
        view = local.get(eid)
        rows[eid] = _from_view(view, today, "both") if view else _from_server(entry, today, session)
    for eid, view in local.items():
        if eid not in rows and view.category != "good_practice":
            rows[eid] = _from_view(view, today, "here")
    protocol = service.escalation_protocol(session)
    index = {s.key: i for i, s in enumerate(protocol.stages)}
    fixed = tuple(
        r
        if r.stage_index >= 0 or r.stage_key is None
        else replace(r, stage_index=index.get(r.stage_key, 99))
        for r in rows.values()
    )
    try:
        # The same count as the navigation shows (without opening, and auditing, the inbox).
        inbox: int | None = signoff.letters_waiting(session)
        inbox_words = (
            f"{plural(inbox, 'letter')} waiting for your sign-off"
            if inbox
            else "No letters waiting for sign-off"
        )
    except Exception as exc:
        inbox, inbox_words = None, f"The sign-off inbox could not be read: {exc}"
    return ManagerData(
        allowed=True,
        who=user.get("display_name") or session.username,
        rows=tuple(sorted(fixed, key=lambda r: (r.overall_deadline, r.escalation_id))),
        source_words=source,
        inbox=inbox,
        inbox_words=inbox_words,
        protocol_stages=tuple((s.key, s.name) for s in protocol.stages),
        today=today,
        theme_labels=theme_labels(session.profile.escalation),
    )


def financial_year_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def quarter_of(d: date) -> int:
    return ((d.month - 4) % 12) // 3 + 1


# --- grouping ------------------------------------------------------------------------------------


def groups(
    rows: tuple[ManagerRow, ...],
    by: str,
    stages: tuple[tuple[str, str], ...],
    labels: Mapping[str, str] = THEMES,
) -> list[tuple[str, list[ManagerRow]]]:
    """The rows arranged under headings, each group in deadline order."""
    if by == "deadline":
        overdue = [r for r in rows if r.overdue]
        soon = [r for r in rows if not r.overdue and r.soon]
        later = [r for r in rows if not r.overdue and not r.soon]
        found = [
            ("Overdue", overdue),
            (f"Due within {SOON_WORKING_DAYS} working days", soon),
            ("Later", later),
        ]
        return [(title, members) for title, members in found if members]
    keyed: dict[str, list[ManagerRow]] = {}
    order: dict[str, int] = {}
    for row in rows:
        if by == "stage":
            names = [row.stage_name]
            order[row.stage_name] = row.stage_index
        elif by == "theme":
            names = [theme_label(i, labels) for i in row.issues] or ["No issue recorded"]
        elif by == "team":
            names = [row.service or "Not recorded"]
        else:
            names = [row.raised_by or "Not recorded"]
        for name in names:
            keyed.setdefault(name, []).append(row)
    if by == "stage":
        titles = sorted(keyed, key=lambda n: (order.get(n, 99), n))
    else:
        titles = sorted(keyed, key=lambda n: (-len(keyed[n]), n))
    return [(title, keyed[title]) for title in titles]


# --- the page --------------------------------------------------------------------------------------


class ManagerPage(Page):
    key = "manager"
    title = "Manager"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: ManagerData | None = None
        self.loaded = False
        self._loading = False
        self.keeper = forms.FormKeeper(self, DRAFT_KEY)
        self._pending_draft: dict[str, Any] | None = None
        self._own_change = False

        heading = QLabel("Manager's view")
        heading.setObjectName("pageHeading")
        self.refresh_button = QPushButton("Re&load from the server")
        self.refresh_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        self.not_manager = QLabel("")
        self.not_manager.setWordWrap(True)
        self.not_manager.setAccessibleName("Why this page is empty")
        self.explanation = QWidget()
        explained = QVBoxLayout(self.explanation)
        explained.setContentsMargins(0, 8, 0, 0)
        explained.addWidget(self.not_manager)
        explained.addStretch(1)
        self.explanation.setVisible(False)

        self.body = QWidget()
        self.inbox_label = QLabel("")
        self.inbox_label.setAccessibleName("Sign-off inbox")
        self.inbox_button = QPushButton("Open the sign-off &inbox")
        self.inbox_button.clicked.connect(lambda: self.ctx.navigator.show_page("signoff"))
        inbox_row = QHBoxLayout()
        inbox_row.addWidget(self.inbox_label)
        inbox_row.addWidget(self.inbox_button)
        inbox_row.addStretch(1)
        self.source = QLabel("")
        self.source.setObjectName("hint")
        self.source.setWordWrap(True)
        self.source.setAccessibleName("Where the list comes from")

        self.arrange = QComboBox()
        for key, label in ARRANGEMENTS.items():
            self.arrange.addItem(label, key)
        self.arrange.setAccessibleName("Arrange open escalations by")
        arrange_label = QLabel("&Arrange by:")
        arrange_label.setBuddy(self.arrange)
        self.arrange.currentIndexChanged.connect(lambda _i: self._fill_tree())
        self.count = QLabel("")
        self.count.setAccessibleName("How many open escalations")
        bar = QHBoxLayout()
        bar.addWidget(arrange_label)
        bar.addWidget(self.arrange)
        bar.addSpacing(16)
        bar.addWidget(self.count, 1)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Open escalations of the team")
        self.tree.setColumnCount(len(HEADERS))
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        char = self.fontMetrics().averageCharWidth()
        for i, width in enumerate((24, 12, 15, 27, 24)):
            self.tree.header().resizeSection(i, width * char)
        self.tree.header().setStretchLastSection(True)
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        tree_label = QLabel("Open &escalations:")
        tree_label.setBuddy(self.tree)

        self.send_button = QPushButton("Se&nd on...")
        self.send_button.clicked.connect(lambda: self._open_move("send"))
        self.response_button = QPushButton("Record res&ponse...")
        self.response_button.clicked.connect(lambda: self._open_move("response"))
        self.resolve_button = QPushButton("Resol&ve...")
        self.resolve_button.clicked.connect(lambda: self._open_move("resolve"))
        self.why = QLabel("")
        self.why.setObjectName("hint")
        actions = QHBoxLayout()
        for button in (self.send_button, self.response_button, self.resolve_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))
            actions.addWidget(button)
        actions.addWidget(self.why, 1)

        list_part = QWidget()
        list_layout = QVBoxLayout(list_part)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(bar)
        list_layout.addWidget(tree_label)
        list_layout.addWidget(self.tree, 1)
        list_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_part)
        splitter.addWidget(self._build_report())
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 300])

        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(inbox_row)
        body.addWidget(self.source)
        body.addWidget(splitter, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.explanation, 1)
        layout.addWidget(self.body, 1)
        self._enable()

    def _build_report(self) -> QWidget:
        box = QFrame()
        box.setObjectName("card")
        title = QLabel("Quarterly themes report")
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.year = QComboBox()
        self.year.setAccessibleName("Financial year")
        year_label = QLabel("Financial yea&r:")
        year_label.setBuddy(self.year)
        self.quarter = QComboBox()
        for q, months in (
            (1, "April to June"),
            (2, "July to September"),
            (3, "October to December"),
            (4, "January to March"),
        ):
            self.quarter.addItem(f"Q{q}: {months}", q)
        self.quarter.setAccessibleName("Quarter")
        quarter_label = QLabel("&Quarter:")
        quarter_label.setBuddy(self.quarter)
        self.year.currentIndexChanged.connect(lambda _i: self.load_report())
        self.quarter.currentIndexChanged.connect(lambda _i: self.load_report())
        picker = QHBoxLayout()
        picker.addWidget(title)
        picker.addSpacing(24)
        picker.addWidget(year_label)
        picker.addWidget(self.year)
        picker.addWidget(quarter_label)
        picker.addWidget(self.quarter)
        picker.addStretch(1)
        self.report_summary = QLabel("")
        self.report_summary.setWordWrap(True)
        self.report_summary.setAccessibleName("Quarter in figures")
        self.theme_table = self._small_table(
            "Escalations by theme", ["Theme", "Escalations", "Children"]
        )
        self.stage_table = self._small_table(
            "Escalations by stage reached", ["Stage reached", "Escalations"]
        )
        tables = QHBoxLayout()
        tables.addWidget(self.theme_table, 3)
        tables.addWidget(self.stage_table, 2)
        column = QVBoxLayout(box)
        column.addLayout(picker)
        column.addWidget(self.report_summary)
        column.addLayout(tables, 1)
        return box

    @staticmethod
    def _small_table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i in range(1, len(headers)):
            table.horizontalHeader().setSectionResizeMode(
                i, QHeaderView.ResizeMode.ResizeToContents
            )
        return table

    # --- loading ---------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if not self.loaded and not self._loading:
            self.reload()

    def reload(self) -> None:
        session = self.ctx.session()
        self._loading = True
        self.source.setText("Reading the team's escalations...")

        def failed(exc: BaseException) -> None:
            self._loading = False
            if not session.is_open:
                return  # a late answer to a question asked before the lock
            self.source.setText("The escalations could not be read.")
            self.report(exc)

        def asked(answer: tuple[list[dict[str, Any]] | None, str]) -> None:
            if not session.is_open:  # locked while the server was asked
                self._loading = False
                return
            self.ctx.tasks.run(
                lambda: gather(session, answer), self._loaded, failed, label="manager view"
            )

        # The server first, on the network executor; then this laptop's part on the worker.
        self.ctx.tasks.run_network(
            lambda: ask_server(session), asked, failed, label="manager view (server)"
        )

    def _loaded(self, data: ManagerData) -> None:
        self._loading = False
        self.loaded = True
        self.data = data
        self.explanation.setVisible(not data.allowed)
        self.body.setVisible(data.allowed)
        self.refresh_button.setVisible(data.allowed)
        if not data.allowed:
            self.not_manager.setText(
                f"This page is for IRO managers. You are signed in as {data.who}, with an IRO "
                "login, so it shows nothing here. Your own escalations are on the Escalations "
                "page (Ctrl+3).\n\nA manager sees every open escalation of the team by "
                "deadline, stage, theme and team, the letters waiting for sign-off and the "
                "quarterly themes report. If you are a manager, lock (Ctrl+L) and unlock with "
                "your manager login."
            )
            return
        self.inbox_label.setText(data.inbox_words)
        self.inbox_button.setEnabled(data.inbox is not None)
        self.source.setText(data.source_words)
        self._fill_tree()
        if self.year.count() == 0 and data.today is not None:
            self._fill_years(data.today)
        else:
            self.load_report()
        if self._pending_draft is not None:
            self._continue_draft()

    def on_changed(self, what: str) -> None:
        if self._own_change:
            return
        if self.loaded and (
            what in ("escalations", "sync", "settings") or what.startswith("escalation:")
        ):
            self.reload()

    def _fill_tree(self) -> None:
        data = self.data
        self.tree.clear()
        if data is None or not data.allowed:
            return
        by = str(self.arrange.currentData() or "deadline")
        overdue = sum(r.overdue for r in data.rows)
        self.count.setText(f"{plural(len(data.rows), 'open escalation')}, {overdue} overdue")
        first: QTreeWidgetItem | None = None
        for title, members in groups(data.rows, by, data.protocol_stages, data.theme_labels):
            group = QTreeWidgetItem([f"{title} ({len(members)})"])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(
                group.flags() & ~Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            )
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for row in members:
                item = QTreeWidgetItem(
                    [
                        row.children,
                        row.raised_by,
                        row.service or "Not recorded",
                        row.stage_name,
                        row.stage_words,
                        row.overall_words,
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, row.escalation_id)
                issues = ", ".join(theme_label(i, data.theme_labels) for i in row.issues)
                where = {
                    "both": "On the sync server and this laptop.",
                    "server": "On the sync server only: sync (F5) to act on it here.",
                    "here": "On this laptop only (not yet sent, or offline).",
                }[row.source]
                tip = f"Issues: {issues or 'none'}. Overall deadline {uk_date(row.overall_deadline)}. {where}"
                for col in range(len(HEADERS)):
                    item.setToolTip(col, tip)
                if row.stage_overdue:
                    item.setForeground(4, TONES["alert"])
                if row.overall_overdue:
                    item.setForeground(5, TONES["alert"])
                group.addChild(item)
                if first is None:
                    first = item
            group.setExpanded(True)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._enable()

    def selected(self) -> ManagerRow | None:
        item = self.tree.currentItem()
        data = self.data
        if item is None or data is None:
            return None
        eid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in data.rows if r.escalation_id == eid), None)

    def listed_ids(self) -> list[str]:
        """Escalation ids in the order shown (tests and screen readers' order)."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is None:
                continue
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None:
                    found.append(str(child.data(0, Qt.ItemDataRole.UserRole)))
        return found

    def _enable(self) -> None:
        row = self.selected()
        can = row is not None and row.can_act
        view = row.view if row else None
        self.send_button.setEnabled(
            can and view is not None and view.next_stage_key not in (None, "cafcass")
        )
        self.response_button.setEnabled(
            can and view is not None and view.current_stage_key is not None
        )
        self.resolve_button.setEnabled(can)
        if row is not None and not row.can_act:
            self.why.setText(
                "Held on the sync server only: sync (F5) to bring it here and act on it."
            )
        else:
            self.why.setText("")

    # --- the quarterly report ----------------------------------------------------------------

    def _fill_years(self, today: date) -> None:
        current = financial_year_of(today)
        self.year.blockSignals(True)
        self.quarter.blockSignals(True)
        for year in range(current, current - 4, -1):
            self.year.addItem(f"{year}/{(year + 1) % 100:02d}", year)
        # The quarter just ended: the one a quarterly report is about.
        quarter = quarter_of(today) - 1
        if quarter == 0:
            quarter = 4
            self.year.setCurrentIndex(min(1, self.year.count() - 1))
        self.quarter.setCurrentIndex(quarter - 1)
        self.year.blockSignals(False)
        self.quarter.blockSignals(False)
        self.load_report()

    def load_report(self) -> None:
        from iro_desktop.services import escalations as service

        year, quarter = self.year.currentData(), self.quarter.currentData()
        if year is None or quarter is None or not self.loaded:
            return
        session = self.ctx.session()
        self.ctx.tasks.run(
            lambda: service.quarterly_themes_report(session, int(year), int(quarter)),
            self._show_report,
            self.report,
            label="themes report",
        )

    def _show_report(self, report: ThemesReport) -> None:
        self.last_report = report
        within = report.resolved_within_limit_percent
        percent = f" ({within:.0f}%)" if within is not None else ""
        labels = self.data.theme_labels if self.data else THEMES
        agencies = ", ".join(
            f"{k.replace('_', ' ')} {n}" for k, n in report.partner_by_agency.items() if n
        )
        self.report_summary.setText(
            f"{uk_date(report.start)} to {uk_date(report.end)}: {plural(report.raised, 'escalation')} "
            f"raised for {plural(report.children, 'child', 'children')}. "
            f"Concluded in the quarter: {report.resolved} resolved, {report.resolved_within_limit} "
            f"of them within 20 working days{percent}; {report.withdrawn} withdrawn. "
            f"Partner escalations: {report.partner_escalations}"
            + (f" ({agencies})" if agencies else "")
            + f". Good practice notifications: {report.good_practice_notifications}."
        )
        themes = [
            (theme_label(k, labels), n, report.children_by_theme.get(k, 0))
            for k, n in report.by_theme.items()
            if n
        ]
        themes.sort(key=lambda t: (-t[1], t[0]))
        self.theme_table.setRowCount(len(themes))
        for r, (name, n, children) in enumerate(themes):
            for c, text in enumerate((name, str(n), str(children))):
                self.theme_table.setItem(r, c, QTableWidgetItem(text))
        stage_names = dict(self.data.protocol_stages if self.data else ())
        stages = list(report.by_stage_reached.items())
        self.stage_table.setRowCount(len(stages))
        for r, (key, n) in enumerate(stages):
            name = "Not sent yet" if key == NOT_SENT else stage_names.get(key, key)
            self.stage_table.setItem(r, 0, QTableWidgetItem(name))
            self.stage_table.setItem(r, 1, QTableWidgetItem(str(n)))

    last_report: ThemesReport | None = None

    # --- moves --------------------------------------------------------------------------------

    def _open_move(
        self, kind: str, values: dict[str, Any] | None = None, row: ManagerRow | None = None
    ) -> None:
        row = row or self.selected()
        if row is None or row.view is None:
            return
        session = self.ctx.session()
        today = self.data.today if self.data and self.data.today else session.clock.today()
        moves.open_move(self.keeper, kind, row.view, session, today, self, self._moved, values)

    def _moved(self, _view: EscalationView) -> None:
        self.reload()
        self._own_change = True
        try:
            self.changed.emit("escalations")  # the sync status and the Escalations page
        finally:
            self._own_change = False

    # --- drafts, lock --------------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        found = self.keeper.drafts()
        if not found and self._pending_draft is not None:
            found = {DRAFT_KEY: self._pending_draft}
        return found

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if key != DRAFT_KEY or not isinstance(payload, dict):
            return False
        self._pending_draft = payload
        if self.loaded:
            self._continue_draft()
        return True

    def _continue_draft(self) -> None:
        payload, self._pending_draft = self._pending_draft, None
        if not payload or self.data is None:
            return
        context = payload.get("context") or {}
        row = next(
            (r for r in self.data.rows if r.escalation_id == context.get("escalation_id")), None
        )
        if row is None or row.view is None:
            self._pending_draft = payload  # kept until the escalation is here again
            return
        values = payload.get("values") if isinstance(payload.get("values"), dict) else {}
        self.ctx.status("What you were typing when the caseload locked was put back.")
        self._open_move(str(payload.get("form")), values, row)

    def focus_first(self) -> None:
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def state(self) -> dict[str, Any]:
        return {"arrange": self.arrange.currentData()}

    def restore_state(self, state: dict[str, Any]) -> None:
        index = self.arrange.findData(state.get("arrange"))
        if index >= 0:
            self.arrange.setCurrentIndex(index)

    def clear_for_lock(self) -> None:
        self.keeper.clear_for_lock()
        self.data = None
        self.loaded = False
        self._pending_draft = None
        self.tree.clear()
        self.theme_table.setRowCount(0)
        self.stage_table.setRowCount(0)
        self.report_summary.setText("")
        self.inbox_label.setText("")
        self.source.setText("")
        self.count.setText("")
