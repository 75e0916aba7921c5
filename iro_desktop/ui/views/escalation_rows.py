"""How an escalation reads in a list: status, stage and deadlines in words, working days left.

Plain functions over the service's views, so the list, the manager's view and their tests
say the same thing. Colour is only ever a second cue: every overdue row says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.services.escalations import EscalationView
from iro_desktop.ui.qt_models import BLANK_LAST, Column
from iro_desktop.ui.widgets import uk_date

STATUS_WORDS = {
    "open": "Open",
    "resolved": "Resolved",
    "withdrawn": "Withdrawn",
    "noted": "Noted",
}

SYNC_WORDS = {
    "on_server": "on the sync server",
    "waiting": "waiting to be sent",
    "set_aside": "set aside by the sync server",
    "from_server": "from the sync server",
}


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def left_words(deadline: date, today: date, calendar: WorkingCalendar) -> str:
    """'3 working days left', 'Due today', 'Overdue by 2 working days'."""
    if deadline < today:
        late = calendar.working_days_between(deadline, today)
        return "Overdue" if late <= 0 else f"Overdue by {plural(late, 'working day')}"
    if deadline == today:
        return "Due today"
    left = calendar.working_days_between(today, deadline)
    if left <= 0:
        return "Due on the next working day"
    return f"{plural(left, 'working day')} left"


def deadline_words(deadline: date | None, today: date, calendar: WorkingCalendar) -> str:
    """'15 Dec 2026: 3 working days left', '...: due today', '...: overdue by 2 working days'."""
    if deadline is None:
        return ""
    words = left_words(deadline, today, calendar)
    return f"{uk_date(deadline)}: {words[0].lower()}{words[1:]}"


def short_status(view: EscalationView) -> str:
    """The list's Status column: short, still in words (the detail says more)."""
    if view.is_open:
        words = "Open, overdue" if view.overdue else "Open"
    elif view.status == "noted":
        words = "Noted"
    else:
        words = STATUS_WORDS.get(view.status, view.status.capitalize())
    if view.undecided_conflicts:
        words += ", conflict"
    return words


@dataclass(frozen=True)
class EscalationRow:
    """One escalation as the lists show it (worked out once, when the list loads)."""

    view: EscalationView
    today: date
    status: str
    stage: str
    stage_deadline: str
    overall_deadline: str
    sync: str
    stage_left: str = ""
    overall_left: str = ""

    @property
    def id(self) -> str:
        return self.view.escalation_id

    @property
    def children(self) -> str:
        return ", ".join(c.label for c in self.view.children)

    @property
    def issues(self) -> str:
        if self.view.category == "good_practice":
            return "Good practice notification"
        labels = ", ".join(self.view.issue_labels)
        if self.view.partner_agency:
            return f"Partner ({self.view.partner_agency}): {labels}"
        return labels

    @property
    def conflicts(self) -> int:
        return self.view.undecided_conflicts

    @property
    def overdue(self) -> bool:
        return self.view.is_open and self.view.overdue


def status_words(view: EscalationView) -> str:
    words = STATUS_WORDS.get(view.status, view.status.capitalize())
    if view.status == "noted":
        words = "Noted (good practice)"
    elif view.status in ("resolved", "withdrawn") and view.closed_on:
        words += f" {uk_date(view.closed_on)}"
        if view.status == "resolved" and view.resolved_within_limit is False:
            words += " (after the 20-working-day limit)"
    elif view.is_open:
        if view.overall_overdue:
            words = "Open: overdue, past the overall limit"
        elif view.stage_overdue:
            words = "Open: stage response overdue"
    if view.undecided_conflicts:
        words += f"; {plural(view.undecided_conflicts, 'conflict')} to decide"
    return words


def stage_words(view: EscalationView) -> str:
    if view.category == "good_practice":
        return "No stages (good practice)"
    if view.current_stage_name is None:
        return "Not sent to a stage yet"
    to = f" ({view.current_recipient})" if view.current_recipient else ""
    if view.is_open:
        return f"{view.current_stage_name}{to}"
    return f"Reached {view.current_stage_name}"


