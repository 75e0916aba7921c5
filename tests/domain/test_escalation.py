"""Escalations as an IRO and a manager would notice them: stages, deadlines, refusals, conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.escalation import (
    CHESHIRE_EAST,
    MANCHESTER,
    Category,
    EscalationEvent,
    EscalationProtocol,
    EscalationRaised,
    EscalationState,
    Status,
    add_comment,
    bypass_stages,
    detect_conflict,
    raise_escalation,
    record_response,
    refer_to_cafcass,
    replay,
    resolve,
    send_to_stage,
    withdraw,
)

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
IRO = "amber.iro"
MANAGER = "mo.manager"


def raised(on: date = date(2024, 3, 4), **overrides: Any) -> EscalationRaised:
    fields: dict[str, Any] = {
        "child_ids": ["child-0001", "child-0002"],
        "category": "dispute",
        "issues": ["permanence_drift", "visits_out_of_timescale"],
        "outcome_wanted": "A permanence plan agreed before the second review.",
        "on": on,
        "author": IRO,
        "now": NOW,
    }
    fields.update(overrides)
    return raise_escalation(**fields)


class Escalation:
    """An escalation's event log, as the laptop keeps it."""

    def __init__(self, protocol: EscalationProtocol = MANCHESTER, **raise_args: Any) -> None:
        self.protocol = protocol
        self.events: list[EscalationEvent] = [raised(**raise_args)]

    @property
    def state(self) -> EscalationState:
        return replay(self.protocol, self.events)

    def add(self, *events: EscalationEvent) -> EscalationState:
        self.events.extend(events)
        return self.state

    def send(self, stage: str, on: date, who: str = "Tess Teamlead") -> EscalationState:
        return self.add(send_to_stage(self.state, stage, who, on=on, author=IRO, now=NOW))

    def respond(self, on: date, text: str = "Plan to panel next week.") -> EscalationState:
        event = record_response(self.state, "Tess Teamlead", text, on=on, author=IRO, now=NOW)
        return self.add(event)


# --- raising ------------------------------------------------------------------------------


