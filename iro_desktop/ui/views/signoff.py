"""Sign-off: a manager's inbox of letters submitted by IROs, the longest-waiting first.

The manager reads one exactly as the child will (the letter's PDF pages, drawn on screen, never
the markup it is written in), with the professional record of the review beside it (its PDF
pages, or a summary), writes a comment, and approves it (the exact text is frozen: approver,
time and content hash are kept and printed on the letter) or returns it to the IRO with the
comment. The comment and the Approve and Return buttons stay in view below the pages at any
window size from 1280x800 up. Everything works from the keyboard: the inbox takes arrows and
Enter, Tab reaches the pages, the record, the comment and the buttons.

Everyone can open the page; only a manager's login sees the inbox.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import codes
from iro_desktop.domain import review as rv
from iro_desktop.domain.letter import format_date
from iro_desktop.domain.review import RecommendationStatus, Review
from iro_desktop.services import signoff
from iro_desktop.services.letters import LetterVersion, OpenedLetter
from iro_desktop.services.signoff import InboxItem
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.plain_language_panel import score_words
from iro_desktop.ui.qt_models import Column, ColumnTableModel
from iro_desktop.ui.views.letter_preview import PageImage, PagesView, page_images, page_text
from iro_desktop.ui.views.letter_words import sentence, stamp_words, when
from iro_desktop.ui.widgets import read_only_table, uk_date

NOT_A_MANAGER = "Sign-off is for managers; log in as a manager to approve."
LETTER_WIDTH_PX = 900  # drawn sharp, then scaled to the width of the view
RECORD_WIDTH_PX = 900


def _waiting(item: InboxItem) -> str:
    days = item.waiting_working_days
    if days == 0:
        return "Since today"
    return f"{days} working day{'s' if days != 1 else ''}"


INBOX_COLUMNS: list[Column[InboxItem]] = [
    Column("Child", lambda i: i.child_name, width_chars=22),
    Column(
        "Version",
        lambda i: (
            str(i.version) + (f" (corrects {i.corrects_version})" if i.corrects_version else "")
        ),
        sort_key=lambda i: i.version,
        width_chars=9,
    ),
    Column("Written by", lambda i: i.written_by, width_chars=16),
    Column(
        "Submitted",
        lambda i: uk_date(i.submitted_at.date()),
        sort_key=lambda i: i.submitted_at.timestamp(),
        width_chars=12,
    ),
    Column(
        "Waiting",
        _waiting,
        sort_key=lambda i: i.waiting_working_days,
        width_chars=12,
    ),
    Column(
        "Letter deadline",
        lambda i: sentence(i.deadline.words.removeprefix("Letter to the child ")),
        tooltip=lambda i: i.deadline.words,
        tone=lambda i: "alert" if i.deadline.late else None,
        width_chars=36,
    ),
]


def record_summary(review: Review) -> str:
    """The record of the review in a few lines, for the manager reading the letter."""
    lines = []
    held = rv.held_meetings(review)
    if held:
        meetings = "; ".join(
            format_date(m.on) + (f" at {m.venue.strip()}" if m.venue.strip() else "") for m in held
        )
        noun = "Meeting" if len(held) == 1 else f"{len(held)} meetings"
        lines.append(f"{noun}: {meetings}.")
    completed = rv.completion_date(review)
    lines.append(
        f"Completed {format_date(completed)}." if completed else "Not marked complete yet."
    )
    code = review.participation_code
    if code:
        lines.append(f"Participation: {code}, {codes.PARTICIPATION_CODES.get(code, '')}.")
    view = review.plan_view
    if view.endorsed is not None:
        lines.append(
            "The IRO endorsed the plan." if view.endorsed else "The IRO did not endorse the plan."
        )
    if view.view.strip():
        lines.append(f"IRO's view: {' '.join(view.view.split())}")
    live = [r for r in review.recommendations if r.status is not RecommendationStatus.DROPPED]
    if live:
        lines.append(f"Recommendations ({len(live)}):")
        for r in live:
            due = f", by {uk_date(r.due_on)}" if r.due_on else ""
            lines.append(f"\u2022 {' '.join(r.action.split())} ({r.owner}{due})")
    return "\n".join(lines)


@dataclass(frozen=True)
class ForSignoff:
    opened: OpenedLetter
    summary: str
    letter_pdf: bytes = b""
    letter_pages: list[PageImage] = field(default_factory=list)
    letter_words: str = ""  # what the pages say, for screen readers
    letter_problem: str = ""  # why the letter could not be drawn, if it could not
    record_pages: list[PageImage] = field(default_factory=list)
    record_problem: str = ""


def read_letter_for_signoff(session: Any, item: InboxItem) -> ForSignoff:
    """Worker side: the letter and the record as the manager will read them, drawn as pages."""
    from iro_desktop.services import letters, reviews

    opened = signoff.read_for_signoff(session, item.version_id)
    try:
        summary = record_summary(reviews.get_review(session, item.review_id).review)
    except ValueError as exc:
        summary = f"The record of the review could not be read: {exc}"
    letter_pdf, letter_pages, words, letter_problem = b"", [], "", ""
    try:
        out = io.BytesIO()
        letters.render_letter_pdf(session, item.review_id, out, version_id=item.version_id)
        letter_pdf = out.getvalue()
        letter_pages = page_images(letter_pdf, width_px=LETTER_WIDTH_PX)
        words = page_text(letter_pdf)
    except ValueError as exc:
        letter_problem = f"The letter could not be drawn: {exc}"
    record_pages: list[PageImage] = []
    record_problem = ""
    try:
        out = io.BytesIO()
        letters.render_record_pdf(session, item.review_id, out)
        record_pages = page_images(out.getvalue(), width_px=RECORD_WIDTH_PX)
    except ValueError as exc:
        record_problem = f"The record could not be drawn: {exc}"
    return ForSignoff(
        opened,
        summary,
        letter_pdf,
        letter_pages,
        words,
        letter_problem,
        record_pages,
        record_problem,
    )


class InboxTable(QTableView):
    def __init__(self, page: SignoffPage) -> None:
        super().__init__()
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._page.open_current(focus=True)
            event.accept()
            return
        super().keyPressEvent(event)


class SignoffPage(Page):
    key = "signoff"
    title = "Sign-off"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.is_manager: bool | None = None
        self.loaded = False
        self.current: ForSignoff | None = None
        self.last_decision: LetterVersion | None = None
        self.model: ColumnTableModel[InboxItem] = ColumnTableModel(INBOX_COLUMNS, self)

        heading = QLabel("Sign-off")
        heading.setObjectName("pageHeading")
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("About sign-off")

        self.inbox = read_only_table("Letters waiting for sign-off", InboxTable(self))
        self.inbox.setModel(self.model)
        header = self.inbox.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for i, column in enumerate(INBOX_COLUMNS[:-1]):
            header.resizeSection(i, column.width(char))
        header.setStretchLastSection(True)
        self.inbox.doubleClicked.connect(lambda _i: self.open_current(focus=True))
        self.inbox.selectionModel().currentRowChanged.connect(
            lambda _now, _before: self.open_current(focus=False)
        )
        inbox_label = QLabel("&Waiting for sign-off (oldest first):")
        inbox_label.setBuddy(self.inbox)
        self.count = QLabel("")
        self.count.setObjectName("hint")
        self.count.setAccessibleName("How many letters are waiting")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(inbox_label)
        top_layout.addWidget(self.inbox, 1)
        top_layout.addWidget(self.count)

        self.letter_heading = QLabel("Choose a letter from the list to read it.")
        self.letter_heading.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.letter_heading.setAccessibleName("Letter being read")
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Deadlines and reading ease")
        self.letter_view = PagesView("The letter, as the child will see it")
        letter_label = QLabel("The &letter, as the child will see it:")
        letter_label.setBuddy(self.letter_view)
        self.record_view = PagesView("The record of the review")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setObjectName("facts")
        self.summary.setContentsMargins(10, 6, 10, 6)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Summary of the record of the review")
        self.history = QLabel("")
        self.history.setWordWrap(True)
        self.history.setObjectName("hint")
        self.history.setAccessibleName("Earlier comments")
        notes = QWidget()
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.summary)
        notes_layout.addWidget(self.history)
        notes_layout.addStretch(1)
        notes_scroll = QScrollArea()
        notes_scroll.setWidget(notes)
        notes_scroll.setWidgetResizable(True)
        notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        notes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.record_tabs = QTabWidget()
        self.record_tabs.setAccessibleName("The professional record")
        self.record_tabs.addTab(self.record_view, "Recor&d of the review")
        self.record_tabs.addTab(notes_scroll, "S&ummary and comments")

        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(
            "What should change (needed to return it); optional when approving."
        )
        self.comment.setFixedHeight(max(52, self.fontMetrics().lineSpacing() * 3))
        self.comment.setAccessibleName("Comment for the IRO")
        comment_label = QLabel("&Comment:")
        comment_label.setBuddy(self.comment)
        self.approve_button = QPushButton("&Approve")
        self.approve_button.setAccessibleName("Approve this letter")
        self.approve_button.setToolTip("Approve exactly this text for issue; it is then frozen")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton("&Return with comment")
        self.return_button.setAccessibleName("Return to the IRO with the comment")
        self.return_button.clicked.connect(self.return_letter)
        self.stamp = QLabel("")
        self.stamp.setWordWrap(True)
        self.stamp.setAccessibleName("Sign-off stamp")
        self.stamp.setStyleSheet(
            "background: #e8f5e9; border: 1px solid #7cb987; padding: 6px 10px; font-weight: 600;"
        )
        self.stamp.setVisible(False)

        letter_side = QWidget()
        left = QVBoxLayout(letter_side)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(letter_label)
        left.addWidget(self.letter_view, 1)
        self.reading = QSplitter(Qt.Orientation.Horizontal)
        self.reading.addWidget(letter_side)
        self.reading.addWidget(self.record_tabs)
        self.reading.setStretchFactor(0, 1)
        self.reading.setStretchFactor(1, 1)
        self.reading.setChildrenCollapsible(False)
        self.reading.setSizes([600, 480])  # the letter a little wider: it is what is signed
        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.letter_heading)
        reader_layout.addWidget(self.facts)
        reader_layout.addWidget(self.stamp)
        reader_layout.addWidget(self.reading, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(reader)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([130, 620])

        # The decision sits below the splitter, not inside it: however the panes are dragged
        # or the window sized, the buttons stay on screen.
        self.decision = QWidget()
        self.decision.setAccessibleName("Your decision")
        decision = QHBoxLayout(self.decision)
        decision.setContentsMargins(0, 4, 0, 0)
        decision.addWidget(comment_label, 0, Qt.AlignmentFlag.AlignTop)
        decision.addWidget(self.comment, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        decision.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.decision)
        self.filler = QWidget()  # keeps the heading at the top when there is no inbox
        layout.addWidget(self.filler, 1)
        self.heading = heading

        self.setTabOrder(self.inbox, self.letter_view)
        self.setTabOrder(self.letter_view, self.record_tabs)
        self.setTabOrder(self.record_tabs, self.comment)
        self.setTabOrder(self.comment, self.approve_button)
        self.setTabOrder(self.approve_button, self.return_button)
        self._show_reader(None)
        self.splitter.setVisible(False)
        self.decision.setVisible(False)
        self.filler.setVisible(True)

    # --- loading --------------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        session = self.ctx.session()
        self.intro.setText("Loading...")

        def work() -> list[InboxItem] | None:
            if not session.is_manager:
                return None
            return signoff.inbox(session)

        def failed(exc: BaseException) -> None:
            self.intro.setText("The sign-off inbox could not be loaded.")
            self.report(exc)

        self.ctx.tasks.run(work, self._loaded, failed, label="sign-off inbox")

    def _loaded(self, items: list[InboxItem] | None) -> None:
        self.loaded = True
        self.is_manager = items is not None
        self.splitter.setVisible(items is not None)
        self.decision.setVisible(items is not None)
        self.filler.setVisible(items is None)
        if items is None:
            self.intro.setText(NOT_A_MANAGER)
            self.model.clear()
            return
        self.intro.setText(
            "Read each letter with the record it was written from, then approve it or return "
            "it to the IRO with a comment. Approval freezes the exact text."
        )
        keep = self.current.opened.letter.id if self.current is not None else None
        self.model.set_rows(items)
        n = len(items)
        self.heading.setText(f"Sign-off: {n} waiting" if n else "Sign-off")
        self.count.setText(
            f"{n} letter{'s' if n != 1 else ''} waiting."
            if n
            else "Nothing is waiting for sign-off."
        )
        rows = [i for i, item in enumerate(items) if item.version_id == keep]
        if rows:
            self._select(rows[0])
        elif self.current is not None and self.last_decision is None:
            self._show_reader(None)

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.inbox.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def on_changed(self, what: str) -> None:
        if self.loaded and what == "letters":
            self.reload()

    def focus_first(self) -> None:
        if self.is_manager:
            self.inbox.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.model.rowCount() and not self.inbox.selectionModel().hasSelection():
                self._select(0)

    def clear_for_lock(self) -> None:
        self.loaded = False
        self.is_manager = None
        self.model.clear()
        self._show_reader(None)
        self.intro.setText("")
        self.heading.setText("Sign-off")
        self.splitter.setVisible(False)
        self.decision.setVisible(False)

    # --- reading one letter ---------------------------------------------------------------------

    def open_current(self, *, focus: bool) -> None:
        index = self.inbox.selectionModel().currentIndex()
        if not index.isValid():
            return
        item = self.model.row_at(index.row())
        if self.current is not None and self.current.opened.letter.id == item.version_id:
            if focus:
                self.letter_view.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        session = self.ctx.session()

        def done(found: ForSignoff) -> None:
            self.last_decision = None
            self._show_reader(found)
            if focus:
                self.letter_view.setFocus(Qt.FocusReason.OtherFocusReason)

        self.letter_view.show_message("Drawing the letter...")
        self.ctx.tasks.run(
            lambda: read_letter_for_signoff(session, item),
            done,
            self.report,
            label="read letter for sign-off",
        )

    def _show_reader(self, found: ForSignoff | None) -> None:
        self.current = found
        self.stamp.setVisible(False)
        if found is None:
            self.letter_heading.setText("Choose a letter from the list to read it.")
            for label in (self.facts, self.summary, self.history):
                label.setText("")
            self.summary.setVisible(False)
            self.history.setVisible(False)
            self.letter_view.show_message("")
            self.record_view.show_message("")
            self.comment.clear()
            self._enable(False)
            return
        opened = found.opened
        letter = opened.letter
        correction = (
            f", a correction of version {letter.corrects_version}"
            if letter.corrects_version
            else ""
        )
        self.letter_heading.setText(
            f"Letter to {opened.child_name}: version {letter.version}{correction}"
        )
        facts = [*opened.deadlines.words, score_words(opened.plain_language)]
        if opened.problem:
            facts.append(f"Problem: {opened.problem}")
        self.facts.setText(" \u00b7 ".join(f.rstrip(".") for f in facts if f))
        self.summary.setText(found.summary)
        self.summary.setVisible(bool(found.summary))
        if found.letter_pages:
            self.letter_view.show_pages(found.letter_pages, found.letter_words)
        else:
            self.letter_view.show_message(found.letter_problem)
        if found.record_pages:
            self.record_view.show_pages(found.record_pages)
        else:
            self.record_view.show_message(found.record_problem)
        earlier = [c for c in letter.comments if c.text.strip()]
        self.history.setText(
            "\n".join(
                ["Earlier comments:"]
                + [f"{c.by_name or c.by}, {when(c.at)}: \u201c{c.text}\u201d" for c in earlier]
            )
            if earlier
            else ""
        )
        self.history.setVisible(bool(earlier))
        self.comment.clear()
        self._enable(letter.status.value == "submitted")

    def _enable(self, on: bool) -> None:
        for widget in (self.comment, self.approve_button, self.return_button):
            widget.setEnabled(on)

    # --- deciding -----------------------------------------------------------------------------

    def approve(self) -> None:
        found = self.current
        if found is None:
            return
        letter = found.opened.letter
        if not dialogs.confirm(
            self,
            "Approve this letter?",
            f"Approve version {letter.version} of the letter to {found.opened.child_name}? "
            "Its text is frozen from now on: your name, the time and the text's reference are "
            "printed on it, and any correction becomes a new version.",
            yes_label="&Approve",
        ):
            return
        session = self.ctx.session()
        words = self.comment.toPlainText()

        def work() -> LetterVersion:
            return signoff.approve(
                session,
                letter.id,
                comment=words,
                expected_hash=letter.content_hash,
                expected_edit=letter.edit,
            )

        self.ctx.tasks.run(work, self._decided, self._refused, label="approve letter")

    def return_letter(self) -> None:
        found = self.current
        if found is None:
            return
        words = self.comment.toPlainText().strip()
        if not words:
            dialogs.warning(
                self,
                "Say what needs to change",
                "Write a comment for the IRO first, so they know why the letter came back.",
            )
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        letter = found.opened.letter
        session = self.ctx.session()

        def work() -> LetterVersion:
            return signoff.return_letter(session, letter.id, words, expected_edit=letter.edit)

        self.ctx.tasks.run(work, self._decided, self._refused, label="return letter")

    def _decided(self, version: LetterVersion) -> None:
        self.last_decision = version
        self._enable(False)
        if version.signoff is not None:
            self.stamp.setText(stamp_words(version))
            self.ctx.status(f"Version {version.version} approved.")
        else:
            self.stamp.setText(
                f"Returned to the IRO with your comment (version {version.version})."
            )
            self.ctx.status(f"Version {version.version} returned to the IRO.")
        self.stamp.setVisible(True)
        self.changed.emit("letters")  # the window passes it back here: the inbox reloads
        self.changed.emit(f"letter:{version.review_id}")
        self.inbox.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValueError | LookupError):
            dialogs.error(self, "That could not be done", str(exc))
            self.current = None
            self.reload()
        else:
            self.report(exc)

    def state(self) -> dict[str, Any]:
        return {}
