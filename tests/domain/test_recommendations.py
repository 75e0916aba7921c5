"""Recommendations: vague wording flagged, and tracking them to completion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.review import (
    ChangeRefused,
    EventKind,
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewStatus,
    Tracking,
    add_recommendation,
    drop_recommendation,
    edit_recommendation,
    mark_done,
    next_recommendation_id,
    overdue,
    plan_review,
    reopen_recommendation,
    tracking_state,
    tracking_summary,
    vague_reasons,
)

DUE = date(2024, 5, 31)


def rec(action: str = "Book Jay's dental check-up", **kw: object) -> Recommendation:
    fields: dict[str, object] = {"id": "R1", "action": action, "owner": "Carer Pat", "due_on": DUE}
    fields.update(kw)
    return Recommendation(**fields)  # type: ignore[arg-type]


def test_a_smart_recommendation_has_no_reasons() -> None:
    assert vague_reasons(rec()) == []


def test_missing_owner_and_due_date_are_named() -> None:
    reasons = vague_reasons(rec(owner="", due_on=None))
    assert "No owner: say who will do it." in reasons
    assert "No due date: say by when." in reasons
    assert vague_reasons(rec(owner="All professionals")) == [
        "'All professionals' is not one person: name who will do it."
    ]
    assert vague_reasons(rec(action="  ")) == ["No action is written."]


@pytest.mark.parametrize(
    ("action", "word"),
    [
        ("Social worker to monitor family time", "'monitor'"),
        ("Continue MONITORING school attendance", "'monitor'"),
        ("Consider a referral to CAMHS", "'consider'"),
        ("Explore options for a school closer to home", "'explore'"),
        ("Carers to continue to support Jay", "'continue to'"),
        ("Family time to take place as appropriate", "'as appropriate'"),
        ("Ongoing support with reading", "'ongoing'"),
        ("On-going life story work", "'ongoing'"),
        ("Update the health plan as necessary", "'as necessary'"),
        ("Arrange family time where possible", "'where possible'"),
    ],
)
def test_vague_words_are_flagged(action: str, word: str) -> None:
    reasons = vague_reasons(rec(action=action))
    assert any(r.startswith(word) for r in reasons), reasons


@pytest.mark.parametrize(
    "action",
    [
        "Make a considerable effort to find Jay's birth certificate by 1 May",
        "Jay continued his swimming lessons: book the next term",
        "Write to the school with the outcome of the PEP",
    ],
)
def test_words_are_matched_whole_not_inside_other_words(action: str) -> None:
    assert vague_reasons(rec(action=action)) == []


def test_vague_recommendations_list_every_reason_at_once() -> None:
    reasons = vague_reasons(rec(action="Continue to monitor and explore as appropriate", owner=""))
    assert len(reasons) == 5


# --- tracking -------------------------------------------------------------------------------


def test_tracking_states() -> None:
    assert tracking_state(rec(), date(2024, 5, 31)) is Tracking.OPEN  # due today: not overdue
    assert tracking_state(rec(), date(2024, 6, 1)) is Tracking.OVERDUE
    assert tracking_state(rec(due_on=None), date(2030, 1, 1)) is Tracking.OPEN
    done = rec(status=RecommendationStatus.DONE, status_on=date(2024, 5, 1))
    assert tracking_state(done, date(2024, 7, 1)) is Tracking.DONE
    late = rec(status=RecommendationStatus.DONE, status_on=date(2024, 6, 3))
    assert tracking_state(late, date(2024, 7, 1)) is Tracking.DONE_LATE
    dropped = rec(status=RecommendationStatus.DROPPED, status_on=date(2024, 6, 3))
    assert tracking_state(dropped, date(2024, 7, 1)) is Tracking.DROPPED


def test_overdue_and_summary_as_of_a_date() -> None:
    recs = [
        rec(id="R1"),
        rec(id="R2", due_on=date(2024, 4, 1)),
        rec(
            id="R3",
            status=RecommendationStatus.DONE,
            status_on=date(2024, 4, 2),
            due_on=date(2024, 4, 1),
        ),
        rec(id="R4", status=RecommendationStatus.DROPPED, status_on=date(2024, 4, 2)),
    ]
    assert [r.id for r in overdue(recs, date(2024, 4, 15))] == ["R2"]
    summary = tracking_summary(recs, date(2024, 4, 15))
    assert (summary.open, summary.overdue, summary.done, summary.done_late, summary.dropped) == (
        1,
        1,
        0,
        1,
        1,
    )
    assert summary.total == 4


# --- changing recommendations on a review ---------------------------------------------------


def review(status: ReviewStatus = ReviewStatus.HELD) -> Review:
    r = plan_review(id="rev", child_id="c", due_on=date(2024, 3, 20), planned_on=date(2024, 3, 12))
    return replace(r, status=status, recommendations=(rec(id="R1"), rec(id="R7")))


def test_next_id_follows_the_highest() -> None:
    assert next_recommendation_id(review()) == "R8"
    assert next_recommendation_id(replace(review(), recommendations=())) == "R1"


def test_adding_and_rewording_only_before_sign_off() -> None:
    new, ev = add_recommendation(review(), rec(id="R8"), on=date(2024, 3, 12))
    assert [r.id for r in new.recommendations] == ["R1", "R7", "R8"]
    assert ev.kind is EventKind.RECOMMENDATION_ADDED
    with pytest.raises(ChangeRefused, match="already a recommendation 'R1'"):
        add_recommendation(review(), rec(id="R1"), on=date(2024, 3, 12))
    submitted = review(ReviewStatus.SUBMITTED)
    with pytest.raises(ChangeRefused, match="returned from sign-off"):
        add_recommendation(submitted, rec(id="R9"), on=date(2024, 3, 12))
    with pytest.raises(ChangeRefused, match="returned from sign-off"):
        edit_recommendation(submitted, rec(id="R1", owner="Sam"), on=date(2024, 3, 12))
    edited = edit_recommendation(review(), rec(id="R7", owner="Sam Worker"), on=date(2024, 3, 13))
    assert edited.review.recommendation("R7").owner == "Sam Worker"
    assert edited.event.changed == ("recommendations[1]",)


def test_tracking_changes_are_allowed_after_the_letter_is_issued() -> None:
    issued = review(ReviewStatus.ISSUED)
    new, ev = mark_done(issued, "R7", on=date(2024, 6, 4), note="Seen by dentist")
    assert new.recommendation("R7").status is RecommendationStatus.DONE
    assert new.recommendation("R7").status_on == date(2024, 6, 4)
    assert "after its due date of 31 May 2024" in ev.summary
    with pytest.raises(ChangeRefused, match="already marked done on 4 June 2024"):
        mark_done(new, "R7", on=date(2024, 6, 5))
    with pytest.raises(ChangeRefused, match="reason for dropping"):
        drop_recommendation(issued, "R1", on=date(2024, 6, 4), reason="")
    dropped = drop_recommendation(issued, "R1", on=date(2024, 6, 4), reason="Jay moved school")
    assert dropped.review.recommendation("R1").status_note == "Jay moved school"
    reopened = reopen_recommendation(new, "R7", on=date(2024, 6, 6), reason="Appointment missed")
    assert reopened.review.recommendation("R7").status is RecommendationStatus.OPEN
    with pytest.raises(ValueError, match="no recommendation 'R5' \\(it has: R1, R7\\)"):
        mark_done(issued, "R5", on=date(2024, 6, 4))


def test_status_changes_are_not_made_by_editing() -> None:
    with pytest.raises(ChangeRefused, match="its own action"):
        edit_recommendation(
            review(),
            rec(id="R1", status=RecommendationStatus.DONE, status_on=date(2024, 3, 13)),
            on=date(2024, 3, 13),
        )
