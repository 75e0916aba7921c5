"""The demo caseload holds only what could really happen: nothing the DfE would reject.

Built without the store (services.demo.generate_caseload), so these run on the pure generator.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest

from iro_desktop.domain import codes, episode_rules
from iro_desktop.domain.caseload import Child, age_on
from iro_desktop.domain.review import ReviewKind
from iro_desktop.services.demo import DemoCaseload, generate_caseload

# (seed, children, as of): several sizes, and 'today' on a Monday, a Christmas Day and a Sunday.
CASES = [
    (1, 70, date(2026, 11, 23)),
    (2, 150, date(2026, 12, 25)),
    (3, 300, date(2025, 4, 6)),
    (4, 120, date(2027, 6, 1)),
    (5, 200, date(2026, 3, 31)),
]
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$")
UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{12}$")
URN = re.compile(r"^(SC\d{6}|\d{6}|XXXXXXX)$")
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@cache
def caseload(seed: int, n: int, as_of: date) -> DemoCaseload:
    return generate_caseload(n, seed, as_of, ["Ada Example", "Bea Example"])


def all_children() -> list[tuple[Child, date]]:
    return [(c, as_of) for seed, n, as_of in CASES for c in caseload(seed, n, as_of).children]


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 3, 1)


@pytest.mark.parametrize(("seed", "n", "as_of"), CASES)
def test_no_child_breaks_a_dfe_rule(seed: int, n: int, as_of: date) -> None:
    breaches = {
        c.la_child_id: [str(b) for b in episode_rules.check_child(c)]
        for c in caseload(seed, n, as_of).children
    }
    assert {k: v for k, v in breaches.items() if v} == {}


def test_every_episode_has_its_903_fields() -> None:
    for child, _ in all_children():
        episodes = [e for p in child.periods for e in p.episodes]
        for before, after in zip(episodes, episodes[1:], strict=False):
            if before.reason_ended == "X1":
                assert after.start == before.end and after.reason_new != "S"
                moved = (before.placement_type, before.postcode) != (
                    after.placement_type,
                    after.postcode,
                )
                temporary = "T" in (before.placement_type[0], after.placement_type[0])
                # The reason for a move is on the episode the move ends (not for T0-T4).
                assert bool(before.reason_place_change) == (moved and not temporary), child.name
                assert after.reason_new in ("P", "T", "U", "L")
                assert (after.reason_new == "L") == (not moved)
            else:
                assert after.reason_new == "S"
        for period in child.periods:
            assert period.episodes[0].reason_new == "S"
            for e in period.episodes:
                assert e.placement_type in codes.PLACEMENT_TYPES  # current codes only
                assert e.category_of_need in codes.CATEGORIES_OF_NEED
                assert e.place_provider in codes.PLACEMENT_PROVIDERS
                assert POSTCODE.match(e.postcode) and POSTCODE.match(e.home_postcode), e
                assert URN.match(e.urn), e.urn
                if e.placement_type == "P1":
                    assert e.place_provider == "PR0" and e.postcode == e.home_postcode
                    assert e.legal_status != "V2"
                else:
                    assert e.place_provider != "PR0" and e.postcode != e.home_postcode
                if e.placement_type in ("P1", "R1") or e.placement_type.startswith("T"):
                    assert e.urn == "XXXXXXX"
                if e.placement_type.startswith("U"):
                    assert e.place_provider in ("PR1", "PR4", "PR5")
                if e.placement_type == "K3":
                    assert age_on(child.date_of_birth, e.start) >= 16
                if e.legal_status in ("C1", "C2") and e.reason_new in "SLTB":
                    assert age_on(child.date_of_birth, e.start) < 17
            last = period.episodes[-1]
            if period.end is None:
                assert last.end is None and not last.reason_ended
            else:
                assert last.end == period.end
                assert last.reason_ended in codes.REASONS_EPISODE_CEASED
                assert last.reason_ended != "X1"


def test_periods_end_for_reasons_that_fit_the_child() -> None:
    endings: set[str] = set()
    for child, _ in all_children():
        for period in child.periods:
            if period.end is None:
                continue
            last = period.episodes[-1]
            rec = last.reason_ended
            endings.add(rec)
            if child.care_leaver and period is child.periods[-1]:
                assert period.end == add_years(child.date_of_birth, 18)
                assert rec in ("E17", "E5", "E6")
            if rec == "E17":
                assert last.placement_type.startswith("U")  # staying put is with foster carers
            if rec in ("E45", "E46"):
                assert last.placement_type.startswith("U")
            if rec in ("E11", "E12"):
                assert age_on(child.date_of_birth, period.end) < 18
                placed = [
                    e for e in period.episodes if e.placement_type in codes.ADOPTION_PLACEMENTS
                ]
                assert placed and last.placement_type in codes.ADOPTION_PLACEMENTS
                decisions = [d for d in child.adoption_decisions if d.decided_on < placed[0].start]
                assert decisions, child.name
                assert decisions[-1].ceased_on == period.end
                assert decisions[-1].reason_ceased == "RD1"
    assert {"E17", "E5", "E4A"} <= endings
    assert endings & {"E11", "E12"} and endings & {"E45", "E46"}


def test_adoption_placements_follow_a_decision_and_a_placement_order() -> None:
    seen = 0
    for child, _ in all_children():
        for period in child.periods:
            for e in period.episodes:
                if e.placement_type not in codes.ADOPTION_PLACEMENTS:
                    continue
                seen += 1
                assert e.legal_status == "E1"
                assert any(d.decided_on < e.start for d in child.adoption_decisions)
                assert child.age(e.start) < 10
    assert seen


def test_reviews_are_inside_a_period_of_care_and_carry_the_right_pn_code() -> None:
    for seed, n, as_of in CASES:
        demo = caseload(seed, n, as_of)
        children = {c.id: c for c in demo.children}
        for r in demo.reviews:
            child = children[r.child_id]
            if r.held is None:
                continue
            assert child.date_of_birth < r.held <= as_of
            if r.kind == ReviewKind.LOOKED_AFTER.value:
                inside = [p for p in child.periods if p.start < r.held and (
                    p.end is None or r.held < p.end)]  # fmt: skip
                assert inside, (child.name, r.held)
                assert episode_rules.check_review_code(child.date_of_birth, r.held, r.pn_code) == []
                assert (r.pn_code == "PN0") == (child.age(r.held) < 4)
            else:
                assert child.care_leaver and child.periods[-1].end is not None
                assert r.held > child.periods[-1].end and r.pn_code == ""


def test_children_have_dfe_header_facts() -> None:
    for seed, n, as_of in CASES:
        upns = [c.upn for c in caseload(seed, n, as_of).children if not c.upn.startswith("UN")]
        assert len(upns) == len(set(upns))  # DfE rule 444: unique in the return
    for child, as_of in all_children():
        assert child.ethnicity in codes.ETHNICITIES
        assert child.sex in ("F", "M", "X")
        if child.upn.startswith("UN"):
            assert child.upn in ("UN1", "UN2", "UN3", "UN4", "UN5")
            if child.upn == "UN1":
                # DfE rule 209: not for a child of school age.
                start = as_of.year if as_of.month >= 4 else as_of.year - 1
                assert add_years(child.date_of_birth, 4) > date(start - 1, 8, 31)
        else:
            assert UPN.match(child.upn), child.upn
            weighted = sum(int(c) * w for c, w in zip(child.upn[1:], range(2, 14), strict=True))
            assert child.upn[0] == CHECK_LETTERS[weighted % 23]
        if child.sex == "M":
            assert child.mother == "" and child.mother_child_dob is None
        else:
            assert child.mother in ("0", "1")  # DfE rule 393: for every girl looked after
        assert (child.mother == "1") == (child.mother_child_dob is not None)
        if child.mother_child_dob is not None:
            assert child.mother_child_dob > add_years(child.date_of_birth, 12)
            # Born while she was looked after (DfE rule 625), and not in the future.
            assert any(p.start <= child.mother_child_dob <= (p.end or as_of)
                       for p in child.periods)  # fmt: skip
            assert child.mother_child_dob <= as_of
        if child.uasc and child.care_leaver:
            assert child.uasc_ceased is not None
            assert child.uasc_ceased <= add_years(child.date_of_birth, 18)
        if not child.uasc:
            assert child.uasc_ceased is None
        assert child.first_language
        if child.interpreter_needed:
            assert child.first_language != "English"


def test_missing_episodes_are_in_care_and_in_order() -> None:
    for child, as_of in all_children():
        for gone in child.missing:
            assert gone.end is not None and gone.start <= gone.end <= as_of
            assert any(p.start <= gone.start and (p.end is None or gone.start < p.end)
                       for p in child.periods)  # fmt: skip
            assert child.age(gone.start) >= 12


def test_the_demo_is_the_same_for_the_same_seed() -> None:
    one = generate_caseload(30, 9, date(2026, 11, 23), ["Ada"])
    two = generate_caseload(30, 9, date(2026, 11, 23), ["Ada"])
    assert one.children == two.children
    assert [r.review for r in one.reviews] == [r.review for r in two.reviews]
    # And the mix an IRO expects: care leavers, UASC, out-of-area placements.
    kids = caseload(3, 300, date(2025, 4, 6)).children
    assert 0.05 < sum(c.care_leaver for c in kids) / len(kids) < 0.2
    assert 0.02 < sum(c.uasc for c in kids) / len(kids) < 0.12
    current = [c.periods[-1].episodes[-1] for c in kids if c.periods[-1].end is None]
    outside = sum(not e.in_area for e in current) / len(current)
    assert 0.3 < outside < 0.7
