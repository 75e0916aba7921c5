"""The dialog seam: tests answer questions in advance and nothing ever blocks."""

from __future__ import annotations

from iro_desktop.ui import dialogs


def test_questions_take_the_queued_answer_without_showing(qtbot):
    dialogs.set_next_answer(True)
    dialogs.set_next_answer("caseload.irobackup")
    assert dialogs.confirm(None, "Replace?", "Replace the caseload?") is True
    assert dialogs.save_file(None, "Back up", "x", "*") == "caseload.irobackup"
    assert [s.kind for s in dialogs.history] == ["confirm", "save_file"]


def test_unanswered_questions_take_the_safe_default(qtbot):
    assert dialogs.confirm(None, "Delete?", "Delete everything?") is False
    assert dialogs.ask_text(None, "Passphrase", "Type it", secret=True) is None
    assert dialogs.open_file(None, "Open", "*") is None
    dialogs.error(None, "Could not open", "The file is damaged.")
    assert dialogs.last("error").text == "The file is damaged."


def test_forms_can_be_filled_by_a_queued_callable(qtbot):
    from iro_desktop.ui.forms import ChangePassphraseDialog

    form = ChangePassphraseDialog()

    def fill(dialog):
        dialog.current.setText("old passphrase here")
        dialog.new.first.setText("new passphrase here")
        dialog.new.second.setText("new passphrase here")
        return dialog.check() == ""

    dialogs.set_next_answer(fill)
    assert dialogs.run_form(form) is True
    assert form.new.value() == "new passphrase here"


def test_change_passphrase_form_explains_what_is_wrong(qtbot):
    from iro_desktop.ui.forms import ChangePassphraseDialog

    form = ChangePassphraseDialog()
    assert form.check() == "Type your current passphrase."
    form.current.setText("the same long passphrase")
    form.new.first.setText("the same long passphrase")
    form.new.second.setText("the same long passphrase")
    assert "same as the current" in form.check()
    form.new.second.setText("something else entirely")
    assert "different" in form.check()
