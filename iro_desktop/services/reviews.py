"""Chairing a review: the use cases the review window and the command line call.

Each use case is one unit of work: load the stored review, ask the domain to make the change
(it refuses what the rules do not allow, with the reason), save the record and its summary
columns, and write the audit entry. Every change returns the updated review, its new version
(pass it back as `expected_version` to be told when the review changed in the meantime), the
domain events (which fields changed, for redrawing) and the problems `check_review` finds.

Problems never block a save: an IRO's half-finished record is always kept. A draft that asks
for something the rules refuse (a meeting after completion, a reworded recommendation after
sign-off) is kept whole in the drafts table instead, and the refusal is returned, so nothing
typed is lost either way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from iro_desktop.domain import regimes, timescales
from iro_desktop.domain import review as rv
from iro_desktop.domain import review_no_meeting as no_meeting
from iro_desktop.domain.caseload import age_on
from iro_desktop.domain.review import (
    CaseOverview,
    ChangeRefused,
    FootprintEntry,
    Meeting,
    MidPointReview,
    Problem,
    Recommendation,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewChange,
    ReviewEvent,
    ReviewKind,
    ReviewStatus,
    SeriesBasis,
    Severity,
    Tracking,
    TrackingSummary,
)
from iro_desktop.domain.review_events import EventKind
from iro_desktop.services import due as due_service
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo
from iro_desktop.store.review_repository import ChildFacts, ReviewChanged, StoredReview

__all__ = [
    "ChildFootprint",
    "DraftSaved",
    "MeetingLine",
    "MidpointRecorded",
    "NextReview",
    "OpenedReview",
    "RecommendationBoard",
    "ReviewChanged",
    "ReviewLine",
    "ReviewUpdate",
    "TrackedRecommendation",
    "add_case_overview",
    "add_meeting",
    "child_footprint",
    "child_recommendations",
    "complete",
    "complete_without_meeting",
    "discard_unsaved_draft",
    "drop_recommendation",
    "get_review",
    "hold_first_meeting",
    "issue_recommendations",
    "list_reviews",
    "mark_extra",
    "mark_recommendation_done",
    "move",
    "next_review",
    "plan_next_review",
    "prepare",
    "rearrange",
    "record_midpoint",
    "reopen_recommendation",
    "save_draft",
    "series_basis",
    "stand_down",
]

# Typing-level edits are audited once per review per person in this window, not every save.
DRAFT_AUDIT_MINUTES = 10
_TYPING_EVENTS = frozenset(
    {EventKind.RECORD_EDITED, EventKind.MEETING_UPDATED, EventKind.RECOMMENDATION_EDITED}
)
_NOT_HELD = (ReviewStatus.PLANNED, ReviewStatus.PREPARING, ReviewStatus.STOOD_DOWN)


def series_basis(session: CaseloadSession) -> SeriesBasis:
    """The practice profile's rule for when a series of meetings counts as held."""
    return session.profile.series_basis


def _draft_key(review_id: str) -> str:
    return f"review:{review_id}"


# --- what the use cases return ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingLine:
    on: date
    held: bool
    final: bool
    venue: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "held": self.held,
            "final": self.final,
            "venue": self.venue,
        }


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One line of a child's review history."""

    id: str
    child_id: str
    kind: str
    status: str
    status_label: str
    sequence: int | None
    period_start: date | None
    due_date: date
    planned_on: date | None
    timeliness_date: date | None
    in_timescale: bool | None
    completed_on: date | None
    pn_code: str
    extra: bool
    series_open: bool
    stood_down: bool
    rearranged_count: int
    meetings: tuple[MeetingLine, ...]
    meetings_held: int
    open_recommendations: int
    recommendations_issued_on: date | None
    letter_issued_on: date | None
    version: int
    readable: bool = True
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.id,
            "child_id": self.child_id,
            "kind": self.kind,
            "status": self.status,
            "status_label": self.status_label,
            "sequence": self.sequence,
            "period_start": iso(self.period_start),
            "due_date": self.due_date.isoformat(),
            "planned_on": iso(self.planned_on),
            "timeliness_date": iso(self.timeliness_date),
            "in_timescale": self.in_timescale,
            "completed_on": iso(self.completed_on),
            "pn_code": self.pn_code or None,
            "extra": self.extra,
            "series_open": self.series_open,
            "stood_down": self.stood_down,
            "rearranged_count": self.rearranged_count,
            "meetings": [m.to_json() for m in self.meetings],
            "meetings_held": self.meetings_held,
            "open_recommendations": self.open_recommendations,
            "recommendations_issued_on": iso(self.recommendations_issued_on),
            "letter_issued_on": iso(self.letter_issued_on),
            "version": self.version,
            "readable": self.readable,
            "problem": self.problem or None,
        }


