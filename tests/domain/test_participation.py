"""Age on the review date and the PN0 rule at the fourth birthday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iro_desktop.domain.participation import (
    age_on,
    birthday_in,
    child_attended,
    pn_code_conflict,
    suggest_pn_code,
)

DOB = date(2019, 6, 14)
FOURTH = date(2023, 6, 14)


def test_age_counts_completed_years() -> None:
    assert age_on(DOB, DOB) == 0
    assert age_on(DOB, date(2023, 6, 13)) == 3
    assert age_on(DOB, FOURTH) == 4
    with pytest.raises(ValueError, match="before the child's date of birth 2019-06-14"):
        age_on(DOB, date(2019, 6, 13))


def test_29_february_birthday_is_1_march_in_common_years() -> None:
    leapling = date(2016, 2, 29)
    assert birthday_in(leapling, 2017) == date(2017, 3, 1)
    assert birthday_in(leapling, 2020) == date(2020, 2, 29)
    assert age_on(leapling, date(2017, 2, 28)) == 0
    assert age_on(leapling, date(2017, 3, 1)) == 1
    assert age_on(leapling, date(2019, 2, 28)) == 2
    assert age_on(leapling, date(2019, 3, 1)) == 3


def test_pn0_up_to_the_day_before_the_fourth_birthday() -> None:
    assert suggest_pn_code(DOB, FOURTH - timedelta(days=1)) == "PN0"
    assert suggest_pn_code(DOB, FOURTH) is None
    assert suggest_pn_code(DOB, DOB) == "PN0"


def test_pn0_for_a_child_born_on_29_february() -> None:
    leapling = date(2016, 2, 29)
    assert suggest_pn_code(leapling, date(2020, 2, 28)) == "PN0"
    assert suggest_pn_code(leapling, date(2020, 2, 29)) is None  # fourth birthday, a leap year
    leapling_2020 = date(2020, 2, 29)
    assert suggest_pn_code(leapling_2020, date(2024, 2, 28)) == "PN0"
    assert suggest_pn_code(leapling_2020, date(2024, 2, 29)) is None


def test_pn_code_conflict_in_both_directions() -> None:
    day_before = FOURTH - timedelta(days=1)
    message = pn_code_conflict(DOB, day_before, "PN1")
    assert message is not None
    assert "was 3 on the review date (13 June 2023)" in message
    assert "PN0" in message and "not PN1" in message
    assert pn_code_conflict(DOB, day_before, "PN0") is None
    older = pn_code_conflict(DOB, FOURTH, "pn0")
    assert older is not None and "only for children under 4" in older and "was 4" in older
    assert pn_code_conflict(DOB, FOURTH, "PN6") is None
    with pytest.raises(ValueError, match="'PN9' is not a valid participation code"):
        pn_code_conflict(DOB, FOURTH, "PN9")


@given(
    dob=st.dates(min_value=date(2000, 1, 1), max_value=date(2036, 12, 31)),
    offset=st.integers(min_value=0, max_value=366 * 8),
)
def test_suggestion_never_conflicts_and_pn0_is_exactly_under_four(dob: date, offset: int) -> None:
    on = dob + timedelta(days=offset)
    suggestion = suggest_pn_code(dob, on)
    under_four = on < birthday_in(dob, dob.year + 4)
    assert (suggestion == "PN0") == under_four
    if suggestion:
        assert pn_code_conflict(dob, on, suggestion) is None
    assert (pn_code_conflict(dob, on, "PN0") is None) == under_four


def test_attended_codes_are_pn1_to_pn4() -> None:
    assert [
        c for c in ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7") if child_attended(c)
    ] == [
        "PN1",
        "PN2",
        "PN3",
        "PN4",
    ]
    assert not child_attended(None)
