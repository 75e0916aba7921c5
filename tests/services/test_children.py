"""A new IRO, starting empty, enters children by hand: what is kept, refused and audited."""

from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.due import DueKind
from iro_desktop.services import caseload, due
from iro_desktop.services import children as svc
from iro_desktop.services.children import ChildDetails, Placement, RuleRefused


def _add(session, child_id="C0001", dob=date(2015, 5, 4), **extra):  # type: ignore[no-untyped-def]
    details = ChildDetails(
        legal_first_name="Amira",
        legal_last_name="Testwood",
        date_of_birth=dob,
        sex="F",
        la_child_id=child_id,
        ethnicity="APKN",
        **extra,
    )
    return svc.add_child(session, details)


FOSTER = Placement("U6", "PR1", "M1 1AA", home_postcode="M9 9ZZ")


def test_an_empty_caseload_gets_a_child_who_is_then_due_a_first_review(session):
    assert caseload.caseload(session) == []
    child = _add(session, allocated_iro="Ada Example")
    rows = caseload.caseload(session)
    assert [r.name for r in rows] == ["Amira Testwood"]
    assert rows[0].status.startswith("Not looked after yet")

    svc.start_period(
        session,
        child.id,
        start=date(2026, 11, 2),
        legal_status="C1",
        category_of_need="N1",
        placement=FOSTER,
    )
    row = caseload.caseload(session)[0]
    # 20 working days from Monday 2 November 2026.
    assert row.next_review_due == date(2026, 11, 30)
    assert row.legal_status == "C1" and row.placement == "U6"


def test_section_20_placed_with_parents_is_refused_with_the_rule_and_nothing_changes(session):
    child = _add(session)
    with pytest.raises(RuleRefused) as refused:
        svc.start_period(
            session,
            child.id,
            start=date(2026, 11, 2),
            legal_status="V2",
            category_of_need="N1",
            placement=Placement("P1", "PR0", "M1 1AA"),
        )
    assert refused.value.breaches[0].field == "placement_type"
    assert "section 20" in str(refused.value) and "378" in str(refused.value)
    assert svc.find(session, "C0001").periods == ()


def test_a_care_order_cannot_start_at_17(session):
    child = _add(session, child_id="C0002", dob=date(2009, 6, 1))
    with pytest.raises(RuleRefused, match="17 or over"):
        svc.start_period(
            session,
            child.id,
            start=date(2026, 11, 2),
            legal_status="C2",
            category_of_need="N1",
            placement=FOSTER,
        )


def test_a_move_a_legal_status_change_and_the_end_of_care_make_903_episodes(session):
    child = _add(session)
    svc.start_period(
        session,
        child.id,
        start=date(2026, 3, 2),
        legal_status="C1",
        category_of_need="N1",
        placement=FOSTER,
    )
    with pytest.raises(RuleRefused, match="why the placement changed"):
        svc.record_move(
            session,
            child.id,
            on=date(2026, 6, 1),
            placement=Placement("U4", "PR4", "M2 2BB"),
            reason_place_change="",
        )
    svc.record_move(
        session,
        child.id,
        on=date(2026, 6, 1),
        placement=Placement("U4", "PR4", "M2 2BB"),
        reason_place_change="CARPL",
    )
    svc.change_legal_status(session, child.id, on=date(2026, 9, 1), legal_status="C2")
    svc.end_period(session, child.id, on=date(2026, 11, 20), reason_ended="E4A")
    found = svc.find(session, "C0001")
    (period,) = found.periods
    assert period.end == date(2026, 11, 20)
    rows = [
        (
            e.start,
            e.end,
            e.reason_new,
            e.legal_status,
            e.placement_type,
            e.reason_ended,
            e.reason_place_change,
        )
        for e in period.episodes
    ]
    assert rows == [
        (date(2026, 3, 2), date(2026, 6, 1), "S", "C1", "U6", "X1", "CARPL"),
        (date(2026, 6, 1), date(2026, 9, 1), "P", "C1", "U4", "X1", ""),
        (date(2026, 9, 1), date(2026, 11, 20), "L", "C2", "U4", "E4A", ""),
    ]
    with pytest.raises(RuleRefused, match="X1 is for an episode"):
        svc.end_period(session, child.id, on=date(2026, 11, 21), reason_ended="X1")


