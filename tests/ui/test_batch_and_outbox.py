"""The unsent and set-aside items name the child they are about (and the review's date);
saving every approved letter names each file after the child and the review, shows real
progress with a count and Cancel, and says what happened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from iro_desktop.services import letters
from iro_desktop.services import sync as sync_service
from iro_desktop.ui import dialogs

from .test_letter_list import approved_letters, letters_page
from .test_letter_page import completed_review


def test_save_all_approved_letters_names_the_child_and_the_review(qtbot, unlocked, tmp_path: Path):
    window = unlocked
    approved_letters(window, 2)
    page = letters_page(window)
    labels: list[str] = []

    def seen(_done: int, _total: int) -> None:
        progress = page.batch_progress
        assert progress is not None
        labels.append(progress.labelText())
        button = progress.findChild(QPushButton)
        assert button is not None and button.text().replace("&", "") == "Cancel"

    page.batch_relay.moved.connect(seen)
    folder = tmp_path / "approved"
    dialogs.set_next_answer(str(folder))
    page.print_button.setFocus()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Space)

    assert labels  # the dialog was there, with Cancel, while the letters were saved
    progress = page.batch_progress
    total = progress.maximum() if progress is not None else 0
    assert total >= 2 and progress.value() == total  # the demo may have approved ones too
    assert progress.labelText().startswith(f"Saved {total} of {total} approved letters as PDF.")
    names = sorted(p.name for p in folder.glob("*.pdf"))
    assert len(names) == total
    assert "letter-ChildA-Quillfeather-2026-10-27.pdf" in names
    assert "letter-ChildB-Quillfeather-2026-10-27.pdf" in names
    assert all(not n.startswith("letter-0") for n in names)
    shown = dialogs.last("info")
    assert shown is not None
    assert shown.title == f"{total} approved letters saved as PDF"  # what happened
    assert (
        "ChildA Quillfeather, review of 27 Oct 2026: letter-ChildA-Quillfeather-2026-10-27.pdf"
        in shown.text
    )


def test_unsent_and_set_aside_items_name_the_child_and_the_review(qtbot, unlocked):
    window = unlocked
    review_id = completed_review(window)
    letters.submit_review_letter(window.session, review_id)

    dialog = window.sync_status.open_items()
    assert dialog is not None
    about = [c.title for c in dialog.model.columns].index("About")
    rows = {dialog.model.row_at(r).kind: r for r in range(dialog.model.rowCount())}
    minutes = dialog.model.index(rows["signoff"], about).data()
    assert minutes == "Amira Quillfeather (review of 27 Oct 2026)"

    # Every escalation item names its child, as the escalation does.
    items = [dialog.model.row_at(r) for r in range(dialog.model.rowCount())]
    escalation_items = [i for i in items if i.escalation_id]
    assert escalation_items
    assert all(i.about and i.about != "a child not on this caseload" for i in escalation_items)
    from iro_desktop.services import escalations

    first = escalation_items[0]
    view = escalations.get_escalation(window.session, first.escalation_id)
    assert first.about == ", ".join(c.name for c in view.children)
    assert len(sync_service.outbox_items(window.session)) >= len(items)
    dialog.grab().save("/tmp/shots/unsent-items.png")
