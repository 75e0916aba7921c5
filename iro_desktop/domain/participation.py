"""The child's participation in the review: age on the review date and the DfE PN code.

PN0 means exactly "under 4 at the time of the review", so the code is fixed by the child's
date of birth for the youngest children and never allowed for anyone older. Ages follow the
law of England: someone born on 29 February has their birthday on 1 March in other years.
"""

from __future__ import annotations

from datetime import date

from iro_desktop.domain.codes import PARTICIPATION_CODES, check_participation_code
from iro_desktop.domain.review_record import say_date

PN0_UNDER_AGE = 4
CHAIR_AGE_FROM = 11  # Manchester's target is for children over 11 chairing or co-chairing

ATTENDED_CODES: frozenset[str] = frozenset({"PN1", "PN2", "PN3", "PN4"})
# "Participated" as the seeds count it: attended or had views put to the review (PN1-PN6).
PARTICIPATED_CODES: frozenset[str] = frozenset({"PN1", "PN2", "PN3", "PN4", "PN5", "PN6"})
# "Shared their views" (Cheshire East 2023/24: 98%): spoke, conveyed them symbolically, through
# an advocate or a facilitative medium. PN4 attends without conveying views: not counted.
SHARED_VIEWS_CODES: frozenset[str] = frozenset({"PN1", "PN2", "PN3", "PN5", "PN6"})
VIEWS_CONVEYED_CODES: frozenset[str] = SHARED_VIEWS_CODES
AGED_FOUR_PLUS_CODES: frozenset[str] = frozenset(PARTICIPATION_CODES) - {"PN0"}


def birthday_in(dob: date, year: int) -> date:
    """The child's birthday in `year`; 29 February falls on 1 March outside leap years."""
    try:
        return dob.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


def age_on(dob: date, on: date) -> int:
    """Completed years of age on `on`."""
    if on < dob:
        raise ValueError(
            f"The date {on.isoformat()} is before the child's date of birth {dob.isoformat()}."
        )
    years = on.year - dob.year
    if on < birthday_in(dob, on.year):
        years -= 1
    return years


def suggest_pn_code(dob: date, review_date: date) -> str | None:
    """PN0 for a child under 4 on the review date; otherwise the IRO must choose (None)."""
    return "PN0" if age_on(dob, review_date) < PN0_UNDER_AGE else None


def pn_code_conflict(dob: date, review_date: date, code: str) -> str | None:
    """Why `code` contradicts the child's age on the review date, or None when it fits."""
    code = check_participation_code(code)
    age = age_on(dob, review_date)
    when = say_date(review_date)
    if age < PN0_UNDER_AGE and code != "PN0":
        return (
            f"The child was {age} on the review date ({when}), so the participation code is "
            f"PN0 (under 4), not {code}."
        )
    if age >= PN0_UNDER_AGE and code == "PN0":
        return (
            f"PN0 is only for children under 4; the child was {age} on the review date "
            f"({when}). Choose the code for how they took part (PN1-PN7)."
        )
    return None


def child_attended(code: str | None) -> bool:
    return code in ATTENDED_CODES
