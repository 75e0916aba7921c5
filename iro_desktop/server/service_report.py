"""The service's annual report, from the name-free report facts the laptops sent.

Each review fact becomes the kpis.ReviewSummary its laptop made it from, escalations are
replayed from their stored events, and the figures come from domain.report_facts.year_figures,
which calls the same kpis.annual_figures every laptop calls: the service's figures are the
laptops' own figures added up. Only the facts whose dates reach into the two years are read
(by their indexed first and last dates), so ten years of reviews cost little more than two.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from iro_desktop.domain.escalation import PROTOCOLS
from iro_desktop.domain.kpis import (
    RECOMMENDATIONS_WORKING_DAYS,
    Allocation,
    ConsultationForm,
    EscalationSummary,
    ReviewSummary,
)
from iro_desktop.domain.report_facts import (
    ChildAtReview,
    ServiceReport,
    band_lower_age,
    check_report_year,
    escalation_summary,
    report_year,
    year_figures,
)
from iro_desktop.domain.review_record import ChairRole, InviteeRole, ReviewKind
from iro_desktop.server.config import ServerConfig
from iro_desktop.server.db import Database
from iro_desktop.server.push import load_escalations
from iro_desktop.server.tables import Escalation, Item, ReportFact, User
from iro_desktop.sync.protocol import ChildFact, ReviewFact, item_from_wire, readable

log = logging.getLogger(__name__)

# Minutes (the letter to the child) within 15 or 20 working days: the practice profile's.
MINUTES_DAYS = {"manchester": 20, "cheshire_east": 15}
DEFAULT_MINUTES_DAYS = 20


def minutes_days_for(config: ServerConfig) -> int:
    for name, protocol in PROTOCOLS.items():
        if protocol is config.protocol:
            return MINUTES_DAYS.get(name, DEFAULT_MINUTES_DAYS)
    return DEFAULT_MINUTES_DAYS


class UnknownTeam(LookupError):
    pass


@dataclass
class _Inputs:
    reviews: list[ReviewSummary]
    forms: list[ConsultationForm]
    seen: list[ChildAtReview]
    allocations: list[Allocation]
    escalations: list[EscalationSummary]


def _owners(db: Database, team: str | None) -> list[str] | None:
    """The user names whose facts count (None: everyone's)."""
    if team is None:
        return None
    with db.read() as session:
        names = list(session.scalars(select(User.name).where(User.team == team)))
    if not names:
        raise UnknownTeam(f"No user belongs to a team called '{team}'.")
    return names


def _gather(db: Database, config: ServerConfig, year: int, owners: list[str] | None) -> _Inputs:
    earliest, _ = report_year(year - 1)
    _, latest = report_year(year)
    inputs = _Inputs([], [], [], [], [])
    with db.read() as session:
        in_range = and_(ReportFact.first_on <= latest, ReportFact.last_on >= earliest)
        query = select(ReportFact.owner_name, ReportFact.body).where(
            or_(ReportFact.kind == ChildFact.kind, in_range)
        )
        if owners is not None:
            query = query.where(ReportFact.owner_name.in_(owners))
        for owner, body in session.execute(query):
            data = json.loads(body)
            if data.get("kind") == ReviewFact.kind:
                fast = _stored_review(data)
                if fast is not None:
                    summary, forms, seen = fast
                    inputs.reviews.append(summary)
                    inputs.forms.extend(forms)
                    if seen is not None:
                        inputs.seen.append(seen)
                    continue
            try:
                fact = _fact(data)
            except ValueError as error:  # stored by an older, less strict server
                log.warning("A stored report fact cannot be read and is left out: %s", error)
                continue
            if isinstance(fact, ReviewFact):
                inputs.reviews.append(fact.summary())
                inputs.forms.extend(fact.forms())
                if fact.held_on is not None:
                    inputs.seen.append(
                        ChildAtReview(
                            child_key=fact.child_key,
                            held_on=fact.held_on,
                            kind=fact.review_kind,
                            age_band=fact.age_band,
                            sex=fact.sex,
                            ethnicity=fact.ethnicity,
                            legal_status=fact.legal_status,
                            placement_type=fact.placement_type,
                        )
                    )
            elif isinstance(fact, ChildFact) and fact.allocated:
                inputs.allocations.append(
                    Allocation(iro=owner, child_id=fact.child_key, care_leaver=fact.care_leaver)
                )
        # Only escalations raised in the two years count; their 'raised' events say when,
        # so only those are replayed (a service's ten years hold thousands).
        raised = select(Escalation.escalation_id, Item.body).join(
            Item, Item.seq == Escalation.raised_seq
        )
        if owners is not None:
            raised = raised.where(Escalation.owner_name.in_(owners))
        ids = [
            escalation_id
            for escalation_id, body in session.execute(raised)
            if _raised_between(body, earliest, latest)
        ]
        states = load_escalations(session, config, ids)
    inputs.escalations = [escalation_summary(state) for state in states.values()]
    return inputs


_Stored = tuple[ReviewSummary, tuple[ConsultationForm, ...], ChildAtReview | None]


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _stored_review(data: dict[str, Any]) -> _Stored | None:
    """A stored review fact straight into what the figures take. Every fact was checked in
    full when it arrived (push.py), so this only converts; anything unexpected (None) is read
    the slow, checked way instead."""
    try:
        key, child = data["review_key"], data["child_key"]
        kind = ReviewKind(data["review_kind"])
        held = _day(data["held_on"])
        chair = data["child_chair"]
        summary = ReviewSummary(
            review_id=key,
            child_id=child,
            iro=data["author"],
            kind=kind,
            due_on=date.fromisoformat(data["due_on"]),
            held_on=held,
            completed_on=_day(data["completed_on"]),
            review_number=data["review_number"],
            child_age=band_lower_age(data["age_band"]),
            participation_code=data["participation_code"],
            child_chair=None if chair is None else ChairRole(chair),
            child_attended=data["child_attended"],
            consulted_before=data["consulted_before"],
            recommendations_issued_on=_day(data["recommendations_issued_on"]),
            letter_issued_on=_day(data["letter_issued_on"]),
            permanence_plan_agreed=data["permanence_plan_agreed"],
            social_worker_attended=data["social_worker_attended"],
            social_worker_report=data["social_worker_report"],
            parent_invited=data["parent_invited"],
            parent_attended=data["parent_attended"],
            rearrangements=data["rearrangements"],
            meetings=data["meetings"],
            extra=data["extra"],
        )
        forms = tuple(
            ConsultationForm(
                review_id=key, role=InviteeRole(role), sent_on=_day(sent), received_on=_day(got)
            )
            for role, sent, got in data["consultations"]
        )
        seen = None
        if held is not None:
            seen = ChildAtReview(
                child_key=child,
                held_on=held,
                kind=kind,
                age_band=data["age_band"],
                sex=data["sex"],
                ethnicity=data["ethnicity"],
                legal_status=data["legal_status"],
                placement_type=data["placement_type"],
            )
    except (KeyError, TypeError, ValueError):
        return None
    return summary, forms, seen


def _fact(data: Any) -> object:
    """A stored fact, read strictly; only if that fails, tolerantly."""
    try:
        return item_from_wire(data)
    except ValueError:
        return item_from_wire(readable(data))


def _raised_between(body: str, earliest: date, latest: date) -> bool:
    try:
        on = json.loads(body).get("occurred_on")
    except (ValueError, AttributeError):
        return True  # unreadable here: let the replay judge it (and log it)
    if not isinstance(on, str):
        return True
    return earliest.isoformat() <= on[:10] <= latest.isoformat()


def annual_report(
    db: Database,
    config: ServerConfig,
    *,
    year: int,
    team: str | None = None,
    today: date,
    minutes_days: int | None = None,
) -> ServiceReport:
    """The report for the year ending 31 March `year`, with the year before beside it.

    Raises ValueError for a year out of range and UnknownTeam for a team nobody is in."""
    check_report_year(year)
    inputs = _gather(db, config, year, _owners(db, team))
    days = minutes_days or minutes_days_for(config)

    this = year_figures(
        year,
        inputs.reviews,
        inputs.forms,
        inputs.escalations,
        inputs.allocations,
        inputs.seen,
        as_of=today,
        minutes_days=days,
        recommendations_days=RECOMMENDATIONS_WORKING_DAYS,
        calendar=config.calendar,
    )
    previous = year_figures(
        year - 1,
        inputs.reviews,
        inputs.forms,
        inputs.escalations,
        [],  # caseloads are today's allocations: shown for the year reported only
        inputs.seen,
        as_of=today,
        minutes_days=days,
        recommendations_days=RECOMMENDATIONS_WORKING_DAYS,
        calendar=config.calendar,
    )
    return ServiceReport(
        team=team,
        as_of=max(min(today, this.figures.year_end), this.figures.year_start),
        this=this,
        previous=previous,
        facts=len(inputs.reviews),
    )


def csv_text(report: ServiceReport) -> str:
    """The figures as CSV for the council's analysts (counts only: no child is named)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(report.csv_rows())
    return buffer.getvalue()


def json_text(report: ServiceReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)
