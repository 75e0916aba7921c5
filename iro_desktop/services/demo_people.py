"""The people around a demo child, and the social worker's visits to them.

People fit the child's age and where they live now: a health visitor for a toddler and the
looked after children nurse later, a nursery key worker, designated teacher or college tutor,
a key worker in a children's home, a personal adviser for care leavers. Visits follow reg 28:
within a week of a move, then every four to six weeks (now and then late), on working days.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.caseload import PeriodOfCare, Person, SocialWorkerVisit, age_on
from iro_desktop.services.demo_phrases import VISIT_NOTES, pick
from iro_desktop.services.demo_tables import SOCIAL_WORKERS, SURNAMES, on_or_before, working_near


def _education(age: int) -> Person | None:
    if age < 2:
        return None
    if age <= 4:
        return Person("education", "Nursery key worker (demo)", "Early years setting")
    if age <= 15:
        return Person("education", "Designated teacher (demo)", "Virtual School")
    if age <= 17:
        return Person("education", "College tutor (demo)", "College")
    return None


def _carer(rng: random.Random, place: str, surname_pool: list[str]) -> Person | None:
    if place == "P1":
        return None  # at home: the parents are the carers
    if place in ("K1", "K2", "S1"):
        return Person(
            "carer", f"{rng.choice(['Jess', 'Marcus', 'Ade'])} (key worker)", "Children's home"
        )
    if place == "K3":
        return Person("carer", f"{rng.choice(['Lou', 'Ravi'])} (support worker)",
                      "Supported accommodation")  # fmt: skip
    words = "Adopters" if place.startswith("A") else "Carer"
    return Person("carer", f"{rng.choice(['Pat', 'Sue', 'Mo', 'Viv'])} {rng.choice(surname_pool)}",
                  words)  # fmt: skip


def people_around(
    rng: random.Random,
    surname: str,
    dob: date,
    as_of: date,
    current: PeriodOfCare,
    kind: str,
    uasc: bool,
) -> tuple[Person, ...]:
    age = age_on(dob, as_of)
    sw_first = rng.choice(SOCIAL_WORKERS)
    people = [
        Person(
            "social_worker",
            f"{sw_first} {rng.choice(SURNAMES)}",
            "Children's Social Care",
            "0161 000 " + f"{rng.randint(0, 9999):04d}",
            f"{sw_first.lower()}@example.invalid",
        ),
        Person(
            "team_manager",
            f"{rng.choice(['Jo', 'Alex', 'Kim'])} {rng.choice(SURNAMES)}",
            "Children's Social Care",
        ),
    ]
    if age < 5:
        people.append(Person("health", "Health visitor (demo)", "Community health"))
    else:
        people.append(Person("health", "Looked After Children nurse (demo)", "Community health"))
    school = _education(age)
    if school is not None:
        people.append(school)
    if not uasc:
        people.append(Person("parent", f"{rng.choice(['Dana', 'Lee', 'Chris'])} {surname}", ""))
        if rng.random() < 0.6:
            people.append(
                Person("parent", f"{rng.choice(['Jordan', 'Robin', 'Sky'])} {rng.choice(SURNAMES)}")
            )
    last = current.current_episode
    staying_put = last is not None and last.reason_ended == "E17"
    if last is not None and (kind != "care_leaver" or staying_put):
        carer = _carer(rng, last.placement_type, SURNAMES)
        if carer is not None:
            people.append(carer)
    if age >= 5 and rng.random() < 0.3:
        people.append(Person("advocate", "Advocate (demo advocacy service)", "Advocacy service"))
    if age >= 5 and rng.random() < 0.1:
        people.append(Person("independent_visitor", f"Ivy {rng.choice(SURNAMES)}", "IV scheme"))
    if kind == "care_leaver" or (age == 17 and rng.random() < 0.5):
        people.append(
            Person("personal_adviser", f"Pip {rng.choice(SURNAMES)}", "Leaving care team")
        )
    return tuple(people)


def _seen_alone(rng: random.Random, age: int) -> bool | None:
    if rng.random() < 0.02:
        return None  # not recorded
    if age < 4:
        return False
    return rng.random() < (0.4 if age < 8 else 0.85)


def visits(
    rng: random.Random,
    dob: date,
    periods: tuple[PeriodOfCare, ...],
    as_of: date,
    social_worker: str,
    calendar: WorkingCalendar,
    name: str,
) -> tuple[SocialWorkerVisit, ...]:
    """Statutory visits in each period of care, on working days, never after 'today'."""
    today = on_or_before(calendar, as_of)
    out: list[SocialWorkerVisit] = []
    for period in periods:
        stop = min(period.end - timedelta(days=1), today) if period.end else today
        moves = sorted(e.start for e in period.episodes if e.reason_new in ("S", "P", "T", "U"))
        days: list[date] = []
        day = calendar.add_working_days(period.start, rng.randint(1, 4))
        while day <= stop:
            days.append(day)
            gap = rng.randint(28, 42) if rng.random() < 0.9 else rng.randint(43, 70)
            after = day + timedelta(days=gap)
            # A move brings the next visit forward: within a week of the new placement.
            moved = [m for m in moves if day < m < after]
            if moved:
                after = moved[0] + timedelta(days=rng.randint(1, 6))
            near = working_near(rng, calendar, after, lowest=day + timedelta(days=1))
            day = near or calendar.next_working_day_on_or_after(after)
        if period.end is None and days and rng.random() < 0.12:
            # About one child in eight has had no visit for over six weeks ("out of timescale").
            cutoff = today - timedelta(days=rng.randint(43, 80))
            days = [d for d in days if d <= cutoff] or days[:1]
        for d in days:
            age = age_on(dob, d)
            _, _, words = pick(rng, VISIT_NOTES, age)
            out.append(
                SocialWorkerVisit(
                    visited_on=d,
                    seen_alone=_seen_alone(rng, age),
                    by=social_worker,
                    note=words.format(name=name),
                )
            )
    return tuple(out)
