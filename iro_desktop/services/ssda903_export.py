"""Write the DfE's SSDA903 return for a collection year from the caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iro_desktop.interchange import ssda903_write as write
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo


def default_year(today: date) -> int:
    """The collection year ending 31 March that `today` falls in (1 April to 31 March)."""
    return today.year + 1 if today.month >= 4 else today.year


@dataclass(frozen=True)
class ExportResult:
    year: int
    files: list[Path]
    rows: dict[str, int]

    @property
    def summary(self) -> str:
        counts = ", ".join(f"{table} {n}" for table, n in self.rows.items())
        return (
            f"The 903 return for 1 April {self.year - 1} to 31 March {self.year} was written "
            f"to {self.files[0].parent if self.files else '-'} ({counts})."
        )


def export_return(session: CaseloadSession, year: int, out_dir: Path) -> ExportResult:
    """The return for the collection year ending 31 March `year`, one CSV per table."""
    if not 2000 <= year <= 2100:
        raise ValueError(
            f"{year} is not a collection year (e.g. 2027 for April 2026 to March 2027)."
        )
    with session.unit_of_work() as s:
        children = repo.list_children(s)
    tables = write.build_return(children, year)
    files = write.write_return(tables, out_dir)
    with session.unit_of_work() as s:
        session.audit(s, "export", "caseload", "ssda903", f"year ending 31 March {year}")
    return ExportResult(year, files, write.return_summary(tables))
