"""One undo history for a form's fields: Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) undo and redo
across the whole form, a run of typing in one field being one step. The fields' own undo is
taken over, so Ctrl+Z means the same wherever the keyboard is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from iro_desktop.ui.entry import (
    DateField,
    change_signals,
    is_redo,
    is_undo,
    key_targets,
    set_value_of,
    value_of,
)


class FormHistory(QObject):
    """One undo history for a form's fields. `changed(name)` after any change (undo too);
    `left(name)` when the keyboard leaves a field."""

    changed = Signal(str)
    left = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: dict[QWidget, str] = {}
        self._targets: dict[QObject, QWidget] = {}
        self._last: dict[QWidget, Any] = {}
        self._undo: list[list[Any]] = []
        self._redo: list[list[Any]] = []
        self._applying = False
        self._typing: QWidget | None = None  # the field a run of typing is going into

    def watch(self, name: str, widget: QWidget) -> None:
        self._names[widget] = name
        self._last[widget] = value_of(widget)
        for signal in change_signals(widget):
            signal.connect(lambda *_args, w=widget: self._changed(w))
        for target in key_targets(widget):
            self._targets[target] = widget
            target.installEventFilter(self)

    def reset(self) -> None:
        """What the fields hold now is the starting point (nothing to undo)."""
        self._last = {w: value_of(w) for w in self._names}
        self._undo.clear()
        self._redo.clear()
        self._typing = None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def _changed(self, widget: QWidget) -> None:
        new, old = value_of(widget), self._last.get(widget)
        if new == old:
            return
        self._last[widget] = new
        if not self._applying:
            typed = isinstance(widget, (QLineEdit, DateField)) or (
                isinstance(widget, QComboBox) and widget.isEditable()
            )
            top = self._undo[-1] if self._undo else None
            if typed and top is not None and top[0] is widget and self._typing is widget:
                top[2] = new
            else:
                self._undo.append([widget, old, new])
            self._typing = widget if typed else None
            self._redo.clear()
        self.changed.emit(self._names[widget])

    def _step(self, source: list[list[Any]], dest: list[list[Any]], before: bool) -> bool:
        if not source:
            return False
        entry = source.pop()
        widget, old, new = entry
        self._applying = True
        try:
            set_value_of(widget, old if before else new)
        finally:
            self._applying = False
        self._typing = None
        dest.append(entry)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def undo(self) -> bool:
        return self._step(self._undo, self._redo, True)

    def redo(self) -> bool:
        return self._step(self._redo, self._undo, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if is_undo(event) or is_redo(event):
                if kind == QEvent.Type.KeyPress:
                    self.undo() if is_undo(event) else self.redo()
                event.accept()
                return True
        elif kind == QEvent.Type.FocusOut and watched in self._targets:
            self._typing = None
            self.left.emit(self._names[self._targets[watched]])
        return super().eventFilter(watched, event)
