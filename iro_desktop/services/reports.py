"""The annual-report figures (domain section 6) from this caseload's own records.

Reviews, consultation forms and allocations come from the stored review records; escalations
from the replayed escalation logs (services.escalations). The figures themselves are
domain.kpis' to compute; this module only gathers its inputs, in one read, and audits it once
(opening a report reads every child's record, so it is attributable like any other view).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from iro_desktop.domain import kpis, report_facts
from iro_desktop.domain.kpis import (
    Allocation,
    AnnualFigures,
    ConsultationForm,
    EscalationSummary,
    ReportRow,
    ReviewSummary,
)
from iro_desktop.domain.population import (
    PopulationChild,
    PopulationFigures,
    population_child,
    population_figures,
)
from iro_desktop.domain.review import ReviewKind
from iro_desktop.services import escalations as escalation_service
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.escalations import EscalationView
from iro_desktop.services.reviews import series_basis
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo
from iro_desktop.store.review_repository import StoredReview

__all__ = [
    "AnnualReport",
    "KpiInputs",
    "annual_report",
    "export_csv",
    "financial_year",
    "gather_inputs",
    "report_years",
    "year_label",
]

NOT_SENT_WORDS = report_facts.NOT_SENT_WORDS


def financial_year(start_year: int) -> tuple[date, date]:
    """1 April `start_year` to 31 March the year after: the year annual reports cover."""
    if not 2000 <= start_year <= 2040:
        raise ValueError(f"Choose a year from 2000 to 2040, not {start_year}.")
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def year_label(start_year: int) -> str:
    """'2026/27', as the annual reports name their year."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _year_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


@dataclass(frozen=True)
class KpiInputs:
    """What domain.kpis.annual_figures needs, gathered from the caseload."""

    reviews: tuple[ReviewSummary, ...]
    consultations: tuple[ConsultationForm, ...]
    escalations: tuple[EscalationSummary, ...]
    allocations: tuple[Allocation, ...]
    # Reviews whose full record could not be read: counted from their summary columns.
    summary_only: int = 0
    # (kind, date) of the IRO's oversight notes: mid-point reviews, visits, overviews.
    footprint: tuple[tuple[str, date], ...] = ()
    # Each child's name-free facts for the population tables.
    children: tuple[PopulationChild, ...] = ()


@dataclass(frozen=True)
class AnnualReport:
    start_year: int
    label: str  # "2026/27"
    year_start: date
    year_end: date
    as_of: date
    figures: AnnualFigures
    rows: tuple[ReportRow, ...]
    summary_only: int
    previous_label: str = ""  # the year whose figures are beside these ("2025/26")
    population: PopulationFigures | None = None

    def csv_rows(self) -> list[list[str]]:
        """Header and rows for a spreadsheet: year, section, figure, number, %, out of."""

        def number(value: int | float | None) -> str:
            if value is None:
                return ""
            return f"{value:g}" if isinstance(value, float) else str(value)

        out = [["Year", "Section", "Figure", "Number", "Percentage", "Out of"]]
        for row in self.rows:
            out.append(
                [
                    self.label,
                    row.section,
                    row.label,
                    number(row.value),
                    "" if row.percentage is None else f"{row.percentage:.1f}",
                    "" if row.out_of is None else str(row.out_of),
                ]
            )
        return out


# --- reviews ---------------------------------------------------------------------------------


def _from_summary_columns(stored: StoredReview, iro: str) -> ReviewSummary:
    """A review whose record could not be read still counts, from what its row says."""
    row = stored.row
    try:
        kind = ReviewKind(row.kind)
    except ValueError:
        kind = ReviewKind.LOOKED_AFTER
    return ReviewSummary(
        review_id=row.id,
        child_id=row.child_id,
        iro=iro,
        kind=kind,
        due_on=row.due_date,
        held_on=row.timeliness_date,
        completed_on=row.completed_date,
        review_number=row.sequence,
        participation_code=row.pn_code or None,
        recommendations_issued_on=row.recommendations_issued_on,
        letter_issued_on=row.letter_issued_on,
        rearrangements=row.rearranged_count,
        meetings=max(row.meetings_count, 1),
        extra=row.is_extra,
    )


# --- escalations -----------------------------------------------------------------------------


def escalation_summary(view: EscalationView) -> EscalationSummary:
    """One escalation as the annual figures count it: the same on the sync server."""
    return report_facts.escalation_summary(view.state)


# --- gathering -------------------------------------------------------------------------------


