"""The IRO service's annual-report figures (domain section 6), computed from plain records.

Inputs are small summaries (one per review, consultation form, escalation and allocation) so
the figures can be computed from the local store, the sync server or an import alike;
`summarise_review` and `consultation_forms` build them from a Review.

Reviews count in the year in which they were held (their timeliness date); a looked-after
review due in the year and not held by the `as_of` date counts as late too, so "in timescale"
cannot hide it. Recording timescales count a review whose deadline has not yet passed and whose
recommendations or letter have not yet gone out as *pending*: neither on time nor late, and left
out of the %. They count looked-after reviews; pathway plan reviews are reported apart.
A review held without a meeting (a long-term foster placement) counts as held on the date the
IRO completed it, with its PN code, and is left out of the meeting-attendance figures.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.codes import PARTICIPATION_CODES
from iro_desktop.domain.participation import (
    ATTENDED_CODES,
    CHAIR_AGE_FROM,
    PARTICIPATED_CODES,
    SHARED_VIEWS_CODES,
    age_on,
)
from iro_desktop.domain.review_record import (
    ChairRole,
    ContactMethod,
    InviteeRole,
    Review,
    ReviewKind,
    ReviewStatus,
    say_date,
)
from iro_desktop.domain.review_series import (
    SeriesBasis,
    attended,
    completion_date,
    invited,
    timeliness_date,
)

RECOMMENDATIONS_WORKING_DAYS = 5
DISPUTE_WORKING_DAYS = 20
CONSULT_WEEKS = 6


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewSummary:
    """What the annual figures need to know about one review."""

    review_id: str
    child_id: str
    iro: str
    kind: ReviewKind
    due_on: date
    held_on: date | None  # the timeliness date; None if not held
    completed_on: date | None = None
    review_number: int | None = None
    child_age: int | None = None  # on the held date
    participation_code: str | None = None
    child_chair: ChairRole | None = None
    child_attended: bool = False
    consulted_before: bool = False  # IRO contact with the child in the 6 weeks before
    recommendations_issued_on: date | None = None
    letter_issued_on: date | None = None
    permanence_plan_agreed: bool | None = None
    social_worker_attended: bool = False
    social_worker_report: bool = False
    parent_invited: bool = False
    parent_attended: bool = False
    rearrangements: int = 0
    meetings: int = 1
    extra: bool = False
    without_meeting: bool = False  # held without a meeting: no attendance to count
    pathway_plan_in_place: bool | None = None  # asked at a pathway (or 16+) review


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultationForm:
    review_id: str
    role: InviteeRole
    sent_on: date | None
    received_on: date | None = None


class EscalationKind(enum.StrEnum):
    DISPUTE = "dispute"  # dispute resolution within the local authority
    PARTNER = "partner"  # to health, education, police, adult services
    GOOD_PRACTICE = "good_practice"  # a good practice notification


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalationSummary:
    id: str
    kind: EscalationKind
    raised_on: date
    resolved_on: date | None = None
    stage_reached: str = ""
    themes: tuple[str, ...] = ()
    service: str = ""
    outcome: str = ""
    child_ids: tuple[str, ...] = ()  # the children it is about (a sibling group: several)


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """A child on an IRO's caseload from `start` to `end` (None: open on that side).

    The caseload figures count the children allocated to each IRO at any time during the
    year reported, not today's list.
    """

    iro: str
    child_id: str
    care_leaver: bool = False
    start: date | None = None
    end: date | None = None

    def during(self, year_start: date, year_end: date) -> bool:
        return (self.start is None or self.start <= year_end) and (
            self.end is None or self.end >= year_start
        )


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """Percentage to one decimal place, rounded half up; None when there is nothing to
        divide by."""
        if self.denominator == 0:
            return None
        exact = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _ratio(items: Iterable[bool]) -> Ratio:
    flags = list(items)
    return Ratio(sum(flags), len(flags))


@dataclass(frozen=True, slots=True)
class ReportRow:
    section: str
    label: str
    value: int | float | None
    percentage: float | None = None
    out_of: int | None = None
    # The same figure for the year before, as the seeds print it beside this one.
    previous_value: int | float | None = None
    previous_percentage: float | None = None


def beside_previous(current: Sequence[ReportRow], previous: Sequence[ReportRow]) -> list[ReportRow]:
    """This year's rows with last year's figure beside each (matched by section and label;
    a figure the previous year did not have is left blank)."""
    before = {(r.section, r.label): r for r in previous}
    out = []
    for row in current:
        old = before.get((row.section, row.label))
        out.append(
            replace(
                row,
                previous_value=old.value if old else None,
                previous_percentage=old.percentage if old else None,
            )
        )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnualFigures:
    year_start: date
    year_end: date
    recommendations_days: int
    minutes_days: int
    reviews_held: int
    in_timescale: Ratio
    extra_reviews: int
    participation: tuple[tuple[str, Ratio], ...]  # PN0..PN7 then "Not recorded"
    aged_four_plus_attended: Ratio
    aged_four_plus_participated: Ratio
    chaired_or_co_chaired: Ratio  # of reviews of children aged 11+
    consulted_before: Ratio
    consultations_by_role: tuple[tuple[InviteeRole, Ratio], ...]  # received of sent
    consultations: Ratio
    recommendations_on_time: Ratio
    minutes_on_time: Ratio
    permanence_by_second_review: Ratio
    social_worker_attended: Ratio
    social_worker_report: Ratio
    parents_attended: Ratio  # of reviews a parent was invited to
    rearranged: Ratio
    series_of_meetings: Ratio
    pathway_held: int
    pathway_in_timescale: Ratio
    pathway_attended: Ratio
    caseloads: tuple[tuple[str, int], ...]
    escalations_raised: int
    escalations_by_stage: tuple[tuple[str, int], ...]
    escalations_by_theme: tuple[tuple[str, int], ...]
    escalations_by_service: tuple[tuple[str, int], ...]
    escalations_by_outcome: tuple[tuple[str, int], ...]
    escalations_resolved_in_time: Ratio
    partner_escalations: int
    good_practice_notifications: int
    # The IRO footprint between reviews, recorded in the year.
    midpoint_reviews: int = 0
    iro_visits: int = 0
    # Looked-after reviews due in the year and not held by the as-of date: late.
    due_not_held: int = 0
    held_without_meeting: int = 0
    aged_four_plus_shared_views: Ratio = field(default_factory=lambda: Ratio(0, 0))
    pathway_recommendations_on_time: Ratio = field(default_factory=lambda: Ratio(0, 0))
    pathway_minutes_on_time: Ratio = field(default_factory=lambda: Ratio(0, 0))
    # Timeliness by month (April..March) and quarter, by the month held (or due, if late).
    monthly_timeliness: tuple[tuple[str, Ratio], ...] = ()
    quarterly_timeliness: tuple[tuple[str, Ratio], ...] = ()
    children_escalated: int = 0
    escalations_per_child: tuple[tuple[str, int], ...] = ()  # ("1 escalation", children)...
    good_practice_by_theme: tuple[tuple[str, int], ...] = ()
    good_practice_by_service: tuple[tuple[str, int], ...] = ()
    partner_by_theme: tuple[tuple[str, int], ...] = ()
    pathway_plan_in_place: Ratio = field(default_factory=lambda: Ratio(0, 0))

    @property
    def average_caseload(self) -> float | None:
        if not self.caseloads:
            return None
        total = sum(n for _, n in self.caseloads)
        exact = Decimal(total) / Decimal(len(self.caseloads))
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def caseload_range(self) -> tuple[int, int] | None:
        """The smallest and largest caseload of an IRO in the year (None without any)."""
        if not self.caseloads:
            return None
        sizes = [n for _, n in self.caseloads]
        return min(sizes), max(sizes)

    def rows(self) -> list[ReportRow]:
        """The figures as rows for the report table: (section, label, value, %, out of)."""
        out: list[ReportRow] = []

        def ratio(section: str, label: str, r: Ratio) -> None:
            out.append(ReportRow(section, label, r.numerator, r.percent, r.denominator))

        def count(section: str, label: str, n: int | float | None) -> None:
            out.append(ReportRow(section, label, n))

        s = "Reviews"
        count(s, "Reviews held", self.reviews_held)
        ratio(s, "Reviews held in timescale", self.in_timescale)
        count(s, "Reviews due in the year and not yet held (late)", self.due_not_held)
        count(s, "Reviews held without a meeting", self.held_without_meeting)
        count(s, "Extra reviews held", self.extra_reviews)
        ratio(s, "Reviews rearranged", self.rearranged)
        ratio(s, "Reviews held as a series of meetings", self.series_of_meetings)
        s = "Participation"
        for code, r in self.participation:
            ratio(s, code if code == "Not recorded" else f"{code}: {PARTICIPATION_CODES[code]}", r)
        ratio(s, "Children aged 4 and over attending (PN1-PN4)", self.aged_four_plus_attended)
        ratio(
            s,
            "Children aged 4 and over participating (PN1-PN6)",
            self.aged_four_plus_participated,
        )
        ratio(
            s,
            "Children aged 4 and over who shared their views (PN1-PN3, PN5, PN6)",
            self.aged_four_plus_shared_views,
        )
        ratio(
            s,
            f"Children aged {CHAIR_AGE_FROM} and over who chaired or co-chaired (children)",
            self.chaired_or_co_chaired,
        )
        ratio(
            s,
            f"Children seen or consulted by the IRO in the {CONSULT_WEEKS} weeks before",
            self.consulted_before,
        )
        s = "Consultation forms"
        for role, r in self.consultations_by_role:
            ratio(s, f"{role.label}: received of sent", r)
        ratio(s, "All consultation forms: received of sent", self.consultations)
        s = "Recording"
        ratio(
            s,
            f"Recommendations issued within {self.recommendations_days} working days",
            self.recommendations_on_time,
        )
        ratio(s, f"Minutes issued within {self.minutes_days} working days", self.minutes_on_time)
        s = "Timeliness by month"
        for month, r in self.monthly_timeliness:
            ratio(s, month, r)
        s = "Timeliness by quarter"
        for quarter, r in self.quarterly_timeliness:
            ratio(s, quarter, r)
        s = "Care planning and attendance"
        ratio(s, "Permanence plan agreed by the second review", self.permanence_by_second_review)
        ratio(s, "Social worker attended", self.social_worker_attended)
        ratio(s, "Social worker's report provided", self.social_worker_report)
        ratio(s, "A parent attended (reviews a parent was invited to)", self.parents_attended)
        s = "Pathway plan reviews"
        count(s, "Pathway plan reviews held", self.pathway_held)
        ratio(s, "Pathway plan reviews in timescale", self.pathway_in_timescale)
        ratio(s, "Young person attended", self.pathway_attended)
        ratio(s, "Pathway plan in place", self.pathway_plan_in_place)
        ratio(
            s,
            f"Pathway recommendations issued within {self.recommendations_days} working days",
            self.pathway_recommendations_on_time,
        )
        ratio(
            s,
            f"Pathway minutes issued within {self.minutes_days} working days",
            self.pathway_minutes_on_time,
        )
        s = "Caseload"
        for iro, n in self.caseloads:
            count(s, iro, n)
        count(s, "Average caseload per IRO", self.average_caseload)
        span = self.caseload_range
        count(s, "Smallest caseload", span[0] if span else None)
        count(s, "Largest caseload", span[1] if span else None)
        s = "Escalations"
        count(s, "Escalations raised", self.escalations_raised)
        ratio(
            s,
            f"Resolved within {DISPUTE_WORKING_DAYS} working days",
            self.escalations_resolved_in_time,
        )
        for label, pairs in (
            ("Stage reached", self.escalations_by_stage),
            ("Theme", self.escalations_by_theme),
            ("Service", self.escalations_by_service),
            ("Outcome", self.escalations_by_outcome),
        ):
            for name, n in pairs:
                count(s, f"{label}: {name}", n)
        count(s, "Children the escalations were about", self.children_escalated)
        for name, n in self.escalations_per_child:
            count(s, f"Children with {name}", n)
        count(s, "Partner escalations", self.partner_escalations)
        for name, n in self.partner_by_theme:
            count(s, f"Partner escalation theme: {name}", n)
        count(s, "Good practice notifications", self.good_practice_notifications)
        for name, n in self.good_practice_by_theme:
            count(s, f"Good practice theme: {name}", n)
        for name, n in self.good_practice_by_service:
            count(s, f"Good practice service: {name}", n)

        s = "Oversight between reviews"
        count(s, "Mid-point reviews recorded", self.midpoint_reviews)
        count(s, "IRO visits to children between reviews", self.iro_visits)
        return out


def _on_time(
    start: date | None,
    done: date | None,
    days: int,
    as_of: date,
    calendar: WorkingCalendar,
) -> bool | None:
    """Done within `days` working days of `start`; None while still pending on `as_of`."""
    if start is None:
        return None
    deadline = calendar.add_working_days(start, days)
    if done is not None:
        return done <= deadline
    return False if deadline < as_of else None


def _counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counted = Counter(values)
    return tuple(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))


def _per_child(per_child: Counter[str]) -> tuple[tuple[str, int], ...]:
    """How many children had 1, 2 and 3 or more escalations in the year (Manchester)."""
    if not per_child:
        return ()
    bands = Counter(min(n, 3) for n in per_child.values())
    words = {1: "1 escalation", 2: "2 escalations", 3: "3 or more escalations"}
    return tuple((words[b], bands[b]) for b in (1, 2, 3))


MONTHS = (
    "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "January", "February", "March",
)  # fmt: skip
QUARTERS = ("Q1 (April-June)", "Q2 (July-September)", "Q3 (October-December)",
            "Q4 (January-March)")  # fmt: skip


def _timeliness_by_period(
    held: Sequence[ReviewSummary], overdue: Sequence[ReviewSummary], year_start: date
) -> tuple[tuple[tuple[str, Ratio], ...], tuple[tuple[str, Ratio], ...]]:
    """In timescale of reviews held in each month (and quarter) of the year, with a review
    due that month and not held counted late in the month it was due."""
    on_time = [0] * 12
    total = [0] * 12

    def index(d: date) -> int:
        return (d.year - year_start.year) * 12 + d.month - year_start.month

    for r in held:
        assert r.held_on is not None
        i = index(r.held_on)
        if 0 <= i < 12:
            total[i] += 1
            on_time[i] += r.held_on <= r.due_on
    for r in overdue:
        i = index(r.due_on)
        if 0 <= i < 12:
            total[i] += 1
    months = tuple((MONTHS[i], Ratio(on_time[i], total[i])) for i in range(12))
    quarters = tuple(
        (
            QUARTERS[q],
            Ratio(sum(on_time[3 * q : 3 * q + 3]), sum(total[3 * q : 3 * q + 3])),
        )
        for q in range(4)
    )
    return months, quarters


def annual_figures(
    reviews: Sequence[ReviewSummary],
    consultations: Sequence[ConsultationForm] = (),
    escalations: Sequence[EscalationSummary] = (),
    allocations: Sequence[Allocation] = (),
    *,
    year_start: date,
    year_end: date,
    minutes_days: int = 15,
    recommendations_days: int = RECOMMENDATIONS_WORKING_DAYS,
    as_of: date | None = None,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
    footprint: Sequence[tuple[str, date]] = (),
) -> AnnualFigures:
    """The figures for reviews held from `year_start` to `year_end` inclusive.

    `footprint` is (kind, date) of each note of the IRO's oversight between reviews
    ("mid_point_review", "iro_visit", ...).

    `as_of` (default: the year end) decides which recording deadlines have passed.
    """
    if year_end < year_start:
        raise ValueError(
            f"The reporting year ends ({say_date(year_end)}) before it starts "
            f"({say_date(year_start)})."
        )
    if minutes_days < 1 or recommendations_days < 1:
        raise ValueError(
            f"Recording timescales must be at least 1 working day (minutes: {minutes_days}, "
            f"recommendations: {recommendations_days})."
        )
    as_of = as_of or year_end

    def in_year(d: date | None) -> bool:
        return d is not None and year_start <= d <= year_end

    held = [r for r in reviews if in_year(r.held_on)]
    looked_after = [r for r in held if r.kind is ReviewKind.LOOKED_AFTER]
    pathway = [r for r in held if r.kind is ReviewKind.PATHWAY_PLAN]
    # Due in the year, not held by the as-of date: late, though not held (yet).
    overdue = [
        r
        for r in reviews
        if r.kind is ReviewKind.LOOKED_AFTER
        and r.held_on is None
        and in_year(r.due_on)
        and r.due_on < as_of
    ]
    met = [r for r in looked_after if not r.without_meeting]

    codes = Counter(r.participation_code or "Not recorded" for r in looked_after)
    participation = tuple(
        (code, Ratio(codes[code], len(looked_after)))
        for code in (*PARTICIPATION_CODES, "Not recorded")
    )
    four_plus = [r for r in looked_after if r.participation_code not in (None, "PN0")]
    # Children, not reviews: a child who chaired any review in the year counts once.
    chair_age: dict[str, bool] = {}
    for r in looked_after:
        if r.child_age is not None and r.child_age >= CHAIR_AGE_FROM:
            chaired = r.child_chair in (ChairRole.CHAIR, ChairRole.CO_CHAIR)
            chair_age[r.child_id] = chair_age.get(r.child_id, False) or chaired

    def recording(kind: ReviewKind) -> tuple[Ratio, Ratio]:
        completed = [r for r in reviews if r.kind is kind and in_year(r.completed_on)]
        recs = [
            _on_time(
                r.completed_on, r.recommendations_issued_on, recommendations_days, as_of, calendar
            )
            for r in completed
        ]
        minutes = [
            _on_time(r.completed_on, r.letter_issued_on, minutes_days, as_of, calendar)
            for r in completed
        ]
        return (
            _ratio(t for t in recs if t is not None),
            _ratio(t for t in minutes if t is not None),
        )

    recs_on_time, minutes_on_time = recording(ReviewKind.LOOKED_AFTER)
    pathway_recs, pathway_minutes = recording(ReviewKind.PATHWAY_PLAN)
    monthly, quarterly = _timeliness_by_period(looked_after, overdue, year_start)

    forms = [f for f in consultations if in_year(f.sent_on)]
    by_role = tuple(
        (role, _ratio(f.received_on is not None for f in forms if f.role is role))
        for role in InviteeRole
        if any(f.role is role for f in forms)
    )

    disputes = [e for e in escalations if e.kind is EscalationKind.DISPUTE and in_year(e.raised_on)]
    dispute_times = [
        _on_time(e.raised_on, e.resolved_on, DISPUTE_WORKING_DAYS, as_of, calendar)
        for e in disputes
    ]

    caseload: Counter[str] = Counter()
    for iro, _child in {(a.iro, a.child_id) for a in allocations if a.during(year_start, year_end)}:
        caseload[iro] += 1

    per_child: Counter[str] = Counter(c for e in disputes for c in set(e.child_ids))
    partners = [e for e in escalations if e.kind is EscalationKind.PARTNER and in_year(e.raised_on)]
    praise = [
        e for e in escalations if e.kind is EscalationKind.GOOD_PRACTICE and in_year(e.raised_on)
    ]

    return AnnualFigures(
        year_start=year_start,
        year_end=year_end,
        recommendations_days=recommendations_days,
        minutes_days=minutes_days,
        reviews_held=len(looked_after),
        in_timescale=Ratio(
            sum(r.held_on is not None and r.held_on <= r.due_on for r in looked_after),
            len(looked_after) + len(overdue),
        ),
        due_not_held=len(overdue),
        held_without_meeting=sum(r.without_meeting for r in looked_after),
        extra_reviews=sum(r.extra for r in looked_after),
        participation=participation,
        aged_four_plus_attended=_ratio(
            r.participation_code in ATTENDED_CODES for r in four_plus if not r.without_meeting
        ),
        aged_four_plus_participated=_ratio(
            r.participation_code in PARTICIPATED_CODES for r in four_plus
        ),
        aged_four_plus_shared_views=_ratio(
            r.participation_code in SHARED_VIEWS_CODES for r in four_plus
        ),
        chaired_or_co_chaired=_ratio(chair_age.values()),
        consulted_before=_ratio(r.consulted_before for r in looked_after),
        consultations_by_role=by_role,
        consultations=_ratio(f.received_on is not None for f in forms),
        recommendations_on_time=recs_on_time,
        minutes_on_time=minutes_on_time,
        pathway_recommendations_on_time=pathway_recs,
        pathway_minutes_on_time=pathway_minutes,
        monthly_timeliness=monthly,
        quarterly_timeliness=quarterly,
        permanence_by_second_review=_ratio(
            r.permanence_plan_agreed is True for r in looked_after if r.review_number == 2
        ),
        social_worker_attended=_ratio(r.social_worker_attended for r in met),
        social_worker_report=_ratio(r.social_worker_report for r in looked_after),
        parents_attended=_ratio(r.parent_attended for r in met if r.parent_invited),
        rearranged=_ratio(r.rearrangements > 0 for r in looked_after),
        series_of_meetings=_ratio(r.meetings > 1 for r in looked_after),
        pathway_held=len(pathway),
        pathway_in_timescale=_ratio(
            r.held_on is not None and r.held_on <= r.due_on for r in pathway
        ),
        pathway_attended=_ratio(r.child_attended for r in pathway),
        pathway_plan_in_place=_ratio(
            r.pathway_plan_in_place is True for r in pathway if r.pathway_plan_in_place is not None
        ),
        caseloads=tuple(sorted(caseload.items())),
        escalations_raised=len(disputes),
        escalations_by_stage=_counts(e.stage_reached or "Not recorded" for e in disputes),
        escalations_by_theme=_counts(t for e in disputes for t in e.themes),
        escalations_by_service=_counts(e.service or "Not recorded" for e in disputes),
        escalations_by_outcome=_counts(
            (e.outcome or "Resolved") if e.resolved_on else "Open" for e in disputes
        ),
        escalations_resolved_in_time=_ratio(t for t in dispute_times if t is not None),
        partner_escalations=len(partners),
        partner_by_theme=_counts(t for e in partners for t in e.themes),
        good_practice_notifications=len(praise),
        good_practice_by_theme=_counts(t for e in praise for t in e.themes),
        good_practice_by_service=_counts(e.service or "Not recorded" for e in praise),
        children_escalated=len(per_child),
        escalations_per_child=_per_child(per_child),
        midpoint_reviews=sum(k == "mid_point_review" and in_year(on) for k, on in footprint),
        iro_visits=sum(k == "iro_visit" and in_year(on) for k, on in footprint),
    )


# --- building the summaries from review records ----------------------------------------------


def summarise_review(
    review: Review,
    *,
    child_dob: date,
    iro: str | None = None,
    basis: SeriesBasis = SeriesBasis.FIRST_MEETING,
) -> ReviewSummary:
    """The annual-report facts of one review record."""
    held_on = timeliness_date(review, basis)
    age = age_on(child_dob, held_on) if held_on is not None and held_on >= child_dob else None
    consulted = False
    if held_on is not None:
        start = held_on - timedelta(weeks=CONSULT_WEEKS)
        consulted = any(
            c.method is not ContactMethod.NONE and c.on is not None and start <= c.on <= held_on
            for c in review.preparation.child_contacts
        )
    history_dates = {c.to_status: c.on for c in reversed(review.history)}  # earliest wins
    return ReviewSummary(
        review_id=review.id,
        child_id=review.child_id,
        iro=review.chaired_by if iro is None else iro,
        kind=review.kind,
        due_on=review.due_on,
        held_on=held_on,
        completed_on=completion_date(review),
        review_number=review.sequence,
        child_age=age,
        participation_code=review.participation_code,
        child_chair=review.child_chair,
        child_attended=not review.without_meeting
        and (review.participation_code in ATTENDED_CODES or attended(review, InviteeRole.CHILD)),
        consulted_before=consulted,
        recommendations_issued_on=history_dates.get(ReviewStatus.RECOMMENDATIONS_ISSUED),
        letter_issued_on=history_dates.get(ReviewStatus.ISSUED),
        permanence_plan_agreed=review.permanence_plan_agreed,
        social_worker_attended=not review.without_meeting
        and attended(review, InviteeRole.SOCIAL_WORKER),
        social_worker_report=review.preparation.social_worker_report_received_on is not None,
        parent_invited=not review.without_meeting and invited(review, InviteeRole.PARENT),
        parent_attended=not review.without_meeting and attended(review, InviteeRole.PARENT),
        rearrangements=len(review.rearrangements),
        meetings=0 if review.without_meeting else sum(m.held for m in review.meetings),
        extra=review.extra,
        without_meeting=review.without_meeting,
        pathway_plan_in_place=review.pathway_plan_in_place,
    )


def consultation_forms(review: Review) -> tuple[ConsultationForm, ...]:
    """One consultation form per invitee it was sent to (or came back from)."""
    return tuple(
        ConsultationForm(
            review_id=review.id,
            role=p.role,
            sent_on=p.consultation_sent_on,
            received_on=p.consultation_received_on,
        )
        for p in review.preparation.invitees
        if p.consultation_sent_on is not None or p.consultation_received_on is not None
    )
