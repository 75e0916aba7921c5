"""The population tables: children looked after at 31 March and moves during the year."""

from __future__ import annotations

from datetime import date

from iro_desktop.domain.kpis import Ratio
from iro_desktop.domain.population import (
    EpisodeFact,
    PopulationChild,
    moves_in,
    population_figures,
)

START, END = date(2023, 4, 1), date(2024, 3, 31)


def ep(start: date, status: str, place: str, where: str = "A", in_area: bool = True) -> EpisodeFact:
    return EpisodeFact(start, None, status, place, provider=where, in_area=in_area)


AMY = PopulationChild(
    child_id="amy",
    date_of_birth=date(2010, 5, 1),
    sex="F",
    ethnicity="WBRI",
    periods=(
        (
            date(2022, 1, 10),
            None,
            (
                ep(date(2022, 1, 10), "C1", "U4", "A"),
                ep(date(2023, 5, 2), "C1", "U4", "B"),  # move 1
                ep(date(2023, 6, 1), "C2", "U4", "B"),  # legal status only: not a move
                ep(date(2023, 9, 4), "C2", "K2", "C", in_area=False),  # move 2
                ep(date(2024, 1, 8), "C2", "U6", "D", in_area=False),  # move 3
            ),
        ),
    ),
)
BEN = PopulationChild(
    child_id="ben",
    date_of_birth=date(2023, 8, 1),
    sex="M",
    ethnicity="BAFR",
    uasc=False,
    periods=((date(2023, 8, 20), None, (ep(date(2023, 8, 20), "V2", "U1"),)),),
)
# Left care in the year: looked after during it, not at 31 March.
CAL = PopulationChild(
    child_id="cal",
    date_of_birth=date(2007, 2, 1),
    sex="M",
    ethnicity="AOTH",
    uasc=True,
    periods=((date(2021, 3, 1), date(2023, 10, 1), (ep(date(2021, 3, 1), "V2", "K2"),)),),
)


def test_moves_in_the_year_skip_changes_of_legal_status() -> None:
    assert moves_in(AMY, START, END) == 3
    assert moves_in(AMY, date(2024, 4, 1), date(2025, 3, 31)) == 0


def test_population_at_31_march() -> None:
    f = population_figures([AMY, BEN, CAL], year_start=START, year_end=END)
    assert f.looked_after_at_year_end == 2
    assert f.looked_after_during_year == 3
    assert {k.split()[0] for k, _ in f.legal_status} == {"C2", "V2"}
    assert {k.split()[0] for k, _ in f.placement_type} == {"U6", "U1"}
    assert f.placed_out_of_area == Ratio(1, 2)  # Amy, placed out of area since September
    assert f.uasc == Ratio(0, 2)  # Cal (UASC) left care before 31 March
    assert dict(f.age_bands) == {
        "Under 1": 1,
        "1 to 4": 0,
        "5 to 9": 0,
        "10 to 15": 1,
        "16 and over": 0,
    }
    assert dict(f.sex) == {"F": 1, "M": 1}
    assert f.three_or_more_moves == Ratio(1, 3)
    labels = {r.label for r in f.rows()}
    assert "3 or more placement moves in the year (of those looked after)" in labels
