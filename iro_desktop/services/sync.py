"""Sync as the window and the command line see it: the status bar, the outbox, sign-off items.

The status bar shows `status(session).words` at all times: how many changes have not reached
the server and how old the oldest is (CommCare and ODK users lost work they could not see was
unsent). The outbox screen lists items set aside by the server with the reason, to retry or
correct. The window runs `SyncClient.sync_once()` on its worker thread on a timer; see
`client()`, whose client also applies the managers' sign-off decisions each sync pulled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from iro_desktop.domain.escalation import EventKind, new_id
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.authorship import author_name as author_name

# The sign-off queue lives below this module so services.signoff can use it without importing
# sync (which applies pulled decisions through services.signoff): re-exported for callers.
from iro_desktop.services.signoff_queue import (
    enqueue_signoff,
    is_queued,
    mark_pulled_handled,
    signoff_decisions,
    signoff_item_id,
)
from iro_desktop.store import DbSession, outbox
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store.engine import StoreError
from iro_desktop.store.outbox import InboxEntry, OutboxEntry
from iro_desktop.sync.client import PasswordSource, SyncClient, SyncReport, check_server_url
from iro_desktop.sync.protocol import (
    ESCALATION_KINDS,
    ChildFact,
    Decision,
    ReviewFact,
    SignoffDecision,
    SignoffSubmission,
    item_from_wire,
)

__all__ = [
    "CaseloadSyncClient",
    "OutboxItemView",
    "PasswordSource",
    "SyncClient",
    "SyncReport",
    "SyncStatus",
    "check_server_url",
    "author_name",
    "sync_account",
    "client",
    "correct_set_aside",
    "enqueue_signoff",
    "enqueue_signoff_decision",
    "is_queued",
    "mark_pulled_handled",
    "outbox_items",
    "pulled_items",
    "retry_set_aside",
    "signoff_decisions",
    "signoff_item_id",
    "status",
    "sync_now",
    "team_escalations",
]


def sync_account(session: CaseloadSession) -> str:
    """The server account this login syncs as: the one it was linked to at its first
    sign-in; before that, the one in settings, or the login itself."""
    with session.unit_of_work() as s:
        bound = outbox.account_binding(s, session.username)
    return bound.account if bound is not None else author_name(session)


# --- the status bar --------------------------------------------------------------------------


def _age_words(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


@dataclass(frozen=True)
class SyncStatus:
    unsent: int  # not yet on the server: waiting + set aside
    waiting: int
    set_aside: int
    oldest_unsent_at: datetime | None
    oldest_unsent_age: timedelta | None
    server_url: str
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str
    next_attempt_at: datetime | None

    @property
    def words(self) -> str:
        """Short enough for the status bar, always shown."""
        if self.unsent == 0:
            parts = ["All changes sent" if self.last_success_at else "Nothing to send"]
        else:
            age = _age_words(self.oldest_unsent_age or timedelta(0))
            parts = [f"{self.unsent} unsent (oldest {age})"]
            if self.set_aside:
                parts.append(f"{self.set_aside} set aside by the server")
        if not self.server_url:
            parts.append("no sync server set")
        elif self.last_error:
            parts.append("last sync failed")
        elif self.last_success_at:
            parts.append(f"last synced {self.last_success_at.astimezone():%d %b %H:%M}")
        return " · ".join(parts)


def status(session: CaseloadSession) -> SyncStatus:
    now = session.clock.now()
    settings = session.settings
    url = (settings.server_url or "").strip()
    try:
        key = outbox.state_key(
            check_server_url(url, allow_insecure_http=settings.allow_insecure_http),
            sync_account(session),
        )
    except ValueError:
        key = None
    with session.unit_of_work() as s:
        summary = outbox.summary(s)
        state = outbox.find_sync_state(s, key) if key else None
        if state is None:
            state = outbox.latest_sync_state(s)
    oldest = summary.oldest_unsent_at
    return SyncStatus(
        unsent=summary.unsent,
        waiting=summary.pending,
        set_aside=summary.rejected,
        oldest_unsent_at=oldest,
        oldest_unsent_age=(now - oldest) if oldest else None,
        server_url=url or (state.server_url if state else ""),
        last_success_at=state.last_success_at if state else None,
        last_attempt_at=state.last_attempt_at if state else None,
        last_error=state.last_error if state else "",
        next_attempt_at=state.next_attempt_at if state else None,
    )


# --- the outbox screen -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxItemView:
    item_id: str
    kind: str
    what: str
    escalation_id: str | None
    created_at: datetime
    status: str  # pending | sent | rejected
    reason: str  # the server's reason, when set aside
    attempts: int
    last_error: str
    server_conflict: str
    edited_at: datetime | None
    payload: dict[str, Any]
    # The server already had it: an earlier push got there but its answer was lost.
    duplicate: bool = False
    # Who it is about, in words: the child (and the review's date); see outbox_about.py.
    about: str = ""

    @property
    def set_aside(self) -> bool:
        return self.status == outbox.REJECTED

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "kind": self.kind,
            "what": self.what,
            "escalation_id": self.escalation_id,
            "created_at": self.created_at.isoformat(),
            "status": self.status,
            "reason": self.reason or None,
            "attempts": self.attempts,
            "last_error": self.last_error or None,
            "conflict": self.server_conflict or None,
        }


_KIND_WORDS = {
    EventKind.RAISED.value: "Escalation raised",
    EventKind.SENT_TO_STAGE.value: "Escalation sent to a stage",
    EventKind.RESPONSE_RECORDED.value: "Response recorded",
    EventKind.STAGE_BYPASSED.value: "Stages bypassed",
    EventKind.RESOLVED.value: "Escalation resolved",
    EventKind.WITHDRAWN.value: "Escalation withdrawn",
    EventKind.COMMENT.value: "Comment on an escalation",
    SignoffSubmission.kind: "Minutes submitted for sign-off",
    SignoffDecision.kind: "Sign-off decision",
}


def _view(entry: OutboxEntry) -> OutboxItemView:
    return OutboxItemView(
        item_id=entry.item_id,
        kind=entry.kind,
        what=_KIND_WORDS.get(entry.kind, entry.kind),
        escalation_id=entry.escalation_id,
        created_at=entry.created_at,
        status=entry.status,
        reason=entry.reject_reason,
        attempts=entry.attempts,
        last_error=entry.last_error,
        server_conflict=entry.server_conflict,
        edited_at=entry.edited_at,
        payload=entry.payload,
        duplicate=entry.duplicate,
    )


def outbox_items(session: CaseloadSession, status: str | None = None) -> list[OutboxItemView]:
    """Outbox items, oldest first (all, or those with one status: pending, sent, rejected)."""
    with session.unit_of_work() as s:
        return [_view(e) for e in outbox.items(s, status)]


def retry_set_aside(session: CaseloadSession, item_id: str) -> OutboxItemView:
    """Queue a set-aside item again as it is (after the problem was fixed on the server)."""
    with session.unit_of_work() as s:
        entry = outbox.retry(s, item_id)
        session.audit(s, "update", "outbox", item_id, "set-aside item queued again")
    return _view(entry)


_FIXED_FIELDS = ("kind", "id", "escalation_id")


def correct_set_aside(
    session: CaseloadSession, item_id: str, changes: Mapping[str, Any]
) -> OutboxItemView:
    """Correct fields of a set-aside escalation event (wire names, e.g. {"author": "..."})
    and queue it again. The event in the escalation's log is corrected with it: the server
    never stored it, so nothing anyone has seen changes. Refused if the corrected event no
    longer fits the escalation."""
    fixed = sorted(set(changes) & set(_FIXED_FIELDS))
    if fixed:
        raise ValueError(f"These cannot be changed: {', '.join(fixed)}.")
    if not changes:
        raise ValueError("Nothing to correct.")
    with session.unit_of_work() as s:
        entry = outbox.get(s, item_id)
        if entry.status != outbox.REJECTED:
            raise ValueError("Only an item the server set aside can be corrected.")
        if entry.kind not in ESCALATION_KINDS or entry.escalation_id is None:
            raise ValueError(
                "Only escalation events are corrected here; correct minutes by submitting "
                "a new version."
            )
        unknown = sorted(set(changes) - set(entry.payload))
        if unknown:
            raise ValueError(f"Unknown field(s) for this item: {', '.join(unknown)}.")
        corrected = item_from_wire({**entry.payload, **changes})
        assert not isinstance(
            corrected, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact
        )
        _check_still_fits(session, s, entry.escalation_id, corrected)
        events_repo.replace_unsent_event(s, corrected)
        updated = outbox.replace_payload(s, item_id, corrected, at=session.clock.now())
        session.audit(
            s,
            "update",
            "outbox",
            item_id,
            f"set-aside item corrected ({', '.join(sorted(changes))}) and queued again",
        )
    return _view(updated)


def _check_still_fits(
    session: CaseloadSession, s: DbSession, escalation_id: str, corrected: Any
) -> None:
    from iro_desktop.domain import escalation as esc

    log = [x.event for x in events_repo.events_of(s, escalation_id)]
    swapped = [corrected if e.event_id == corrected.event_id else e for e in log]
    protocol = esc.protocol_from_mapping(session.profile.escalation)
    calendar = session.profile.calendar
    try:
        before = esc.replay(protocol, log, calendar)
        after = esc.replay(protocol, swapped, calendar)
    except ValueError as error:
        raise ValueError(f"The corrected item does not fit its escalation: {error}") from None
    was = {c.event.event_id for c in before.conflicts}
    for conflict in after.conflicts:
        if conflict.event.event_id not in was:
            raise ValueError(f"The corrected item does not fit its escalation: {conflict.reason}")


# --- minutes submitted for sign-off (called by the letters screens) ---------------------------


def enqueue_signoff_decision(
    session: CaseloadSession,
    db: DbSession,
    *,
    submission_id: str,
    approved: bool,
    comment: str = "",
    decided_at: datetime | None = None,
) -> SignoffDecision:
    """Queue a manager's decision on a submission pulled from the server (a manager's
    laptop), inside the caller's unit of work. The server accepts it only from a manager."""
    decision = SignoffDecision(
        item_id=new_id(),
        submission_id=submission_id,
        decision=Decision.APPROVED if approved else Decision.RETURNED,
        comment=comment,
        decided_by=author_name(session),
        decided_at=decided_at or session.clock.now(),
    )
    outbox.enqueue(db, decision, now=session.clock.now())
    return decision


