"""Escalations: the use cases the escalation screens, the manager's view and the command line
call.

Every move is one unit of work: replay the escalation's events with the practice profile's
protocol, ask the domain for the one new event (it refuses what the protocol does not allow,
with the reason), append it to the log, put it in the outbox for the sync server in the same
transaction, and write the audit entry. Every move returns the escalation as it now stands.

Nothing is ever overwritten. When a manager's action and an IRO's offline action do not fit
together (say, the escalation was resolved while the IRO moved it on), the event that does
not fit is kept in the log and listed by `conflicts()` for a person to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from iro_desktop.domain import escalation as esc
from iro_desktop.domain.escalation import (
    CATEGORY_LABELS,
    PARTNER_AGENCIES,
    EscalationEvent,
    EscalationState,
    EventKind,
    ThemesReport,
)
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.authorship import author_name
from iro_desktop.services.escalation_demo import demo_escalations
from iro_desktop.services.escalation_views import (
    ChildRef,
    ConflictView,
    EscalationChoices,
    EscalationView,
    EventLine,
    ViewContext,
    escalation_protocol,
    escalation_sheet,
    event_words,
    readable_logs,
    sort_key,
)
from iro_desktop.store import DbSession, outbox
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store import repositories as repo
from iro_desktop.store.escalation_repository import HERE, StoredEvent

__all__ = [
    "ChildRef",
    "ConflictView",
    "EscalationChoices",
    "EscalationView",
    "EventLine",
    "add_comment",
    "advance",
    "bypass",
    "choices",
    "conflicts",
    "escalation_protocol",
    "get_escalation",
    "list_escalations",
    "load_demo_escalations",
    "quarterly_themes_report",
    "raise_escalation",
    "record_response",
    "refer_to_cafcass",
    "resolve",
    "send_to_stage",
    "settle_conflict",
    "siblings",
    "themes_report",
    "withdraw",
]

# --- the protocol in force ---------------------------------------------------------------


def choices(session: CaseloadSession) -> EscalationChoices:
    protocol = escalation_protocol(session)
    return EscalationChoices(
        themes=esc.dispute_themes(session.profile.escalation),
        partner_themes=esc.partner_themes(session.profile.escalation),
        categories={c.value: label for c, label in CATEGORY_LABELS.items()},
        partner_agencies=dict(PARTNER_AGENCIES),
        protocol_name=protocol.name,
        stages=protocol.stages,
        overall_limit_working_days=protocol.overall_limit_working_days,
        allow_bypass=protocol.allow_bypass,
    )


def siblings(session: CaseloadSession, child_id: str) -> list[ChildRef]:
    """The child and their brothers and sisters here: one escalation can cover them all."""
    with session.unit_of_work() as s:
        ids = events_repo.sibling_ids(s, child_id)
        names = events_repo.children_named(s, ids)
    return [ChildRef(i, names.get(i, ("", ""))[0]) for i in ids]


def list_escalations(
    session: CaseloadSession, *, child_id: str | None = None, only_open: bool = False
) -> list[EscalationView]:
    """Every escalation on this caseload (or one child's), replayed with its deadlines."""
    with session.unit_of_work() as s:
        logs = readable_logs(events_repo.all_events(s))
        ctx = ViewContext.load(session, s, logs)
    views = []
    for log in logs.values():
        state = ctx.replay(log)
        if child_id is not None and child_id not in state.child_ids:
            continue
        if only_open and not state.is_open:
            continue
        views.append(ctx.view(log, state))
    return sorted(views, key=sort_key)


def _load(
    session: CaseloadSession, s: DbSession, escalation_id: str
) -> tuple[ViewContext, list[StoredEvent], EscalationState]:
    log = events_repo.events_of(s, escalation_id)
    if not log:
        raise LookupError(f"No escalation {escalation_id} on this caseload.")
    if log[0].event.kind is not EventKind.RAISED:
        raise ValueError(
            f"Escalation {escalation_id} cannot be shown: this caseload has later events of it "
            "but not the one that raised it. See the list of conflicts."
        )
    ctx = ViewContext.load(session, s, {escalation_id: log})
    return ctx, log, ctx.replay(log)


def get_escalation(session: CaseloadSession, escalation_id: str) -> EscalationView:
    """One escalation with its full history; the opening is audited."""
    with session.unit_of_work() as s:
        ctx, log, state = _load(session, s, escalation_id)
        session.audit(s, "open", "escalation", escalation_id)
    return ctx.view(log, state)


def save_escalation_pdf(session: CaseloadSession, escalation_id: str, out: Any) -> int:
    """Write the escalation, with its whole history, as a PDF; returns the number of pages."""
    from iro_desktop.pdf.escalation_pdf import render_escalation

    view = get_escalation(session, escalation_id)
    return render_escalation(escalation_sheet(view), out, service_name=session.profile.name)


# --- the moves -----------------------------------------------------------------------------


def _record(session: CaseloadSession, s: DbSession, event: EscalationEvent) -> None:
    """Append to the log and queue for the server: one transaction, so never one without
    the other."""
    events_repo.append_event(s, event, origin=HERE)
    outbox.enqueue(s, event, now=session.clock.now())


def _change(
    session: CaseloadSession,
    escalation_id: str,
    make: Callable[[EscalationState], Sequence[EscalationEvent]],
    detail: Callable[[EscalationState], str],
) -> EscalationView:
    with session.unit_of_work() as s:
        _, _, state = _load(session, s, escalation_id)
        new_events = make(state)
        for event in new_events:
            _record(session, s, event)
        session.audit(s, "update", "escalation", escalation_id, detail(state))
        ctx, log, after = _load(session, s, escalation_id)
        return ctx.view(log, after)


def _when(session: CaseloadSession, on: date | None) -> dict[str, Any]:
    return {
        "on": on or session.clock.today(),
        "author": author_name(session),
        "now": session.clock.now(),
    }


def raise_escalation(
    session: CaseloadSession,
    *,
    child_ids: Sequence[str],
    category: str,
    issues: Sequence[str] = (),
    outcome_wanted: str = "",
    detail: str = "",
    partner_agency: str | None = None,
    service: str = "",
    on: date | None = None,
    send_to: str | None = None,
) -> EscalationView:
    """Raise a dispute, a partner escalation or a good practice notification.

    `child_ids`: one child or a sibling group. `issues`: keys of the profile's themes for
    that category (see choices()).
    `send_to`: the name of the person at the protocol's first stage, to send it at once.
    """
    if not child_ids:
        raise ValueError("Choose the child (or the brothers and sisters) it is about.")
    offered = choices(session).themes_for(category)
    unknown = [i for i in issues if i not in offered]
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)} is not an issue in this practice profile. "
            f"Choose from: {', '.join(offered.values())}."
        )
    with session.unit_of_work() as s:
        missing = [c for c in child_ids if not repo.child_exists(s, c)]
        if missing:
            raise ValueError(f"No child with id {', '.join(missing)} on this caseload.")
        raised = esc.raise_escalation(
            child_ids=list(child_ids),
            category=category,
            issues=list(issues),
            outcome_wanted=outcome_wanted,
            detail=detail,
            partner_agency=partner_agency or None,
            service=service,
            **_when(session, on),
        )
        _record(session, s, raised)
        words = f"{raised.category.value} raised for {len(raised.child_ids)} child(ren)"
        if send_to:
            protocol = escalation_protocol(session)
            state = esc.start(protocol, raised, session.profile.calendar)
            first = protocol.stages[0]
            sent = esc.send_to_stage(
                state, first.key, send_to, **_when(session, raised.occurred_on)
            )
            _record(session, s, sent)
            words += f"; sent to {first.key}"
        session.audit(s, "create", "escalation", raised.escalation_id, words)
        ctx, log, state = _load(session, s, raised.escalation_id)
        return ctx.view(log, state)


