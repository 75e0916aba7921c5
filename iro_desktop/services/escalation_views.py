"""What the escalation screens show: an escalation replayed with its deadlines, each event
with where it stands with the sync server, and conflicts for a person to decide.

Built from the append-only log by the domain's replay, in the server's order, so the laptop
and the manager's view agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from iro_desktop.domain import escalation as esc
from iro_desktop.domain.escalation import (
    CATEGORY_LABELS,
    THEMES,
    Category,
    Conflict,
    EscalationEvent,
    EscalationProtocol,
    EscalationState,
    EventKind,
    Stage,
    Status,
)
from iro_desktop.pdf.escalation_pdf import EscalationSheet, SheetEvent
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import DbSession, outbox
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store.escalation_repository import HERE, StoredEvent


def escalation_protocol(session: CaseloadSession) -> EscalationProtocol:
    """The practice profile's protocol: its stages, limits and whether stages may be skipped."""
    return esc.protocol_from_mapping(session.profile.escalation)


# --- what the screens show -------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRef:
    id: str
    # Empty when the child is not on this caseload (a manager's copy of an IRO's escalation).
    name: str

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class EventLine:
    """One line of an escalation's history, with where it stands with the server."""

    event_id: str
    kind: str
    occurred_on: date
    author: str
    words: str
    # here: written on this laptop; server: a manager's action pulled from the server.
    origin: str
    # on_server | waiting | set_aside (origin here); from_server (origin server)
    sync: str
    sync_words: str
    # Why the event does not fit the escalation (it is kept, not applied); "" when it fits.
    conflict: str = ""
    # What was said: the other side's reply, the difference the resolution made for the child.
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "kind": self.kind,
            "on": self.occurred_on.isoformat(),
            "by": self.author,
            "what": self.words,
            "said": self.detail or None,
            "sync": self.sync,
            "does_not_fit": self.conflict or None,
        }


@dataclass(frozen=True)
class ConflictView:
    """An event that did not fit, for a person to decide on. Nothing was overwritten."""

    escalation_id: str
    event_id: str
    kind: str
    author: str
    occurred_on: date
    words: str
    reason: str
    children: tuple[ChildRef, ...]
    # The resolution or withdrawal it collided with, if that was the reason.
    blocked_by_author: str | None = None
    blocked_by_kind: str | None = None
    blocked_on: date | None = None
    decided: bool = False
    decision: str = ""
    decision_note: str = ""
    decided_by: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "escalation_id": self.escalation_id,
            "event_id": self.event_id,
            "kind": self.kind,
            "author": self.author,
            "occurred_on": self.occurred_on.isoformat(),
            "what": self.words,
            "reason": self.reason,
            "children": [c.id for c in self.children],
            "blocked_by": self.blocked_by_kind,
            "blocked_by_author": self.blocked_by_author,
            "decided": self.decided,
            "decision": self.decision or None,
            "decision_note": self.decision_note or None,
        }


@dataclass(frozen=True)
class EscalationView:
    escalation_id: str
    children: tuple[ChildRef, ...]
    category: str
    category_label: str
    issues: tuple[str, ...]
    issue_labels: tuple[str, ...]
    outcome_wanted: str
    detail: str
    partner_agency: str | None
    service: str
    status: str
    raised_on: date
    raised_by: str
    current_stage_key: str | None
    current_stage_name: str | None
    current_recipient: str | None
    # Only while open: the date the current stage's response is due (None if open-ended).
    stage_deadline: date | None
    # The overall limit (20 working days); None for a good practice notification.
    overall_deadline: date | None
    stage_overdue: bool
    overall_overdue: bool
    next_stage_key: str | None
    next_stage_name: str | None
    working_days_open: int
    closed_on: date | None
    resolved_within_limit: bool | None
    events_count: int
    # Events not yet on the server (waiting or set aside), and of those, set aside.
    unsent: int
    set_aside: int
    events: tuple[EventLine, ...]
    conflicts: tuple[ConflictView, ...]
    state: EscalationState = field(compare=False, repr=False)

    @property
    def overdue(self) -> bool:
        return self.stage_overdue or self.overall_overdue

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN.value

    @property
    def undecided_conflicts(self) -> int:
        return sum(1 for c in self.conflicts if not c.decided)

    def to_json(self) -> dict[str, Any]:
        def day(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.escalation_id,
            "children": [{"id": c.id, "name": c.name} for c in self.children],
            "issues": list(self.issues),
            "category": self.category,
            "partner_agency": self.partner_agency,
            "status": self.status,
            "raised_on": self.raised_on.isoformat(),
            "raised_by": self.raised_by,
            "current_stage": self.current_stage_key,
            "current_stage_name": self.current_stage_name,
            "recipient": self.current_recipient,
            "stage_deadline": day(self.stage_deadline),
            "overall_deadline": day(self.overall_deadline),
            "overdue": self.overdue,
            "next_stage": self.next_stage_key,
            "working_days_open": self.working_days_open,
            "closed_on": day(self.closed_on),
            "events": self.events_count,
            "unsent": self.unsent,
            "set_aside": self.set_aside,
            "conflicts": [c.to_json() for c in self.conflicts],
            "history": [line.to_json() for line in self.events],
        }


