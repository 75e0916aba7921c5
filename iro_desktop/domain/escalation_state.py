"""Folding an escalation's events into what the IRO and the manager see.

The same rules decide three things, so they cannot drift apart: whether a new move is allowed
(the command layer), how a log of events is replayed (events that do not fit are kept aside
with their reason, never dropped), and which incoming events from another device conflict
with what is already known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.escalation_events import (
    Category,
    Comment,
    EscalationEvent,
    EscalationRaised,
    EventKind,
    Resolved,
    ResponseRecorded,
    SentToStage,
    StageBypassed,
    Withdrawn,
)
from iro_desktop.domain.escalation_protocol import EscalationProtocol, Stage


class Status(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"
    # A good practice notification is recorded and counted; there is nothing to resolve.
    NOTED = "noted"


def say_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass(frozen=True)
class StageResponse:
    responder: str
    text: str
    received_on: date
    recorded_by: str
    event_id: str


@dataclass(frozen=True)
class StageRecord:
    stage: Stage
    recipient: str
    sent_on: date
    sent_by: str
    # None when the stage is open-ended (a referral to CAFCASS).
    deadline: date | None
    event_id: str
    responses: tuple[StageResponse, ...] = ()

    @property
    def responded(self) -> bool:
        return bool(self.responses)

    @property
    def responded_on(self) -> date | None:
        return self.responses[0].received_on if self.responses else None

    def overdue(self, today: date) -> bool:
        """No response yet and the stage's time limit has passed."""
        return self.deadline is not None and not self.responded and today > self.deadline

    @property
    def responded_late(self) -> bool:
        first = self.responded_on
        return self.deadline is not None and first is not None and first > self.deadline


@dataclass(frozen=True)
class Bypass:
    stage_keys: tuple[str, ...]
    reason: str
    on: date
    by: str
    event_id: str


@dataclass(frozen=True)
class Conflict:
    """An event that could not be applied, kept with its reason for a person to look at."""

    event: EscalationEvent
    reason: str
    # The resolution or withdrawal that came first, when that is why the event did not fit.
    blocked_by: Resolved | Withdrawn | None = None


