"""Whose name this laptop's changes carry to the sync server (kept apart from services.sync so
the escalations and the report facts can use it without importing sync)."""

from __future__ import annotations

from iro_desktop.services.access import CaseloadSession


def author_name(session: CaseloadSession) -> str:
    """The name this laptop's changes carry: the sync server user name when one is set, so
    the server accepts them as the signed-in user's; otherwise the caseload login. (Called
    inside units of work, so it reads no database: the sync client attributes unsent items
    to the login's bound account before it sends them, whatever name they were written with.)
    """
    return (session.settings.sync_user or "").strip() or session.username
