"""The letter page's small forms: issuing the approved letter, and logging who it went to.

They only collect and check what is typed; the page runs the work on the task queue and the
services give the final word (a date before approval, a date in the future, ...).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QLabel, QLineEdit, QWidget

from iro_desktop.services.letters import DistributionMethod, Recipient
from iro_desktop.ui.forms import _FormDialog
from iro_desktop.ui.widgets import add_row

METHOD_WORDS = {
    DistributionMethod.POST: "Post",
    DistributionMethod.EMAIL: "Email",
    DistributionMethod.SECURE_EMAIL: "Secure email",
    DistributionMethod.HAND: "By hand",
}


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class _SendingForm(_FormDialog):
    """Who received the letter, how and when (the recipient may be optional)."""

    def __init__(
        self, title: str, today: date, *, recipient_needed: bool, parent: QWidget | None
    ) -> None:
        super().__init__(title, parent)
        self.recipient_needed = recipient_needed
        self.setMinimumWidth(460)
        self.sent_on = QDateEdit(_qdate(today))
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("d MMM yyyy")
        self.sent_on.setMaximumDate(_qdate(today))
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("e.g. Amira, or Jo Fernhallow")
        self.role = QLineEdit()
        self.role.setPlaceholderText("e.g. the child, carer, social worker")
        self.method = QComboBox()
        for method, words in METHOD_WORDS.items():
            self.method.addItem(words, method.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional, e.g. read it together at the visit")
        add_row(self.form, "&Date sent:", self.sent_on, "Date sent")
        add_row(self.form, "Sent &to:", self.recipient, "Sent to")
        add_row(self.form, "Their r&ole:", self.role, "Their role")
        add_row(self.form, "&How:", self.method, "How it was sent")
        add_row(self.form, "&Note:", self.note, "Note")

    def when(self) -> date:
        return _date(self.sent_on.date())

    def recipient_entry(self) -> Recipient | None:
        name = " ".join(self.recipient.text().split())
        if not name:
            return None
        return Recipient(
            recipient=name,
            method=DistributionMethod(str(self.method.currentData())),
            role=" ".join(self.role.text().split()),
            note=self.note.text().strip(),
        )

    def check(self) -> str:
        if self.recipient_needed and self.recipient_entry() is None:
            return "Say who the letter was sent to."
        if self.recipient_entry() is None and (self.role.text().strip() or self.note.text()):
            return "Say who the letter was sent to, or clear their role and the note."
        return ""


class IssueDialog(_SendingForm):
    def __init__(self, version: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Issue the approved letter", today, recipient_needed=False, parent=parent)
        intro = QLabel(
            f"Issue version {version}: the approved letter goes out from this date. You can log "
            "who it was sent to now, and add more people afterwards."
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Issue")


class DistributionDialog(_SendingForm):
    def __init__(self, version: int, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Add to the distribution log", today, recipient_needed=True, parent=parent)
        intro = QLabel(f"Record who received version {version} of the letter, how and when.")
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add")
