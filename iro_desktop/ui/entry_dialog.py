"""The base of every form that enters or changes a child's record.

A form stays open while its change is saved, so a refusal (the DfE rule, in words) is shown
beside the field it is about and nothing typed is lost. Save is enabled only when the
required fields are there and nothing shown is wrong; the line above the buttons says what is
still needed. Ctrl+Z / Ctrl+Shift+Z undo and redo across the whole form (a run of typing in
one field is one step). Esc asks before throwing away what was typed; the lock closes the form
without asking and its owner keeps the values as a draft (see EntryKeeper).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs
from iro_desktop.ui.entry import DateField, MessageLabel, add_field, set_value_of, value_of
from iro_desktop.ui.entry_history import FormHistory


def breach_text(breach: Any) -> str:
    """A refusal in words, with the DfE rule (or the law) it comes from when there is one."""
    rule = str(getattr(breach, "rule", ""))
    message = str(getattr(breach, "message", breach))
    return message if rule in ("", "check") else str(breach)


@dataclass
class Field:
    name: str
    widget: QWidget
    message: MessageLabel
    caption: QLabel
    needed: str  # words for "Still needed: ..." ('' when optional)


class EntryDialog(QDialog):
    """A form for one change. The owner connects `submitted(values)` and answers with
    `saved()` (the form closes) or `refused(exc)` (it stays, each breach beside its field)."""

    submitted = Signal(dict)
    kind = ""
    # Refusals name the service's fields; where this form calls a field something else.
    aliases: dict[str, str] = {}
    # A form that changes what is there (edit, correct) saves only once something changed.
    needs_change = False

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(520)  # room for the introduction to read as a paragraph
        self.history = FormHistory(self)
        self.history.changed.connect(self._field_changed)
        self.history.left.connect(self._field_left)
        self.fields: dict[str, Field] = {}
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.general = MessageLabel()
        self.general.setAccessibleName("Problem")
        self.needed_label = QLabel("")
        self.needed_label.setObjectName("hint")
        self.needed_label.setWordWrap(True)
        self.needed_label.setAccessibleName("What is still needed")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Close without saving (Esc)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo the last change in this form (Ctrl+Z)")
        self.undo_button.setAccessibleName("Undo the last change in this form")
        self.undo_button.setAutoDefault(False)
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.undo_button.clicked.connect(self.history.undo)
        self.buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.try_submit)
        self.buttons.rejected.connect(self.reject)
        # The fields scroll if messages make the form taller than the screen.
        self.content = QWidget()
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.general)
        layout.addWidget(self.needed_label)
        layout.addWidget(self.buttons)
        self._baseline: dict[str, Any] = {}
        self._touched: set[str] = set()
        self._refused: dict[str, str] = {}
        self._busy = False
        self._discard_ok = False

    # --- building ---------------------------------------------------------------------------

    def new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        # The style's own spacing between rows of composite fields is very loose.
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(10)
        return form

    def add(
        self,
        form: QFormLayout,
        name: str,
        caption: str,
        widget: QWidget,
        accessible: str,
        needed: str = "",
    ) -> QWidget:
        message = MessageLabel()
        label = add_field(form, caption, widget, message, accessible)
        self.fields[name] = Field(name, widget, message, label, needed)
        self.history.watch(name, widget)
        return widget

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def finish(self) -> None:
        """Call at the end of a subclass's __init__: what is there now is not 'typed'."""
        self.history.reset()
        self._baseline = self.values()
        self.refresh()

    def widget(self, name: str) -> Any:
        return self.fields[name].widget

    # --- values ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {name: value_of(f.widget) for name, f in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put back a draft (unknown keys are ignored)."""
        for name, value in values.items():
            if name in self.fields:
                set_value_of(self.fields[name].widget, value)
        self._touched |= {n for n in values if n in self.fields}
        self.refresh()

    def has_content(self) -> bool:
        return self.values() != self._baseline

    # --- checks (subclasses) -----------------------------------------------------------------

    def needed(self) -> list[str]:
        """The required fields that are still empty."""
        return [n for n, f in self.fields.items() if f.needed and value_of(f.widget) in ("", [])]

    def problems(self) -> dict[str, str]:
        """What is wrong now, by field ('' for the form as a whole)."""
        found: dict[str, str] = {}
        for name, f in self.fields.items():
            if isinstance(f.widget, DateField) and f.widget.problem():
                found[name] = f.widget.problem()
        return found

    # --- showing what is wrong -------------------------------------------------------------

    def _field_changed(self, name: str) -> None:
        self._refused.pop(name, None)
        self._refused.pop("", None)
        self.refresh()

    def _field_left(self, name: str) -> None:
        if name not in self._touched:
            self._touched.add(name)
            self.refresh()

    def refresh(self) -> None:
        missing = self.needed()
        problems = self.problems()
        for name, f in self.fields.items():
            text = problems.get(name) or self._refused.get(name, "")
            if not text and name in missing and name in self._touched:
                text = f"Still needed: {f.needed}."
            f.message.show_text(text)
            f.widget.setAccessibleDescription(text)
        self.general.show_text(problems.get("") or self._refused.get("", ""))
        words = [self.fields[n].needed for n in missing]
        if words:
            self.needed_label.setText("To save, fill in: " + ", ".join(words) + ".")
        elif problems:
            self.needed_label.setText("Put right what is shown in red, then save.")
        else:
            self.needed_label.setText("")
        unchanged = self.needs_change and not self.has_content()
        self.ok_button.setEnabled(not missing and not problems and not self._busy and not unchanged)
        self.undo_button.setEnabled(self.history.can_undo)
        if self.isVisible():
            self.fit()

    def fit(self) -> None:
        """Grow (never shrink) to show every field and message, within the screen."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        max_w = screen.width() - 40 if screen is not None else 1240
        max_h = screen.height() - 60 if screen is not None else 740
        layout = self.layout()
        assert layout is not None
        chrome = layout.sizeHint().height() - self.scroller.sizeHint().height()
        content = self.content.sizeHint()
        bar = self.scroller.verticalScrollBar().sizeHint().width()
        want_w = max(layout.sizeHint().width(), content.width() + bar + 24)
        want_h = chrome + content.height() + 4
        self.resize(max(self.width(), min(want_w, max_w)), max(self.height(), min(want_h, max_h)))

    def try_submit(self) -> None:
        if self._busy or not self.ok_button.isEnabled():
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.general.show_text("")
        self.needed_label.setText("Saving...")
        self.submitted.emit(self.values())

    def saved(self) -> None:
        self._busy = False
        self._discard_ok = True
        self.accept()

    def refused(self, exc: BaseException) -> None:
        """Each breach beside its field; everything typed stays as it is."""
        self._busy = False
        self._refused = {}
        breaches = getattr(exc, "breaches", None)
        for breach in breaches or ():
            name = self.aliases.get(breach.field, breach.field)
            key = name if name in self.fields else ""
            text = breach_text(breach)
            self._refused[key] = (
                f"{self._refused[key]} {text}".strip() if key in self._refused else text
            )
        if not breaches:
            self._refused[""] = str(exc) or type(exc).__name__
        self.refresh()
        self.needed_label.setText("Not saved: see what is shown in red.")
        first = next((self.fields[n] for n in self._refused if n in self.fields), None)
        if first is not None:
            first.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def shown_messages(self) -> dict[str, str]:
        """What each field says now (for tests and screen readers)."""
        out = {n: f.message.text() for n, f in self.fields.items() if f.message.isVisible()}
        if self.general.isVisible():
            out[""] = self.general.text()
        return out

    # --- opening and closing -----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit()
        focused = self.focusWidget()
        if focused is None or focused in self.buttons.buttons():
            for f in self.fields.values():
                if f.widget.isEnabled() and f.widget.isVisibleTo(self):
                    f.widget.setFocus(Qt.FocusReason.OtherFocusReason)
                    break

    def reject(self) -> None:
        if (
            not dialogs.was_closed_by_lock(self)
            and not self._discard_ok
            and self.has_content()
            and not dialogs.confirm(
                self,
                "Discard what you typed?",
                "Close this form and lose what you typed in it?",
                yes_label="&Discard",
            )
        ):
            return
        super().reject()
