"""Name-free facts for the service-wide annual report, and what the report is made of.

Each laptop sends the sync server one *fact* per review (and one per child on the caseload):
the fields of kpis.ReviewSummary with the child named only by a pseudonymous key, plus the
child's age band, sex, ethnicity, legal status and placement type at the review. The server
rebuilds ReviewSummary objects from them and calls the same kpis.annual_figures the laptop
calls, so the service's figures are the laptops' figures added up, by construction.

The pseudonymous key is HMAC-SHA256 of the council's own child id (the 903 CHILD id, the same
on every IRO's laptop) under a *service key*: a secret shared by the service's laptops (set in
each laptop's settings as `report_key`) and never given to the server. The server can count
distinct children but cannot turn a key back into a child, nor test a guessed child id,
without that secret. No names, dates of birth, free text or local ids travel.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.escalation import EscalationState, Status
from iro_desktop.domain.escalation_events import THEMES, Category
from iro_desktop.domain.kpis import (
    Allocation,
    AnnualFigures,
    ConsultationForm,
    EscalationKind,
    EscalationSummary,
    ReportRow,
    ReviewSummary,
    annual_figures,
)
from iro_desktop.domain.participation import age_on
from iro_desktop.domain.review_record import ReviewKind

NOT_SENT_WORDS = "Not sent to a stage yet"
MIN_SERVICE_KEY_CHARS = 32
# Figures the facts do not carry (the IRO's notes between reviews stay on the laptop): left
# out of the service's report rather than shown as noughts.
NOT_CARRIED_SECTIONS = ("Oversight between reviews",)

# Age bands with the report's thresholds at their edges: PN0 is "under 4", chairing is counted
# from 11, and the DfE's own bands (under 1, 1-4, 5-9, 10-15, 16+) are unions of these.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1", 0, 0),
    ("1-3", 1, 3),
    ("4", 4, 4),
    ("5-9", 5, 9),
    ("10", 10, 10),
    ("11-15", 11, 15),
    ("16-17", 16, 17),
    ("18 and over", 18, None),
)
AGE_BAND_NAMES: tuple[str, ...] = tuple(name for name, _, _ in AGE_BANDS)
DFE_AGE_BANDS: dict[str, tuple[str, ...]] = {
    "Under 1": ("under 1",),
    "1 to 4": ("1-3", "4"),
    "5 to 9": ("5-9",),
    "10 to 15": ("10", "11-15"),
    "16 and over": ("16-17", "18 and over"),
}


def age_band(years: int) -> str:
    for name, low, high in AGE_BANDS:
        if years >= low and (high is None or years <= high):
            return name
    raise ValueError(f"An age cannot be negative: {years}.")


def age_band_on(dob: date, on: date | None) -> str:
    """The band of the child's age on `on` ("" when there is no date or it is before birth)."""
    if on is None or on < dob:
        return ""
    return age_band(age_on(dob, on))


def band_lower_age(band: str) -> int | None:
    """The youngest age in a band: enough for every threshold the figures use (4, 11)."""
    for name, low, _ in AGE_BANDS:
        if name == band:
            return low
    return None


def check_service_key(secret: str) -> bytes:
    key = secret.strip()
    if len(key) < MIN_SERVICE_KEY_CHARS:
        raise ValueError(
            f"The service's report key must be at least {MIN_SERVICE_KEY_CHARS} characters "
            "(ask the service manager for it: every laptop of the service uses the same one)."
        )
    return key.encode("utf-8")


def pseudonym(secret: bytes, what: str, identifier: str) -> str:
    """HMAC-SHA256 (hex) of `what:identifier` under the service key: the same child (or
    review) gives the same key on every laptop of the service, and nothing else does."""
    message = f"{what}:{identifier.strip()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


# --- escalations ------------------------------------------------------------------------------

_KINDS = {
    Category.DISPUTE: EscalationKind.DISPUTE,
    Category.PARTNER: EscalationKind.PARTNER,
    Category.GOOD_PRACTICE: EscalationKind.GOOD_PRACTICE,
}


def escalation_summary(state: EscalationState) -> EscalationSummary:
    """One escalation as the annual figures count it (on a laptop or on the server).

    A withdrawal concludes a dispute as much as a resolution does (the 20-working-day rule is
    about concluding it), so it counts as concluded on its date, with "Withdrawn" as outcome.
    """
    concluded = state.closed_on if state.status in (Status.RESOLVED, Status.WITHDRAWN) else None
    outcome = {Status.RESOLVED: "Resolved", Status.WITHDRAWN: "Withdrawn"}.get(state.status, "")
    reached = state.stage_reached
    return EscalationSummary(
        id=state.escalation_id,
        kind=_KINDS[state.category],
        raised_on=state.raised_on,
        resolved_on=concluded,
        stage_reached=reached.name if reached else NOT_SENT_WORDS,
        themes=tuple(THEMES.get(i, i) for i in state.issues),
        service=state.raised.service,
        outcome=outcome,
        child_ids=state.child_ids,  # escalations per child (a sibling group: each child)
    )


