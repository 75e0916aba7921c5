"""The unlock screen, shown in the main window at start and after every lock."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.widgets import add_row, passphrase_edit


def _say(label: QLabel, text: str) -> None:
    """Set a message line; an empty one takes no room."""
    label.setText(text)
    label.setVisible(bool(text))


class UnlockPanel(QWidget):
    unlock_requested = Signal(str, str, bool)  # login, passphrase, remember on this device
    remembered_requested = Signal(str)  # login
    reset_requested = Signal(str)  # login

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Unlock the caseload")
        self._wait_until = 0.0
        self._busy = False

        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(520)

        self.heading = QLabel("Unlock your caseload")
        self.heading.setObjectName("pageHeading")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("About the lock")

        self.login = QComboBox()
        self.login.setEditable(True)
        self.login.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.passphrase = passphrase_edit("Passphrase")
        # Short enough not to be cut at any window size; the tooltip says how.
        self.remember = QCheckBox("&Remember on this device")
        self.remember.setAccessibleName("Remember on this device")
        self.remember.setToolTip(
            "Keeps the key in this computer's keyring, so you can unlock without typing "
            "your passphrase."
        )
        form = QFormLayout()
        self.login_label = add_row(form, "&Login:", self.login, "Login")
        self.passphrase_label = add_row(form, "&Passphrase:", self.passphrase, "Passphrase")
        form.addRow("", self.remember)

        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Unlock problem")
        self.wait = QLabel("")
        self.wait.setObjectName("error")
        self.wait.setWordWrap(True)
        self.wait.setAccessibleName("Wait before trying again")

        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.clicked.connect(self._unlock)
        self.passphrase.returnPressed.connect(self._unlock)
        self.remembered_button = QPushButton("Unlock with the &key remembered here")
        self.remembered_button.setAccessibleName("Unlock with the key remembered on this device")
        self.remembered_button.clicked.connect(
            lambda: self.remembered_requested.emit(self.login.currentText().strip())
        )
        self.forgot_button = QPushButton("&Forgotten your passphrase?")
        self.forgot_button.setFlat(True)
        self.forgot_button.setAccessibleName("Forgotten your passphrase")
        self.forgot_button.clicked.connect(
            lambda: self.reset_requested.emit(self.login.currentText().strip())
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.remembered_button)
        buttons.addStretch(1)
        buttons.addWidget(self.forgot_button)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(self.heading)
        inner.addWidget(self.message)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.wait)
        inner.addLayout(buttons)
        for label in (self.message, self.error, self.wait):
            label.setVisible(False)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._count_down)
        self.setTabOrder(self.login, self.passphrase)
        self.setTabOrder(self.passphrase, self.remember)
        self.setTabOrder(self.remember, self.unlock_button)

    # --- set up ------------------------------------------------------------------------

    def prepare(
        self,
        logins: list[str],
        login: str,
        message: str = "",
        *,
        offer_remembered: bool = False,
        remember_ticked: bool = False,
        heading: str = "Unlock your caseload",
    ) -> None:
        self.heading.setText(heading)
        self.login.clear()
        self.login.addItems(logins)
        self.login.setCurrentText(login or (logins[0] if logins else ""))
        self.passphrase.clear()
        _say(self.message, message)
        _say(self.error, "")
        self.remember.setChecked(remember_ticked)
        self.remembered_button.setVisible(offer_remembered)
        self.set_busy(False)
        self.focus()

    def focus(self) -> None:
        target = self.passphrase if self.login.currentText() else self.login
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _unlock(self) -> None:
        if self._busy or self.waiting_seconds() > 0:
            return
        login = self.login.currentText().strip()
        if not login:
            self.show_error("Type your login name.")
            self.login.setFocus()
            return
        if not self.passphrase.text():
            self.show_error("Type your passphrase.")
            self.passphrase.setFocus()
            return
        _say(self.error, "")
        self.unlock_requested.emit(login, self.passphrase.text(), self.remember.isChecked())

    # --- outcomes ---------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        waiting = self.waiting_seconds() > 0
        self.unlock_button.setEnabled(not busy and not waiting)
        self.remembered_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.login.setEnabled(not busy)
        if busy:
            _say(self.error, "Unlocking...")
            self.error.setObjectName("")
        else:
            self.error.setObjectName("error")
        self.error.style().unpolish(self.error)
        self.error.style().polish(self.error)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        _say(self.error, text)
        self.focus()

    def wrong_passphrase(self, text: str, wait_seconds: float = 0.0) -> None:
        self.passphrase.clear()
        self.show_error(text)
        if wait_seconds > 0:
            self.throttled(wait_seconds)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def throttled(self, seconds: float) -> None:
        """Too many wrong passphrases: a countdown, and the Unlock button waits with it."""
        self._wait_until = time.monotonic() + seconds
        self._count_down()
        self._tick.start()

    def waiting_seconds(self) -> int:
        return max(0, math.ceil(self._wait_until - time.monotonic()))

    def _count_down(self) -> None:
        left = self.waiting_seconds()
        if left <= 0:
            self._tick.stop()
            _say(self.wait, "")
            self.unlock_button.setEnabled(not self._busy)
            return
        unit = "second" if left == 1 else "seconds"
        _say(
            self.wait,
            f"After several wrong passphrases there is a growing wait. Try again in {left} {unit}.",
        )
        self.unlock_button.setEnabled(False)
