"""Every create and change, and every opening of a child's record, is attributable."""

from __future__ import annotations

from dataclasses import replace

from iro_desktop.services import caseload


def test_creating_opening_and_changing_a_child_is_audited_with_who(demo_session):
    child = caseload.children(demo_session)[0]
    caseload.open_child(demo_session, child.id)
    caseload.save_child(demo_session, replace(child, preferred_name="Bee"))
    trail = caseload.audit_trail(demo_session, child.id)
    actions = [e["action"] for e in trail]
    assert actions[:2] == ["update", "open"]
    assert all(e["username"] == "ada" for e in trail)


def test_a_new_child_is_audited_as_created(session):
    from datetime import date

    from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare

    child = Child(
        id="",
        la_child_id="TEST-1",
        legal_first_name="Robin",
        legal_last_name="Quillfeather",
        date_of_birth=date(2015, 3, 1),
        sex="X",
        periods=(
            PeriodOfCare(start=date(2026, 1, 5), episodes=(Episode(date(2026, 1, 5), "C2", "U4"),)),
        ),
    )
    saved = caseload.save_child(session, child)
    trail = caseload.audit_trail(session, saved.id)
    assert [e["action"] for e in trail] == ["create"]
    assert caseload.open_child(session, saved.id).name == "Robin Quillfeather"


def test_unlocking_is_audited(session):
    entries = caseload.audit_trail(session)
    assert any(e["entity"] == "caseload" and e["action"] == "create" for e in entries)
