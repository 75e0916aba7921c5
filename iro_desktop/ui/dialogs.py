"""Message boxes and small questions, with a seam so tests never block on a modal.

Every question the program asks goes through these wrappers. Tests call `set_next_answer()`
before the action (as KeePassXC's `MessageBox::setNextAnswer`), or switch on
`non_interactive(True)` so an unexpected question answers its safe default at once instead of
waiting for a click that never comes. Everything shown is recorded in `history` either way.

Dialogs opened through `exec_owned()` are remembered so the idle lock can close them.
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

OK = "ok"
CANCEL = "cancel"
YES = "yes"
NO = "no"


@dataclass(frozen=True)
class Shown:
    kind: str  # error | info | warning | confirm | ask_text | save_file | open_file | choose_folder
    title: str
    text: str


history: list[Shown] = []
_answers: deque[Any] = deque()
_non_interactive = False
_owned: weakref.WeakSet[QDialog] = weakref.WeakSet()
_closed_by_lock: weakref.WeakSet[QDialog] = weakref.WeakSet()


def set_next_answer(answer: Any) -> None:
    """The answer the next question gets without being shown (tests)."""
    _answers.append(answer)


def non_interactive(on: bool) -> None:
    """Unanswered questions take their safe default instead of showing (tests)."""
    global _non_interactive
    _non_interactive = on


def reset() -> None:
    history.clear()
    _answers.clear()


def last(kind: str | None = None) -> Shown | None:
    for shown in reversed(history):
        if kind is None or shown.kind == kind:
            return shown
    return None


def _canned(default: Any) -> tuple[bool, Any]:
    if _answers:
        return True, _answers.popleft()
    if _non_interactive:
        return True, default
    return False, None


# --- owned dialogs: the lock closes them -------------------------------------------------


def exec_owned(dialog: QDialog) -> int:
    """Run a modal dialog the lock may close; returns Rejected if it was closed by the lock."""
    _owned.add(dialog)
    try:
        result = dialog.exec()
    finally:
        _owned.discard(dialog)
    if dialog in _closed_by_lock:
        return int(QDialog.DialogCode.Rejected)
    return int(result)


def track(dialog: QDialog) -> QDialog:
    """Remember a non-modal dialog so the lock closes it (until it is closed or deleted)."""
    _owned.add(dialog)
    dialog.finished.connect(lambda _result, d=dialog: _owned.discard(d))
    return dialog


def close_owned() -> int:
    """Reject every open dialog this module knows about (the lock's second step)."""
    closed = 0
    for dialog in list(_owned):
        if not shiboken6.isValid(dialog):  # its window was deleted with it
            _owned.discard(dialog)
            continue
        if dialog.isVisible():
            _closed_by_lock.add(dialog)
            dialog.reject()
            closed += 1
    return closed


def was_closed_by_lock(dialog: QDialog) -> bool:
    return dialog in _closed_by_lock


# --- the wrappers -----------------------------------------------------------------------


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    default: QMessageBox.StandardButton,
    detail: str = "",
) -> QMessageBox.StandardButton:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setDefaultButton(default)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    if detail:
        box.setInformativeText(detail)
    exec_owned(box)
    if was_closed_by_lock(box):
        return QMessageBox.StandardButton.Cancel
    return QMessageBox.StandardButton(box.result())


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    history.append(Shown("error", title, text))
    canned, _ = _canned(OK)
    if canned:
        return
    _box(
        parent,
        QMessageBox.Icon.Critical,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        QMessageBox.StandardButton.Ok,
        detail,
    )


def warning(parent: QWidget | None, title: str, text: str) -> None:
    history.append(Shown("warning", title, text))
    canned, _ = _canned(OK)
    if canned:
        return
    _box(
        parent,
        QMessageBox.Icon.Warning,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        QMessageBox.StandardButton.Ok,
    )


def info(parent: QWidget | None, title: str, text: str) -> None:
    history.append(Shown("info", title, text))
    canned, _ = _canned(OK)
    if canned:
        return
    _box(
        parent,
        QMessageBox.Icon.Information,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        QMessageBox.StandardButton.Ok,
    )


def confirm(parent: QWidget | None, title: str, text: str, *, yes_label: str = "") -> bool:
    """A yes/no question; the safe default is No."""
    history.append(Shown("confirm", title, text))
    canned, answer = _canned(NO)
    if canned:
        return answer in (True, YES, OK)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if yes_label:
        button = box.button(QMessageBox.StandardButton.Yes)
        button.setText(yes_label)
    result = exec_owned(box)
    if was_closed_by_lock(box):
        return False
    return result == int(QMessageBox.StandardButton.Yes.value)


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    *,
    secret: bool = False,
    initial: str = "",
) -> str | None:
    """One line of text, or None if cancelled."""
    history.append(Shown("ask_text", title, label))
    canned, answer = _canned(None)
    if canned:
        return None if answer in (None, CANCEL) else str(answer)
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(initial)
    dialog.setAccessibleName(title)
    if secret:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    if exec_owned(dialog) != int(QDialog.DialogCode.Accepted):
        return None
    return dialog.textValue()


def save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
    history.append(Shown("save_file", title, suggested))
    canned, answer = _canned(None)
    if canned:
        return None if answer in (None, CANCEL) else str(answer)
    dialog = QFileDialog(parent, title, suggested, file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(suggested)
    if exec_owned(dialog) != int(QDialog.DialogCode.Accepted) or not dialog.selectedFiles():
        return None
    return str(dialog.selectedFiles()[0])


def open_file(parent: QWidget | None, title: str, file_filter: str) -> str | None:
    history.append(Shown("open_file", title, file_filter))
    canned, answer = _canned(None)
    if canned:
        return None if answer in (None, CANCEL) else str(answer)
    dialog = QFileDialog(parent, title, "", file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if exec_owned(dialog) != int(QDialog.DialogCode.Accepted) or not dialog.selectedFiles():
        return None
    return str(dialog.selectedFiles()[0])


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str | None:
    """A folder (the council's files, where to write the return), or None if cancelled."""
    history.append(Shown("choose_folder", title, start))
    canned, answer = _canned(None)
    if canned:
        return None if answer in (None, CANCEL) else str(answer)
    dialog = QFileDialog(parent, title, start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if exec_owned(dialog) != int(QDialog.DialogCode.Accepted) or not dialog.selectedFiles():
        return None
    return str(dialog.selectedFiles()[0])


def run_form(dialog: QDialog) -> bool:
    """A form dialog of our own (change passphrase ...). Tests queue True/False, or a callable
    that fills the form and returns True/False."""
    history.append(Shown("form", dialog.windowTitle(), ""))
    canned, answer = _canned(False)
    if canned:
        if callable(answer):
            return bool(answer(dialog))
        return bool(answer)
    return exec_owned(dialog) == int(QDialog.DialogCode.Accepted)
