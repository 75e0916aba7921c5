"""The letter to the child: written from the record, edited with plain-language help beside
it, saved as the IRO types, previewed and saved as PDF, sent for a manager's sign-off, then
issued and its sending logged. Approved versions are read-only; a correction is a new version.

Opened with `navigator.show_page("letter", review_id)`. The first time a review's letter is
opened, version 1 is drafted from the record (services.letters.start_letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QWidget,
)

from iro_desktop.domain.plain_language import AdviceKind
from iro_desktop.services import letters
from iro_desktop.services.letters import LetterStatus, LetterVersion, OpenedLetter
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.plain_language_panel import PlainLanguagePanel, reader_words
from iro_desktop.ui.views.letter_actions import LetterActions, Preview, pdf_bytes
from iro_desktop.ui.views.letter_drafts import DRAFT_PREFIX, LetterDrafts, draft_key
from iro_desktop.ui.views.letter_layout import AUTOSAVE_MS, CHECK_MS, build_letter_page
from iro_desktop.ui.views.letter_preview import PreviewDialog
from iro_desktop.ui.views.letter_words import short_status, status_words
from iro_desktop.ui.widgets import uk_date

# Others import these from here.
__all__ = [
    "AUTOSAVE_MS",
    "CHECK_MS",
    "DRAFT_PREFIX",
    "LetterPage",
    "Preview",
    "draft_key",
    "pdf_bytes",
    "qt_position",
]


_UNDERLINE = {
    AdviceKind.JARGON: QColor("#a4262c"),
    AdviceKind.LONG_SENTENCE: QColor("#8a4b00"),
    AdviceKind.PASSIVE: QColor("#52606d"),
}
_CHOSEN = QColor("#ffe58f")

_STATUS_STYLE = {
    LetterStatus.DRAFT: "background: #f7f9fa; border: 1px solid #d9dee3;",
    LetterStatus.SUBMITTED: "background: #eef4ff; border: 1px solid #9bb7e8;",
    LetterStatus.RETURNED: (
        "background: #fff4ce; border: 2px solid #c79100; font-weight: 600; font-size: 11pt;"
    ),
    LetterStatus.APPROVED: "background: #e8f5e9; border: 1px solid #7cb987;",
    LetterStatus.ISSUED: "background: #e8f5e9; border: 1px solid #7cb987;",
}


def qt_position(text: str, index: int) -> int:
    """A Python string offset as a Qt document position (Qt counts UTF-16 code units)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Loaded:
    opened: OpenedLetter
    created: bool  # version 1 was drafted from the record just now


