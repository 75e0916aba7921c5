"""Everything people do in the demo happens on a working day: no review on a Saturday, no
letter issued on Christmas Day, no visit on a bank holiday, nothing done on a closure day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.escalation_protocol import PROTOCOLS
from iro_desktop.domain.review import CaseOverview, MidPointReview, Review
from iro_desktop.services.demo import DemoCaseload, generate_caseload
from iro_desktop.services.escalation_demo import demo_escalations

# The practice closes between Christmas and New Year, as many councils do.
CLOSED = WorkingCalendar([date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31),
                          date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)])  # fmt: skip
AS_OF = [
    date(2026, 11, 23),
    date(2026, 12, 25),
    date(2026, 4, 5),
    date(2026, 1, 3),
    date(2025, 12, 30),
]


@cache
def demo(seed: int, calendar: WorkingCalendar = ENGLAND_AND_WALES) -> DemoCaseload:
    return generate_caseload(70, seed, AS_OF[seed - 1], ["Ada Example"], calendar)


def review_dates(r: Review) -> Iterator[tuple[str, date]]:
    """Every date in a review record that someone acted on or booked."""
    yield "planned", r.planned_on
    for change in r.history:
        yield f"status {change.to_status.value}", change.on
    for move in r.rearrangements:
        yield "rearranged on", move.on
        yield "rearranged from", move.from_date
        yield "rearranged to", move.to_date
    for stood in r.stand_downs:
        yield "stood down", stood.on
    prep = r.preparation
    for person in prep.invitees:
        if person.consultation_sent_on:
            yield f"consultation sent to {person.key}", person.consultation_sent_on
        if person.consultation_received_on:
            yield f"consultation from {person.key}", person.consultation_received_on
    for contact in prep.child_contacts:
        if contact.on:
            yield "IRO contact with the child", contact.on
    if prep.social_worker_report_received_on:
        yield "report received", prep.social_worker_report_received_on
    if prep.care_plan_received_on:
        yield "care plan received", prep.care_plan_received_on
    for meeting in r.meetings:
        yield "meeting", meeting.on
    for rec in r.recommendations:
        if rec.due_on:
            yield f"{rec.id} due", rec.due_on
        if rec.status_on:
            yield f"{rec.id} {rec.status.value}", rec.status_on
    if r.plan_view.endorsed_on:
        yield "plan endorsed", r.plan_view.endorsed_on


def not_working(calendar: WorkingCalendar, found: Iterator[tuple[str, date]]) -> list[str]:
    return [f"{what} {d:%a %d %b %Y}" for what, d in found if not calendar.is_working_day(d)]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_reviews_letters_and_recommendations_happen_on_working_days(seed: int) -> None:
    caseload = demo(seed)
    bad = {r.review.id: not_working(ENGLAND_AND_WALES, review_dates(r.review))
           for r in caseload.reviews}  # fmt: skip
    assert {k: v for k, v in bad.items() if v} == {}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_nothing_is_done_after_today(seed: int) -> None:
    as_of = AS_OF[seed - 1]
    for r in demo(seed).reviews:
        review = r.review
        done = [c.on for c in review.history] + [m.on for m in review.meetings if m.held]
        done += [s.on for s in review.stand_downs] + [m.on for m in review.rearrangements]
        assert all(d <= as_of for d in done), review.id
        # Nothing is booked before the child came into care.
        if r.period_start:
            assert review.planned_on >= r.period_start


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_visits_and_footprint_notes_are_on_working_days(seed: int) -> None:
    caseload = demo(seed)
    as_of = AS_OF[seed - 1]
    for child in caseload.children:
        for visit in child.visits:
            assert ENGLAND_AND_WALES.is_working_day(visit.visited_on), visit
            assert visit.visited_on <= as_of and visit.by
            assert any(p.start <= visit.visited_on and (p.end is None or visit.visited_on < p.end)
                       for p in child.periods)  # fmt: skip
        if child.allocated_on:
            assert ENGLAND_AND_WALES.is_working_day(child.allocated_on)
    for note in caseload.notes:
        on = note.held_on if isinstance(note, MidPointReview) else note.written_on
        assert isinstance(note, MidPointReview | CaseOverview)
        assert ENGLAND_AND_WALES.is_working_day(on) and on <= as_of, note


def test_social_workers_visit_every_four_to_six_weeks_mostly() -> None:
    gaps: list[int] = []
    for seed in (1, 2, 3):
        for child in demo(seed).children:
            days = [v.visited_on for v in child.visits]
            gaps += [
                (b - a).days for a, b in zip(days, days[1:], strict=False) if (b - a).days < 400
            ]
    within = sum(g <= 46 for g in gaps) / len(gaps)
    assert 0.8 < within < 1.0  # some late: "visits out of timescale" is a top escalation theme


def test_a_practice_closure_day_is_not_worked_either() -> None:
    caseload = demo(5, CLOSED)
    for r in caseload.reviews:
        assert not_working(CLOSED, review_dates(r.review)) == []
    for child in caseload.children:
        assert all(CLOSED.is_working_day(v.visited_on) for v in child.visits)


@pytest.mark.parametrize("profile", sorted(PROTOCOLS))
@pytest.mark.parametrize("today", [date(2026, 12, 25), date(2026, 11, 22), date(2027, 4, 2)])
def test_escalation_events_are_on_working_days(profile: str, today: date) -> None:
    children = [("c1", "SG-1"), ("c2", "SG-1"), ("c3", ""), ("c4", "")]
    built = demo_escalations(
        children,
        seed=3,
        today=today,
        protocol=PROTOCOLS[profile],
        calendar=CLOSED,
        author="Ada Example",
        now=datetime(2026, 12, 25, 10, tzinfo=UTC),
    )
    assert built
    for events in built:
        for event in events:
            assert CLOSED.is_working_day(event.occurred_on), event
            assert event.occurred_on <= today
            assert event.occurred_on > today - timedelta(days=200)
