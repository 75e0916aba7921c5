"""A demo child's period of care as SSDA903 episodes that the DfE would accept.

A period is planned as two lines of events, legal status changes and placement moves, then
cut into episodes wherever either changes: the first episode is 'S', a legal status change
alone 'L', a move 'P' (or 'T' with a new legal status too), and the episode a move ends
carries X1 and the reason for the move. Each route is one that really happens: care
proceedings (interim then full care order, from an emergency order now and then), section 20
(sometimes followed by proceedings), the adoption route for babies and toddlers, unaccompanied
children, and remand.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Episode, PeriodOfCare, PlacedForAdoption, age_on
from iro_desktop.services import demo_places as places
from iro_desktop.services.demo_places import Placement
from iro_desktop.services.demo_tables import MOVE_REASONS, _date_between, _weighted, add_years


@dataclass
class PeriodPlan:
    """What the child generator decides; the rest follows from it.

    `ending`: "open" (still in care), "eighteen" (left care at 18), "home" (returned home),
    "sgo" (special guardianship), "adopted", or "cao" (child arrangements order).
    """

    start: date
    until: date  # the period's end when it has ended, otherwise 'today'
    route: str  # care | s20 | adoption | uasc | remand
    ending: str
    home_postcode: str
    category_of_need: str
    disabled: bool = False


@dataclass
class _Lines:
    legal: list[tuple[date, str]] = field(default_factory=list)
    moves: list[tuple[date, Placement, str]] = field(default_factory=list)  # (when, where, why)
    decisions: list[PlacedForAdoption] = field(default_factory=list)


def _carers() -> Iterator[int]:
    n = 0
    while True:
        n += 1
        yield n


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _legal_line(rng: random.Random, dob: date, plan: PeriodPlan) -> list[tuple[date, str]]:
    """Legal status from the start. Care orders only start before 17 (Children Act s31(3))."""
    start, until = plan.start, plan.until
    if plan.route in ("uasc", "s20"):
        line = [(start, "V2")]
        if plan.route == "s20" and age_on(dob, start) < 15 and rng.random() < 0.25:
            line.append((start + _days(rng, 60, 300), "C1"))  # proceedings after all
    elif plan.route == "remand":
        line = [(start, "J1")]
    else:
        line = []
        if rng.random() < 0.15:
            # Police protection lasts at most 72 hours, an emergency order at most 8 days.
            kind, days = ("L1", rng.randint(1, 2)) if rng.random() < 0.5 else ("L2", 8)
            line.append((start, kind))
            start = start + timedelta(days=days)
        line.append((start, "C1"))
    if line[-1][1] == "C1" and plan.route != "adoption":
        final = line[-1][0] + _days(rng, 120, 400)
        if age_on(dob, final) < 17:
            line.append((final, "C2"))
    return [(d, ls) for d, ls in line if d < until or d == plan.start]


def _first_placement(
    rng: random.Random, dob: date, plan: PeriodPlan, carers: Iterator[int]
) -> Placement:
    age = age_on(dob, plan.start)
    if plan.route == "adoption":
        code = "U5" if rng.random() < 0.35 else "U6"  # fostering for adoption, or not yet
    elif plan.route == "remand":
        code = "K2" if age >= 10 and rng.random() < 0.4 else "U6"
    elif plan.ending in ("sgo", "cao"):
        code = "U3"  # family and friends carers, who go on to take an order
    else:
        code = places.placement_for_age(rng, age, uasc=plan.route == "uasc")
        if code == "S1" and not plan.disabled:
            code = "U6"
    return places.new_placement(rng, code, next(carers), plan.home_postcode)


def _moves(
    rng: random.Random, dob: date, plan: PeriodPlan, first: Placement, carers: Iterator[int]
) -> list[tuple[date, Placement, str]]:
    """Later moves: about one every two or three years, more often for teenagers."""
    line: list[tuple[date, Placement, str]] = [(plan.start, first, "")]
    if plan.route == "adoption" or plan.ending in ("sgo", "cao"):
        return line
    years = max(0.0, (plan.until - plan.start).days / 365)
    rate = 0.3 if age_on(dob, plan.start) < 11 else 0.45
    count = min(4, sum(rng.random() < rate for _ in range(int(years) + 1)))
    earliest, latest = plan.start + timedelta(days=21), plan.until - timedelta(days=7)
    days = sorted({_date_between(rng, earliest, latest) for _ in range(count)})
    days = [d for i, d in enumerate(days) if earliest <= d <= latest and (i == 0 or (
        d - days[i - 1]).days >= 21)]  # fmt: skip
    # Many young people in care move on to supported accommodation at 16 or 17.
    sixteen = add_years(dob, 16) + _days(rng, 0, 300)
    if plan.route != "uasc" and earliest <= sixteen <= latest and rng.random() < 0.4:
        days = sorted([d for d in days if abs((d - sixteen).days) > 21] + [sixteen])
    current = first
    for day in days:
        age = age_on(dob, day)
        code = places.placement_for_age(rng, age, uasc=plan.route == "uasc")
        if day == sixteen:
            code = "K3"
        if code == "S1" and not plan.disabled:
            code = "U6"
        moved_to = places.new_placement(rng, code, next(carers), plan.home_postcode)
        while (moved_to.code, moved_to.postcode) == (current.code, current.postcode):
            moved_to = places.new_placement(rng, "U6", moved_to.carer, plan.home_postcode)
        current = moved_to
        line.append((day, current, _weighted(rng, MOVE_REASONS)))
    return line


def _adoption(
    rng: random.Random, dob: date, plan: PeriodPlan, lines: _Lines, carers: Iterator[int]
) -> None:
    """Interim care order; the agency decides the child should be adopted; placement order
    (E1); placed for adoption (A5 with the foster-for-adoption carers the same day, or A6
    with new adopters later); adopted (E11/E12) when the period has ended."""
    start, end = lines.legal[-1][0], plan.until
    first = lines.moves[0][1]
    ffa = first.code == "U5"
    if plan.ending == "adopted":
        placed = end - _days(rng, 90, 300)
        order = placed if ffa else placed - _days(rng, 30, 150)
        order = max(order, start + timedelta(days=60))
        placed = max(placed, order)
    else:
        order = start + _days(rng, 200, 450)
        placed = order if ffa else order + _days(rng, 60, 240)
    decided = max(order - _days(rng, 20, 90), plan.start + timedelta(days=14))
    if decided < end:
        lines.decisions.append(PlacedForAdoption(decided_on=decided))
    if order < end:
        lines.legal.append((order, "E1"))
    if placed < end and order < end:
        code = "A5" if ffa else "A6"
        carer = first.carer if ffa else next(carers)
        if ffa:
            adopters = Placement(code, places.provider_for(rng, code), first.postcode,
                                 first.in_area, first.distance_miles, carer)  # fmt: skip
        else:
            adopters = places.new_placement(rng, code, carer, plan.home_postcode)
        lines.moves.append((placed, adopters, "CARPL"))
    if plan.ending == "adopted" and lines.decisions:
        # The decision ends when the adoption order is made (PlacedAdoption RD1).
        lines.decisions[-1] = PlacedForAdoption(decided, ceased_on=end, reason_ceased="RD1")


def _respite(
    rng: random.Random, lines: _Lines, until: date, home: str, carers: Iterator[int]
) -> None:
    """Now and then a short stay with another carer while the foster carer is away (T3),
    coming back to the same placement: no reason for the move either way (DfE 226)."""
    events = sorted([d for d, _ in lines.legal] + [d for d, _, _ in lines.moves])
    for (day, where, _), nxt in zip(lines.moves, [*lines.moves[1:], None], strict=True):
        stop = nxt[0] if nxt else until
        if where.code not in ("U4", "U6") or (stop - day).days < 200 or rng.random() > 0.15:
            continue
        away = day + _days(rng, 60, (stop - day).days - 60)
        back = away + _days(rng, 3, 10)
        if any(away - timedelta(days=2) <= e <= back + timedelta(days=2) for e in events):
            continue
        short = places.new_placement(
            rng, "T3", next(carers), home, places.RESPITE, avoid=where.postcode
        )
        lines.moves += [(away, short, ""), (back, where, "")]
        lines.moves.sort(key=lambda m: m[0])
        return


def _home_first(rng: random.Random, plan: PeriodPlan, lines: _Lines, carers: Iterator[int]) -> None:
    """Children going home under a care order are usually placed with parents first (P1)."""
    status = lines.legal[-1][1]
    last_move = lines.moves[-1][0]
    if plan.ending != "home" or status not in ("C1", "C2") or rng.random() > 0.6:
        return
    day = plan.until - _days(rng, 60, 200)
    if day <= max(last_move, lines.legal[-1][0]) + timedelta(days=7):
        return
    parents = places.new_placement(rng, "P1", next(carers), plan.home_postcode)
    lines.moves.append((day, parents, "CARPL"))


def _apart(rng: random.Random, lines: _Lines, until: date) -> None:
    """Keep moves off the days the legal status changes, so each episode changes one thing.

    A move on such a day is a 'T' episode, which is legal, but Social Finance's validator
    (rule 435) refuses a 'T' whose legal status changed; the demo's returns must pass it.
    The adoption placement with foster-for-adoption carers ('U') is meant to coincide.
    """
    legal = {d for d, _ in lines.legal}
    kept: list[tuple[date, Placement, str]] = []
    for n, (day, where, why) in enumerate(lines.moves):
        if n and day in legal and not where.code.startswith("A"):
            day += _days(rng, 1, 3)
            taken = legal | {m[0] for m in lines.moves}
            if day in taken or day >= until or (kept and day <= kept[-1][0]):
                continue  # no room: this move did not happen
        kept.append((day, where, why))
    lines.moves = kept


def _ending_code(rng: random.Random, plan: PeriodPlan, last: Placement) -> str:
    if plan.ending == "eighteen":
        if last.code.startswith("U") and rng.random() < 0.55:
            return "E17"  # staying put with the foster carers
        return "E5" if rng.random() < 0.85 else "E6"
    if plan.ending == "home":
        return "E4A" if rng.random() < 0.85 else "E4B"
    if plan.ending == "sgo":
        return "E45" if last.code in ("U1", "U2", "U3") else "E46"
    if plan.ending == "cao":
        return "E41"
    if plan.ending == "adopted":
        return "E11" if rng.random() < 0.7 else "E12"
    raise ValueError(plan.ending)


def _long_term_from(rng: random.Random, placed: date, episode: Episode, until: date) -> date | None:
    """When a long-term placement (U1, U4) was confirmed as the child's home."""
    if episode.placement_type not in ("U1", "U4"):
        return None
    confirmed = max(placed + _days(rng, 30, 150), episode.start)
    last = episode.end or until
    return confirmed if confirmed <= last else None


