"""What is due, for one IRO or a whole service: the dashboard, its week views and the calendar.

The store hands over plain tuples of just the columns needed (`review_repository.due_rows`);
this module turns each child's into a `domain.due.ChildDueState` with `child_due_state`, the
one place that decides which reviews count as held, which series is still open and what the
last completed review was. The caseload list uses the same function, so the list and the
dashboard never disagree about when a review is due.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from iro_desktop.domain import due as domain_due
from iro_desktop.domain import significant_change as change_rules
from iro_desktop.domain.caseload import Child
from iro_desktop.domain.due import (
    ChildDueState,
    DueItem,
    DueKind,
    LastReview,
    OpenSeries,
    Placement,
    due_items,
    filter_within,
)
from iro_desktop.domain.ics import CalendarEvent, to_ics
from iro_desktop.domain.profile import PracticeProfile
from iro_desktop.domain.regimes import EpisodeCodes, review_clock
from iro_desktop.domain.timescales import SeriesBasis, format_date
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import review_repository as reviews_repo
from iro_desktop.store.review_repository import EpisodeFacts, PeriodFacts, ReviewFacts

__all__ = [
    "BookedReview",
    "CaseloadDue",
    "Dashboard",
    "EpisodeFacts",
    "PeriodFacts",
    "ReviewFacts",
    "calendar_events",
    "caseload_due",
    "caseload_sizes",
    "caseload_summary",
    "change_answers",
    "child_due_state",
    "dashboard",
    "display_name",
    "export_ics",
    "ics_text",
    "items_for",
    "next_4_weeks",
    "placement_of",
    "review_item",
    "state_from_child",
    "this_week",
]

LOOKED_AFTER = "looked_after"
CARE_ORDERS = frozenset({"C1", "C2"})
PATHWAY_PLAN = "pathway_plan"
THIS_WEEK_DAYS = 7
FOUR_WEEKS_DAYS = 28
# Reviews booked but not yet held: they go in the calendar on their planned date.
BOOKED_STATUSES = frozenset({"planned", "preparing"})


def display_name(first: str, last: str, preferred: str = "") -> str:
    """'Mo (Mohammed Quillfeather)' when known by another name, as the caseload shows it."""
    name = f"{first} {last}".strip()
    return f"{preferred} ({name})" if preferred and preferred != first else name


# --- one child's state ------------------------------------------------------------------------


def placement_of(
    episodes: Sequence[EpisodeFacts], last_visit: date | None = None
) -> Placement | None:
    """The current placement: the run of latest episodes with the same placement.

    An episode also changes when only the legal status changes, so the placement started
    at the first episode of that run. A visit before it was in an earlier placement and
    does not count (the first visit in a new placement is due within a week).
    """
    if not episodes:
        return None
    last = episodes[-1]
    where = (last.placement_type, last.provider, last.postcode)
    run = [last]
    for episode in reversed(episodes[:-1]):
        if (episode.placement_type, episode.provider, episode.postcode) != where:
            break
        run.append(episode)
    start = run[-1].start
    confirmed = [e.long_term_confirmed for e in run if e.long_term_confirmed]
    visit = last_visit
    long_term = max(confirmed, default=None)
    at_home = last.placement_type == "P1"
    # A care order made while the child was already living at home (the run is oldest last):
    # the order's episode follows one with another legal status in the same placement.
    order_at_home = None
    if at_home:
        for later, earlier in zip(run, run[1:], strict=False):
            if later.legal_status in CARE_ORDERS and earlier.legal_status != later.legal_status:
                order_at_home = later.start
                break
    return Placement(
        start=start,
        last_social_worker_visit=visit if visit and visit >= start else None,
        long_term_confirmed=long_term if long_term and long_term >= start else None,
        # Weekly to the first review: an interim care order with the child placed with a
        # parent, or a relative or friend approved temporarily as foster carer (reg 24).
        weekly_until_first_review=(at_home and last.legal_status == "C1")
        or last.temporary_approval,
        care_order_at_home=order_at_home,
        six_monthly_agreed=max(
            (e.visits_six_monthly_agreed for e in run if e.visits_six_monthly_agreed),
            default=None,
        ),
    )


def _in_period(review: ReviewFacts, period: PeriodFacts) -> bool:
    if review.period_id is not None and period.id is not None:
        return review.period_id == period.id
    return (review.first_meeting_on or review.due_date) >= period.start


def child_due_state(
    *,
    child_id: str,
    name: str,
    care_leaver: bool,
    period: PeriodFacts | None,
    reviews: Iterable[ReviewFacts],
    basis: SeriesBasis,
    placement: Placement | None = None,
    series_dates: Mapping[str, tuple[date, ...]] | None = None,
    episodes: Sequence[EpisodeFacts] = (),
    date_of_birth: date | None = None,
) -> ChildDueState:
    """The dashboard's view of one child, from their current period and their reviews.

    A looked-after child's reviews count from the current period of care; a review still
    being held as a series goes in `open_series` (with the dates of its meetings so far from
    `series_dates`). A care leaver who has left care is reviewed on the pathway plan cycle,
    counted from the last pathway review, or from the last looked-after review before it.
    """
    # One pass over the reviews: this runs for every child of a service on each refresh.
    looked_after = period is not None and period.end is None
    by_last_meeting = basis is SeriesBasis.LAST_MEETING
    held_la: list[date] = []
    held_before: list[date] = []  # looked-after reviews outside the current period
    held_pathway: list[date] = []
    open_series: OpenSeries | None = None
    last: ReviewFacts | None = None
    consulted: date | None = None
    reviews_list = list(reviews)
    for r in reviews_list:
        done = r.completed_on
        # A review brought in from the council's files had its recommendations and letter
        # sent from the council's own system: nothing is due from it here.
        if (
            done is not None
            and not r.source
            and (last is None or (done, r.id) > (last.completed_on, last.id))
        ):
            last = r
        seen = r.child_consulted_on
        if seen is not None and (consulted is None or seen > consulted):
            consulted = seen
        first = r.first_meeting_on
        if first is None:
            continue
        held = done if by_last_meeting else first
        if r.kind == PATHWAY_PLAN:
            if held is not None:
                held_pathway.append(held)
        elif period is not None and looked_after and _in_period(r, period):
            if r.series_open:
                known = (series_dates or {}).get(r.id) or (first,)
                open_series = OpenSeries(tuple(known))
            elif held is not None:
                held_la.append(held)
        elif held is not None:
            held_before.append(held)
    booked = [
        r.planned_date
        for r in reviews_list
        if r.status in BOOKED_STATUSES
        and r.planned_date is not None
        and r.kind != PATHWAY_PLAN
        and period is not None
        and looked_after
        and _in_period(r, period)
    ]
    pathway_from: date | None = None
    if care_leaver and not looked_after:
        pathway_from = max(held_pathway or held_before, default=None)
    # A move or the end of care that no review was held for (shortly before or since).
    changes: tuple[change_rules.SignificantChange, ...] = ()
    if period is not None:
        runs = [
            change_rules.PlacementRun(e.start, e.placement_type, e.provider, e.postcode)
            for e in episodes
        ]
        held_any = held_la + held_before
        changes = tuple(
            c
            for c in change_rules.changes_in_period(runs, period.end)
            if not change_rules.reviewed(c, held_any)
        )
    return ChildDueState(
        child_id=child_id,
        child_name=name,
        period_start=period.start if looked_after and period is not None else None,
        review_clock=(
            review_clock(
                period.start,
                [EpisodeCodes(e.start, e.legal_status, e.placement_type) for e in episodes],
            )
            if looked_after and period is not None
            else None
        ),
        held_reviews=tuple(sorted(held_la)),
        open_series=open_series,
        last_review=(
            LastReview(last.completed_on, last.recommendations_issued_on, last.letter_issued_on)
            if last is not None and last.completed_on is not None
            else None
        ),
        last_consultation=consulted,
        placement=placement if looked_after else None,
        is_care_leaver=care_leaver and not looked_after,
        last_pathway_review=pathway_from,
        date_of_birth=date_of_birth,
        planned_review_on=min(booked, default=None),
        significant_changes=changes,
    )


def state_from_child(child: Child, basis: SeriesBasis) -> ChildDueState:
    """The same state from a full `Child` record (the caseload list has those loaded)."""
    period = child.current_period
    facts = PeriodFacts(period.id, period.start, period.end) if period else None
    episodes = [
        EpisodeFacts(
            e.start,
            e.placement_type,
            e.provider,
            e.postcode,
            e.long_term_confirmed,
            e.legal_status,
            e.temporary_approval,
            e.visits_six_monthly_agreed,
        )
        for e in (period.episodes if period else ())
    ]
    reviews = [
        ReviewFacts(
            child_id=child.id,
            id=r.id,
            kind=r.kind,
            status=r.status,
            period_id=None,
            due_date=r.due_date,
            planned_date=None,
            first_meeting_on=r.meeting_dates[0] if r.meeting_dates else r.timeliness_date,
            completed_on=r.completed_date,
            series_open=r.status == "held",
        )
        for r in child.reviews
    ]
    return child_due_state(
        child_id=child.id,
        name=child.display_name,
        care_leaver=child.care_leaver,
        period=facts,
        reviews=reviews,
        basis=basis,
        placement=placement_of(episodes, child.last_visit),
        episodes=episodes,
        date_of_birth=child.date_of_birth,
    )


# --- the whole caseload -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BookedReview:
    """A review booked (planned or being prepared) on a date: one calendar entry."""

    review_id: str
    child_id: str
    child_name: str
    kind: str
    planned_on: date
    due_on: date

    def as_calendar_event(self) -> CalendarEvent:
        what = "Pathway plan review" if self.kind == PATHWAY_PLAN else "Review"
        uid = uuid.uuid5(uuid.NAMESPACE_URL, f"iro-desktop:review:{self.review_id}")
        return CalendarEvent(
            uid=f"{uid}@iro-desktop",
            date=self.planned_on,
            summary=f"{what} meeting: {self.child_name}",
            description=f"Booked for {format_date(self.planned_on)}; due by "
            f"{format_date(self.due_on)}.",
        )


@dataclass(frozen=True, slots=True)
class CaseloadDue:
    states: tuple[ChildDueState, ...]
    booked: tuple[BookedReview, ...]


def caseload_due(
    session: CaseloadSession, *, iro: str | None = None, child_id: str | None = None
) -> CaseloadDue:
    """Every child's due state (and the booked reviews) from the lean rows."""
    with session.unit_of_work() as s:
        rows = reviews_repo.due_rows(s, iro, child_id)
        notes = reviews_repo.latest_footprint(s, child_id)
        answers = reviews_repo.footprint_records(s, change_rules.NOTE_KIND, child_id)
    due = build_caseload_due(rows, session.profile.series_basis)
    answered: dict[str, list[dict[str, object]]] = {}
    for owner, record in answers:
        answered.setdefault(owner, []).append(record)
    return replace(
        due,
        states=tuple(
            with_oversight(
                replace(
                    st, answered_changes=change_rules.answered_keys(answered.get(st.child_id, []))
                )
                if st.child_id in answered
                else st,
                notes,
            )
            for st in due.states
        ),
    )


