"""The Reports page: the annual-report figures for a financial year, and the CSV export."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt

from iro_desktop.domain.codes import PARTICIPATION_CODES
from iro_desktop.ui import dialogs

from .test_keyboard import unnamed_controls

CTRL = Qt.KeyboardModifier.ControlModifier


def _table(page) -> dict[str, tuple[str, str, str]]:
    rows = {}
    for r in range(page.model.rowCount()):
        cells = [page.model.index(r, c).data() for c in range(4)]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def test_the_pn_code_distribution_of_the_demo_caseload(unlocked, qtbot):
    qtbot.keyClick(unlocked, Qt.Key.Key_7, CTRL)
    page = unlocked.page("reports")
    assert unlocked.current_page() is page
    assert page.year.currentData() == 2026  # the financial year we are in (January 2027)
    assert page.year.currentText().startswith("2026/27")
    table = _table(page)

    # Counted independently here, from each child's review history (the PN code the IRO
    # recorded): looked-after reviews held from 1 April 2026.
    from iro_desktop.services import caseload, reviews

    session = unlocked.session
    codes: Counter[str] = Counter()
    for child in caseload.children(session):
        for line in reviews.list_reviews(session, child.id):
            held = line.timeliness_date
            if line.kind == "looked_after" and held and held.year * 100 + held.month >= 202604:
                codes[line.pn_code or "Not recorded"] += 1
    held = sum(codes.values())
    assert table["Reviews held"][0] == str(held)
    for code, words in PARTICIPATION_CODES.items():
        number, percent, out_of = table[f"{code}: {words}"]
        assert (number, out_of) == (str(codes[code]), str(held))
        # Half up, as the annual reports round (11.25% is 11.3%, not Python's 11.2%).
        exact = Decimal(100 * codes[code]) / Decimal(held)
        assert percent == f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    assert codes["PN1"] > 0 and codes["PN0"] > 0  # the demo has a spread of codes
    # Section headings are rows of their own, said as headings.
    assert page.model.index(0, 0).data() == "Reviews"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "Section: Reviews"
    assert unnamed_controls(page) == []


def test_another_year_and_the_csv_export(unlocked, tmp_path):
    unlocked.show_page("reports")
    page = unlocked.page("reports")
    page.year.setCurrentIndex(page.year.findData(2025))
    assert page.report_shown is not None and page.report_shown.label == "2025/26"
    shown = _table(page)
    assert int(shown["Reviews held"][0]) > 0

    out = tmp_path / "figures.csv"
    dialogs.set_next_answer(str(out))
    page.export()
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Year", "Section", "Figure", "Number", "Percentage", "Out of"]
    by_figure = {r[2]: r for r in rows[1:]}
    assert by_figure["Reviews held"][0] == "2025/26"
    assert by_figure["Reviews held"][3] == shown["Reviews held"][0]
    assert len(rows) - 1 == len(page.report_shown.rows)
    # The export is recorded in the audit trail like every other view of the records.
    from iro_desktop.services import caseload

    trail = caseload.audit_trail(unlocked.session, "annual-figures")
    assert any(entry["action"] == "export" for entry in trail)


def test_escalation_figures_follow_the_escalations(unlocked):
    from iro_desktop.services import escalations

    unlocked.show_page("reports")
    page = unlocked.page("reports")
    figures = page.report_shown.figures
    views = [
        v
        for v in escalations.list_escalations(unlocked.session)
        if v.raised_on.year * 100 + v.raised_on.month >= 202604
    ]
    kinds = Counter(v.category for v in views)
    table = _table(page)
    assert (
        table["Escalations raised"][0] == str(kinds["dispute"]) == str(figures.escalations_raised)
    )
    assert table["Partner escalations"][0] == str(kinds["partner"])
    assert table["Good practice notifications"][0] == str(kinds["good_practice"])
    assert "Stage reached: Referral to CAFCASS" in table
    resolved = [v for v in views if v.category == "dispute" and v.status == "resolved"]
    assert table["Outcome: Resolved"][0] == str(len(resolved))
