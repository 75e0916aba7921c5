"""Who may see and change whose records.

An IRO: only their own (escalations they raised, reviews they submitted). A manager: their
own and those of the IROs in their team (same team name, or who name them as manager).
An admin: everyone's. Worked out from the users table on every request, so a move between
teams takes effect at once.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from iro_desktop.server.auth import Caller
from iro_desktop.server.tables import User


def visible_owners(session: Session, caller: Caller) -> frozenset[str] | None:
    """Names whose records the caller may see and change; None means everyone's."""
    if caller.role == "admin":
        return None
    if caller.role != "manager":
        return frozenset({caller.name})
    conditions = [User.manager_name == caller.name]
    if caller.team:
        conditions.append(User.team == caller.team)
    names = session.execute(select(User.name).where(or_(*conditions))).scalars()
    return frozenset({caller.name, *names})


def may_access(visible: frozenset[str] | None, owner: str) -> bool:
    return visible is None or owner in visible
