"""The record of a review held as a series of meetings says why a meeting was held apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from iro_desktop.domain.review import Attendance, AttendanceEntry, Meeting, SeparateReason
from iro_desktop.services import letters
from iro_desktop.services import reviews as review_service
from tests.services import letters_kit as kit


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


def test_the_record_pdf_says_why_a_meeting_of_the_series_was_held_separately(iro, tmp_path):
    child_id = kit.make_child(iro)
    planned = review_service.plan_next_review(iro, child_id, planned_on=kit.MEETING_ON)
    first = Meeting(
        on=kit.MEETING_ON,
        venue="Foster home",
        attendance=(AttendanceEntry(key="child", attendance=Attendance.ATTENDED),),
    )
    second = Meeting(
        on=kit.MEETING_ON + timedelta(days=2),
        venue="Family centre",
        separate_reason=SeparateReason.RESTRAINING_ORDER,
        separate_reason_note="Dad may not be in the same building as Mum.",
    )
    from iro_desktop.domain.review import Invitee, InviteeRole, Preparation

    draft = replace(
        planned.review,
        preparation=Preparation(
            invitees=(Invitee(key="child", role=InviteeRole.CHILD, name="Amira"),)
        ),
        meetings=(first, second),
        participation_code="PN1",
    )
    saved = review_service.save_draft(iro, draft)
    assert saved.saved, saved.refused

    done = letters.render_record_pdf(iro, planned.review.id, tmp_path / "record.pdf")
    text = kit.pdf_text(done.path)
    assert "Meeting 2 of 2" in text
    assert (
        "Held separately because of a restraining order: Dad may not be in the same building "
        "as Mum." in text
    )
    assert text.count("Held separately") == 1  # the first meeting was not held apart
