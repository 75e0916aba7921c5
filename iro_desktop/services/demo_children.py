"""Invented demo children: who they are, their periods of care, the people around them, and
the social worker's visits and any missing episodes.

Pure and deterministic: `generate_children` gives the same children for the same seed, 'as of'
date and calendar, without touching the store, so tests can check every child against the
DfE's rules (domain.episode_rules) directly.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.caseload import (
    Child,
    MissingEpisode,
    PeriodOfCare,
    PlacedForAdoption,
    age_on,
)
from iro_desktop.services import demo_places as places
from iro_desktop.services.demo_episodes import PeriodPlan, build_period
from iro_desktop.services.demo_identity import choose_upn, identity, mother_facts
from iro_desktop.services.demo_people import people_around, visits
from iro_desktop.services.demo_tables import (
    CATEGORY_OF_NEED,
    RECENT_AGE,
    SHOWCASE,
    SURNAMES,
    _date_between,
    _weighted,
    add_years,
)

# Ages of children in care, 0 to 17 (more teenagers than toddlers, as in the seeds).
AGE_WEIGHTS = [6, 5, 5, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11, 11, 9]
EARLIEST = date(2012, 1, 1)


@dataclass
class _Family:
    """What brothers and sisters share: surname, start of care, IRO, ethnicity, home."""

    group: str
    surname: str
    start: date
    iro: str
    ethnicity: str
    home: str


@dataclass
class _Plan:
    """The shape of one child's history before it is built."""

    kind: str  # in_care | care_leaver | left
    dob: date
    uasc: bool
    periods: list[PeriodPlan]


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _born(rng: random.Random, as_of: date, age: int) -> date:
    """A date of birth that makes the child exactly `age` on `as_of`."""
    born = add_years(as_of, -age - 1) + timedelta(days=rng.randint(1, 365))
    return min(born, as_of - timedelta(days=14))  # time to have come into care


def _route(rng: random.Random, age_at_start: int, days_in_care: int) -> str:
    if age_at_start <= 2 and days_in_care > 250 and rng.random() < 0.3:
        return "adoption"
    if age_at_start >= 17:
        return "s20"  # no care order can be made at 17 (Children Act 1989 s31(3))
    if age_at_start == 16:
        return "s20" if rng.random() < 0.75 else "care"
    return "care" if rng.random() < 0.7 else "s20"


def _need(rng: random.Random, route: str, uasc: bool, disabled: bool) -> str:
    if uasc:
        return "N8"  # absent parenting
    if route == "remand":
        return "N6"
    if disabled and rng.random() < 0.4:
        return "N2"
    return _weighted(rng, CATEGORY_OF_NEED)


def _in_care(
    rng: random.Random, as_of: date, showcase: object, family: _Family | None, uasc: bool
) -> tuple[date, date, str]:
    """(date of birth, start of the current period, route) for a child in care now."""
    age = rng.choices(range(18), weights=AGE_WEIGHTS)[0]
    if uasc:
        age = max(age, 14)
    dob = _born(rng, as_of, age)
    earliest = max(dob + timedelta(days=1), as_of - timedelta(days=365 * 8), EARLIEST)
    latest = as_of - timedelta(days=10)
    if family:
        start = max(family.start, earliest)
    elif uasc:
        arrived_from = max(earliest, add_years(dob, 14))
        start = _date_between(
            rng, arrived_from, min(latest, add_years(dob, 18) - _days(rng, 20, 60))
        )
    else:
        start = _date_between(rng, earliest, latest)
    if showcase in RECENT_AGE:
        # Into care about four months ago, so the second review fell due a few days ago.
        start = max(as_of - timedelta(days=RECENT_AGE[showcase] + 120), earliest)  # type: ignore[index]
    if uasc:
        return dob, start, "uasc"
    if showcase is None and age >= 12 and rng.random() < 0.03:
        return dob, max(as_of - _days(rng, 20, 150), earliest), "remand"
    return dob, start, _route(rng, age_on(dob, start), (as_of - start).days)


