"""Escalations on the IRO's laptop: raising, moving through the protocol's stages, the outbox
written with every move, deadlines from the practice profile, conflicts, the themes report."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.domain.escalation import Resolved
from iro_desktop.services import caseload, escalations, sync
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store import outbox
from iro_desktop.store.escalation_repository import SERVER
from iro_desktop.sync.protocol import item_to_wire

MONDAY = date(2026, 11, 23)  # the `session` fixture's clock: Monday 23 November 2026


def add_child(session, first: str, last: str = "Quillfeather", group: str = "") -> str:
    child = Child(
        id="",
        la_child_id=f"T-{uuid.uuid4().hex[:8]}",
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(2013, 3, 1),
        sex="F",
        sibling_group=group,
        periods=(
            PeriodOfCare(start=date(2025, 1, 6), episodes=(Episode(date(2025, 1, 6), "C2", "U4"),)),
        ),
    )
    return caseload.save_child(session, child).id


def _raise(session, child_ids, **overrides):
    fields = {
        "child_ids": child_ids,
        "category": "dispute",
        "issues": ["visits_out_of_timescale"],
        "outcome_wanted": "Visits every six weeks, as the plan says.",
    }
    fields.update(overrides)
    return escalations.raise_escalation(session, **fields)


def _counts(session) -> tuple[int, int, int]:
    with session.unit_of_work() as s:
        events = events_repo.count_events(s)
        items = len(outbox.items(s))
    audit = len(caseload.audit_trail(session))
    return events, items, audit


def test_a_sibling_group_escalation_is_raised_sent_and_queued_in_one_go(session) -> None:
    mia = add_child(session, "Mia", group="SG-7")
    leo = add_child(session, "Leo", group="SG-7")
    add_child(session, "Ola")
    group = escalations.siblings(session, mia)
    assert {c.id for c in group} == {mia, leo}

    view = _raise(
        session,
        [c.id for c in group],
        issues=["visits_out_of_timescale", "permanence_drift"],
        send_to="Tess Teamlead",
    )
    assert [c.name for c in view.children] == ["Mia Quillfeather", "Leo Quillfeather"]
    assert view.status == "open" and view.category_label == "Dispute resolution"
    assert view.issue_labels == (
        "Statutory visits out of timescale",
        "Drift in permanence planning",
    )
    assert (view.current_stage_key, view.current_recipient) == ("informal", "Tess Teamlead")
    # Manchester: informal stage 5 working days; 20 working days overall.
    assert view.stage_deadline == date(2026, 11, 30)
    assert view.overall_deadline == date(2026, 12, 21)
    assert (view.next_stage_key, view.overdue) == ("formal", False)
    assert (view.events_count, view.unsent) == (2, 2)
    assert [e.sync for e in view.events] == ["waiting", "waiting"]

    queued = sync.outbox_items(session)
    assert [i.kind for i in queued] == ["raised", "sent_to_stage"]
    assert all(i.status == "pending" and i.escalation_id == view.escalation_id for i in queued)
    assert queued[0].payload == item_to_wire(view.state.raised)
    assert queued[0].payload["author"] == "ada"  # no sync user set: the caseload login
    trail = caseload.audit_trail(session, view.escalation_id)
    assert [(e["action"], e["entity"]) for e in trail] == [("create", "escalation")]


def test_each_move_follows_the_protocol_and_a_refused_move_writes_nothing(session) -> None:
    child = add_child(session, "Noor")
    view = _raise(session, [child], send_to="Tess Teamlead")
    ident = view.escalation_id
    before = _counts(session)
    with pytest.raises(ValueError, match="No response from Tess Teamlead"):
        escalations.advance(session, ident, "Lorna Locality")
    with pytest.raises(ValueError, match="skips Formal escalation"):
        escalations.send_to_stage(session, ident, "head_of_service", "Hamid Head")
    assert _counts(session) == before  # nothing half-written, nothing queued, nothing audited

    session.clock.advance(days=2)
    view = escalations.record_response(session, ident, "Tess Teamlead", "We disagree.")
    view = escalations.advance(session, ident, "Lorna Locality")
    assert (view.current_stage_key, view.stage_deadline) == ("formal", date(2026, 12, 2))
    view = escalations.bypass(
        session, ident, "strategic_lead", "The child's safety needs it now.", "Stella Strategic"
    )
    assert view.current_stage_key == "strategic_lead"
    assert view.state.bypasses[0].stage_keys == ("head_of_service",)
    view = escalations.refer_to_cafcass(session, ident, "CAFCASS duty", "No progress at all.")
    assert (view.current_stage_key, view.stage_deadline) == ("cafcass", None)
    view = escalations.add_comment(session, ident, "CAFCASS acknowledged the referral.")
    view = escalations.resolve(
        session, ident, "Plan agreed at court.", "Noor knows where she will live."
    )
    assert (view.status, view.closed_on, view.resolved_within_limit) == (
        "resolved",
        MONDAY + timedelta(days=2),
        True,
    )
    with pytest.raises(ValueError, match="already resolved"):
        escalations.withdraw(session, ident, "Changed my mind.")
    kinds = [i.kind for i in sync.outbox_items(session)]
    assert kinds == ["raised", "sent_to_stage", "response_recorded", "sent_to_stage",
                     "stage_bypassed", "sent_to_stage", "stage_bypassed", "sent_to_stage",
                     "comment", "resolved"]  # fmt: skip
    assert view.events_count == view.unsent == 10
    assert len(caseload.audit_trail(session, ident)) == 7  # raised, then six moves


def test_deadlines_and_stages_come_from_the_practice_profile(session) -> None:
    session.settings.profile = "cheshire_east"
    child = add_child(session, "Pip")
    view = _raise(session, [child], send_to="Tess Teamlead")
    assert view.current_stage_key == "informal_alert"
    assert view.stage_deadline == date(2026, 11, 30)  # 5 working days
    session.clock.advance(days=1)
    escalations.record_response(session, view.escalation_id, "Tess Teamlead", "Not yet.")
    view = escalations.advance(session, view.escalation_id, "Senna Senior")
    assert (view.current_stage_key, view.stage_deadline) == ("formal_alert", date(2026, 12, 8))
    choices = escalations.choices(session)
    assert [s.key for s in choices.stages] == ["informal_alert", "formal_alert", "cafcass"]


def test_overdue_is_worked_out_from_today(session) -> None:
    view = _raise(session, [add_child(session, "Rae")], send_to="Tess Teamlead")
    session.clock.advance(days=7)  # Monday 30 November: the last day for a response
    assert not escalations.list_escalations(session)[0].overdue
    session.clock.advance(days=1)
    listed = escalations.list_escalations(session)[0]
    assert (listed.stage_overdue, listed.overall_overdue, listed.overdue) == (True, False, True)
    session.clock.advance(days=28)
    assert escalations.get_escalation(session, view.escalation_id).overall_overdue


def test_partner_escalations_and_good_practice_notifications(session) -> None:
    child = add_child(session, "Sol")
    with pytest.raises(ValueError, match="not a partner agency"):
        _raise(session, [child], category="partner", partner_agency="zoo")
    partner = _raise(
        session, [child], category="partner", partner_agency="health",
        issues=["no_casework_activity"], outcome_wanted="The health assessment booked.",
    )  # fmt: skip
    praise = _raise(
        session, [child], category="good_practice", issues=[], outcome_wanted="",
        detail="The carers helped Sol chair his review.",
    )  # fmt: skip
    assert (partner.status, partner.partner_agency) == ("open", "health")
    assert (praise.status, praise.overall_deadline, praise.overdue) == ("noted", None, False)
    with pytest.raises(ValueError, match="good practice notification has no stages"):
        escalations.send_to_stage(session, praise.escalation_id, "informal", "Tess")
    assert [v.category for v in escalations.list_escalations(session, child_id=child)] == [
        "partner",
        "good_practice",
    ]
    with pytest.raises(ValueError, match="No child with id nobody"):
        _raise(session, ["nobody"])


def test_text_the_server_would_refuse_is_refused_at_once_and_nothing_is_kept(session) -> None:
    child = add_child(session, "Tam")
    before = _counts(session)
    with pytest.raises(ValueError, match="cannot be sent to the sync server.*20,000"):
        _raise(session, [child], outcome_wanted="x" * 20_001)
    assert _counts(session) == before


def test_unsent_count_and_age_for_the_status_bar(session) -> None:
    assert sync.status(session).words == "Nothing to send · no sync server set"
    view = _raise(session, [add_child(session, "Uma")], send_to="Tess Teamlead")
    session.clock.advance(minutes=90)
    _raise(session, [add_child(session, "Val")])
    status = sync.status(session)
    assert (status.unsent, status.waiting, status.set_aside) == (3, 3, 0)
    assert status.oldest_unsent_age == timedelta(minutes=90)
    assert status.words.startswith("3 unsent (oldest 1 h)")
    with session.unit_of_work() as s:
        outbox.mark_rejected(s, view.state.raised.event_id, "Not yours.", at=session.clock.now())
    assert "1 set aside by the server" in sync.status(session).words


def test_the_log_and_the_outbox_keep_their_promises_in_the_database(session) -> None:
    view = _raise(session, [add_child(session, "Wes")])
    event_id = view.state.raised.event_id
    with pytest.raises(DatabaseError, match="never deleted"), session.unit_of_work() as s:
        s.execute(text("DELETE FROM escalation_events"))
    with pytest.raises(DatabaseError, match="not been sent"), session.unit_of_work() as s:
        s.execute(text("DELETE FROM outbox"))
    with session.unit_of_work() as s:
        events_repo.mark_on_server(s, event_id, 41, session.clock.now())
    with pytest.raises(DatabaseError, match="cannot be changed"), session.unit_of_work() as s:
        s.execute(text("UPDATE escalation_events SET author = 'someone else'"))
    with session.unit_of_work() as s:
        outbox.mark_sent(s, event_id, seq=41, at=session.clock.now())
        s.execute(text("DELETE FROM outbox WHERE status = 'sent'"))  # sent items may go
    assert _counts(session)[:2] == (1, 0)


def _pull_resolution(session, escalation_id: str, seq: int, on: date) -> Resolved:
    """What the sync client stores when it pulls a manager's resolution."""
    resolution = Resolved(
        event_id=uuid.uuid4().hex,
        escalation_id=escalation_id,
        occurred_on=on,
        recorded_at=datetime(2026, 11, 24, 9, tzinfo=UTC),
        author="mo.manager",
        outcome="Resolved with the head of service.",
        difference_for_child="Visits are booked.",
    )
    with session.unit_of_work() as s:
        events_repo.append_event(s, resolution, origin=SERVER, server_seq=seq)
    return resolution