def test_one_escalation_can_cover_a_sibling_group_with_several_issues() -> None:
    state = Escalation().state
    assert state.child_ids == ("child-0001", "child-0002")
    assert state.issues == ("permanence_drift", "visits_out_of_timescale")
    assert state.status is Status.OPEN
    assert state.next_stage == MANCHESTER.stages[0]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"child_ids": []}, "at least one child"),
        ({"child_ids": ["child-0001", "child-0001"]}, "listed twice"),
        ({"issues": []}, "at least one issue"),
        # Any council's theme key travels (the profile checks the choice); a malformed one does not.
        ({"issues": ["Late minutes!"]}, "Not an escalation issue: 'Late minutes!'"),
        ({"issues": ["other"]}, "detail of the 'other' issue cannot be left blank"),
        ({"outcome_wanted": "  "}, "outcome wanted cannot be left blank"),
        ({"category": "complaint"}, "'complaint' is not an escalation category"),
        ({"category": "partner"}, "None is not a partner agency"),
        ({"category": "partner", "partner_agency": "fire"}, "'fire' is not a partner agency"),
        ({"partner_agency": "health"}, "Only a partner escalation names a partner agency"),
        ({"category": "good_practice"}, "A good practice notification has no issues"),
        ({"on": date(1999, 12, 31)}, "outside 2000-2040"),
        ({"now": datetime(2024, 3, 4, 9, 30)}, "has no time zone"),
    ],
)
def test_raising_refuses_incomplete_or_wrong_details(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        raised(**overrides)


def test_partner_escalations_name_the_agency() -> None:
    event = raised(category="partner", partner_agency="education", issues=["no_casework_activity"])
    assert event.category is Category.PARTNER
    assert event.partner_agency == "education"


def test_a_good_practice_notification_is_noted_and_has_no_stages() -> None:
    log = Escalation(
        category="good_practice",
        issues=[],
        outcome_wanted="",
        detail="The social worker's life-story work with the children was excellent.",
    )
    assert log.state.status is Status.NOTED
    assert log.state.next_stage is None
    with pytest.raises(ValueError, match="good practice notification has no stages"):
        log.send("informal", date(2024, 3, 5))
    with pytest.raises(ValueError, match="good practice notification has no stages"):
        resolve(log.state, "x", "y", on=date(2024, 3, 5), author=IRO, now=NOW)
    # Raised in error: it can still be withdrawn.
    event = withdraw(
        log.state, "Sent for the wrong child.", on=date(2024, 3, 5), author=IRO, now=NOW
    )
    assert log.add(event).status is Status.WITHDRAWN


def test_local_time_is_recorded_in_utc() -> None:
    bst = datetime(2024, 6, 3, 10, 0, tzinfo=UTC).astimezone()
    event = raised(now=bst)
    assert event.recorded_at.utcoffset() == timedelta(0)
    assert event.recorded_at == bst


# --- deadlines ----------------------------------------------------------------------------


def test_the_twenty_working_days_run_across_christmas_and_new_year() -> None:
    log = Escalation(on=date(2023, 12, 20))
    assert log.state.overall_deadline == date(2024, 1, 22)
    state = log.send("informal", date(2023, 12, 20))
    # 21, 22, 27, 28, 29 December: Christmas Day and Boxing Day are not counted.
    assert state.current_stage_deadline == date(2023, 12, 29)


def test_a_stage_deadline_skips_good_friday_and_easter_monday() -> None:
    log = Escalation(on=date(2024, 3, 27))
    state = log.send("informal", date(2024, 3, 27))
    assert state.current_stage_deadline == date(2024, 4, 5)


def test_local_closure_days_from_the_profile_push_deadlines_back() -> None:
    closed = WorkingCalendar([date(2024, 3, 5)])
    events = [raised(on=date(2024, 3, 4))]
    # 20 working days from 4 March 2024 skip Good Friday and Easter Monday.
    assert replay(MANCHESTER, events).overall_deadline == date(2024, 4, 3)
    assert replay(MANCHESTER, events, closed).overall_deadline == date(2024, 4, 4)


def test_overdue_flags_follow_the_stage_and_overall_limits() -> None:
    log = Escalation(protocol=CHESHIRE_EAST, on=date(2024, 3, 4))
    state = log.send("informal_alert", date(2024, 3, 4))
    assert state.current_stage_deadline == date(2024, 3, 11)
    assert not state.stage_overdue(date(2024, 3, 11))
    assert state.stage_overdue(date(2024, 3, 12))
    assert not state.overall_overdue(date(2024, 3, 12))
    assert state.overall_overdue(date(2024, 4, 4))
    # A response stops the stage clock.
    state = log.respond(date(2024, 3, 12))
    assert not state.stage_overdue(date(2024, 3, 20))
    assert state.current_stage is not None and state.current_stage.responded_late


def test_resolution_within_twenty_working_days_is_reported() -> None:
    log = Escalation(on=date(2024, 3, 4))
    log.send("informal", date(2024, 3, 4))
    on_time = log.add(
        resolve(
            log.state,
            "Plan agreed.",
            "Zara knows where she will live.",
            on=date(2024, 4, 3),
            author=MANAGER,
            now=NOW,
        )
    )
    assert on_time.status is Status.RESOLVED
    assert on_time.resolved_within_limit is True
    assert on_time.working_days_open(date(2025, 1, 1)) == 20
    late = Escalation(on=date(2024, 3, 4))
    late_state = late.add(
        resolve(
            late.state, "Plan agreed.", "Settled.", on=date(2024, 4, 4), author=MANAGER, now=NOW
        )
    )
    assert late_state.resolved_within_limit is False
    assert not late_state.overall_overdue(date(2024, 6, 1))  # closed, so no longer overdue


def test_a_cafcass_referral_is_open_ended() -> None:
    log = Escalation(protocol=CHESHIRE_EAST)
    log.add(
        *refer_to_cafcass(
            log.state, "Guardian Grey", "Immediate risk.", on=date(2024, 3, 4), author=IRO, now=NOW
        )
    )
    state = log.state
    assert state.stage_reached is not None and state.stage_reached.key == "cafcass"
    assert state.current_stage_deadline is None
    assert not state.stage_overdue(date(2030, 1, 1))


# --- moving through the stages ------------------------------------------------------------


def test_stages_must_go_forward() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    log.respond(date(2024, 3, 6))
    log.send("formal", date(2024, 3, 7))
    with pytest.raises(
        ValueError, match="Stages must go forward.*'Formal escalation'.*'Informal escalation'"
    ):
        log.send("informal", date(2024, 3, 8))
    with pytest.raises(ValueError, match="Stages must go forward"):
        log.send("formal", date(2024, 3, 8))


def test_skipping_a_stage_needs_a_recorded_bypass() -> None:
    log = Escalation()
    with pytest.raises(ValueError, match="skips Informal escalation. Record a bypass"):
        log.send("formal", date(2024, 3, 4))


def test_a_response_is_needed_before_moving_on_unless_the_stage_ran_out_of_time() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))  # due by 11 March
    with pytest.raises(
        ValueError, match=r"No response from Tess Teamlead .* \(due by 11 March 2024\)"
    ):
        log.send("formal", date(2024, 3, 11))
    # No reply within the 5 working days: escalating is the protocol's answer.
    state = log.send("formal", date(2024, 3, 12))
    assert state.current_stage is not None and state.current_stage.stage.key == "formal"


