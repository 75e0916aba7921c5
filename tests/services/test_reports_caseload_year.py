"""The annual figures count the caseload of the year reported, with last year's beside them.
Today is Monday 23 November 2026 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

from iro_desktop.services import children as svc
from iro_desktop.services import reports
from tests.services.child_kit import placed_child


def _child(session, la_id: str, start: date, end: date | None = None):  # type: ignore[no-untyped-def]
    child = placed_child(
        session,
        la_id,
        first="Lee",
        last=f"Yearwood{la_id}",
        born=date(2012, 3, 1),
        sex="M",
        start=start,
    )
    if end is not None:
        svc.end_period(session, child.id, on=end, reason_ended="E13")
    return child


def test_a_child_who_left_care_last_year_counts_in_last_year_s_caseload_only(session):
    _child(session, "Y1", date(2024, 1, 8), end=date(2025, 2, 3))
    _child(session, "Y2", date(2025, 6, 2))
    this_year = reports.annual_report(session, 2026)
    assert this_year.figures.caseloads == (("Ada Example", 1),)
    last_year = reports.annual_report(session, 2025)
    assert last_year.figures.caseloads == (("Ada Example", 1),)  # Y1 left before April 2025
    year_before = reports.annual_report(session, 2024)
    assert year_before.figures.caseloads == (("Ada Example", 1),)  # Y1 only: Y2 came later
    assert this_year.previous_label == "2025/26"
    rows = {r.label: r for r in this_year.rows}
    assert rows["Average caseload per IRO"].previous_value == 1.0
