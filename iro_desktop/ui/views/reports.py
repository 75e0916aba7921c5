"""Reports: the annual-report figures for a financial year, from this caseload's records.

The tables the service's annual report carries (reviews in timescale, participation by PN
code, consultation, recording timescales, escalations ...) computed from what is stored
here, shown as one table and exported to CSV for the report writer's spreadsheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services.reports import AnnualReport, KpiInputs
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.views.report_table import COLUMNS, Line, ReportModel
from iro_desktop.ui.widgets import read_only_table, uk_date


def _number(value: int | float | None) -> str:
    if value is None:
        return "None"
    return f"{value:g}" if isinstance(value, float) else str(value)


def lines_of(report: AnnualReport) -> list[Line]:
    lines: list[Line] = []
    section = ""
    for row in report.rows:
        if row.section != section:
            section = row.section
            lines.append(Line(section, heading=True))
        percent = "" if row.percentage is None else f"{row.percentage:.1f}%"
        if row.out_of is not None and row.out_of == 0:
            percent = "No cases"
        before_percent = (
            "" if row.previous_percentage is None else f"{row.previous_percentage:.1f}%"
        )
        lines.append(
            Line(
                row.label,
                number=_number(row.value),
                percent=percent,
                out_of="" if row.out_of is None else str(row.out_of),
                before="" if row.previous_value is None else _number(row.previous_value),
                before_percent=before_percent,
            )
        )
    return lines


class _Progress(QObject):
    """Carries the worker's progress to the main thread (a queued signal)."""

    step = Signal(int, int)


