"""Between reviews: mid-point reviews, case overviews and the IRO footprint."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.review import (
    CaseOverview,
    ChangeRefused,
    EventKind,
    FootprintEntry,
    FootprintKind,
    MidPointReview,
    Progress,
    Recommendation,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewStatus,
    apply_midpoint,
    days_since_footprint,
    footprint,
    midpoint_date,
    plan_review,
    with_progress,
)


def issued_review() -> Review:
    r = plan_review(
        id="rev-3", child_id="c-3", due_on=date(2024, 3, 20), planned_on=date(2024, 3, 12)
    )
    recs = (
        Recommendation(id="R1", action="Book dental check", owner="Carer", due_on=date(2024, 5, 1)),
        Recommendation(id="R2", action="Referral to CAMHS", owner="SW", due_on=date(2024, 4, 1)),
        Recommendation(
            id="R3", action="Start life story work", owner="SW", due_on=date(2024, 6, 1)
        ),
    )
    return replace(r, status=ReviewStatus.ISSUED, recommendations=recs)


def midpoint(*progress: RecommendationProgress) -> MidPointReview:
    return MidPointReview(
        id="mp-1",
        child_id="c-3",
        review_id="rev-3",
        held_on=date(2024, 6, 10),
        author="Iro Ash",
        notes="Good progress at school.\nCAMHS waiting list.",
        progress=progress,
    )


def test_midpoint_date_is_halfway() -> None:
    assert midpoint_date(date(2024, 3, 12), date(2024, 9, 12)) == date(2024, 6, 12)  # 184 days
    assert midpoint_date(date(2024, 3, 12), date(2024, 9, 13)) == date(2024, 6, 12)  # rounded down
    with pytest.raises(ValueError, match="before the review"):
        midpoint_date(date(2024, 3, 12), date(2024, 3, 1))


def test_midpoint_marks_done_and_dropped_recommendations() -> None:
    mp = midpoint(
        RecommendationProgress(recommendation_id="R1", progress=Progress.DONE, note="Seen 2 May"),
        RecommendationProgress(
            recommendation_id="R2", progress=Progress.DELAYED, note="Waiting list"
        ),
        RecommendationProgress(
            recommendation_id="R3", progress=Progress.DROPPED, note="Jay said no"
        ),
    )
    new, ev = apply_midpoint(issued_review(), mp)
    assert new.recommendation("R1").status is RecommendationStatus.DONE
    assert new.recommendation("R1").status_on == date(2024, 6, 10)
    assert new.recommendation("R2").status is RecommendationStatus.OPEN
    assert new.recommendation("R3").status_note == "Jay said no"
    assert ev.kind is EventKind.MID_POINT_RECORDED
    assert ev.changed == ("recommendations[0]", "recommendations[2]")
    assert [p.recommendation_id for p in mp.needs_attention()] == ["R2"]


def test_midpoint_refusals() -> None:
    wrong = replace(midpoint(), review_id="rev-other")
    with pytest.raises(ChangeRefused, match="about review 'rev-other', not 'rev-3'"):
        apply_midpoint(issued_review(), wrong)
    no_reason = midpoint(RecommendationProgress(recommendation_id="R3", progress=Progress.DROPPED))
    with pytest.raises(ChangeRefused, match="reason for dropping"):
        apply_midpoint(issued_review(), no_reason)
    unknown = midpoint(RecommendationProgress(recommendation_id="R9", progress=Progress.DONE))
    with pytest.raises(ValueError, match="no recommendation 'R9'"):
        apply_midpoint(issued_review(), unknown)


def test_with_progress_replaces_the_entry_for_a_recommendation() -> None:
    mp = midpoint(RecommendationProgress(recommendation_id="R1", progress=Progress.NOT_STARTED))
    mp = with_progress(
        mp, RecommendationProgress(recommendation_id="R1", progress=Progress.ON_TRACK)
    )
    assert [(p.recommendation_id, p.progress) for p in mp.progress] == [("R1", Progress.ON_TRACK)]


def test_footprint_is_newest_first_and_shows_the_gap() -> None:
    overview = CaseOverview(
        id="co-1",
        child_id="c-3",
        written_on=date(2024, 7, 1),
        author="Iro Ash",
        text="Placement stable.",
    )
    escalation = FootprintEntry(
        on=date(2024, 5, 2), kind=FootprintKind.OTHER, author="Iro Ash", summary="Escalation raised"
    )
    entries = footprint([midpoint()], [overview], [escalation])
    assert [e.on for e in entries] == [date(2024, 7, 1), date(2024, 6, 10), date(2024, 5, 2)]
    assert entries[1].summary == "Good progress at school."
    assert entries[0].kind is FootprintKind.CASE_OVERVIEW
    assert days_since_footprint(entries, date(2024, 7, 31)) == 30
    assert days_since_footprint((), date(2024, 7, 31)) is None