def _plan(
    rng: random.Random, i: int, as_of: date, family: _Family | None, home: str, disabled: bool
) -> _Plan:
    showcase = SHOWCASE[i] if i < len(SHOWCASE) else None
    roll = 1.0 if showcase is not None or family is not None else rng.random()
    if roll < 0.12:
        return _care_leaver(rng, as_of, home, disabled)
    if roll < 0.17:
        return _left_care(rng, as_of, home, disabled)
    uasc = family is None and showcase is None and rng.random() < 0.07
    dob, start, route = _in_care(rng, as_of, showcase, family, uasc)
    need = _need(rng, route, uasc, disabled)
    plans = [PeriodPlan(start, as_of, route, "open", home, need, disabled)]
    # Some children went home once and came back into care (a new period, RNE 'S').
    gap_from = max(dob + timedelta(days=1), EARLIEST)
    if route in ("care", "s20") and showcase is None and family is None and rng.random() < 0.08:
        before_end = start - _days(rng, 90, 400)
        before_start = before_end - _days(rng, 120, 500)
        if before_start >= gap_from:
            route_before = (
                "care" if age_on(dob, before_start) < 15 and rng.random() < 0.5 else "s20"
            )
            plans.insert(0, PeriodPlan(before_start, before_end, route_before, "home", home,
                                       need, disabled))  # fmt: skip
    return _Plan("in_care", dob, uasc, plans)


def _care_leaver(rng: random.Random, as_of: date, home: str, disabled: bool) -> _Plan:
    # Within the ages both profiles' IROs review pathway plans for (until 21); drawn from
    # 18-21 and capped so every other demo child keeps the same random draws.
    age = min(rng.randint(18, 21), 20)
    dob = _born(rng, as_of, age)
    eighteen = add_years(dob, 18)
    uasc = rng.random() < 0.15
    if uasc:
        start = _date_between(
            rng, add_years(dob, 14) + timedelta(days=30), eighteen - timedelta(days=400)
        )
        route = "uasc"
    else:
        start = _date_between(rng, max(eighteen - timedelta(days=365 * 6), EARLIEST, dob),
                              eighteen - timedelta(days=400))  # fmt: skip
        route = "s20" if age_on(dob, start) >= 16 or rng.random() < 0.4 else "care"
    need = _need(rng, route, uasc, disabled)
    return _Plan("care_leaver", dob, uasc, [
        PeriodPlan(start, eighteen, route, "eighteen", home, need, disabled)
    ])  # fmt: skip


def _left_care(rng: random.Random, as_of: date, home: str, disabled: bool) -> _Plan:
    """Left care in the last few months: adopted, special guardianship, a child arrangements
    order, or home to parents."""
    ending = rng.choices(["home", "sgo", "adopted", "cao"], weights=[45, 25, 20, 10])[0]
    end = as_of - _days(rng, 10, 150)
    low, high = {"adopted": (2, 5), "sgo": (2, 15), "cao": (2, 12)}.get(ending, (1, 16))
    age = rng.randint(low, high)
    dob = _born(rng, as_of, age)
    if ending == "adopted":
        start = _date_between(
            rng, dob + timedelta(days=1), min(add_years(dob, 2), end - timedelta(days=420))
        )
        route = "adoption" if start <= end - timedelta(days=420) else "care"
        ending = ending if route == "adoption" else "home"
    else:
        start = _date_between(rng, max(end - timedelta(days=365 * 4), dob + timedelta(days=1)),
                              end - timedelta(days=200))  # fmt: skip
        start = max(start, dob + timedelta(days=1))
        young = age_on(dob, start) < 16
        route = "care" if ending != "home" or (young and rng.random() < 0.5) else "s20"
    need = _need(rng, route, False, disabled)
    return _Plan("left", dob, False, [PeriodPlan(start, end, route, ending, home, need, disabled)])


def _missing(rng: random.Random, dob: date, periods: tuple[PeriodOfCare, ...], as_of: date
             ) -> tuple[MissingEpisode, ...]:  # fmt: skip
    """Teenagers now and then go missing (M) or stay away without permission (A)."""
    out: list[MissingEpisode] = []
    for period in periods:
        since = max(period.start, add_years(dob, 12))
        until = (period.end or as_of) - timedelta(days=5)
        if since >= until or rng.random() > 0.2:
            continue
        starts = sorted({_date_between(rng, since, until) for _ in range(rng.randint(1, 3))})
        last_end = date.min
        for start in starts:
            if start <= last_end:
                continue
            end = start + _days(rng, 0, 3)
            out.append(MissingEpisode("M" if rng.random() < 0.7 else "A", start, end))
            last_end = end
    return tuple(out)