@dataclass(frozen=True, slots=True)
class OpenedReview:
    """A review opened for the review window."""

    review: Review
    version: int
    child_id: str
    child_name: str
    child_dob: date
    period_start: date | None
    problems: tuple[Problem, ...]
    allowed: tuple[ReviewStatus, ...]
    basis: SeriesBasis
    # Set when the profile counts a series from its last meeting: the window says so.
    basis_note: str = ""
    # Rebuilt from a summary row written by an earlier version (dates, status, PN code).
    rebuilt_from_summary: bool = False
    # A draft kept after a refused save: offer it back to the IRO.
    unsaved_draft: Review | None = None


@dataclass(frozen=True, slots=True)
class ReviewUpdate:
    review: Review
    version: int
    events: tuple[ReviewEvent, ...]
    problems: tuple[Problem, ...]

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for e in self.events for f in e.changed))


@dataclass(frozen=True, slots=True)
class DraftSaved:
    """The result of saving a draft: saved (with its problems), or kept aside and why."""

    review: Review
    version: int
    events: tuple[ReviewEvent, ...]
    problems: tuple[Problem, ...]
    refused: str = ""

    @property
    def saved(self) -> bool:
        return not self.refused


# --- helpers --------------------------------------------------------------------------------


def _readable(stored: StoredReview) -> Review:
    if stored.review is None:
        raise ValueError(
            f"The full record of review {stored.row.id} (due {stored.row.due_date.isoformat()}) "
            f"could not be read: {stored.problem} Its summary is still listed."
        )
    return stored.review


def _check_version(stored: StoredReview, expected: int | None) -> None:
    if expected is not None and stored.version != expected:
        raise ReviewChanged(
            "This review was changed elsewhere after you opened it "
            f"(version {expected}, now {stored.version}). Open it again to see the changes."
        )


def _period_start(stored: StoredReview, child: ChildFacts) -> date | None:
    if stored.row.period_start is not None:
        return stored.row.period_start
    period = child.current_period
    return period.start if period else None


def _problems(
    session: CaseloadSession, review: Review, child: ChildFacts, period_start: date | None
) -> tuple[Problem, ...]:
    try:
        return tuple(
            rv.check_review(
                review,
                child.date_of_birth,
                period_start or child.date_of_birth,
                session.clock.today(),
                basis=series_basis(session),
                calendar=session.profile.calendar,
                consult_weeks=session.profile.visit_window_weeks,
                report_days_before=session.profile.social_worker_report_working_days_before,
            )
        )
    except ValueError as exc:  # a date the checks cannot even work with
        return (Problem("", Severity.ERROR, str(exc)),)


def _audit_events(
    session: CaseloadSession, s: Any, review_id: str, events: Sequence[ReviewEvent]
) -> None:
    for ev in events:
        detail = ev.summary + (f" Reason: {ev.reason}" if ev.reason else "")
        session.audit(s, "update", "review", review_id, detail)


def _recently_audited(session: CaseloadSession, s: Any, review_id: str) -> bool:
    last = repo.audit_entries(s, review_id, limit=1)
    if not last or last[0]["username"] != session.username or last[0]["action"] != "update":
        return False
    return bool(session.now() - last[0]["at"] < timedelta(minutes=DRAFT_AUDIT_MINUTES))


def _change(
    session: CaseloadSession,
    review_id: str,
    make: Callable[[Review, date], ReviewChange],
    *,
    expected_version: int | None,
    on: date | None = None,
) -> ReviewUpdate:
    """Load, change through the domain, save with the summary columns, audit: one unit."""
    when = on or session.clock.today()
    with session.unit_of_work() as s:
        stored = reviews_repo.load_review(s, review_id)
        review = _readable(stored)
        _check_version(stored, expected_version)
        updated, event = make(review, when)
        version = reviews_repo.save_review(
            s, updated, basis=series_basis(session), now=session.now()
        )
        _audit_events(session, s, review_id, [event])
        child = reviews_repo.find_child(s, updated.child_id)
    return ReviewUpdate(
        updated, version, (event,), _problems(session, updated, child, _period_start(stored, child))
    )


# --- listing and opening --------------------------------------------------------------------


