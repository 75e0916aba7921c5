"""A review before a significant change to the care plan (Care Planning regs, reg 32).

A placement move or the end of care needs a review first unless that is not reasonably
practicable. When the caseload records such a change, the IRO is asked whether a review is
needed; the answer is "review booked" or "not needed, because ..." (a reason is required, and
is kept on the child's record as part of the IRO's oversight).

The question is asked for changes recorded in the last `QUESTION_DAYS` days (older history,
such as an imported 903 return, is not asked about), unless a review was held in the
`QUESTION_DAYS` days before the change or since.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.review_record import say_date

QUESTION_DAYS = 28
NOTE_KIND = "significant_change"  # the kind of the IRO's note that answers the question


class ChangeKind(enum.StrEnum):
    PLACEMENT_MOVE = "placement_move"
    ENDING_CARE = "ending_care"

    @property
    def label(self) -> str:
        return {
            ChangeKind.PLACEMENT_MOVE: "Placement move",
            ChangeKind.ENDING_CARE: "Ceasing to be looked after",
        }[self]


class Answer(enum.StrEnum):
    REVIEW_BOOKED = "review_booked"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True, slots=True)
class SignificantChange:
    kind: ChangeKind
    on: date

    @property
    def key(self) -> str:
        """Names this change for its answer (the same change always has the same key)."""
        return f"{self.kind.value}:{self.on.isoformat()}"

    @property
    def words(self) -> str:
        return f"{self.kind.label} on {say_date(self.on)}: is a review needed first?"


@dataclass(frozen=True, slots=True)
class PlacementRun:
    """One episode of the period, as far as moves go (oldest first)."""

    start: date
    placement_type: str
    provider: str = ""
    postcode: str = ""


def changes_in_period(
    episodes: Sequence[PlacementRun], period_end: date | None = None
) -> tuple[SignificantChange, ...]:
    """The moves within the period (an episode in a different placement from the one before;
    a change of legal status alone is not a move) and its end, oldest first."""
    found: list[SignificantChange] = []
    for before, after in zip(episodes, episodes[1:], strict=False):
        where_before = (before.placement_type, before.provider, before.postcode)
        if (after.placement_type, after.provider, after.postcode) != where_before:
            found.append(SignificantChange(ChangeKind.PLACEMENT_MOVE, after.start))
    if period_end is not None:
        found.append(SignificantChange(ChangeKind.ENDING_CARE, period_end))
    return tuple(found)


def open_questions(
    changes: Iterable[SignificantChange],
    *,
    today: date,
    answered: Iterable[str] = (),
    held_reviews: Iterable[date] = (),
) -> tuple[SignificantChange, ...]:
    """The changes the IRO still has to answer for, oldest first."""
    done = set(answered)
    held = list(held_reviews)
    since = today - timedelta(days=QUESTION_DAYS)
    return tuple(
        c for c in changes if c.on >= since and c.key not in done and not reviewed(c, held)
    )


def reviewed(change: SignificantChange, held_reviews: Iterable[date]) -> bool:
    """A review was held in the `QUESTION_DAYS` days before the change, or since."""
    start = change.on - timedelta(days=QUESTION_DAYS)
    return any(h >= start for h in held_reviews)


@dataclass(frozen=True, slots=True)
class ChangeAnswer:
    """The IRO's answer to "is a review needed before this change?"."""

    change: SignificantChange
    answer: Answer
    on: date
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.change.key,
            "change": self.change.kind.value,
            "change_on": self.change.on.isoformat(),
            "answer": self.answer.value,
            "on": self.on.isoformat(),
            "reason": self.reason,
        }

    @property
    def words(self) -> str:
        what = f"{self.change.kind.label} on {say_date(self.change.on)}"
        if self.answer is Answer.REVIEW_BOOKED:
            return f"{what}: review booked."
        return f"{what}: a review was not needed, because {self.reason}"


def answer_change(
    change: SignificantChange, answer: Answer, *, on: date, reason: str = ""
) -> ChangeAnswer:
    """The IRO's answer, checked: "not needed" must say why."""
    check_in_range(on, "date of the answer")
    text = " ".join(reason.split())
    if answer is Answer.NOT_NEEDED and not text:
        raise ValueError(
            "Say why a review is not needed before this change (for example, the move was "
            "an emergency and a review was not reasonably practicable)."
        )
    return ChangeAnswer(change, answer, on, text)


def answered_keys(records: Iterable[dict[str, Any]]) -> frozenset[str]:
    """The keys of the changes answered, from the stored answers."""
    return frozenset(str(r["key"]) for r in records if isinstance(r, dict) and r.get("key"))