class ReportsPage(Page):
    key = "reports"
    title = "Reports"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.inputs: KpiInputs | None = None
        self.report_shown: AnnualReport | None = None
        self.loaded = False
        self._loading = False
        self._wanted_year: int | None = None

        heading = QLabel("Annual report figures")
        heading.setObjectName("pageHeading")
        self.year = QComboBox()
        self.year.setAccessibleName("Financial year")
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        year_label = QLabel("Financial yea&r:")
        year_label.setBuddy(self.year)
        self.year.currentIndexChanged.connect(lambda _i: self.show_year())
        self.export_button = QPushButton("E&xport to CSV...")
        self.export_button.setAccessibleName("Export the figures to a CSV file")
        self.export_button.clicked.connect(self.export)
        self.reload_button = QPushButton("Re&calculate")
        self.reload_button.setAccessibleName("Read the records again and recalculate")
        self.reload_button.clicked.connect(self.reload)
        bar = QHBoxLayout()
        bar.addWidget(year_label)
        bar.addWidget(self.year)
        bar.addSpacing(16)
        bar.addWidget(self.reload_button)
        bar.addWidget(self.export_button)
        # The whole service's figures, from the sync server (a manager's): see service_report.
        from iro_desktop.ui.views.service_report import ServiceReportPanel

        self.service_panel = ServiceReportPanel(ctx, self)
        self.service_panel.setVisible(False)
        self.service_button = QPushButton("Service-&wide report...")
        self.service_button.setCheckable(True)
        self.service_button.setAccessibleName("Show the service-wide report from the sync server")
        self.service_button.toggled.connect(self.service_panel.setVisible)
        bar.addWidget(self.service_button)
        bar.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Reading the records")
        self.progress.setFormat("Reading the records: %v of %m children")
        self.progress.setVisible(False)
        self._progress = _Progress(self)
        self._progress.step.connect(self._step)

        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About these figures")

        self.model = ReportModel(COLUMNS, self)
        self.table = read_only_table("Annual report figures")
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        char = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        for i, column in enumerate(COLUMNS[1:], start=1):
            header.resizeSection(i, column.width(char))
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        table_label = QLabel("F&igures:")
        table_label.setBuddy(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.note)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.service_panel, 1)
        self._enable()

    # --- loading -------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if arg and arg.isdigit():
            self._wanted_year = int(arg)
        if not self.loaded and not self._loading:
            self.reload()
        elif self.loaded and self._wanted_year is not None:
            self._choose_year(self._wanted_year)

    def current_arg(self) -> str | None:
        year = self.year.currentData()
        return str(year) if year is not None else None

    def reload(self) -> None:
        """Read every record again (the figures for any year then come from memory)."""
        from iro_desktop.services import reports as service

        session = self.ctx.session()
        self._loading = True
        self._enable()
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.note.setText("Reading the reviews and escalations on this caseload...")
        emit = self._progress.step.emit

        def load() -> tuple[KpiInputs, list[int]]:
            inputs = service.gather_inputs(session, progress=emit)
            return inputs, service.report_years(session, inputs)

        def failed(exc: BaseException) -> None:
            self._loading = False
            self.progress.setVisible(False)
            self.note.setText("The records could not be read.")
            self._enable()
            self.report(exc)

        self.ctx.tasks.run(load, self._gathered, failed, label="annual figures")

    def _step(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _gathered(self, found: tuple[KpiInputs, list[int]]) -> None:
        from iro_desktop.services.reports import year_label

        inputs, years = found
        self._loading = False
        self.loaded = True
        self.progress.setVisible(False)
        self.inputs = inputs
        wanted = self._wanted_year or self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(f"{year_label(year)} (April {year} to March {year + 1})", year)
        self.year.blockSignals(False)
        if wanted is None or not self._choose_year(int(wanted)):
            self.year.setCurrentIndex(0)
            self.show_year()

    def _choose_year(self, year: int) -> bool:
        index = self.year.findData(year)
        if index < 0:
            return False
        self._wanted_year = None
        if index == self.year.currentIndex():
            self.show_year()
        else:
            self.year.setCurrentIndex(index)
        return True

    def show_year(self) -> None:
        from iro_desktop.services import reports as service

        year = self.year.currentData()
        inputs = self.inputs
        if year is None or inputs is None:
            return
        session = self.ctx.session()
        self.ctx.tasks.run(
            lambda: service.annual_report(session, int(year), inputs),
            self._show,
            self.report,
            label="annual figures",
        )

    def _show(self, report: AnnualReport) -> None:
        self.report_shown = report
        self.model.set_rows(lines_of(report))
        note = (
            f"{uk_date(report.year_start)} to {uk_date(report.year_end)}, from this caseload's "
            f"records. Recording deadlines are judged as of {uk_date(report.as_of)}: a letter or "
            "recommendations still within their working days are left out of the percentage, "
            "not counted late."
        )
        if report.summary_only:
            note += (
                f" {report.summary_only} review(s) could not be read in full and are counted "
                "from their summary (dates, status and PN code only)."
            )
        self.note.setText(note)
        self._enable()

    def _enable(self) -> None:
        self.export_button.setEnabled(self.report_shown is not None and not self._loading)
        self.reload_button.setEnabled(not self._loading)
        self.year.setEnabled(not self._loading)

    def on_changed(self, what: str) -> None:
        # Figures are read on demand; a change elsewhere only marks them stale.
        relevant = what in ("caseload", "escalations", "sync") or what.startswith(
            ("child:", "review:", "escalation:")
        )
        if self.loaded and relevant:
            self.note.setText(
                "Records have changed since these figures were calculated: Recalculate "
                "(Alt+C) to include the changes."
            )

    # --- export --------------------------------------------------------------------------

    def export(self) -> None:
        from iro_desktop.services import reports as service

        report = self.report_shown
        if report is None:
            return
        suggested = str(Path.home() / f"IRO annual figures {report.label.replace('/', '-')}.csv")
        chosen = dialogs.save_file(
            self, "Export the annual figures", suggested, "CSV files (*.csv)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        session = self.ctx.session()

        def written(rows: int) -> None:
            self.ctx.status(f"{rows} figures for {report.label} written to {path}.")

        def failed(exc: BaseException) -> None:
            dialogs.error(self, "The figures were not exported", str(exc))

        self.ctx.tasks.run(
            lambda: service.export_csv(session, report, path), written, failed, label="export"
        )

    # --- lock ------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.year.setFocus(Qt.FocusReason.OtherFocusReason)

    def state(self) -> dict[str, Any]:
        return {"year": self.year.currentData()}

    def restore_state(self, state: dict[str, Any]) -> None:
        year = state.get("year")
        if isinstance(year, int):
            self._wanted_year = year

    def clear_for_lock(self) -> None:
        self.inputs = None
        self.report_shown = None
        self.loaded = False
        self.model.clear()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.blockSignals(False)
        self.note.setText("")
        self.progress.setVisible(False)
        self.service_panel.clear_for_lock()
        self._enable()
