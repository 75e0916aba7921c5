"""Letters already issued, across the caseload, with their distribution log.

Only reads: each issued version with its child, review date, who issued and approved it (by
name, not login), and who it was sent to, how and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.due import display_name
from iro_desktop.services.letter_model import DistributionMethod, LetterStatus
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store import repositories as repo


@dataclass(frozen=True, slots=True)
class SentTo:
    recipient: str
    role: str
    method: str  # "by post", "by secure email" ...
    sent_on: date
    note: str
    recorded_by: str  # a person's name

    @property
    def words(self) -> str:
        who = f"{self.recipient} ({self.role})" if self.role else self.recipient
        return f"{who}, {self.method}"


@dataclass(frozen=True, slots=True)
class IssuedLetter:
    version_id: str
    review_id: str
    child_id: str
    child_name: str
    version: int
    corrects_version: int | None
    review_date: date | None  # the (first) meeting
    issued_on: date | None
    issued_by: str  # a person's name
    approved_by: str
    sent_to: tuple[SentTo, ...]

    @property
    def sent_words(self) -> str:
        if not self.sent_to:
            return "Not recorded as sent to anyone"
        return "; ".join(s.words for s in self.sent_to)


def _method_words(method: str) -> str:
    try:
        return DistributionMethod(method).label
    except ValueError:
        return method


def issued_letters(session: CaseloadSession) -> list[IssuedLetter]:
    """Every issued letter on the caseload, the most recently issued first."""
    found: list[IssuedLetter] = []
    with session.unit_of_work() as s:
        names: dict[str, str] = {}

        def name(login: str | None) -> str:
            if not login:
                return ""
            if login not in names:
                user = repo.get_user(s, login)
                names[login] = (user or {}).get("display_name") or login
            return names[login]

        for row in letters_repo.versions_with_status(s, LetterStatus.ISSUED.value):
            letter = row.letter
            sent = tuple(
                SentTo(
                    recipient=d.recipient,
                    role=d.role,
                    method=_method_words(d.method),
                    sent_on=d.sent_on,
                    note=d.note,
                    recorded_by=name(d.recorded_by),
                )
                for d in letters_repo.distributions_for_review(s, letter.review_id)
                if d.version_id == letter.id
            )
            found.append(
                IssuedLetter(
                    version_id=letter.id,
                    review_id=letter.review_id,
                    child_id=row.child_id,
                    child_name=display_name(
                        row.child_first_name, row.child_last_name, row.child_preferred_name
                    ),
                    version=letter.version,
                    corrects_version=letter.corrects_version,
                    review_date=row.first_meeting_on,
                    issued_on=letter.issued_on,
                    issued_by=name(letter.issued_by),
                    approved_by=letter.approved_by_name or name(letter.approved_by),
                    sent_to=sent,
                )
            )
        session.audit(s, "open", "issued letters", "caseload", f"{len(found)} letters")
    found.sort(key=lambda i: (i.issued_on or date.min, i.child_name), reverse=True)
    return found
