"""Chairing a review through the services, on a real encrypted caseload."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.review import (
    ChangeRefused,
    Meeting,
    PlanView,
    Progress,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    Severity,
    Tracking,
)
from iro_desktop.domain.timescales import add_months
from iro_desktop.services import caseload
from iro_desktop.services import reviews as svc
from iro_desktop.store.repositories import NotFound
from tests.services.review_helpers import PEOPLE, add_child, held_review, meeting, rec

S = ReviewStatus


def _audit(session, review_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["detail"] for e in caseload.audit_trail(session, review_id)]


# --- planning ---------------------------------------------------------------------------------


def test_the_first_review_is_due_20_working_days_into_care_and_numbered_1(session):
    child = add_child(session, period_start=date(2026, 11, 2))
    plan = svc.next_review(session, child.id)
    assert plan.kind is ReviewKind.LOOKED_AFTER
    assert plan.due_on == date(2026, 11, 30)  # 20 working days after Monday 2 November
    assert plan.sequence == 1
    update = svc.plan_next_review(session, child.id)
    assert update.review.due_on == date(2026, 11, 30)
    assert update.review.planned_on == date(2026, 11, 30)
    assert update.review.chaired_by == "Ada Example"
    assert update.version == 1
    assert "planned" in _audit(session, update.review.id)[0]


def test_a_second_review_cannot_be_planned_while_one_is_booked(session):
    child = add_child(session)
    svc.plan_next_review(session, child.id, planned_on=date(2026, 12, 1))
    with pytest.raises(ChangeRefused, match="already a review planned"):
        svc.plan_next_review(session, child.id)


def test_the_second_review_is_due_three_months_after_the_first_was_held(session):
    child = add_child(session, period_start=date(2026, 3, 2))
    held_review(session, child, date(2026, 3, 26))
    plan = svc.next_review(session, child.id)
    assert plan.due_on == date(2026, 6, 26)
    assert plan.sequence == 2


def test_an_open_series_must_finish_before_the_next_review_is_planned(session):
    child = add_child(session)
    held_review(session, child, date(2026, 3, 26), complete=False)
    with pytest.raises(ChangeRefused, match="still open"):
        svc.plan_next_review(session, child.id)


def test_a_care_leaver_gets_a_pathway_plan_review_six_months_after_the_last_review(session):
    child = add_child(
        session, dob=date(2008, 1, 10), period_start=date(2024, 1, 2), period_end=None
    )
    held_review(session, child, date(2025, 12, 15))
    left = replace(
        child,
        care_leaver=True,
        periods=(replace(child.periods[0], end=date(2026, 1, 10), episodes=()),),
    )
    caseload.save_child(session, left)
    plan = svc.next_review(session, child.id)
    assert plan.kind is ReviewKind.PATHWAY_PLAN
    assert plan.due_on == add_months(date(2025, 12, 15), 6)
    with pytest.raises(ChangeRefused, match="not looked after now"):
        svc.plan_next_review(session, child.id, kind=ReviewKind.LOOKED_AFTER)


def test_an_unknown_child_is_a_lookup_error_naming_it(session):
    with pytest.raises(NotFound, match="no-such-child"):
        svc.list_reviews(session, "no-such-child")


# --- the lifecycle ----------------------------------------------------------------------------


def test_a_review_goes_from_planned_to_recommendations_issued_with_an_audit_trail(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 11, 20))
    rid = planned.review.id
    prepared = svc.prepare(session, rid, on=date(2026, 11, 2), expected_version=planned.version)
    assert prepared.review.status is S.PREPARING
    assert prepared.version == planned.version + 1
    with_people = Review.from_dict({**prepared.review.to_dict(), "preparation": PEOPLE.to_dict()})
    svc.save_draft(session, with_people)
    held = svc.hold_first_meeting(session, rid, meeting(date(2026, 11, 20)))
    assert held.review.status is S.HELD
    assert "status" in held.changed
    series = svc.add_meeting(
        session,
        rid,
        meeting(date(2026, 11, 23), separate_reason=SeparateReason.CANNOT_SHARE_A_ROOM),
    )
    assert len(series.review.meetings) == 2
    draft = Review.from_dict(
        {**series.review.to_dict(), "recommendations": [rec("R1", date(2027, 1, 8)).to_dict()]}
    )
    svc.save_draft(session, draft)
    done = svc.complete(session, rid)
    assert done.review.status is S.COMPLETED
    issued = svc.issue_recommendations(session, rid)
    assert issued.review.status is S.RECOMMENDATIONS_ISSUED
    line = svc.list_reviews(session, child.id)[0]
    assert line.timeliness_date == date(2026, 11, 20)  # a series is held on its first meeting
    assert line.completed_on == date(2026, 11, 23)
    assert line.recommendations_issued_on == date(2026, 11, 23)
    assert line.meetings_held == 2
    trail = " | ".join(_audit(session, rid))
    assert "meeting 2 of the series" in trail
    assert "'Completed' to 'Recommendations issued'" in trail


def test_a_refused_step_says_why_and_changes_nothing(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id)
    with pytest.raises(ChangeRefused, match="before its first meeting"):
        svc.complete(session, planned.review.id)
    assert svc.get_review(session, planned.review.id).version == planned.version


def test_stand_down_and_rearrange_keep_the_original_due_date(session):
    child = add_child(session, period_start=date(2026, 10, 26))
    planned = svc.plan_next_review(session, child.id)
    due = planned.review.due_on
    stood = svc.stand_down(session, planned.review.id, "The care plan has not been formulated")
    assert stood.review.status is S.STOOD_DOWN
    moved = svc.rearrange(
        session, planned.review.id, due.replace(day=due.day + 2), "Social worker's report late"
    )
    assert moved.review.status is S.PLANNED
    assert moved.review.due_on == due
    line = svc.list_reviews(session, child.id)[0]
    assert (line.stood_down, line.rearranged_count, line.due_date) == (True, 1, due)
    row = next(r for r in caseload.caseload(session) if r.id == child.id)
    assert row.next_review_due == due


def test_marking_an_extra_review_needs_a_reason(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id)
    with pytest.raises(ChangeRefused, match="reason"):
        svc.mark_extra(session, planned.review.id, "  ")
    extra = svc.mark_extra(session, planned.review.id, "Placement disruption")
    assert extra.review.extra
    assert svc.list_reviews(session, child.id)[0].extra


def test_a_stale_version_is_refused(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id)
    svc.prepare(session, planned.review.id)
    with pytest.raises(svc.ReviewChanged, match="changed elsewhere"):
        svc.stand_down(session, planned.review.id, "ill", expected_version=planned.version)


# --- drafts -----------------------------------------------------------------------------------


def test_an_incomplete_draft_saves_and_its_problems_come_back(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 11, 20))
    held = svc.hold_first_meeting(session, planned.review.id, Meeting(on=date(2026, 11, 20)))
    draft = replace(held.review, participation_code="PN0")  # wrong: Poppy is 12
    saved = svc.save_draft(session, draft, expected_version=held.version)
    assert saved.saved
    assert saved.version == held.version + 1
    errors = [p for p in saved.problems if p.severity is Severity.ERROR]
    assert any(p.field == "participation_code" for p in errors)
    assert svc.get_review(session, planned.review.id).review.participation_code == "PN0"


def test_a_draft_the_rules_refuse_is_kept_and_offered_back(session):
    child = add_child(session)
    review = held_review(session, child, date(2026, 11, 2), recs=[rec("R1", date(2027, 1, 8))])
    opened = svc.get_review(session, review.id)
    typed = replace(opened.review, recommendations=(), plan_view=PlanView(view="Half-typed"))
    result = svc.save_draft(session, typed, expected_version=opened.version)
    assert not result.saved
    assert "mark it dropped" in result.refused
    again = svc.get_review(session, review.id)
    assert again.version == opened.version
    assert again.unsaved_draft is not None
    assert again.unsaved_draft.plan_view.view == "Half-typed"
    svc.discard_unsaved_draft(session, review.id)
    assert svc.get_review(session, review.id).unsaved_draft is None


def test_a_draft_cannot_move_the_status_or_the_planned_date(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id)
    result = svc.save_draft(session, replace(planned.review, status=S.COMPLETED))
    assert "status" in result.refused
    result = svc.save_draft(session, replace(planned.review, planned_on=date(2026, 12, 24)))
    assert "rearranging" in result.refused


def test_a_draft_can_add_meetings_and_mark_recommendations_done(session):
    child = add_child(session)
    review = held_review(session, child, date(2026, 11, 2), recs=[rec("R1", date(2027, 1, 8))])
    opened = svc.get_review(session, review.id)
    done = replace(
        opened.review.recommendations[0],
        status=RecommendationStatus.DONE,
        status_on=date(2026, 11, 20),
    )
    result = svc.save_draft(session, replace(opened.review, recommendations=(done,)))
    assert result.saved, result.refused
    assert result.review.recommendation("R1").status is RecommendationStatus.DONE
    assert "Recommendation R1 was marked done." in _audit(session, review.id)


def test_typing_saves_are_audited_once_not_every_second(session):
    child = add_child(session)
    planned = svc.plan_next_review(session, child.id)
    review, version = planned.review, planned.version
    for n in range(12):
        review = replace(review, plan_view=PlanView(view=f"Typing {n}"))
        saved = svc.save_draft(session, review, expected_version=version)
        version = saved.version
    assert version == planned.version + 12
    assert _audit(session, review.id).count("draft saved") == 1


# --- recommendations and the footprint --------------------------------------------------------


def test_recommendations_are_tracked_across_reviews(session):
    child = add_child(session, period_start=date(2026, 3, 2))
    first = held_review(
        session,
        child,
        date(2026, 3, 26),
        recs=[rec("R1", date(2026, 5, 1)), rec("R2", date(2026, 6, 1), "Update the PEP")],
    )
    svc.issue_recommendations(session, first.id, on=date(2026, 3, 30))
    svc.mark_recommendation_done(session, first.id, "R1", on=date(2026, 4, 20))
    held_review(session, child, date(2026, 6, 20), recs=[rec("R1", date(2027, 2, 1))])
    board = svc.child_recommendations(session, child.id)
    assert (board.summary.done, board.summary.overdue, board.summary.open) == (1, 1, 1)
    overdue = board.where(Tracking.OVERDUE)
    assert [(i.review_id, i.recommendation.id) for i in overdue] == [(first.id, "R2")]
    dropped = svc.drop_recommendation(session, first.id, "R2", "Plan changed")
    assert dropped.review.recommendation("R2").status is RecommendationStatus.DROPPED


def test_a_mid_point_review_marks_progress_and_joins_the_footprint(session):
    child = add_child(session, period_start=date(2026, 3, 2))
    review = held_review(
        session,
        child,
        date(2026, 9, 1),
        recs=[rec("R1", date(2026, 10, 1)), rec("R2", date(2027, 1, 1), "Update the PEP")],
    )
    before = svc.child_footprint(session, child.id)
    assert before.midpoint_due_on is not None
    assert date(2026, 9, 1) < before.midpoint_due_on < date(2026, 12, 1)
    recorded = svc.record_midpoint(
        session,
        review.id,
        held_on=date(2026, 11, 2),
        notes="Dentist booked; PEP meeting set.",
        progress=[
            RecommendationProgress(recommendation_id="R1", progress=Progress.DONE),
            RecommendationProgress(recommendation_id="R2", progress=Progress.ON_TRACK),
        ],
    )
    assert recorded.update.review.recommendation("R1").status is RecommendationStatus.DONE
    svc.add_case_overview(session, child.id, "Placement stable.\nPermanence on track.")
    after = svc.child_footprint(session, child.id)
    assert [e.kind.value for e in after.entries] == ["case_overview", "mid_point_review"]
    assert after.entries[1].summary == "Dentist booked; PEP meeting set."
    assert after.days_since == 0
    assert after.midpoint_due_on is None
    with pytest.raises(ValueError, match="needs some text"):
        svc.add_case_overview(session, child.id, "   ")


# --- listing and old rows ---------------------------------------------------------------------


def test_the_demo_reviews_list_with_the_promised_fields(demo_session):
    rows = caseload.caseload(demo_session)
    statuses = set()
    for row in rows:
        for line in svc.list_reviews(demo_session, row.id):
            data = line.to_json()
            assert {"id", "kind", "status", "period_start", "due_date", "timeliness_date"} <= set(
                data
            )
            assert data["kind"] in ("looked_after", "pathway_plan")
            assert all(m["date"] for m in data["meetings"])
            if line.timeliness_date:
                assert line.in_timescale == (line.timeliness_date <= line.due_date)
            statuses.add(line.status)
    assert statuses == {s.value for s in ReviewStatus}


def test_the_demo_records_have_no_errors_to_correct(demo_session):
    for row in caseload.caseload(demo_session)[:10]:
        for line in svc.list_reviews(demo_session, row.id):
            opened = svc.get_review(demo_session, line.id)
            assert not [p for p in opened.problems if p.severity is Severity.ERROR], line
