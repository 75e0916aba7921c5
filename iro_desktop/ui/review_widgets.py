"""Small pieces the review window is built from: a typed date field, the problem line shown
under a field, and the base class of the review's sections.

A date is typed, not picked: "23/11/2026", "23 Nov 2026", "2026-11-23" or "today" all work,
and an empty field means "not recorded" (QDateEdit cannot be empty).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain.review import Problem, Severity
from iro_desktop.ui.widgets import uk_date

if TYPE_CHECKING:
    from iro_desktop.ui.review_editor import ReviewEditor

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")

DATE_HINT = "Type a date such as 23/11/2026 or 23 Nov 2026 (or 'today')."


def parse_date(text: str, today: date, *, short_year: bool = True) -> date | None:
    """The date typed, day first as in the UK; None for an empty field.

    `short_year` False refuses "23/11/20" (while typing, that is on its way to 2026, not 2020).
    Raises ValueError (with the words to show) for text that is not a whole date.
    """
    value = text.strip().lower()
    if not value:
        return None
    if value in ("today", "t"):
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    parts: tuple[int, int, int] | None = None
    if m := _ISO.fullmatch(value):
        parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    elif (m := _NUMERIC.fullmatch(value)) and (short_year or len(m.group(3)) == 4):
        year = int(m.group(3))
        parts = (int(m.group(1)), int(m.group(2)), year + 2000 if year < 100 else year)
    elif (m := _WORDS.fullmatch(value)) and m.group(2) in _MONTHS:
        parts = (int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3)))
    if parts is None:
        raise ValueError(f"'{text.strip()}' is not a date. {DATE_HINT}")
    day, month, year = parts
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a real date. {DATE_HINT}") from None


class DateField(QLineEdit):
    """A date typed as text. `date_edited(value)` fires as soon as the text is a whole date
    (or empty); on leaving the field the text is shown back as "23 Nov 2026"."""

    date_edited = Signal(object)  # date | None
    problem_changed = Signal()  # the text became, or stopped being, something not a date

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._value: date | None = None
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("30 September 2026") + 24)
        self.setToolTip(DATE_HINT)
        self.problem = ""
        self._showing = False
        self.textChanged.connect(self._typed)
        self.editingFinished.connect(self._tidy)

    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show a value (programmatic: no signal)."""
        self._value = value
        had_problem, self.problem = bool(self.problem), ""
        self._show(uk_date(value))
        if had_problem:
            self.problem_changed.emit()

    def _show(self, text: str) -> None:
        self._showing = True
        try:
            self.setText(text)
        finally:
            self._showing = False

    def _typed(self, text: str) -> None:
        if self._showing:
            return
        self._take(text, short_year=False)

    def _take(self, text: str, *, short_year: bool) -> None:
        try:
            value = parse_date(text, self._today(), short_year=short_year)
        except ValueError as exc:
            self.problem = str(exc)
            return
        if self.problem:
            self.problem = ""
            self.problem_changed.emit()
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)

    def _tidy(self) -> None:
        if self.problem:
            self._take(self.text(), short_year=True)
        if self.problem:
            self.problem_changed.emit()
        elif self.text() != uk_date(self._value):
            self._show(uk_date(self._value))


# --- problems shown at the field -----------------------------------------------------------

SEVERITY_WORDS = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Check",
    Severity.ADVICE: "Advice",
}


_PLACES = (
    (re.compile(r"meetings\[(\d+)\]"), "meeting {}"),
    (re.compile(r"recommendations\[(\d+)\]"), "recommendation {}"),
    (re.compile(r"preparation\.invitees\[(\d+)\]"), "person {} on the list"),
    (re.compile(r"preparation\.child_contacts\[(\d+)\]"), "contact {} with the child"),
    (re.compile(r"topics\[(\d+)\]"), "topic {}"),
)


