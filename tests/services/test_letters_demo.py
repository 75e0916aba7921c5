"""Done when: letters for an under-8, a 14-year-old and a care leaver, drafted from the demo
caseload's reviews, read as a letter to that young person."""

from __future__ import annotations

import re

import pytest

from iro_desktop.domain import review as rv
from iro_desktop.domain.letter import AgeBand, age_on
from iro_desktop.domain.second_person import ChildNames, third_person_flags
from iro_desktop.services import caseload, letters, reviews
from tests.services import letters_kit as kit


def _part(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):  # type: ignore[no-untyped-def]
    """For each reader, the latest demo review with words from the child and a review before."""
    from iro_desktop.clock import FixedClock
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo
    from tests.conftest import PASSPHRASE, TODAY

    folder = tmp_path_factory.mktemp("demo-letters") / "caseload"
    session, _ = create_caseload(
        data_paths(folder), "ada", PASSPHRASE, display_name="Ada Example", clock=FixedClock(TODAY)
    )
    load_demo(session, 40, seed=3)
    kit.ready(session)
    wanted = {
        "under 8": lambda age, kind: age < 8,
        "14": lambda age, kind: age == 14,
        "care leaver": lambda age, kind: kind is rv.ReviewKind.PATHWAY_PLAN,
    }
    found: dict[str, tuple[str, str, AgeBand, tuple[str, ...]]] = {}
    for child in caseload.children(session):
        held = [
            r
            for line in reviews.list_reviews(session, child.id)
            if (r := reviews.get_review(session, line.id).review) is not None
            and rv.held_meetings(r)
            and rv.reached(r.status, rv.ReviewStatus.COMPLETED)
        ]
        for review in held[1:]:  # each with a review before it
            age = age_on(child.date_of_birth, rv.first_meeting_date(review))  # type: ignore[arg-type]
            for reader, fits in wanted.items():
                if reader not in found and fits(age, review.kind) and review.child_views:
                    text, band, _ = letters.draft_text(session, review.id)
                    names = (child.legal_first_name, child.legal_last_name, child.preferred_name)
                    found[reader] = (text, child.sex, band, names)
        if len(found) == len(wanted):
            break
    session.lock()
    assert set(found) == set(wanted), f"the demo has no review for {set(wanted) - set(found)}"
    return found


@pytest.mark.parametrize(
    ("reader", "band"),
    [
        ("under 8", AgeBand.UNDER_8),
        ("14", AgeBand.AGE_13_TO_17),
        ("care leaver", AgeBand.CARE_LEAVER),
    ],
)
def test_a_demo_letter_reads_as_a_letter_to_that_young_person(drafted, reader, band):
    text, sex, got_band, (first, last, preferred) = drafted[reader]
    assert got_band is band
    names = ChildNames.of(f"{first} {last}", first, preferred, sex=sex)
    # Second person throughout: nothing still names them, says 'the child' or 'their' of them.
    assert third_person_flags(text, names) == ()
    assert "the child" not in text.lower() and "young person" not in text.lower()
    # No item twice.
    items = re.findall(r"^- (.*)$", text, re.MULTILINE)
    assert len(items) == len(set(items)), items
    # Their own words, quoted and said how.
    told = _part(text, "What you told me")
    assert re.search(r"^- “[^”]+” You (?:said|told|wrote) ", told, re.MULTILINE), told
    # Last time's agreements, each with what happened.
    last = re.findall(r"^- .*$", _part(text, "What we agreed last time, and what happened"), re.M)
    assert last and all(
        re.search(r"This (?:was done|changed|has not happened yet)", line) for line in last
    ), last
    # Short for a young child, longer for a teenager or a young adult.
    words = len(text.split())
    assert words < (500 if band is AgeBand.UNDER_8 else 750), words


def test_the_next_review_a_letter_names_is_a_day_a_meeting_can_be_held(tmp_path):
    """A due date can fall on a Sunday; the child is told the last working day before it."""
    from datetime import datetime

    from iro_desktop.clock import FixedClock
    from iro_desktop.domain.calendar import is_working_day
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo
    from tests.conftest import PASSPHRASE, TODAY

    session, _ = create_caseload(
        data_paths(tmp_path / "caseload"), "ada", PASSPHRASE, clock=FixedClock(TODAY)
    )
    load_demo(session, 30, seed=5)
    kit.ready(session)
    named = []
    for child in caseload.children(session):
        for line in reviews.list_reviews(session, child.id):
            review = reviews.get_review(session, line.id).review
            if review is None or not rv.reached(review.status, rv.ReviewStatus.COMPLETED):
                continue
            text, _band, _ = letters.draft_text(session, review.id)
            said = [line for line in text.splitlines() if "next" in line and "review" in line]
            for line in said:
                for day in re.findall(r"day (\d{1,2} [A-Z][a-z]+ \d{4})", line):
                    named.append(datetime.strptime(day, "%d %B %Y").date())
    session.lock()
    assert len(named) >= 20
    assert [d for d in named if not is_working_day(d)] == []
