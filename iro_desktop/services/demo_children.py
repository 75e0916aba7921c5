"""One invented demo child: identity, period of care, placements and the people around them."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare, Person
from iro_desktop.services.demo_tables import (
    ETHNICITIES,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LEGAL,
    PLACEMENTS,
    POSTCODES_IN,
    POSTCODES_OUT,
    PROVIDERS_IN,
    PROVIDERS_OUT,
    RECENT_AGE,
    SHOWCASE,
    SURNAMES,
    UASC_ETHNICITIES,
    _date_between,
    _weighted,
)


def _people(rng: random.Random, surname: str, care_leaver: bool, uasc: bool) -> tuple[Person, ...]:
    sw_first = rng.choice(["Sam", "Priya", "Tom", "Nia", "Ollie", "Farah", "Gus", "Rhian"])
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
        Person("health", "Looked After Children nurse (demo)", "Community health"),
        Person("education", "Designated teacher (demo)", "Virtual School"),
    ]
    if not uasc:
        people.append(Person("parent", f"{rng.choice(['Dana', 'Lee', 'Chris'])} {surname}", ""))
        if rng.random() < 0.6:
            people.append(
                Person(
                    "parent", f"{rng.choice(['Jordan', 'Robin', 'Sky'])} {rng.choice(SURNAMES)}", ""
                )
            )
    people.append(
        Person(
            "carer", f"{rng.choice(['Pat', 'Sue', 'Mo', 'Viv'])} {rng.choice(SURNAMES)}", "Carer"
        )
    )
    if rng.random() < 0.3:
        people.append(Person("advocate", "Advocate (demo advocacy service)", "Advocacy service"))
    if rng.random() < 0.1:
        people.append(Person("independent_visitor", f"Ivy {rng.choice(SURNAMES)}", "IV scheme"))
    if care_leaver:
        people.append(
            Person("personal_adviser", f"Pip {rng.choice(SURNAMES)}", "Leaving care team")
        )
    return tuple(people)


def _child(
    rng: random.Random, i: int, seed: int, as_of: date, iro: str, sibling_pending: list[Any]
) -> Child:
    cid = str(uuid.UUID(int=rng.getrandbits(128)))
    showcase = SHOWCASE[i] if i < len(SHOWCASE) else None
    care_leaver = rng.random() < 0.12 and showcase is None
    group = ""
    start_hint: date | None = None
    if sibling_pending and rng.random() < 0.5:
        group, surname, start_hint, iro = sibling_pending.pop()
    else:
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.15 and not care_leaver:
            group = f"SG-{i:04d}"
            sibling_pending.append((group, surname, date.min, iro))
    age = (
        rng.randint(18, 21)
        if care_leaver
        else rng.choices(
            range(0, 18), weights=[6, 5, 5, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11, 11, 9]
        )[0]
    )
    dob = as_of - timedelta(days=age * 365 + rng.randint(0, 364))
    uasc = (not care_leaver and age >= 14 and rng.random() < 0.35) or (
        care_leaver and rng.random() < 0.15
    )
    sex = rng.choice(["F", "M"]) if not uasc else "M" if rng.random() < 0.9 else "F"
    first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
    preferred = "" if rng.random() < 0.8 else first[:3]
    earliest = max(dob + timedelta(days=1), as_of - timedelta(days=365 * 8), date(2012, 1, 1))
    if start_hint and start_hint != date.min and start_hint >= earliest:
        start = start_hint
    elif uasc:
        start = _date_between(
            rng, max(earliest, dob + timedelta(days=365 * 14)), as_of - timedelta(days=10)
        )
    else:
        start = _date_between(rng, earliest, as_of - timedelta(days=10))
    if showcase in RECENT_AGE:
        # Into care about four months ago, so the second review fell due a few days ago.
        start = max(as_of - timedelta(days=RECENT_AGE[showcase] + 120), earliest)
    if group and sibling_pending and sibling_pending[-1][0] == group:
        sibling_pending[-1] = (group, surname, start, iro)
    out_of_area = rng.random() < 0.56
    legal = "V2" if uasc else _weighted(rng, LEGAL)
    place = ("H5" if age >= 16 else "U6") if uasc else _weighted(rng, PLACEMENTS)
    # Keep placements believable for the age: no semi-independent toddlers.
    if age < 16 and place in ("H5", "P2"):
        place = "U6"
    if age < 8 and place in ("K2", "R1", "S1", "K1", "Z1"):
        place = "U4"
    if age >= 10 and place.startswith("A"):
        place = "U4"
    if place.startswith("A"):
        legal = "E1"
    period_end = None
    if care_leaver:
        eighteen = date(dob.year + 18, dob.month, min(dob.day, 28))
        start = min(start, eighteen - timedelta(days=400))
        start = max(start, dob + timedelta(days=1))
        period_end = eighteen
    episode_start = _date_between(rng, start, min(as_of, period_end or as_of) - timedelta(days=1))
    episodes = []
    if episode_start > start:
        episodes.append(
            Episode(
                start=start,
                end=episode_start,
                legal_status="C1" if legal in ("C2", "E1") else legal,
                placement_type="U6" if age > 0 else "U5",
                provider="In-house fostering service",
                provider_kind="in_house",
                postcode=rng.choice(POSTCODES_IN),
                in_area=True,
                distance_miles=round(rng.uniform(1, 9), 1),
            )
        )
    # Visits are due every 6 weeks; about one in eight is late ("visits out of timescale").
    last_visit = as_of - timedelta(days=rng.randint(3, 42 if rng.random() < 0.88 else 90))
    episodes.append(
        Episode(
            start=episode_start,
            end=period_end,
            legal_status=legal,
            placement_type=place,
            provider=rng.choice(PROVIDERS_OUT if out_of_area else PROVIDERS_IN),
            provider_kind="external" if out_of_area else "in_house",
            postcode=rng.choice(POSTCODES_OUT if out_of_area else POSTCODES_IN),
            in_area=not out_of_area,
            distance_miles=round(rng.uniform(21, 140) if out_of_area else rng.uniform(1, 19), 1),
            long_term_confirmed=(episode_start + timedelta(days=200))
            if place in ("U1", "U4") and (as_of - episode_start).days > 220
            else None,
            # A visit is in this placement, so never before it started.
            last_social_worker_visit=None if period_end else max(last_visit, episode_start),
        )
    )
    child = Child(
        id=cid,
        la_child_id=f"DEMO-{seed % 1000:03d}-{i + 1:05d}",
        legal_first_name=first,
        legal_last_name=surname,
        preferred_name=preferred,
        date_of_birth=dob,
        sex=sex,
        ethnicity=rng.choice(UASC_ETHNICITIES if uasc else ETHNICITIES),
        uasc=uasc,
        disability=""
        if rng.random() < 0.85
        else rng.choice(["Autism", "Hearing impairment", "Learning disability"]),
        communication_needs=""
        if not uasc
        else "Interpreter needed (Tigrinya)"
        if rng.random() < 0.5
        else "Interpreter needed (Arabic)",
        sibling_group=group,
        allocated_iro=iro,
        allocated_on=start,
        care_leaver=care_leaver,
        periods=(
            PeriodOfCare(
                start=start,
                end=period_end,
                reason_ended="Turned 18" if period_end else "",
                episodes=tuple(episodes),
            ),
        ),
        people=_people(rng, surname, care_leaver, uasc),
    )
    return child.validated()