def _line(stored: StoredReview, basis: SeriesBasis) -> ReviewLine:
    row, review = stored.row, stored.review
    if review is not None:
        held = rv.timeliness_date(review, basis)
        meetings = tuple(MeetingLine(m.on, m.held, m.final, m.venue) for m in review.meetings)
        status = review.status
        status_value, label = status.value, status.label
    else:
        held = row.completed_date if basis is SeriesBasis.LAST_MEETING else row.first_meeting_on
        meetings = ()
        status_value = row.status
        try:
            label = ReviewStatus(row.status).label
        except ValueError:
            label = row.status
    return ReviewLine(
        id=row.id,
        child_id=row.child_id,
        kind=row.kind,
        status=status_value,
        status_label=label,
        sequence=row.sequence,
        period_start=row.period_start,
        due_date=row.due_date,
        planned_on=row.planned_date,
        timeliness_date=held,
        in_timescale=None if held is None else held <= row.due_date,
        completed_on=row.completed_date,
        pn_code=row.pn_code,
        extra=row.is_extra,
        series_open=row.series_open,
        stood_down=row.stood_down,
        rearranged_count=row.rearranged_count,
        meetings=meetings,
        meetings_held=row.meetings_count,
        open_recommendations=row.open_recommendations,
        recommendations_issued_on=row.recommendations_issued_on,
        letter_issued_on=row.letter_issued_on,
        version=row.row_version,
        readable=review is not None,
        problem=stored.problem,
    )


def list_reviews(session: CaseloadSession, child_id: str) -> list[ReviewLine]:
    """The child's reviews, oldest due first; `child_id` may be the LA's child identifier."""
    basis = series_basis(session)
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        stored = reviews_repo.reviews_for_child(s, child.id)
        session.audit(s, "open", "reviews", child.id, f"{len(stored)} reviews listed")
    return [_line(r, basis) for r in stored]


def get_review(session: CaseloadSession, review_id: str) -> OpenedReview:
    """One review for the review window; the opening is audited."""
    basis = series_basis(session)
    with session.unit_of_work() as s:
        stored = reviews_repo.load_review(s, review_id)
        review = _readable(stored)
        child = reviews_repo.find_child(s, review.child_id)
        kept = repo.load_draft(s, _draft_key(review_id))
        session.audit(s, "open", "review", review_id)
    unsaved = None
    if kept is not None:
        try:
            unsaved = Review.from_dict(kept)
        except (ValueError, TypeError):
            unsaved = None
    period_start = _period_start(stored, child)
    return OpenedReview(
        review=review,
        version=stored.version,
        child_id=child.id,
        child_name=due_service.display_name(
            child.first_name, child.last_name, child.preferred_name
        ),
        child_dob=child.date_of_birth,
        period_start=period_start,
        problems=_problems(session, review, child, period_start),
        allowed=rv.allowed_transitions(review.status),
        basis=basis,
        basis_note=(
            session.profile.series_basis.description if basis is SeriesBasis.LAST_MEETING else ""
        ),
        rebuilt_from_summary=stored.source == "legacy",
        unsaved_draft=unsaved,
    )


# --- planning the next review ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NextReview:
    """When the child's next review is due, and its number in the period of care."""

    kind: ReviewKind
    due_on: date
    sequence: int
    period_id: int | None
    period_start: date | None
    suggested_date: date


def _held_on(row: reviews_repo.ReviewRow, basis: SeriesBasis) -> date | None:
    if row.first_meeting_on is None:
        return None
    return row.completed_date if basis is SeriesBasis.LAST_MEETING else row.first_meeting_on


