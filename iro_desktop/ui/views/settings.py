"""Settings: the idle lock, the practice profile, the sync server. Unsaved edits are a draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.widgets import add_row

DRAFT_KEY = "settings"


class SettingsPage(Page):
    key = "settings"
    title = "Settings"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loaded = False
        self._saved: dict[str, Any] = {}
        self._pending_draft: dict[str, Any] | None = None
        self._filling = False

        heading = QLabel("Settings")
        heading.setObjectName("pageHeading")

        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" minutes without use")
        # "1 minute", not "1 minutes".
        self.idle.valueChanged.connect(
            lambda n: self.idle.setSuffix(f" {'minute' if n == 1 else 'minutes'} without use")
        )
        self.profile = QComboBox()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sync.example.invalid (leave empty to work offline)")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Work phone the child can ring")
        self.email = QLineEdit()
        self.email.setPlaceholderText("Work email")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.idle_label = add_row(form, "&Lock after:", self.idle, "Lock after minutes without use")
        self.profile_label = add_row(form, "&Practice profile:", self.profile, "Practice profile")
        self.server_label = add_row(form, "Sync &server:", self.server, "Sync server address")
        self.phone_label = add_row(
            form, "Your work &number (on letters):", self.phone, "Your work phone for letters"
        )
        self.email_label = add_row(
            form, "Your work e&mail (on letters):", self.email, "Your work email for letters"
        )

        explain = QLabel(
            "The practice profile sets your authority's timescales (for example, minutes "
            "within 15 or 20 working days) and its escalation stages. The caseload locks "
            "itself after the minutes above without keyboard or mouse use."
        )
        explain.setWordWrap(True)
        explain.setObjectName("hint")

        self.apply_button = QPushButton("&Apply")
        self.apply_button.setAccessibleName("Apply settings")
        self.apply_button.clicked.connect(self.apply)
        self.revert_button = QPushButton("&Undo changes")
        self.revert_button.setAccessibleName("Undo changes to settings")
        self.revert_button.clicked.connect(self.revert)
        self.note = QLabel("")
        self.note.setAccessibleName("Settings status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.revert_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.note, 1)

        body = QWidget()
        body.setMaximumWidth(720)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(explain)
        column.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)

        self.idle.valueChanged.connect(self._edited)
        self.profile.currentIndexChanged.connect(self._edited)
        self.server.textChanged.connect(self._edited)
        self.phone.textChanged.connect(self._edited)
        self.email.textChanged.connect(self._edited)
        self._set_dirty(False)

    # --- values -------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "idle_lock_minutes": self.idle.value(),
            "profile": str(self.profile.currentData() or ""),
            "server_url": self.server.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
        }

    def _fill(self, values: dict[str, Any]) -> None:
        self._filling = True
        try:
            self.idle.setValue(int(values.get("idle_lock_minutes", 5)))
            index = self.profile.findData(values.get("profile"))
            if index >= 0:
                self.profile.setCurrentIndex(index)
            self.server.setText(str(values.get("server_url", "")))
            self.phone.setText(str(values.get("phone", "")))
            self.email.setText(str(values.get("email", "")))
        finally:
            self._filling = False

    def is_dirty(self) -> bool:
        return self.loaded and self.values() != self._saved

    def _edited(self, *_: object) -> None:
        if not self._filling:
            self._set_dirty(self.is_dirty())

    def _set_dirty(self, dirty: bool) -> None:
        self.apply_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.note.setText("Unsaved changes (kept safe if the program locks or closes).")
        elif self.note.text().startswith("Unsaved"):
            self.note.setText("")

    # --- loading ------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if not self.loaded:
            self.load()

    def load(self) -> None:
        from iro_desktop.services.window import profile_names

        session = self.ctx.session()
        settings = session.settings
        user = session.user
        self._filling = True
        self.profile.clear()
        for key, name in profile_names().items():
            self.profile.addItem(name, key)
        self._filling = False
        self._saved = {
            "idle_lock_minutes": settings.idle_lock_minutes,
            "profile": settings.profile,
            "server_url": settings.server_url,
            "phone": user.get("phone", ""),
            "email": user.get("email", ""),
        }
        self._fill(self._saved)
        self.loaded = True
        if self._pending_draft is not None:
            draft, self._pending_draft = self._pending_draft, None
            self._put_back(draft)
        else:
            self._set_dirty(False)

    def _put_back(self, draft: dict[str, Any]) -> None:
        self._fill(draft)
        self._set_dirty(self.is_dirty())
        if self.is_dirty():
            self.note.setText("Unsaved changes from before were put back. Apply or undo them.")

    def focus_first(self) -> None:
        self.idle.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_field(self, name: str) -> None:
        widget = {"idle": self.idle, "profile": self.profile, "server": self.server}[name]
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- saving -------------------------------------------------------------------------

    def apply(self) -> None:
        from iro_desktop.services import caseload as caseload_service
        from iro_desktop.services import window as service

        session = self.ctx.session()
        values = self.values()

        def save() -> None:
            service.apply_settings(session, **values)
            caseload_service.discard_draft(session, DRAFT_KEY)

        def done(_: object) -> None:
            self._saved = values
            self._set_dirty(False)
            self.note.setText("Settings saved.")
            self.changed.emit("settings")

        self.ctx.tasks.run(save, done, self.report, label="save settings")

    def revert(self) -> None:
        from iro_desktop.services import caseload as caseload_service

        session = self.ctx.session()
        self._fill(self._saved)
        self._set_dirty(False)
        self.ctx.tasks.run(lambda: caseload_service.discard_draft(session, DRAFT_KEY))

    # --- drafts, lock ---------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        return {DRAFT_KEY: self.values()} if self.is_dirty() else {}

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if key != DRAFT_KEY:
            return False
        if self.loaded:
            self._put_back(payload)
        else:
            self._pending_draft = dict(payload)
        return True

    def clear_for_lock(self) -> None:
        self._filling = True
        self.server.clear()
        self.idle.setValue(self.idle.minimum())
        self._filling = False
        self.loaded = False
        self._saved = {}
        self._set_dirty(False)
        self.note.setText("")
