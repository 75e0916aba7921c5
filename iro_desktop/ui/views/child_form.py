"""Add a child, or edit a child's details: who they are, their IRO, brothers and sisters,
needs, and (for a new child) the start of their period of care, all in one form.

Rules are checked as the IRO types (services.children.problems, the same checks the save
makes), each message beside its field. What the form sends is plain data; child_entry turns
it into the service calls, on the worker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.ui.entry import DateField, checkable_item, code_combo, parse_uk_date
from iro_desktop.ui.entry_dialog import EntryDialog, breach_text
from iro_desktop.ui.views.placement_fields import PlacementFields

UPN_HELP = "A UPN has 13 characters: a letter, 11 digits, then a digit or a letter."
DETAILS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "la_child_id",
    "upn",
    "first_language",
    "interpreter_needed",
    "uasc",
    "allocated_iro",
    "disability",
    "communication_needs",
)


@dataclass(frozen=True)
class OtherChild:
    id: str
    label: str  # name and the council's id
    la_child_id: str
    sibling_group: str


@dataclass(frozen=True)
class ChildFormOptions:
    others: list[OtherChild]
    iros: list[str]  # IROs already named on the caseload
    me: str  # the signed-in IRO's name
    today: date


def _line(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionHeading")
    return label


class ChildForm(EntryDialog):
    kind = "child"

    def __init__(
        self, options: ChildFormOptions, child: Child | None = None, parent: QWidget | None = None
    ) -> None:
        editing = child is not None
        super().__init__(
            f"Edit {child.name}'s details" if child else "Add a child",
            "&Save changes" if editing else "&Save the child",
            parent,
        )
        self.options = options
        self.original = child
        self.needs_change = editing
        self.set_intro(
            "Change what needs changing; the care history, visits and reviews are changed on "
            "the child's page."
            if editing
            else "Fields marked * are needed. The council's child id is the one in its case "
            "system (LCS, Mosaic): it matches the child when the council's 903 files are "
            "imported later."
        )
        columns = QHBoxLayout()
        columns.setSpacing(24)
        left, right = self.new_form(), self.new_form()
        left_box, right_box = QVBoxLayout(), QVBoxLayout()
        left_box.addWidget(_heading("About the child"))
        left_box.addLayout(left)
        left_box.addStretch(1)
        right_box.addWidget(_heading("Their IRO, family and needs"))
        right_box.addLayout(right)
        right_box.addStretch(1)
        columns.addLayout(left_box, 1)
        columns.addLayout(right_box, 1)
        self.body.addLayout(columns)

        add = self.add
        add(
            left,
            "legal_first_name",
            "Legal &first name *:",
            _line(),
            "Legal first name",
            "the legal first name",
        )
        add(left, "legal_last_name", "&Last name *:", _line(), "Last name", "the last name")
        add(
            left,
            "preferred_name",
            "&Preferred name:",
            _line("What the child likes to be called"),
            "Preferred name",
        )
        add(
            left,
            "date_of_birth",
            "Date of &birth *:",
            DateField("Date of birth"),
            "Date of birth",
            "the date of birth",
        )
        add(left, "sex", "Se&x *:", code_combo(codes.SEXES, "Choose..."), "Sex", "sex")
        add(
            left,
            "ethnicity",
            "E&thnicity:",
            code_combo(codes.ETHNICITIES, "Not recorded"),
            "Ethnicity",
        )
        add(
            left,
            "la_child_id",
            "Council's child &id *:",
            _line("e.g. 1234567"),
            "Council's child id",
            "the council's child id",
        )
        add(left, "upn", "&UPN:", _line("Unique pupil number, if known"), "UPN")
        add(
            left,
            "first_language",
            "First lan&guage:",
            _line("e.g. English, Tigrinya"),
            "First language",
        )
        add(
            left,
            "interpreter_needed",
            "",
            QCheckBox("&Needs an interpreter"),
            "Needs an interpreter",
        )
        add(left, "uasc", "", QCheckBox("Unaccompanied asylum-see&king child (UASC)"), "UASC")

        iro = QComboBox()
        iro.setEditable(True)
        iro.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        iro.addItems(options.iros)
        iro.setEditText(child.allocated_iro if child else options.me)
        add(right, "allocated_iro", "Allocated I&RO:", iro, "Allocated IRO")
        siblings = QListWidget()
        siblings.setMaximumHeight(siblings.fontMetrics().lineSpacing() * 5 + 12)
        group = child.sibling_group if child else ""
        for other in options.others:
            siblings.addItem(checkable_item(other.label, other.id))
            if group and other.sibling_group == group:
                siblings.item(siblings.count() - 1).setCheckState(Qt.CheckState.Checked)
        add(
            right,
            "siblings",
            "Brothers and &sisters:",
            siblings,
            "Brothers and sisters on this caseload",
        )
        self.no_siblings = QLabel("No other children on the caseload yet.")
        self.no_siblings.setObjectName("hint")
        self.no_siblings.setWordWrap(True)  # in a narrow column it wraps, never cut off
        if not options.others:
            row = siblings.parentWidget()
            if row is not None:
                row.setVisible(False)
            self.fields["siblings"].caption.setVisible(False)
            right.addRow("Brothers and sisters:", self.no_siblings)
        add(
            right,
            "disability",
            "&Disability:",
            _line("e.g. autism, hearing impairment"),
            "Disability",
        )
        add(
            right,
            "communication_needs",
            "C&ommunication needs:",
            _line("e.g. uses Makaton, needs short sentences"),
            "Communication needs",
        )

        self.period: QGroupBox | None = None
        self.placement: PlacementFields | None = None
        if not editing:
            self.period = QGroupBox("Start the period of &care now")
            self.period.setCheckable(True)
            self.period.setChecked(True)
            self.period.setToolTip(
                "The date the child became looked after, and their first legal status and "
                "placement. Untick to add them later from the child's page."
            )
            inner = self.new_form()
            QVBoxLayout(self.period).addLayout(inner)
            add(
                inner,
                "start",
                "Looked after fro&m *:",
                DateField("Looked after from"),
                "Looked after from",
                "the date care started",
            )
            self.placement = PlacementFields(self, inner, with_legal_status=True, new=True)
            right.addRow(self.period)
            self.history.watch("period", self.period)
            self.period.toggled.connect(lambda _on: self.refresh())
        if child is not None:
            self._fill(child)
        self.finish()

    def _fill(self, child: Child) -> None:
        from iro_desktop.ui.entry import set_value_of

        for name in DETAILS:
            value = getattr(child, name)
            if isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            set_value_of(self.widget(name), value)

    # --- checks ------------------------------------------------------------------------------

    def _period_on(self) -> bool:
        return self.period is not None and self.period.isChecked()

    def needed(self) -> list[str]:
        missing = super().needed()
        if not self._period_on():
            missing = [n for n in missing if n not in ("start", "legal_status", "placement_type")]
        return missing

    def problems(self) -> dict[str, str]:
        found = super().problems()
        v = self.values()
        today = self.options.today
        dob = self.widget("date_of_birth").value()
        if dob is not None and dob > today:
            found["date_of_birth"] = "The date of birth cannot be after today."
        elif dob is not None and dob.year < 1995:
            found["date_of_birth"] = "A child or care leaver on this caseload was born after 1995."
        start = self.widget("start").value() if self._period_on() else None
        if start is not None and start > today:
            found["start"] = "Care cannot start after today."
        upn = v["upn"].strip()
        if upn and (len(upn) != 13 or not upn[0].isalpha() or not upn[1:12].isdigit()):
            found["upn"] = UPN_HELP
        la_id = v["la_child_id"].strip()
        same = next((o for o in self.options.others if la_id and o.la_child_id == la_id), None)
        if same is not None:
            found["la_child_id"] = f"{same.label} already has this id on the caseload."
        candidate = self.candidate()
        if candidate is not None:
            from iro_desktop.services.children import problems

            for breach in problems(candidate):
                name = breach.field if breach.field in self.fields else ""
                if breach.field == "record" or (name == "" and "date of birth" in breach.message):
                    continue  # the checks above say it beside the field
                found.setdefault(name, breach_text(breach))
        return found

    def candidate(self) -> Child | None:
        """The child as the save would make them (blanks filled so only real rules speak)."""
        dob = self.widget("date_of_birth").value()
        if dob is None or not 1995 <= dob.year <= 2040:
            return None
        d = details_from(self.values(), dob)
        base = self.original or Child(
            id="new",
            la_child_id="-",
            legal_first_name="-",
            legal_last_name="-",
            date_of_birth=dob,
            sex="X",
        )
        d = {k: v for k, v in d.items() if v not in ("",) or k in ("preferred_name",)}
        child = replace(base, **{**d, "sex": d.get("sex") or "X"})
        episode = self.first_episode()
        if episode is not None:
            child = replace(child, periods=(PeriodOfCare(episode.start, episodes=(episode,)),))
        return child

    def first_episode(self) -> Episode | None:
        if not self._period_on() or self.placement is None:
            return None
        start = self.widget("start").value()
        v = self.values()
        if start is None or not v["legal_status"] or not v["placement_type"]:
            return None
        return Episode(
            start=start,
            legal_status=v["legal_status"],
            placement_type=v["placement_type"],
            category_of_need=v["category_of_need"],
            reason_new="S",
            place_provider=v["place_provider"],
            postcode=v["postcode"].upper(),
            in_area=not v["out_of_area"],
        )

    def values(self) -> dict[str, Any]:
        found = super().values()
        if self.period is not None:
            found["period"] = self.period.isChecked()
        return found

    def set_values(self, values: dict[str, Any]) -> None:
        if self.period is not None and "period" in values:
            self.period.setChecked(bool(values["period"]))
        super().set_values(values)


# --- from the form's values to the service calls (on the worker) ---------------------------


def details_from(values: dict[str, Any], dob: date | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in DETAILS:
        value = values.get(name, "")
        if name == "date_of_birth":
            value = dob or parse_uk_date(str(value))
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out
