"""The small forms for an escalation's moves: send on, response, bypass, CAFCASS, resolve,
withdraw, comment, and settling a conflict (raising one is escalation_raise.RaiseForm).

A form stays open while its move is saved, so a refusal (the protocol's reason, in words) is
shown beside what was typed and nothing has to be typed again. Forms only collect and check;
the page runs the move on the task queue. `FormKeeper` lends a page the draft hooks: what is
typed in an open form is a draft (autosaved, kept through a lock), put back on unlock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.services.escalations import EscalationView
from iro_desktop.ui import dialogs
from iro_desktop.ui.widgets import add_row, clear_when_fixed, uk_date

# --- fields --------------------------------------------------------------------------------


def text_box(lines: int = 3) -> QPlainTextEdit:
    """Several lines of text; Tab moves on (keyboard users), Ctrl+Z / Ctrl+Y undo and redo."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setUndoRedoEnabled(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def date_field(initial: date) -> QDateEdit:
    field = QDateEdit(QDate(initial.year, initial.month, initial.day))
    field.setCalendarPopup(True)
    field.setDisplayFormat("d MMM yyyy")
    field.setMaximumDate(QDate(initial.year, initial.month, initial.day))
    field.setMinimumDate(QDate(2000, 1, 1))
    return field


def date_of(field: QDateEdit) -> date:
    d = field.date()
    return date(d.year(), d.month(), d.day())


def set_date(field: QDateEdit, value: Any) -> None:
    if isinstance(value, str) and value:
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return
        field.setDate(QDate(d.year, d.month, d.day))


# --- the base form ---------------------------------------------------------------------------