def send_to_stage(
    session: CaseloadSession,
    escalation_id: str,
    stage_key: str,
    recipient: str,
    *,
    on: date | None = None,
) -> EscalationView:
    """Send the escalation to a stage of the protocol (the next one; see bypass())."""
    return _change(
        session,
        escalation_id,
        lambda state: [esc.send_to_stage(state, stage_key, recipient, **_when(session, on))],
        lambda state: f"sent to stage {stage_key}",
    )


def advance(
    session: CaseloadSession, escalation_id: str, recipient: str, *, on: date | None = None
) -> EscalationView:
    """Send the escalation on to the protocol's next stage."""

    def make(state: EscalationState) -> list[EscalationEvent]:
        following = state.next_stage
        if following is None:
            raise ValueError(
                "There is no further stage: the escalation is closed or at the last stage."
            )
        return [esc.send_to_stage(state, following.key, recipient, **_when(session, on))]

    return _change(
        session,
        escalation_id,
        make,
        lambda state: f"advanced to stage {state.next_stage.key if state.next_stage else '?'}",
    )


def record_response(
    session: CaseloadSession,
    escalation_id: str,
    responder: str,
    text: str,
    *,
    on: date | None = None,
) -> EscalationView:
    """The response that came back at the current stage (`on`: the day it came)."""
    return _change(
        session,
        escalation_id,
        lambda state: [esc.record_response(state, responder, text, **_when(session, on))],
        lambda state: (
            "response recorded at "
            + (state.current_stage.stage.key if state.current_stage else "?")
        ),
    )


