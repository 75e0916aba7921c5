"""Children placed for adoption (reg 36) and on short breaks (reg 48) are on their own clocks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_desktop.domain.regimes import (
    EpisodeCodes,
    ReviewClock,
    ReviewRegime,
    next_review_due_on_clock,
    review_clock,
)
from iro_desktop.domain.timescales import next_review_due

PERIOD = date(2025, 9, 1)


def _due(episodes, held=()):  # type: ignore[no-untyped-def]
    clock = review_clock(PERIOD, episodes)
    return clock, next_review_due_on_clock(clock, PERIOD, held)


def test_placed_for_adoption_on_18_august_is_due_a_review_by_15_september():
    episodes = [
        EpisodeCodes(PERIOD, "C2", "U4"),
        EpisodeCodes(date(2026, 8, 18), "E1", "A6"),
    ]
    # Reviews under reg 33 before the placement do not count towards the adoption clock.
    clock, due = _due(episodes, held=[date(2025, 9, 26), date(2025, 12, 19), date(2026, 6, 5)])
    assert clock == ReviewClock(ReviewRegime.PLACED_FOR_ADOPTION, date(2026, 8, 18))
    assert due == date(2026, 9, 15)
    # Under reg 33 the same child would have been due on 5 December.
    assert next_review_due(PERIOD, [date(2025, 9, 26), date(2025, 12, 19), date(2026, 6, 5)]) == (
        date(2026, 12, 5)
    )


def test_after_the_first_adoption_review_the_second_is_3_months_on_then_every_6():
    episodes = [EpisodeCodes(date(2026, 8, 18), "E1", "A5")]
    _, second = _due(episodes, held=[date(2026, 9, 10)])
    assert second == date(2026, 12, 10)
    _, third = _due(episodes, held=[date(2026, 9, 10), date(2026, 12, 1)])
    assert third == date(2027, 6, 1)


def test_a_change_of_legal_status_during_the_adoptive_placement_keeps_the_placement_date():
    episodes = [
        EpisodeCodes(PERIOD, "C2", "U6"),
        EpisodeCodes(date(2026, 3, 2), "C2", "A5"),
        EpisodeCodes(date(2026, 4, 20), "E1", "A5"),
    ]
    clock, due = _due(episodes)
    assert clock.start == date(2026, 3, 2)
    assert due == date(2026, 3, 30)


def test_an_adoptive_placement_that_ends_puts_the_child_back_on_reg_33():
    episodes = [
        EpisodeCodes(PERIOD, "C2", "U6"),
        EpisodeCodes(date(2026, 3, 2), "E1", "A6"),
        EpisodeCodes(date(2026, 5, 11), "E1", "U4"),
    ]
    held = [date(2025, 9, 26), date(2025, 12, 19), date(2026, 3, 20)]
    clock, due = _due(episodes, held)
    assert clock.regime is ReviewRegime.LOOKED_AFTER
    assert due == next_review_due(PERIOD, held)


def test_short_breaks_are_first_reviewed_within_3_months_then_every_6():
    for status in ("V3", "V4"):
        episodes = [EpisodeCodes(date(2026, 1, 5), status, "U6")]
        clock = review_clock(date(2026, 1, 5), episodes)
        assert clock.regime is ReviewRegime.SHORT_BREAKS
        assert next_review_due_on_clock(clock, date(2026, 1, 5)) == date(2026, 4, 5)
        assert next_review_due_on_clock(clock, date(2026, 1, 5), [date(2026, 3, 30)]) == date(
            2026, 9, 30
        )


@settings(deadline=None)  # the first use of a year loads its bank holidays
@given(
    start=st.dates(date(2001, 1, 1), date(2038, 1, 1)),
    place=st.sampled_from(["U1", "U4", "U6", "K2", "R1", "P1", "S1"]),
    status=st.sampled_from(["C1", "C2", "E1", "V2", "J2"]),
)
def test_every_other_child_stays_on_reg_33(start, place, status):  # type: ignore[no-untyped-def]
    clock = review_clock(start, [EpisodeCodes(start, status, place)])
    assert clock.regime is ReviewRegime.LOOKED_AFTER
    assert next_review_due_on_clock(clock, start) == next_review_due(start)


def test_a_review_date_outside_the_years_we_can_calculate_is_refused():
    clock = ReviewClock(ReviewRegime.SHORT_BREAKS, date(2026, 1, 5))
    with pytest.raises(ValueError):
        next_review_due_on_clock(clock, date(2026, 1, 5), [date(1850, 1, 1)])
