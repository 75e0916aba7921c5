"""Use cases: the window's and the command line's only way in.

Each use case loads what it needs, asks the domain, and saves (with the audit entry and any
outbox item) in one unit of work.
"""

from iro_desktop.services.access import (
    AccessError,
    CaseloadSession,
    create_caseload,
    open_caseload,
)

__all__ = ["AccessError", "CaseloadSession", "create_caseload", "open_caseload"]