class LetterPage(LetterDrafts, LetterActions, Page):
    key = "letter"
    title = "Letter to the child"
    # Made by build_letter_page (letter_layout).
    autosave_timer: QTimer
    back_button: QPushButton
    body: QWidget
    check_timer: QTimer
    correct_button: QPushButton
    deadlines: QLabel
    distribution_button: QPushButton
    editor: QPlainTextEdit
    editor_label: QLabel
    empty: QLabel
    heading: QLabel
    issue_button: QPushButton
    large_print: QCheckBox
    nobody_yet: QLabel
    notes: QLabel
    panel: PlainLanguagePanel
    preview_button: QPushButton
    problem: QLabel
    record_button: QPushButton
    redraft_button: QPushButton
    save_pdf_button: QPushButton
    saved_label: QLabel
    sent: QTableWidget
    sent_box: QWidget
    splitter: QSplitter
    status_box: QLabel
    submit_button: QPushButton
    subtitle: QLabel
    versions: QComboBox

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.review_id: str | None = None
        self.opened: OpenedLetter | None = None
        self.edit: int | None = None
        self.saved_text = ""
        self.load_problem = ""
        self.preview_dialog: PreviewDialog | None = None
        self._filling = False
        self._saving = False
        self._save_failed = ""
        self._save_blocked = False
        self._pending: dict[str, dict[str, Any]] = {}
        self._stored_drafts: set[str] = set()
        self._advice_spans: list[tuple[AdviceKind, int, int]] = []
        self._chosen: tuple[int, int] | None = None
        build_letter_page(self)

    # --- what is shown ----------------------------------------------------------------------

    @property
    def letter(self) -> LetterVersion | None:
        return self.opened.letter if self.opened is not None else None

    @property
    def is_latest(self) -> bool:
        opened = self.opened
        return opened is not None and opened.versions[-1].id == opened.letter.id

    @property
    def editable(self) -> bool:
        letter = self.letter
        return letter is not None and letter.status.editable and self.is_latest

    @property
    def dirty(self) -> bool:
        return self.editable and self.editor.toPlainText() != self.saved_text

    def _set_actions(self, letter: LetterVersion | None) -> None:
        has = letter is not None
        status = letter.status if letter is not None else None
        latest = self.is_latest
        self.preview_button.setEnabled(has)
        self.save_pdf_button.setEnabled(has)
        self.record_button.setEnabled(has)
        self.large_print.setEnabled(has and latest)
        # Only what can be done to this version now is shown (and enabled).
        shown = {
            self.redraft_button: self.editable,
            self.submit_button: self.editable,
            self.correct_button: has and latest and bool(status and status.signed),
            self.issue_button: has and latest and status is LetterStatus.APPROVED,
            self.distribution_button: has and status is LetterStatus.ISSUED,
        }
        for button, can in shown.items():
            button.setEnabled(can)
            waiting = button is self.submit_button and status is LetterStatus.SUBMITTED
            button.setVisible(can or waiting)
        self.editor.setReadOnly(not self.editable)
        self.editor_label.setText(
            "L&etter (saved as you type; Ctrl+Z undoes):"
            if self.editable
            else "L&etter (read-only):"
        )

    # --- loading ----------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        review_id = arg or self.review_id
        if review_id and (review_id != self.review_id or self.opened is None):
            self.load(review_id)

    def current_arg(self) -> str | None:
        return self.review_id

    def load(self, review_id: str, *, version_id: str | None = None) -> None:
        """Open the review's letter (drafting version 1 from the record if there is none)."""
        if self.dirty and self.opened is not None and self.opened.review_id != review_id:
            self.save_now()
        session = self.ctx.session()
        self.review_id = review_id
        self.heading.setText("Opening the letter...")

        def work() -> Loaded:
            if version_id is not None:
                return Loaded(letters.get_letter(session, version_id), False)
            opened = letters.open_letter(session, review_id)
            if opened is not None:
                return Loaded(opened, False)
            return Loaded(letters.start_letter(session, review_id), True)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValueError | LookupError):
                self._show_nothing(str(exc))
            else:
                self._show_nothing("The letter could not be opened.")
                self.report(exc)

        self.ctx.tasks.run(work, self._loaded, failed, label="open letter")

    def _loaded(self, loaded: Loaded) -> None:
        if loaded.opened.review_id != self.review_id:
            return  # the IRO moved on meanwhile
        self.show_letter(loaded.opened)
        if self.isVisible():
            self.focus_first()
        if loaded.created:
            self.ctx.status("The letter was drafted from the record of the review.")
            self._announce()

    def _show_nothing(self, why: str) -> None:
        self.opened = None
        self.load_problem = why
        self.heading.setText("Letter to the child")
        self.subtitle.setText("")
        self.empty.setText(f"No letter can be written for this review yet.\n\n{why}")
        self.empty.setVisible(True)
        self.body.setVisible(False)
        self.versions.clear()
        self._set_actions(None)

    def show_letter(self, opened: OpenedLetter) -> None:
        self.autosave_timer.stop()
        self.check_timer.stop()
        self.opened = opened
        self.load_problem = ""
        letter = opened.letter
        self.edit = letter.edit
        self.saved_text = letter.text
        self._save_failed = ""
        self._save_blocked = False
        self.empty.setVisible(False)
        self.body.setVisible(True)
        self.heading.setText(f"Letter to {opened.child_name}")
        self.setAccessibleName(f"Letter to {opened.child_name}")
        parts = [f"Version {letter.version}"]
        if letter.corrects_version:
            parts[0] += f" (a correction of version {letter.corrects_version})"
        if opened.deadlines.completed_on:
            parts.append(f"review completed {uk_date(opened.deadlines.completed_on)}")
        parts.append(f"written for {_reader(letter)}")
        self.subtitle.setText("  \u00b7  ".join(parts))

        self.versions.blockSignals(True)
        self.versions.clear()
        for v in reversed(opened.versions):
            self.versions.addItem(f"Version {v.version}: {short_status(v).split(' (')[0]}", v.id)
        self.versions.setCurrentIndex(max(0, self.versions.findData(letter.id)))
        self.versions.blockSignals(False)

        self.status_box.setText(status_words(letter))
        self.status_box.setStyleSheet(_STATUS_STYLE[letter.status] + " padding: 6px 10px;")
        self.deadlines.setText("\n".join(opened.deadlines.words))
        notes = [n.message for n in opened.notes] if letter.status.editable else []
        self.notes.setText("\n".join(["To check:", *(f"\u2022 {n}" for n in notes)]))
        self.notes.setVisible(bool(notes))
        self._show_problem(opened.problem)

        self._filling = True
        try:
            self.editor.setPlainText(letter.text)
        finally:
            self._filling = False
        self.large_print.blockSignals(True)
        self.large_print.setChecked(letter.large_print)
        self.large_print.blockSignals(False)
        self._set_actions(letter)
        self._show_distributions()
        self.saved_label.setText(
            f"Last saved {uk_date(letter.updated_at.date())} {letter.updated_at:%H:%M:%S}"
            if self.editable
            else "Read-only"
        )
        self.check_now()
        self._put_back_draft()

    def _show_problem(self, problem: str) -> None:
        self.problem.setText(
            f"This cannot go for sign-off yet: {problem}" if problem and self.editable else ""
        )
        self.problem.setVisible(bool(self.problem.text()))

    def _show_distributions(self) -> None:
        opened = self.opened
        rows = list(opened.distributions) if opened is not None else []
        self.sent.setRowCount(len(rows))
        for i, d in enumerate(rows):
            who = f"{d.recipient} ({d.role})" if d.role else d.recipient
            how = d.method.label.removeprefix("by ").capitalize()
            for j, text in enumerate((str(d.version), who, how, uk_date(d.sent_on))):
                item = QTableWidgetItem(text)
                if j == 1 and d.note:
                    item.setToolTip(d.note)
                self.sent.setItem(i, j, item)
        self.sent.resizeColumnsToContents()
        issued = self.letter is not None and self.letter.status is LetterStatus.ISSUED
        self.sent.setVisible(bool(rows))
        self.nobody_yet.setVisible(issued and not rows)
        self.sent_box.setVisible(bool(rows) or issued)

    def _version_chosen(self, index: int) -> None:
        version_id = self.versions.itemData(index)
        other = self.letter is None or version_id != self.letter.id
        if version_id and self.review_id and (other or self._save_blocked):
            if self.dirty:
                self.save_now()
            self.load(self.review_id, version_id=str(version_id))

    def on_changed(self, what: str) -> None:
        if self.review_id and what == f"letter:{self.review_id}" and not self.dirty:
            self.load(self.review_id)

    def _announce(self) -> None:
        self.changed.emit("letters")
        if self.opened is not None:
            self.changed.emit(f"child:{self.opened.child_id}")

    # --- typing, plain-language help, autosave -----------------------------------------------

    def _text_changed(self) -> None:
        if self._filling or not self.editable:
            return
        self.check_timer.start()
        if self._save_blocked:
            self.saved_label.setText("Not saved: your text is kept as a draft.")
            return
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()  # not restarted: saved within AUTOSAVE_MS of typing
        self.saved_label.setText("Saving...")

    def check_now(self) -> None:
        """Work the plain-language help out again for the text as it is now."""
        letter = self.letter
        if letter is None:
            return
        text = self.editor.toPlainText()
        report = letters.check_plain_language(text, letter.age_band)
        self.panel.show_report(report, text)
        self._advice_spans = [(a.kind, a.start, a.end) for a in self.panel.items(report)]
        self._chosen = None
        self._paint(text)

    def highlight(self, start: int, end: int, *, focus: bool) -> None:
        """Show the words of one piece of advice in the letter (and go there on `focus`)."""
        text = self.editor.toPlainText()
        if not (0 <= start <= end <= len(text)):
            return
        cursor = QTextCursor(self.editor.document())
        if focus:
            # Going there: the words are selected, so typing replaces them.
            cursor.setPosition(qt_position(text, start))
            cursor.setPosition(qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
        else:
            # Looking: the words are marked in yellow and the caret waits at their start.
            cursor.setPosition(qt_position(text, end))
            self.editor.setTextCursor(cursor)
            self.editor.ensureCursorVisible()
            cursor.setPosition(qt_position(text, start))
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self._chosen = (start, end)
        self._paint(text)
        if focus:
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def highlighted_text(self) -> str:
        """The words marked for the chosen advice ('' when none is chosen)."""
        if self._chosen is None:
            return ""
        start, end = self._chosen
        return self.editor.toPlainText()[start:end]

    def _paint(self, text: str) -> None:
        selections = []
        document = self.editor.document()
        for kind, start, end in self._advice_spans:
            if end > len(text):
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(qt_position(text, start))
            selection.cursor.setPosition(qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(_UNDERLINE[kind])
            selection.format = fmt
            selections.append(selection)
        if self._chosen is not None:
            start, end = self._chosen
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(qt_position(text, start))
            selection.cursor.setPosition(qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(_CHOSEN)
            fmt.setFontUnderline(True)
            selection.format = fmt
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def state(self) -> dict[str, Any]:
        return {"review_id": self.review_id} if self.review_id else {}

    def restore_state(self, state: dict[str, Any]) -> None:
        review_id = state.get("review_id")
        if isinstance(review_id, str) and self.review_id is None:
            self.review_id = review_id

    def clear_for_lock(self) -> None:
        self.autosave_timer.stop()
        self.check_timer.stop()
        self.opened = None
        self._saving = False
        self._filling = True
        try:
            self.editor.clear()
        finally:
            self._filling = False
        self.panel.clear()
        self.heading.setText("")
        self.subtitle.setText("")
        self.status_box.setText("")
        self.deadlines.setText("")
        self.notes.setText("")
        self.versions.clear()
        self.sent.setRowCount(0)
        self._advice_spans = []
        self._chosen = None
        self._set_actions(None)

    def focus_first(self) -> None:
        target = self.editor if self.editable else self.versions
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ----------------------------------------------------------------------------


def _reader(letter: LetterVersion) -> str:
    return reader_words(letter.age_band)
