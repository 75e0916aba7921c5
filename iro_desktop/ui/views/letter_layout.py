"""The letter page's widgets: header, editor beside the plain-language help, the action
buttons, the distribution log, keyboard shortcuts and the autosave and checking timers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
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
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.plain_language_panel import PlainLanguagePanel

if TYPE_CHECKING:
    from iro_desktop.ui.views.letter import LetterPage

# The letter reaches the store at most this long after the first unsaved keystroke.
AUTOSAVE_MS = 750
# Plain-language help is worked out again once typing pauses this long.
CHECK_MS = 350


def _button(text: str, accessible: str, slot: Any, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def build_letter_page(page: LetterPage) -> None:
    """Make the page's widgets as attributes of `page` and connect them to its methods."""
    page.back_button = _button(
        "\u2190 Back", "Back", lambda: page.ctx.navigator.back(), "Back (Alt+Left)"
    )
    page.heading = QLabel("")
    page.heading.setObjectName("pageHeading")
    page.heading.setAccessibleName("Letter to")
    page.subtitle = QLabel("")
    page.subtitle.setObjectName("subtitle")
    page.subtitle.setAccessibleName("Version, review and reader")
    page.versions = QComboBox()
    page.versions.setAccessibleName("Version of the letter")
    page.versions.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    page.versions.activated.connect(page._version_chosen)
    versions_label = QLabel("&Version:")
    versions_label.setBuddy(page.versions)

    top = QHBoxLayout()
    top.addWidget(page.back_button)
    top.addSpacing(12)
    names = QVBoxLayout()
    names.setSpacing(0)
    names.addWidget(page.heading)
    names.addWidget(page.subtitle)
    top.addLayout(names, 1)
    top.addWidget(versions_label)
    top.addWidget(page.versions)

    page.status_box = QLabel("")
    page.status_box.setWordWrap(True)
    page.status_box.setAccessibleName("Letter status")
    page.status_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    page.status_box.setContentsMargins(10, 6, 10, 6)
    page.deadlines = QLabel("")
    page.deadlines.setWordWrap(True)
    page.deadlines.setAccessibleName("Deadlines")
    page.notes = QLabel("")
    page.notes.setWordWrap(True)
    page.notes.setObjectName("hint")
    page.notes.setAccessibleName("Things to check in the draft")
    page.problem = QLabel("")
    page.problem.setWordWrap(True)
    page.problem.setObjectName("error")
    page.problem.setAccessibleName("Problem with the letter's text")

    page.editor = QPlainTextEdit()
    page.editor.setAccessibleName("Letter text")
    page.editor.setAccessibleDescription(
        "The letter in its editable form: '# ' starts the title, '## ' a heading, '- ' a "
        "list item, and the lines after '---' are the sign-off."
    )
    page.editor.setTabChangesFocus(True)
    page.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    font = page.editor.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1)
    page.editor.setFont(font)
    page.editor.textChanged.connect(page._text_changed)
    page.editor_label = QLabel("")
    page.editor_label.setBuddy(page.editor)
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(page.editor_label)
    left_layout.addWidget(page.editor, 1)

    page.panel = PlainLanguagePanel()
    page.panel.setMinimumWidth(280)
    page.panel.advice_chosen.connect(lambda a, b: page.highlight(a, b, focus=False))
    page.panel.advice_activated.connect(lambda a, b: page.highlight(a, b, focus=True))
    page.splitter = QSplitter(Qt.Orientation.Horizontal)
    page.splitter.addWidget(left)
    page.splitter.addWidget(page.panel)
    page.splitter.setStretchFactor(0, 3)
    page.splitter.setStretchFactor(1, 1)
    page.splitter.setChildrenCollapsible(False)
    page.splitter.setSizes([760, 320])

    page.preview_button = _button(
        "&Preview PDF", "Preview PDF", page.preview, "See the PDF on screen (nothing saved)"
    )
    page.save_pdf_button = _button(
        "Save as P&DF...", "Save as PDF", page.save_pdf, "Save the letter as PDF (Ctrl+Shift+S)"
    )
    page.record_button = _button(
        "Save &record as PDF...",
        "Save the record of the review as PDF",
        page.save_record_pdf,
        "The professional record of the review, with the sign-off stamp once approved",
    )
    page.large_print = QCheckBox("Large pri&nt")
    page.large_print.setAccessibleName("Large print")
    page.large_print.setToolTip("Print this child's letter in large type")
    page.large_print.toggled.connect(page._large_print_toggled)
    page.saved_label = QLabel("")
    page.saved_label.setAccessibleName("Saving")
    page.saved_label.setObjectName("hint")

    page.redraft_button = _button(
        "Redraf&t from the record...",
        "Redraft from the record",
        page.redraft,
        "Write the letter again from the review as it is now (your edits are replaced)",
    )
    page.correct_button = _button(
        "Make a c&orrection (new version)",
        "Make a correction (new version)",
        page.correct,
        "The approved letter stays as it was signed off; the correction is a new version",
    )
    page.issue_button = _button(
        "&Issue...", "Issue the approved letter", page.issue, "Send out the approved letter"
    )
    page.distribution_button = _button(
        "Add to distribution &log...",
        "Add to the distribution log",
        page.add_distribution,
        "Record who received the issued letter, how and when",
    )
    page.submit_button = _button(
        "Su&bmit for sign-off",
        "Submit for sign-off",
        page.submit,
        "Send the letter to a manager to approve (Ctrl+Enter)",
    )
    page.submit_button.setDefault(False)

    row1 = QHBoxLayout()
    for w in (page.preview_button, page.save_pdf_button, page.record_button):
        row1.addWidget(w)
    row1.addSpacing(12)
    row1.addWidget(page.large_print)
    row1.addStretch(1)
    row1.addWidget(page.saved_label)
    row2 = QHBoxLayout()
    for w in (page.redraft_button, page.correct_button, page.issue_button):
        row2.addWidget(w)
    row2.addWidget(page.distribution_button)
    row2.addStretch(1)
    row2.addWidget(page.submit_button)

    page.sent = QTableWidget(0, 4)
    page.sent.setAccessibleName("Who the letter was sent to")
    page.sent.setHorizontalHeaderLabels(["Version", "Sent to", "How", "When"])
    page.sent.verticalHeader().setVisible(False)
    page.sent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    page.sent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    page.sent.setTabKeyNavigation(False)
    page.sent.horizontalHeader().setStretchLastSection(True)
    page.sent.setMaximumHeight(120)
    sent_label = QLabel("&Who it was sent to:")
    sent_label.setBuddy(page.sent)
    page.sent_box = QWidget()
    sent_layout = QVBoxLayout(page.sent_box)
    sent_layout.setContentsMargins(0, 0, 0, 0)
    sent_layout.addWidget(sent_label)
    sent_layout.addWidget(page.sent)
    page.nobody_yet = QLabel(
        "Nobody is logged yet: use \u201cAdd to distribution log\u201d for each person "
        "who received the letter."
    )
    page.nobody_yet.setObjectName("hint")
    sent_layout.addWidget(page.nobody_yet)

    page.body = QWidget()
    body = QVBoxLayout(page.body)
    body.setContentsMargins(0, 0, 0, 0)
    body.addWidget(page.status_box)
    body.addWidget(page.deadlines)
    body.addWidget(page.notes)
    body.addWidget(page.problem)
    body.addWidget(page.splitter, 1)
    body.addLayout(row1)
    body.addLayout(row2)
    body.addWidget(page.sent_box)

    page.empty = QLabel("")
    page.empty.setWordWrap(True)
    page.empty.setAccessibleName("Why there is no letter")
    page.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    page.empty.setVisible(False)

    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 12, 16, 8)
    layout.addLayout(top)
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    layout.addWidget(line)
    layout.addWidget(page.empty)
    layout.addWidget(page.body, 1)

    context = Qt.ShortcutContext.WidgetWithChildrenShortcut
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), page)
        shortcut.setContext(context)
        shortcut.activated.connect(page.submit)
    shortcut = QShortcut(QKeySequence("Ctrl+Shift+S"), page)
    shortcut.setContext(context)
    shortcut.activated.connect(page.save_pdf)

    page.autosave_timer = QTimer(page)
    page.autosave_timer.setSingleShot(True)
    page.autosave_timer.setInterval(AUTOSAVE_MS)
    page.autosave_timer.timeout.connect(page.save_now)
    page.check_timer = QTimer(page)
    page.check_timer.setSingleShot(True)
    page.check_timer.setInterval(CHECK_MS)
    page.check_timer.timeout.connect(page.check_now)

    page.setTabOrder(page.back_button, page.versions)
    page.setTabOrder(page.versions, page.editor)
    page.setTabOrder(page.editor, page.panel.list)
    page.setTabOrder(page.panel.list, page.preview_button)
    page._set_actions(None)


# --- what is shown ----------------------------------------------------------------------