def _next_review(
    session: CaseloadSession,
    child: ChildFacts,
    stored: Sequence[StoredReview],
    kind: ReviewKind | None,
) -> NextReview:
    basis = series_basis(session)
    profile = session.profile
    period = child.current_period
    looked_after = period is not None and period.end is None
    if kind is None:
        kind = (
            ReviewKind.PATHWAY_PLAN
            if child.care_leaver and not looked_after
            else ReviewKind.LOOKED_AFTER
        )
    rows = [r.row for r in stored if r.row.kind == kind.value]
    for row in rows:
        if row.series_open:
            started = row.first_meeting_on.isoformat() if row.first_meeting_on else "?"
            raise ChangeRefused(
                f"The review whose first meeting was on {started} is still open (a series of "
                "meetings): complete it before planning the next review."
            )
        if row.status in {s.value for s in _NOT_HELD}:
            raise ChangeRefused(
                f"There is already a review planned for {child.name} (due "
                f"{timescales.format_date(row.due_date)}, status '{row.status}'). Rearrange "
                "that review, or mark it as an extra review, instead of planning another."
            )
    today = session.clock.today()
    period_id: int | None = None
    period_start: date | None = None
    if kind is ReviewKind.LOOKED_AFTER:
        if period is None or not looked_after:
            ended = (
                f" (the period of care ended on {period.end.isoformat()})"
                if period and period.end
                else ""
            )
            raise ChangeRefused(
                f"{child.name} is not looked after now{ended}, so there is no looked-after "
                "review to plan."
            )
        held = [
            d
            for row in rows
            if (row.period_id == period.id or row.period_id is None)
            and (d := _held_on(row, basis)) is not None
            and d >= period.start
        ]
        # Reg 33, or reg 36 once placed for adoption, or reg 48 on short breaks.
        due = regimes.next_review_due_on_clock(
            regimes.review_clock(period.start, child.current_episodes),
            period.start,
            held,
            first_review_working_days=profile.first_review_working_days,
            calendar=profile.calendar,
        )
        sequence = len(held) + 1
        period_id, period_start = period.id, period.start
    else:
        age = age_on(child.date_of_birth, today)
        if age >= profile.pathway_reviews_until_age:
            raise ChangeRefused(
                f"{child.name} is {age}: in {profile.name} the IRO reviews pathway plans until "
                f"{profile.pathway_reviews_until_age}. If your service reviews them for longer, "
                "change the practice profile."
            )
        pathway = [d for row in rows if (d := _held_on(row, basis)) is not None]
        earlier = [
            d
            for r in stored
            if r.row.kind == ReviewKind.LOOKED_AFTER.value
            and (d := _held_on(r.row, basis)) is not None
        ]
        last = max(pathway or earlier, default=None)
        due = timescales.pathway_review_due(last) if last else today
        sequence = len(pathway) + 1
        period_id = period.id if period else None
        period_start = period.start if period else None
    # Book it on the last working day on or before the due date, or today if that has passed.
    suggested = due
    while not profile.calendar.is_working_day(suggested) and suggested > today:
        suggested -= timedelta(days=1)
    return NextReview(kind, due, sequence, period_id, period_start, max(suggested, today))


def next_review(
    session: CaseloadSession, child_id: str, *, kind: ReviewKind | None = None
) -> NextReview:
    """The due date and number the child's next review would have (nothing is saved)."""
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        stored = reviews_repo.reviews_for_child(s, child.id)
    return _next_review(session, child, stored, kind)


def plan_next_review(
    session: CaseloadSession,
    child_id: str,
    *,
    planned_on: date | None = None,
    kind: ReviewKind | None = None,
    extra_reason: str | None = None,
) -> ReviewUpdate:
    """Book the child's next review: due date from the timescales for the current period of
    care (or the pathway plan cycle), numbered in the period. `extra_reason` makes it an extra
    review, brought forward."""
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        stored = reviews_repo.reviews_for_child(s, child.id)
        plan = _next_review(session, child, stored, kind)
        review = rv.plan_review(
            id=str(uuid.uuid4()),
            child_id=child.id,
            due_on=plan.due_on,
            planned_on=planned_on or plan.suggested_date,
            kind=plan.kind,
            sequence=plan.sequence,
            chaired_by=_display(session, s),
            extra_reason=extra_reason,
        )
        version = reviews_repo.save_review(
            s, review, basis=series_basis(session), now=session.now(), period_id=plan.period_id
        )
        session.audit(
            s,
            "create",
            "review",
            review.id,
            f"{plan.kind.value} review {plan.sequence} planned for "
            f"{review.planned_on.isoformat()}, due {plan.due_on.isoformat()}"
            + (" (extra review)" if review.extra else ""),
        )
    return ReviewUpdate(review, version, (), _problems(session, review, child, plan.period_start))


def _display(session: CaseloadSession, s: Any) -> str:
    user = repo.get_user(s, session.username)
    return (user or {}).get("display_name") or session.username


# --- drafts ---------------------------------------------------------------------------------

# Fields that only change through their own action; a draft must leave them as they were.
_OWN_ACTION = {
    "id": "a new review",
    "child_id": "a new review",
    "kind": "a new review",
    "status": "the review's next step (prepare, complete, issue...)",
    "history": "the review's next step",
    "planned_on": "rearranging the review",
    "rearrangements": "rearranging the review",
    "stand_downs": "standing the review down",
    "extra": "marking it an extra review",
    "extra_reason": "marking it an extra review",
    "without_meeting": "recording the review as held without a meeting",
}
_EDITABLE = tuple(
    f.name
    for f in fields(Review)
    if f.name not in _OWN_ACTION and f.name not in ("meetings", "recommendations")
)
_REC_STATE = ("status", "status_on", "status_note")


