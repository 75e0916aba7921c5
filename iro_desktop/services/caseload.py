"""The caseload list and a child's record."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, age_on
from iro_desktop.domain.due import DueItem, DueKind, due_items, in_pathway_age
from iro_desktop.services import due as due_service
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload list."""

    id: str
    name: str
    preferred_name: str
    date_of_birth: date
    age: int
    legal_status: str
    legal_status_words: str
    placement: str
    placement_words: str
    allocated_iro: str
    next_review_due: date | None
    working_days_left: int | None
    status: str
    care_leaver: bool
    uasc: bool
    sibling_group: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "preferred_name": self.preferred_name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "age": self.age,
            "legal_status": self.legal_status,
            "placement": self.placement,
            "allocated_iro": self.allocated_iro,
            "next_review_due": self.next_review_due.isoformat() if self.next_review_due else None,
            "working_days_left": self.working_days_left,
            "status": self.status,
            "care_leaver": self.care_leaver,
            "uasc": self.uasc,
        }


def next_review(
    child: Child, session: CaseloadSession, today: date
) -> tuple[DueItem | None, list[DueItem]]:
    """The child's review row and all their due rows, by the dashboard's own rules."""
    state = due_service.state_from_child(child, session.profile.series_basis)
    items = due_items([state], today, session.profile)
    return due_service.review_item(items), items


def next_review_due(child: Child, session: CaseloadSession) -> date | None:
    """The next statutory review (or pathway plan review) date for the child."""
    item, _ = next_review(child, session, session.clock.today())
    return item.due_date if item else None


_OPEN_STATUS_WORDS = {
    "stood_down": "stood down, to be rearranged",
    "preparing": "preparing",
}


def _past_pathway_age(session: CaseloadSession) -> str:
    profile = session.profile
    return (
        f"the IRO reviews pathway plans until {profile.pathway_reviews_until_age} ({profile.name})"
    )


def _status_words(child: Child, item: DueItem | None, items: list[DueItem]) -> str:
    return _listed_status(
        child.care_leaver,
        bool(child.periods),
        item,
        items,
        [(r.kind, r.status) for r in child.reviews],
    )


def _care_leaver_words(care_leaver: bool, status: str) -> str:
    if not care_leaver:
        return status
    return "Care leaver: " + (status[0].lower() + status[1:] if status[:2] != "No" else status)


def _listed_status(
    care_leaver: bool,
    has_periods: bool,
    item: DueItem | None,
    items: list[DueItem],
    reviews: list[tuple[str, str]],
) -> str:
    if item is None:
        if care_leaver:
            return "No pathway review yet"
        return "Left care" if has_periods else "Not looked after yet: start a period of care"
    # Short enough for the caseload's Status column at 1280x800: the column beside it already
    # says "Next review", so the words start at what matters ("Overdue by 3 working days").
    words = item.status
    notes = [i.status[0].lower() + i.status[1:] for i in items if i.kind is DueKind.SERIES_OPEN]
    kind = "pathway_plan" if item.kind is DueKind.PATHWAY_REVIEW_DUE else "looked_after"
    notes += [
        _OPEN_STATUS_WORDS[status]
        for review_kind, status in reviews
        if review_kind == kind and status in _OPEN_STATUS_WORDS
    ]
    return words + (f" ({'; '.join(notes)})" if notes else "")


def caseload_row(child: Child, session: CaseloadSession, today: date) -> CaseloadRow:
    period = child.current_period
    episode = period.current_episode if period else None
    try:
        item, items = next_review(child, session, today)
        due = item.due_date if item else None
        left = item.working_days_left if item else None
        status = _status_words(child, item, items)
        if child.care_leaver and not in_pathway_age(child.date_of_birth, today, session.profile):
            status = _past_pathway_age(session)
    except ValueError as exc:
        due, left, status = None, None, f"Dates need checking: {exc}"
    legal = episode.legal_status if episode else ""
    place = episode.placement_type if episode else ""
    return CaseloadRow(
        id=child.id,
        name=child.name,
        preferred_name=child.preferred_name,
        date_of_birth=child.date_of_birth,
        age=child.age(today),
        legal_status=legal,
        legal_status_words=codes.LEGAL_STATUSES.get(legal, ""),
        placement=place,
        placement_words=codes.PLACEMENT_SHORT.get(place, ""),
        allocated_iro=child.allocated_iro,
        next_review_due=due,
        working_days_left=left,
        status=_care_leaver_words(child.care_leaver, status),
        care_leaver=child.care_leaver,
        uasc=child.uasc,
        sibling_group=child.sibling_group,
    )


def caseload(session: CaseloadSession, *, iro: str | None = None) -> list[CaseloadRow]:
    """The caseload list (everyone's, or one IRO's), by name."""
    return [entry.row for entry in listed(session, iro=iro)]


