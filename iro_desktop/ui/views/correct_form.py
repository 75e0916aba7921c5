"""Correct a recorded episode (a typing slip, or a code the council's file got wrong): every
903 field of the episode, checked against the whole record as the IRO types."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.ui.entry import DateField, code_combo, parse_uk_date, set_value_of
from iro_desktop.ui.entry_dialog import EntryDialog
from iro_desktop.ui.views.care_forms import rule_problems
from iro_desktop.ui.views.placement_fields import PlacementFields
from iro_desktop.ui.widgets import uk_date

TEXT_FIELDS = (
    "legal_status",
    "category_of_need",
    "placement_type",
    "place_provider",
    "provider",
    "postcode",
    "reason_new",
    "reason_ended",
    "reason_place_change",
)


def episode_values(episode: Episode) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(episode, name) for name in TEXT_FIELDS}
    values["start"] = episode.start.strftime("%d/%m/%Y")
    values["end"] = episode.end.strftime("%d/%m/%Y") if episode.end else ""
    values["out_of_area"] = not episode.in_area
    return values


def episode_changes(episode: Episode, values: dict[str, Any]) -> dict[str, Any]:
    """The fields the IRO changed, typed as the episode holds them."""
    wanted: dict[str, Any] = {name: str(values.get(name, "")).strip() for name in TEXT_FIELDS}
    wanted["postcode"] = wanted["postcode"].upper()
    wanted["start"] = parse_uk_date(values["start"])
    wanted["end"] = parse_uk_date(values["end"]) if str(values.get("end", "")).strip() else None
    wanted["in_area"] = not values.get("out_of_area")
    return {k: v for k, v in wanted.items() if getattr(episode, k) != v}


def with_episode(child: Child, episode_id: int | None, changes: dict[str, Any]) -> Child:
    """The record with one episode changed (as services.children.correct_episode does)."""
    periods = []
    for period in child.periods:
        episodes = tuple(
            replace(e, **changes) if e.id == episode_id else e for e in period.episodes
        )
        first, last = episodes[0], episodes[-1]
        closed = last.end is not None and last.reason_ended not in ("", "X1")
        periods.append(
            PeriodOfCare(
                start=first.start,
                end=last.end if closed else None,
                reason_ended=period.reason_ended,
                episodes=episodes,
                id=period.id,
            )
        )
    return replace(child, periods=tuple(periods))


class CorrectEpisodeForm(EntryDialog):
    kind = "correct"
    needs_change = True

    def __init__(
        self, child: Child, episode: Episode, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__("Correct an episode", "&Save the correction", parent)
        self.child, self.episode, self.today = child, episode, today
        self.set_intro(
            f"The episode from {uk_date(episode.start)} "
            f"{'to ' + uk_date(episode.end) if episode.end else '(continuing)'}. Correct what "
            "was recorded wrongly; to record something that happened (a move, a new legal "
            "status), use those buttons instead."
        )
        form = self.new_form()
        self.body.addLayout(form)
        self.add(form, "start", "&From *:", DateField("From"), "From", "the start date")
        self.add(form, "end", "T&o:", DateField("To"), "To (blank if continuing)")
        PlacementFields(self, form, with_legal_status=True, new=False)
        self.add(
            form,
            "reason_new",
            "Why it &began (RNE):",
            code_combo(codes.REASONS_NEW_EPISODE, "Not recorded"),
            "Why the episode began",
        )
        self.add(
            form,
            "reason_ended",
            "Why it e&nded (REC):",
            code_combo(codes.REASONS_EPISODE_CEASED, "Continuing"),
            "Why the episode ended",
        )
        self.add(
            form,
            "reason_place_change",
            "Reason for the &move:",
            code_combo(codes.REASONS_PLACE_CHANGE, "None"),
            "Reason for the move",
        )
        for name, value in episode_values(episode).items():
            set_value_of(self.widget(name), value)
        self.finish()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        v = self.values()
        start, end = self.widget("start").value(), self.widget("end").value()
        if start is None or (v["end"].strip() and end is None):
            return found
        if end is not None and end > self.today:
            found["end"] = "An episode cannot end after today."
        if not v["legal_status"] or not v["placement_type"]:
            return found
        after = with_episode(self.child, self.episode.id, episode_changes(self.episode, v))
        for name, text in rule_problems(self, self.child, after).items():
            found.setdefault(name, text)
        return found


def perform_correct(session: Any, child_id: str, episode: Episode, v: dict[str, Any]) -> Child:
    from iro_desktop.services import children

    changes = episode_changes(episode, v)
    if not changes:
        return children.find(session, child_id)
    assert episode.id is not None
    return children.correct_episode(session, child_id, episode.id, **changes)
