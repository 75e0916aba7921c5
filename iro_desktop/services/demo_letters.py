"""The demo's letters to the child, agreeing with its reviews.

A demo review at "letter drafted" or later has its letter: drafted from the record by the
letters service, then moved (in the store, on the days the review's history says) to where
the review is. A "submitted" review's letter waits in a manager's sign-off inbox; an
"approved" one is approved by the demo's manager; an "issued" one is issued, with the
distribution log saying who it went to. Nothing here changes a review.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from iro_desktop.domain.review import Review, ReviewStatus
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.letter_model import DistributionMethod, LetterStatus
from iro_desktop.store import letter_repository as letters_repo

# The demo's manager (services.window adds the login to a `--demo` caseload).
DEMO_MANAGER_LOGIN = "manager"
DEMO_MANAGER_NAME = "Jo Ledgerwood"
# Issued letters are made for the last few months only.
ISSUED_WITHIN_DAYS = 120

_LETTER_STATES = {
    ReviewStatus.LETTER_DRAFTED: LetterStatus.DRAFT,
    ReviewStatus.SUBMITTED: LetterStatus.SUBMITTED,
    ReviewStatus.APPROVED: LetterStatus.APPROVED,
    ReviewStatus.ISSUED: LetterStatus.ISSUED,
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _with_letters(reviews: Iterable[Review], since: date) -> list[Review]:
    """Every review waiting on its letter, and each child's latest letter issued since
    `since` (all the older ones would only slow the demo down: hundreds of them)."""
    chosen: list[Review] = []
    latest_issued: dict[str, Review] = {}
    for review in reviews:
        if review.status is ReviewStatus.ISSUED:
            held = review.status_since(ReviewStatus.ISSUED) or date.min
            if held < since:
                continue
            best = latest_issued.get(review.child_id)
            if best is None or held > (best.status_since(ReviewStatus.ISSUED) or date.min):
                latest_issued[review.child_id] = review
        elif review.status in _LETTER_STATES:
            chosen.append(review)
    return chosen + sorted(latest_issued.values(), key=lambda r: r.id)


def set_demo_contact_details(session: CaseloadSession) -> None:
    """A demo IRO's phone and email (drama-reserved number, reserved domain), so letters can
    be drafted straight away; an IRO's own details are never overwritten."""
    from iro_desktop.services import letters

    user = session.user
    if not (user.get("phone") or user.get("email")):
        letters.set_contact_details(
            session, phone="0161 496 0000", email=f"{session.username}@council.example"
        )


def add_demo_letters(session: CaseloadSession, reviews: Iterable[Review]) -> int:
    """Draft and move on the letter of every review that has reached its letter. Returns
    how many letters were made."""
    from iro_desktop.services import letters

    set_demo_contact_details(session)  # a letter needs a way for the child to reach the IRO
    made = 0
    since = session.clock.today() - timedelta(days=ISSUED_WITHIN_DAYS)
    for review in _with_letters(reviews, since):
        target = _LETTER_STATES.get(review.status)
        if target is None:
            continue
        opened = letters.start_letter(session, review.id)
        made += 1
        if target is LetterStatus.DRAFT:
            continue
        submitted_on = review.status_since(ReviewStatus.SUBMITTED) or session.clock.today()
        changes: dict[str, Any] = {
            "status": LetterStatus.SUBMITTED.value,
            "submitted_by": session.username,
            "submitted_at": _at(submitted_on),
        }
        approved_on = review.status_since(ReviewStatus.APPROVED) or submitted_on
        issued_on = review.status_since(ReviewStatus.ISSUED) or approved_on
        with session.unit_of_work() as s:
            letters_repo.update_version(s, opened.letter.id, now=_at(submitted_on), **changes)
            if target in (LetterStatus.APPROVED, LetterStatus.ISSUED):
                letters_repo.update_version(
                    s,
                    opened.letter.id,
                    now=_at(approved_on),
                    status=LetterStatus.APPROVED.value,
                    approved_by=DEMO_MANAGER_LOGIN,
                    approved_by_name=DEMO_MANAGER_NAME,
                    approved_at=_at(approved_on),
                )
            if target is LetterStatus.ISSUED:
                letters_repo.update_version(
                    s,
                    opened.letter.id,
                    now=_at(issued_on),
                    status=LetterStatus.ISSUED.value,
                    issued_by=session.username,
                    issued_on=issued_on,
                )
                for recipient, role, method in (
                    ("The child", "Child", DistributionMethod.HAND),
                    ("The child's social worker", "Social worker", DistributionMethod.SECURE_EMAIL),
                ):
                    letters_repo.add_distribution(
                        s,
                        version_id=opened.letter.id,
                        recipient=recipient,
                        role=role,
                        method=method.value,
                        sent_on=issued_on,
                        note="",
                        recorded_by=session.username,
                        now=_at(issued_on),
                    )
    return made
