"""The wire format: what a laptop sends round-trips exactly, and anything else is refused
with a reason (never half-read)."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_desktop.domain.escalation import (
    MANCHESTER,
    EscalationEvent,
    add_comment,
    bypass_stages,
    raise_escalation,
    record_response,
    replay,
    resolve,
    send_to_stage,
    withdraw,
)
from iro_desktop.sync.protocol import (
    MAX_BATCH_ITEMS,
    MAX_TEXT_CHARS,
    PROTOCOL_VERSION,
    Decision,
    ItemResult,
    ItemStatus,
    ProtocolError,
    PulledItem,
    PullResponse,
    PushBatch,
    PushResponse,
    SignoffDecision,
    SignoffSubmission,
    SyncItem,
    batch_to_wire,
    decode_batch,
    escalation_event_from_wire,
    item_from_wire,
    item_to_wire,
    pull_response_from_wire,
    pull_response_to_wire,
    push_response_from_wire,
    push_response_to_wire,
)

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
IRO = "amber.iro"


def every_event_kind() -> list[EscalationEvent]:
    first = raise_escalation(
        child_ids=["child-0001", "child-0002"],
        category="partner",
        partner_agency="health",
        issues=["other", "permanence_drift"],
        outcome_wanted="A CAMHS appointment offered within four weeks.",
        detail="Zara has waited 14 weeks; the plan says “urgent” — ça suffit.",
        service="Children in care team 2",
        on=date(2024, 3, 4),
        author=IRO,
        now=NOW,
    )
    events: list[EscalationEvent] = [first]

    def then(make: Any, *args: Any, **kwargs: Any) -> None:
        state = replay(MANCHESTER, events)
        events.append(make(state, *args, on=date(2024, 3, 5), author=IRO, now=NOW, **kwargs))

    then(send_to_stage, "informal", "Tess Teamlead")
    then(record_response, "Tess Teamlead", "Referral chased today.")
    then(bypass_stages, "head_of_service", "No movement and risk rising.")
    then(send_to_stage, "head_of_service", "Hal Headofservice")
    then(add_comment, "Phoned Hal's office.")
    then(resolve, "Appointment booked.", "Zara starts sessions next week.")
    withdrawn = withdraw(
        replay(MANCHESTER, events[:1]), "Raised in error.", on=date(2024, 3, 5), author=IRO, now=NOW
    )
    return [*events, withdrawn]


def submission(**overrides: Any) -> SignoffSubmission:
    fields: dict[str, Any] = {
        "item_id": "a" * 32,
        "review_id": "review-0042",
        "version": 2,
        "content_hash": hashlib.sha256(b"Dear Zara, ...").hexdigest(),
        "child_ids": ("child-0001",),
        "submitted_by": IRO,
        "submitted_at": NOW,
    }
    fields.update(overrides)
    return SignoffSubmission(**fields)


def decision(**overrides: Any) -> SignoffDecision:
    fields: dict[str, Any] = {
        "item_id": "b" * 32,
        "submission_id": "a" * 32,
        "decision": Decision.RETURNED,
        "comment": "Please explain 'care plan' in words Zara uses.",
        "decided_by": "mo.manager",
        "decided_at": NOW,
    }
    fields.update(overrides)
    return SignoffDecision(**fields)


ALL_ITEMS: list[SyncItem] = [*every_event_kind(), submission(), decision()]


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: str(item.kind))
def test_every_kind_of_item_round_trips_through_json(item: SyncItem) -> None:
    wire = json.loads(json.dumps(item_to_wire(item)))
    assert wire["kind"] == str(item.kind)
    assert item_from_wire(wire) == item


def test_times_in_other_zones_arrive_as_utc() -> None:
    wire = item_to_wire(ALL_ITEMS[0])
    wire["recorded_at"] = "2024-03-04T10:30:00+01:00"
    assert item_from_wire(wire).recorded_at == NOW  # type: ignore[union-attr]
    wire["recorded_at"] = "2024-03-04T09:30:00Z"
    assert item_from_wire(wire).recorded_at == NOW  # type: ignore[union-attr]


def _raised_wire() -> dict[str, Any]:
    return item_to_wire(ALL_ITEMS[0])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda w: w.update(kind="meeting_booked"), "Unknown item kind 'meeting_booked'"),
        (lambda w: w.pop("kind"), "Unknown item kind None"),
        (lambda w: w.pop("author"), "missing field(s): author"),
        (lambda w: w.update(colour="red"), "unknown field(s): colour"),
        (
            lambda w: w.update(child_ids="child-0001"),
            "'child_ids' must be a list of strings, not str",
        ),
        (lambda w: w.update(child_ids=[1]), "'child_ids[0]' must be a string, not int"),
        (
            lambda w: w.update(detail="x" * (MAX_TEXT_CHARS + 1)),
            "'detail' is 20,001 characters long; the limit is 20,000",
        ),
        (lambda w: w.update(author="x" * 201), "'author' is 201 characters long; the limit is 200"),
        (
            lambda w: w.update(child_ids=[f"c{i}" for i in range(51)]),
            "has 51 entries; the limit is 50",
        ),
        (lambda w: w.update(occurred_on="04/03/2024"), "must be a date as YYYY-MM-DD"),
        (lambda w: w.update(occurred_on="2024-02-30"), "not a real date: '2024-02-30'"),
        (lambda w: w.update(recorded_at="2024-03-04T09:30:00"), "must include a time zone"),
        (lambda w: w.update(recorded_at=1709544600), "must be an ISO 8601 time string"),
        (
            lambda w: w.update(category="complaint"),
            "'category' must be one of dispute, partner, good_practice",
        ),
        (lambda w: w.update(issues=["Late minutes!"]), "Not an escalation issue: 'Late minutes!'"),
        (lambda w: w.update(id="not-a-uuid"), "event id 'not-a-uuid' is not a 32-character"),
        (lambda w: w.update(occurred_on="1999-01-01"), "outside 2000-2040"),
    ],
)
def test_a_bad_item_is_refused_with_the_reason(change: Any, reason: str) -> None:
    wire = copy.deepcopy(_raised_wire())
    change(wire)
    with pytest.raises(ProtocolError) as refused:
        item_from_wire(wire)
    assert reason in refused.value.reason


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda w: w.update(version=True), "'version' must be a whole number, not bool"),
        (lambda w: w.update(version=0), "Versions start at 1, not 0"),
        (lambda w: w.update(content_hash="abc"), "not a SHA-256 hex digest"),
        (lambda w: w.update(child_ids=[]), "must name the child"),
    ],
)
def test_a_bad_signoff_submission_is_refused(change: Any, reason: str) -> None:
    wire = item_to_wire(submission())
    change(wire)
    with pytest.raises(ProtocolError, match=reason):
        item_from_wire(wire)


def test_a_returned_review_needs_a_comment() -> None:
    with pytest.raises(ValueError, match="returned submission needs a comment"):
        decision(comment="  ")
    wire = item_to_wire(decision())
    wire["comment"] = "  "
    with pytest.raises(ProtocolError, match="returned submission needs a comment"):
        item_from_wire(wire)
    approved = item_from_wire(item_to_wire(decision(decision=Decision.APPROVED, comment="")))
    assert isinstance(approved, SignoffDecision) and approved.decision is Decision.APPROVED


def test_only_escalation_events_are_taken_where_one_is_expected() -> None:
    with pytest.raises(ProtocolError, match="Expected an escalation event, not a 'signoff' item"):
        escalation_event_from_wire(item_to_wire(submission()))


def test_a_batch_with_one_bad_item_keeps_the_good_ones() -> None:
    wire = batch_to_wire(PushBatch("laptop-7", tuple(ALL_ITEMS[:3])))
    wire["items"].insert(1, {"kind": "telepathy", "id": "c" * 32})
    wire["items"].append("not an object")
    decoded = decode_batch(json.loads(json.dumps(wire)))
    assert decoded.client_id == "laptop-7"
    assert [entry.item for entry in decoded.items] == [ALL_ITEMS[0], None, *ALL_ITEMS[1:3], None]
    assert decoded.items[1].item_id == "c" * 32
    assert decoded.items[1].error is not None and "telepathy" in decoded.items[1].error
    assert decoded.items[4].error == "An item must be a JSON object, not str."


@pytest.mark.parametrize(
    ("envelope", "reason"),
    [
        ([], "must be a JSON object, not list"),
        ({"protocol": 1, "client_id": "x"}, "missing field(s): items"),
        ({"protocol": 2, "client_id": "x", "items": []}, "Protocol version 2 is not supported"),
        ({"protocol": "1", "client_id": "x", "items": []}, "Protocol version '1' is not supported"),
        ({"protocol": 1, "client_id": "my laptop!", "items": []}, "client_id must be"),
        ({"protocol": 1, "client_id": "x", "items": {}}, "'items' must be a list"),
        (
            {"protocol": 1, "client_id": "x", "items": [{}] * (MAX_BATCH_ITEMS + 1)},
            "at most 500 items",
        ),
        ({"protocol": 1, "client_id": "x", "items": [], "extra": 1}, "unknown field(s): extra"),
    ],
)
def test_a_bad_batch_envelope_is_refused_whole(envelope: Any, reason: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_batch(envelope)
    assert reason in refused.value.reason


def test_push_and_pull_responses_round_trip() -> None:
    pushed = PushResponse(
        results=(
            ItemResult(0, "a" * 32, ItemStatus.ACCEPTED, seq=7, conflict="Already resolved."),
            ItemResult(1, "b" * 32, ItemStatus.DUPLICATE, seq=3),
            ItemResult(2, None, ItemStatus.REJECTED, reason="Unknown item kind 'x'."),
        )
    )
    assert push_response_from_wire(json.loads(json.dumps(push_response_to_wire(pushed)))) == pushed
    pulled = PullResponse(
        cursor=12,
        more=True,
        items=(
            PulledItem(seq=9, received_at=NOW, item=ALL_ITEMS[5]),
            PulledItem(10, NOW, decision()),
        ),
    )
    assert pull_response_from_wire(json.loads(json.dumps(pull_response_to_wire(pulled)))) == pulled
    assert push_response_to_wire(pushed)["protocol"] == PROTOCOL_VERSION


def test_a_response_from_a_newer_server_is_refused() -> None:
    wire = pull_response_to_wire(PullResponse(cursor=0, items=(), more=False))
    wire["protocol"] = 2
    with pytest.raises(ProtocolError, match="Protocol version 2 is not supported"):
        pull_response_from_wire(wire)


_texts = st.text(max_size=300).filter(lambda t: t.strip() != "")


@settings(max_examples=60, deadline=None)
@given(
    outcome=_texts,
    detail=st.text(max_size=300),
    children=st.lists(
        st.from_regex(r"[A-Za-z0-9_.:-]{1,64}", fullmatch=True), min_size=1, max_size=5, unique=True
    ),
    issues=st.lists(
        st.sampled_from(["no_casework_activity", "permanence_drift", "care_plan_not_updated"]),
        min_size=1,
        unique=True,
    ),
    offset=st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_valid_raising_round_trips(
    outcome: str, detail: str, children: list[str], issues: list[str], offset: int
) -> None:
    local = NOW.astimezone(timezone(timedelta(minutes=offset)))
    event = raise_escalation(
        child_ids=children,
        category="dispute",
        issues=issues,
        outcome_wanted=outcome,
        detail=detail,
        on=date(2024, 3, 4),
        author=IRO,
        now=local,
    )
    assert item_from_wire(json.loads(json.dumps(item_to_wire(event)))) == event
