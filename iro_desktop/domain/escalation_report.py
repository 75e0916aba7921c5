"""The quarterly escalation themes report managers receive.

Counts follow the annual reports: escalations by theme (a sibling group counts once per
escalation, and separately once per child, as Manchester counted "per child"), by the stage
reached, resolved within the 20-working-day limit, partner escalations by agency and good
practice notifications.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain.escalation_events import PARTNER_AGENCIES, THEMES, Category
from iro_desktop.domain.escalation_state import EscalationState, Status

NOT_SENT = "not_sent"


@dataclass(frozen=True)
class ThemesReport:
    start: date
    end: date
    # Disputes and partner escalations raised in the period (good practice counted apart).
    raised: int
    children: int
    by_theme: dict[str, int]
    children_by_theme: dict[str, int]
    # Stage key (or "not_sent") -> escalations raised in the period that reached it.
    by_stage_reached: dict[str, int]
    by_service: dict[str, int]
    # Escalations concluded in the period, whenever they were raised.
    resolved: int
    resolved_within_limit: int
    withdrawn: int
    partner_escalations: int
    partner_by_agency: dict[str, int]
    good_practice_notifications: int

    @property
    def resolved_within_limit_percent(self) -> float | None:
        return None if not self.resolved else 100.0 * self.resolved_within_limit / self.resolved


def financial_quarter(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter of the financial year starting in April `year`."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"A financial year has quarters 1 to 4, not {quarter!r}.")
    month = 4 + 3 * (quarter - 1)  # April, July, October, January (13)
    following = month + 3
    start = date(year + (month > 12), (month - 1) % 12 + 1, 1)
    end = date(year + (following > 12), (following - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def themes_report(
    states: Iterable[EscalationState],
    start: date,
    end: date,
    themes: Iterable[str] = tuple(THEMES),
) -> ThemesReport:
    """`themes`: the profile's list, each shown even at 0; a theme seen but not listed (raised
    under another profile) is counted after them, never folded into "Other"."""
    if end < start:
        raise ValueError(
            f"The report period ends ({end.isoformat()}) before it starts ({start.isoformat()})."
        )
    by_theme: Counter[str] = Counter()
    children_by_theme: Counter[str] = Counter()
    stage_reached: Counter[tuple[int, str]] = Counter()
    by_service: Counter[str] = Counter()
    partner_by_agency: Counter[str] = Counter()
    raised = children = resolved = within = withdrawn = good_practice = 0

    for state in states:
        if state.closed_on is not None and start <= state.closed_on <= end:
            if state.status is Status.RESOLVED:
                resolved += 1
                within += bool(state.resolved_within_limit)
            elif state.status is Status.WITHDRAWN and state.category is not Category.GOOD_PRACTICE:
                withdrawn += 1
        if not start <= state.raised_on <= end:
            continue
        if state.category is Category.GOOD_PRACTICE:
            good_practice += 1
            continue
        raised += 1
        children += len(state.child_ids)
        for issue in state.issues:
            by_theme[issue] += 1
            children_by_theme[issue] += len(state.child_ids)
        reached = state.stage_reached
        if reached is None:
            stage_reached[(-1, NOT_SENT)] += 1
        else:
            stage_reached[(state.protocol.index_of(reached.key), reached.key)] += 1
        by_service[state.raised.service or "not recorded"] += 1
        if state.category is Category.PARTNER and state.raised.partner_agency:
            partner_by_agency[state.raised.partner_agency] += 1

    listed = list(dict.fromkeys([*themes, *sorted(by_theme)]))
    return ThemesReport(
        start=start,
        end=end,
        raised=raised,
        children=children,
        by_theme={theme: by_theme[theme] for theme in listed},
        children_by_theme={theme: children_by_theme[theme] for theme in listed},
        by_stage_reached={key: n for (_, key), n in sorted(stage_reached.items())},
        by_service=dict(sorted(by_service.items())),
        resolved=resolved,
        resolved_within_limit=within,
        withdrawn=withdrawn,
        partner_escalations=sum(partner_by_agency.values()),
        partner_by_agency={agency: partner_by_agency[agency] for agency in PARTNER_AGENCIES},
        good_practice_notifications=good_practice,
    )
