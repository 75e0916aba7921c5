"""The smaller forms on a child's page: a social worker's visit, a decision to place for
adoption (or its reversal), a missing episode, and removing a child added by mistake."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child
from iro_desktop.ui.entry import DateField, code_combo, parse_uk_date
from iro_desktop.ui.entry_dialog import EntryDialog

SEEN_ALONE = {"": "Not recorded", "yes": "Yes, seen alone", "no": "No, not seen alone"}


class _RecordForm(EntryDialog):
    def __init__(self, title: str, ok: str, child: Child, today: date, parent: QWidget | None):
        super().__init__(title, ok, parent)
        self.child, self.today = child, today
        self.form = self.new_form()
        self.body.addLayout(self.form)

    def not_future(self, found: dict[str, str], name: str, what: str) -> date | None:
        day: date | None = self.widget(name).value()
        if day is not None and day > self.today:
            found[name] = f"{what} cannot be recorded before it happens."
        elif day is not None and day < self.child.date_of_birth:
            found[name] = f"{what} cannot be before the child was born."
        return day


class VisitForm(_RecordForm):
    kind = "visit"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(f"Add a visit to {child.known_as}", "&Add the visit", child, today, parent)
        self.set_intro(
            "A statutory visit by the social worker (regulation 28). The next visit is due "
            "counting from the latest one."
        )
        self.add(
            self.form,
            "visited_on",
            "&Visited on *:",
            DateField("Visited on"),
            "Visited on",
            "the date of the visit",
        )
        self.widget("visited_on").set_value(today)
        seen = QComboBox()
        for key, words in SEEN_ALONE.items():
            seen.addItem(words, key)
        self.add(self.form, "seen_alone", "&Seen alone:", seen, "Seen alone")
        social_worker = next((p.name for p in child.people if p.role == "social_worker"), "")
        by = QLineEdit(social_worker)
        by.setPlaceholderText("The social worker's name")
        self.add(self.form, "by", "&By:", by, "Visited by")
        note = QLineEdit()
        note.setPlaceholderText("Optional: anything to remember about the visit")
        self.add(self.form, "note", "&Note:", note, "Note")
        self.finish()  # today's date and the social worker are suggestions, not typing

    def problems(self) -> dict[str, str]:
        found = super().problems()
        self.not_future(found, "visited_on", "A visit")
        return found


class AdoptionForm(_RecordForm):
    kind = "adoption"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            "Decision to place for adoption", "&Save the decision", child, today, parent
        )
        self.set_intro(
            "The date the decision was made that the child should be placed for adoption. If "
            "the decision has been reversed, give the date and the reason too (the 903's "
            "PlacedAdoption table). A decision on the same date is updated, not doubled."
        )
        self.add(
            self.form,
            "decided_on",
            "&Decided on *:",
            DateField("Decided on"),
            "Decided on",
            "the date of the decision",
        )
        self.add(
            self.form,
            "ceased_on",
            "&Reversed on:",
            DateField("Reversed on"),
            "Reversed on (if it was)",
        )
        self.add(
            self.form,
            "reason_ceased",
            "&Why reversed:",
            code_combo(codes.REASONS_PLACED_CEASED, "Not reversed"),
            "Why it was reversed",
        )
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        decided = self.not_future(found, "decided_on", "A decision")
        ceased = self.not_future(found, "ceased_on", "A reversal")
        reason = self.values()["reason_ceased"]
        if decided and ceased and ceased < decided:
            found["ceased_on"] = "It cannot be reversed before it was made."
        if ceased and not reason:
            found["reason_ceased"] = "Say why the decision was reversed."
        if reason and not self.values()["ceased_on"].strip():
            found["ceased_on"] = "Give the date it was reversed."
        return found


class MissingForm(_RecordForm):
    kind = "missing"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Add a missing episode", "&Add the episode", child, today, parent)
        self.set_intro(
            "A time the child was missing, or away from the placement without "
            "authorisation (the 903's Missing table)."
        )
        self.add(
            self.form,
            "kind",
            "&Kind *:",
            code_combo(codes.MISSING_KINDS, "Choose..."),
            "Kind",
            "missing or away",
        )
        self.add(self.form, "start", "&From *:", DateField("From"), "From", "the start date")
        self.add(self.form, "end", "&Back on:", DateField("Back on"), "Back on (blank if not back)")
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        start = self.not_future(found, "start", "A missing episode")
        end = self.not_future(found, "end", "The return")
        if start and end and end < start:
            found["end"] = "The child cannot be back before they went missing."
        return found


class RemoveChildForm(EntryDialog):
    kind = "remove"

    def __init__(self, child: Child, parent: QWidget | None = None) -> None:
        super().__init__(f"Remove {child.name}?", f"&Remove {child.name}", parent)
        self.set_intro(
            f"This takes {child.name} ({child.la_child_id}) off this caseload with everything "
            "recorded for them: care history, visits, reviews and letters. Use it for a child "
            "added by mistake. A child who has left care stays: end their period of care "
            "instead. The reason is kept in the audit trail."
        )
        reason = QLineEdit()
        reason.setPlaceholderText("e.g. added by mistake, a duplicate of another record")
        self.add(
            self.form_layout(),
            "reason",
            "&Why *:",
            reason,
            "Why the child is removed",
            "why the child is removed",
        )
        self.finish()

    def form_layout(self) -> Any:
        form = self.new_form()
        self.body.addLayout(form)
        return form


def seen_alone(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def perform_visit(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    return children.add_visit(
        session,
        child_id,
        visited_on=parse_uk_date(v["visited_on"]),
        seen_alone=seen_alone(v["seen_alone"]),
        by=v["by"],
        note=v["note"],
    )


def perform_adoption(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    ceased = v["ceased_on"].strip()
    return children.record_adoption_decision(
        session,
        child_id,
        decided_on=parse_uk_date(v["decided_on"]),
        ceased_on=parse_uk_date(ceased) if ceased else None,
        reason_ceased=v["reason_ceased"],
    )


def perform_missing(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    end = v["end"].strip()
    return children.add_missing(
        session,
        child_id,
        kind=v["kind"],
        start=parse_uk_date(v["start"]),
        end=parse_uk_date(end) if end else None,
    )