def pulled_items(
    session: CaseloadSession, kind: str | None = None, *, unhandled: bool = True
) -> list[InboxEntry]:
    """Items pulled from the server that are not escalation events, oldest first."""
    with session.unit_of_work() as s:
        return outbox.inbox(s, kind, unhandled=unhandled)


# --- running a sync --------------------------------------------------------------------------


class CaseloadSyncClient(SyncClient):
    """A SyncClient that, after each sync, applies the managers' sign-off decisions it pulled
    to this caseload's letters (services.signoff.apply_pulled_decisions). The sync client
    itself knows nothing of letters."""

    def sync_once(self, *, force: bool = False) -> SyncReport:
        # The service's report facts go with the same push (services.report_facts); a
        # problem making them never stops escalations and sign-offs from syncing.
        from iro_desktop.services import report_facts  # it needs the reports, which need sync

        facts_problem = None
        try:
            if report_facts.facts_due(self.session, force=force):
                report_facts.queue_changed_facts(self.session)
        except Exception as problem:  # whatever it is, the rest of the sync goes on
            facts_problem = f"the report facts were not queued: {problem}"
        report = super().sync_once(force=force)
        if facts_problem and report.error is None and not report.skipped:
            report = replace(report, error=facts_problem)
        if report.skipped:
            return report
        # Pulled pages are kept even when a later step failed, so apply what arrived anyway.
        from iro_desktop.services import signoff  # signoff imports this module late

        try:
            signoff.apply_pulled_decisions(self.session)
        except (ValueError, LookupError, StoreError) as problem:
            # The decision stays in the inbox, to be applied on the next sync.
            if report.error is None:
                return replace(report, error=f"a sign-off decision was not applied: {problem}")
        return report