def test_a_conflict_is_listed_for_a_person_and_never_overwritten(session) -> None:
    view = _raise(session, [add_child(session, "Xan")], send_to="Tess Teamlead")
    ident = view.escalation_id
    with session.unit_of_work() as s:  # both already on the server
        for n, stored in enumerate(events_repo.events_of(s, ident), start=1):
            events_repo.mark_on_server(s, stored.event.event_id, n, session.clock.now())
    session.clock.advance(days=2)
    escalations.record_response(session, ident, "Tess Teamlead", "Declined.")
    moved = escalations.advance(session, ident, "Lorna Locality")
    assert moved.current_stage_key == "formal"
    # The manager had resolved it the day before; it arrives in the server's order.
    _pull_resolution(session, ident, seq=3, on=MONDAY + timedelta(days=1))

    after = escalations.get_escalation(session, ident)
    assert after.status == "resolved"
    assert [e.author for e in after.events] == ["ada", "ada", "mo.manager", "ada", "ada"]
    assert [e.sync for e in after.events] == ["on_server", "on_server", "from_server",
                                              "waiting", "waiting"]  # fmt: skip
    found = escalations.conflicts(session)
    assert [c.kind for c in found] in (
        ["response_recorded", "sent_to_stage"],
        ["sent_to_stage", "response_recorded"],
    )
    assert all(c.blocked_by_author == "mo.manager" and c.blocked_by_kind == "resolved"
               for c in found)  # fmt: skip
    assert "already resolved on 24 November 2026 by mo.manager" in found[0].reason
    assert after.undecided_conflicts == 2

    with pytest.raises(ValueError, match="Say what was decided"):
        escalations.settle_conflict(session, found[0].event_id, "  ")
    assert escalations.settle_conflict(session, found[0].event_id, "Agreed with Mo.") is None
    again = escalations.settle_conflict(
        session, found[1].event_id, "Not resolved for Xan.", raise_again=True
    )
    with pytest.raises(ValueError, match="already been settled"):
        escalations.settle_conflict(session, found[1].event_id, "Twice.")
    assert escalations.conflicts(session) == []
    decided = escalations.conflicts(session, include_decided=True)
    assert sorted(c.decision for c in decided) == ["noted", "raised_again"]
    assert again is not None and again.status == "open" and again.issues == view.issues
    assert f"after escalation {ident}" in again.detail
    comments = [e for e in escalations.get_escalation(session, ident).events if e.kind == "comment"]
    assert [c.words for c in comments] == [
        "Comment: Conflict settled: Agreed with Mo.",
        "Comment: Conflict settled: Not resolved for Xan.",
    ]