def bypass(
    session: CaseloadSession,
    escalation_id: str,
    to_stage_key: str,
    reason: str,
    recipient: str,
    *,
    on: date | None = None,
) -> EscalationView:
    """Skip the stages before `to_stage_key` (the reason is recorded) and send it there."""

    def make(state: EscalationState) -> list[EscalationEvent]:
        when = _when(session, on)
        skipped = esc.bypass_stages(state, to_stage_key, reason, **when)
        after = esc.apply_event(state, skipped)
        return [skipped, esc.send_to_stage(after, to_stage_key, recipient, **when)]

    return _change(session, escalation_id, make, lambda state: f"bypassed stages to {to_stage_key}")


def refer_to_cafcass(
    session: CaseloadSession,
    escalation_id: str,
    recipient: str,
    reason: str,
    *,
    on: date | None = None,
) -> EscalationView:
    """The IRO may refer to CAFCASS at any point (stages in between are bypassed)."""
    return _change(
        session,
        escalation_id,
        lambda state: esc.refer_to_cafcass(state, recipient, reason, **_when(session, on)),
        lambda state: "referred to CAFCASS",
    )


def resolve(
    session: CaseloadSession,
    escalation_id: str,
    outcome: str,
    difference_for_child: str,
    *,
    on: date | None = None,
) -> EscalationView:
    return _change(
        session,
        escalation_id,
        lambda state: [esc.resolve(state, outcome, difference_for_child, **_when(session, on))],
        lambda state: "resolved",
    )


def withdraw(
    session: CaseloadSession, escalation_id: str, reason: str, *, on: date | None = None
) -> EscalationView:
    return _change(
        session,
        escalation_id,
        lambda state: [esc.withdraw(state, reason, **_when(session, on))],
        lambda state: "withdrawn",
    )


def add_comment(
    session: CaseloadSession, escalation_id: str, text: str, *, on: date | None = None
) -> EscalationView:
    return _change(
        session,
        escalation_id,
        lambda state: [esc.add_comment(state, text, **_when(session, on))],
        lambda state: "comment added",
    )


# --- conflicts -----------------------------------------------------------------------------


def conflicts(session: CaseloadSession, *, include_decided: bool = False) -> list[ConflictView]:
    """Events that did not fit their escalation, oldest first, for a person to decide.

    Also lists events of an escalation this caseload does not hold the start of (restored
    from an older backup, say): they are kept, and shown here, not dropped.
    """
    with session.unit_of_work() as s:
        logs = events_repo.all_events(s)
        ctx = ViewContext.load(session, s, readable_logs(logs))
    found: list[ConflictView] = []
    for escalation_id, log in logs.items():
        if log[0].event.kind is not EventKind.RAISED:
            for stored in log:
                event = stored.event
                decided = ctx.decisions.get(event.event_id)
                found.append(
                    ConflictView(
                        escalation_id=escalation_id,
                        event_id=event.event_id,
                        kind=event.kind.value,
                        author=event.author,
                        occurred_on=event.occurred_on,
                        words=event_words(event, ctx.protocol),
                        reason="This caseload does not hold the start of this escalation "
                        "(it may have been restored from an older backup), so this event "
                        "cannot be placed.",
                        children=(),
                        decided=decided is not None,
                        decision=decided.decision if decided else "",
                        decision_note=decided.note if decided else "",
                        decided_by=decided.decided_by if decided else "",
                    )
                )
            continue
        state = ctx.replay(log)
        found += [ctx.conflict_view(state, c) for c in state.conflicts]
    if not include_decided:
        found = [c for c in found if not c.decided]
    return sorted(found, key=lambda c: (c.occurred_on, c.escalation_id, c.event_id))