def build_period(
    rng: random.Random, dob: date, plan: PeriodPlan
) -> tuple[PeriodOfCare, tuple[PlacedForAdoption, ...]]:
    """One period of care (and any adoption decision in it) from the plan."""
    carers = _carers()
    lines = _Lines(legal=_legal_line(rng, dob, plan))
    first = _first_placement(rng, dob, plan, carers)
    lines.moves = _moves(rng, dob, plan, first, carers)
    if plan.route == "adoption":
        _adoption(rng, dob, plan, lines, carers)
    _respite(rng, lines, plan.until, plan.home_postcode, carers)
    _home_first(rng, plan, lines, carers)
    _apart(rng, lines, plan.until)
    closed = plan.ending != "open"
    rec = _ending_code(rng, plan, lines.moves[-1][1]) if closed else ""
    episodes = _episodes(rng, plan, lines, rec)
    words = codes.REASONS_EPISODE_CEASED[rec] if closed else ""
    period = PeriodOfCare(
        start=plan.start,
        end=plan.until if closed else None,
        reason_ended=words,
        episodes=tuple(episodes),
    )
    return period, tuple(lines.decisions)


def _episodes(rng: random.Random, plan: PeriodPlan, lines: _Lines, rec: str) -> list[Episode]:
    days = sorted({d for d, _ in lines.legal} | {d for d, _, _ in lines.moves})
    episodes: list[Episode] = []
    placed: list[date] = []  # when each episode's placement began
    prev_ls, prev_pl = "", None
    for day in days:
        ls = [s for d, s in lines.legal if d <= day][-1]
        _, pl, why = [m for m in lines.moves if m[0] <= day][-1]
        moved = prev_pl is not None and pl is not prev_pl
        if prev_pl is not None and not moved and ls == prev_ls:
            continue
        if prev_pl is None:
            rne = "S"
        elif moved and ls != prev_ls:
            rne = "U" if pl.carer == prev_pl.carer else "T"
        else:
            rne = "P" if moved else "L"
        if episodes and prev_pl is not None:
            # The 903 wants no reason for a move into or out of a temporary placement.
            temporary = pl.code.startswith("T") or prev_pl.code.startswith("T")
            episodes[-1] = replace(
                episodes[-1],
                end=day,
                reason_ended="X1",
                reason_place_change=why if moved and not temporary else "",
            )
        placed.append(day if moved or not placed else placed[-1])
        episodes.append(
            Episode(
                start=day,
                legal_status=ls,
                placement_type=pl.code,
                provider=pl.provider.name,
                provider_kind=pl.provider.kind,
                postcode=pl.postcode,
                in_area=pl.in_area,
                distance_miles=pl.distance_miles,
                reason_new=rne,
                category_of_need=plan.category_of_need,
                place_provider=pl.provider.code,
                home_postcode=plan.home_postcode,
                urn=pl.urn,
            )
        )
        prev_ls, prev_pl = ls, pl
    if rec:
        episodes[-1] = replace(episodes[-1], end=plan.until, reason_ended=rec)
    return [
        replace(e, long_term_confirmed=_long_term_from(rng, since, e, plan.until))
        for e, since in zip(episodes, placed, strict=True)
    ]