def test_events_of_an_escalation_this_caseload_never_saw_start_are_listed_not_dropped(
    session,
) -> None:
    orphan = _pull_resolution(session, uuid.uuid4().hex, seq=9, on=MONDAY)
    assert escalations.list_escalations(session) == []
    (found,) = escalations.conflicts(session)
    assert found.event_id == orphan.event_id and "does not hold the start" in found.reason
    escalations.settle_conflict(session, orphan.event_id, "Restored from an old backup; noted.")
    assert escalations.conflicts(session) == []


def test_correcting_or_retrying_a_set_aside_item(session) -> None:
    view = _raise(session, [add_child(session, "Yas")])
    event_id = view.state.raised.event_id
    with pytest.raises(ValueError, match="Only an item the server set aside"):
        sync.retry_set_aside(session, event_id)
    with session.unit_of_work() as s:
        outbox.mark_rejected(s, event_id, "Author not signed in.", at=session.clock.now())
    assert sync.retry_set_aside(session, event_id).status == "pending"
    with session.unit_of_work() as s:
        outbox.mark_rejected(s, event_id, "Author not signed in.", at=session.clock.now())
    with pytest.raises(ValueError, match="Unknown field"):
        sync.correct_set_aside(session, event_id, {"colour": "blue"})
    fixed = sync.correct_set_aside(session, event_id, {"author": "ada.iro", "service": "North"})
    assert fixed.status == "pending" and fixed.edited_at is not None
    after = escalations.get_escalation(session, view.escalation_id)
    assert (after.raised_by, after.service) == ("ada.iro", "North")
    assert fixed.payload == item_to_wire(after.state.raised)
    trail = caseload.audit_trail(session, event_id)
    assert [e["detail"] for e in trail][0].startswith("set-aside item corrected (author, service)")


