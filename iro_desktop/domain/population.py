"""The population tables the annual reports print about the children looked after.

From the caseload's own records, name-free: legal status and placement type at the year end
(31 March), placed outside the authority's area, unaccompanied asylum-seeking children, age
band, sex and ethnicity at the year end, and children with 3 or more placement moves during
the year. `population_child` turns a caseload `Child` into the facts these need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, age_on
from iro_desktop.domain.kpis import Ratio, ReportRow

MOVES_OF_CONCERN = 3  # "3 or more placement moves in the year" (the 903 stability measure)
# The DfE's age bands for children looked after at 31 March.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 and over", 16, 200),
)


@dataclass(frozen=True, slots=True)
class EpisodeFact:
    start: date
    end: date | None
    legal_status: str
    placement_type: str
    provider: str = ""
    postcode: str = ""
    in_area: bool = True


@dataclass(frozen=True, slots=True)
class PopulationChild:
    """One child, without a name: what the population tables count."""

    child_id: str
    date_of_birth: date
    sex: str = ""
    ethnicity: str = ""
    uasc: bool = False
    # Every episode of every period of care, oldest first, with the period's bounds.
    periods: tuple[tuple[date, date | None, tuple[EpisodeFact, ...]], ...] = ()


def population_child(child: Child) -> PopulationChild:
    return PopulationChild(
        child_id=child.id,
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        ethnicity=child.ethnicity,
        uasc=child.uasc,
        periods=tuple(
            (
                p.start,
                p.end,
                tuple(
                    EpisodeFact(
                        e.start,
                        e.end,
                        e.legal_status,
                        e.placement_type,
                        e.provider,
                        e.postcode,
                        e.in_area,
                    )
                    for e in p.episodes
                ),
            )
            for p in child.periods
        ),
    )


def _episode_on(child: PopulationChild, day: date) -> EpisodeFact | None:
    """The episode the child was in on `day` (looked after that day), else None."""
    for start, end, episodes in child.periods:
        if start <= day and (end is None or end >= day):
            current = None
            for e in episodes:
                if e.start <= day:
                    current = e
            return current
    return None


def moves_in(child: PopulationChild, year_start: date, year_end: date) -> int:
    """Placement moves that began in the year: an episode in a different placement from the
    one before it in the same period (a change of legal status alone is not a move)."""
    moves = 0
    for _start, _end, episodes in child.periods:
        for before, after in zip(episodes, episodes[1:], strict=False):
            where = (after.placement_type, after.provider, after.postcode)
            if where != (before.placement_type, before.provider, before.postcode) and (
                year_start <= after.start <= year_end
            ):
                moves += 1
    return moves


def _looked_after_during(child: PopulationChild, year_start: date, year_end: date) -> bool:
    return any(
        start <= year_end and (end is None or end >= year_start) for start, end, _ in child.periods
    )


def _counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, slots=True, kw_only=True)
class PopulationFigures:
    year_end: date
    looked_after_at_year_end: int
    looked_after_during_year: int
    legal_status: tuple[tuple[str, int], ...] = ()
    placement_type: tuple[tuple[str, int], ...] = ()
    placed_out_of_area: Ratio = field(default_factory=lambda: Ratio(0, 0))
    uasc: Ratio = field(default_factory=lambda: Ratio(0, 0))
    age_bands: tuple[tuple[str, int], ...] = ()
    sex: tuple[tuple[str, int], ...] = ()
    ethnicity: tuple[tuple[str, int], ...] = ()
    three_or_more_moves: Ratio = field(default_factory=lambda: Ratio(0, 0))

    def rows(self) -> list[ReportRow]:
        out: list[ReportRow] = []
        s = "Children looked after"
        out.append(ReportRow(s, "Looked after at 31 March", self.looked_after_at_year_end))
        out.append(ReportRow(s, "Looked after during the year", self.looked_after_during_year))

        def ratio(label: str, r: Ratio) -> None:
            out.append(ReportRow(s, label, r.numerator, r.percent, r.denominator))

        ratio("Placed outside the authority's area (at 31 March)", self.placed_out_of_area)
        ratio("Unaccompanied asylum-seeking children (at 31 March)", self.uasc)
        ratio(
            f"{MOVES_OF_CONCERN} or more placement moves in the year (of those looked after)",
            self.three_or_more_moves,
        )
        for section, pairs in (
            ("Legal status at 31 March", self.legal_status),
            ("Placement type at 31 March", self.placement_type),
            ("Age at 31 March", self.age_bands),
            ("Sex (at 31 March)", self.sex),
            ("Ethnicity (at 31 March)", self.ethnicity),
        ):
            for name, n in pairs:
                out.append(ReportRow(section, name, n))
        return out


def population_figures(
    children: Sequence[PopulationChild], *, year_start: date, year_end: date
) -> PopulationFigures:
    """The population tables for the year ending `year_end` (the 903's 31 March)."""
    at_end = [(c, e) for c in children if (e := _episode_on(c, year_end)) is not None]
    during = [c for c in children if _looked_after_during(c, year_start, year_end)]

    def band(c: PopulationChild) -> str:
        age = age_on(c.date_of_birth, year_end) if c.date_of_birth <= year_end else 0
        return next(name for name, low, high in AGE_BANDS if low <= age <= high)

    def legal(code: str) -> str:
        return f"{code} {codes.LEGAL_STATUSES.get(code, '')}".strip()

    def placement(code: str) -> str:
        words = codes.PLACEMENT_TYPES.get(code) or codes.LEGACY_PLACEMENT_TYPES.get(code, "")
        return f"{code} {words}".strip()

    return PopulationFigures(
        year_end=year_end,
        looked_after_at_year_end=len(at_end),
        looked_after_during_year=len(during),
        legal_status=_counts(legal(e.legal_status) for _, e in at_end),
        placement_type=_counts(placement(e.placement_type) for _, e in at_end),
        placed_out_of_area=Ratio(sum(not e.in_area for _, e in at_end), len(at_end)),
        uasc=Ratio(sum(c.uasc for c, _ in at_end), len(at_end)),
        age_bands=tuple(
            (name, sum(band(c) == name for c, _ in at_end)) for name, _lo, _hi in AGE_BANDS
        ),
        sex=_counts(c.sex or "Not recorded" for c, _ in at_end),
        ethnicity=_counts(c.ethnicity or "Not recorded" for c, _ in at_end),
        three_or_more_moves=Ratio(
            sum(moves_in(c, year_start, year_end) >= MOVES_OF_CONCERN for c in during),
            len(during),
        ),
    )
