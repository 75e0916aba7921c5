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


def test_a_care_leaver_past_the_profiles_age_gets_no_pathway_review(session):
    import pytest

    from iro_desktop.services.reviews import ChangeRefused

    leaver = svc.add_child(
        session,
        ChildDetails(
            legal_first_name="Jordan",
            legal_last_name="Clockwood",
            date_of_birth=date(2005, 5, 2),  # 21 on 2 May 2026
            sex="M",
            la_child_id="P1",
            ethnicity="WBRI",
            care_leaver=True,
        ),
    )
    with pytest.raises(ChangeRefused) as refused:
        reviews.plan_next_review(session, leaver.id)
    assert "reviews pathway plans until 21" in str(refused.value)
    row = next(r for r in caseload.caseload(session) if r.id == leaver.id)
    assert row.status == (
        "Care leaver: the IRO reviews pathway plans until 21 (Manchester IRO Service)"
    )


def _visit_row(session, child_id: str):  # type: ignore[no-untyped-def]
    return next(
        (
            i
            for i in due.dashboard(session).items
            if i.child_id == child_id and i.kind is DueKind.STATUTORY_VISIT_OVERDUE
        ),
        None,
    )


def test_an_interim_care_order_placed_with_a_parent_needs_weekly_visits(session):
    child = _child(session, "W1", "Sky")
    svc.start_period(
        session,
        child.id,
        start=date(2026, 11, 2),
        legal_status="C1",
        category_of_need="N1",
        placement=Placement("P1", "PR0", "M9 9ZZ", home_postcode="M9 9ZZ"),
    )
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 5), seen_alone=True)
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 12), seen_alone=True)
    # Today (the tests' clock) is more than a week after the last visit: overdue.
    row = _visit_row(session, child.id)
    assert row is not None and row.due_date == date(2026, 11, 19)


def test_a_care_order_for_a_child_at_home_needs_a_visit_within_a_week(session):
    child = _child(session, "W2", "Ash")
    svc.start_period(
        session,
        child.id,
        start=date(2026, 8, 3),
        legal_status="C1",
        category_of_need="N1",
        placement=Placement("P1", "PR0", "M9 9ZZ", home_postcode="M9 9ZZ"),
    )
    for day in (date(2026, 8, 6), date(2026, 8, 13), date(2026, 8, 20), date(2026, 8, 27)):
        svc.add_visit(session, child.id, visited_on=day, seen_alone=True)
    svc.change_legal_status(session, child.id, on=date(2026, 11, 9), legal_status="C2")
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 6), seen_alone=True)
    row = _visit_row(session, child.id)
    assert row is not None and row.due_date == date(2026, 11, 16)  # a week after the order


def test_a_relative_approved_temporarily_as_foster_carer_needs_weekly_visits(session):
    child = _child(session, "W3", "Remy")
    kin = Placement("U3", "PR1", "M4 4AA", home_postcode="M9 9ZZ", temporary_approval=True)
    svc.start_period(
        session,
        child.id,
        start=date(2026, 11, 2),
        legal_status="C1",
        category_of_need="N1",
        placement=kin,
    )
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 5), seen_alone=True)
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 12), seen_alone=True)
    row = _visit_row(session, child.id)
    assert row is not None and row.due_date == date(2026, 11, 19)


def test_temporary_approval_is_only_for_a_relative_or_friend(session):
    import pytest

    from iro_desktop.services.children import RuleRefused

    child = _child(session, "W4", "Lee")
    agency = Placement("U6", "PR4", "M4 4AA", home_postcode="M9 9ZZ", temporary_approval=True)
    with pytest.raises((RuleRefused, ValueError)) as refused:
        svc.start_period(
            session,
            child.id,
            start=date(2026, 11, 2),
            legal_status="C2",
            category_of_need="N1",
            placement=agency,
        )
    assert "U1-U3" in str(refused.value)


def test_a_long_term_foster_child_who_agreed_is_visited_every_6_months(session):
    child = _child(session, "W5", "Kit")
    svc.start_period(
        session,
        child.id,
        start=date(2025, 1, 6),
        legal_status="C2",
        category_of_need="N1",
        placement=Placement("U4", "PR1", "M5 5AA", home_postcode="M9 9ZZ"),
    )
    svc.add_visit(session, child.id, visited_on=date(2026, 8, 3), seen_alone=True)
    svc.confirm_long_term(session, child.id, on=date(2025, 6, 2))
    # Long-term: every 3 months after the first year, so 3 November has passed.
    assert _visit_row(session, child.id).due_date == date(2026, 11, 3)
    svc.confirm_long_term(
        session,
        child.id,
        on=date(2025, 6, 2),
        child_agrees_six_monthly_on=date(2026, 2, 9),
    )
    assert _visit_row(session, child.id) is None  # next due 3 February 2027
