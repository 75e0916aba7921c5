"""A review held without a meeting: only for a long-term foster placement of 12+ months."""

from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.kpis import summarise_review
from iro_desktop.domain.review import (
    ChangeRefused,
    Review,
    ReviewKind,
    ReviewStatus,
    completion_date,
    edit_review,
    plan_review,
    timeliness_date,
)
from iro_desktop.domain.review_no_meeting import (
    PlacementFacts,
    complete_without_meeting,
    why_meeting_needed,
)

FOSTER = PlacementFacts(
    date(2022, 3, 1), "U4", "Carers A", "M1 1AA", long_term_confirmed=date(2022, 9, 1)
)


def planned(kind: ReviewKind = ReviewKind.LOOKED_AFTER, code: str | None = "PN6") -> Review:
    r = plan_review(
        id="rev-n", child_id="child-n", due_on=date(2023, 6, 1), planned_on=date(2023, 5, 20),
        kind=kind, sequence=4,
    )  # fmt: skip
    return edit_review(r, on=date(2023, 5, 1), participation_code=code).review


def test_held_and_completed_on_the_day_the_iro_completed_it() -> None:
    review, ev = complete_without_meeting(planned(), on=date(2023, 5, 25), episodes=[FOSTER])
    assert review.status is ReviewStatus.COMPLETED
    assert review.without_meeting
    assert timeliness_date(review) == completion_date(review) == date(2023, 5, 25)
    assert review.participation_code == "PN6"
    assert "without a meeting" in ev.summary
    s = summarise_review(review, child_dob=date(2012, 1, 1))
    assert s.held_on == date(2023, 5, 25) and s.without_meeting
    assert not s.child_attended and not s.social_worker_attended and s.meetings == 0


def test_refused_before_twelve_months_in_the_placement() -> None:
    why = why_meeting_needed([FOSTER], date(2023, 2, 28))
    assert why is not None and "from 1 March 2023" in why
    assert why_meeting_needed([FOSTER], date(2023, 3, 1)) is None
    with pytest.raises(ChangeRefused, match="after 12 months"):
        complete_without_meeting(planned(), on=date(2023, 2, 28), episodes=[FOSTER])


def test_the_placement_year_counts_from_the_current_placement_not_a_legal_status_change() -> None:
    moved = PlacementFacts(date(2022, 10, 1), "U4", "Carers B", "M2 2BB", date(2022, 10, 1))
    order = PlacementFacts(date(2023, 1, 5), "U4", "Carers B", "M2 2BB", None)
    assert why_meeting_needed([FOSTER, moved, order], date(2023, 9, 30)) is not None
    assert why_meeting_needed([FOSTER, moved, order], date(2023, 10, 1)) is None


def test_refused_outside_a_long_term_foster_placement() -> None:
    home = PlacementFacts(date(2020, 1, 1), "K2", "Home", "M3 3CC", None)
    with pytest.raises(ChangeRefused, match="only for a child in a long-term foster placement"):
        complete_without_meeting(planned(), on=date(2023, 5, 25), episodes=[home])
    not_confirmed = PlacementFacts(date(2020, 1, 1), "U4", "Carers", "M1 1AA", None)
    with pytest.raises(ChangeRefused, match="not been confirmed as long-term"):
        complete_without_meeting(planned(), on=date(2023, 5, 25), episodes=[not_confirmed])
    with pytest.raises(ChangeRefused, match="no placement"):
        complete_without_meeting(planned(), on=date(2023, 5, 25), episodes=[])


def test_refused_with_a_code_that_says_the_child_attended_or_for_a_pathway_review() -> None:
    with pytest.raises(ChangeRefused, match="PN1 says the child attended a meeting"):
        complete_without_meeting(planned(code="PN1"), on=date(2023, 5, 25), episodes=[FOSTER])
    with pytest.raises(ChangeRefused, match="pathway plan review"):
        complete_without_meeting(
            planned(ReviewKind.PATHWAY_PLAN), on=date(2023, 5, 25), episodes=[FOSTER]
        )


def test_refused_once_a_meeting_is_recorded() -> None:
    done, _ = complete_without_meeting(planned(), on=date(2023, 5, 25), episodes=[FOSTER])
    with pytest.raises(ChangeRefused, match="already 'Completed'"):
        complete_without_meeting(done, on=date(2023, 5, 26), episodes=[FOSTER])
