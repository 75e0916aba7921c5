"""Name-free review facts for the service's annual report, queued through the outbox.

Before each sync the laptop works out, from the same summaries its own annual report uses
(services.reports.gather_inputs), one fact per review and one per child, and queues those that
changed since the last one queued (or were never sent). A fact names the child only by
HMAC-SHA256(service report key, LA child id) and the review by HMAC of its id: no name, date
of birth, free text or local id leaves the laptop (domain/report_facts.py says why the key is
safe to share among the service's laptops and never given to the server).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from iro_desktop.domain.caseload import Child
from iro_desktop.domain.codes import (
    ETHNICITIES,
    LEGACY_PLACEMENT_TYPES,
    LEGAL_STATUSES,
    PLACEMENT_TYPES,
    SEXES,
)
from iro_desktop.domain.report_facts import age_band, check_service_key, pseudonym
from iro_desktop.services import reports
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.authorship import author_name
from iro_desktop.store import outbox
from iro_desktop.store import repositories as repo
from iro_desktop.sync.protocol import (
    FACT_KINDS,
    ChildFact,
    ReportFact,
    ReviewFact,
    fact_key,
    item_to_wire,
)

__all__ = ["FactsQueued", "current_facts", "facts_due", "queue_changed_facts"]

# Working the facts out reads every review record: on the window's sync timer, at most this
# often (and always on "Sync now"); each laptop session remembers when it last did.
CHECK_EVERY = timedelta(hours=1)
_last_checked: dict[int, datetime] = {}  # by id(session): sessions are not hashable


def facts_due(session: CaseloadSession, *, force: bool = False) -> bool:
    if not session.settings.report_key.strip():
        return False
    last = _last_checked.get(id(session))
    return force or last is None or session.clock.now() - last >= CHECK_EVERY


@dataclass(frozen=True)
class FactsQueued:
    queued: int  # facts queued now (new or changed)
    unchanged: int
    skipped: int  # could not be made into a valid fact (counted, never sent half-made)


def _episode_on(child: Child, on: date) -> tuple[str, str]:
    """(legal status, placement type) on `on`; the latest before it if care had ended."""
    best: tuple[date, str, str] | None = None
    for period in child.periods:
        for episode in period.episodes:
            if episode.start <= on and (best is None or episode.start >= best[0]):
                best = (episode.start, episode.legal_status, episode.placement_type)
    return ("", "") if best is None else (best[1], best[2])


def _known(code: str, *tables: dict[str, str]) -> str:
    """The code if the facts may carry it; blank ("Not recorded") otherwise."""
    value = code.strip().upper()
    return value if any(value in table for table in tables) else ""


def current_facts(
    session: CaseloadSession, *, author: str | None = None
) -> tuple[list[ReportFact], int]:
    """Every review and child on this caseload as a name-free fact (each with a fresh id),
    and how many reviews could not be made into one.

    Raises ValueError when no report key is set (nothing may be sent without one)."""
    secret = check_service_key(session.settings.report_key)
    who = author or author_name(session)
    inputs = reports.gather_inputs(session)
    with session.unit_of_work() as s:
        children = {child.id: child for child in repo.list_children(s)}

    def child_key(child_id: str) -> str:
        child = children.get(child_id)
        stable = child.la_child_id.strip() if child and child.la_child_id.strip() else child_id
        return pseudonym(secret, "child", stable)

    forms: dict[str, list[Any]] = {}
    for form in inputs.consultations:
        forms.setdefault(form.review_id, []).append((form.role, form.sent_on, form.received_on))
    facts: list[ReportFact] = []
    skipped = 0
    for r in inputs.reviews:
        child = children.get(r.child_id)
        legal, placement = ("", "") if child is None else _episode_on(child, r.held_on or r.due_on)
        try:
            fact = ReviewFact(
                item_id=uuid.uuid4().hex,
                author=who,
                review_key=pseudonym(secret, "review", r.review_id),
                child_key=child_key(r.child_id),
                review_kind=r.kind,
                due_on=r.due_on,
                held_on=r.held_on,
                completed_on=r.completed_on,
                review_number=r.review_number,
                age_band="" if r.child_age is None else age_band(r.child_age),
                sex=_known(child.sex, SEXES) if child else "",
                ethnicity=_known(child.ethnicity, ETHNICITIES) if child else "",
                legal_status=_known(legal, LEGAL_STATUSES),
                placement_type=_known(placement, PLACEMENT_TYPES, LEGACY_PLACEMENT_TYPES),
                participation_code=r.participation_code,
                child_chair=r.child_chair,
                child_attended=r.child_attended,
                consulted_before=r.consulted_before,
                recommendations_issued_on=r.recommendations_issued_on,
                letter_issued_on=r.letter_issued_on,
                permanence_plan_agreed=r.permanence_plan_agreed,
                social_worker_attended=r.social_worker_attended,
                social_worker_report=r.social_worker_report,
                parent_invited=r.parent_invited,
                parent_attended=r.parent_attended,
                rearrangements=r.rearrangements,
                meetings=r.meetings,
                extra=r.extra,
                consultations=tuple(forms.get(r.review_id, ())),
            )
        except ValueError:
            skipped += 1  # a fact the server would refuse: never sent half-made
            continue
        facts.append(fact)
    allocated = {a.child_id for a in inputs.allocations}
    for child in children.values():
        facts.append(
            ChildFact(
                item_id=uuid.uuid4().hex,
                author=who,
                child_key=child_key(child.id),
                allocated=child.id in allocated,
                care_leaver=child.care_leaver,
            )
        )
    return facts, skipped


def _content(wire: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wire.items() if k not in ("id", "author")}


def queue_changed_facts(session: CaseloadSession) -> FactsQueued:
    """Queue the facts that changed since the last queued (nothing without a report key)."""
    if not session.settings.report_key.strip():
        return FactsQueued(0, 0, 0)
    facts, skipped = current_facts(session)
    _last_checked[id(session)] = session.clock.now()
    queued = unchanged = 0
    with session.unit_of_work() as s:
        latest: dict[str, dict[str, Any]] = {}
        for entry in outbox.items(s):
            if entry.kind in FACT_KINDS:
                key = (
                    f"review:{entry.payload.get('review_key')}"
                    if entry.kind == ReviewFact.kind
                    else f"child:{entry.payload.get('child_key')}"
                )
                latest[key] = _content(entry.payload)
        for fact in facts:
            if latest.get(fact_key(fact)) == _content(item_to_wire(fact)):
                unchanged += 1
                continue
            try:
                outbox.enqueue(s, fact, now=session.clock.now())
            except ValueError:
                skipped += 1  # a fact the server would refuse: never sent half-made
                continue
            queued += 1
        if queued:
            session.audit(s, "export", "report", "review-facts", f"{queued} name-free facts queued")
    return FactsQueued(queued, unchanged, skipped)
