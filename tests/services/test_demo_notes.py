"""What the demo says fits the child: no maths for a toddler, no nursery for a teenager, no
pathway plan before 16, and a preferred name is a real short form of the child's name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache

import pytest

from iro_desktop.domain.caseload import Child, age_on
from iro_desktop.domain.review import Review
from iro_desktop.services.demo import DemoCaseload, generate_caseload
from iro_desktop.services.demo_tables import NICKNAMES

AS_OF = date(2026, 11, 23)
# Words that do not belong in a note about a child of these ages (inclusive).
OUT_OF_PLACE: list[tuple[int, int, tuple[str, ...]]] = [
    (0, 4, ("school", "maths", "gcse", "exam", "college", "homework", "pathway", "flat",
            "apprentice", "reading", "advocate to help", "complain")),
    (0, 11, ("vaping",)),
    (0, 12, ("gcse",)),
    (0, 15, ("pathway", "college", "personal adviser", "setting-up-home", "universal credit")),
    (5, 99, ("nursery", "nappy", "toddler", "red book", "baby group", "developmental check")),
    (11, 99, ("health visitor", "reception place", "drew a picture", "played happily")),
    (18, 99, ("foster home", "school trip")),
]  # fmt: skip


@cache
def demo(seed: int) -> DemoCaseload:
    return generate_caseload(120, seed, AS_OF, ["Ada Example"])


def review_texts(r: Review) -> Iterator[tuple[date, str]]:
    """Each text in the record, with the date whose age it must fit."""
    held = r.meetings[0].on if r.meetings else r.planned_on
    for m in r.meetings:
        yield m.on, m.notes
    for t in r.topics:
        for text in (t.working_well, t.worried_about, t.needs_to_happen):
            yield held, text
    for rec in r.recommendations:
        yield held, rec.action
        yield held, rec.child_wording
    yield held, r.extra_reason
    for move in r.rearrangements:
        yield move.to_date, move.reason
    for stood in r.stand_downs:
        yield max(stood.on, r.planned_on), stood.reason


def misfits(child: Child, on: date, text: str) -> list[str]:
    age = age_on(child.date_of_birth, on)
    lowered = text.lower()
    return [f"age {age}: {word!r} in {text!r}" for low, high, words in OUT_OF_PLACE
            if low <= age <= high for word in words if word in lowered]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_review_notes_fit_the_childs_age(seed: int) -> None:
    caseload = demo(seed)
    children = {c.id: c for c in caseload.children}
    found = []
    for r in caseload.reviews:
        child = children[r.child_id]
        for on, text in review_texts(r.review):
            found += misfits(child, on, text)
    assert found == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_visit_notes_fit_the_childs_age_and_babies_are_not_seen_alone(seed: int) -> None:
    for child in demo(seed).children:
        for visit in child.visits:
            assert misfits(child, visit.visited_on, visit.note) == []
            if child.age(visit.visited_on) < 4:
                assert not visit.seen_alone


def test_the_notes_do_change_with_age() -> None:
    """The check above would pass on empty notes: make sure each age band says something."""
    by_band: dict[str, set[str]] = {"under 5": set(), "5-10": set(), "11-15": set(), "16+": set()}
    for seed in (1, 2):
        caseload = demo(seed)
        children = {c.id: c for c in caseload.children}
        for r in caseload.reviews:
            child = children[r.child_id]
            for on, text in review_texts(r.review):
                if not text:
                    continue
                age = child.age(on)
                band = (
                    "under 5"
                    if age < 5
                    else "5-10"
                    if age <= 10
                    else "11-15"
                    if age <= 15
                    else "16+"
                )
                by_band[band].add(text)
    assert all(len(texts) > 20 for texts in by_band.values())
    assert any("nursery" in t for t in by_band["under 5"])
    assert any("GCSE" in t for t in by_band["11-15"])
    assert any("pathway plan" in t.lower() for t in by_band["16+"])


def _plausible(short: str, first: str) -> bool:
    """A short form shares the first letter, or two letters in a row, with the name."""
    a, b = short.lower(), first.lower().replace("ł", "l")
    return a[0] == b[0] or any(a[i : i + 2] in b for i in range(len(a) - 1))


def test_preferred_names_are_real_short_forms_of_the_first_name() -> None:
    seen = 0
    for seed in (1, 2, 3, 4, 5):
        for child in demo(seed).children:
            short = child.preferred_name
            if not short:
                continue
            seen += 1
            assert short in NICKNAMES.get(child.legal_first_name, ()), (
                child.legal_first_name,
                short,
            )
            assert short != child.legal_first_name and short.isalpha() and short[0].isupper()
            assert _plausible(short, child.legal_first_name)
            assert child.display_name.startswith(short)
    assert seen > 20
    for first, shorts in NICKNAMES.items():
        assert all(_plausible(s, first) for s in shorts), first