def where(path: str) -> str:
    """Which meeting, recommendation or person a problem is about, in words ("" if none)."""
    for pattern, words in _PLACES:
        if m := pattern.match(path):
            return words.format(int(m.group(1)) + 1)
    return ""


def problem_text(problems: Iterable[Problem], *, say_where: bool = False) -> str:
    lines = []
    for p in problems:
        place = where(p.field) if say_where else ""
        lead = f"{SEVERITY_WORDS[p.severity]} ({place})" if place else SEVERITY_WORDS[p.severity]
        lines.append(f"{lead}: {p.message}")
    return "\n".join(lines)


def path_matches(path: str, prefixes: Sequence[str]) -> bool:
    """'meetings[0].on' matches 'meetings[0]' and 'meetings[0].on', not 'meetings[01]'."""
    for prefix in prefixes:
        if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
            return True
    return False


class ProblemLabel(QLabel):
    """The problems with one field, in words under it ("Error: ...", "Check: ...").

    The field's accessible description carries the same words, so a screen reader says them
    when the field takes focus; the label is hidden when there is nothing to say.
    """

    def __init__(
        self, field: QWidget | None, paths: Sequence[str], what: str, *, say_where: bool = False
    ) -> None:
        super().__init__("")
        self.say_where = say_where
        self.field = field
        self.paths = list(paths)
        self.what = what
        self.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setObjectName("problem")
        self.setAccessibleName(f"Problem with {what}")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)
        self.extra = ""  # a message of the form's own (a date that is not a date)

    def sizeHint(self) -> QSize:  # noqa: N802
        # A wrapped label's own hint is for a narrow column (several lines); a form row then
        # keeps that height. Ask for the lines the text needs at the width it has.
        hint = super().sizeHint()
        width = self.width() if self.width() > hint.width() else hint.width()
        return QSize(hint.width(), self.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def show_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        mine = [p for p in problems if path_matches(p.field, self.paths)]
        text = "\n".join(t for t in (self.extra, problem_text(mine, say_where=self.say_where)) if t)
        worst = min((list(SEVERITY_WORDS).index(p.severity) for p in mine), default=3)
        self.setProperty("severity", ["error", "warning", "advice", "none"][worst])
        self.setStyleSheet(
            "color: #a4262c;" if worst == 0 and mine else "color: #8a4b00;" if mine else ""
        )
        if self.extra and not mine:
            self.setStyleSheet("color: #a4262c;")
        if text:
            self.setText(text)
            self.setVisible(True)
        elif not self.isHidden() and self.text():
            # Put right: the words go but their room stays while this record is open, so the
            # field below does not move under the pointer (a click lands where it was aimed).
            self.setMinimumHeight(max(self.minimumHeight(), self.height()))
            self.setText("")
        self.setAccessibleDescription(text)
        if self.field is not None:
            self.field.setAccessibleDescription(text)
        return mine

    def release_space(self) -> None:
        """Another record is shown: an empty line takes no room any more."""
        self.setMinimumHeight(0)
        if not self.text():
            self.setVisible(False)

    def showing(self) -> bool:
        """Whether it says something now (an empty one may keep its room)."""
        return not self.isHidden() and bool(self.text())


class ChoiceBox(QComboBox):
    """A drop-down list of (words, value) whose value comes back as given: Qt would turn an
    enum that is also a str into a plain str, and None into nothing."""

    def __init__(self, items: Iterable[tuple[str, object]]) -> None:
        super().__init__()
        self.values: list[object] = []
        for text, value in items:
            self.addItem(text)
            self.values.append(value)

    def value(self) -> object:
        index = self.currentIndex()
        return self.values[index] if 0 <= index < len(self.values) else None

    def set_value(self, value: object) -> None:
        """Show `value` (the first choice when it is not one of them)."""
        index = next(
            (i for i, v in enumerate(self.values) if v == value and type(v) is type(value)), -1
        )
        if index < 0:
            index = next((i for i, v in enumerate(self.values) if v == value), 0)
        self.setCurrentIndex(index)


def combo(accessible: str, items: Iterable[tuple[str, object]]) -> ChoiceBox:
    box = ChoiceBox(items)
    # Long choices (the PN codes' meanings) must not widen the form past the window.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(28)
    box.setAccessibleName(accessible)
    return box


def set_combo(box: ChoiceBox, value: object) -> None:
    box.set_value(value)


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons side by side at their own width (a form would stretch a lone button)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def labelled(form: QFormLayout, text: str, field: QWidget, accessible: str) -> QLabel:
    """A form row: the caption is the field's buddy (for its & mnemonic)."""
    caption = QLabel(text)
    caption.setBuddy(field)
    caption.setWordWrap(True)
    field.setAccessibleName(accessible)
    form.addRow(caption, field)
    return caption


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class Section(QScrollArea):
    """One part of the review record (Prepare, Meetings, ...), scrolled when long.

    Subclasses build their widgets in `body`, fill them from the editor's draft in `fill()`
    (with `self.filling` set so their change signals do not write back), name the record
    paths they show with `owns`, and put each field's problems under it with `problem()`.
    Problems of theirs that no field shows go in the section's own list at the top.
    """

    title = ""
    owns: tuple[str, ...] = ()
    # Fields of the record (Review attribute names) whose change means `fill()` again.
    fields: tuple[str, ...] = ()

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.filling = False
        self.problem_labels: list[ProblemLabel] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.title.replace("&", ""))
        inner = QWidget()
        inner.setObjectName("section")
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(4, 4, 12, 12)
        heading = QLabel(self.title.replace("&", ""))
        heading.setObjectName("sectionHeading")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.column.addWidget(heading)
        self.others = ProblemLabel(None, self.owns, self.title.replace("&", ""), say_where=True)
        self.column.addWidget(self.others)
        self.setWidget(inner)

    def problem(self, field: QWidget | None, paths: Sequence[str], what: str) -> ProblemLabel:
        label = ProblemLabel(field, paths, what)
        self.problem_labels.append(label)
        if isinstance(field, DateField):
            date_field = field

            def typed() -> None:
                label.extra = date_field.problem
                self.show_problems(self.editor.problems)

            field.problem_changed.connect(typed)
        return label

    # --- what subclasses provide ----------------------------------------------------------

    def fill(self) -> None:
        """Show the editor's draft."""

    def first_field(self) -> QWidget | None:
        return None

    # --- shared ------------------------------------------------------------------------------

    def refill(self) -> None:
        self.filling = True
        try:
            self.fill()
        finally:
            self.filling = False
        self.show_problems(self.editor.problems)

    def show_problems(self, problems: Sequence[Problem]) -> int:
        """Show this section's problems; returns how many there are."""
        mine = [p for p in problems if path_matches(p.field, self.owns)]
        shown: set[int] = set()
        for label in self.problem_labels:
            for p in label.show_problems(mine):
                shown.add(id(p))
        self.others.show_problems([p for p in mine if id(p) not in shown])
        return len(mine)

    def release_space(self) -> None:
        for label in (*self.problem_labels, self.others):
            label.release_space()

    def focus_problem(self) -> bool:
        """Focus the field of the first problem shown in this section (scrolled into view);
        False when no field shows one."""
        rank = {"warning": 1, "advice": 2}  # errors (and a typed date that is not one) first
        showing = [label for label in self.problem_labels if label.showing()]
        # The worst first (an error before a check before advice), then in reading order.
        showing.sort(key=lambda label: rank.get(str(label.property("severity")), 0))
        for label in showing:
            field = label.field
            if field is None or not field.isEnabled() or field.isHidden():
                continue
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.ensureWidgetVisible(field)
            self.ensureWidgetVisible(label)
            return True
        if self.others.showing():
            self.focus_first()
            self.ensureWidgetVisible(self.others)
            return True
        return False

    def focus_first(self) -> None:
        field = self.first_field()
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.ensureWidgetVisible(field)
