"""The "what's due" dashboard rows, their order, their words, and their speed."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from iro_desktop.domain.due import (
    ChildDueState,
    DueItem,
    DueKind,
    LastReview,
    OpenSeries,
    Placement,
    caseload_summary,
    due_items,
    filter_within,
)
from iro_desktop.domain.ics import to_ics
from iro_desktop.domain.profile import PracticeProfile, load_profile

PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"
TODAY = date(2026, 3, 2)  # a Monday
TODAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _profile(key: str) -> PracticeProfile:
    return load_profile((PROFILES / f"{key}.toml").read_text(encoding="utf-8"))


# The rows below are the statutory ones; mid-point reviews have their own tests at the end.
MANCHESTER = replace(_profile("manchester"), midpoint_reviews=False)
CHESHIRE_EAST = replace(_profile("cheshire_east"), midpoint_reviews=False)

POPPY = ChildDueState("c1", "Poppy Testwood", period_start=date(2026, 2, 16))
ALFIE = ChildDueState(
    "c2",
    "Alfie Samplesworth",
    period_start=date(2025, 4, 28),
    held_reviews=(date(2025, 5, 20), date(2025, 8, 25)),
)
MO = ChildDueState(
    "c3",
    "Mo Examplefield",
    period_start=date(2025, 6, 2),
    held_reviews=(date(2025, 6, 25), date(2025, 9, 22), date(2026, 2, 2)),
    last_review=LastReview(completed=date(2026, 2, 2)),
)
JESS = ChildDueState(
    "c4",
    "Jess Placeholder",
    period_start=date(2025, 11, 3),
    held_reviews=(date(2025, 11, 28), date(2026, 2, 20)),
    last_review=LastReview(date(2026, 2, 20), date(2026, 2, 24), date(2026, 2, 26)),
    placement=Placement(date(2025, 11, 3), last_social_worker_visit=date(2025, 12, 15)),
)
SAM = ChildDueState(
    "c5",
    "Sam Fictional",
    period_start=date(2025, 5, 19),
    held_reviews=(date(2025, 6, 16), date(2025, 9, 10)),
    open_series=OpenSeries((date(2026, 2, 26), date(2026, 2, 20))),
)
KAI = ChildDueState(
    "c6",
    "Kai Madeup",
    period_start=None,
    is_care_leaver=True,
    last_pathway_review=date(2025, 9, 15),
)
CASELOAD = [POPPY, ALFIE, MO, JESS, SAM, KAI]


def _rows(items: list[DueItem]) -> list[tuple[str, DueKind, str]]:
    return [(i.child_name, i.kind, i.status) for i in items]


def test_dashboard_rows_in_order_of_urgency() -> None:
    items = due_items(CASELOAD, TODAY, CHESHIRE_EAST)
    assert _rows(items)[:9] == [
        ("Jess Placeholder", DueKind.STATUTORY_VISIT_OVERDUE, "Overdue by 25 working days"),
        ("Mo Examplefield", DueKind.RECOMMENDATIONS_OVERDUE, "Overdue by 15 working days"),
        ("Mo Examplefield", DueKind.MINUTES_OVERDUE, "Overdue by 5 working days"),
        ("Alfie Samplesworth", DueKind.REVIEW_DUE, "Overdue by 3 working days"),
        ("Sam Fictional", DueKind.SERIES_OPEN, "Series open for 10 days (2 meetings so far)"),
        ("Kai Madeup", DueKind.PATHWAY_REVIEW_DUE, "Due in 9 working days"),
        ("Poppy Testwood", DueKind.REVIEW_DUE, "Due in 10 working days"),
        ("Poppy Testwood", DueKind.VISIT_WINDOW_OPEN, "Due in 10 working days"),
        ("Mo Examplefield", DueKind.REVIEW_DUE, "Due in 105 working days"),
    ]
    assert [(i.child_name, i.kind) for i in items[9:]] == [
        ("Jess Placeholder", DueKind.REVIEW_DUE),
        ("Sam Fictional", DueKind.REVIEW_DUE),
    ]
    alfie = items[3]
    assert alfie.due_date == date(2026, 2, 25)
    assert alfie.working_days_left == -3
    assert alfie.overdue
    assert not items[4].overdue


def test_minutes_timescale_follows_the_profile() -> None:
    # Mo's review finished on 2 February: 15 working days ran out on 23 February
    # (Cheshire East); 20 working days run out today (Manchester), so not overdue yet.
    cheshire = [
        i for i in due_items([MO], TODAY, CHESHIRE_EAST) if i.kind is DueKind.MINUTES_OVERDUE
    ]
    assert [i.due_date for i in cheshire] == [date(2026, 2, 23)]
    manchester = due_items([MO], TODAY, MANCHESTER)
    assert DueKind.MINUTES_OVERDUE not in {i.kind for i in manchester}
    tomorrow = due_items([MO], TODAY + timedelta(days=1), MANCHESTER)
    assert DueKind.MINUTES_OVERDUE in {i.kind for i in tomorrow}


def test_issued_recommendations_and_minutes_drop_off() -> None:
    done = ChildDueState(
        MO.child_id,
        MO.child_name,
        MO.period_start,
        MO.held_reviews,
        last_review=LastReview(date(2026, 2, 2), date(2026, 2, 6), date(2026, 2, 20)),
    )
    kinds = {i.kind for i in due_items([done], TODAY, CHESHIRE_EAST)}
    assert kinds == {DueKind.REVIEW_DUE}


def test_visit_row_disappears_once_the_child_is_seen_in_the_window() -> None:
    seen_early = ChildDueState(
        POPPY.child_id, POPPY.child_name, POPPY.period_start, last_consultation=date(2026, 1, 30)
    )
    seen_in_window = ChildDueState(
        POPPY.child_id, POPPY.child_name, POPPY.period_start, last_consultation=date(2026, 2, 20)
    )
    assert DueKind.VISIT_WINDOW_OPEN in {i.kind for i in due_items([seen_early], TODAY, MANCHESTER)}
    assert DueKind.VISIT_WINDOW_OPEN not in {
        i.kind for i in due_items([seen_in_window], TODAY, MANCHESTER)
    }


def test_visit_row_waits_for_the_window_to_open() -> None:
    # Mo's next review is due 2 August 2026; the window opens 6 weeks before, 21 June.
    def kinds(today: date) -> set[DueKind]:
        return {i.kind for i in due_items([MO], today, MANCHESTER)}

    assert DueKind.VISIT_WINDOW_OPEN not in kinds(date(2026, 6, 20))
    assert DueKind.VISIT_WINDOW_OPEN in kinds(date(2026, 6, 21))
    assert DueKind.VISIT_WINDOW_OPEN in kinds(date(2026, 8, 2))
    assert DueKind.VISIT_WINDOW_OPEN not in kinds(date(2026, 8, 3))


def test_open_series_counts_from_its_first_meeting() -> None:
    items = {i.kind: i for i in due_items([SAM], TODAY, MANCHESTER)}
    # Held (for timeliness) at the first meeting on 20 February: next due 6 months later.
    assert items[DueKind.REVIEW_DUE].due_date == date(2026, 8, 20)
    series = items[DueKind.SERIES_OPEN]
    assert series.due_date == date(2026, 3, 10)  # the date this review was due
    assert not series.overdue


def test_open_series_on_a_last_meeting_profile_says_so() -> None:
    text = (PROFILES / "manchester.toml").read_text(encoding="utf-8")
    last_meeting = load_profile(text.replace('"first_meeting"', '"last_meeting"'))
    items = {i.kind: i for i in due_items([SAM], TODAY, last_meeting)}
    # Not held until the last meeting: the review is still due on 10 March.
    assert items[DueKind.REVIEW_DUE].due_date == date(2026, 3, 10)
    assert "counts as held at its last meeting (Manchester IRO Service)" in (
        items[DueKind.SERIES_OPEN].status
    )
    later = {i.kind: i for i in due_items([SAM], date(2026, 3, 12), last_meeting)}
    assert later[DueKind.SERIES_OPEN].overdue
    assert later[DueKind.REVIEW_DUE].status == "Overdue by 2 working days"


def test_weekend_due_dates_are_worded_sensibly() -> None:
    # Kai's pathway review is due Sunday 15 March 2026.
    def status(today: date) -> str:
        return due_items([KAI], today, MANCHESTER)[0].status

    assert status(date(2026, 3, 13)) == "Due Sunday 15 March 2026"
    assert status(date(2026, 3, 15)) == "Due today"
    assert status(date(2026, 3, 16)) == "Overdue by 1 working day"
    assert status(date(2026, 3, 12)) == "Due in 1 working day"


def test_this_week_and_next_four_weeks() -> None:
    items = due_items(CASELOAD, TODAY, CHESHIRE_EAST)
    week = filter_within(items, TODAY, 7)
    assert all(i.overdue for i in week)
    assert len(week) == 4
    four_weeks = filter_within(items, TODAY, 28)
    assert [i.child_name for i in four_weeks[4:]] == [
        "Sam Fictional",
        "Kai Madeup",
        "Poppy Testwood",
        "Poppy Testwood",
    ]
    with pytest.raises(ValueError, match="negative"):
        filter_within(items, TODAY, -1)


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (62, "62 children: within the 50-70 guidance"),
        (50, "50 children: within the 50-70 guidance"),
        (70, "70 children: within the 50-70 guidance"),
        (81, "81 children: above the 50-70 guidance"),
        (12, "12 children: below the 50-70 guidance"),
        (1, "1 child: below the 50-70 guidance"),
    ],
)
def test_caseload_summary(count: int, words: str) -> None:
    assert caseload_summary(count, MANCHESTER) == words


def test_caseload_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="-1"):
        caseload_summary(-1, MANCHESTER)


def test_a_bad_record_names_the_child() -> None:
    bad = ChildDueState("c9", "Robin Inventedname", date(2026, 3, 2), (date(2026, 2, 1),))
    with pytest.raises(ValueError, match="^Robin Inventedname: A review is recorded"):
        due_items([POPPY, bad], TODAY, MANCHESTER)


def test_open_series_needs_a_meeting() -> None:
    with pytest.raises(ValueError, match="at least one meeting"):
        OpenSeries(())


def test_rows_become_calendar_entries_that_keep_their_uid() -> None:
    before = due_items([POPPY], TODAY, MANCHESTER)
    after_first_review = ChildDueState(
        POPPY.child_id, POPPY.child_name, POPPY.period_start, (date(2026, 3, 12),)
    )
    after = due_items([after_first_review], TODAY, MANCHESTER)
    review_before = next(i for i in before if i.kind is DueKind.REVIEW_DUE).as_calendar_event()
    review_after = next(i for i in after if i.kind is DueKind.REVIEW_DUE).as_calendar_event()
    assert review_before.uid == review_after.uid
    assert review_before.date != review_after.date
    assert review_before.summary == "Review due: Poppy Testwood"
    text = to_ics(
        [i.as_calendar_event() for i in due_items(CASELOAD, TODAY, MANCHESTER)], TODAY_NOON
    )
    assert text.count("BEGIN:VEVENT") == len(due_items(CASELOAD, TODAY, MANCHESTER))


def _service(n: int, seed: int = 7) -> list[ChildDueState]:
    rng = random.Random(seed)
    children = []
    for k in range(n):
        start = TODAY - timedelta(days=rng.randrange(1, 3000))
        held: list[date] = []
        day = start + timedelta(days=rng.randrange(10, 30))
        while day < TODAY - timedelta(days=20) and rng.random() < 0.95:
            held.append(day)
            day += timedelta(days=rng.randrange(60, 200))
        last = held[-1] if held else None
        placement_start = start + timedelta(days=rng.randrange(0, 60))
        placement_start = min(placement_start, TODAY)
        visit = placement_start + timedelta(days=rng.randrange(0, 400))
        children.append(
            ChildDueState(
                child_id=f"child-{k}",
                child_name=f"Test Child {k:04d}",
                period_start=start,
                held_reviews=tuple(held),
                open_series=OpenSeries((TODAY - timedelta(days=3),)) if k % 17 == 0 else None,
                last_review=LastReview(last) if last and k % 3 == 0 else None,
                last_consultation=TODAY - timedelta(days=rng.randrange(0, 120)),
                placement=Placement(
                    placement_start,
                    min(visit, TODAY) if k % 5 else None,
                    min(placement_start + timedelta(days=30), TODAY) if k % 4 == 0 else None,
                ),
                is_care_leaver=k % 9 == 0,
                last_pathway_review=TODAY - timedelta(days=rng.randrange(0, 200)),
            )
        )
    return children


def test_whole_service_is_sorted_overdue_first_then_soonest() -> None:
    items = due_items(_service(400), TODAY, MANCHESTER)
    flags = [i.overdue for i in items]
    assert flags == sorted(flags, reverse=True)
    overdue = [i.due_date for i in items if i.overdue]
    upcoming = [i.due_date for i in items if not i.overdue and i.kind is not DueKind.SERIES_OPEN]
    assert overdue == sorted(overdue)
    assert upcoming == sorted(upcoming)
    assert all(
        i.working_days_left < 0
        for i in items
        if i.overdue and i.due_date < TODAY - timedelta(days=3)
    )


def test_a_whole_service_of_1300_children_gets_a_row_for_every_child() -> None:
    # Speed is measured in benchmarks/bench_dashboard.py, not asserted here.
    children = _service(1300)
    items = due_items(children, TODAY, MANCHESTER)
    assert {i.child_id for i in items if i.kind is DueKind.REVIEW_DUE} == {
        c.child_id for c in children
    }
    assert items == sorted(items, key=lambda i: i.urgency)


def test_a_care_leavers_pathway_reviews_stop_at_the_age_the_service_sets() -> None:
    from dataclasses import replace

    def pathway_rows(dob: date, profile: PracticeProfile) -> list[DueItem]:
        child = replace(KAI, date_of_birth=dob)
        return [
            i for i in due_items([child], TODAY, profile) if i.kind is DueKind.PATHWAY_REVIEW_DUE
        ]

    twenty = date(2005, 6, 1)  # 20 on 2 March 2026
    twenty_one = date(2005, 3, 2)  # 21 today
    until_18 = replace(MANCHESTER, pathway_reviews_until_age=18)  # a service's own setting
    assert pathway_rows(twenty, until_18) == []
    assert len(pathway_rows(twenty, CHESHIRE_EAST)) == 1  # Cheshire East's IROs: until 21
    assert pathway_rows(twenty_one, CHESHIRE_EAST) == []
    assert len(pathway_rows(date(2008, 9, 1), until_18)) == 1  # 17: reviewed everywhere


# --- mid-point reviews (the IRO footprint between reviews) --------------------------------------


def test_a_midpoint_review_is_due_halfway_to_the_next_review_per_the_profile() -> None:
    with_midpoints = _profile("manchester")
    assert with_midpoints.midpoint_reviews  # the shipped profile asks for them
    # Mo's last review was on 2 Feb 2026, the next due by 2 Aug 2026: halfway is Monday 4 May,
    # the May bank holiday, so the next working day.
    rows = [
        i for i in due_items([MO], TODAY, with_midpoints) if i.kind is DueKind.MIDPOINT_REVIEW_DUE
    ]
    assert [(r.due_date, r.kind.label) for r in rows] == [
        (date(2026, 5, 5), "Mid-point review due")
    ]
    # None where the profile does not ask for them, and none once one has been recorded.
    assert not [
        i for i in due_items([MO], TODAY, MANCHESTER) if i.kind is DueKind.MIDPOINT_REVIEW_DUE
    ]
    done = replace(MO, last_midpoint=date(2026, 2, 27))
    assert not [
        i for i in due_items([done], TODAY, with_midpoints) if i.kind is DueKind.MIDPOINT_REVIEW_DUE
    ]
    # A mid-point review recorded before the last review does not count for this one.
    old = replace(MO, last_midpoint=date(2025, 12, 1))
    assert [i.kind for i in due_items([old], TODAY, with_midpoints)].count(
        DueKind.MIDPOINT_REVIEW_DUE
    ) == 1


def test_the_profile_setting_must_be_true_or_false() -> None:
    text = (PROFILES / "manchester.toml").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="midpoint_reviews' must be true or false"):
        load_profile(text.replace("midpoint_reviews = true", 'midpoint_reviews = "yes"'))
    assert not load_profile(text.replace("midpoint_reviews = true\n", "")).midpoint_reviews


def test_the_visit_window_runs_up_to_the_booked_meeting_as_the_figures_count_it() -> None:
    from dataclasses import replace

    # Mo's review is due 2 August 2026 but booked for 10 July: the window is the 6 weeks
    # before 10 July (opens 29 May), the same weeks the review's checks and figures count.
    booked = replace(MO, planned_review_on=date(2026, 7, 10))

    def window_row(state: ChildDueState, today: date) -> DueItem | None:
        rows = [i for i in due_items([state], today, MANCHESTER)]
        return next((i for i in rows if i.kind is DueKind.VISIT_WINDOW_OPEN), None)

    assert window_row(booked, date(2026, 5, 28)) is None
    row = window_row(booked, date(2026, 5, 29))
    assert row is not None and row.due_date == date(2026, 7, 10)
    assert window_row(MO, date(2026, 5, 29)) is None  # unbooked: from the due date
    four_weeks = replace(MANCHESTER, visit_window_weeks=4)
    assert not any(
        i.kind is DueKind.VISIT_WINDOW_OPEN
        for i in due_items([booked], date(2026, 6, 1), four_weeks)
    )
