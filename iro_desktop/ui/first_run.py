"""First run: no caseload in the data folder yet. Create one (or restore a backup)."""

from __future__ import annotations

import getpass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.forms import NewPassphraseFields, RecoveryCodeView
from iro_desktop.ui.widgets import add_row


def _suggested_login() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


class WelcomePanel(QWidget):
    """Shown in the window behind the first-run dialog (and if it is cancelled)."""

    create_requested = Signal()
    restore_requested = Signal()
    quit_requested = Signal()

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        card = QFrame()
        card.setObjectName("card")
        heading = QLabel("Welcome to IRO Desktop")
        heading.setObjectName("pageHeading")
        text = QLabel(
            "There is no caseload on this computer yet. Create a new encrypted caseload, or "
            "restore one from a backup (for example, on a replacement laptop).\n\n"
            f"Data folder: {folder}"
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_button = QPushButton("&Create a caseload...")
        self.create_button.setAccessibleName("Create a caseload")
        self.create_button.setDefault(True)
        self.restore_button = QPushButton("&Restore from a backup...")
        self.restore_button.setAccessibleName("Restore from a backup")
        self.quit_button = QPushButton("&Quit")
        self.quit_button.setAccessibleName("Quit")
        self.create_button.clicked.connect(self.create_requested)
        self.restore_button.clicked.connect(self.restore_requested)
        self.quit_button.clicked.connect(self.quit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(heading)
        inner.addWidget(text)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


class FirstRunDialog(QDialog):
    """Two steps: who you are and your passphrase; then the recovery code to write down.

    `create_requested(name, login, passphrase, profile)` asks the window to create the
    caseload (on the task queue); it answers with `created(code)` or `failed(message)`.
    """

    create_requested = Signal(str, str, str, str)

    def __init__(self, profiles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create your caseload")
        self.setAccessibleName("Create your caseload")
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()

        # Step 1 ---------------------------------------------------------------------------
        details = QWidget()
        intro = QLabel(
            "Everything about the children on your caseload is kept in one encrypted file "
            "on this computer. Your passphrase unlocks it. A few ordinary words strung "
            "together make a passphrase that is easy to remember and hard to guess."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("as it appears on letters, e.g. Sam Quillfeather")
        self.login = QLineEdit(_suggested_login())
        self.login.setPlaceholderText("for example your initials")
        add_row(form, "Your &name:", self.name, "Your name")
        add_row(form, "&Login:", self.login, "Login")
        self.passphrase = NewPassphraseFields(form, "&Passphrase:")
        # No silent default: the profile sets the minutes deadline (15 or 20 working days),
        # so the IRO picks their authority's.
        self.profile = QComboBox()
        self.profile.setPlaceholderText("Choose your authority's profile")
        for key, title in profiles.items():
            self.profile.addItem(title, key)
        self.profile.setCurrentIndex(-1)
        add_row(form, "Practice p&rofile:", self.profile, "Practice profile")
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.passphrase.clears(self.problem)  # "very weak" goes once the passphrase is fair
        self.create_button = QPushButton("&Create caseload")
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName("Create caseload")
        self.create_button.clicked.connect(self._create)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        step1 = QVBoxLayout(details)
        step1.addWidget(intro)
        step1.addLayout(form)
        step1.addWidget(self.problem)
        step1.addLayout(buttons)

        # Step 2 ---------------------------------------------------------------------------
        recovery = QWidget()
        done_heading = QLabel("Your caseload is ready")
        done_heading.setObjectName("pageHeading")
        self.recovery = RecoveryCodeView()
        self.finish_button = QPushButton("&Open my caseload")
        self.finish_button.setAccessibleName("Open my caseload")
        self.finish_button.setEnabled(False)
        self.finish_button.clicked.connect(self.accept)
        self.recovery.confirmed.toggled.connect(self.finish_button.setEnabled)
        step2 = QVBoxLayout(recovery)
        step2.addWidget(done_heading)
        step2.addWidget(self.recovery)
        step2.addStretch(1)
        step2.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)

        self.pages.addWidget(details)
        self.pages.addWidget(recovery)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.created_ok = False
        self.name.setFocus()

    def _create(self) -> None:
        login = self.login.text().strip()
        if not self.name.text().strip():
            self.problem.setText("Type your name as it should appear on letters.")
            self.name.setFocus()
            return
        if not login or any(ch.isspace() for ch in login):
            self.problem.setText("Choose a login name without spaces (for example your initials).")
            self.login.setFocus()
            return
        problem = self.passphrase.problem()
        if problem:
            self.problem.setText(problem)
            self.passphrase.first.setFocus()
            return
        if self.profile.currentIndex() < 0:
            self.problem.setText(
                "Choose your authority's practice profile: it sets your deadlines, such as "
                "15 or 20 working days for the letter to the child."
            )
            self.profile.setFocus()
            return
        self.problem.setText("Creating the encrypted caseload...")
        self.create_button.setEnabled(False)
        self.create_requested.emit(
            self.name.text().strip(),
            login,
            self.passphrase.value(),
            str(self.profile.currentData()),
        )

    def created(self, recovery_code: str) -> None:
        self.created_ok = True
        # The passphrase is no longer needed on screen.
        self.passphrase.first.clear()
        self.passphrase.second.clear()
        self.recovery.show_code(recovery_code)
        self.pages.setCurrentIndex(1)
        self.recovery.confirmed.setFocus()

    def failed(self, message: str) -> None:
        self.problem.setText(message)
        self.create_button.setEnabled(True)

    def reject(self) -> None:
        # Once created, the dialog closes only through "Open my caseload" (after the tick),
        # so the recovery code cannot be dismissed unseen.
        if self.created_ok and not self.recovery.confirmed.isChecked():
            return
        if self.created_ok:
            self.accept()
            return
        super().reject()
