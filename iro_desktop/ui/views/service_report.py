"""The service-wide annual report on the Reports page: fetched from the sync server (managers
only), shown as a table with the previous year beside it, saved as PDF (charts and tables) or
CSV. Thin: fetching, drawing and saving are services.service_report's.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.store.engine import StoreError
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import PageContext
from iro_desktop.ui.views.report_table import COLUMNS, Line, ReportModel
from iro_desktop.ui.widgets import read_only_table

NOT_MANAGER = (
    "The service's report is for managers: the sync server gives it only to a manager's or "
    "an administrator's account."
)


def lines_of_rows(rows: Any) -> list[Line]:
    """Table lines from the fetched report's rows (pdf.service_report_pdf.SheetRow)."""

    def number(value: int | float | None) -> str:
        if value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)

    def percent(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}%"

    lines: list[Line] = []
    section = ""
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(Line(section, heading=True))
        lines.append(
            Line(
                row.label,
                number=number(row.number),
                percent=percent(row.percentage),
                out_of=number(row.out_of),
                before=number(row.previous_number),
                before_percent=percent(row.previous_percentage),
            )
        )
    return lines


class ServiceReportPanel(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fetched: Any = None  # services.service_report.FetchedReport

        heading = QLabel("Service-wide report (every IRO's laptop, from the sync server)")
        heading.setObjectName("sectionHeading")
        self.year = QSpinBox()
        self.year.setRange(2001, 2041)
        self.year.setAccessibleName("Reporting year ending 31 March")
        year_label = QLabel("Year ending 31 &March:")
        year_label.setBuddy(self.year)
        self.team = QLineEdit()
        self.team.setPlaceholderText("All teams")
        self.team.setAccessibleName("Team (leave empty for the whole service)")
        team_label = QLabel("&Team:")
        team_label.setBuddy(self.team)
        self.fetch_button = QPushButton("F&etch from the server")
        self.fetch_button.clicked.connect(self.fetch)
        self.pdf_button = QPushButton("Save as &PDF...")
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.csv_button = QPushButton("Save as CS&V...")
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        bar = QHBoxLayout()
        for widget in (year_label, self.year, team_label, self.team, self.fetch_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.csv_button)
        bar.addStretch(1)

        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.model = ReportModel(COLUMNS, self)
        self.table = read_only_table("Service-wide report figures")
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._enable()

    def _enable(self) -> None:
        has = self.fetched is not None
        self.pdf_button.setEnabled(has)
        self.csv_button.setEnabled(has)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        if self.fetched is None and self.year.value() == self.year.minimum():
            from iro_desktop.services import service_report

            with contextlib.suppress(StoreError):  # locked: the spin box keeps its value
                self.year.setValue(service_report.current_report_year(self.ctx.session()))
        super().showEvent(event)

    def fetch(self) -> None:
        from iro_desktop.services import service_report
        from iro_desktop.sync.client import ServerRefused

        session = self.ctx.session()
        year, team = self.year.value(), self.team.text().strip() or None
        self.fetch_button.setEnabled(False)
        self.note.setText("Asking the sync server...")

        def done(report: Any) -> None:
            self.fetch_button.setEnabled(True)
            self.fetched = report
            self.model.set_rows(lines_of_rows(report.rows))
            sheet = report.sheet
            self.note.setText(
                f"{sheet.label} ({sheet.scope}), as at {sheet.as_of}: from {sheet.facts:,} "
                "name-free review records the IROs' laptops sent. The previous year is beside."
            )
            self._enable()

        def failed(exc: BaseException) -> None:
            self.fetch_button.setEnabled(True)
            if isinstance(exc, ServerRefused) and exc.status == 403:
                self.note.setText(NOT_MANAGER)
                return
            self.note.setText(f"The service's report could not be fetched: {exc}")

        self.ctx.tasks.run_network(
            lambda: service_report.fetch_service_report(session, year, team),
            done,
            failed,
            label="service report",
        )

    def save(self, kind: str) -> None:
        from iro_desktop.services import service_report

        report = self.fetched
        if report is None:
            return
        name = f"IRO service annual report {report.sheet.label.replace('/', '-')}.{kind}"
        chosen = dialogs.save_file(
            self,
            f"Save the service's report as {kind.upper()}",
            str(Path.home() / name),
            f"{kind.upper()} files (*.{kind})",
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{kind}":
            path = path.with_suffix(f".{kind}")
        session = self.ctx.session()

        def written(_: object) -> None:
            self.ctx.status(f"The service's report for {report.sheet.label} saved to {path}.")

        def failed(exc: BaseException) -> None:
            dialogs.error(self, "The service's report was not saved", str(exc))

        if kind == "pdf":
            self.ctx.tasks.run(
                lambda: service_report.save_pdf(session, report, path),
                written,
                failed,
                label="service report PDF",
            )
        else:
            self.ctx.tasks.run_network(
                lambda: service_report.save_csv(session, report, path),
                written,
                failed,
                label="service report CSV",
            )

    def clear_for_lock(self) -> None:
        self.fetched = None
        self.model.set_rows([])
        self.note.setText("")
        self._enable()