@dataclass(frozen=True)
class EscalationChoices:
    """What the raise form offers: issues (themes), categories, partner agencies, stages."""

    themes: dict[str, str]  # for a dispute (the profile's list)
    categories: dict[str, str]
    partner_agencies: dict[str, str]
    protocol_name: str
    stages: tuple[Stage, ...]
    overall_limit_working_days: int
    allow_bypass: bool
    partner_themes: dict[str, str] = field(default_factory=dict)  # for a partner agency

    def themes_for(self, category: str) -> dict[str, str]:
        return self.partner_themes if category == "partner" and self.partner_themes else self.themes


# --- building views ------------------------------------------------------------------------

_SYNC_WORDS = {
    "on_server": "on the sync server",
    "waiting": "waiting to be sent",
    "set_aside": "set aside by the sync server",
    "from_server": "from the sync server",
}


def event_words(event: EscalationEvent, protocol: EscalationProtocol) -> str:
    def stage_name(key: str) -> str:
        try:
            return protocol.stage(key).name
        except ValueError:
            return key

    if isinstance(event, esc.EscalationRaised):
        return f"{CATEGORY_LABELS[event.category]} raised"
    if isinstance(event, esc.SentToStage):
        return f"Sent to {stage_name(event.stage_key)} ({event.recipient})"
    if isinstance(event, esc.ResponseRecorded):
        return f"Response from {event.responder} at {stage_name(event.stage_key)}"
    if isinstance(event, esc.StageBypassed):
        names = ", ".join(stage_name(k) for k in event.skipped_stage_keys)
        return f"Bypassed {names}: {event.reason}"
    if isinstance(event, esc.Resolved):
        return f"Resolved: {event.outcome}"
    if isinstance(event, esc.Withdrawn):
        return f"Withdrawn: {event.reason}"
    return f"Comment: {event.text}"


def event_detail(event: EscalationEvent) -> str:
    """What the event says beyond its headline, in full: the reply that came back, the
    difference the resolution made for the child, a comment ("" when nothing more)."""
    if isinstance(event, esc.ResponseRecorded):
        return f"Their reply: {event.text}"
    if isinstance(event, esc.Resolved):
        return f"Difference for the child: {event.difference_for_child}"
    return ""


