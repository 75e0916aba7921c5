# mypy: disable-error-code="attr-defined,arg-type"
"""The letter page's actions: large print, submit for sign-off, correct, redraft, issue, the
distribution log, and the PDFs (preview, save the letter, save the record)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from iro_desktop.domain.letter import format_date
from iro_desktop.services import letters
from iro_desktop.services.letters import LetterStatus, LetterVersion, OpenedLetter, RenderedPdf
from iro_desktop.ui import dialogs
from iro_desktop.ui.views.letter_forms import DistributionDialog, IssueDialog
from iro_desktop.ui.views.letter_preview import PageImage, PreviewDialog, page_images


@dataclass(frozen=True)
class Preview:
    rendered: RenderedPdf
    pages: list[PageImage]


def pdf_bytes(session: Any, review_id: str, version_id: str | None) -> tuple[bytes, RenderedPdf]:
    """The letter as PDF bytes, made in memory: nothing is written to disk."""
    out = io.BytesIO()
    rendered = letters.render_letter_pdf(session, review_id, out, version_id=version_id)
    return out.getvalue(), rendered


class LetterActions:
    """What the IRO can do with the letter shown; mixed into LetterPage."""

    review_id: str | None
    edit: int | None
    preview_dialog: PreviewDialog | None

    def _large_print_toggled(self, on: bool) -> None:
        letter = self.letter
        if letter is None:
            return
        if not self._flush():
            return
        session = self.ctx.session()

        def done(updated: LetterVersion) -> None:
            if self.letter is not None and self.letter.id == updated.id:
                self.edit = updated.edit
                self.ctx.status(f"Large print {'on' if on else 'off'} for this letter.")

        self.ctx.tasks.run(
            lambda: letters.set_large_print(session, letter.id, on),
            done,
            self._refused,
            label="large print",
        )

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValueError | LookupError):
            dialogs.error(self, "That could not be done", str(exc))
            if self.review_id:
                self.load(self.review_id)
        else:
            self.report(exc)

    def submit(self) -> None:
        letter = self.letter
        if letter is None or not self.editable:
            return
        if not self._flush():
            return
        advice = len(self.panel.texts())
        hint = (
            f"\n\nThe plain-language help has {advice} suggestion{'s' if advice != 1 else ''} "
            "(advice only)."
            if advice
            else ""
        )
        if not dialogs.confirm(
            self,
            "Submit for sign-off?",
            f"Send version {letter.version} of the letter to {self._child()} to a manager for "
            f"sign-off? It cannot be changed while it waits; the manager approves it or "
            f"returns it with comments.{hint}",
            yes_label="Su&bmit",
        ):
            return
        session = self.ctx.session()
        expected = self.edit

        def done(_: LetterVersion) -> None:
            self.ctx.status("The letter was submitted for sign-off.")
            self._after_step()

        self.ctx.tasks.run(
            lambda: letters.submit(session, letter.id, expected_edit=expected),
            done,
            self._submit_refused,
            label="submit letter",
        )

    def _submit_refused(self, exc: BaseException) -> None:
        """Sentences still about the child: the IRO fixes them, or says they are right."""
        letter = self.letter
        if not isinstance(exc, letters.ThirdPersonLeft) or letter is None:
            self._refused(exc)
            return
        if not dialogs.confirm(
            self,
            "Still written about the child?",
            f"{exc}\n\nChoose No to change them first (they are listed under 'To check').",
            yes_label="Submit &anyway",
        ):
            if self.review_id:
                self.load(self.review_id)  # the sentences show under 'To check'
            return
        session = self.ctx.session()
        expected = self.edit

        def done(_: LetterVersion) -> None:
            self.ctx.status("The letter was submitted for sign-off.")
            self._after_step()

        self.ctx.tasks.run(
            lambda: letters.submit(
                session, letter.id, expected_edit=expected, third_person_checked=True
            ),
            done,
            self._refused,
            label="submit letter",
        )

    def _after_step(self) -> None:
        if self.review_id:
            self.load(self.review_id)
        self._announce()

    def correct(self) -> None:
        letter = self.letter
        if letter is None or not letter.status.signed or not self.is_latest:
            return
        if not dialogs.confirm(
            self,
            "Make a correction?",
            f"Start version {letter.version + 1} from the text of version {letter.version}? "
            f"Version {letter.version} stays exactly as it was approved; the correction goes "
            "for sign-off like any letter.",
            yes_label="Make a &correction",
        ):
            return
        session = self.ctx.session()

        def done(opened: OpenedLetter) -> None:
            self.show_letter(opened)
            self.ctx.status(f"Version {opened.letter.version} started as a correction.")
            self._announce()
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ctx.tasks.run(
            lambda: letters.correct_letter(session, letter.id),
            done,
            self._refused,
            label="correct letter",
        )

    def redraft(self) -> None:
        letter = self.letter
        if letter is None or not self.editable:
            return
        if not dialogs.confirm(
            self,
            "Redraft from the record?",
            f"Write version {letter.version} again from the review as it is now? The text you "
            "see is replaced (the audit trail keeps that it happened).",
            yes_label="Redraf&t",
        ):
            return
        if not self._flush():
            return
        session = self.ctx.session()
        expected = self.edit

        def done(opened: OpenedLetter) -> None:
            self.show_letter(opened)
            self.ctx.status("The letter was written again from the record.")

        self.ctx.tasks.run(
            lambda: letters.redraft(session, letter.id, expected_edit=expected),
            done,
            self._refused,
            label="redraft letter",
        )

    def issue(self) -> None:
        letter = self.letter
        if letter is None or letter.status is not LetterStatus.APPROVED:
            return
        session = self.ctx.session()
        form = IssueDialog(letter.version, session.clock.today(), self)
        if not dialogs.run_form(form):
            return
        on, who = form.when(), form.recipient_entry()

        def done(_: LetterVersion) -> None:
            self.ctx.status(f"Version {letter.version} was issued on {format_date(on)}.")
            self._after_step()

        self.ctx.tasks.run(
            lambda: letters.issue(session, letter.id, on=on, sent_to=[who] if who else []),
            done,
            self._refused,
            label="issue letter",
        )

    def add_distribution(self) -> None:
        letter = self.letter
        if letter is None or letter.status is not LetterStatus.ISSUED:
            return
        session = self.ctx.session()
        form = DistributionDialog(letter.version, session.clock.today(), self)
        if not dialogs.run_form(form):
            return
        on, who = form.when(), form.recipient_entry()
        if who is None:
            return

        def done(_: object) -> None:
            self.ctx.status(f"Added {who.recipient} to the distribution log.")
            self._after_step()

        self.ctx.tasks.run(
            lambda: letters.record_distribution(
                session,
                letter.id,
                recipient=who.recipient,
                method=who.method,
                sent_on=on,
                role=who.role,
                note=who.note,
            ),
            done,
            self._refused,
            label="distribution log",
        )

    # --- PDFs -----------------------------------------------------------------------------

    def _child(self) -> str:
        return self.opened.child_name if self.opened is not None else "the child"

    def preview(self) -> None:
        letter, review_id = self.letter, self.review_id
        if letter is None or review_id is None or not self._flush():
            return
        session = self.ctx.session()
        version_id = letter.id

        def work() -> Preview:
            data, rendered = pdf_bytes(session, review_id, version_id)
            return Preview(rendered, page_images(data))

        def done(preview: Preview) -> None:
            pages = len(preview.pages)
            dialog = PreviewDialog(
                f"Preview: letter to {self._child()}",
                f"This is {preview.rendered.words}. {pages} page{'s' if pages != 1 else ''}. "
                "Nothing has been saved to disk.",
                preview.pages,
                save_as=self.save_pdf,
                parent=self,
            )
            self.preview_dialog = dialog
            dialogs.track(dialog)  # not modal: the IRO can look and type; the lock closes it
            dialog.show()

        self.ctx.tasks.run(work, done, self._refused, label="preview letter")

    def _suggested_name(self, what: str) -> str:
        letter = self.letter
        completed = self.opened.deadlines.completed_on if self.opened is not None else None
        when = completed.isoformat() if completed else "review"
        number = f"-v{letter.version}" if letter is not None else ""
        return f"{what}-{when}{number}.pdf"

    def save_pdf(self) -> None:
        letter, review_id = self.letter, self.review_id
        if letter is None or review_id is None or not self._flush():
            return
        chosen = dialogs.save_file(
            self, "Save the letter as PDF", self._suggested_name("letter"), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        out = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        session = self.ctx.session()
        version_id = letter.id

        def done(rendered: RenderedPdf) -> None:
            self.ctx.status(f"Saved {out.name}: {rendered.words}.")

        self.ctx.tasks.run(
            lambda: letters.render_letter_pdf(session, review_id, out, version_id=version_id),
            done,
            self._refused,
            label="letter PDF",
        )

    def save_record_pdf(self) -> None:
        review_id = self.review_id
        if review_id is None or self.opened is None:
            return
        chosen = dialogs.save_file(
            self,
            "Save the record of the review as PDF",
            self._suggested_name("record"),
            "PDF files (*.pdf)",
        )
        if not chosen:
            return
        out = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        session = self.ctx.session()

        def done(rendered: RenderedPdf) -> None:
            kind = "approved" if rendered.approved else "a draft until the letter is approved"
            self.ctx.status(f"Saved the record of the review as {out.name} ({kind}).")

        self.ctx.tasks.run(
            lambda: letters.render_record_pdf(session, review_id, out),
            done,
            self._refused,
            label="record PDF",
        )