def _apply_recommendations(
    current: Review, draft: Review, on: date
) -> tuple[Review, list[ReviewEvent]]:
    events: list[ReviewEvent] = []
    wanted = {r.id for r in draft.recommendations}
    gone = [r.id for r in current.recommendations if r.id not in wanted]
    if gone:
        raise ChangeRefused(
            f"Recommendation {', '.join(gone)} cannot simply be deleted: mark it dropped, "
            "with the reason."
        )
    for rec in draft.recommendations:
        old = next((r for r in current.recommendations if r.id == rec.id), None)
        if old is None:
            current, ev = rv.add_recommendation(current, rec, on=on)
            events.append(ev)
            continue
        if old == rec:
            continue
        if tuple(getattr(old, n) for n in _REC_STATE) != tuple(getattr(rec, n) for n in _REC_STATE):
            when = rec.status_on or on
            if rec.status is RecommendationStatus.DONE:
                current, ev = rv.mark_done(current, rec.id, on=when, note=rec.status_note)
            elif rec.status is RecommendationStatus.DROPPED:
                current, ev = rv.drop_recommendation(
                    current, rec.id, on=when, reason=rec.status_note
                )
            else:
                current, ev = rv.reopen_recommendation(
                    current, rec.id, on=when, reason=rec.status_note
                )
            events.append(ev)
            old = current.recommendation(rec.id)
        wording = Recommendation(
            **{
                f.name: getattr(rec, f.name)
                for f in fields(Recommendation)
                if f.name not in _REC_STATE
            },
            **{n: getattr(old, n) for n in _REC_STATE},
        )
        if wording != old:
            current, ev = rv.edit_recommendation(current, wording, on=on)
            events.append(ev)
    return current, events


def apply_draft(stored: Review, draft: Review, *, on: date) -> tuple[Review, list[ReviewEvent]]:
    """The stored review with the draft's edits made through the domain's own functions.

    Meetings are updated or added, recommendations added, reworded, or marked done, dropped
    or reopened, and everything else is edited; the domain refuses (ChangeRefused) whatever
    its rules do not allow. Fields with their own action must be as stored.
    """
    current = stored
    events: list[ReviewEvent] = []
    if len(draft.meetings) < len(stored.meetings):
        raise ChangeRefused(
            "A meeting cannot be deleted from a draft; remove an arranged meeting with its own "
            "action (it needs a reason). Held meetings stay on the record."
        )
    for i, meeting in enumerate(draft.meetings):
        if i >= len(current.meetings):
            current, ev = rv.add_meeting(current, meeting, on=on)
        elif meeting != current.meetings[i]:
            current, ev = rv.update_meeting(current, i, meeting, on=on)
        else:
            continue
        events.append(ev)
    current, rec_events = _apply_recommendations(current, draft, on)
    events += rec_events
    changes = {n: getattr(draft, n) for n in _EDITABLE if getattr(draft, n) != getattr(current, n)}
    if changes:
        current, ev = rv.edit_review(current, on=on, **changes)
        events.append(ev)
    for name, action in _OWN_ACTION.items():
        mine = getattr(draft, name)
        if mine != getattr(stored, name) and mine != getattr(current, name):
            raise ChangeRefused(f"'{name}' changes through {action}, not in the draft.")
    return current, events


def save_draft(
    session: CaseloadSession, draft: Review, *, expected_version: int | None = None
) -> DraftSaved:
    """Save what the IRO has typed so far (call it every second or two).

    Incomplete is fine: the problems come back alongside and never stop the save. A draft
    the rules refuse is kept in the drafts table (offered back by `get_review`), and the
    refusal is returned instead of raised.
    """
    on = session.clock.today()
    known_version = expected_version
    try:
        with session.unit_of_work() as s:
            stored = reviews_repo.load_review(s, draft.id)
            known_version = stored.version
            review = _readable(stored)
            _check_version(stored, expected_version)
            updated, events = apply_draft(review, draft, on=on)
            child = reviews_repo.find_child(s, review.child_id)
            if events:
                version = reviews_repo.save_review(
                    s, updated, basis=series_basis(session), now=session.now()
                )
                lasting = [e for e in events if e.kind not in _TYPING_EVENTS]
                _audit_events(session, s, review.id, lasting)
                if len(lasting) < len(events) and not _recently_audited(session, s, review.id):
                    session.audit(s, "update", "review", review.id, "draft saved")
            else:
                version = stored.version
            repo.delete_draft(s, _draft_key(review.id))
    except ValueError as exc:
        with session.unit_of_work() as s:
            repo.save_draft(
                s, _draft_key(draft.id), session.username, draft.to_dict(), session.now()
            )
        return DraftSaved(draft, known_version or 0, (), (), str(exc))
    problems = _problems(session, updated, child, _period_start(stored, child))
    return DraftSaved(updated, version, tuple(events), problems)


