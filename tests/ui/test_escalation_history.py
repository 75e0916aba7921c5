"""The escalation's history says what the other side replied and what difference the
resolution made for the child, in the window and in the escalation's PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from iro_desktop.services import escalations as service
from iro_desktop.ui import dialogs

from .test_escalations import _form, _page, _press

REPLY = "A visit is booked for Friday and the social worker will ring the carer today."
DIFFERENCE = "The child knows when the social worker comes and sees her every six weeks."


def test_the_reply_and_the_difference_for_the_child_are_in_the_history_and_the_pdf(
    unlocked, qtbot, tmp_path: Path
):
    window = unlocked
    page = _page(window)
    row = next(r for r in page.model.rows if r.view.is_open and r.view.current_stage_key is None)
    page.select_id(row.id)

    _press(qtbot, window, Qt.Key.Key_N)  # send to the informal stage
    form = _form(page, qtbot)
    qtbot.keyClicks(form.recipient, "Jo Teamlead")
    qtbot.keyClick(form.recipient, Qt.Key.Key_Return)

    _press(qtbot, window, Qt.Key.Key_P)  # the team manager's reply
    form = _form(page, qtbot)
    qtbot.keyClicks(form.text, REPLY)
    _press(qtbot, form, Qt.Key.Key_R)

    _press(qtbot, window, Qt.Key.Key_V)  # resolved, and what it changed for the child
    form = _form(page, qtbot)
    qtbot.keyClicks(form.outcome, "Visits are back within six weeks.")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.difference, DIFFERENCE)
    _press(qtbot, form, Qt.Key.Key_V)
    assert not form.isVisible()

    history = "\n".join(page.timeline.item(i).text() for i in range(page.timeline.count()))
    assert "Response from Jo Teamlead" in history
    assert REPLY in history
    assert "Resolved: Visits are back within six weeks." in history
    assert f"Difference for the child: {DIFFERENCE}" in history
    page.timeline.scrollToBottom()
    window.grab().save("/tmp/shots/escalation-history.png")

    target = tmp_path / "escalation.pdf"
    dialogs.set_next_answer(str(target))
    _press(qtbot, window, Qt.Key.Key_X)  # Export as PDF
    assert dialogs.last("save_file").title == "Export the escalation as a PDF"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Response from Jo Teamlead" in text
    assert REPLY in text
    assert DIFFERENCE in text
    assert "saved as a PDF" in window.statusBar().currentMessage()

    # The export for other programs (the view as JSON) carries the same words.
    said = [e["said"] for e in service.get_escalation(window.session, row.id).to_json()["history"]]
    assert f"Their reply: {REPLY}" in said
    assert f"Difference for the child: {DIFFERENCE}" in said
