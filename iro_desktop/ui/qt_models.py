"""Table models over plain objects, and the caseload list's filter and search.

A model holds rows the worker produced; it never queries anything itself. Each column has a
sort key of numbers or lower-case text (dates as day numbers, blanks last). The model sorts
itself with Python's sort (one key per row, not a Qt call per comparison) and the proxy
only filters, keeping the model's order: 1,300 rows sort and filter in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2

# Sorts after every real date / number.
BLANK_LAST = 10**9

TONES = {
    "alert": QColor("#a4262c"),  # overdue: dark red, with the words saying so too
    "warn": QColor("#8a4b00"),  # due soon
    "quiet": QColor("#5f6368"),
}


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], int | float | str] | None = None
    tooltip: Callable[[R], str] | None = None
    tone: Callable[[R], str | None] | None = None
    align_right: bool = False
    width_chars: int = 14
    heading_tip: str = ""

    def width(self, average_char: int) -> int:
        """Pixels for the column: its usual content or its heading, whichever is wider."""
        return max(self.width_chars, len(self.title) + 3) * average_char + 12


class ColumnTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- rows ------------------------------------------------------------------------------

    @property
    def rows(self) -> list[R]:
        return self._rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows)) if self._sort is not None else list(rows)
        self.endResetModel()

    def _sorted(self, rows: list[R]) -> list[R]:
        """Rows in the chosen order; rows with nothing to sort on (no date) always last."""
        assert self._sort is not None
        key = self.sort_key(self._sort[0])
        keyed = [(key(row), row) for row in rows]
        present = [kr for kr in keyed if kr[0] != BLANK_LAST]
        present.sort(key=lambda kr: kr[0], reverse=self._descending())
        return [row for _, row in present] + [row for k, row in keyed if k == BLANK_LAST]

    def sort_key(self, column: int) -> Callable[[R], int | float | str]:
        chosen = self.columns[column]
        if chosen.sort_key is not None:
            return chosen.sort_key
        return lambda row: chosen.text(row).casefold()

    def _descending(self) -> bool:
        return self._sort is not None and self._sort[1] == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        before = self.persistentIndexList()
        was = [self._rows[i.row()] if i.isValid() else None for i in before]
        # A new list, not sorted in place: the search proxy keys its cache on the list.
        self._rows = self._sorted(self._rows)
        # Keep selections and the current row on the same children after the move.
        where = {id(row): i for i, row in enumerate(self._rows)}
        after = [
            self.index(where[id(row)], index.column()) if row is not None else QModelIndex()
            for row, index in zip(was, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> R:
        return self._rows[row]

    # --- Qt's side -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return self.sort_key(index.column())(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            # The full text, for a cell too narrow to show all of it.
            if column.tooltip is not None:
                return column.tooltip(row) or None
            return column.text(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.tone is not None:
            tone = column.tone(row)
            return TONES.get(tone) if tone else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {column.text(row)}"
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            column = self.columns[section]
            return column.heading_tip or f"Sort by {column.title.lower()} (click again to reverse)"
        return None


@dataclass(frozen=True)
class RowFilter(Generic[R]):
    key: str
    label: str
    accepts: Callable[[R], bool]


class SearchFilterProxy(QSortFilterProxyModel, Generic[R]):
    """Sort by SORT_ROLE; keep rows passing the chosen filter whose search text contains
    every word typed (so "dais bram" finds Daisy Bramblecombe)."""

    def __init__(
        self,
        filters: Sequence[RowFilter[R]],
        search_text: Callable[[R], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.filters = {f.key: f for f in filters}
        self._search_text = search_text
        self._filter_key = next(iter(self.filters)) if self.filters else ""
        self._words: list[str] = []
        self._haystacks: list[str] = []
        self._haystack_rows: list[R] | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The model sorts itself; this proxy keeps the model's order and only filters.
        model = self.sourceModel()
        if isinstance(model, ColumnTableModel):
            model.sort(column, order)

    def _haystack(self, model: ColumnTableModel[R], source_row: int) -> str:
        # Rebuilt whenever the model holds a new list of rows (set_rows makes a new list);
        # checked here because the proxy re-filters before any slot of ours would run.
        if self._haystack_rows is not model.rows:
            self._haystack_rows = model.rows
            self._haystacks = [self._search_text(r).casefold() for r in model.rows]
        return self._haystacks[source_row]

    @property
    def filter_key(self) -> str:
        return self._filter_key

    @property
    def search(self) -> str:
        return " ".join(self._words)

    def set_filter(self, key: str) -> None:
        if key not in self.filters:
            raise ValueError(f"Unknown list filter '{key}'.")
        if key != self._filter_key:
            self._change_filter(lambda: setattr(self, "_filter_key", key))

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() with begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - PySide6 < 6.10
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, ColumnTableModel) or source_row >= len(model.rows):
            return False
        row = model.row_at(source_row)
        chosen = self.filters.get(self._filter_key)
        if chosen is not None and not chosen.accepts(row):
            return False
        if self._words:
            haystack = self._haystack(model, source_row)
            return all(word in haystack for word in self._words)
        return True

    def row_at(self, proxy_row: int) -> R:
        source = self.mapToSource(self.index(proxy_row, 0))
        model = self.sourceModel()
        assert isinstance(model, ColumnTableModel)
        return model.row_at(source.row())  # type: ignore[no-any-return]


# --- column widths ------------------------------------------------------------------------------


class ColumnFitter(QObject):
    """Sizes a table's columns to what they hold (a sample of rows and the heading), and keeps
    doing so as rows arrive and the table is resized.

    Spare width goes to the one column that matters most (`stretch`: names, say); when the
    table is too narrow, the other columns give way first, each down to its heading, so the
    important one keeps its full text. A cut cell still shows its full text as a tooltip.
    """

    SAMPLE_ROWS = 300

    def __init__(
        self,
        view: QTableView,
        stretch: int = 0,
        *,
        most: int = 60,
        give_way: tuple[int, ...] = (),
    ) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.give_way = give_way  # columns that narrow first (long words, also in a tooltip)
        self.most_chars = most  # no column grows past this many characters of content
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.viewport().installEventFilter(self)
        # Measuring every cell's text is the costly part: done once per change of the rows,
        # not again for each resize (a window's first paint brings several).
        self._measured: tuple[list[int], list[int]] | None = None
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self._rows_changed)
            model.rowsRemoved.connect(self._forget)
            model.dataChanged.connect(self._forget)
        self.fit()

    def _forget(self, *_: object) -> None:
        self._measured = None

    def refit(self) -> None:
        """Measure again and fit (after a column is shown or hidden)."""
        self._measured = None
        self.fit()

    def _rows_changed(self, *_: object) -> None:
        self._measured = None
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def wanted(self) -> tuple[list[int], list[int]]:
        """Each column's width for its content, and the least it can be (its heading)."""
        if self._measured is None or self.view.model() is None:
            self._measured = self._measure()
        return self._measured

    def _measure(self) -> tuple[list[int], list[int]]:
        view, model = self.view, self.view.model()
        if model is None:
            return [], []
        cells = view.fontMetrics()
        heads = view.horizontalHeader().fontMetrics()
        most = cells.averageCharWidth() * self.most_chars
        rows = min(model.rowCount(), self.SAMPLE_ROWS)
        wanted: list[int] = []
        least: list[int] = []
        for c in range(model.columnCount()):
            if view.isColumnHidden(c):
                wanted.append(0)
                least.append(0)
                continue
            title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            heading = heads.horizontalAdvance(title) + 30  # room for the sort arrow
            content = 0
            for r in range(rows):
                text = model.data(model.index(r, c))
                if text:
                    content = max(content, cells.horizontalAdvance(str(text)))
            wanted.append(max(heading, min(content, most) + 18))
            least.append(heading)
        return wanted, least

    def fit(self) -> None:
        wanted, least = self.wanted()
        if not wanted:
            return
        room = self.view.viewport().width()
        widths = list(wanted)
        stretch = self.stretch if 0 <= self.stretch < len(widths) else len(widths) - 1
        over = sum(widths) - room
        if over < 0:
            widths[stretch] -= over  # the spare width goes to the column that matters
        else:
            first = [i for i in self.give_way if i != stretch and i < len(widths)]
            rest = [i for i in range(len(widths)) if i != stretch and i not in first]
            for group in (first, rest):
                over = sum(widths) - room
                give = sum(widths[i] - least[i] for i in group)
                if over <= 0 or give <= 0:
                    continue
                share = min(1.0, over / give)
                for i in group:
                    widths[i] -= int((widths[i] - least[i]) * share + 0.999)
            over = sum(widths) - room
            if over > 0:
                widths[stretch] = max(least[stretch], widths[stretch] - over)
        header = self.view.horizontalHeader()
        for i, width in enumerate(widths):
            if not self.view.isColumnHidden(i):
                header.resizeSection(i, width)


def fit_columns(
    view: QTableView, stretch: int = 0, *, most: int = 60, give_way: tuple[int, ...] = ()
) -> ColumnFitter:
    """Size `view`'s columns to their content from now on (see ColumnFitter)."""
    return ColumnFitter(view, stretch, most=most, give_way=give_way)
