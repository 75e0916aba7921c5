from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare, Person, age_on


def _child(**kw) -> Child:  # type: ignore[no-untyped-def]
    base = dict(
        id="c1",
        la_child_id="LA-1",
        legal_first_name="Amira",
        legal_last_name="Thistlewood",
        date_of_birth=date(2014, 6, 1),
        sex="F",
    )
    base.update(kw)
    return Child(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "dob,on,age",
    [
        (date(2014, 6, 1), date(2026, 5, 31), 11),
        (date(2014, 6, 1), date(2026, 6, 1), 12),
        (date(2020, 2, 29), date(2024, 2, 28), 3),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
        (date(2020, 2, 29), date(2025, 2, 28), 4),
        (date(2020, 2, 29), date(2025, 3, 1), 5),
    ],
)
def test_age_on_the_day(dob, on, age):
    assert age_on(dob, on) == age


def test_codes_are_validated():
    with pytest.raises(ValueError, match="not a valid legal status"):
        Episode(date(2025, 1, 1), "ZZ", "U4").validated()
    with pytest.raises(ValueError, match="not a valid placement type"):
        Episode(date(2025, 1, 1), "C2", "Q9").validated()
    with pytest.raises(ValueError, match="not a valid role"):
        Person("wizard", "Merlin").validated()
    Episode(date(2025, 1, 1), "c2", "u4")  # lower case is normalised by the check


def test_a_period_before_birth_or_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before the child's date of birth 2014-06-01"):
        _child(periods=(PeriodOfCare(start=date(2013, 1, 1)),)).validated()
    with pytest.raises(ValueError, match="ends on 2020-01-01, before it starts on 2021-01-01"):
        _child(periods=(PeriodOfCare(start=date(2021, 1, 1), end=date(2020, 1, 1)),)).validated()


def test_preferred_name_is_what_the_child_is_known_as():
    assert _child(preferred_name="Mimi").known_as == "Mimi"
    assert _child().known_as == "Amira"
    assert _child(preferred_name="Mimi").display_name == "Mimi (Amira Thistlewood)"
