"""The service's annual report, fetched from the sync server for a manager's Reports page.

The server adds up the name-free review facts every laptop of the service sent
(services.report_facts) with the same figures code each laptop runs; this module fetches the
result (managers only), and draws it as a PDF on this laptop (the server never loads the PDF
stack) or saves the server's CSV. Network calls: not on the database worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iro_desktop.pdf.layout import write_bytes
from iro_desktop.pdf.service_report_pdf import ReportSheet, SheetRow, render_service_report
from iro_desktop.services import sync
from iro_desktop.services.access import CaseloadSession
from iro_desktop.sync.client import BadReply

__all__ = [
    "FetchedReport",
    "current_report_year",
    "fetch_service_report",
    "save_csv",
    "save_pdf",
]


@dataclass(frozen=True)
class FetchedReport:
    year: int  # ending 31 March
    team: str | None
    data: dict[str, Any]
    sheet: ReportSheet

    @property
    def rows(self) -> tuple[SheetRow, ...]:
        return self.sheet.rows


def current_report_year(session: CaseloadSession) -> int:
    """The reporting year today falls in, named by the 31 March it ends on."""
    today = session.clock.today()
    return today.year + 1 if today.month >= 4 else today.year


def fetch_service_report(
    session: CaseloadSession, year: int, team: str | None = None
) -> FetchedReport:
    """The server's report for the year ending 31 March `year`. Raises SyncError (offline,
    not signed in, not a manager: ServerRefused 403) or ValueError (no usable address)."""
    with sync.client(session) as client:
        data = client.service_report(year=year, team=team or None)
    assert isinstance(data, dict)
    try:
        sheet = ReportSheet.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BadReply("the sync server's service report is not in the expected form") from None
    with session.unit_of_work() as s:
        session.audit(s, "open", "report", "service-annual", f"{sheet.label} from the server")
    return FetchedReport(year=year, team=team or None, data=data, sheet=sheet)


def save_pdf(session: CaseloadSession, report: FetchedReport, path: Path) -> int:
    """Draw the fetched report as a PDF (charts and tables). Returns the number of pages."""
    pages = render_service_report(
        report.sheet, path, service_name=session.profile.authority or session.profile.name
    )
    with session.unit_of_work() as s:
        session.audit(s, "export", "report", "service-annual", f"PDF to {path.name}")
    return pages


def save_csv(session: CaseloadSession, report: FetchedReport, path: Path) -> int:
    """Save the server's CSV of the same report (counts only). Returns the data rows."""
    with sync.client(session) as client:
        text = client.service_report(year=report.year, team=report.team, fmt="csv")
    assert isinstance(text, str)
    # utf-8-sig: spreadsheet programs then read accents correctly.
    write_bytes(text.encode("utf-8-sig"), path)
    with session.unit_of_work() as s:
        session.audit(s, "export", "report", "service-annual", f"CSV to {path.name}")
    return max(text.count("\n") - 1, 0)
