"""The form to raise an escalation: the child (and brothers and sisters), the kind, the
issues from the themes list, the outcome wanted, and whether to send it at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from iro_desktop.services.escalations import ChildRef, EscalationChoices
from iro_desktop.ui.views.escalation_forms import (
    EscalationForm,
    date_field,
    date_of,
    set_date,
    text_box,
)
from iro_desktop.ui.widgets import add_row


def _text(box: Any) -> str:
    return str(box.toPlainText()).strip()


@dataclass(frozen=True)
class ChildOption:
    id: str
    label: str  # name and LA number


class RaiseForm(EscalationForm):
    """Raise a dispute, a partner escalation or a good practice notification."""

    kind = "raise"
    # The page answers with the child's brothers and sisters.
    siblings_wanted = Signal(str)

    def __init__(
        self,
        children: Sequence[ChildOption],
        choices: EscalationChoices,
        services: Sequence[str],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Raise an escalation", "&Raise", today, parent)
        self.choices = choices
        first = choices.stages[0]

        self.child = QComboBox()
        self.child.setEditable(True)
        self.child.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.child.addItem("", "")
        for option in children:
            self.child.addItem(option.label, option.id)
        completer = self.child.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        typed = self.child.lineEdit()
        if typed is not None:
            typed.setPlaceholderText("Type part of the name or LA number")
        add_row(self.form, "&Child:", self.child, "Child")
        self.siblings = QListWidget()
        row_height = self.fontMetrics().lineSpacing() + 6
        self.siblings.setFixedHeight(row_height * 3 + 6)
        add_row(self.form, "Brothers and &sisters:", self.siblings, "Also for these children")
        self.siblings_note = QLabel("Choose the child first.")
        self.siblings_note.setObjectName("hint")
        self.form.addRow("", self.siblings_note)

        self.category = QComboBox()
        for key, label in choices.categories.items():
            self.category.addItem(label, key)
        add_row(self.form, "&Kind:", self.category, "Kind of escalation")
        self.agency = QComboBox()
        for key, label in choices.partner_agencies.items():
            self.agency.addItem(label, key)
        self.agency_label = add_row(self.form, "Partner &agency:", self.agency, "Partner agency")

        self.choices = choices
        self.issues = QListWidget()
        self._fill_issues(choices.themes)
        # Every theme in view at once (ten short lines), so nothing is missed by scrolling.
        longest = max(len(choices.themes), len(choices.partner_themes), 1)
        item_height = max(self.issues.sizeHintForRow(0), self.fontMetrics().height())
        self.issues.setFixedHeight(item_height * min(longest, 10) + 8)
        self.issues.setAccessibleDescription("Space ticks or unticks the issue under the cursor.")
        add_row(self.form, "&Issues (Space ticks):", self.issues, "Issues")
        self.outcome = text_box(2)
        add_row(self.form, "&Outcome wanted:", self.outcome, "Outcome wanted")
        self.detail = text_box(3)
        add_row(self.form, "&Details:", self.detail, "Details")
        self.service = QComboBox()
        self.service.setEditable(True)
        self.service.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.service.addItem("")
        self.service.addItems(list(services))
        service_line = self.service.lineEdit()
        if service_line is not None:
            service_line.setPlaceholderText("The team or locality it is about")
        add_row(self.form, "T&eam or service:", self.service, "Team or service")
        self.raised_on = date_field(today)
        add_row(self.form, "Raised o&n:", self.raised_on, "Raised on")
        self.send_to = QLineEdit()
        self.send_to.setPlaceholderText(f"The {first.to_role}'s name (leave empty to send later)")
        self.send_label = add_row(
            self.form, f"Send &to {first.name}:", self.send_to, f"Send to {first.name}, to"
        )

        # Brothers and sisters to tick when they arrive (a draft put back).
        self.wanted_siblings: list[str] = []
        self.child.currentIndexChanged.connect(self._child_changed)
        self.category.currentIndexChanged.connect(self._category_changed)
        self._category_changed()

    # --- children ----------------------------------------------------------------------

    def child_id(self) -> str:
        # The typed text must name a child: a half-typed name is not a choice.
        index = self.child.findText(self.child.currentText())
        return str(self.child.itemData(index) or "") if index >= 0 else ""

    def choose_child(self, child_id: str) -> None:
        index = self.child.findData(child_id)
        if index >= 0:
            self.child.setCurrentIndex(index)

    def _child_changed(self, _index: int) -> None:
        self.siblings.clear()
        child_id = self.child_id()
        if child_id:
            self.siblings_note.setText("Looking for brothers and sisters...")
            self.siblings_wanted.emit(child_id)
        else:
            self.siblings_note.setText("Choose the child first.")

    def show_siblings(
        self, child_id: str, siblings: Sequence[ChildRef], ticked: Sequence[str] = ()
    ) -> None:
        if child_id != self.child_id():
            return  # an answer for an earlier choice
        self.siblings.clear()
        others = [c for c in siblings if c.id != child_id]
        for sibling in others:
            item = QListWidgetItem(sibling.label)
            item.setData(Qt.ItemDataRole.UserRole, sibling.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if sibling.id in ticked else Qt.CheckState.Unchecked
            )
            self.siblings.addItem(item)
        self.siblings.setEnabled(bool(others))
        self.siblings_note.setText(
            "Tick the brothers and sisters this escalation is also about (one escalation "
            "covers the sibling group)."
            if others
            else "No brothers or sisters on this caseload."
        )

    def child_ids(self) -> list[str]:
        chosen = self.child_id()
        if not chosen:
            return []
        return [chosen] + [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items(self.siblings)
            if item.checkState() == Qt.CheckState.Checked
        ]

    @staticmethod
    def _items(widget: QListWidget) -> list[QListWidgetItem]:
        return [widget.item(i) for i in range(widget.count())]

    # --- kind ------------------------------------------------------------------------------

    def _fill_issues(self, themes: dict[str, str]) -> None:
        """The profile's themes for this kind of escalation; ticks kept where a theme stays."""
        ticked = set(self.issue_keys()) if self.issues.count() else set()
        self.issues.clear()
        for key, label in themes.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in ticked else Qt.CheckState.Unchecked)
            self.issues.addItem(item)

    def _category_changed(self, *_: object) -> None:
        key = self.category.currentData()
        partner = key == "partner"
        themes = self.choices.themes_for(str(key))
        shown = [item.data(Qt.ItemDataRole.UserRole) for item in self._items(self.issues)]
        if shown != list(themes):
            self._fill_issues(themes)
        good = key == "good_practice"
        self.agency.setEnabled(partner)
        self.agency_label.setEnabled(partner)
        self.issues.setEnabled(not good)
        self.outcome.setEnabled(not good)
        self.send_to.setEnabled(not good)
        self.send_label.setEnabled(not good)
        self.detail.setPlaceholderText(
            "What went well, and who did it" if good else "What has happened so far"
        )

    def issue_keys(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items(self.issues)
            if item.checkState() == Qt.CheckState.Checked
        ]

    # --- the form's contract -------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        good = self.category.currentData() == "good_practice"
        return {
            "child_ids": self.child_ids(),
            "category": str(self.category.currentData()),
            "partner_agency": str(self.agency.currentData())
            if self.category.currentData() == "partner"
            else None,
            "issues": [] if good else self.issue_keys(),
            "outcome_wanted": "" if good else _text(self.outcome),
            "detail": _text(self.detail),
            "service": self.service.currentText().strip(),
            "on": date_of(self.raised_on).isoformat(),
            "send_to": "" if good else self.send_to.text().strip(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        ids = [str(i) for i in values.get("child_ids") or []]
        index = self.category.findData(values.get("category"))
        if index >= 0:
            self.category.setCurrentIndex(index)
        index = self.agency.findData(values.get("partner_agency"))
        if index >= 0:
            self.agency.setCurrentIndex(index)
        wanted = set(values.get("issues") or [])
        for item in self._items(self.issues):
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in wanted
                else Qt.CheckState.Unchecked
            )
        self.outcome.setPlainText(str(values.get("outcome_wanted") or ""))
        self.detail.setPlainText(str(values.get("detail") or ""))
        self.service.setCurrentText(str(values.get("service") or ""))
        set_date(self.raised_on, values.get("on"))
        self.send_to.setText(str(values.get("send_to") or ""))
        self.wanted_siblings = ids[1:]
        if ids:
            self.choose_child(ids[0])

    def has_content(self) -> bool:
        v = self.values()
        return bool(v["child_ids"] or v["issues"] or v["outcome_wanted"] or v["detail"])

    def check(self) -> str:
        v = self.values()
        if not v["child_ids"]:
            if self.child.currentText().strip():
                return (
                    f"No child on the caseload is called '{self.child.currentText().strip()}'. "
                    "Choose one from the list."
                )
            return "Choose the child it is about."
        if v["category"] != "good_practice":
            if not v["issues"]:
                return "Tick at least one issue."
            if not v["outcome_wanted"]:
                return "Say what outcome you want for the child."
        elif not v["detail"]:
            return "Say what the good practice was."
        return ""
