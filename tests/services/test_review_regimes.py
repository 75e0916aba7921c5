"""An IRO sees the right next date for a child placed for adoption and a child on short
breaks, on the dashboard, in the caseload list and when booking the review."""

from __future__ import annotations

from datetime import date

from iro_desktop.domain.due import DueKind
from iro_desktop.services import caseload, due, reviews
from iro_desktop.services import children as svc
from iro_desktop.services.children import ChildDetails, Placement

FOSTER = Placement("U6", "PR1", "M1 1AA", home_postcode="M9 9ZZ")


def _child(session, la_id: str, first: str):  # type: ignore[no-untyped-def]
    return svc.add_child(
        session,
        ChildDetails(
            legal_first_name=first,
            legal_last_name="Clockwood",
            date_of_birth=date(2023, 2, 14),
            sex="F",
            la_child_id=la_id,
            ethnicity="WBRI",
            allocated_iro="Ada Example",
        ),
    )


def _review_row(session, child_id: str):  # type: ignore[no-untyped-def]
    return next(
        i
        for i in due.dashboard(session).items
        if i.child_id == child_id and i.kind is DueKind.REVIEW_DUE
    )


def test_a_child_placed_for_adoption_is_due_within_4_weeks_of_the_placement(session):
    child = _child(session, "A1", "Hope")
    svc.start_period(
        session,
        child.id,
        start=date(2026, 7, 1),
        legal_status="E1",
        category_of_need="N1",
        placement=FOSTER,
    )
    before = _review_row(session, child.id).due_date
    assert before == date(2026, 7, 29)  # reg 33: 20 working days
    svc.record_move(
        session,
        child.id,
        on=date(2026, 7, 20),
        placement=Placement("A6", "PR1", "M2 2BB", home_postcode="M9 9ZZ"),
        reason_place_change="CARPL",
    )
    row = _review_row(session, child.id)
    assert row.due_date == date(2026, 8, 17)  # 4 weeks from Monday 20 July
    assert "placed for adoption: reg 36" in row.status
    listed = next(r for r in caseload.caseload(session) if r.id == child.id)
    assert listed.next_review_due == date(2026, 8, 17)
    booked = reviews.plan_next_review(session, child.id)
    assert booked.review.due_on == date(2026, 8, 17)


def test_a_child_on_short_breaks_is_due_within_3_months_of_the_first_break(session):
    child = _child(session, "S1", "Rowan")
    svc.start_period(
        session,
        child.id,
        start=date(2026, 9, 7),
        legal_status="V3",
        category_of_need="N1",
        placement=FOSTER,
    )
    row = _review_row(session, child.id)
    assert row.due_date == date(2026, 12, 7)
    assert "short breaks: reg 48" in row.status
    assert reviews.next_review(session, child.id).due_on == date(2026, 12, 7)
