"""The moves an IRO or manager makes on an escalation.

Each function checks the move against the current state and returns the one new event to
append (or raises ValueError saying why not). The checks are escalation_state.check_event, the
same rules replay uses, so what the program lets you do and what it later accepts agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TypeVar

from iro_desktop.domain.escalation_events import (
    Category,
    Comment,
    EscalationEvent,
    EscalationRaised,
    Resolved,
    ResponseRecorded,
    SentToStage,
    StageBypassed,
    Withdrawn,
    new_id,
)
from iro_desktop.domain.escalation_state import (
    EscalationState,
    apply_event,
    check_event,
)


def _utc(now: datetime) -> datetime:
    if now.utcoffset() is None:
        raise ValueError(f"The time {now.isoformat()} has no time zone; give it in UTC.")
    return now.astimezone(UTC)


E = TypeVar("E", bound=EscalationEvent)


def _checked(state: EscalationState, event: E) -> E:
    reason = check_event(state, event)
    if reason is not None:
        raise ValueError(reason)
    return event


def raise_escalation(
    *,
    child_ids: Sequence[str],
    category: Category | str,
    issues: Sequence[str],
    outcome_wanted: str,
    on: date,
    author: str,
    now: datetime,
    detail: str = "",
    partner_agency: str | None = None,
    service: str = "",
    escalation_id: str | None = None,
    event_id: str | None = None,
) -> EscalationRaised:
    try:
        category = Category(category)
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise ValueError(f"{category!r} is not an escalation category. Use: {allowed}.") from None
    return EscalationRaised(
        event_id=event_id or new_id(),
        escalation_id=escalation_id or new_id(),
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        child_ids=tuple(child_ids),
        category=category,
        issues=tuple(issues),
        outcome_wanted=outcome_wanted,
        detail=detail,
        partner_agency=partner_agency,
        service=service,
    )


def send_to_stage(
    state: EscalationState,
    stage_key: str,
    recipient: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> SentToStage:
    event = SentToStage(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        stage_key=stage_key,
        recipient=recipient,
    )
    return _checked(state, event)


def record_response(
    state: EscalationState,
    responder: str,
    text: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> ResponseRecorded:
    current = state.current_stage
    if current is None:
        raise ValueError(
            "The escalation has not been sent to any stage yet, so there is no response."
        )
    event = ResponseRecorded(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        stage_key=current.stage.key,
        responder=responder,
        text=text,
    )
    return _checked(state, event)


def bypass_stages(
    state: EscalationState,
    to_stage_key: str,
    reason: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> StageBypassed:
    """Skip every stage between where the escalation is and `to_stage_key`."""
    protocol = state.protocol
    target = protocol.index_of(to_stage_key)
    skipped = tuple(stage.key for stage in protocol.stages[state.position + 1 : target])
    if not skipped:
        name = protocol.stages[target].name
        raise ValueError(
            f"There is nothing to bypass before '{name}': it is not further on than the next stage."
        )
    event = StageBypassed(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        skipped_stage_keys=skipped,
        reason=reason,
    )
    return _checked(state, event)


def refer_to_cafcass(
    state: EscalationState,
    recipient: str,
    reason: str,
    *,
    on: date,
    author: str,
    now: datetime,
) -> tuple[EscalationEvent, ...]:
    """The IRO may refer to CAFCASS at any point: a bypass (when stages are skipped) + send."""
    cafcass = state.protocol.cafcass_stage
    if cafcass is None:
        raise ValueError(f"The {state.protocol.name} has no CAFCASS referral stage.")
    events: list[EscalationEvent] = []
    after = state
    if state.protocol.index_of(cafcass.key) > state.position + 1:
        bypass = bypass_stages(state, cafcass.key, reason, on=on, author=author, now=now)
        events.append(bypass)
        after = apply_event(state, bypass)
    events.append(send_to_stage(after, cafcass.key, recipient, on=on, author=author, now=now))
    return tuple(events)


def resolve(
    state: EscalationState,
    outcome: str,
    difference_for_child: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> Resolved:
    event = Resolved(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        outcome=outcome,
        difference_for_child=difference_for_child,
    )
    return _checked(state, event)


def withdraw(
    state: EscalationState,
    reason: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> Withdrawn:
    event = Withdrawn(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        reason=reason,
    )
    return _checked(state, event)


def add_comment(
    state: EscalationState,
    text: str,
    *,
    on: date,
    author: str,
    now: datetime,
    event_id: str | None = None,
) -> Comment:
    event = Comment(
        event_id=event_id or new_id(),
        escalation_id=state.escalation_id,
        occurred_on=on,
        recorded_at=_utc(now),
        author=author,
        text=text,
    )
    return _checked(state, event)
