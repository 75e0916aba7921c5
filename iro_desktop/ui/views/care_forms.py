"""The forms that change a child's care history: start a period of care, record a move,
change the legal status, end the period of care, correct an episode.

Each checks as the IRO types (the DfE rules for the episode it would make) and the save
checks the whole record again. `perform_*` turn a form's values into the service call; they
run on the worker and touch no widget.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.domain.episode_rules import check_episode
from iro_desktop.domain.review_no_meeting import FOSTER_PLACEMENTS
from iro_desktop.ui.entry import DateField, code_combo, parse_uk_date
from iro_desktop.ui.entry_dialog import EntryDialog, breach_text
from iro_desktop.ui.views.placement_fields import PlacementFields
from iro_desktop.ui.widgets import uk_date

ENDING_REASONS = {k: v for k, v in codes.REASONS_EPISODE_CEASED.items() if k != "X1"}


def open_episode(child: Child) -> Episode | None:
    period = next((p for p in child.periods if p.end is None), None)
    return period.current_episode if period is not None else None


def rule_problems(form: EntryDialog, before: Child, after: Child) -> dict[str, str]:
    """Breaches the change would bring, beside their fields; a breach the record had
    already is said once, for the whole form (no change can be saved until it is put right)."""
    from iro_desktop.services.children import problems

    had = {str(b) for b in problems(before)}
    found: dict[str, str] = {}
    for breach in problems(after):
        if str(breach) in had:
            found.setdefault(
                "",
                "The record already breaks a rule, so it must be corrected first: "
                + breach_text(breach),
            )
            continue
        name = form.aliases.get(breach.field, breach.field)
        found.setdefault(name if name in form.fields else "", breach_text(breach))
    return found


def episode_problems(form: EntryDialog, dob: date, episode: Episode) -> dict[str, str]:
    found: dict[str, str] = {}
    for breach in check_episode(dob, episode):
        name = form.aliases.get(breach.field, breach.field)
        found.setdefault(name if name in form.fields else "", breach_text(breach))
    return found


class _CareForm(EntryDialog):
    aliases = {"start": "on", "end": "on"}

    def __init__(self, title: str, ok: str, child: Child, today: date, parent: QWidget | None):
        super().__init__(title, ok, parent)
        self.child, self.today = child, today
        self.current = open_episode(child)
        self.form = self.new_form()
        self.body.addLayout(self.form)

    def add_date(self, caption: str, accessible: str, needed: str) -> None:
        self.add(self.form, "on", caption, DateField(accessible), accessible, needed)

    def date_problems(self, found: dict[str, str], happened: str) -> date | None:
        on: date | None = self.widget("on").value()
        if on is None:
            return None
        if on > self.today:
            found["on"] = f"{happened} cannot be recorded before it happens."
        elif self.current is not None and on <= self.current.start:
            found["on"] = (
                f"It must be after the current episode began, on {uk_date(self.current.start)}."
            )
        return on


class StartPeriodForm(_CareForm):
    kind = "start_period"
    aliases: dict[str, str] = {}

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Start a period of care for {child.known_as}",
            "&Start the period",
            child,
            today,
            parent,
        )
        self.set_intro(
            f"The day {child.known_as} became looked after, with the first legal status and "
            "placement. (The 903 records it as a new episode that 'started to be looked after', S.)"
        )
        self.add(
            self.form,
            "start",
            "Looked after fro&m *:",
            DateField("Looked after from"),
            "Looked after from",
            "the date care started",
        )
        PlacementFields(self, self.form, with_legal_status=True, new=True)
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        start = self.widget("start").value()
        v = self.values()
        if start is not None and start > self.today:
            found["start"] = "Care cannot start after today."
        if start is not None and v["legal_status"] and v["placement_type"]:
            episode = Episode(
                start=start,
                legal_status=v["legal_status"],
                placement_type=v["placement_type"],
                category_of_need=v["category_of_need"],
                reason_new="S",
                place_provider=v["place_provider"],
            )
            period = PeriodOfCare(start, episodes=(episode,))
            after = replace(self.child, periods=(*self.child.periods, period))
            for name, text in rule_problems(self, self.child, after).items():
                found.setdefault(name, text)
        return found


class MoveForm(_CareForm):
    kind = "move"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Record a move for {child.known_as}", "&Record the move", child, today, parent
        )
        self.set_intro(
            "The day of the move and the new placement. The current episode ends that day and "
            "a new one begins (the 903's reason is worked out from what changed)."
        )
        self.add_date("Moved o&n *:", "Moved on", "the date of the move")
        PlacementFields(
            self,
            self.form,
            with_legal_status=True,
            new=True,
            legal_status_needed=False,
            with_need=False,
        )
        self.add(
            self.form,
            "reason_place_change",
            "Reason for the &move *:",
            code_combo(codes.REASONS_PLACE_CHANGE, "Choose..."),
            "Reason for the move",
            "the reason for the move",
        )
        self.add(
            self.form,
            "same_carer",
            "",
            QCheckBox("The &same carer (only the kind of placement changes)"),
            "Same carer",
        )
        self.finish()

    def needed(self) -> list[str]:
        missing = super().needed()
        if self.values()["placement_type"] in codes.TEMPORARY_PLACEMENTS:
            missing = [n for n in missing if n != "reason_place_change"]  # DfE rule 226
        return missing

    def problems(self) -> dict[str, str]:
        found = super().problems()
        on = self.date_problems(found, "A move")
        v = self.values()
        if on is not None and self.current is not None and v["placement_type"]:
            episode = Episode(
                start=on,
                legal_status=v["legal_status"] or self.current.legal_status,
                placement_type=v["placement_type"],
                place_provider=v["place_provider"],
                reason_new="P",
            )
            for name, text in episode_problems(self, self.child.date_of_birth, episode).items():
                found.setdefault(name, text)
        return found


class LegalStatusForm(_CareForm):
    kind = "legal_status"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Change {child.known_as}'s legal status",
            "&Change the legal status",
            child,
            today,
            parent,
        )
        now = self.current.legal_status if self.current else ""
        self.set_intro(
            f"The legal status is now {now} ({codes.LEGAL_STATUSES.get(now, 'not recorded')}). "
            "The placement stays the same; a new episode begins on the day of the change."
        )
        self.add_date("Changed o&n *:", "Changed on", "the date of the change")
        self.add(
            self.form,
            "legal_status",
            "New legal s&tatus *:",
            code_combo(codes.LEGAL_STATUSES, "Choose..."),
            "New legal status",
            "the new legal status",
        )
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        on = self.date_problems(found, "A change of legal status")
        status = self.values()["legal_status"]
        if self.current is not None and status == self.current.legal_status:
            found["legal_status"] = f"The legal status is already {status}."
        elif on is not None and self.current is not None and status:
            episode = replace(
                self.current,
                id=None,
                start=on,
                end=None,
                legal_status=status,
                reason_new="L",
                reason_ended="",
            )
            for name, text in episode_problems(self, self.child.date_of_birth, episode).items():
                found.setdefault(name, text)
        return found


class EndPeriodForm(_CareForm):
    kind = "end_period"

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            f"End {child.known_as}'s period of care",
            "&End the period of care",
            child,
            today,
            parent,
        )
        self.set_intro(
            f"The day {child.known_as} stopped being looked after, and why (the 903's reason "
            "the episode ceased). To record a move or a new legal status instead, use those."
        )
        self.add_date("Care ended o&n *:", "Care ended on", "the date care ended")
        self.add(
            self.form,
            "reason_ended",
            "&Why care ended *:",
            code_combo(ENDING_REASONS, "Choose..."),
            "Why care ended",
            "why care ended",
        )
        self.finish()

    def date_problems(self, found: dict[str, str], happened: str) -> date | None:
        on: date | None = self.widget("on").value()
        if on is not None and on > self.today:
            found["on"] = "The end of care cannot be recorded before it happens."
        elif on is not None and self.current is not None and on < self.current.start:
            found["on"] = (
                f"Care cannot end before the current episode began, on "
                f"{uk_date(self.current.start)}."
            )
        return on

    def problems(self) -> dict[str, str]:
        found = super().problems()
        on = self.date_problems(found, "")
        rec = self.values()["reason_ended"]
        if on is not None and rec and self.current is not None:
            ended = replace(self.current, end=on, reason_ended=rec)
            for name, text in episode_problems(self, self.child.date_of_birth, ended).items():
                found.setdefault(name, text)
        return found


class LongTermForm(_CareForm):
    """The current foster placement is confirmed as long-term: after its first year the social
    worker visits at least every 3 months (every 6 if the child agrees), and a review may be
    held without a meeting (local procedures)."""

    kind = "long_term"
    aliases = {"child_agrees_six_monthly_on": "agreed"}

    def __init__(self, child: Child, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Confirm {child.known_as}'s placement as long-term",
            "&Confirm long-term",
            child,
            today,
            parent,
        )
        self.set_intro(
            "The day the foster placement was confirmed as the child's long-term home. After "
            "its first year the social worker visits at least every 3 months, or up to every 6 "
            "months from the day the child agreed to that (regulation 28)."
        )
        self.add_date("Confirmed o&n *:", "Confirmed on", "the date it was confirmed")
        self.add(
            self.form,
            "agreed",
            "Child a&greed to 6-monthly visits on:",
            DateField("Child agreed to 6-monthly visits on"),
            "Child agreed to 6-monthly visits on (blank if not)",
        )
        if self.current is not None and self.current.long_term_confirmed is not None:
            self.widget("on").set_value(self.current.long_term_confirmed)
            if self.current.visits_six_monthly_agreed is not None:
                self.widget("agreed").set_value(self.current.visits_six_monthly_agreed)
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        current = self.current
        if current is not None and current.placement_type not in FOSTER_PLACEMENTS:
            found[""] = (
                "Only a foster placement (U1-U6) can be confirmed as long-term; this placement "
                f"is {current.placement_type}."
            )
        period = next((p for p in self.child.periods if p.end is None), None)
        on: date | None = self.widget("on").value()
        agreed: date | None = self.widget("agreed").value()
        for name, day in (("on", on), ("agreed", agreed)):
            if day is None:
                continue
            if day > self.today:
                found[name] = "It cannot be recorded before it happens."
            elif period is not None and day < period.start:
                found[name] = f"It must be in this period of care, from {uk_date(period.start)}."
        if on is not None and agreed is not None and agreed < on and "agreed" not in found:
            found["agreed"] = "The child cannot agree before the placement is confirmed."
        return found


def perform_long_term(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    agreed = str(v.get("agreed", "")).strip()
    return children.confirm_long_term(
        session,
        child_id,
        on=parse_uk_date(v["on"]),
        child_agrees_six_monthly_on=parse_uk_date(agreed) if agreed else None,
    )


def perform_start(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    return children.start_period(
        session,
        child_id,
        start=parse_uk_date(v["start"]),
        legal_status=v["legal_status"],
        category_of_need=v["category_of_need"],
        placement=PlacementFields.placement_from(v),
    )


def perform_move(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    return children.record_move(
        session,
        child_id,
        on=parse_uk_date(v["on"]),
        placement=PlacementFields.placement_from(v),
        reason_place_change=v["reason_place_change"],
        legal_status=v["legal_status"] or None,
        same_carer=bool(v["same_carer"]),
    )


def perform_legal_status(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    return children.change_legal_status(
        session, child_id, on=parse_uk_date(v["on"]), legal_status=v["legal_status"]
    )


def perform_end(session: Any, child_id: str, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    return children.end_period(
        session, child_id, on=parse_uk_date(v["on"]), reason_ended=v["reason_ended"]
    )
