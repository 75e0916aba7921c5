"""A manager's landing: what waits for them when they unlock.

Three lists, each a reason to act today: letters waiting for sign-off, open escalations past
their stage's deadline, and the team's overdue reviews. Read in one go on the worker; the
window only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iro_desktop.domain.due import DueKind
from iro_desktop.services.access import CaseloadSession

REVIEW_KINDS = (DueKind.REVIEW_DUE, DueKind.PATHWAY_REVIEW_DUE)


@dataclass(frozen=True, slots=True)
class LetterWaiting:
    version_id: str
    review_id: str
    child_id: str
    child_name: str
    written_by: str  # the IRO's name, not their login
    submitted_on: date
    waiting_working_days: int


@dataclass(frozen=True, slots=True)
class LateEscalation:
    escalation_id: str
    children: str
    raised_by: str
    stage_name: str
    stage_deadline: date
    working_days_late: int


@dataclass(frozen=True, slots=True)
class OverdueReview:
    child_id: str
    child_name: str
    iro: str
    what: str  # "Review due" or "Pathway plan review due"
    due_date: date
    status: str  # "Overdue by 12 working days"


@dataclass(frozen=True, slots=True)
class Landing:
    today: date
    who: str
    is_manager: bool
    letters: tuple[LetterWaiting, ...]
    escalations: tuple[LateEscalation, ...]
    reviews: tuple[OverdueReview, ...]
    problems: tuple[str, ...] = ()


def _people(session: CaseloadSession, logins: set[str]) -> dict[str, str]:
    """Each login's name as people know it (a login is shown only if it has no name)."""
    from iro_desktop.store import repositories as repo

    with session.unit_of_work() as s:
        users = {login: repo.get_user(s, login) for login in logins if login}
    return {login: (u or {}).get("display_name") or login for login, u in users.items()}


def manager_landing(session: CaseloadSession) -> Landing:
    """What waits for the signed-in manager (an IRO sees the same lists but no sign-off)."""
    from iro_desktop.services import caseload as caseload_service
    from iro_desktop.services import due as due_service
    from iro_desktop.services import escalations as escalation_service
    from iro_desktop.services import signoff

    today = session.clock.today()
    calendar = session.profile.calendar
    user = session.user
    manager = session.is_manager
    letters: tuple[LetterWaiting, ...] = ()
    if manager and signoff.letters_waiting(session):
        letters = tuple(
            LetterWaiting(
                version_id=i.version_id,
                review_id=i.review_id,
                child_id=i.child_id,
                child_name=i.child_name,
                written_by=i.written_by,
                submitted_on=i.submitted_at.date(),
                waiting_working_days=i.waiting_working_days,
            )
            for i in signoff.inbox(session)
        )
    late = [
        v
        for v in escalation_service.list_escalations(session, only_open=True)
        if v.stage_overdue and v.stage_deadline is not None
    ]
    late.sort(key=lambda v: (v.stage_deadline or today, v.escalation_id))
    names = _people(session, {v.raised_by for v in late})
    escalations = tuple(
        LateEscalation(
            escalation_id=v.escalation_id,
            children=", ".join(c.label for c in v.children),
            raised_by=names.get(v.raised_by, v.raised_by),
            stage_name=v.current_stage_name or "",
            stage_deadline=v.stage_deadline or today,
            working_days_late=max(
                0, calendar.working_days_between(v.stage_deadline or today, today)
            ),
        )
        for v in late
    )
    board = due_service.dashboard(session)
    iros = {row.id: row.allocated_iro for row in caseload_service.caseload(session)}
    reviews = tuple(
        OverdueReview(
            child_id=item.child_id,
            child_name=item.child_name,
            iro=iros.get(item.child_id, "") or "Not allocated",
            what=item.kind.label,
            due_date=item.due_date,
            status=item.status,
        )
        for item in board.overdue
        if item.kind in REVIEW_KINDS
    )
    return Landing(
        today=today,
        who=user.get("display_name") or session.username,
        is_manager=manager,
        letters=letters,
        escalations=escalations,
        reviews=reviews,
        problems=board.problems,
    )