def settle_conflict(
    session: CaseloadSession, event_id: str, note: str, *, raise_again: bool = False
) -> EscalationView | None:
    """Record a person's decision on a conflict.

    The decision is added to the escalation as a comment (so the manager sees it too). With
    `raise_again`, a new escalation is raised for the same children, issues and outcome
    (the old one stays closed as the manager left it); it is returned.
    """
    if not note.strip():
        raise ValueError("Say what was decided about the conflict.")
    with session.unit_of_work() as s:
        logs = events_repo.all_events(s)
        target = None
        for escalation_id, log in logs.items():
            if any(stored.event.event_id == event_id for stored in log):
                target = escalation_id
                break
        if target is None:
            raise LookupError(f"No escalation event {event_id} on this caseload.")
        if events_repo.decisions(s, [event_id]):
            raise ValueError("That conflict has already been settled.")
        log = logs[target]
        comment_id = None
        new_view = None
        if log[0].event.kind is EventKind.RAISED:
            ctx = ViewContext.load(session, s, {target: log})
            state = ctx.replay(log)
            if event_id not in {c.event.event_id for c in state.conflicts}:
                raise ValueError("That event fits its escalation; there is nothing to settle.")
            when = _when(session, None)
            words = f"Conflict settled: {note.strip()}"
            comment = esc.add_comment(state, words, **when)
            _record(session, s, comment)
            comment_id = comment.event_id
            if raise_again:
                new_view = _raise_again(session, s, state, note.strip())
        events_repo.record_decision(
            s,
            event_id=event_id,
            escalation_id=target,
            at=session.clock.now(),
            by=session.username,
            decision="raised_again" if new_view else "noted",
            note=note.strip(),
            comment_event_id=comment_id,
            new_escalation_id=new_view.escalation_id if new_view else None,
        )
        session.audit(
            s,
            "update",
            "escalation",
            target,
            f"conflict over event {event_id} settled" + (" (raised again)" if new_view else ""),
        )
    return new_view


def _raise_again(
    session: CaseloadSession, s: DbSession, old: EscalationState, note: str
) -> EscalationView:
    raised = old.raised
    again = esc.raise_escalation(
        child_ids=list(raised.child_ids),
        category=raised.category,
        issues=list(raised.issues),
        outcome_wanted=raised.outcome_wanted,
        detail=(
            f"Raised again after escalation {old.escalation_id} was closed: {note}\n\n"
            + raised.detail
        ).strip(),
        partner_agency=raised.partner_agency,
        service=raised.service,
        **_when(session, None),
    )
    _record(session, s, again)
    session.audit(s, "create", "escalation", again.escalation_id, "raised again after a conflict")
    ctx, log, state = _load(session, s, again.escalation_id)
    return ctx.view(log, state)


# --- the quarterly themes report -----------------------------------------------------------


def themes_report(session: CaseloadSession, start: date, end: date) -> ThemesReport:
    """Escalations by theme, stage reached, service and outcome, for a period."""
    with session.unit_of_work() as s:
        logs = readable_logs(events_repo.all_events(s))
        session.audit(
            s, "open", "report", "escalation-themes", f"{start.isoformat()} to {end.isoformat()}"
        )
    protocol = escalation_protocol(session)
    calendar = session.profile.calendar
    states = [esc.replay(protocol, [x.event for x in log], calendar) for log in logs.values()]
    return esc.themes_report(
        states, start, end, themes=esc.theme_labels(session.profile.escalation)
    )


def quarterly_themes_report(session: CaseloadSession, year: int, quarter: int) -> ThemesReport:
    """`year` is the April the financial year starts in; quarter 1 is April to June."""
    start, end = esc.financial_quarter(year, quarter)
    return themes_report(session, start, end)


# --- the demo ------------------------------------------------------------------------------


def load_demo_escalations(session: CaseloadSession, seed: int, *, as_of: date | None = None) -> int:
    """Synthetic escalations for the demo caseload (see escalation_demo), recorded and queued
    for sync like any other, in one unit of work. Returns how many were raised."""
    with session.unit_of_work() as s:
        children = [
            (c.id, c.sibling_group)
            for c in repo.list_children(s)
            if c.current_period is not None and c.current_period.is_open
        ]
    built = demo_escalations(
        children,
        seed=seed,
        today=as_of or session.clock.today(),
        protocol=escalation_protocol(session),
        calendar=session.profile.calendar,
        author=author_name(session),
        now=session.clock.now(),
    )
    if not built:
        return 0
    with session.unit_of_work() as s:
        for events in built:
            for event in events:
                _record(session, s, event)
        session.audit(
            s, "create", "escalation", "demo", f"demo escalations: {len(built)}, seed {seed}"
        )
    return len(built)
