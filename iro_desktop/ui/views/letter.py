"""The letter to the child: written from the record, edited with plain-language help beside
it, saved as the IRO types, previewed and saved as PDF, sent for a manager's sign-off, then
issued and its sending logged. Approved versions are read-only; a correction is a new version.

Opened with `navigator.show_page("letter", review_id)`. The first time a review's letter is
opened, version 1 is drafted from the record (services.letters.start_letter).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain.letter import format_date
from iro_desktop.domain.plain_language import AdviceKind
from iro_desktop.services import letters
from iro_desktop.services.letters import (
    LetterStatus,
    LetterVersion,
    OpenedLetter,
    RenderedPdf,
    SavedText,
)
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.plain_language_panel import PlainLanguagePanel, reader_words
from iro_desktop.ui.views.letter_forms import DistributionDialog, IssueDialog
from iro_desktop.ui.views.letter_preview import PageImage, PreviewDialog, page_images
from iro_desktop.ui.views.letter_words import short_status, status_words
from iro_desktop.ui.widgets import uk_date

# The letter reaches the store at most this long after the first unsaved keystroke.
AUTOSAVE_MS = 750
# Plain-language help is worked out again once typing pauses this long.
CHECK_MS = 350
DRAFT_PREFIX = "letter:"

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


def draft_key(version_id: str) -> str:
    return f"{DRAFT_PREFIX}{version_id}"


@dataclass(frozen=True)
class Loaded:
    opened: OpenedLetter
    created: bool  # version 1 was drafted from the record just now


@dataclass(frozen=True)
class Preview:
    rendered: RenderedPdf
    pages: list[PageImage]


def pdf_bytes(session: Any, review_id: str, version_id: str | None) -> tuple[bytes, RenderedPdf]:
    """The letter as PDF bytes, made in memory: nothing is written to disk."""
    out = io.BytesIO()
    rendered = letters.render_letter_pdf(session, review_id, out, version_id=version_id)
    return out.getvalue(), rendered


class LetterPage(Page):
    key = "letter"
    title = "Letter to the child"

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
        self._build()

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, accessible: str, slot: Any, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build(self) -> None:
        self.back_button = self._button(
            "\u2190 Back", "Back", lambda: self.ctx.navigator.back(), "Back (Alt+Left)"
        )
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.heading.setAccessibleName("Letter to")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setAccessibleName("Version, review and reader")
        self.versions = QComboBox()
        self.versions.setAccessibleName("Version of the letter")
        self.versions.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.versions.activated.connect(self._version_chosen)
        versions_label = QLabel("&Version:")
        versions_label.setBuddy(self.versions)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.heading)
        names.addWidget(self.subtitle)
        top.addLayout(names, 1)
        top.addWidget(versions_label)
        top.addWidget(self.versions)

        self.status_box = QLabel("")
        self.status_box.setWordWrap(True)
        self.status_box.setAccessibleName("Letter status")
        self.status_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_box.setContentsMargins(10, 6, 10, 6)
        self.deadlines = QLabel("")
        self.deadlines.setWordWrap(True)
        self.deadlines.setAccessibleName("Deadlines")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setObjectName("hint")
        self.notes.setAccessibleName("Things to check in the draft")
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setObjectName("error")
        self.problem.setAccessibleName("Problem with the letter's text")

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Letter text")
        self.editor.setAccessibleDescription(
            "The letter in its editable form: '# ' starts the title, '## ' a heading, '- ' a "
            "list item, and the lines after '---' are the sign-off."
        )
        self.editor.setTabChangesFocus(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.editor.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1)
        self.editor.setFont(font)
        self.editor.textChanged.connect(self._text_changed)
        self.editor_label = QLabel("")
        self.editor_label.setBuddy(self.editor)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.editor_label)
        left_layout.addWidget(self.editor, 1)

        self.panel = PlainLanguagePanel()
        self.panel.setMinimumWidth(280)
        self.panel.advice_chosen.connect(lambda a, b: self.highlight(a, b, focus=False))
        self.panel.advice_activated.connect(lambda a, b: self.highlight(a, b, focus=True))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([760, 320])

        self.preview_button = self._button(
            "&Preview PDF", "Preview PDF", self.preview, "See the PDF on screen (nothing saved)"
        )
        self.save_pdf_button = self._button(
            "Save as P&DF...", "Save as PDF", self.save_pdf, "Save the letter as PDF (Ctrl+Shift+S)"
        )
        self.record_button = self._button(
            "Save &record as PDF...",
            "Save the record of the review as PDF",
            self.save_record_pdf,
            "The professional record of the review, with the sign-off stamp once approved",
        )
        self.large_print = QCheckBox("Large pri&nt")
        self.large_print.setAccessibleName("Large print")
        self.large_print.setToolTip("Print this child's letter in large type")
        self.large_print.toggled.connect(self._large_print_toggled)
        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName("Saving")
        self.saved_label.setObjectName("hint")

        self.redraft_button = self._button(
            "Redraf&t from the record...",
            "Redraft from the record",
            self.redraft,
            "Write the letter again from the review as it is now (your edits are replaced)",
        )
        self.correct_button = self._button(
            "Make a c&orrection (new version)",
            "Make a correction (new version)",
            self.correct,
            "The approved letter stays as it was signed off; the correction is a new version",
        )
        self.issue_button = self._button(
            "&Issue...", "Issue the approved letter", self.issue, "Send out the approved letter"
        )
        self.distribution_button = self._button(
            "Add to distribution &log...",
            "Add to the distribution log",
            self.add_distribution,
            "Record who received the issued letter, how and when",
        )
        self.submit_button = self._button(
            "Su&bmit for sign-off",
            "Submit for sign-off",
            self.submit,
            "Send the letter to a manager to approve (Ctrl+Enter)",
        )
        self.submit_button.setDefault(False)

        row1 = QHBoxLayout()
        for w in (self.preview_button, self.save_pdf_button, self.record_button):
            row1.addWidget(w)
        row1.addSpacing(12)
        row1.addWidget(self.large_print)
        row1.addStretch(1)
        row1.addWidget(self.saved_label)
        row2 = QHBoxLayout()
        for w in (self.redraft_button, self.correct_button, self.issue_button):
            row2.addWidget(w)
        row2.addWidget(self.distribution_button)
        row2.addStretch(1)
        row2.addWidget(self.submit_button)

        self.sent = QTableWidget(0, 4)
        self.sent.setAccessibleName("Who the letter was sent to")
        self.sent.setHorizontalHeaderLabels(["Version", "Sent to", "How", "When"])
        self.sent.verticalHeader().setVisible(False)
        self.sent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sent.setTabKeyNavigation(False)
        self.sent.horizontalHeader().setStretchLastSection(True)
        self.sent.setMaximumHeight(120)
        sent_label = QLabel("&Who it was sent to:")
        sent_label.setBuddy(self.sent)
        self.sent_box = QWidget()
        sent_layout = QVBoxLayout(self.sent_box)
        sent_layout.setContentsMargins(0, 0, 0, 0)
        sent_layout.addWidget(sent_label)
        sent_layout.addWidget(self.sent)
        self.nobody_yet = QLabel(
            "Nobody is logged yet: use \u201cAdd to distribution log\u201d for each person "
            "who received the letter."
        )
        self.nobody_yet.setObjectName("hint")
        sent_layout.addWidget(self.nobody_yet)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.status_box)
        body.addWidget(self.deadlines)
        body.addWidget(self.notes)
        body.addWidget(self.problem)
        body.addWidget(self.splitter, 1)
        body.addLayout(row1)
        body.addLayout(row2)
        body.addWidget(self.sent_box)

        self.empty = QLabel("")
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("Why there is no letter")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(self.submit)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+S"), self)
        shortcut.setContext(context)
        shortcut.activated.connect(self.save_pdf)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_now)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_MS)
        self.check_timer.timeout.connect(self.check_now)

        self.setTabOrder(self.back_button, self.versions)
        self.setTabOrder(self.versions, self.editor)
        self.setTabOrder(self.editor, self.panel.list)
        self.setTabOrder(self.panel.list, self.preview_button)
        self._set_actions(None)

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


def _reader(letter: LetterVersion) -> str:
    return reader_words(letter.age_band)