def test_bypassing_stages_lets_the_escalation_move_on_without_a_response() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    bypass = bypass_stages(
        log.state,
        "head_of_service",
        "Child at risk of losing placement tonight.",
        on=date(2024, 3, 5),
        author=IRO,
        now=NOW,
    )
    assert bypass.skipped_stage_keys == ("formal",)
    log.add(bypass)
    state = log.send("head_of_service", date(2024, 3, 5), who="Hal Headofservice")
    assert [record.stage.key for record in state.stages] == ["informal", "head_of_service"]
    assert state.bypasses[0].reason.startswith("Child at risk")


def test_a_protocol_without_bypass_still_allows_a_referral_to_cafcass_at_any_point() -> None:
    strict = replace(CHESHIRE_EAST, allow_bypass=False)
    four = replace(
        strict,
        stages=(*MANCHESTER.stages[:3], strict.stages[2]),
    )
    log = Escalation(protocol=four)
    log.send("informal", date(2024, 3, 4))
    with pytest.raises(ValueError, match="does not allow stages to be bypassed"):
        bypass_stages(
            log.state, "head_of_service", "Urgent.", on=date(2024, 3, 5), author=IRO, now=NOW
        )
    events = refer_to_cafcass(
        log.state, "Guardian Grey", "Urgent.", on=date(2024, 3, 5), author=IRO, now=NOW
    )
    state = log.add(*events)
    assert [e.kind.value for e in events] == ["stage_bypassed", "sent_to_stage"]
    assert state.stage_reached is not None and state.stage_reached.is_cafcass_referral
    assert state.bypasses[0].stage_keys == ("formal", "head_of_service")


def test_a_response_belongs_to_the_current_stage_and_cannot_predate_it() -> None:
    log = Escalation()
    with pytest.raises(ValueError, match="not been sent to any stage yet"):
        log.respond(date(2024, 3, 4))
    log.send("informal", date(2024, 3, 6))
    with pytest.raises(ValueError, match="response date \\(5 March 2024\\) is before"):
        log.respond(date(2024, 3, 5))


def test_nothing_moves_after_resolution_or_withdrawal() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    log.add(
        resolve(
            log.state,
            "Visits booked.",
            "Zara sees her social worker monthly.",
            on=date(2024, 3, 6),
            author=MANAGER,
            now=NOW,
        )
    )
    with pytest.raises(ValueError, match="already resolved on 6 March 2024 by mo.manager"):
        log.respond(date(2024, 3, 7))
    with pytest.raises(ValueError, match="cannot|already resolved"):
        withdraw(log.state, "No longer needed.", on=date(2024, 3, 7), author=IRO, now=NOW)
    # A comment after closing is still welcome: it is not a move.
    state = log.add(
        add_comment(
            log.state,
            "Checked at the next review: visits happening.",
            on=date(2024, 4, 1),
            author=IRO,
            now=NOW,
        )
    )
    assert len(state.comments) == 1


def test_dates_cannot_come_before_the_escalation_was_raised() -> None:
    log = Escalation(on=date(2024, 3, 4))
    with pytest.raises(ValueError, match="before the escalation was raised"):
        resolve(log.state, "Done.", "Settled.", on=date(2024, 3, 1), author=IRO, now=NOW)
    with pytest.raises(ValueError, match="before the escalation was raised"):
        log.send("informal", date(2024, 3, 1))


# --- replay and conflicts -----------------------------------------------------------------


def test_replay_must_start_with_the_raising() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    with pytest.raises(ValueError, match="must start with 'raised', not sent_to_stage"):
        replay(MANCHESTER, log.events[1:])
    with pytest.raises(ValueError, match="not nothing|nothing"):
        replay(MANCHESTER, [])


def test_a_delivered_twice_event_counts_once() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    state = replay(MANCHESTER, [*log.events, log.events[1], log.events[0]])
    assert len(state.stages) == 1
    assert state.conflicts == ()