@dataclass(frozen=True)
class ListedRow:
    """A caseload row plus what the list searches on that the row does not carry."""

    row: CaseloadRow
    la_child_id: str


def listed(session: CaseloadSession, *, iro: str | None = None) -> list[ListedRow]:
    """The caseload list from the dashboard's lean rows: a manager's 1,300 children without
    loading a single full record. Each row says the same as `caseload_row` on the full record
    (tests/services/test_caseload_list.py holds the two together)."""
    today = session.clock.today()
    profile = session.profile
    with session.unit_of_work() as s:
        rows = reviews_repo.due_rows(s, iro)
        extra = reviews_repo.listed_children(s, rows.periods, iro)
    states = due_service.build_caseload_due(rows, profile.series_basis).states
    by_child: dict[str, list[DueItem]] = {}
    problems: dict[str, str] = {}
    try:
        every = due_items(states, today, profile)
    except ValueError:
        every = []
        for state in states:  # find the child whose dates cannot be worked out
            try:
                every += due_items([state], today, profile)
            except ValueError as exc:
                problems[state.child_id] = str(exc)
    for one in every:
        by_child.setdefault(one.child_id, []).append(one)
    out = []
    for child_id, first, last, preferred, care_leaver, _dob in rows.children:
        more = extra[child_id]
        items = by_child.get(child_id, [])
        item = due_service.review_item(items)
        if child_id in problems:
            due, left, status = None, None, f"Dates need checking: {problems[child_id]}"
        else:
            due = item.due_date if item else None
            left = item.working_days_left if item else None
            status = _listed_status(
                care_leaver,
                child_id in rows.periods,
                item,
                items,
                [(r.kind, r.status) for r in rows.reviews.get(child_id, [])],
            )
            if care_leaver and not in_pathway_age(more.date_of_birth, today, profile):
                status = _past_pathway_age(session)
        row = CaseloadRow(
            id=child_id,
            name=f"{first} {last}".strip(),
            preferred_name=preferred,
            date_of_birth=more.date_of_birth,
            age=age_on(more.date_of_birth, today),
            legal_status=more.legal_status,
            legal_status_words=codes.LEGAL_STATUSES.get(more.legal_status, ""),
            placement=more.placement_type,
            placement_words=codes.PLACEMENT_SHORT.get(more.placement_type, ""),
            allocated_iro=more.allocated_iro,
            next_review_due=due,
            working_days_left=left,
            status=_care_leaver_words(care_leaver, status),
            care_leaver=care_leaver,
            uasc=more.uasc,
            sibling_group=more.sibling_group,
        )
        out.append(ListedRow(row, more.la_child_id))
    return out


def children(session: CaseloadSession) -> list[Child]:
    with session.unit_of_work() as s:
        return repo.list_children(s)


def open_child(session: CaseloadSession, child_id: str) -> Child:
    """A child's full record; the opening is audited."""
    with session.unit_of_work() as s:
        child = repo.get_child(s, child_id)
        session.audit(s, "open", "child", child_id)
    return child


def save_child(session: CaseloadSession, child: Child) -> Child:
    if not child.id:
        child = replace(child, id=str(uuid.uuid4()))
    child.validated()
    with session.unit_of_work() as s:
        created = repo.save_child(s, child, session.now())
        session.audit(s, "create" if created else "update", "child", child.id, child.la_child_id)
    return child


def audit_trail(session: CaseloadSession, entity_id: str | None = None) -> list[dict[str, Any]]:
    with session.unit_of_work() as s:
        return repo.audit_entries(s, entity_id)


# --- drafts and where the IRO was -----------------------------------------------------------


def save_draft(session: CaseloadSession, key: str, payload: dict[str, Any]) -> None:
    with session.unit_of_work() as s:
        repo.save_draft(s, key, session.username, payload, session.now())


def load_draft(session: CaseloadSession, key: str) -> dict[str, Any] | None:
    with session.unit_of_work() as s:
        return repo.load_draft(s, key)


def discard_draft(session: CaseloadSession, key: str) -> None:
    discard_drafts(session, [key])


def discard_drafts(session: CaseloadSession, keys: Iterable[str]) -> None:
    """Forget saved drafts that their pages have since saved or undone, in one write."""
    with session.unit_of_work() as s:
        for key in keys:
            repo.delete_draft(s, key)


def save_session_state(session: CaseloadSession, state: dict[str, Any]) -> None:
    with session.unit_of_work() as s:
        repo.save_session_state(s, session.username, state, session.now())


def load_session_state(session: CaseloadSession) -> dict[str, Any]:
    with session.unit_of_work() as s:
        return repo.load_session_state(s, session.username)
