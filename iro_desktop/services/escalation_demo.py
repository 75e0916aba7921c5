"""Synthetic escalations for the demo caseload, built through the domain's own moves.

Between them they show every stage of the practice profile's protocol (some in time, some
overdue, one past the overall 20-working-day limit), one not yet sent, a sibling group, a
bypass with its reason, a CAFCASS referral, resolutions in and out of time (some in the
previous quarter, for the themes report), a withdrawal, partner escalations and good
practice notifications. Contents are fixed by the seed; ids are fresh (uuid4), so two demo
caseloads never collide on a sync server.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from iro_desktop.domain import escalation as esc
from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.escalation import (
    THEMES,
    EscalationEvent,
    EscalationProtocol,
    EscalationState,
)

RECIPIENTS = [
    "Tess Teamlead",
    "Lorna Locality",
    "Hamid Headofservice",
    "Stella Strategic",
    "Dana Director",
    "Cass Cafcass-Duty",
]
RESPONSES = [
    "The social worker will visit this week and the visit record will be on file by Friday.",
    "Agreed: the care plan will be updated before the next review.",
    "We do not accept the delay is avoidable; the assessment is booked for next month.",
    "A new social worker is allocated from Monday and will contact the carers.",
]
OUTCOMES = {
    "no_social_work_report": "The social work report with the IRO three working days before "
    "every review.",
    "no_casework_activity": "Casework recorded on the file, with visits and actions dated.",
    "visits_out_of_timescale": "Statutory visits back within six weeks, starting this month.",
    "permanence_drift": "A permanence plan agreed and presented at the next review.",
    "no_pathway_plan": "A pathway plan written with the young person.",
    "care_plan_not_updated": "The care plan updated to reflect the new placement.",
    "social_worker_did_not_attend": "The social worker (or a manager) at every review.",
    "age_assessment_delay": "The age assessment completed and shared with the young person.",
    "sgo_assessment_delay": "The special guardianship assessment finished and filed at court.",
}
GOOD_PRACTICE = [
    "The social worker prepared the young person for the review with a Mind of My Own "
    "statement and stayed late to support family time.",
    "The foster carers and the school worked together so the child could chair their review.",
    "The personal adviser found a college place and went to the interview with them.",
]
PARTNERS = [
    ("health", ["no_casework_activity"], "The initial health assessment booked within 20 days."),
    ("education", ["other"], "A personal education plan meeting held this half-term."),
    ("police", ["other"], "Missing-episode return interviews shared with the social worker."),
]
SERVICES = ["North locality", "Central", "South locality"]


class _Escalation:
    """One demo escalation: its events so far and its state, moved on by the domain."""

    def __init__(self, maker: _Maker, raised: esc.EscalationRaised) -> None:
        self.maker = maker
        self.events: list[EscalationEvent] = [raised]
        self.state: EscalationState = esc.start(maker.protocol, raised, maker.calendar)

    def _add(self, event: EscalationEvent) -> _Escalation:
        self.events.append(event)
        self.state = esc.apply_event(self.state, event)
        return self

    def walk(self, upto: int, *, respond_last: bool) -> _Escalation:
        """Send it through stages 0..upto, two working days apart, with a response at each
        (but the last, unless `respond_last`)."""
        m = self.maker
        day = self.state.raised_on
        for index in range(upto + 1):
            who = RECIPIENTS[index % len(RECIPIENTS)]
            key = m.protocol.stages[index].key
            self._add(esc.send_to_stage(self.state, key, who, on=day, **m.by))
            if index < upto or respond_last:
                day = min(m.calendar.add_working_days(day, 2), m.today)
                text = m.rng.choice(RESPONSES)
                self._add(esc.record_response(self.state, who, text, on=day, **m.by))
        return self

    def bypass_to(self, index: int, reason: str, on: date) -> _Escalation:
        m = self.maker
        target = m.protocol.stages[index]
        self._add(esc.bypass_stages(self.state, target.key, reason, on=on, **m.by))
        return self._add(
            esc.send_to_stage(self.state, target.key, RECIPIENTS[index], on=on, **m.by)
        )

    def cafcass(self, on: date) -> _Escalation:
        m = self.maker
        reason = "No progress on the plan for permanence after repeated escalation."
        for event in esc.refer_to_cafcass(
            self.state, "CAFCASS duty manager", reason, on=on, **m.by
        ):
            self._add(event)
        return self

    def resolve(self, on: date, outcome: str, difference: str) -> _Escalation:
        return self._add(esc.resolve(self.state, outcome, difference, on=on, **self.maker.by))

    def withdraw(self, on: date, reason: str) -> _Escalation:
        return self._add(esc.withdraw(self.state, reason, on=on, **self.maker.by))

    def comment(self, on: date, text: str) -> _Escalation:
        return self._add(esc.add_comment(self.state, text, on=on, **self.maker.by))


class _Maker:
    def __init__(
        self,
        children: Sequence[tuple[str, str]],
        seed: int,
        today: date,
        protocol: EscalationProtocol,
        calendar: WorkingCalendar,
        author: str,
        now: datetime,
    ) -> None:
        self.children = list(children)
        self.rng = random.Random(seed * 7919 + 5)
        # Escalations are raised, sent and answered on working days: 'today' on a weekend or
        # bank holiday means the last working day before it.
        self.today = today
        while not calendar.is_working_day(self.today):
            self.today -= timedelta(days=1)
        self.protocol = protocol
        self.calendar = calendar
        self.by: dict[str, Any] = {"author": author, "now": now}
        self.made: list[_Escalation] = []

    def back(self, working_days: int) -> date:
        day = self.today
        for _ in range(working_days):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def new(
        self,
        ago: int,
        *,
        category: str = "dispute",
        issues: list[str] | None = None,
        children: list[str] | None = None,
        outcome: str | None = None,
        **extra: Any,
    ) -> _Escalation:
        rng = self.rng
        if issues is None:
            issues = rng.sample([k for k in THEMES if k != "other"], rng.choice([1, 1, 2, 3]))
        if outcome is None:
            outcome = OUTCOMES.get(issues[0], "") if issues else ""
        child = self.children[len(self.made) % len(self.children)][0]
        raised = esc.raise_escalation(
            child_ids=children or [child],
            category=category,
            issues=issues,
            outcome_wanted=outcome,
            on=self.back(ago),
            service=rng.choice(SERVICES),
            **self.by,
            **extra,
        )
        made = _Escalation(self, raised)
        self.made.append(made)
        return made


def demo_escalations(
    children: Sequence[tuple[str, str]],
    *,
    seed: int,
    today: date,
    protocol: EscalationProtocol,
    calendar: WorkingCalendar,
    author: str,
    now: datetime,
) -> list[list[EscalationEvent]]:
    """Each demo escalation's events, in order. `children`: (id, sibling group) of children
    in care now; none gives none."""
    if not children:
        return []
    m = _Maker(children, seed, today, protocol, calendar, author, now)
    stages = protocol.stages
    last = max(n for n, stage in enumerate(stages) if not stage.is_cafcass_referral)
    # One at every stage; odd ones overdue; the last one past the overall limit too.
    for index, stage in enumerate(stages):
        if stage.is_cafcass_referral:
            continue
        late = stage.limit_working_days + 3 if index % 2 else 0
        ago = 24 if index == last else min(3 * (index + 1) + late, 19)
        m.new(ago).walk(index, respond_last=False)
    m.new(0)  # raised today, not sent yet: the IRO has just spotted the drift
    groups: dict[str, list[str]] = {}
    for child_id, group in children:
        if group:
            groups.setdefault(group, []).append(child_id)
    family = next((ids for ids in groups.values() if len(ids) > 1), None)
    if family:
        m.new(4, children=family, issues=["permanence_drift"]).walk(0, respond_last=True)
    if protocol.allow_bypass and len(stages) > 3:
        m.new(6, issues=["visits_out_of_timescale"]).walk(0, respond_last=True).bypass_to(
            2, "The child's safety needs a senior decision now (agreed with the Service Lead).",
            m.back(3),
        )  # fmt: skip
    if protocol.cafcass_stage is not None:
        m.new(18, issues=["permanence_drift", "sgo_assessment_delay"]).walk(
            0, respond_last=True
        ).cafcass(m.back(2))
    for ago, took in ((8, 4), (75, 6), (95, 28)):  # resolved in time, earlier, and late
        made = m.new(ago).walk(0, respond_last=True)
        on = calendar.add_working_days(made.state.raised_on, took)
        made.resolve(
            on,
            "The plan was agreed and the actions are on file.",
            "Visits are back on track and the child knows who their social worker is.",
        ).comment(on, "Checked at the mid-point review: still on track.")
    m.new(12, issues=["social_worker_did_not_attend"]).walk(0, respond_last=True).withdraw(
        m.back(9), "The team manager attended in the social worker's place."
    )
    for n, (agency, issues, outcome) in enumerate(PARTNERS):
        detail = "Raised with the named contact at the agency." if "other" in issues else ""
        made = m.new(
            5 + 7 * n, category="partner", issues=issues, outcome=outcome,
            partner_agency=agency, detail=detail,
        ).walk(0, respond_last=n == 2)  # fmt: skip
        if n == 2:
            made.resolve(
                m.back(1),
                "Return interviews now shared within 72 hours.",
                "The social worker knows where the young person goes when missing.",
            )
    for n, praise in enumerate(GOOD_PRACTICE):
        m.new(3 + 11 * n, category="good_practice", issues=[], outcome="", detail=praise)
    return [made.events for made in m.made]