def test_the_quarterly_themes_report(session) -> None:
    a, b = add_child(session, "Zed", group="SG-2"), add_child(session, "Zoe", group="SG-2")
    _raise(session, [a, b], issues=["permanence_drift", "no_pathway_plan"], send_to="Tess")
    _raise(session, [a], category="partner", partner_agency="police", issues=["other"],
           detail="Return interviews not shared.", outcome_wanted="Shared within 72 hours.")  # fmt: skip
    _raise(session, [b], category="good_practice", issues=[], outcome_wanted="",
           detail="A lovely life-story book.")  # fmt: skip
    report = escalations.quarterly_themes_report(session, 2026, 3)  # October to December
    assert (report.start, report.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (report.raised, report.children) == (2, 3)
    assert report.by_theme["permanence_drift"] == 1
    assert report.children_by_theme["permanence_drift"] == 2
    assert report.by_stage_reached == {"not_sent": 1, "informal": 1}
    assert (report.partner_escalations, report.partner_by_agency["police"]) == (1, 1)
    assert report.good_practice_notifications == 1
    assert escalations.quarterly_themes_report(session, 2026, 1).raised == 0


def test_opening_an_escalation_is_audited(session) -> None:
    view = _raise(session, [add_child(session, "Abe")])
    escalations.get_escalation(session, view.escalation_id)
    assert [e["action"] for e in caseload.audit_trail(session, view.escalation_id)] == [
        "open",
        "create",
    ]
    with pytest.raises(LookupError, match="No escalation"):
        escalations.get_escalation(session, "0" * 32)


def test_a_move_waits_for_the_sync_thread_instead_of_failing(session) -> None:
    view = _raise(session, [add_child(session, "Bea")], send_to="Tess Teamlead")
    holding = threading.Event()
    released_at: list[float] = []

    def sync_thread_writes() -> None:
        with session.unit_of_work() as s:
            session.audit(s, "export", "sync", "test", "a pull being applied")
            s.flush()
            holding.set()
            time.sleep(0.4)
            released_at.append(time.monotonic())

    worker = threading.Thread(target=sync_thread_writes)
    worker.start()
    holding.wait(5)
    session.clock.advance(days=1)
    escalations.record_response(session, view.escalation_id, "Tess Teamlead", "Agreed.")
    finished = time.monotonic()
    worker.join()
    assert finished >= released_at[0]
    assert escalations.get_escalation(session, view.escalation_id).state.current_stage.responded


def test_a_councils_own_themes_are_offered_counted_and_never_folded_into_other(session) -> None:
    session.settings.profile = "cheshire_east"
    child = add_child(session, "Pip")
    offered = escalations.choices(session)
    assert offered.themes["non_compliance"] == "Non-compliance with statutory requirements"
    assert "bail_conditions" in offered.themes_for("partner")
    assert "bail_conditions" not in offered.themes_for("dispute")
    view = _raise(session, [child], issues=["non_compliance", "no_management_oversight"])
    assert view.issue_labels == (
        "Non-compliance with statutory requirements",
        "No evidence of management oversight",
    )
    _raise(
        session,
        [child],
        category="partner",
        partner_agency="police",
        issues=["bail_conditions"],
        outcome_wanted="Bail conditions that let the plan go ahead.",
    )
    report = escalations.themes_report(session, MONDAY, MONDAY)
    assert report.by_theme["non_compliance"] == 1
    assert report.by_theme["bail_conditions"] == 1
    assert report.by_theme.get("other", 0) == 0
    # A theme this profile does not list is refused at the form, with the profile's choices.
    with pytest.raises(ValueError, match="not an issue in this practice profile"):
        _raise(session, [child], issues=["age_assessment_delay"])


def test_an_escalation_raised_under_another_profile_keeps_its_theme_here(session) -> None:
    child = add_child(session, "Pip")  # raised under Manchester's themes ...
    view = _raise(session, [child], issues=["sgo_assessment_delay"])
    session.settings.profile = "cheshire_east"  # ... read under Cheshire East's
    again = escalations.get_escalation(session, view.escalation_id)
    assert again.issue_labels == ("Delay in SGO assessment",)
    report = escalations.themes_report(session, MONDAY, MONDAY)
    assert report.by_theme["sgo_assessment_delay"] == 1
