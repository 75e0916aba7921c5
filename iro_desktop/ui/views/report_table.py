"""The figures table the Reports page and the service-wide report panel share: a line per
figure under its section heading, this year beside the previous one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from iro_desktop.ui.qt_models import Column, ColumnTableModel, Index


class Line:
    """One line of the table: a section heading or a figure."""

    __slots__ = ("heading", "label", "number", "percent", "out_of", "before", "before_percent")

    def __init__(
        self,
        label: str,
        *,
        heading: bool = False,
        number: str = "",
        percent: str = "",
        out_of: str = "",
        before: str = "",
        before_percent: str = "",
    ) -> None:
        self.heading = heading
        self.label = label
        self.number = number
        self.percent = percent
        self.out_of = out_of
        self.before = before  # the previous year's figure, beside this year's
        self.before_percent = before_percent


COLUMNS: list[Column[Line]] = [
    Column("Figure", lambda r: r.label, tooltip=lambda r: r.label, width_chars=70),
    Column("Number", lambda r: r.number, align_right=True, width_chars=8),
    Column("Percentage", lambda r: r.percent, align_right=True, width_chars=10),
    Column("Out of", lambda r: r.out_of, align_right=True, width_chars=8),
    Column("Previous year", lambda r: r.before, align_right=True, width_chars=13),
    Column("Previous year %", lambda r: r.before_percent, align_right=True, width_chars=15),
]


class ReportModel(ColumnTableModel[Line]):
    """Section headings in bold (and said as headings to a screen reader)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid():
            line = self.row_at(index.row())
            if line.heading:
                if role == Qt.ItemDataRole.FontRole:
                    font = QFont()
                    font.setBold(True)
                    return font
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return f"Section: {line.label}"
        return super().data(index, role)
