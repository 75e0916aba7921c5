"""The quarterly themes report, checked against a small hand-counted caseload."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from iro_desktop.domain.escalation import (
    MANCHESTER,
    NOT_SENT,
    EscalationEvent,
    EscalationState,
    financial_quarter,
    raise_escalation,
    record_response,
    replay,
    resolve,
    send_to_stage,
    themes_report,
    withdraw,
)

NOW = datetime(2024, 7, 1, 12, tzinfo=UTC)
IRO = "amber.iro"


def escalation(
    on: date,
    *,
    stages: tuple[str, ...] = (),
    closed: tuple[str, date] | None = None,
    **raise_args: Any,
) -> EscalationState:
    args: dict[str, Any] = {
        "child_ids": ["child-0001"],
        "category": "dispute",
        "issues": ["no_social_work_report"],
        "outcome_wanted": "A report three working days before every review.",
        "service": "Permanence team",
        "on": on,
        "author": IRO,
        "now": NOW,
    }
    args.update(raise_args)
    events: list[EscalationEvent] = [raise_escalation(**args)]
    for key in stages:
        state = replay(MANCHESTER, events)
        if state.current_stage is not None:
            events.append(record_response(state, "Tess", "Reply.", on=on, author=IRO, now=NOW))
            state = replay(MANCHESTER, events)
        events.append(send_to_stage(state, key, "Tess", on=on, author=IRO, now=NOW))
    if closed is not None:
        how, when = closed
        state = replay(MANCHESTER, events)
        if how == "resolved":
            events.append(
                resolve(
                    state,
                    "Report now in.",
                    "Zara's review went ahead.",
                    on=when,
                    author=IRO,
                    now=NOW,
                )
            )
        else:
            events.append(withdraw(state, "Raised in error.", on=when, author=IRO, now=NOW))
    return replay(MANCHESTER, events)


Q1_2024 = financial_quarter(2024, 1)


def test_financial_quarters_run_april_to_march() -> None:
    assert financial_quarter(2024, 1) == (date(2024, 4, 1), date(2024, 6, 30))
    assert financial_quarter(2024, 3) == (date(2024, 10, 1), date(2024, 12, 31))
    assert financial_quarter(2024, 4) == (date(2025, 1, 1), date(2025, 3, 31))
    with pytest.raises(ValueError, match="quarters 1 to 4, not 5"):
        financial_quarter(2024, 5)


def test_the_quarterly_report_counts_what_managers_are_sent() -> None:
    states = [
        # A sibling group of three, two issues, resolved at stage 1 within 20 working days.
        escalation(
            date(2024, 4, 2),
            child_ids=["child-0001", "child-0002", "child-0003"],
            issues=["permanence_drift", "no_social_work_report"],
            stages=("informal",),
            closed=("resolved", date(2024, 4, 10)),
        ),
        # Reached stage 2, resolved late (more than 20 working days later).
        escalation(
            date(2024, 4, 3), stages=("informal", "formal"), closed=("resolved", date(2024, 5, 20))
        ),
        # Raised, never sent, withdrawn.
        escalation(date(2024, 5, 1), closed=("withdrawn", date(2024, 5, 2))),
        # Partner escalations.
        escalation(
            date(2024, 6, 3),
            category="partner",
            partner_agency="health",
            issues=["other"],
            detail="No CAMHS appointment offered.",
            stages=("informal",),
        ),
        escalation(
            date(2024, 6, 4),
            category="partner",
            partner_agency="education",
            issues=["no_casework_activity"],
            service="",
        ),
        # Good practice is counted apart from escalations.
        escalation(
            date(2024, 6, 5),
            category="good_practice",
            issues=[],
            outcome_wanted="",
            detail="Excellent life-story work.",
        ),
        # Outside the quarter: raised before, resolved inside it (counts as resolved in Q1).
        escalation(date(2024, 3, 1), stages=("informal",), closed=("resolved", date(2024, 4, 2))),
        # Outside entirely.
        escalation(date(2024, 7, 1)),
    ]
    report = themes_report(states, *Q1_2024)

    assert report.raised == 5
    assert report.children == 7
    assert report.by_theme["no_social_work_report"] == 3
    assert report.children_by_theme["no_social_work_report"] == 5
    assert report.by_theme["permanence_drift"] == 1
    assert report.children_by_theme["permanence_drift"] == 3
    assert report.by_theme["other"] == 1
    assert report.by_theme["sgo_assessment_delay"] == 0
    assert report.by_stage_reached == {NOT_SENT: 2, "informal": 2, "formal": 1}
    assert report.by_service == {"Permanence team": 4, "not recorded": 1}
    assert report.resolved == 3
    assert report.resolved_within_limit == 2
    assert report.resolved_within_limit_percent == pytest.approx(66.67, abs=0.01)
    assert report.withdrawn == 1
    assert report.partner_escalations == 2
    assert report.partner_by_agency == {
        "health": 1,
        "education": 1,
        "police": 0,
        "adult_services": 0,
        "housing": 0,
    }
    assert report.good_practice_notifications == 1


def test_an_empty_quarter_reports_zeros_and_no_percentage() -> None:
    report = themes_report([], *Q1_2024)
    assert report.raised == 0
    assert report.resolved_within_limit_percent is None
    assert set(report.by_theme) >= {"no_social_work_report", "sgo_assessment_delay", "other"}


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends \\(2024-03-31\\) before it starts \\(2024-04-01\\)"):
        themes_report([], date(2024, 4, 1), date(2024, 3, 31))
