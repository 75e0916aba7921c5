"""The caseload list: every child, when their next review is due, searchable and sortable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services.window import CaseloadEntry
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.qt_models import ColumnTableModel, fit_columns
from iro_desktop.ui.views.caseload_columns import (
    COLUMNS,
    DUE_COLUMN,
    DUE_SOON_WORKING_DAYS,
    FILTERS,
    GIVE_WAY,
    IRO_COLUMN,
    NAME_COLUMN,
    CaseloadProxy,
    search_text,
)
from iro_desktop.ui.views.caseload_empty import EmptyCaseload
from iro_desktop.ui.widgets import read_only_table

__all__ = [
    "COLUMNS",
    "DUE_SOON_WORKING_DAYS",
    "FILTERS",
    "CaseloadPage",
    "CaseloadProxy",
    "search_text",
]

NEW_CHILD_DRAFT = "new_child"


class CaseloadTable(QTableView):
    """Enter opens the selected child (QTableView's own 'activated' varies by platform)."""

    def __init__(self, page: CaseloadPage) -> None:
        super().__init__()
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._page.open_current()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self._page.copy_current()
            event.accept()
            return
        super().keyPressEvent(event)


class CaseloadPage(Page):
    key = "caseload"
    title = "Caseload"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model: ColumnTableModel[CaseloadEntry] = ColumnTableModel(COLUMNS, self)
        self.proxy = CaseloadProxy(FILTERS, search_text, self)
        self.proxy.setSourceModel(self.model)
        self.loaded = False
        self._loading = False
        self._pending_state: dict[str, Any] | None = None

        heading = QLabel("Caseload")
        heading.setObjectName("pageHeading")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, preferred name or LA number")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the caseload")
        self.search.setAccessibleDescription(
            "Type part of a name, preferred name or LA number; Enter opens the first match."
        )
        self.search.setMinimumWidth(280)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.open_current_or_first)
        self.search.installEventFilter(self)

        self.filter = QComboBox()
        for f in FILTERS:
            self.filter.addItem(f.label, f.key)
        self.filter.setAccessibleName("Show which children")
        filter_label = QLabel("S&how:")
        filter_label.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(self._filter_changed)

        self.count = QLabel("")
        self.count.setAccessibleName("How many children are shown")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Showing 1300 of 1300 children") + 8
        )

        self.add_button = QPushButton("&Add a child...")
        self.add_button.setAccessibleName("Add a child")
        self.add_button.setToolTip("Type in a child's details (Ctrl+N)")
        self.add_button.clicked.connect(lambda: self.add_child())

        self.bar = QWidget()
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 2)
        bar.addSpacing(16)
        bar.addWidget(filter_label)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addSpacing(12)
        bar.addWidget(self.add_button)

        self.table = read_only_table("Children on the caseload", CaseloadTable(self))
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DUE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        # Sized to what they hold; the name takes spare width, and the long words (status,
        # placement) give way first on a narrow screen, their full text in a tooltip.
        self.fitter = fit_columns(self.table, NAME_COLUMN, give_way=GIVE_WAY)

        self.empty = EmptyCaseload()
        self.empty.add_requested.connect(lambda: self.add_child())
        self.empty.import_requested.connect(lambda: self._command("import"))
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.bar)
        layout.addWidget(self.views, 1)

        from iro_desktop.ui.views.child_entry import ChildEntry

        self.entry = ChildEntry(self, lambda: NEW_CHILD_DRAFT)

        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    # --- loading -----------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if not self.loaded and not self._loading:
            self.reload()

    def reload(self) -> None:
        from iro_desktop.services import window as service

        session = self.ctx.session()
        self._loading = True
        self.count.setText("Loading the caseload...")

        def failed(exc: BaseException) -> None:
            self._loading = False
            self.count.setText("The caseload could not be loaded.")
            self.report(exc)

        self.ctx.tasks.run(
            lambda: service.caseload_entries(session), self._loaded, failed, label="caseload"
        )

    def show_entries(self, entries: list[CaseloadEntry]) -> None:
        """Rows fetched elsewhere (with the unlock), shown as if this page had loaded them."""
        self._loaded(entries)

    def _loaded(self, entries: list[CaseloadEntry]) -> None:
        self._loading = False
        keep = self.selected_id()
        # An IRO's own caseload has one allocated IRO: the column says nothing and its width
        # goes to the words that matter. A manager's view of several IROs shows it.
        one_iro = len({e.row.allocated_iro for e in entries}) <= 1
        self.table.setColumnHidden(IRO_COLUMN, one_iro)
        self.model.set_rows(entries)
        self.fitter.refit()
        self.loaded = True
        if self._pending_state is not None:
            state, self._pending_state = self._pending_state, None
            self._apply_state(state)
        elif keep:
            self.select_id(keep)
        self._update_count()

    def on_changed(self, what: str) -> None:
        relevant = what in ("caseload", "settings") or what.startswith("child:")
        if relevant and self.loaded:
            self.reload()

    # --- search, filter, count ---------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _filter_changed(self, _index: int) -> None:
        key = self.filter.currentData()
        if key:
            self.proxy.set_filter(str(key))
            self._update_count()

    def _update_count(self, *_: object) -> None:
        if not self.loaded:
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self._show_empty(total == 0)
        noun = "child" if total == 1 else "children"
        if shown == total:
            self.count.setText(f"{total} {noun}")
        else:
            self.count.setText(f"Showing {shown} of {total} {noun}")

    def _show_empty(self, empty: bool) -> None:
        """No children yet: say what to do next instead of showing an empty table."""
        if empty == (self.views.currentWidget() is self.empty):
            return
        had_focus = self.table.hasFocus() or self.search.hasFocus()
        self.views.setCurrentWidget(self.empty if empty else self.table)
        self.bar.setVisible(not empty)
        if empty and had_focus:
            self.empty.focus_first()

    @property
    def is_empty(self) -> bool:
        return self.loaded and self.model.rowCount() == 0

    # --- adding a child ---------------------------------------------------------------------

    def _command(self, name: str) -> None:
        if self.ctx.command is not None:
            self.ctx.command(name)

    def add_child(self, values: dict[str, Any] | None = None) -> None:
        from iro_desktop.domain.caseload import Child

        def added(child: Child) -> None:
            self.changed.emit("caseload")
            self.ctx.status(f"{child.name} was added to the caseload.")
            self.ctx.navigator.open_child(child.id)

        self.entry.add(added, values)

    def drafts(self) -> dict[str, dict[str, Any]]:
        return self.entry.keeper.drafts()

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if key != NEW_CHILD_DRAFT or not isinstance(payload.get("values"), dict):
            return False
        self.add_child(dict(payload["values"]))
        return True

    def focus_search(self) -> None:
        if self.is_empty:
            self.empty.focus_first()
            return
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_first(self) -> None:
        self.focus_search()

    def focus_on_return(self) -> None:
        # Back from a child: the list, on the child just seen, so Down moves to the next.
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down arrow from the search box goes to the list, as in a file chooser.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.table.selectionModel().hasSelection():
                    self._select_proxy_row(0)
                return True
        return super().eventFilter(watched, event)

    # --- selection and opening ----------------------------------------------------------------

    def _select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_id(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.proxy.row_at(index.row()).row.id

    def select_id(self, child_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).row.id == child_id:
                self._select_proxy_row(row)
                return True
        return False

    def open_current(self) -> None:
        child_id = self.selected_id()
        if child_id:
            self.ctx.navigator.open_child(child_id)

    def open_current_or_first(self) -> None:
        child_id = self.selected_id()
        if child_id is None and self.proxy.rowCount():
            self._select_proxy_row(0)
            child_id = self.selected_id()
        if child_id:
            self.ctx.navigator.open_child(child_id)

    def copy_current(self) -> None:
        index = self.table.selectionModel().currentIndex()
        if index.isValid() and self.ctx.clipboard is not None:
            entry = self.proxy.row_at(index.row())
            self.ctx.clipboard.copy(f"{entry.row.name}\t{entry.la_child_id}")
            self.ctx.status("Copied the child's name and LA number.")

    # --- lock and restore ----------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        header = self.table.horizontalHeader()
        return {
            "search": self.search.text(),
            "filter": self.proxy.filter_key,
            "sort_column": header.sortIndicatorSection(),
            "sort_order": "desc"
            if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            else "asc",
            "selected_id": self.selected_id(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not self.loaded:
            self._pending_state = dict(state)
            return
        self._apply_state(state)

    def _apply_state(self, state: dict[str, Any]) -> None:
        key = state.get("filter") or "all"
        index = self.filter.findData(key)
        if index >= 0:
            self.filter.setCurrentIndex(index)
        self.search.setText(str(state.get("search") or ""))
        column = state.get("sort_column")
        if isinstance(column, int) and 0 <= column < len(COLUMNS):
            order = (
                Qt.SortOrder.DescendingOrder
                if state.get("sort_order") == "desc"
                else Qt.SortOrder.AscendingOrder
            )
            self.table.sortByColumn(column, order)
        selected = state.get("selected_id")
        if isinstance(selected, str):
            self.select_id(selected)

    def clear_for_lock(self) -> None:
        self.entry.keeper.clear_for_lock()
        self.model.clear()
        self.loaded = False
        self._pending_state = None
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.proxy.set_search("")
        self.count.setText("")