def discard_unsaved_draft(session: CaseloadSession, review_id: str) -> None:
    """Throw away a draft that was kept after a refused save."""
    with session.unit_of_work() as s:
        repo.delete_draft(s, _draft_key(review_id))
        session.audit(s, "delete", "review draft", review_id)


# --- the lifecycle --------------------------------------------------------------------------


def prepare(
    session: CaseloadSession,
    review_id: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Start preparing: invitations, consultation forms, the visit to the child."""
    return _change(
        session,
        review_id,
        lambda r, when: rv.transition(r, ReviewStatus.PREPARING, on=when),
        expected_version=expected_version,
        on=on,
    )


def hold_first_meeting(
    session: CaseloadSession,
    review_id: str,
    meeting: Meeting,
    *,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Record the first meeting as held: the review is held (for timeliness) on its date."""

    def make(review: Review, when: date) -> ReviewChange:
        if rv.held_meetings(review):
            first = rv.first_meeting_date(review)
            raise ChangeRefused(
                f"The first meeting is already recorded (on {first.isoformat() if first else '?'})"
                "; add a further meeting of the series instead."
            )
        if not meeting.held:
            raise ChangeRefused("Record the first meeting as held to mark the review held.")
        return rv.add_meeting(review, meeting, on=when)

    return _change(session, review_id, make, expected_version=expected_version)


def add_meeting(
    session: CaseloadSession,
    review_id: str,
    meeting: Meeting,
    *,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Add a meeting (held, or arranged for later) to the review's series, with the reason
    it is a separate meeting."""
    return _change(
        session,
        review_id,
        lambda r, when: rv.add_meeting(r, meeting, on=when),
        expected_version=expected_version,
    )


def complete(
    session: CaseloadSession,
    review_id: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
    without_arranged: str = "",
) -> ReviewUpdate:
    """The last meeting has ended: the recommendation and letter clocks start.

    A meeting still arranged (not held) stops this, in words. `without_arranged` is the
    IRO's reason for completing without it: the arranged meetings are then removed (they will
    not happen; each removal is on the record with that reason) in the same unit of work.
    """
    reason = without_arranged.strip()
    if not reason:
        return _change(
            session,
            review_id,
            lambda r, when: rv.transition(r, ReviewStatus.COMPLETED, on=when),
            expected_version=expected_version,
            on=on,
        )
    when = on or session.clock.today()
    with session.unit_of_work() as s:
        stored = reviews_repo.load_review(s, review_id)
        review = _readable(stored)
        _check_version(stored, expected_version)
        events = []
        for index in reversed([i for i, m in enumerate(review.meetings) if not m.held]):
            review, removed = rv.remove_meeting(review, index, on=when, reason=reason)
            events.append(removed)
        updated, completed = rv.transition(review, ReviewStatus.COMPLETED, on=when)
        events.append(completed)
        version = reviews_repo.save_review(
            s, updated, basis=series_basis(session), now=session.now()
        )
        _audit_events(session, s, review_id, events)
        child = reviews_repo.find_child(s, updated.child_id)
    return ReviewUpdate(
        updated,
        version,
        tuple(events),
        _problems(session, updated, child, _period_start(stored, child)),
    )


def complete_without_meeting(
    session: CaseloadSession,
    review_id: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Record the review as held without a meeting and completed on `on` (default today).

    Only for a child in a foster placement confirmed as long-term for 12 months or more
    (local procedures); anywhere else the domain refuses, saying why.
    """
    when = on or session.clock.today()
    with session.unit_of_work() as s:
        stored = reviews_repo.load_review(s, review_id)
        review = _readable(stored)
        _check_version(stored, expected_version)
        child = repo.get_child(s, review.child_id)
        period = child.current_period
        episodes = (
            tuple(
                no_meeting.PlacementFacts(
                    e.start, e.placement_type, e.provider, e.postcode, e.long_term_confirmed
                )
                for e in period.episodes
            )
            if period is not None and period.is_open
            else ()
        )
        updated, ev = no_meeting.complete_without_meeting(review, on=when, episodes=episodes)
        version = reviews_repo.save_review(
            s, updated, basis=series_basis(session), now=session.now()
        )
        _audit_events(session, s, review_id, [ev])
        facts = reviews_repo.find_child(s, updated.child_id)
    return ReviewUpdate(
        updated, version, (ev,), _problems(session, updated, facts, _period_start(stored, facts))
    )


def arranged_meetings(review: Review) -> tuple[Meeting, ...]:
    """Meetings of the review arranged but not held: completing must say what becomes of them."""
    return tuple(m for m in review.meetings if not m.held)


def issue_recommendations(
    session: CaseloadSession,
    review_id: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    return _change(
        session,
        review_id,
        lambda r, when: rv.transition(r, ReviewStatus.RECOMMENDATIONS_ISSUED, on=when),
        expected_version=expected_version,
        on=on,
    )


def stand_down(
    session: CaseloadSession,
    review_id: str,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Stand the review down before its first meeting; it keeps its due date."""
    return _change(
        session,
        review_id,
        lambda r, when: rv.stand_down(r, on=when, reason=reason),
        expected_version=expected_version,
        on=on,
    )


def rearrange(
    session: CaseloadSession,
    review_id: str,
    new_date: date,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Move the planned date (a stood-down review goes back to planned); the due date stays."""
    return _change(
        session,
        review_id,
        lambda r, when: rv.rearrange(r, new_date, on=when, reason=reason),
        expected_version=expected_version,
        on=on,
    )


def mark_extra(
    session: CaseloadSession,
    review_id: str,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Flag the review as an extra review (brought forward outside the usual cycle)."""
    return _change(
        session,
        review_id,
        lambda r, when: rv.mark_extra(r, on=when, reason=reason),
        expected_version=expected_version,
        on=on,
    )


_SIGNOFF_STEPS = frozenset({ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, ReviewStatus.ISSUED})


def move(
    session: CaseloadSession,
    review_id: str,
    to: ReviewStatus | str,
    *,
    on: date | None = None,
    reason: str | None = None,
    planned_on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    """Any other step of the lifecycle (letter drafted, submitted, approved, issued, returned
    for changes); the domain says why a step is not allowed."""
    try:
        status = ReviewStatus(to)
    except ValueError:
        names = ", ".join(s.value for s in ReviewStatus)
        raise ValueError(f"'{to}' is not a review status. Use one of: {names}.") from None
    if status in _SIGNOFF_STEPS:
        # These steps belong to the letter's sign-off (services.letters / services.signoff),
        # so a review can never be marked approved or issued without a signed-off letter.
        raise rv.TransitionRefused(
            f"A review becomes '{status.value}' through its letter: submit the letter for "
            "sign-off, and a manager approves it, before it is issued."
        )
    return _change(
        session,
        review_id,
        lambda r, when: rv.transition(r, status, on=when, reason=reason, planned_on=planned_on),
        expected_version=expected_version,
        on=on,
    )


# --- recommendations between reviews --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrackedRecommendation:
    review_id: str
    review_date: date
    review_status: ReviewStatus
    recommendation: Recommendation
    tracking: Tracking


@dataclass(frozen=True, slots=True)
class RecommendationBoard:
    """Every recommendation from the child's held reviews, with where each stands."""

    items: tuple[TrackedRecommendation, ...]
    summary: TrackingSummary

    def where(self, *states: Tracking) -> list[TrackedRecommendation]:
        return [i for i in self.items if i.tracking in states]


def child_recommendations(session: CaseloadSession, child_id: str) -> RecommendationBoard:
    """Open, done and overdue recommendations across all the child's reviews."""
    today = session.clock.today()
    basis = series_basis(session)
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        stored = reviews_repo.reviews_for_child(s, child.id)
        session.audit(s, "open", "recommendations", child.id)
    items = []
    for entry in stored:
        review = entry.review
        if review is None or review.status in _NOT_HELD:
            continue
        when = rv.review_date(review, basis)
        items += [
            TrackedRecommendation(
                review.id, when, review.status, rec, rv.tracking_state(rec, today)
            )
            for rec in review.recommendations
        ]
    items.sort(key=lambda i: (i.review_date, i.recommendation.id), reverse=True)
    recs = [i.recommendation for i in items]
    return RecommendationBoard(tuple(items), rv.tracking_summary(recs, today))


def mark_recommendation_done(
    session: CaseloadSession,
    review_id: str,
    rec_id: str,
    *,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewUpdate:
    return _change(
        session,
        review_id,
        lambda r, when: rv.mark_done(r, rec_id, on=when, note=note),
        expected_version=expected_version,
        on=on,
    )


def drop_recommendation(
    session: CaseloadSession,
    review_id: str,
    rec_id: str,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    return _change(
        session,
        review_id,
        lambda r, when: rv.drop_recommendation(r, rec_id, on=when, reason=reason),
        expected_version=expected_version,
        on=on,
    )


def reopen_recommendation(
    session: CaseloadSession,
    review_id: str,
    rec_id: str,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewUpdate:
    return _change(
        session,
        review_id,
        lambda r, when: rv.reopen_recommendation(r, rec_id, on=when, reason=reason),
        expected_version=expected_version,
        on=on,
    )


# --- the IRO footprint: mid-point reviews and case overviews ----------------------------------


@dataclass(frozen=True, slots=True)
class MidpointRecorded:
    midpoint: MidPointReview
    update: ReviewUpdate


def record_midpoint(
    session: CaseloadSession,
    review_id: str,
    *,
    held_on: date | None = None,
    notes: str = "",
    progress: Iterable[RecommendationProgress] = (),
) -> MidpointRecorded:
    """The mid-point review against a review's recommendations: progress DONE or DROPPED is
    carried onto the recommendations; the mid-point review is kept in the child's footprint."""
    when = held_on or session.clock.today()
    timescales.check_not_after_today(when, session.clock.today(), "mid-point review date")
    with session.unit_of_work() as s:
        stored = reviews_repo.load_review(s, review_id)
        review = _readable(stored)
        midpoint = MidPointReview(
            id=str(uuid.uuid4()),
            child_id=review.child_id,
            review_id=review.id,
            held_on=when,
            author=_display(session, s),
            notes=notes,
            progress=tuple(progress),
        )
        updated, event = rv.apply_midpoint(review, midpoint)
        version = reviews_repo.save_review(
            s, updated, basis=series_basis(session), now=session.now()
        )
        reviews_repo.save_footprint_note(
            s,
            note_id=midpoint.id,
            child_id=review.child_id,
            review_id=review.id,
            kind=rv.FootprintKind.MID_POINT_REVIEW.value,
            on=when,
            author=midpoint.author,
            record=midpoint.to_dict(),
            now=session.now(),
        )
        _audit_events(session, s, review.id, [event])
        child = reviews_repo.find_child(s, review.child_id)
    problems = _problems(session, updated, child, _period_start(stored, child))
    return MidpointRecorded(midpoint, ReviewUpdate(updated, version, (event,), problems))


def add_case_overview(
    session: CaseloadSession, child_id: str, text: str, *, written_on: date | None = None
) -> CaseOverview:
    """A case overview note on the child's file (part of the IRO footprint)."""
    if not text.strip():
        raise ValueError("A case overview needs some text.")
    when = written_on or session.clock.today()
    timescales.check_not_after_today(when, session.clock.today(), "case overview date")
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        overview = CaseOverview(
            id=str(uuid.uuid4()),
            child_id=child.id,
            written_on=when,
            author=_display(session, s),
            text=text.strip(),
        )
        reviews_repo.save_footprint_note(
            s,
            note_id=overview.id,
            child_id=child.id,
            review_id=None,
            kind=rv.FootprintKind.CASE_OVERVIEW.value,
            on=when,
            author=overview.author,
            record=overview.to_dict(),
            now=session.now(),
        )
        session.audit(s, "create", "case overview", child.id, overview.id)
    return overview


@dataclass(frozen=True, slots=True)
class ChildFootprint:
    """The IRO's recorded oversight of the child between reviews."""

    entries: tuple[FootprintEntry, ...]
    midpoints: tuple[MidPointReview, ...]
    overviews: tuple[CaseOverview, ...]
    days_since: int | None
    # When the mid-point review of the current cycle is due; None once it is done (or when
    # there is no held review and next due date to be halfway between).
    midpoint_due_on: date | None


def child_footprint(session: CaseloadSession, child_id: str) -> ChildFootprint:
    today = session.clock.today()
    with session.unit_of_work() as s:
        child = reviews_repo.find_child(s, child_id)
        notes = reviews_repo.footprint_notes(s, child.id)
        session.audit(s, "open", "footprint", child.id)
    midpoints: list[MidPointReview] = []
    overviews: list[CaseOverview] = []
    for kind, record in notes:
        try:
            if kind == rv.FootprintKind.MID_POINT_REVIEW.value:
                midpoints.append(MidPointReview.from_dict(record))
            else:
                overviews.append(CaseOverview.from_dict(record))
        except (ValueError, TypeError):
            continue  # an unreadable note is skipped rather than hiding the rest
    entries = rv.footprint(midpoints, overviews)
    state = due_service.caseload_due(session, child_id=child.id).states
    midpoint_due = None
    if state:
        items, _ = due_service.items_for(state, today, session.profile)
        item = due_service.review_item(items)
        held = state[0].held_reviews or (
            (state[0].last_pathway_review,) if state[0].last_pathway_review else ()
        )
        if item is not None and held:
            previous = max(held)
            done = any(m.held_on > previous for m in midpoints)
            if not done and item.due_date > previous:
                midpoint_due = timescales.mid_point_review_date(
                    previous, item.due_date, calendar=session.profile.calendar
                )
    return ChildFootprint(
        entries=entries,
        midpoints=tuple(midpoints),
        overviews=tuple(overviews),
        days_since=rv.days_since_footprint(entries, today),
        midpoint_due_on=midpoint_due,
    )