class EscalationForm(QDialog):
    """One move. `submitted(values)` asks the page to save it; the page answers with
    `saved()` (the form closes) or `refused(reason)` (it stays, showing why)."""

    submitted = Signal(dict)
    kind = ""

    def __init__(self, title: str, ok_text: str, today: date, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.today = today
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(560)
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.buttons.accepted.connect(self.try_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._busy = False
        self._discard_ok = False

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        # Start in the first field to fill, not on a button (Qt's default for dialogs).
        focused = self.focusWidget()
        if focused is None or focused in self.buttons.buttons():
            field = self.first_field()
            if field is not None:
                field.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget | None:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if (
                widget is not None
                and widget.isEnabled()
                and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
            ):
                return widget
        return None

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    # --- what a form says --------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put back a draft (unknown or missing keys are ignored)."""

    def check(self) -> str:
        """Why the form cannot be sent yet, in words; empty when it can."""
        return ""

    def has_content(self) -> bool:
        """Something typed that would be lost by closing."""
        return any(
            isinstance(v, str) and v.strip() and k not in ("on",) for k, v in self.values().items()
        )

    # --- the page's answers ------------------------------------------------------------

    def try_submit(self) -> None:
        if self._busy:
            return
        problem = self.check()
        self.problem.setText(problem)
        if problem:
            clear_when_fixed(self, self.problem, self.check)  # gone once put right
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.problem.setText("Saving...")
        self.submitted.emit(self.values())

    def saved(self) -> None:
        self._busy = False
        self._discard_ok = True
        self.accept()

    def refused(self, reason: str) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.problem.setText(reason)

    def reject(self) -> None:
        # Closing with something typed asks first; the lock closes without asking (the
        # page keeps what was typed as a draft).
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


def _text(box: QPlainTextEdit) -> str:
    return box.toPlainText().strip()


# --- moves on an open escalation -------------------------------------------------------------


def _about(view: EscalationView) -> str:
    names = ", ".join(c.label for c in view.children)
    return f"{view.category_label} for {names}, raised {uk_date(view.raised_on)}."


class SendForm(EscalationForm):
    """Send to the protocol's next stage (the first stage, or on from the current one)."""

    kind = "send"

    def __init__(
        self, view: EscalationView, to_role: str, today: date, parent: QWidget | None = None
    ) -> None:
        stage = view.next_stage_name or ""
        first = view.current_stage_key is None
        super().__init__(
            f"Send to {stage}" if first else f"Send on to {stage}", "&Send", today, parent
        )
        now_at = (
            f" It is now at {view.current_stage_name}."
            if view.current_stage_name
            else " It has not been sent to any stage yet."
        )
        self.set_intro(_about(view) + now_at)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText(f"The {to_role}'s name")
        add_row(self.form, "Send &to:", self.recipient, f"Send to ({to_role})")
        self.on = date_field(today)
        add_row(self.form, "Sent o&n:", self.on, "Sent on")

    def values(self) -> dict[str, Any]:
        return {"recipient": self.recipient.text().strip(), "on": date_of(self.on).isoformat()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.recipient.setText(str(values.get("recipient") or ""))
        set_date(self.on, values.get("on"))

    def check(self) -> str:
        return "" if self.values()["recipient"] else "Give the name of the person it goes to."


class ResponseForm(EscalationForm):
    kind = "response"

    def __init__(self, view: EscalationView, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Record the response", "&Record", today, parent)
        self.set_intro(_about(view) + f" Response at {view.current_stage_name}.")
        self.responder = QLineEdit(view.current_recipient or "")
        add_row(self.form, "Response &from:", self.responder, "Response from")
        self.text = text_box(4)
        add_row(self.form, "What they &said:", self.text, "Response")
        self.on = date_field(today)
        add_row(self.form, "Received o&n:", self.on, "Received on")

    def values(self) -> dict[str, Any]:
        return {
            "responder": self.responder.text().strip(),
            "text": _text(self.text),
            "on": date_of(self.on).isoformat(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        self.responder.setText(str(values.get("responder") or ""))
        self.text.setPlainText(str(values.get("text") or ""))
        set_date(self.on, values.get("on"))

    def has_content(self) -> bool:
        return bool(self.values()["text"])

    def check(self) -> str:
        v = self.values()
        if not v["responder"]:
            return "Say who responded."
        return "" if v["text"] else "Write what the response said."


class BypassForm(EscalationForm):
    kind = "bypass"

    def __init__(
        self,
        view: EscalationView,
        targets: Sequence[tuple[str, str, str]],  # key, name, to_role
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Bypass stages", "&Bypass and send", today, parent)
        self.set_intro(
            _about(view)
            + " Stages may be bypassed when the child's safety requires it; the reason is "
            "recorded."
        )
        self.target = QComboBox()
        for key, name, role in targets:
            self.target.addItem(f"{name} (to the {role})", key)
        add_row(self.form, "Go straight &to:", self.target, "Stage to go straight to")
        self.reason = text_box(3)
        add_row(self.form, "&Why:", self.reason, "Reason for bypassing")
        self.recipient = QLineEdit()
        add_row(self.form, "Send to (na&me):", self.recipient, "Send to")
        self.on = date_field(today)
        add_row(self.form, "O&n:", self.on, "On")

    def values(self) -> dict[str, Any]:
        return {
            "stage_key": str(self.target.currentData() or ""),
            "reason": _text(self.reason),
            "recipient": self.recipient.text().strip(),
            "on": date_of(self.on).isoformat(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        index = self.target.findData(values.get("stage_key"))
        if index >= 0:
            self.target.setCurrentIndex(index)
        self.reason.setPlainText(str(values.get("reason") or ""))
        self.recipient.setText(str(values.get("recipient") or ""))
        set_date(self.on, values.get("on"))

    def check(self) -> str:
        v = self.values()
        if not v["stage_key"]:
            return "There is no later stage to go to."
        if not v["reason"]:
            return "Say why the stages are bypassed."
        return "" if v["recipient"] else "Give the name of the person it goes to."


class CafcassForm(EscalationForm):
    kind = "cafcass"

    def __init__(self, view: EscalationView, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Refer to CAFCASS", "&Refer", today, parent)
        self.set_intro(
            _about(view) + " The IRO may refer to CAFCASS at any point; any stages in "
            "between are recorded as bypassed, with this reason."
        )
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("For example: CAFCASS duty manager")
        add_row(self.form, "Refer &to:", self.recipient, "Refer to")
        self.reason = text_box(3)
        add_row(self.form, "&Why:", self.reason, "Reason for the referral")
        self.on = date_field(today)
        add_row(self.form, "O&n:", self.on, "On")

    def values(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient.text().strip(),
            "reason": _text(self.reason),
            "on": date_of(self.on).isoformat(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        self.recipient.setText(str(values.get("recipient") or ""))
        self.reason.setPlainText(str(values.get("reason") or ""))
        set_date(self.on, values.get("on"))

    def check(self) -> str:
        v = self.values()
        if not v["recipient"]:
            return "Give the name or team at CAFCASS."
        return "" if v["reason"] else "Say why it is referred to CAFCASS."


class ResolveForm(EscalationForm):
    kind = "resolve"

    def __init__(self, view: EscalationView, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Resolve the escalation", "Resol&ve", today, parent)
        wanted = f" Outcome wanted: {view.outcome_wanted}" if view.outcome_wanted else ""
        self.set_intro(_about(view) + wanted)
        self.outcome = text_box(3)
        add_row(self.form, "&Outcome:", self.outcome, "Outcome")
        self.difference = text_box(3)
        add_row(
            self.form, "&Difference for the child:", self.difference, "Difference for the child"
        )
        self.on = date_field(today)
        add_row(self.form, "Resolved o&n:", self.on, "Resolved on")

    def values(self) -> dict[str, Any]:
        return {
            "outcome": _text(self.outcome),
            "difference": _text(self.difference),
            "on": date_of(self.on).isoformat(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        self.outcome.setPlainText(str(values.get("outcome") or ""))
        self.difference.setPlainText(str(values.get("difference") or ""))
        set_date(self.on, values.get("on"))

    def check(self) -> str:
        v = self.values()
        if not v["outcome"]:
            return "Say what the outcome was."
        return "" if v["difference"] else "Say what difference it made for the child."


class TextForm(EscalationForm):
    """One piece of text and a date: withdraw (reason) or comment."""

    def __init__(
        self,
        kind: str,
        title: str,
        ok_text: str,
        label: str,
        view: EscalationView,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, ok_text, today, parent)
        self.kind = kind
        self.set_intro(_about(view))
        self.text = text_box(4)
        self.label = label
        add_row(self.form, label, self.text, label.replace("&", "").rstrip(":"))
        self.on = date_field(today)
        add_row(self.form, "O&n:", self.on, "On")

    def values(self) -> dict[str, Any]:
        return {"text": _text(self.text), "on": date_of(self.on).isoformat()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.text.setPlainText(str(values.get("text") or ""))
        set_date(self.on, values.get("on"))

    def check(self) -> str:
        return (
            "" if self.values()["text"] else f"Fill in '{self.label.replace('&', '').rstrip(':')}'."
        )


def withdraw_form(view: EscalationView, today: date, parent: QWidget | None = None) -> TextForm:
    return TextForm(
        "withdraw", "Withdraw the escalation", "&Withdraw", "&Reason:", view, today, parent
    )


def comment_form(view: EscalationView, today: date, parent: QWidget | None = None) -> TextForm:
    return TextForm("comment", "Add a comment", "&Add comment", "&Comment:", view, today, parent)


class SettleForm(EscalationForm):
    """A person's decision on a conflict (recorded as a comment the manager sees too)."""

    kind = "settle"

    def __init__(
        self, description: str, raise_again: bool, today: date, parent: QWidget | None = None
    ) -> None:
        title = "Raise it again" if raise_again else "Keep it closed"
        super().__init__(
            title, "&Raise again" if raise_again else "&Record decision", today, parent
        )
        self.raise_again = raise_again
        self.set_intro(
            description
            + (
                "\n\nA new escalation is raised for the same children, issues and outcome; the "
                "old one stays as the manager left it."
                if raise_again
                else "\n\nThe escalation stays as the manager left it; your note is added to it."
            )
        )
        self.note = text_box(3)
        add_row(self.form, "&Decision:", self.note, "Decision")

    def values(self) -> dict[str, Any]:
        return {"note": _text(self.note), "raise_again": self.raise_again}

    def set_values(self, values: dict[str, Any]) -> None:
        self.note.setPlainText(str(values.get("note") or ""))

    def check(self) -> str:
        return "" if self.values()["note"] else "Say what was decided, and why."


# --- the page's side ---------------------------------------------------------------------------


class FormKeeper(QObject):
    """Opens one form at a time for a page, runs its move, and keeps what was typed.

    `perform(values)` runs on the task queue (no widgets); `done(result)` back on the main
    thread after the form closes. The draft payload names the form, the escalation it was
    for and what was typed, so the page can open it again after an unlock.
    """

    def __init__(self, page: Any, draft_key: str) -> None:
        super().__init__(page)
        self.page = page
        self.draft_key = draft_key
        self.form: EscalationForm | None = None
        self.context: dict[str, Any] = {}
        self.kept: dict[str, Any] | None = None  # closed by the lock, not yet saved

    def open(
        self,
        form: EscalationForm,
        context: dict[str, Any],
        perform: Callable[[dict[str, Any]], Any],
        done: Callable[[Any], None],
    ) -> EscalationForm:
        if self.form is not None and self.form.isVisible():
            self.form.raise_()
            return self.form
        from iro_desktop.services import caseload as caseload_service

        tasks = self.page.ctx.tasks
        session = self.page.ctx.session()
        key = self.draft_key
        self.form, self.context, self.kept = form, dict(context), None

        def submitted(values: dict[str, Any]) -> None:
            def work() -> Any:
                result = perform(values)
                caseload_service.discard_draft(session, key)
                return result

            def ok(result: Any) -> None:
                form.saved()
                done(result)

            def failed(exc: BaseException) -> None:
                form.refused(str(exc))

            tasks.run(work, ok, failed, label=f"escalation {form.kind}")

        def finished(_code: int) -> None:
            if dialogs.was_closed_by_lock(form):
                self.kept = self._payload(form)
            elif self.form is form:
                # Closed on purpose (saved, or cancelled and confirmed): no draft any more.
                self.kept = None
                tasks.run(lambda: caseload_service.discard_draft(session, key))
            if self.form is form:
                self.form = None

        form.submitted.connect(submitted)
        form.finished.connect(finished)
        dialogs.track(form)
        form.open()
        return form

    def _payload(self, form: EscalationForm) -> dict[str, Any]:
        return {"form": form.kind, "context": self.context, "values": form.values()}

    def drafts(self) -> dict[str, dict[str, Any]]:
        form = self.form
        if form is not None and form.has_content():
            return {self.draft_key: self._payload(form)}
        if self.kept is not None:
            return {self.draft_key: self.kept}
        return {}

    def clear_for_lock(self) -> None:
        self.kept = None
        self.form = None
