"""Completing a review while a later meeting is still arranged says what happens to it, and
can go ahead without it: the arranged meeting is removed, with the reason, in one step."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChangeRefused,
    Invitee,
    InviteeRole,
    Meeting,
    Preparation,
    ReviewStatus,
    SeparateReason,
)
from iro_desktop.services import reviews as review_service
from tests.services import letters_kit as kit


def series_with_an_arranged_meeting(session) -> str:  # type: ignore[no-untyped-def]
    child_id = kit.make_child(session)
    planned = review_service.plan_next_review(session, child_id, planned_on=kit.MEETING_ON)
    draft = replace(
        planned.review,
        preparation=Preparation(
            invitees=(Invitee(key="child", role=InviteeRole.CHILD, name="Amira"),)
        ),
        meetings=(
            Meeting(
                on=kit.MEETING_ON,
                venue="Foster home",
                attendance=(AttendanceEntry(key="child", attendance=Attendance.ATTENDED),),
            ),
            Meeting(
                on=kit.MEETING_ON + timedelta(days=35),
                held=False,
                venue="Family centre",
                separate_reason=SeparateReason.UNAVOIDABLE_DELAY,
            ),
        ),
        participation_code="PN1",
    )
    saved = review_service.save_draft(session, draft)
    assert saved.saved, saved.refused
    return planned.review.id


def test_completing_with_a_meeting_still_arranged_says_what_to_do(session):
    review_id = series_with_an_arranged_meeting(session)
    review = review_service.get_review(session, review_id).review
    assert [m.on for m in review_service.arranged_meetings(review)] == [
        kit.MEETING_ON + timedelta(days=35)
    ]
    with pytest.raises(ChangeRefused, match="has not been recorded as held"):
        review_service.complete(session, review_id, on=kit.MEETING_ON + timedelta(days=1))


def test_completing_without_the_arranged_meeting_removes_it_with_the_reason(session):
    review_id = series_with_an_arranged_meeting(session)
    update = review_service.complete(
        session,
        review_id,
        on=kit.MEETING_ON + timedelta(days=1),
        without_arranged="Dad has said he will not come; his views are in the report.",
    )
    assert update.review.status is ReviewStatus.COMPLETED
    assert [(m.on, m.held, m.final) for m in update.review.meetings] == [
        (kit.MEETING_ON, True, True)
    ]
    kinds = [e.kind.value for e in update.events]
    assert kinds[0] == "meeting_removed" and len(kinds) == 2
    stored = review_service.get_review(session, review_id).review
    assert stored.status is ReviewStatus.COMPLETED and len(stored.meetings) == 1