# --- the population tables and the monthly columns --------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildAtReview:
    """Who the child was at a review, without saying who: for the population tables."""

    child_key: str
    held_on: date
    kind: ReviewKind
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    legal_status: str = ""
    placement_type: str = ""


def _table(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counted = Counter(v or "Not recorded" for v in values)
    return tuple(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, slots=True)
class Population:
    """Distinct children with a looked-after review held in the year, as at their last one."""

    children: int
    by_age: tuple[tuple[str, int], ...]
    by_sex: tuple[tuple[str, int], ...]
    by_ethnicity: tuple[tuple[str, int], ...]
    by_legal_status: tuple[tuple[str, int], ...]
    by_placement: tuple[tuple[str, int], ...]


def population(seen: Sequence[ChildAtReview], *, year_start: date, year_end: date) -> Population:
    latest: dict[str, ChildAtReview] = {}
    for fact in seen:
        if fact.kind is not ReviewKind.LOOKED_AFTER or not year_start <= fact.held_on <= year_end:
            continue
        before = latest.get(fact.child_key)
        if before is None or fact.held_on >= before.held_on:
            latest[fact.child_key] = fact
    children = list(latest.values())
    dfe = {band: name for name, bands in DFE_AGE_BANDS.items() for band in bands}
    ages = Counter(dfe.get(c.age_band, "Not recorded") for c in children)
    return Population(
        children=len(children),
        by_age=tuple((name, ages[name]) for name in (*DFE_AGE_BANDS, "Not recorded") if ages[name]),
        by_sex=_table(c.sex for c in children),
        by_ethnicity=_table(c.ethnicity for c in children),
        by_legal_status=_table(c.legal_status for c in children),
        by_placement=_table(c.placement_type for c in children),
    )


MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def month_index(d: date) -> int:
    """0 for April ... 11 for March: the column of a date in a reporting year."""
    return (d.month - 4) % 12


def timeliness_by_month(
    reviews: Sequence[ReviewSummary], *, year_start: date, year_end: date
) -> tuple[tuple[str, int, int], ...]:
    """(month, looked-after reviews held, of them in timescale), April to March."""
    held = [0] * 12
    on_time = [0] * 12
    for r in reviews:
        if r.kind is not ReviewKind.LOOKED_AFTER or r.held_on is None:
            continue
        if not year_start <= r.held_on <= year_end:
            continue
        i = month_index(r.held_on)
        held[i] += 1
        on_time[i] += r.held_on <= r.due_on
    return tuple((MONTHS[i], held[i], on_time[i]) for i in range(12))


# --- the service's report -----------------------------------------------------------------------


# A report is of a year and the one before it, both within these.
FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2001, 2041


def check_report_year(year: int) -> int:
    if isinstance(year, bool) or not FIRST_REPORT_YEAR <= year <= LAST_REPORT_YEAR:
        raise ValueError(
            f"Choose a year (ending 31 March) from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR}, "
            f"not {year}."
        )
    return year


def report_year(year: int) -> tuple[date, date]:
    """The reporting year that ends on 31 March `year` (as the 903 return names it)."""
    if not FIRST_REPORT_YEAR - 1 <= year <= LAST_REPORT_YEAR:
        raise ValueError(
            f"Choose a year (ending 31 March) from {FIRST_REPORT_YEAR - 1} to "
            f"{LAST_REPORT_YEAR}, not {year}."
        )
    return date(year - 1, 4, 1), date(year, 3, 31)


@dataclass(frozen=True, slots=True, kw_only=True)
class YearFigures:
    year: int  # the year ending 31 March `year`
    label: str  # "2025/26"
    figures: AnnualFigures
    population: Population
    by_month: tuple[tuple[str, int, int], ...]

    def headline(self) -> dict[str, Any]:
        f = self.figures
        return {
            "year": self.year,
            "label": self.label,
            "reviews_held": f.reviews_held,
            "reviews_in_timescale": f.in_timescale.numerator,
            "reviews_in_timescale_percent": f.in_timescale.percent,
            "pathway_reviews_held": f.pathway_held,
            "pathway_reviews_in_timescale": f.pathway_in_timescale.numerator,
            "pn_codes": {code: r.numerator for code, r in f.participation},
            "escalations_raised": f.escalations_raised,
            "escalations_resolved_in_time": f.escalations_resolved_in_time.numerator,
            "partner_escalations": f.partner_escalations,
            "good_practice_notifications": f.good_practice_notifications,
            "children_reviewed": self.population.children,
            "escalations_by_stage": dict(f.escalations_by_stage),
            "escalations_by_theme": dict(f.escalations_by_theme),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceReport:
    """The service's annual report: this year and the one before, from the report facts."""

    team: str | None
    as_of: date
    this: YearFigures
    previous: YearFigures
    facts: int  # review facts read

    def rows(self) -> list[tuple[ReportRow, ReportRow | None]]:
        """Each row of this year's figures beside the same row of the previous year."""
        before = {(r.section, r.label): r for r in self.previous.figures.rows()}
        out = [
            (r, before.get((r.section, r.label)))
            for r in self.this.figures.rows()
            if r.section not in NOT_CARRIED_SECTIONS
        ]
        for section, this_pairs, prev_pairs in self.population_tables():
            prev = dict(prev_pairs)
            for name, n in this_pairs:
                out.append((ReportRow(section, name, n), ReportRow(section, name, prev.get(name))))
        return out

    def population_tables(
        self,
    ) -> list[tuple[str, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]]:
        a, b = self.this.population, self.previous.population
        return [
            ("Children reviewed: age", a.by_age, b.by_age),
            ("Children reviewed: sex", a.by_sex, b.by_sex),
            ("Children reviewed: ethnicity", a.by_ethnicity, b.by_ethnicity),
            ("Children reviewed: legal status", a.by_legal_status, b.by_legal_status),
            ("Children reviewed: placement type", a.by_placement, b.by_placement),
        ]

    def to_json(self) -> dict[str, Any]:
        def number(row: ReportRow | None) -> int | float | None:
            return None if row is None else row.value

        return {
            **self.this.headline(),
            "team": self.team,
            "as_of": self.as_of.isoformat(),
            "from": self.this.figures.year_start.isoformat(),
            "to": self.this.figures.year_end.isoformat(),
            "review_facts": self.facts,
            "previous": self.previous.headline(),
            "timeliness_by_month": [
                {"month": m, "held": held, "in_timescale": on_time}
                for m, held, on_time in self.this.by_month
            ],
            "rows": [
                {
                    "section": row.section,
                    "figure": row.label,
                    "number": row.value,
                    "percentage": row.percentage,
                    "out_of": row.out_of,
                    "previous_number": number(prev),
                    "previous_percentage": None if prev is None else prev.percentage,
                }
                for row, prev in self.rows()
            ],
        }

    def csv_rows(self) -> list[list[str]]:
        def cell(value: int | float | None) -> str:
            if value is None:
                return ""
            return f"{value:g}" if isinstance(value, float) else str(value)

        out = [
            [
                "Year",
                "Team",
                "Section",
                "Figure",
                "Number",
                "Percentage",
                "Out of",
                f"{self.previous.label} number",
                f"{self.previous.label} percentage",
            ]
        ]
        for row, prev in self.rows():
            out.append(
                [
                    self.this.label,
                    self.team or "All teams",
                    row.section,
                    row.label,
                    cell(row.value),
                    cell(row.percentage),
                    cell(row.out_of),
                    cell(prev.value if prev else None),
                    cell(prev.percentage if prev else None),
                ]
            )
        return out


def year_figures(
    year: int,
    reviews: Sequence[ReviewSummary],
    consultations: Sequence[ConsultationForm],
    escalations: Sequence[EscalationSummary],
    allocations: Sequence[Allocation],
    seen: Sequence[ChildAtReview],
    *,
    as_of: date,
    minutes_days: int,
    recommendations_days: int,
    calendar: WorkingCalendar,
) -> YearFigures:
    """One year's figures by kpis.annual_figures: the very function each laptop uses."""
    start, end = report_year(year)
    figures = annual_figures(
        reviews,
        consultations,
        escalations,
        allocations,
        year_start=start,
        year_end=end,
        minutes_days=minutes_days,
        recommendations_days=recommendations_days,
        as_of=max(min(as_of, end), start),
        calendar=calendar,
    )
    return YearFigures(
        year=year,
        label=f"{year - 1}/{year % 100:02d}",
        figures=figures,
        population=population(seen, year_start=start, year_end=end),
        by_month=timeliness_by_month(reviews, year_start=start, year_end=end),
    )
