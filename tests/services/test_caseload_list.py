"""The caseload list comes from lean rows (a manager's 1,300 children load in a blink), and
says exactly what the child's own page says from the full record."""

from __future__ import annotations

from datetime import date

from iro_desktop.services import caseload, window
from iro_desktop.services import children as svc
from iro_desktop.services.children import ChildDetails, Placement


def _full_record_rows(session):  # type: ignore[no-untyped-def]
    today = session.clock.today()
    return [caseload.caseload_row(c, session, today) for c in caseload.children(session)]


def _add(session, la_id, first, **extra):  # type: ignore[no-untyped-def]
    details = ChildDetails(
        legal_first_name=first,
        legal_last_name="Listwood",
        date_of_birth=date(2012, 3, 9),
        sex="M",
        la_child_id=la_id,
        ethnicity="WBRI",
        **extra,
    )
    return svc.add_child(session, details)


def test_every_row_of_the_lean_list_equals_the_row_from_the_full_record(demo_session):
    lean = caseload.caseload(demo_session)
    assert len(lean) == 30
    by_id = {r.id: r for r in _full_record_rows(demo_session)}
    assert lean == [by_id[r.id] for r in lean]
    assert len({r.status.split(" (")[0] for r in lean}) > 3  # children in several states


def test_children_in_every_state_read_the_same_both_ways(session):
    foster = Placement("U6", "PR1", "M1 1AA", home_postcode="M9 9ZZ")
    _add(session, "L1", "Nobody")  # never looked after
    looked_after = _add(session, "L2", "Current", allocated_iro="Ada Example")
    svc.start_period(
        session,
        looked_after.id,
        start=date(2026, 10, 1),
        legal_status="C2",
        category_of_need="N1",
        placement=foster,
    )
    left = _add(session, "L3", "Gone", uasc=True)
    svc.start_period(
        session,
        left.id,
        start=date(2026, 6, 1),
        legal_status="V2",
        category_of_need="N1",
        placement=foster,
    )
    svc.end_period(session, left.id, on=date(2026, 11, 20), reason_ended="E4A")
    lean = caseload.caseload(session)
    by_id = {r.id: r for r in _full_record_rows(session)}
    assert lean == [by_id[r.id] for r in lean] and len(lean) == 3
    by_name = {r.name: r for r in lean}
    assert by_name["Nobody Listwood"].status.startswith("Not looked after yet")
    assert by_name["Current Listwood"].legal_status == "C2"
    assert by_name["Current Listwood"].next_review_due is not None
    assert by_name["Gone Listwood"].status == "Left care"
    assert by_name["Gone Listwood"].uasc


def test_one_iros_list_and_the_window_entries_carry_the_la_number(demo_session):
    everyone = caseload.caseload(demo_session)
    iro = next(r.allocated_iro for r in everyone if r.allocated_iro)
    mine = caseload.caseload(demo_session, iro=iro)
    assert mine == [r for r in everyone if r.allocated_iro == iro]
    entries = window.caseload_entries(demo_session)
    assert [e.row for e in entries] == everyone
    assert all(e.la_child_id for e in entries)
