"""A synthetic demo caseload: realistic shape, obviously invented people.

Deterministic for a seed and an 'as of' date. The proportions come from the seeds (Manchester
and Cheshire East annual reports): PN codes as Manchester 2018/19, about 6% UASC, about half
placed outside the authority, about 8% of reviews late.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain import timescales
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare, Person, age_on
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo

FIRST_NAMES_F = [
    "Amira", "Bethany", "Chloe", "Daisy", "Ebony", "Freya", "Grace", "Hana", "Isla", "Jade",
    "Kayla", "Lily", "Maya", "Nadia", "Olivia", "Poppy", "Ruby", "Sophia", "Tia", "Zara",
    "Łucja", "Aisha", "Mia", "Evie",
]
FIRST_NAMES_M = [
    "Aaron", "Bilal", "Callum", "Dylan", "Ethan", "Finley", "George", "Harvey", "Isaac", "Jayden",
    "Kai", "Leo", "Mason", "Noah", "Oscar", "Reuben", "Samuel", "Tyler", "Yusuf", "Zain",
    "Dawit", "Tomasz", "Kofi", "Arlo",
]
# Invented surnames, so no demo child can be mistaken for a real one.
SURNAMES = [
    "Quillfeather", "Bramblecombe", "Puddleby", "Thistlewood", "Marrowby", "Fernhallow",
    "Larkspurr", "Oddington-Demo", "Wimbleford", "Pebbleworth", "Crumblewick", "Sorrelvane",
    "Duckerham", "Mossbottom", "Tumbleton", "Hazelquist", "Inkwellby", "Jollibrook",
    "Kettlewick", "Nettlefold", "Applewhistle", "Buttonsby", "Cobblestrand", "Dapplemere",
]
ETHNICITIES = [
    "White British", "White British", "White British", "White and Black Caribbean",
    "Black African", "Pakistani", "Any other White background", "White and Asian",
    "Black Caribbean", "Any other ethnic group",
]
UASC_ETHNICITIES = ["Black African", "Any other ethnic group", "Any other Asian background"]
LEGAL = [("C2", 58), ("C1", 14), ("V2", 16), ("E1", 8), ("J1", 1), ("L2", 1), ("V3", 2)]
PLACEMENTS = [
    ("U6", 30), ("U4", 22), ("U5", 3), ("U1", 6), ("U3", 8), ("K2", 11), ("P1", 5),
    ("H5", 6), ("A5", 3), ("R1", 2), ("S1", 2), ("K1", 1), ("Z1", 1),
]
# Manchester 2018/19 participation, over children aged 4 and over (PN0 is decided by age).
PN_OVER_4 = [("PN1", 428), ("PN2", 10), ("PN3", 5), ("PN4", 4), ("PN5", 223), ("PN6", 278), ("PN7", 43)]
PROVIDERS_IN = ["In-house fostering service", "Council children's home (Oakfield)"]
PROVIDERS_OUT = ["Independent fostering agency (Northway)", "Private children's home (Hilltop)"]
POSTCODES_IN = ["M14 5AA", "M22 9ZZ", "M40 3QQ", "M8 8XX"]
POSTCODES_OUT = ["CH1 4BJ", "LA9 6EX", "SK10 1AB", "LL11 2DD", "WA14 4AA", "IM1 3PP"]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return a
    return a + timedelta(days=rng.randint(0, (b - a).days))


@dataclass
class DemoReview:
    child_id: str
    kind: str
    status: str
    sequence: int
    due: date
    held: date | None
    pn_code: str
    period_start: date | None


def _review_history(
    rng: random.Random, child_id: str, dob: date, period_start: date, until: date, kind: str
) -> list[DemoReview]:
    reviews: list[DemoReview] = []
    held: list[date] = []
    seq = 1
    while True:
        if kind == "looked_after":
            due = timescales.next_review_due(period_start, held)
        else:
            due = timescales.pathway_review_due(held[-1]) if held else period_start
        if due > until:
            reviews.append(
                DemoReview(child_id, kind, "planned", seq, due, None, "", period_start)
            )
            return reviews
        if due > until - timedelta(days=40) and rng.random() < 0.12:
            # A review now overdue (not yet held): what the dashboard must make obvious.
            reviews.append(DemoReview(child_id, kind, "planned", seq, due, None, "", period_start))
            return reviews
        late = rng.random() < 0.08
        if late:
            when = due + timedelta(days=rng.randint(1, 25))
        else:
            when = due - timedelta(days=rng.randint(0, 12))
        when = max(when, period_start + timedelta(days=1))
        if when > until:
            when = until
        pn = "PN0" if age_on(dob, when) < 4 else _weighted(rng, PN_OVER_4)
        reviews.append(DemoReview(child_id, kind, "issued", seq, due, when, pn, period_start))
        held.append(when)
        seq += 1


def _people(rng: random.Random, surname: str, care_leaver: bool, uasc: bool) -> tuple[Person, ...]:
    sw_first = rng.choice(["Sam", "Priya", "Tom", "Nia", "Ollie", "Farah", "Gus", "Rhian"])
    people = [
        Person("social_worker", f"{sw_first} {rng.choice(SURNAMES)}", "Children's Social Care",
               "0161 000 " + f"{rng.randint(0, 9999):04d}", f"{sw_first.lower()}@example.invalid"),
        Person("team_manager", f"{rng.choice(['Jo', 'Alex', 'Kim'])} {rng.choice(SURNAMES)}",
               "Children's Social Care"),
        Person("health", "Looked After Children nurse (demo)", "Community health"),
        Person("education", "Designated teacher (demo)", "Virtual School"),
    ]
    if not uasc:
        people.append(Person("parent", f"{rng.choice(['Dana', 'Lee', 'Chris'])} {surname}", ""))
        if rng.random() < 0.6:
            people.append(Person("parent", f"{rng.choice(['Jordan', 'Robin', 'Sky'])} {rng.choice(SURNAMES)}", ""))
    people.append(Person("carer", f"{rng.choice(['Pat', 'Sue', 'Mo', 'Viv'])} {rng.choice(SURNAMES)}", "Carer"))
    if rng.random() < 0.3:
        people.append(Person("advocate", "Advocate (demo advocacy service)", "Advocacy service"))
    if rng.random() < 0.1:
        people.append(Person("independent_visitor", f"Ivy {rng.choice(SURNAMES)}", "IV scheme"))
    if care_leaver:
        people.append(Person("personal_adviser", f"Pip {rng.choice(SURNAMES)}", "Leaving care team"))
    return tuple(people)


def generate(
    n: int, seed: int, as_of: date, iro_names: list[str]
) -> tuple[list[Child], list[DemoReview]]:
    rng = random.Random(seed)
    children: list[Child] = []
    reviews: list[DemoReview] = []
    sibling_pending: list[tuple[str, str, date, str]] = []  # (group, surname, period start, iro)
    for i in range(n):
        cid = str(uuid.UUID(int=rng.getrandbits(128)))
        care_leaver = rng.random() < 0.12
        iro = iro_names[i % len(iro_names)]
        group = ""
        if sibling_pending and rng.random() < 0.5:
            group, surname, start_hint, iro = sibling_pending.pop()
        else:
            surname = rng.choice(SURNAMES)
            start_hint = None  # type: ignore[assignment]
            if rng.random() < 0.15 and not care_leaver:
                group = f"SG-{i:04d}"
                sibling_pending.append((group, surname, date.min, iro))
        age = rng.randint(18, 21) if care_leaver else rng.choices(range(0, 18), weights=[6, 5, 5, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11, 11, 9])[0]
        dob = as_of - timedelta(days=age * 365 + rng.randint(0, 364))
        uasc = (not care_leaver and age >= 14 and rng.random() < 0.35) or (care_leaver and rng.random() < 0.15)
        sex = rng.choice(["F", "M"]) if not uasc else "M" if rng.random() < 0.9 else "F"
        first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
        preferred = "" if rng.random() < 0.8 else first[:3]
        earliest = max(dob + timedelta(days=1), as_of - timedelta(days=365 * 8), date(2012, 1, 1))
        if start_hint and start_hint != date.min and start_hint >= earliest:
            start = start_hint
        elif uasc:
            start = _date_between(rng, max(earliest, dob + timedelta(days=365 * 14)), as_of - timedelta(days=10))
        else:
            start = _date_between(rng, earliest, as_of - timedelta(days=10))
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
                Episode(start=start, end=episode_start, legal_status="C1" if legal in ("C2", "E1") else legal,
                        placement_type="U6" if age > 0 else "U5", provider="In-house fostering service",
                        provider_kind="in_house", postcode=rng.choice(POSTCODES_IN), in_area=True,
                        distance_miles=round(rng.uniform(1, 9), 1))
            )
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
                long_term_confirmed=(episode_start + timedelta(days=200)) if place in ("U1", "U4") and (as_of - episode_start).days > 220 else None,
                last_social_worker_visit=as_of - timedelta(days=rng.randint(3, 60 if rng.random() < 0.85 else 120)),
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
            disability="" if rng.random() < 0.85 else rng.choice(["Autism", "Hearing impairment", "Learning disability"]),
            communication_needs="" if not uasc else "Interpreter needed (Tigrinya)" if rng.random() < 0.5 else "Interpreter needed (Arabic)",
            sibling_group=group,
            allocated_iro=iro,
            allocated_on=start,
            care_leaver=care_leaver,
            periods=(PeriodOfCare(start=start, end=period_end, reason_ended="Turned 18" if period_end else "", episodes=tuple(episodes)),),
            people=_people(rng, surname, care_leaver, uasc),
        )
        child.validated()
        children.append(child)
        history_end = min(as_of, period_end) if period_end else as_of
        la_reviews = _review_history(rng, cid, dob, start, history_end, "looked_after")
        if period_end:
            la_reviews = [r for r in la_reviews if r.status != "planned"]
            reviews.extend(la_reviews)
            reviews.extend(_review_history(rng, cid, dob, period_end, as_of, "pathway_plan"))
        else:
            reviews.extend(la_reviews)
    return children, reviews


def load_demo(
    session: CaseloadSession,
    n: int,
    seed: int,
    as_of: date | None = None,
    iro_names: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Generate and store a demo caseload in one transaction. Returns the number of children."""
    as_of = as_of or session.clock.today()
    names = iro_names or [session.user.get("display_name") or session.username]
    children, reviews = generate(n, seed, as_of, names)
    by_child: dict[str, list[DemoReview]] = {}
    for r in reviews:
        by_child.setdefault(r.child_id, []).append(r)
    now = session.now()
    with session.unit_of_work() as s:
        for i, child in enumerate(children):
            repo.save_child(s, child, now)
            for r in by_child.get(child.id, []):
                record: dict[str, object] = {}
                if r.held:
                    record = {"meetings": [{"date": r.held.isoformat()}]}
                repo.save_review_row(
                    s,
                    review_id=str(uuid.UUID(int=random.Random(f"{child.id}{r.kind}{r.sequence}").getrandbits(128))),
                    child_id=child.id,
                    kind=r.kind,
                    status=r.status,
                    due_date=r.due,
                    now=now,
                    record=record,
                    sequence=r.sequence,
                    timeliness_date=r.held,
                    completed_date=r.held,
                    pn_code=r.pn_code,
                    period_id=repo.period_id_for(s, child.id, r.held or r.due),
                )
            if progress:
                progress(i + 1, len(children))
        session.audit(s, "create", "caseload", "demo", f"demo caseload: {n} children, seed {seed}")
    return len(children)
