"""Children and reviews for the review and dashboard service tests, stored for real."""

from __future__ import annotations

import uuid
from datetime import date

from iro_desktop.domain.caseload import (
    Child,
    Episode,
    PeriodOfCare,
    Person,
    SocialWorkerVisit,
)
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    Invitee,
    InviteeRole,
    Meeting,
    Preparation,
    Recommendation,
    Review,
)
from iro_desktop.services import caseload
from iro_desktop.services import reviews as reviews_service


def add_child(
    session,  # type: ignore[no-untyped-def]
    *,
    first: str = "Poppy",
    last: str = "Testwood",
    dob: date = date(2014, 5, 1),
    period_start: date = date(2026, 3, 2),
    period_end: date | None = None,
    care_leaver: bool = False,
    iro: str = "Ada Example",
) -> Child:
    child = Child(
        id=str(uuid.uuid4()),
        la_child_id=f"T-{uuid.uuid4().hex[:8]}",
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=dob,
        sex="F",
        allocated_iro=iro,
        care_leaver=care_leaver,
        periods=(
            PeriodOfCare(
                start=period_start,
                end=period_end,
                episodes=(
                    Episode(
                        start=period_start,
                        end=period_end,
                        legal_status="C2",
                        placement_type="U4",
                    ),
                ),
            ),
        ),
        people=(Person("social_worker", "Sam Worker"), Person("carer", "Pat Carer")),
        visits=() if period_end else (SocialWorkerVisit(date(2026, 11, 16), True, "Sam Worker"),),
    )
    return caseload.save_child(session, child)


PEOPLE = Preparation(
    invitees=(
        Invitee(key="child", role=InviteeRole.CHILD, name="Poppy"),
        Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER, name="Sam Worker"),
        Invitee(key="mum", role=InviteeRole.PARENT, name="Mum Testwood"),
    )
)


def meeting(on: date, **extra: object) -> Meeting:
    return Meeting(
        on=on,
        venue="Foster home",
        attendance=(
            AttendanceEntry(key="child", attendance=Attendance.ATTENDED),
            AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
        ),
        **extra,  # type: ignore[arg-type]
    )


def rec(rec_id: str, due_on: date, action: str = "Book a dental check-up") -> Recommendation:
    return Recommendation(
        id=rec_id,
        action=action,
        owner="Pat Carer",
        due_on=due_on,
        child_wording="Pat will book you a dentist visit.",
    )


def held_review(session, child: Child, held_on: date, *, recs=(), complete: bool = True) -> Review:  # type: ignore[no-untyped-def]
    """Plan the child's next review, hold it on `held_on` with recommendations, complete it."""
    planned = reviews_service.plan_next_review(session, child.id, planned_on=held_on)
    review = planned.review
    draft = Review.from_dict({**review.to_dict(), "preparation": PEOPLE.to_dict()})
    saved = reviews_service.save_draft(session, draft, expected_version=planned.version)
    assert saved.saved, saved.refused
    update = reviews_service.hold_first_meeting(session, review.id, meeting(held_on))
    for r in recs:
        draft = update.review
        draft = Review.from_dict(
            {
                **draft.to_dict(),
                "recommendations": [*(x.to_dict() for x in draft.recommendations), r.to_dict()],
            }
        )
        saved = reviews_service.save_draft(session, draft, expected_version=update.version)
        assert saved.saved, saved.refused
        update = reviews_service.ReviewUpdate(saved.review, saved.version, (), ())
    if complete:
        update = reviews_service.complete(session, review.id, on=held_on)
    return update.review
