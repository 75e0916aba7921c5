"""The review lifecycle: every status pair, and the reasons given for refused moves."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.review import (
    EventKind,
    Meeting,
    Recommendation,
    Review,
    ReviewStatus,
    SeparateReason,
    TransitionRefused,
    add_meeting,
    add_recommendation,
    allowed_transitions,
    edit_review,
    in_timescale,
    mark_extra,
    plan_review,
    rearrange,
    stand_down,
    transition,
    why_not,
)
from iro_desktop.domain.review_events import ChangeRefused

S = ReviewStatus
DUE = date(2024, 3, 20)
PLANNED_ON = date(2024, 3, 12)
MEETING_ON = date(2024, 3, 12)
LATER = date(2024, 3, 14)

EXPECTED: dict[ReviewStatus, set[ReviewStatus]] = {
    S.PLANNED: {S.PREPARING, S.HELD, S.STOOD_DOWN},
    S.PREPARING: {S.HELD, S.STOOD_DOWN},
    S.HELD: {S.COMPLETED},
    S.COMPLETED: {S.RECOMMENDATIONS_ISSUED},
    S.RECOMMENDATIONS_ISSUED: {S.LETTER_DRAFTED},
    S.LETTER_DRAFTED: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.LETTER_DRAFTED},
    S.APPROVED: {S.ISSUED},
    S.ISSUED: set(),
    S.STOOD_DOWN: {S.PLANNED},
}


def planned() -> Review:
    return plan_review(
        id="rev-1", child_id="child-1", due_on=DUE, planned_on=PLANNED_ON, sequence=3
    )


def review_at(status: ReviewStatus) -> Review:
    """A review brought to `status` through the real lifecycle functions."""
    r = planned()
    if status is S.PLANNED:
        return r
    if status is S.STOOD_DOWN:
        return stand_down(r, on=date(2024, 3, 1), reason="Care plan not yet formulated").review
    r = transition(r, S.PREPARING, on=date(2024, 2, 20)).review
    if status is S.PREPARING:
        return r
    r = add_meeting(r, Meeting(on=MEETING_ON, venue="Foster home"), on=MEETING_ON).review
    rec = Recommendation(
        id="R1", action="Book a dental check", owner="Carer", due_on=date(2024, 4, 30)
    )
    r = add_recommendation(r, rec, on=MEETING_ON).review
    for step in PROGRESS_AFTER_HELD:
        if r.status is status:
            return r
        r = transition(r, step, on=LATER).review
    assert r.status is status
    return r


PROGRESS_AFTER_HELD = (
    S.COMPLETED,
    S.RECOMMENDATIONS_ISSUED,
    S.LETTER_DRAFTED,
    S.SUBMITTED,
    S.APPROVED,
    S.ISSUED,
)


def ready_at(status: ReviewStatus) -> Review:
    """As review_at, with a held meeting on file so that moving to 'held' is possible."""
    r = review_at(status)
    if status in (S.PLANNED, S.PREPARING):
        r = replace(r, meetings=(Meeting(on=MEETING_ON),))
    return r


@pytest.mark.parametrize("status", list(S))
def test_allowed_transitions_match_the_agreed_table(status: ReviewStatus) -> None:
    assert set(allowed_transitions(status)) == EXPECTED[status]


@pytest.mark.parametrize(("frm", "to"), list(itertools.product(S, S)), ids=lambda s: s.value)
def test_every_status_pair(frm: ReviewStatus, to: ReviewStatus) -> None:
    review = ready_at(frm)
    if to in EXPECTED[frm]:
        assert why_not(frm, to) is None
        new, ev = transition(
            review, to, on=LATER, reason="A reason given", planned_on=date(2024, 3, 18)
        )
        assert new.status is to
        assert (ev.from_status, ev.to_status) == (frm, to)
        assert ev.review_id == "rev-1"
        assert "status" in ev.changed
        assert new.history[-1].to_status is to
        assert new.history[-1].on == LATER
        assert review.status is frm  # the original record is untouched
    else:
        reason = why_not(frm, to)
        assert reason
        with pytest.raises(TransitionRefused) as refused:
            transition(review, to, on=LATER, reason="A reason given", planned_on=date(2024, 3, 18))
        assert str(refused.value) == reason
        assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize(
    ("frm", "to", "message"),
    [
        (S.PLANNED, S.COMPLETED, "A review cannot be completed before its first meeting is held."),
        (
            S.PREPARING,
            S.COMPLETED,
            "A review cannot be completed before its first meeting is held.",
        ),
        (S.SUBMITTED, S.ISSUED, "The letter must be approved at sign-off before it is issued."),
        (
            S.HELD,
            S.STOOD_DOWN,
            "A review cannot be stood down once its first meeting has been held.",
        ),
        (S.HELD, S.HELD, "The review is already 'Held'."),
        (
            S.APPROVED,
            S.LETTER_DRAFTED,
            "A review at 'Approved' cannot go back to 'Letter drafted'.",
        ),
        (
            S.HELD,
            S.LETTER_DRAFTED,
            "A review at 'Held' cannot go straight to 'Letter drafted': "
            "it must be 'Recommendations issued' first.",
        ),
    ],
)
def test_refusals_say_why_in_plain_words(frm: ReviewStatus, to: ReviewStatus, message: str) -> None:
    assert why_not(frm, to) == message


def test_stood_down_review_can_only_be_rearranged() -> None:
    r = review_at(S.STOOD_DOWN)
    with pytest.raises(TransitionRefused, match="can only be rearranged"):
        transition(r, S.HELD, on=LATER)
    with pytest.raises(TransitionRefused, match="Give the new date"):
        transition(r, S.PLANNED, on=LATER, reason="Child now ready")


def test_issued_review_is_closed() -> None:
    r = review_at(S.ISSUED)
    assert allowed_transitions(S.ISSUED) == ()
    with pytest.raises(TransitionRefused, match="new version of the letter"):
        transition(r, S.LETTER_DRAFTED, on=LATER, reason="Typo")


# --- guards that depend on the record -------------------------------------------------------


def test_cannot_mark_held_without_a_meeting() -> None:
    with pytest.raises(TransitionRefused, match="Record the first meeting"):
        transition(planned(), S.HELD, on=LATER)


def test_first_held_meeting_moves_the_review_to_held_on_the_meeting_date() -> None:
    r = review_at(S.PREPARING)
    new, ev = add_meeting(r, Meeting(on=MEETING_ON), on=LATER)
    assert new.status is S.HELD
    assert new.status_since(S.HELD) == MEETING_ON
    assert ev.to_status is S.HELD and "status" in ev.changed


def test_completion_refused_while_a_meeting_of_the_series_is_still_to_happen() -> None:
    r = review_at(S.HELD)
    r = add_meeting(
        r,
        Meeting(on=date(2024, 3, 19), held=False, separate_reason=SeparateReason.RESTRAINING_ORDER),
        on=LATER,
    ).review
    with pytest.raises(TransitionRefused, match="19 March 2024 has not been recorded as held"):
        transition(r, S.COMPLETED, on=date(2024, 3, 20))


def test_completion_cannot_be_dated_before_the_last_meeting() -> None:
    second = Meeting(on=date(2024, 3, 19), separate_reason=SeparateReason.UNAVOIDABLE_DELAY)
    r = add_meeting(review_at(S.HELD), second, on=date(2024, 3, 19)).review
    with pytest.raises(TransitionRefused, match="before its last meeting on 19 March 2024"):
        transition(r, S.COMPLETED, on=date(2024, 3, 15))


def test_completion_marks_the_last_meeting_final() -> None:
    new, ev = transition(review_at(S.HELD), S.COMPLETED, on=LATER)
    assert new.meetings[-1].final
    assert "meetings[0]" in ev.changed


def test_recommendations_cannot_be_issued_when_there_are_none() -> None:
    r = replace(review_at(S.COMPLETED), recommendations=())
    with pytest.raises(TransitionRefused, match="Add the review's recommendations"):
        transition(r, S.RECOMMENDATIONS_ISSUED, on=LATER)


def test_returning_a_letter_needs_a_reason_and_is_recorded_as_returned() -> None:
    r = review_at(S.SUBMITTED)
    for blank in (None, "", "   "):
        with pytest.raises(TransitionRefused, match="Give a reason for returning the letter"):
            transition(r, S.LETTER_DRAFTED, on=LATER, reason=blank)
    new, ev = transition(r, S.LETTER_DRAFTED, on=LATER, reason=" Please explain 'PEP' ")
    assert ev.kind is EventKind.RETURNED
    assert ev.reason == "Please explain 'PEP'"
    assert new.history[-1].reason == "Please explain 'PEP'"


def test_a_status_change_cannot_be_dated_before_the_last_one() -> None:
    r = review_at(S.COMPLETED)
    with pytest.raises(TransitionRefused, match="before the review's last change of status"):
        transition(r, S.RECOMMENDATIONS_ISSUED, on=date(2024, 3, 13))


def test_dates_outside_the_supported_years_are_refused() -> None:
    with pytest.raises(ValueError, match="outside 2000-2040"):
        transition(planned(), S.PREPARING, on=date(2041, 1, 1))


# --- standing down and rearranging ----------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_standing_down_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(TransitionRefused, match="Give a reason for standing the review down"):
        transition(planned(), S.STOOD_DOWN, on=LATER, reason=reason)


def test_stood_down_review_keeps_its_due_date_and_is_rearranged_back_to_planned() -> None:
    r, ev = stand_down(planned(), on=date(2024, 3, 8), reason="Child not prepared")
    assert ev.kind is EventKind.STOOD_DOWN
    assert r.stand_downs[0].reason == "Child not prepared"
    assert "still due by 20 March 2024" in ev.summary
    r, ev = rearrange(r, date(2024, 3, 26), on=date(2024, 3, 8), reason="Child not prepared")
    assert r.status is S.PLANNED
    assert r.due_on == DUE
    assert r.planned_on == date(2024, 3, 26)
    assert len(r.rearrangements) == 1 and r.rearrangements[0].after_stand_down
    assert "out of timescale" in ev.summary
    r = add_meeting(r, Meeting(on=date(2024, 3, 26)), on=date(2024, 3, 26)).review
    assert in_timescale(r) is False  # judged against the original due date


def test_rearranging_is_counted_and_needs_a_reason() -> None:
    r = planned()
    with pytest.raises(TransitionRefused, match="Give a reason for rearranging"):
        rearrange(r, date(2024, 3, 15), on=LATER, reason=" ")
    r = rearrange(r, date(2024, 3, 15), on=date(2024, 3, 1), reason="Carer unwell").review
    r = rearrange(r, date(2024, 3, 18), on=date(2024, 3, 2), reason="Social worker in court").review
    assert [x.to_date for x in r.rearrangements] == [date(2024, 3, 15), date(2024, 3, 18)]
    assert r.rearrangements[1].from_date == date(2024, 3, 15)
    assert r.status is S.PLANNED
    with pytest.raises(TransitionRefused, match="already planned for 18 March 2024"):
        rearrange(r, date(2024, 3, 18), on=date(2024, 3, 3), reason="Again")


def test_a_held_review_cannot_be_rearranged() -> None:
    with pytest.raises(TransitionRefused, match="cannot be rearranged"):
        rearrange(review_at(S.HELD), date(2024, 3, 30), on=LATER, reason="Too late")


# --- extra reviews and editing --------------------------------------------------------------


def test_extra_review_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason for the extra review"):
        plan_review(id="x", child_id="c", due_on=DUE, planned_on=PLANNED_ON, extra_reason="  ")
    r = plan_review(
        id="x", child_id="c", due_on=DUE, planned_on=PLANNED_ON, extra_reason="Placement ended"
    )
    assert r.extra and r.extra_reason == "Placement ended"
    with pytest.raises(ChangeRefused, match="reason for the extra review"):
        mark_extra(planned(), on=LATER, reason="")
    new, ev = mark_extra(planned(), on=LATER, reason="Change of care plan")
    assert new.extra and ev.kind is EventKind.MARKED_EXTRA


def test_edit_review_reports_what_changed_and_guards_lifecycle_fields() -> None:
    r = review_at(S.HELD)
    new, ev = edit_review(r, on=LATER, participation_code="pn1", chaired_by="Iro Ash")
    assert new.participation_code == "PN1"
    assert set(ev.changed) == {"participation_code", "chaired_by"}
    with pytest.raises(ValueError, match="transition"):
        edit_review(r, on=LATER, status=S.ISSUED)
    with pytest.raises(ValueError, match="no field 'colour'"):
        edit_review(r, on=LATER, colour="blue")
    with pytest.raises(ChangeRefused, match="returned from sign-off"):
        edit_review(review_at(S.SUBMITTED), on=LATER, chaired_by="Someone else")
    with pytest.raises(ChangeRefused, match="issued.*new version of the letter"):
        edit_review(review_at(S.ISSUED), on=LATER, chaired_by="Someone else")
    with pytest.raises(ChangeRefused, match="approved.*new version of the letter"):
        add_meeting(review_at(S.APPROVED), Meeting(on=LATER), on=LATER)