def gather_inputs(
    session: CaseloadSession, progress: Callable[[int, int], None] | None = None
) -> KpiInputs:
    """Every review, consultation form, escalation and allocation on this caseload."""
    basis = series_basis(session)
    reviews: list[ReviewSummary] = []
    forms: list[ConsultationForm] = []
    allocations: list[Allocation] = []
    population: list[PopulationChild] = []
    summary_only = 0
    with session.unit_of_work() as s:
        children = repo.list_children(s)
        for n, child in enumerate(children, 1):
            population.append(population_child(child))
            # On the IRO's caseload through each period of care: the figures count the year
            # reported, not only today's children. (No history of re-allocation is kept, and
            # `allocated_on` is when the allocation was recorded here, often the import day:
            # the IRO allocated now is credited with the child's periods of care.)
            for period in child.periods if child.allocated_iro else ():
                allocations.append(
                    Allocation(
                        iro=child.allocated_iro,
                        child_id=child.id,
                        care_leaver=child.care_leaver,
                        start=period.start,
                        end=period.end,
                    )
                )
            for stored in reviews_repo.reviews_for_child(s, child.id):
                record = stored.review
                if record is None:
                    summary_only += 1
                    reviews.append(_from_summary_columns(stored, child.allocated_iro))
                    continue
                try:
                    reviews.append(
                        kpis.summarise_review(
                            record,
                            child_dob=child.date_of_birth,
                            iro=record.chaired_by or child.allocated_iro,
                            basis=basis,
                        )
                    )
                except ValueError:
                    summary_only += 1
                    reviews.append(_from_summary_columns(stored, child.allocated_iro))
                    continue
                forms.extend(kpis.consultation_forms(record))
            if progress is not None:
                progress(n, len(children))
        footprint = tuple(reviews_repo.footprint_dates(s))
        session.audit(s, "open", "report", "annual-figures", f"{len(reviews)} reviews read")
    escalations = tuple(escalation_summary(v) for v in escalation_service.list_escalations(session))
    return KpiInputs(
        reviews=tuple(reviews),
        consultations=tuple(forms),
        escalations=escalations,
        allocations=tuple(allocations),
        summary_only=summary_only,
        footprint=footprint,
        children=tuple(population),
    )


def report_years(session: CaseloadSession, inputs: KpiInputs | None = None) -> list[int]:
    """Financial years (by their starting April) with a review held or an escalation raised,
    newest first; always includes the current year."""
    found = {_year_of(session.clock.today())}
    if inputs is not None:
        found |= {_year_of(r.held_on) for r in inputs.reviews if r.held_on is not None}
        found |= {_year_of(e.raised_on) for e in inputs.escalations}
    return sorted((y for y in found if 2000 <= y <= 2040), reverse=True)


def annual_report(
    session: CaseloadSession, start_year: int, inputs: KpiInputs | None = None
) -> AnnualReport:
    """The annual-report figures for the financial year starting in April `start_year`.

    Recording deadlines are judged as of today for the current year (a letter still within
    its 15 or 20 working days is pending, not late) and as of the year's end for past ones.
    """
    year_start, year_end = financial_year(start_year)
    gathered = inputs if inputs is not None else gather_inputs(session)
    profile = session.profile
    today = session.clock.today()

    def figures_for(first: date, last: date) -> tuple[AnnualFigures, date]:
        as_of = max(min(today, last), first)
        figures = kpis.annual_figures(
            gathered.reviews,
            gathered.consultations,
            gathered.escalations,
            gathered.allocations,
            year_start=first,
            year_end=last,
            minutes_days=profile.minutes_working_days,
            recommendations_days=profile.recommendations_working_days,
            as_of=as_of,
            calendar=profile.calendar,
            footprint=gathered.footprint,
        )
        return figures, as_of

    def people(first: date, last: date) -> PopulationFigures:
        return population_figures(gathered.children, year_start=first, year_end=last)

    figures, as_of = figures_for(year_start, year_end)
    population = people(year_start, year_end)
    rows = figures.rows() + population.rows()
    previous_label = ""
    if start_year - 1 >= 2000:
        # The year before, beside this one (as the seeds print their tables).
        first, last = financial_year(start_year - 1)
        before, _ = figures_for(first, last)
        rows = kpis.beside_previous(rows, before.rows() + people(first, last).rows())
        previous_label = year_label(start_year - 1)
    return AnnualReport(
        start_year=start_year,
        label=year_label(start_year),
        year_start=year_start,
        year_end=year_end,
        as_of=as_of,
        figures=figures,
        rows=tuple(rows),
        summary_only=gathered.summary_only,
        previous_label=previous_label,
        population=population,
    )


def to_json(report: AnnualReport) -> dict[str, Any]:
    return {
        "year": report.label,
        "from": report.year_start.isoformat(),
        "to": report.year_end.isoformat(),
        "as_of": report.as_of.isoformat(),
        "rows": [
            {
                "section": r.section,
                "figure": r.label,
                "number": r.value,
                "percentage": r.percentage,
                "out_of": r.out_of,
                "previous_number": r.previous_value,
                "previous_percentage": r.previous_percentage,
            }
            for r in report.rows
        ],
    }


def export_csv(session: CaseloadSession, report: AnnualReport, path: Path) -> int:
    """Write the figures as CSV (aggregate counts only: no child is named). Returns rows."""
    rows = report.csv_rows()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    # utf-8-sig: spreadsheet programs then read the pound sign and accents correctly.
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    with session.unit_of_work() as s:
        session.audit(s, "export", "report", "annual-figures", f"{report.label} to {path.name}")
    return len(rows) - 1
