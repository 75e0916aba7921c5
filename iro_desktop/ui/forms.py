"""Small form dialogs: new passphrase, change passphrase, recovery code, restore, reset.

They only collect and check what is typed; the window runs the work on the task queue.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs
from iro_desktop.ui.strength import MIN_LENGTH
from iro_desktop.ui.widgets import StrengthMeter, add_row, clear_when_fixed, passphrase_edit


class NewPassphraseFields(QWidget):
    """Passphrase, the same again, and live feedback in words."""

    def __init__(self, form: QFormLayout, first_label: str = "New &passphrase:") -> None:
        super().__init__()
        self.first = passphrase_edit("New passphrase")
        self.second = passphrase_edit("New passphrase again")
        self.meter = StrengthMeter()
        self.match = QLabel("")
        self.match.setAccessibleName("Whether the two passphrases match")
        add_row(form, first_label, self.first, "New passphrase")
        form.addRow("", self.meter)
        add_row(form, "Passphrase a&gain:", self.second, "New passphrase again")
        form.addRow("", self.match)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._said: set[str] = set()  # the problems this gave, to take back once put right
        self._labels: list[QLabel] = []

    def clears(self, label: QLabel) -> None:
        """`label` shows this passphrase's problem: it goes once the passphrase is put right
        ("very weak" never stays beside a fair passphrase), keeping its room."""
        self._labels.append(label)

    def _update(self) -> None:
        for label in self._labels:
            shown = label.text()
            if shown in self._said and self.problem() != shown:
                label.setMinimumHeight(max(label.minimumHeight(), label.height()))
                label.setText("")
        self.meter.update_for(self.first.text())
        if not self.second.text():
            self.match.setText("")
        elif self.first.text() == self.second.text():
            self.match.setText("The two passphrases match.")
        else:
            self.match.setText("The two passphrases are different.")

    def problem(self) -> str:
        """Why the passphrase cannot be used yet, in words; empty when it can."""
        problem = self._problem()
        if problem:
            self._said.add(problem)
        return problem

    def _problem(self) -> str:
        first = self.first.text()
        if len(first) < MIN_LENGTH:
            return f"Choose a passphrase of at least {MIN_LENGTH} characters."
        strength = self.meter.update_for(first)
        if not strength.acceptable:
            return f"That passphrase is {strength.verdict.lower()}. {strength.advice}"
        if first != self.second.text():
            return "The two passphrases are different. Type the same passphrase twice."
        return ""

    def value(self) -> str:
        return self.first.text()


class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)

    def check(self) -> str:
        return ""

    def _try_accept(self) -> None:
        problem = self.check()
        self.problem.setText(problem)
        if not problem:
            self.accept()
            return
        clear_when_fixed(self, self.problem, self.check)


class ChangePassphraseDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Change passphrase", parent)
        self.current = passphrase_edit("Current passphrase")
        add_row(self.form, "&Current passphrase:", self.current, "Current passphrase")
        self.new = NewPassphraseFields(self.form)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Change passphrase")

    def check(self) -> str:
        if not self.current.text():
            return "Type your current passphrase."
        problem = self.new.problem()
        if not problem and self.new.value() == self.current.text():
            return "The new passphrase is the same as the current one."
        return problem


class ResetPassphraseDialog(_FormDialog):
    """The written recovery route: the recovery code sets a new passphrase."""

    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__("Set a new passphrase with the recovery code", parent)
        intro = QLabel(
            "Type the recovery code you wrote down when the caseload was created (or last "
            "re-encrypted), then choose a new passphrase."
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.login = QLineEdit(login)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        add_row(self.form, "&Login:", self.login, "Login")
        add_row(self.form, "&Recovery code:", self.code, "Recovery code")
        self.new = NewPassphraseFields(self.form)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Set passphrase")

    def check(self) -> str:
        if not self.login.text().strip():
            return "Type the login whose passphrase is to be set."
        if len("".join(ch for ch in self.code.text() if ch.isalnum())) != 25:
            return "The recovery code has 25 letters and digits (dashes are optional)."
        return self.new.problem()


class RestoreDialog(_FormDialog):
    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__("Restore from a backup", parent)
        intro = QLabel(
            "The backup is checked before anything is replaced. Give the login and the "
            "passphrase that were valid when the backup was made."
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.file = QLineEdit()
        choose = QPushButton("C&hoose...")
        choose.setAccessibleName("Choose the backup file")
        choose.clicked.connect(self._choose)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.file, 1)
        line.addWidget(choose)
        caption = add_row(self.form, "Backup &file:", row, "Backup file")
        caption.setBuddy(self.file)
        self.file.setAccessibleName("Backup file")
        self.login = QLineEdit(login)
        self.passphrase = passphrase_edit("Passphrase when the backup was made")
        add_row(self.form, "&Login:", self.login, "Login")
        add_row(
            self.form, "&Passphrase then:", self.passphrase, "Passphrase when the backup was made"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Restore")

    def _choose(self) -> None:
        chosen = dialogs.open_file(
            self, "Choose a backup", "IRO Desktop backups (*.irobackup);;All files (*)"
        )
        if chosen:
            self.file.setText(chosen)

    def check(self) -> str:
        if not self.file.text().strip():
            return "Choose the backup file."
        if not self.login.text().strip():
            return "Type the login."
        if not self.passphrase.text():
            return "Type the passphrase that was valid when the backup was made."
        return ""


class RecoveryCodeView(QWidget):
    """Shows a recovery code to write down; `confirmed` ticks when the IRO says they have."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explain = QLabel(
            "Write this recovery code on paper and keep it apart from the laptop (your "
            "manager may keep it in a locked drawer). If you forget your passphrase, it is the "
            "only way back into your caseload."
        )
        self.explain.setWordWrap(True)
        self.code = QLabel("")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.5)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setAccessibleName("Recovery code")
        self.code.setObjectName("recoveryCode")
        self.confirmed = QCheckBox("I have &written down the recovery code")
        self.confirmed.setAccessibleName("I have written down the recovery code")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addSpacing(8)
        layout.addWidget(self.code)
        layout.addSpacing(8)
        layout.addWidget(self.confirmed)

    def show_code(self, code: str) -> None:
        self.code.setText(code)
        self.code.setAccessibleDescription(" ".join(code.replace("-", " dash ")))
        self.confirmed.setChecked(False)


class RecoveryCodeDialog(QDialog):
    def __init__(self, code: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your new recovery code")
        self.setAccessibleName("Your new recovery code")
        title = QLabel(heading)
        title.setWordWrap(True)
        self.view = RecoveryCodeView()
        self.view.show_code(code)
        self.done_button = QPushButton("&Done")
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.accept)
        self.view.confirmed.toggled.connect(self.done_button.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.view)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)

    def reject(self) -> None:
        # Esc must not lose the only copy of the code: closing needs the tick.
        if self.view.confirmed.isChecked() or dialogs.was_closed_by_lock(self):
            super().reject()


class ShortcutsDialog(QDialog):
    def __init__(self, shortcuts: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        table = QTableWidget(len(shortcuts), 2)
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "What they do"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(shortcuts):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close)
        self.resize(520, 420)