@dataclass
class ViewContext:
    """What building views needs besides the events, read once per unit of work."""

    protocol: EscalationProtocol
    session: CaseloadSession
    names: dict[str, tuple[str, str]]
    outbox_status: dict[str, tuple[str, str]]
    decisions: dict[str, events_repo.Decision]
    theme_labels: dict[str, str] = field(default_factory=lambda: dict(THEMES))

    @classmethod
    def load(
        cls, session: CaseloadSession, s: DbSession, logs: dict[str, list[StoredEvent]]
    ) -> ViewContext:
        child_ids = {
            cid
            for log in logs.values()
            for stored in log
            if isinstance(stored.event, esc.EscalationRaised)
            for cid in stored.event.child_ids
        }
        only = next(iter(logs)) if len(logs) == 1 else None
        statuses = {
            entry.item_id: (entry.status, entry.reject_reason)
            for entry in outbox.items(s, escalation_id=only)
        }
        return cls(
            protocol=escalation_protocol(session),
            session=session,
            names=events_repo.children_named(s, child_ids),
            outbox_status=statuses,
            decisions=events_repo.decisions(s),
            theme_labels=esc.theme_labels(session.profile.escalation),
        )

    def child(self, child_id: str) -> ChildRef:
        return ChildRef(child_id, self.names.get(child_id, ("", ""))[0])

    def replay(self, log: list[StoredEvent]) -> EscalationState:
        return esc.replay(
            self.protocol, [stored.event for stored in log], self.session.profile.calendar
        )

    def conflict_view(self, state: EscalationState, conflict: Conflict) -> ConflictView:
        event = conflict.event
        decided = self.decisions.get(event.event_id)
        blocked = conflict.blocked_by
        return ConflictView(
            escalation_id=state.escalation_id,
            event_id=event.event_id,
            kind=event.kind.value,
            author=event.author,
            occurred_on=event.occurred_on,
            words=event_words(event, self.protocol),
            reason=conflict.reason,
            children=tuple(self.child(c) for c in state.child_ids),
            blocked_by_author=blocked.author if blocked else None,
            blocked_by_kind=blocked.kind.value if blocked else None,
            blocked_on=blocked.occurred_on if blocked else None,
            decided=decided is not None,
            decision=decided.decision if decided else "",
            decision_note=decided.note if decided else "",
            decided_by=decided.decided_by if decided else "",
        )

    def view(self, log: list[StoredEvent], state: EscalationState) -> EscalationView:
        today = self.session.clock.today()
        conflict_reasons = {c.event.event_id: c.reason for c in state.conflicts}
        lines = []
        unsent = set_aside = 0
        for stored in log:
            event = stored.event
            if stored.origin == HERE:
                status, reason = self.outbox_status.get(event.event_id, (outbox.SENT, ""))
                sync = {outbox.SENT: "on_server", outbox.PENDING: "waiting"}.get(
                    status, "set_aside"
                )
                if stored.server_seq is not None:
                    sync = "on_server"
                unsent += sync != "on_server"
                set_aside += sync == "set_aside"
                words = _SYNC_WORDS[sync] + (f": {reason}" if sync == "set_aside" else "")
            else:
                sync, words = "from_server", _SYNC_WORDS["from_server"]
            lines.append(
                EventLine(
                    event_id=event.event_id,
                    kind=event.kind.value,
                    occurred_on=event.occurred_on,
                    author=event.author,
                    words=event_words(event, self.protocol),
                    origin=stored.origin,
                    sync=sync,
                    sync_words=words,
                    conflict=conflict_reasons.get(event.event_id, ""),
                    detail=event_detail(event),
                )
            )
        raised = state.raised
        current = state.current_stage
        next_stage = state.next_stage
        good_practice = state.category is Category.GOOD_PRACTICE
        return EscalationView(
            escalation_id=state.escalation_id,
            children=tuple(self.child(c) for c in state.child_ids),
            category=state.category.value,
            category_label=CATEGORY_LABELS[state.category],
            issues=state.issues,
            issue_labels=tuple(esc.theme_label(i, self.theme_labels) for i in state.issues),
            outcome_wanted=raised.outcome_wanted,
            detail=raised.detail,
            partner_agency=raised.partner_agency,
            service=raised.service,
            status=state.status.value,
            raised_on=state.raised_on,
            raised_by=state.raised_by,
            current_stage_key=current.stage.key if current else None,
            current_stage_name=current.stage.name if current else None,
            current_recipient=current.recipient if current else None,
            stage_deadline=state.current_stage_deadline,
            overall_deadline=None if good_practice else state.overall_deadline,
            stage_overdue=state.stage_overdue(today),
            overall_overdue=state.overall_overdue(today),
            next_stage_key=next_stage.key if next_stage else None,
            next_stage_name=next_stage.name if next_stage else None,
            working_days_open=0 if good_practice else state.working_days_open(today),
            closed_on=state.closed_on,
            resolved_within_limit=state.resolved_within_limit,
            events_count=len(log),
            unsent=unsent,
            set_aside=set_aside,
            events=tuple(lines),
            conflicts=tuple(self.conflict_view(state, c) for c in state.conflicts),
            state=state,
        )


def readable_logs(logs: dict[str, list[StoredEvent]]) -> dict[str, list[StoredEvent]]:
    """Logs that start with 'raised' (others are reported by conflicts(), not listed)."""
    return {k: v for k, v in logs.items() if v and v[0].event.kind is EventKind.RAISED}


def sort_key(view: EscalationView) -> tuple[Any, ...]:
    # Open ones first, the most urgent deadline first; then the rest, newest first.
    if view.is_open:
        deadline = view.stage_deadline or view.overall_deadline or date.max
        return (0, min(deadline, view.overall_deadline or date.max), view.escalation_id)
    return (1, -view.raised_on.toordinal(), view.escalation_id)


def escalation_sheet(view: EscalationView) -> EscalationSheet:
    """The escalation as plain facts for its PDF: what was raised, where it stands, and every
    event with what was said (the replies and the difference for the child)."""
    from iro_desktop.domain.letter import format_date

    def day(d: date | None, empty: str = "None") -> str:
        return format_date(d, weekday=False) if d else empty

    children = ", ".join(c.label for c in view.children)
    facts = [
        ("Children", children),
        ("Status", view.status.replace("_", " ").capitalize()),
        ("Stage", view.current_stage_name or "Not sent to a stage yet"),
        ("With", view.current_recipient or "Nobody yet"),
        ("Stage deadline", day(view.stage_deadline)),
        ("Overall deadline", day(view.overall_deadline)),
        ("Raised", f"{day(view.raised_on)} by {view.raised_by}"),
        ("Issues", ", ".join(view.issue_labels) or "None (good practice)"),
        ("Outcome wanted", view.outcome_wanted or "None recorded"),
        ("Details", view.detail or "None recorded"),
    ]
    if view.partner_agency:
        facts.append(("Partner agency", view.partner_agency))
    if view.closed_on:
        facts.append(("Closed", day(view.closed_on)))
    events = tuple(
        SheetEvent(
            on=day(line.occurred_on),
            what=line.words,
            said=line.detail,
            by=line.author,
            note=f"Does not fit (kept, not applied): {line.conflict}" if line.conflict else "",
        )
        for line in view.events
    )
    return EscalationSheet(
        title=f"{view.category_label}: {children}",
        facts=tuple(facts),
        events=events,
    )