def with_oversight(state: ChildDueState, notes: Mapping[tuple[str, str], date]) -> ChildDueState:
    """The child's state with the IRO's oversight between reviews: the last mid-point review,
    and the IRO's own visit as contact with the child (for the visit window)."""
    midpoint = notes.get((state.child_id, "mid_point_review"))
    visit = notes.get((state.child_id, "iro_visit"))
    if midpoint is None and visit is None:
        return state
    consulted = state.last_consultation
    if visit is not None and (consulted is None or visit > consulted):
        consulted = visit
    return replace(state, last_midpoint=midpoint, last_consultation=consulted)


def build_caseload_due(rows: reviews_repo.DueRows, basis: SeriesBasis) -> CaseloadDue:
    states = []
    booked = []
    for child_id, first, last, preferred, care_leaver, dob in rows.children:
        name = display_name(first, last, preferred)
        period = rows.periods.get(child_id)
        episodes = rows.episodes.get(period.id, []) if period and period.id is not None else []
        reviews = rows.reviews.get(child_id, [])
        states.append(
            child_due_state(
                child_id=child_id,
                name=name,
                care_leaver=care_leaver,
                period=period,
                reviews=reviews,
                basis=basis,
                placement=placement_of(episodes, rows.last_visits.get(child_id)),
                series_dates=rows.open_series_dates,
                episodes=episodes,
                date_of_birth=dob,
            )
        )
        booked += [
            BookedReview(r.id, child_id, name, r.kind, r.planned_date, r.due_date)
            for r in reviews
            if r.status in BOOKED_STATUSES and r.planned_date is not None
        ]
    return CaseloadDue(tuple(states), tuple(booked))


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The due rows, most urgent first, and the children whose dates need checking."""

    today: date
    items: tuple[DueItem, ...]
    children: int
    summary: str
    problems: tuple[str, ...] = ()

    def within(self, days: int) -> list[DueItem]:
        return filter_within(self.items, self.today, days)

    @property
    def overdue(self) -> list[DueItem]:
        return [i for i in self.items if i.overdue]


def items_for(
    states: Sequence[ChildDueState], today: date, profile: PracticeProfile
) -> tuple[list[DueItem], list[str]]:
    """The due rows; a child whose dates cannot be worked out is set aside with the reason,
    and the rest of the caseload is still shown."""
    try:
        return due_items(states, today, profile), []
    except ValueError:
        pass
    items: list[DueItem] = []
    problems: list[str] = []
    for state in states:
        try:
            items += due_items([state], today, profile)
        except ValueError as exc:
            problems.append(str(exc))
    items.sort(key=lambda item: item.urgency)
    return items, problems


def dashboard(
    session: CaseloadSession, *, iro: str | None = None, within_days: int | None = None
) -> Dashboard:
    """What is due for every child on the caseload (or one IRO's), overdue first."""
    today = session.clock.today()
    profile = session.profile
    states = caseload_due(session, iro=iro).states
    items, problems = items_for(states, today, profile)
    if within_days is not None:
        items = filter_within(items, today, within_days)
    return Dashboard(
        today=today,
        items=tuple(items),
        children=len(states),
        summary=domain_due.caseload_summary(len(states), profile),
        problems=tuple(problems),
    )


def this_week(session: CaseloadSession, *, iro: str | None = None) -> list[DueItem]:
    """Overdue rows and everything due in the next 7 days."""
    return list(dashboard(session, iro=iro, within_days=THIS_WEEK_DAYS).items)


def next_4_weeks(session: CaseloadSession, *, iro: str | None = None) -> list[DueItem]:
    """Overdue rows and everything due in the next 28 days."""
    return list(dashboard(session, iro=iro, within_days=FOUR_WEEKS_DAYS).items)


def caseload_summary(session: CaseloadSession, *, iro: str | None = None) -> str:
    """'62 children: within the 50-70 guidance', for one IRO or (no iro) the whole caseload."""
    with session.unit_of_work() as s:
        sizes = dict(reviews_repo.allocated_iros(s))
    count = sizes.get(iro, 0) if iro is not None else sum(sizes.values())
    return domain_due.caseload_summary(count, session.profile)


def caseload_sizes(session: CaseloadSession) -> list[tuple[str, int, str]]:
    """Each IRO's number of children and how it compares with the guidance (managers)."""
    with session.unit_of_work() as s:
        sizes = reviews_repo.allocated_iros(s)
    profile = session.profile
    return [(iro, n, domain_due.caseload_summary(n, profile)) for iro, n in sizes]


# --- the calendar -------------------------------------------------------------------------


def calendar_events(
    session: CaseloadSession, *, iro: str | None = None, within_days: int | None = None
) -> list[CalendarEvent]:
    """Due dates and booked review meetings as calendar entries."""
    today = session.clock.today()
    due = caseload_due(session, iro=iro)
    items, _problems = items_for(due.states, today, session.profile)
    booked = list(due.booked)
    if within_days is not None:
        items = filter_within(items, today, within_days)
        horizon = today.toordinal() + within_days
        booked = [b for b in booked if b.planned_on.toordinal() <= horizon]
    # A question about a change is not a date to keep: it stays on the dashboard.
    events = [
        item.as_calendar_event() for item in items if item.kind is not DueKind.SIGNIFICANT_CHANGE
    ]
    events += [b.as_calendar_event() for b in sorted(booked, key=lambda b: b.planned_on)]
    return events


def ics_text(
    session: CaseloadSession, *, iro: str | None = None, within_days: int | None = None
) -> str:
    events = calendar_events(session, iro=iro, within_days=within_days)
    return to_ics(events, session.clock.now(), calendar_name=f"IRO Desktop: {session.username}")


def export_ics(
    session: CaseloadSession,
    path: Path,
    *,
    iro: str | None = None,
    within_days: int | None = None,
) -> int:
    """Write the calendar file; returns the number of entries. The export is audited."""
    text = ics_text(session, iro=iro, within_days=within_days)
    path.write_bytes(text.encode("utf-8"))
    count = text.count("BEGIN:VEVENT")
    with session.unit_of_work() as s:
        session.audit(s, "export", "calendar", "due", f"{count} entries to {path}")
    return count


# --- a review before a significant change ------------------------------------------------


def change_answers(session: CaseloadSession, child_id: str) -> list[change_rules.ChangeAnswer]:
    """The IRO's answers about the child's significant changes, oldest first."""
    with session.unit_of_work() as s:
        records = reviews_repo.footprint_records(s, change_rules.NOTE_KIND, child_id)
    found = []
    for _owner, r in records:
        try:
            change = change_rules.SignificantChange(
                change_rules.ChangeKind(str(r["change"])), date.fromisoformat(str(r["change_on"]))
            )
            found.append(
                change_rules.ChangeAnswer(
                    change,
                    change_rules.Answer(str(r["answer"])),
                    date.fromisoformat(str(r["on"])),
                    str(r.get("reason", "")),
                )
            )
        except (KeyError, ValueError):
            continue  # an unreadable note is skipped rather than hiding the rest
    return found


def answer_change(
    session: CaseloadSession,
    child_id: str,
    key: str,
    answer: change_rules.Answer,
    *,
    reason: str = "",
) -> change_rules.ChangeAnswer:
    """Answer the dashboard's question about a move or the end of care: "review booked" (the
    child must have a review booked) or "not needed" with the reason. Kept as a note of the
    IRO's oversight on the child's record, and audited."""
    today = session.clock.today()
    states = caseload_due(session, child_id=child_id).states
    state = next((st for st in states if st.child_id == child_id), None)
    change = next((c for c in (state.significant_changes if state else ()) if c.key == key), None)
    if change is None:
        raise ValueError("That change is not waiting for an answer (it may have been answered).")
    if answer is change_rules.Answer.REVIEW_BOOKED and (
        state is None or state.planned_review_on is None
    ):
        raise ValueError(
            "No review is booked for this child yet. Plan the review first, then answer "
            "'review booked'."
        )
    result = change_rules.answer_change(change, answer, on=today, reason=reason)
    with session.unit_of_work() as s:
        reviews_repo.save_footprint_note(
            s,
            note_id=str(uuid.uuid4()),
            child_id=child_id,
            review_id=None,
            kind=change_rules.NOTE_KIND,
            on=today,
            author=session.username,
            record=result.to_dict(),
            now=session.now(),
        )
        session.audit(s, "update", "child", child_id, result.words)
    return result


def review_item(items: Iterable[DueItem]) -> DueItem | None:
    """The review (or pathway plan review) row among one child's rows."""
    return next(
        (i for i in items if i.kind in (DueKind.REVIEW_DUE, DueKind.PATHWAY_REVIEW_DUE)), None
    )