@dataclass(frozen=True)
class EscalationState:
    protocol: EscalationProtocol
    raised: EscalationRaised
    status: Status
    overall_deadline: date
    calendar: WorkingCalendar = field(compare=False, repr=False)
    stages: tuple[StageRecord, ...] = ()
    bypasses: tuple[Bypass, ...] = ()
    # Index in protocol.stages of the furthest stage sent to or bypassed; -1 before any.
    position: int = -1
    closed_by: Resolved | Withdrawn | None = None
    comments: tuple[Comment, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    event_ids: frozenset[str] = frozenset()

    @property
    def escalation_id(self) -> str:
        return self.raised.escalation_id

    @property
    def raised_on(self) -> date:
        return self.raised.occurred_on

    @property
    def raised_by(self) -> str:
        return self.raised.author

    @property
    def child_ids(self) -> tuple[str, ...]:
        return self.raised.child_ids

    @property
    def category(self) -> Category:
        return self.raised.category

    @property
    def issues(self) -> tuple[str, ...]:
        return self.raised.issues

    @property
    def is_open(self) -> bool:
        return self.status is Status.OPEN

    @property
    def current_stage(self) -> StageRecord | None:
        """The stage it was last sent to (still shown once closed, as the stage reached)."""
        return self.stages[-1] if self.stages else None

    @property
    def stage_reached(self) -> Stage | None:
        current = self.current_stage
        return current.stage if current else None

    @property
    def current_stage_deadline(self) -> date | None:
        current = self.current_stage
        return current.deadline if current and self.is_open else None

    @property
    def next_stage(self) -> Stage | None:
        if not self.is_open or self.position + 1 >= len(self.protocol.stages):
            return None
        return self.protocol.stages[self.position + 1]

    @property
    def closed_on(self) -> date | None:
        return self.closed_by.occurred_on if self.closed_by else None

    @property
    def resolved_on(self) -> date | None:
        return self.closed_on if self.status is Status.RESOLVED else None

    @property
    def resolved_within_limit(self) -> bool | None:
        """Resolved within the overall limit (20 working days); None unless resolved."""
        resolved_on = self.resolved_on
        return None if resolved_on is None else resolved_on <= self.overall_deadline

    def overall_overdue(self, today: date) -> bool:
        return self.is_open and today > self.overall_deadline

    def stage_overdue(self, today: date) -> bool:
        current = self.current_stage
        return self.is_open and current is not None and current.overdue(today)

    def working_days_open(self, today: date) -> int:
        end = self.closed_on or today
        return self.calendar.working_days_between(self.raised_on, end)


def start(
    protocol: EscalationProtocol,
    raised: EscalationRaised,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> EscalationState:
    status = Status.NOTED if raised.category is Category.GOOD_PRACTICE else Status.OPEN
    return EscalationState(
        protocol=protocol,
        raised=raised,
        status=status,
        overall_deadline=calendar.add_working_days(
            raised.occurred_on, protocol.overall_limit_working_days
        ),
        calendar=calendar,
        event_ids=frozenset({raised.event_id}),
    )


_WHAT = {
    EventKind.RAISED: "raising",
    EventKind.SENT_TO_STAGE: "move to a stage",
    EventKind.RESPONSE_RECORDED: "record of a response",
    EventKind.STAGE_BYPASSED: "bypass of stages",
    EventKind.RESOLVED: "resolution",
    EventKind.WITHDRAWN: "withdrawal",
    EventKind.COMMENT: "comment",
}


def _what(event: EscalationEvent) -> str:
    if isinstance(event, SentToStage):
        return f"move to stage '{event.stage_key}'"
    return _WHAT[event.kind]


def _closed_reason(state: EscalationState, event: EscalationEvent) -> str | None:
    what = _what(event)
    closed = state.closed_by
    if closed is not None:
        verb = "resolved" if isinstance(closed, Resolved) else "withdrawn"
        return (
            f"The escalation was already {verb} on {say_date(closed.occurred_on)} by "
            f"{closed.author}, so {event.author}'s {what} dated "
            f"{say_date(event.occurred_on)} was not applied."
        )
    if state.status is Status.NOTED and not isinstance(event, Withdrawn):
        return f"A good practice notification has no stages, so a {what} cannot be added."
    return None


def _check_send(state: EscalationState, event: SentToStage) -> str | None:
    protocol = state.protocol
    try:
        target = protocol.index_of(event.stage_key)
    except ValueError as error:
        return str(error)
    stage = protocol.stages[target]
    if target <= state.position:
        furthest = protocol.stages[state.position]
        return (
            f"Stages must go forward: the escalation is already at or past '{furthest.name}', "
            f"so it cannot be sent to '{stage.name}'."
        )
    if target > state.position + 1:
        skipped = ", ".join(s.name for s in protocol.stages[state.position + 1 : target])
        return (
            f"Sending to '{stage.name}' skips {skipped}. Record a bypass of those stages, "
            "with the reason, first."
        )
    current = state.current_stage
    if current is not None:
        if event.occurred_on < current.sent_on:
            return (
                f"The date sent ({say_date(event.occurred_on)}) is before the previous stage "
                f"was sent ({say_date(current.sent_on)})."
            )
        bypassed_since = state.position > protocol.index_of(current.stage.key)
        # No response yet is fine when the last stage's time ran out: escalating is the
        # protocol's answer to a late reply.
        waited = current.deadline is not None and event.occurred_on > current.deadline
        if not (current.responded or bypassed_since or waited or stage.is_cafcass_referral):
            due = f" (due by {say_date(current.deadline)})" if current.deadline else ""
            return (
                f"No response from {current.recipient} at '{current.stage.name}' has been "
                f"recorded yet{due}. Record the response before moving to '{stage.name}', "
                "or bypass stages with a reason."
            )
    elif event.occurred_on < state.raised_on:
        return (
            f"The date sent ({say_date(event.occurred_on)}) is before the escalation was "
            f"raised ({say_date(state.raised_on)})."
        )
    return None


def _check_response(state: EscalationState, event: ResponseRecorded) -> str | None:
    current = state.current_stage
    if current is None:
        return "The escalation has not been sent to any stage yet, so there is no response."
    if event.stage_key != current.stage.key:
        return (
            f"The response is for stage '{event.stage_key}', but the escalation is now at "
            f"'{current.stage.name}' ({current.stage.key})."
        )
    if event.occurred_on < current.sent_on:
        return (
            f"The response date ({say_date(event.occurred_on)}) is before the escalation was "
            f"sent to '{current.stage.name}' ({say_date(current.sent_on)})."
        )
    return None


def _check_bypass(state: EscalationState, event: StageBypassed) -> str | None:
    protocol = state.protocol
    keys = event.skipped_stage_keys
    for key in keys:
        try:
            protocol.stage(key)
        except ValueError as error:
            return str(error)
    start_at = state.position + 1
    expected = tuple(s.key for s in protocol.stages[start_at : start_at + len(keys)])
    if keys != expected:
        return (
            f"Only the stages that come next can be bypassed, in order "
            f"(next: {', '.join(s.key for s in protocol.stages[start_at:]) or 'none'}); "
            f"asked to bypass {', '.join(keys)}."
        )
    after = start_at + len(keys)
    if after >= len(protocol.stages):
        return "The last stage cannot be bypassed: there would be nowhere left to escalate to."
    target = protocol.stages[after]
    if not protocol.allow_bypass and not target.is_cafcass_referral:
        return (
            f"The {protocol.name} does not allow stages to be bypassed; only a referral to "
            "CAFCASS may skip stages."
        )
    earliest = state.current_stage.sent_on if state.current_stage else state.raised_on
    if event.occurred_on < earliest:
        return f"The bypass date ({say_date(event.occurred_on)}) is before {say_date(earliest)}."
    return None


def check_event(state: EscalationState, event: EscalationEvent) -> str | None:
    """Why `event` cannot follow `state`, or None when it can."""
    if event.escalation_id != state.escalation_id:
        raise ValueError(
            f"Event {event.event_id} belongs to escalation {event.escalation_id}, "
            f"not {state.escalation_id}."
        )
    if isinstance(event, EscalationRaised):
        return (
            f"This escalation was already raised on {say_date(state.raised_on)} by "
            f"{state.raised_by}."
        )
    if isinstance(event, Comment):
        if event.occurred_on < state.raised_on:
            return (
                f"The comment's date ({say_date(event.occurred_on)}) is before the "
                f"escalation was raised ({say_date(state.raised_on)})."
            )
        return None
    closed = _closed_reason(state, event)
    if closed:
        return closed
    if isinstance(event, SentToStage):
        return _check_send(state, event)
    if isinstance(event, ResponseRecorded):
        return _check_response(state, event)
    if isinstance(event, StageBypassed):
        return _check_bypass(state, event)
    if event.occurred_on < state.raised_on:
        return (
            f"The {_what(event)} date ({say_date(event.occurred_on)}) is before the "
            f"escalation was raised ({say_date(state.raised_on)})."
        )
    return None


def apply_event(state: EscalationState, event: EscalationEvent) -> EscalationState:
    """The state after `event`; the caller has checked it with check_event."""
    ids = state.event_ids | {event.event_id}
    if isinstance(event, SentToStage):
        stage = state.protocol.stage(event.stage_key)
        deadline = (
            None
            if stage.open_ended
            else state.calendar.add_working_days(event.occurred_on, stage.limit_working_days)
        )
        record = StageRecord(
            stage=stage,
            recipient=event.recipient,
            sent_on=event.occurred_on,
            sent_by=event.author,
            deadline=deadline,
            event_id=event.event_id,
        )
        return replace(
            state,
            stages=(*state.stages, record),
            position=state.protocol.index_of(stage.key),
            event_ids=ids,
        )
    if isinstance(event, ResponseRecorded):
        current = state.stages[-1]
        response = StageResponse(
            responder=event.responder,
            text=event.text,
            received_on=event.occurred_on,
            recorded_by=event.author,
            event_id=event.event_id,
        )
        updated = replace(current, responses=(*current.responses, response))
        return replace(state, stages=(*state.stages[:-1], updated), event_ids=ids)
    if isinstance(event, StageBypassed):
        bypass = Bypass(
            stage_keys=event.skipped_stage_keys,
            reason=event.reason,
            on=event.occurred_on,
            by=event.author,
            event_id=event.event_id,
        )
        return replace(
            state,
            bypasses=(*state.bypasses, bypass),
            position=state.protocol.index_of(event.skipped_stage_keys[-1]),
            event_ids=ids,
        )
    if isinstance(event, Resolved):
        return replace(state, status=Status.RESOLVED, closed_by=event, event_ids=ids)
    if isinstance(event, Withdrawn):
        return replace(state, status=Status.WITHDRAWN, closed_by=event, event_ids=ids)
    if isinstance(event, Comment):
        return replace(state, comments=(*state.comments, event), event_ids=ids)
    raise ValueError(f"A second 'raised' event cannot be applied ({event.event_id}).")


def fold(
    state: EscalationState, events: Iterable[EscalationEvent]
) -> tuple[EscalationState, tuple[Conflict, ...]]:
    """Apply events in order; those that do not fit become conflicts (also kept in state)."""
    new_conflicts: list[Conflict] = []
    for event in events:
        # The same event delivered twice (a retried sync) is the same fact, not a conflict.
        if event.event_id in state.event_ids:
            continue
        reason = check_event(state, event)
        if reason is None:
            state = apply_event(state, event)
        else:
            conflict = Conflict(event=event, reason=reason, blocked_by=state.closed_by)
            new_conflicts.append(conflict)
            state = replace(
                state,
                conflicts=(*state.conflicts, conflict),
                event_ids=state.event_ids | {event.event_id},
            )
    return state, tuple(new_conflicts)


def replay(
    protocol: EscalationProtocol,
    events: Iterable[EscalationEvent],
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> EscalationState:
    """Fold an escalation's events, in log order, into its state.

    Events that do not fit (for example a stage sent after the escalation was resolved) are
    kept in `state.conflicts` with the reason, so a person can see and settle them.
    """
    ordered = list(events)
    if not ordered or not isinstance(ordered[0], EscalationRaised):
        first = ordered[0].kind.value if ordered else "nothing"
        raise ValueError(f"An escalation's events must start with 'raised', not {first}.")
    state, _ = fold(start(protocol, ordered[0], calendar), ordered[1:])
    return state


def detect_conflict(
    state: EscalationState, incoming_events: Iterable[EscalationEvent]
) -> tuple[Conflict, ...]:
    """The incoming events (in order) that cannot follow what is already known.

    For example, a manager resolved the escalation while the IRO, offline, sent it to the
    next stage: the IRO's event comes back as a conflict naming the resolution. Events the
    state already holds are not conflicts; nothing is left out silently.
    """
    _, conflicts = fold(state, incoming_events)
    return conflicts