def test_an_overlapping_correction_is_refused(session):
    child = _add(session)
    svc.start_period(
        session,
        child.id,
        start=date(2026, 3, 2),
        legal_status="C1",
        category_of_need="N1",
        placement=FOSTER,
    )
    svc.record_move(
        session,
        child.id,
        on=date(2026, 6, 1),
        placement=Placement("U4", "PR4", "M2 2BB"),
        reason_place_change="CARPL",
    )
    first = svc.find(session, "C0001").periods[0].episodes[0]
    assert first.id is not None
    with pytest.raises(RuleRefused) as refused:
        svc.correct_episode(session, child.id, first.id, end=date(2026, 7, 1))
    assert "433" in str(refused.value) or "501" in str(refused.value)
    with pytest.raises(RuleRefused, match="before it starts"):
        svc.correct_episode(session, child.id, first.id, end=date(2026, 1, 1))


def test_visits_are_a_history_and_the_latest_sets_the_visit_due_date(session, fixed_clock):
    child = _add(session)
    svc.start_period(
        session,
        child.id,
        start=date(2026, 10, 5),
        legal_status="C1",
        category_of_need="N1",
        placement=FOSTER,
    )

    def visit_overdue() -> date | None:
        board = due.dashboard(session)
        items = [i for i in board.items if i.kind is DueKind.STATUTORY_VISIT_OVERDUE]
        return items[0].due_date if items else None

    # No visit yet: the first was due within a week of the placement starting.
    assert visit_overdue() == date(2026, 10, 12)
    svc.add_visit(session, child.id, visited_on=date(2026, 10, 9), seen_alone=False, by="Sam")
    # Six weeks on from 9 October is 20 November: still overdue on 23 November.
    assert visit_overdue() == date(2026, 11, 20)
    svc.add_visit(session, child.id, visited_on=date(2026, 11, 16), seen_alone=True, by="Sam")
    assert visit_overdue() is None
    assert [v.visited_on for v in svc.find(session, "C0001").visits] == [
        date(2026, 10, 9),
        date(2026, 11, 16),
    ]
    with pytest.raises(RuleRefused, match="already recorded"):
        svc.add_visit(session, child.id, visited_on=date(2026, 11, 16), seen_alone=True, by="Sam")
    with pytest.raises(RuleRefused, match="before it happens"):
        svc.add_visit(session, child.id, visited_on=date(2027, 1, 4), seen_alone=True)


def test_edits_are_audited_and_can_be_undone(session):
    child = _add(session)
    svc.edit_child(session, child.id, preferred_name="Mimi", upn="UN2")
    changed = svc.find(session, "C0001")
    assert changed.preferred_name == "Mimi"
    trail = caseload.audit_trail(session, child.id)
    assert trail[0]["action"] == "update" and "preferred_name" in trail[0]["detail"]
    assert trail[0]["username"] == "ada"
    svc.restore_child(session, child)
    assert svc.find(session, "C0001").preferred_name == ""


def test_the_same_council_id_cannot_be_added_twice(session):
    _add(session)
    with pytest.raises(RuleRefused, match="already on this caseload"):
        _add(session)


def test_a_mistaken_child_is_removed_from_every_list_with_an_audited_reason(session):
    child = _add(session)
    keep = _add(session, child_id="C0009")
    svc.link_siblings(session, child.id, [keep.id])
    assert svc.find(session, "C0009").sibling_group
    with pytest.raises(ValueError, match="Say why"):
        svc.remove_child(session, child.id, " ")
    svc.remove_child(session, child.id, "added by mistake")
    assert [r.name for r in caseload.caseload(session)] == ["Amira Testwood"]
    assert [c.la_child_id for c in caseload.children(session)] == ["C0009"]
    entry = caseload.audit_trail(session, child.id)[0]
    assert entry["action"] == "delete" and "added by mistake" in entry["detail"]


def test_a_child_under_4_placed_in_supported_accommodation_is_refused(session):
    child = _add(session, child_id="C0003", dob=date(2024, 1, 10))
    with pytest.raises(RuleRefused, match="at least 16"):
        svc.start_period(
            session,
            child.id,
            start=date(2026, 11, 2),
            legal_status="V2",
            category_of_need="N1",
            placement=Placement("K3", "PR4", "M1 1AA"),
        )


def test_the_adoption_decision_and_its_reversal(session):
    child = _add(session, child_id="C0004", dob=date(2022, 1, 10))
    svc.record_adoption_decision(session, child.id, decided_on=date(2025, 5, 1))
    with pytest.raises(ValueError, match="both the date and the reason"):
        svc.record_adoption_decision(
            session, child.id, decided_on=date(2025, 5, 1), ceased_on=date(2025, 9, 1)
        )
    svc.record_adoption_decision(
        session,
        child.id,
        decided_on=date(2025, 5, 1),
        ceased_on=date(2025, 9, 1),
        reason_ceased="RD3",
    )
    (decision,) = svc.find(session, "C0004").adoption_decisions
    assert decision.reason_ceased == "RD3"
