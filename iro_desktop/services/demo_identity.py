"""Who a demo child is: name and the name they go by, ethnicity (DfE codes), first language,
UPN, and the 903 header facts (MOTHER, MC_DOB)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain.caseload import PeriodOfCare
from iro_desktop.services.demo_tables import (
    ETHNICITY_WEIGHTS,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    NAMES_BY_ETHNICITY,
    NICKNAMES,
    OTHER_LANGUAGES,
    UASC_ORIGINS,
    _date_between,
    _weighted,
    add_years,
)

# The DfE's UPN check letter: the remainder of the weighted sum divided by 23 (no I, O, S).
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# An LA number (Manchester's, to match the demo's postcodes) and establishment numbers in a
# range that is not used for schools, so a demo UPN cannot be a real pupil's.
_LA_NUMBER = "352"


def upn_check_letter(twelve: str) -> str:
    total = sum(int(ch) * weight for ch, weight in zip(twelve, range(2, 14), strict=True))
    return _CHECK_LETTERS[total % 23]


def make_upn(rng: random.Random, dob: date, used: set[str]) -> str:
    """A well-formed UPN (check letter, LA number, establishment, year, serial), unique in
    the demo (DfE rule 444)."""
    while True:
        year = f"{(dob.year + rng.choice([4, 5])) % 100:02d}"
        twelve = f"{_LA_NUMBER}9{rng.randint(0, 999):03d}{year}{rng.randint(1, 999):03d}"
        upn = upn_check_letter(twelve) + twelve
        if upn not in used:
            used.add(upn)
            return upn


def is_school_age(dob: date, as_of: date) -> bool:
    """School age as DfE rule 209 counts it: 4 by 31 August before the collection year."""
    collection_start = as_of.year if as_of.month >= 4 else as_of.year - 1
    return add_years(dob, 4) <= date(collection_start - 1, 8, 31)


def choose_upn(
    rng: random.Random,
    dob: date,
    as_of: date,
    used: set[str],
    *,
    uasc_arrived: date | None,
    in_care_since: date,
) -> str:
    """A UPN, or the DfE's 'unknown' code that fits: UN1 only before school age (rule 209),
    UN4 for a child in their first week of care, UN2 for a young person who arrived in
    England recently or too old for school, now and then UN5 (the sources disagree)."""
    if not is_school_age(dob, as_of):
        return "UN1"
    # UN4 only in a child's first week in care (DfE rule 210).
    if (as_of - in_care_since).days < 7:
        return "UN4"
    if uasc_arrived is not None and (
        (as_of - uasc_arrived).days < 90
        or (uasc_arrived >= add_years(dob, 16) and rng.random() < 0.6)
    ):
        return "UN2"  # has not been to school in England
    if rng.random() < 0.02:
        return "UN5"
    return make_upn(rng, dob, used)


@dataclass(frozen=True)
class Identity:
    first: str
    preferred: str
    ethnicity: str
    language: str
    interpreter: bool


def preferred_name(rng: random.Random, first: str) -> str:
    """A real short form of the first name for about a third of those who have one."""
    options = NICKNAMES.get(first, ())
    return rng.choice(options) if options and rng.random() < 0.35 else ""


def identity(
    rng: random.Random, sex: str, *, uasc: bool, ethnicity: str | None, age: int
) -> Identity:
    """`ethnicity` is given for a sibling (the family's); otherwise it is chosen here."""
    if uasc:
        origin = rng.choices(UASC_ORIGINS, weights=[o[0] for o in UASC_ORIGINS])[0]
        _, code, languages, boys, girls = origin
        first = rng.choice(girls if sex == "F" else boys)
        language = rng.choice(languages)
        # Most newly arrived young people need an interpreter at first.
        return Identity(first, preferred_name(rng, first), code, language, rng.random() < 0.6)
    code = ethnicity or _weighted(rng, ETHNICITY_WEIGHTS)
    pool = FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M
    if code in NAMES_BY_ETHNICITY and rng.random() < 0.5:
        pool = NAMES_BY_ETHNICITY[code][0 if sex == "F" else 1]
    first = rng.choice(pool)
    language = "English"
    chance, others = OTHER_LANGUAGES.get(code, (0.0, ()))
    if others and rng.random() < chance:
        language = rng.choice(others)
    interpreter = language != "English" and age >= 8 and rng.random() < 0.05
    return Identity(first, preferred_name(rng, first), code, language, interpreter)


def mother_facts(
    rng: random.Random, sex: str, dob: date, as_of: date, care: PeriodOfCare
) -> tuple[str, date | None]:
    """903 MOTHER and MC_DOB: blank for boys; for girls '0', or '1' for a few young women
    whose first baby was born while they were looked after (`care`, their latest period),
    after their 15th birthday. The DfE asks for MOTHER for every girl looked after, whatever
    her age (rule 393).

    The baby is born in her first episode (she then moves, to a parent and baby placement
    say): DfE rule 625 refuses a baby born after the end of the last episode that ended in
    the year, so this keeps every year's return right."""
    if sex != "F":
        return "", None
    since = max(add_years(dob, 15), care.start)
    first_end = care.episodes[0].end if care.episodes else None
    until = min(first_end or care.end or as_of, as_of - timedelta(days=30))
    if since < until and rng.random() < 0.06:
        return "1", _date_between(rng, since, until)
    return "0", None