def client(
    session: CaseloadSession,
    *,
    password: PasswordSource = None,
    server_url: str | None = None,
    username: str | None = None,
    **options: Any,
) -> CaseloadSyncClient:
    """A SyncClient for this caseload (settings.server_url and sync_user unless given) that
    applies pulled sign-off decisions after each sync.

    `password` is a string or a function returning one (asked only if a sign-in is needed);
    it is kept in memory only. Raises ValueError for an address that must not be used.
    """
    if username is None and not (session.settings.sync_user or "").strip():
        username = sync_account(session)
    return CaseloadSyncClient(
        session, server_url=server_url, username=username, password=password, **options
    )


def team_escalations(session: CaseloadSession, *, status: str = "open") -> list[dict[str, Any]]:
    """The server's replay of the escalations this user may see (a manager's whole team),
    for the manager page while online. Raises SyncError (offline, not signed in) or
    ValueError (no usable server address). Makes network calls: not on the database worker."""
    with client(session) as sync:
        return sync.server_escalations(status=status)


def sync_now(
    session: CaseloadSession,
    *,
    password: PasswordSource = None,
    server_url: str | None = None,
    username: str | None = None,
    force: bool = True,
    **options: Any,
) -> SyncReport:
    """One sync, now (the "Sync now" button and the command line). Returns a SyncReport."""
    with client(
        session, password=password, server_url=server_url, username=username, **options
    ) as sync:
        return sync.sync_once(force=force)