def _child(
    rng: random.Random,
    i: int,
    seed: int,
    as_of: date,
    iro: str,
    families: list[_Family],
    used_upns: set[str],
    calendar: WorkingCalendar,
) -> Child:
    cid = str(uuid.UUID(int=rng.getrandbits(128)))
    family = families.pop() if families and i >= len(SHOWCASE) and rng.random() < 0.5 else None
    surname = family.surname if family else rng.choice(SURNAMES)
    iro = family.iro if family else iro
    home = family.home if family else places.postcode(rng, in_area=True)
    disabled = rng.random() < 0.1
    plan = _plan(rng, i, as_of, family, home, disabled)
    dob = plan.dob
    age = age_on(dob, as_of)
    disability = rng.choice(["Autism", "Hearing impairment", "Learning disability"]) if (
        disabled and age >= 3) else ""  # fmt: skip
    sex = ("M" if rng.random() < 0.9 else "F") if plan.uasc else rng.choice(["F", "M"])
    who = identity(rng, sex, uasc=plan.uasc, ethnicity=family.ethnicity if family else None,
                   age=age)  # fmt: skip
    periods: list[PeriodOfCare] = []
    decisions: list[PlacedForAdoption] = []
    for period_plan in plan.periods:
        period, decided = build_period(rng, dob, period_plan)
        periods.append(period)
        decisions += decided
    current = periods[-1]
    group = family.group if family else ""
    if family is None and plan.kind == "in_care" and rng.random() < 0.15 and i >= len(SHOWCASE):
        # A brother or sister comes later in the list, into care the same day.
        group = f"SG-{i:04d}"
        families.append(_Family(group, surname, current.start, iro, who.ethnicity, home))
    eighteen = add_years(dob, 18)
    people = people_around(rng, surname, dob, as_of, current, plan.kind, plan.uasc)
    social_worker = next(p.name for p in people if p.role == "social_worker")
    mother, baby = mother_facts(rng, sex, dob, as_of, current)
    child = Child(
        id=cid,
        la_child_id=f"DEMO-{seed % 1000:03d}-{i + 1:05d}",
        legal_first_name=who.first,
        legal_last_name=surname,
        preferred_name=who.preferred,
        date_of_birth=dob,
        sex=sex,
        ethnicity=who.ethnicity,
        uasc=plan.uasc,
        disability=disability,
        communication_needs=f"Interpreter needed ({who.language})" if who.interpreter else "",
        sibling_group=group,
        allocated_iro=iro,
        allocated_on=calendar.next_working_day_on_or_after(current.start),
        care_leaver=plan.kind == "care_leaver",
        periods=tuple(periods),
        people=people,
        upn=choose_upn(
            rng,
            dob,
            as_of,
            used_upns,
            uasc_arrived=periods[0].start if plan.uasc else None,
            in_care_since=current.start,
        ),
        first_language=who.language,
        interpreter_needed=who.interpreter,
        uasc_ceased=eighteen if plan.uasc and eighteen <= as_of else None,
        mother=mother,
        mother_child_dob=baby,
        visits=visits(
            rng, dob, tuple(periods), as_of, social_worker, calendar, who.preferred or who.first
        ),
        adoption_decisions=tuple(decisions),
        missing=_missing(rng, dob, tuple(periods), as_of),
    )
    return child.validated()


def generate_children(
    n: int,
    seed: int,
    as_of: date,
    iro_names: list[str],
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> list[Child]:
    """The demo's children, the same for the same arguments (no reviews; see demo)."""
    rng = random.Random(f"demo-children:{seed}")
    families: list[_Family] = []
    used_upns: set[str] = set()
    return [
        _child(rng, i, seed, as_of, iro_names[i % len(iro_names)], families, used_upns, calendar)
        for i in range(n)
    ]
