"""Who each unsent or set-aside item is about: the child (or children) it concerns and, for
minutes sent for sign-off, the date of the review. A list of "Response recorded" lines with
no names cannot be acted on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.sync import OutboxItemView
from iro_desktop.store import DbSession, outbox, review_repository
from iro_desktop.store import escalation_repository as events_repo

NOT_HERE = "a child not on this caseload"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short(d: date) -> str:
    """27 Oct 2026, as the window writes dates (month names spelled here, not by locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def with_about(session: CaseloadSession, items: Sequence[OutboxItemView]) -> list[OutboxItemView]:
    """The items, each with `about` filled in (read in one unit of work)."""
    with session.unit_of_work() as s:
        reviews: dict[str, str] = {}
        result = []
        for item in items:
            try:
                about = _about(s, item, reviews)
            except (LookupError, ValueError, TypeError):
                about = ""  # a damaged item is still listed; it just cannot be named
            result.append(replace(item, about=about))
        return result


def _names(s: DbSession, child_ids: Sequence[str]) -> str:
    named = events_repo.children_named(s, child_ids)
    names = [named[c][0] if c in named and named[c][0] else NOT_HERE for c in child_ids]
    return ", ".join(dict.fromkeys(names))


def _review_words(s: DbSession, review_id: str, cache: dict[str, str]) -> str:
    if review_id not in cache:
        row = review_repository.load_review(s, review_id).row
        when: date | None = row.timeliness_date or row.first_meeting_on or row.planned_date
        names = _names(s, [row.child_id])
        cache[review_id] = f"{names} (review of {_short(when)})" if when else names
    return cache[review_id]


def _about(s: DbSession, item: OutboxItemView, reviews: dict[str, str]) -> str:
    payload = item.payload
    if item.escalation_id:
        log = events_repo.events_of(s, item.escalation_id)
        raised = next((e.event for e in log if hasattr(e.event, "child_ids")), None)
        ids = tuple(getattr(raised, "child_ids", ()) or payload.get("child_ids", ()))
        return _names(s, ids) if ids else ""
    review_id = payload.get("review_id")
    if isinstance(review_id, str):
        return _review_words(s, review_id, reviews)
    submission = payload.get("submission_id")
    if isinstance(submission, str):
        found = outbox.get(s, submission).payload.get("review_id")
        return _review_words(s, found, reviews) if isinstance(found, str) else ""
    return ""
