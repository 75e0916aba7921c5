"""The caseload list's columns, filters and search: what each row says and how it sorts."""

from __future__ import annotations

from iro_desktop.services.window import CaseloadEntry
from iro_desktop.ui.qt_models import BLANK_LAST, Column, RowFilter
from iro_desktop.ui.qt_models import SearchFilterProxy as _Proxy
from iro_desktop.ui.widgets import uk_date

DUE_SOON_WORKING_DAYS = 20


def _name(e: CaseloadEntry) -> str:
    r = e.row
    first = r.name.split(" ", 1)[0]
    if r.preferred_name and r.preferred_name != first:
        return f"{r.name} ({r.preferred_name})"
    return r.name


def _tone(e: CaseloadEntry) -> str | None:
    left = e.row.working_days_left
    if left is None:
        return "quiet"
    if left < 0:
        return "alert"
    if left <= DUE_SOON_WORKING_DAYS:
        return "warn"
    return None


def _code_words(code: str, words: str) -> str:
    return f"{code} {words}".strip() if code else "Not recorded"


COLUMNS: list[Column[CaseloadEntry]] = [
    Column(
        "Name",
        _name,
        sort_key=lambda e: f"{e.row.name.split(' ')[-1]} {e.row.name}".casefold(),
        tooltip=lambda e: f"{e.row.name}, LA number {e.la_child_id}",
        width_chars=22,
    ),
    Column(
        "Age",
        lambda e: str(e.row.age) if e.row.age > 0 else "Under 1",
        sort_key=lambda e: e.row.age,
        align_right=True,
        width_chars=7,
    ),
    Column(
        "Legal status",
        lambda e: _code_words(e.row.legal_status, e.row.legal_status_words),
        tooltip=lambda e: _code_words(e.row.legal_status, e.row.legal_status_words),
        width_chars=19,
    ),
    Column(
        "Placement",
        lambda e: _code_words(e.row.placement, e.row.placement_words),
        tooltip=lambda e: _code_words(e.row.placement, e.row.placement_words),
        width_chars=17,
    ),
    Column("Allocated IRO", lambda e: e.row.allocated_iro or "Not allocated", width_chars=14),
    Column(
        "Next review",
        lambda e: uk_date(e.row.next_review_due, "None due"),
        heading_tip="When the next statutory review is due; click to sort by date",
        sort_key=lambda e: (
            e.row.next_review_due.toordinal() if e.row.next_review_due else BLANK_LAST
        ),
        tone=_tone,
        width_chars=12,
    ),
    Column(
        "Status",
        lambda e: e.row.status,
        tooltip=lambda e: e.row.status,
        sort_key=lambda e: (
            e.row.working_days_left if e.row.working_days_left is not None else BLANK_LAST
        ),
        tone=_tone,
        width_chars=34,
    ),
]

DUE_COLUMN = [c.title for c in COLUMNS].index("Next review")
NAME_COLUMN = 0
IRO_COLUMN = [c.title for c in COLUMNS].index("Allocated IRO")
# On a narrow window these narrow first: their code stays in view and the full words are in the
# tooltip, while the status (what the IRO acts on) keeps its words.
GIVE_WAY = tuple(
    [c.title for c in COLUMNS].index(t) for t in ("Legal status", "Placement", "Allocated IRO")
)

FILTERS: list[RowFilter[CaseloadEntry]] = [
    RowFilter("all", "All children", lambda e: True),
    RowFilter(
        "overdue",
        "Reviews overdue",
        lambda e: e.row.working_days_left is not None and e.row.working_days_left < 0,
    ),
    RowFilter(
        "due_soon",
        f"Due within {DUE_SOON_WORKING_DAYS} working days",
        lambda e: (
            e.row.working_days_left is not None
            and 0 <= e.row.working_days_left <= DUE_SOON_WORKING_DAYS
        ),
    ),
    RowFilter("care_leavers", "Care leavers", lambda e: e.row.care_leaver),
    RowFilter("uasc", "UASC (unaccompanied asylum-seeking)", lambda e: e.row.uasc),
]


def search_text(e: CaseloadEntry) -> str:
    return f"{e.row.name} {e.row.preferred_name} {e.la_child_id}"


CaseloadProxy = _Proxy[CaseloadEntry]