def stage_deadline_words(view: EscalationView, today: date) -> str:
    if not view.is_open or view.category == "good_practice":
        return ""
    if view.current_stage_key is None:
        return "Not sent yet"
    current = view.state.current_stage
    if current is not None and current.responded_on is not None:
        return f"Response received {uk_date(current.responded_on)}"
    if view.stage_deadline is None:
        return "No time limit at this stage"
    return deadline_words(view.stage_deadline, today, view.state.calendar)


def overall_deadline_words(view: EscalationView, today: date) -> str:
    if view.overall_deadline is None:
        return ""
    if not view.is_open:
        return uk_date(view.overall_deadline)
    return deadline_words(view.overall_deadline, today, view.state.calendar)


def sync_words(view: EscalationView) -> str:
    if view.set_aside:
        return f"{view.set_aside} set aside"
    if view.unsent:
        return f"{view.unsent} unsent"
    return "All sent"


def _left(deadline: date | None, view: EscalationView, today: date, fallback: str) -> str:
    if not view.is_open or deadline is None:
        return fallback
    return left_words(deadline, today, view.state.calendar)


def row_of(view: EscalationView, today: date) -> EscalationRow:
    stage_words_ = stage_deadline_words(view, today)
    return EscalationRow(
        view=view,
        today=today,
        status=status_words(view),
        stage=stage_words(view),
        stage_deadline=stage_words_,
        overall_deadline=overall_deadline_words(view, today),
        sync=sync_words(view),
        stage_left=stage_words_
        if stage_words_.startswith("Response")
        else _left(view.stage_deadline, view, today, stage_words_),
        overall_left=_left(view.overall_deadline, view, today, overall_deadline_words(view, today)),
    )


def _tone(row: EscalationRow) -> str | None:
    if row.conflicts or row.overdue:
        return "alert"
    if not row.view.is_open:
        return "quiet"
    return None


def _deadline_key(row: EscalationRow) -> int:
    view = row.view
    if view.is_open and view.overall_deadline is not None:
        return view.overall_deadline.toordinal()
    closed = view.closed_on or view.raised_on
    return BLANK_LAST - closed.toordinal()  # closed ones after, the newest first


def _stage_deadline_key(row: EscalationRow) -> int:
    view = row.view
    if view.is_open and view.stage_deadline is not None:
        return view.stage_deadline.toordinal()
    return _deadline_key(row) + (0 if view.is_open else BLANK_LAST)


COLUMNS: list[Column[EscalationRow]] = [
    Column(
        "Status",
        lambda r: short_status(r.view),
        tooltip=lambda r: f"{r.status}; raised {uk_date(r.view.raised_on)} by {r.view.raised_by}",
        tone=_tone,
        width_chars=15,
    ),
    Column("Children", lambda r: r.children, tooltip=lambda r: r.children, width_chars=15),
    Column("Issues", lambda r: r.issues, tooltip=lambda r: r.issues, width_chars=18),
    Column("Stage", lambda r: r.stage, tooltip=lambda r: r.stage, width_chars=16),
    Column(
        "Stage deadline",
        lambda r: r.stage_left,
        tooltip=lambda r: r.stage_deadline,
        sort_key=_stage_deadline_key,
        tone=lambda r: "alert" if r.view.stage_overdue else None,
        width_chars=22,
    ),
    Column(
        "Overall deadline",
        lambda r: r.overall_left,
        tooltip=lambda r: r.overall_deadline,
        sort_key=_deadline_key,
        tone=lambda r: "alert" if r.view.overall_overdue else None,
        width_chars=22,
    ),
    Column(
        "Sync",
        lambda r: r.sync,
        tooltip=lambda r: "Changes not yet on the sync server" if r.view.unsent else "",
        sort_key=lambda r: -(r.view.set_aside * 1000 + r.view.unsent),
        width_chars=8,
    ),
]
DEADLINE_COLUMN = 5