def test_manager_resolved_while_the_iro_advanced_offline_is_a_conflict_not_a_loss() -> None:
    office = Escalation()
    office.send("informal", date(2024, 3, 4))
    laptop_events = list(office.events)
    # Offline on the laptop: no reply in time, so the IRO escalates to stage 2.
    laptop = replay(MANCHESTER, laptop_events)
    advance = send_to_stage(
        laptop, "formal", "Lou Localitymanager", on=date(2024, 3, 12), author=IRO, now=NOW
    )
    # Meanwhile in the office the manager resolved it.
    resolution = resolve(
        office.state,
        "Panel date set.",
        "Zara's plan is moving.",
        on=date(2024, 3, 8),
        author=MANAGER,
        now=NOW,
    )
    office.add(resolution)

    conflicts = detect_conflict(office.state, [advance])
    assert len(conflicts) == 1
    assert conflicts[0].event == advance
    assert conflicts[0].blocked_by == resolution
    assert "already resolved on 8 March 2024 by mo.manager" in conflicts[0].reason
    assert "amber.iro's move to stage 'formal'" in conflicts[0].reason

    # In the server's order the IRO's move is kept, visibly, not applied.
    merged = replay(MANCHESTER, [*office.events, advance])
    assert merged.status is Status.RESOLVED
    assert [c.event for c in merged.conflicts] == [advance]


def test_events_already_known_are_not_conflicts() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    assert detect_conflict(log.state, log.events) == ()


def test_two_people_sending_to_the_same_next_stage_conflict() -> None:
    log = Escalation()
    log.send("informal", date(2024, 3, 4))
    log.respond(date(2024, 3, 5))
    mine = send_to_stage(log.state, "formal", "Lou", on=date(2024, 3, 6), author=IRO, now=NOW)
    theirs = send_to_stage(log.state, "formal", "Lou", on=date(2024, 3, 6), author=MANAGER, now=NOW)
    state = log.add(mine)
    (conflict,) = detect_conflict(state, [theirs])
    assert "Stages must go forward" in conflict.reason
    assert conflict.blocked_by is None


# --- properties ---------------------------------------------------------------------------

_DAY = st.integers(min_value=0, max_value=40).map(lambda n: date(2024, 3, 4) + timedelta(days=n))

_move = st.one_of(
    st.tuples(st.just("send"), st.sampled_from([s.key for s in MANCHESTER.stages]), _DAY),
    st.tuples(st.just("respond"), st.just(""), _DAY),
    st.tuples(st.just("bypass"), st.sampled_from([s.key for s in MANCHESTER.stages]), _DAY),
    st.tuples(st.just("resolve"), st.just(""), _DAY),
    st.tuples(st.just("withdraw"), st.just(""), _DAY),
    st.tuples(st.just("comment"), st.just(""), _DAY),
)


def _attempt(state: EscalationState, move: tuple[str, str, date]) -> EscalationEvent:
    kind, key, on = move
    common: dict[str, Any] = {"on": on, "author": IRO, "now": NOW}
    if kind == "send":
        return send_to_stage(state, key, "Someone", **common)
    if kind == "respond":
        return record_response(state, "Someone", "Reply.", **common)
    if kind == "bypass":
        return bypass_stages(state, key, "Urgent.", **common)
    if kind == "resolve":
        return resolve(state, "Done.", "Better for the child.", **common)
    if kind == "withdraw":
        return withdraw(state, "Not needed.", **common)
    return add_comment(state, "Note.", **common)


@settings(max_examples=150, deadline=None)
@given(st.lists(_move, max_size=12))
def test_whatever_the_moves_the_stages_only_ever_go_forward(
    moves: list[tuple[str, str, date]],
) -> None:
    log = Escalation()
    for move in moves:
        try:
            event = _attempt(log.state, move)
        except ValueError:
            continue
        log.add(event)
    state = log.state
    positions = [MANCHESTER.index_of(record.stage.key) for record in state.stages]
    assert positions == sorted(set(positions))
    # Every accepted move replays without conflict, and the dates never run backwards.
    assert state.conflicts == ()
    sent = [record.sent_on for record in state.stages]
    assert sent == sorted(sent)
    if state.status is not Status.OPEN:
        assert state.closed_by is not None and state.next_stage is None


@settings(max_examples=100, deadline=None)
@given(st.lists(_move, max_size=10), st.randoms(use_true_random=False))
def test_replay_in_any_order_never_loses_an_event(
    moves: list[tuple[str, str, date]], rng: Any
) -> None:
    # Events made on two devices from the same starting point, then delivered in any order.
    log = Escalation()
    produced: list[EscalationEvent] = []
    for move in moves:
        try:
            produced.append(_attempt(log.state, move))
        except ValueError:
            continue
        if len(produced) % 2:
            log.add(produced[-1])
    rng.shuffle(produced)
    state = replay(MANCHESTER, [log.events[0], *produced])
    applied = {e.event_id for e in produced} - {c.event.event_id for c in state.conflicts}
    assert state.event_ids == {log.events[0].event_id, *(e.event_id for e in produced)}
    assert len(applied) + len(state.conflicts) == len(produced)
    assert all(conflict.reason for conflict in state.conflicts)
