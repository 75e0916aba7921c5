# mypy: disable-error-code="attr-defined,arg-type"
"""The letter page's saving: autosave as the IRO types, and keeping unsaved text as a draft
over a lock or a crash and putting it back afterwards."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextCursor

from iro_desktop.services import letters
from iro_desktop.services.letters import SavedText
from iro_desktop.ui import dialogs

DRAFT_PREFIX = "letter:"


def draft_key(version_id: str) -> str:
    return f"{DRAFT_PREFIX}{version_id}"


class LetterDrafts:
    """Saving the letter's text and its drafts; mixed into LetterPage."""

    review_id: str | None
    edit: int | None
    _saving: bool
    _save_blocked: bool

    def save_now(self) -> None:
        """Save the text if it changed (the autosave; also before anything that needs it)."""
        self.autosave_timer.stop()
        letter = self.letter
        if letter is None or not self.dirty or self._save_blocked:
            if letter is not None and self.editable and not self._saving and not self.dirty:
                self.saved_label.setText("No changes to save.")
            return
        if self._saving:
            self.autosave_timer.start()  # again once the save under way is done
            return
        try:
            session = self.ctx.session()
        except Exception:  # locked meanwhile: the lock keeps the text as a draft
            return
        text = self.editor.toPlainText()
        version_id, expected = letter.id, self.edit
        discard = [k for k in self._stored_drafts if k == draft_key(version_id)]
        self._saving = True

        def work() -> SavedText:
            saved = letters.save_text(session, version_id, text, expected_edit=expected)
            if discard:
                from iro_desktop.services import caseload as caseload_service

                for key in discard:
                    caseload_service.discard_draft(session, key)
            return saved

        def done(saved: SavedText) -> None:
            self._saving = False
            if self.letter is None or self.letter.id != saved.letter_id:
                return
            self._stored_drafts.difference_update(discard)
            self.edit = saved.edit
            self.saved_text = text
            self._save_failed = ""
            now = session.clock.now()
            self.saved_label.setText(f"Saved {now:%H:%M:%S}")
            self._show_problem(saved.problem)
            if self.dirty and not self.autosave_timer.isActive():
                self.autosave_timer.start()

        def failed(exc: BaseException) -> None:
            self._saving = False
            self._save_failed = str(exc)
            self.saved_label.setText("Not saved: your text is kept as a draft.")
            if isinstance(exc, ValueError | LookupError):
                # Refused (changed elsewhere, or no longer a draft): trying again every second
                # would only repeat the refusal, so autosave waits until the letter is reopened.
                self._save_blocked = True
                dialogs.error(
                    self,
                    "The letter was not saved",
                    f"{exc}\n\nWhat you typed is kept on this page and as a draft, so nothing "
                    "is lost. Copy it before opening the letter again.",
                )
            else:
                self.report(exc)

        self.ctx.tasks.run(work, done, failed, label="save letter")

    def _flush(self) -> bool:
        """Save what is typed and wait for it; False if it could not be saved."""
        if self.dirty:
            self.save_now()
        if self._saving:
            self.ctx.tasks.drain(30)
        if self._save_blocked:
            dialogs.warning(
                self,
                "The letter is not saved",
                f"{self._save_failed}\n\nOpen the letter again (choose it in the Version list) "
                "once you have copied what you typed.",
            )
        return not self.dirty and not self._save_failed

    # --- drafts and the lock ---------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        found = {k: dict(v) for k, v in self._pending.items()}
        letter = self.letter
        if letter is not None and self.dirty:
            found[draft_key(letter.id)] = {
                "review_id": letter.review_id,
                "version_id": letter.id,
                "text": self.editor.toPlainText(),
                # The save it was typed on top of, and whether saving it was refused: on
                # unlocking, a draft older than the letter's last save is already in it.
                "edit": self.edit,
                "refused": self._save_blocked,
            }
        return found

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if not key.startswith(DRAFT_PREFIX) or not isinstance(payload.get("text"), str):
            return False
        self._pending[key] = dict(payload)
        self._stored_drafts.add(key)
        review_id = payload.get("review_id")
        if self.review_id is None and isinstance(review_id, str):
            self.review_id = review_id
        if self.opened is not None:
            self._put_back_draft()
        return True

    def _forget_draft(self, key: str) -> None:
        """The draft is in the letter (or the IRO let it go): remove the stored copy."""
        self._pending.pop(key, None)
        if key in self._stored_drafts:
            self._stored_drafts.discard(key)
            from iro_desktop.services import caseload as caseload_service

            session = self.ctx.session()
            self.ctx.tasks.run(
                lambda: caseload_service.discard_draft(session, key), label="discard letter draft"
            )

    def _put_back_draft(self) -> None:
        """Put back what was typed before a lock or a crash, unless the letter has it already."""
        letter = self.letter
        if letter is None:
            return
        key = draft_key(letter.id)
        payload = self._pending.get(key)
        if payload is None:
            return
        text = str(payload["text"])
        if text == self.editor.toPlainText():
            self._forget_draft(key)
            return
        if not self.editable:
            if dialogs.confirm(
                self,
                "Edits that could not be put back",
                f"Version {letter.version} can no longer be changed "
                f"({letter.status.label.lower()}), so what you typed on it before was not "
                "saved. Copy your text to the clipboard to use it in a correction?",
                yes_label="&Copy my text",
            ):
                if self.ctx.clipboard is not None:
                    self.ctx.clipboard.copy(text)
                self._forget_draft(key)
            return
        if payload.get("edit") not in (None, letter.edit) and not payload.get("refused"):
            self._forget_draft(key)  # typed before the last save, which has all of it
            return
        if payload.get("refused") and not dialogs.confirm(
            self,
            "Put back your unsaved text?",
            "What you typed before was not saved because the letter had been changed "
            "elsewhere. Put your text back in place of the saved letter?",
            yes_label="&Put my text back",
        ):
            self._forget_draft(key)
            return
        del self._pending[key]
        self._stored_drafts.add(key)  # removed once the text is saved
        cursor = QTextCursor(self.editor.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)  # one step Ctrl+Z can undo
        self.ctx.status("Unsaved changes to the letter were put back.")
