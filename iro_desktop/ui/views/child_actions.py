"""What the IRO can change from a child's page: the details, the care history, visits,
adoption decisions and missing episodes; 'Undo last change'; removing a child added by
mistake. Each change opens a form that stays open until the save succeeds (see EntryDialog);
the record as it was before the last change is kept so that it can be put back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from iro_desktop.domain.caseload import Child
from iro_desktop.ui import dialogs
from iro_desktop.ui.entry_dialog import EntryDialog
from iro_desktop.ui.entry_keeper import EntryKeeper
from iro_desktop.ui.views import care_forms, record_forms
from iro_desktop.ui.views.child_entry import ChildEntry
from iro_desktop.ui.views.correct_form import CorrectEpisodeForm, perform_correct
from iro_desktop.ui.widgets import uk_date

DRAFT_PREFIX = "child_form:"

# what -> (form, the service call, what 'Undo' would put back, in words)
FORMS: dict[str, tuple[Callable[..., EntryDialog], Callable[..., Child], str]] = {
    "start": (care_forms.StartPeriodForm, care_forms.perform_start, "the new period of care"),
    "move": (care_forms.MoveForm, care_forms.perform_move, "the move"),
    "legal_status": (
        care_forms.LegalStatusForm,
        care_forms.perform_legal_status,
        "the change of legal status",
    ),
    "end": (care_forms.EndPeriodForm, care_forms.perform_end, "the end of the period of care"),
    "long_term": (
        care_forms.LongTermForm,
        care_forms.perform_long_term,
        "the long-term confirmation",
    ),
    "visit": (record_forms.VisitForm, record_forms.perform_visit, "the visit"),
    "adoption": (record_forms.AdoptionForm, record_forms.perform_adoption, "the adoption decision"),
    "missing": (record_forms.MissingForm, record_forms.perform_missing, "the missing episode"),
}


class ChildActions(QObject):
    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page
        key = lambda: f"{DRAFT_PREFIX}{page.child_id}"  # noqa: E731
        self.keeper = EntryKeeper(page, key)
        self.details = ChildEntry(page, key)
        self.undo_record: Child | None = None
        self.undo_words = ""

    @property
    def form(self) -> EntryDialog | None:
        return self.keeper.form or self.details.keeper.form

    def _session(self) -> Any:
        return self.page.ctx.session()

    # --- the changes --------------------------------------------------------------------------

    def open(self, what: str, values: dict[str, Any] | None = None, **context: Any) -> None:
        view = self.page.view
        if view is None:
            return
        child, today, session = view.child, view.today, self._session()
        if what == "details":
            self.details.edit(
                child.id, lambda before: self._saved(before, "the change to the details"), values
            )
            return
        if what == "remove":
            self._open_remove(child, values)
            return
        if what == "correct":
            episode_id = context.get("episode_id")
            episode = next(
                (e for p in child.periods for e in p.episodes if e.id == episode_id), None
            )
            if episode is None:
                episode = self.page.care.selected()
            if episode is None:
                self.page.ctx.status("Choose the episode to correct in the care history.")
                return
            form: EntryDialog = CorrectEpisodeForm(child, episode, today, self.page)
            perform: Callable[[dict[str, Any]], Any] = lambda v: perform_correct(  # noqa: E731
                session, child.id, episode, v
            )
            words, context = "the correction", {"episode_id": episode.id}
        else:
            factory, call, words = FORMS[what]
            form = factory(child, today, self.page)
            perform = lambda v: call(session, child.id, v)  # noqa: E731
        if values:
            form.set_values(values)
        self.keeper.open(
            form, {"what": what, **context}, perform, lambda _r: self._saved(child, words)
        )

    def _saved(self, before: Child, words: str) -> None:
        self.undo_record, self.undo_words = before, words
        self.page.changed.emit(f"child:{before.id}")
        self.page.ctx.status(f"Saved {words}. 'Undo last change' puts it back.")
        self.page.update_undo()

    def remove_visit(self) -> None:
        view = self.page.view
        visit = self.page.visits.selected()
        if view is None or visit is None:
            return
        child, session = view.child, self._session()
        if not dialogs.confirm(
            self.page,
            "Remove this visit?",
            f"Remove the visit on {uk_date(visit.visited_on)}"
            + (f" by {visit.by}" if visit.by else "")
            + "? Use this for a visit recorded by mistake.",
            yes_label="&Remove",
        ):
            return
        from iro_desktop.services import children

        self.page.ctx.tasks.run(
            lambda: children.remove_visit(session, child.id, visit.id),
            lambda _r: self._saved(child, "the removed visit"),
            lambda exc: dialogs.error(self.page, "The visit was not removed", str(exc)),
            label="remove visit",
        )

    # --- undo ---------------------------------------------------------------------------------

    def undo(self) -> None:
        before, words = self.undo_record, self.undo_words
        if before is None:
            return
        from iro_desktop.services import children

        session = self._session()

        def undone(_r: Any) -> None:
            self.undo_record, self.undo_words = None, ""
            self.page.changed.emit(f"child:{before.id}")
            self.page.ctx.status(f"Undone: {words}. The record is as it was before.")
            self.page.update_undo()

        self.page.ctx.tasks.run(
            lambda: children.restore_child(session, before),
            undone,
            lambda exc: dialogs.error(self.page, "The change was not undone", str(exc)),
            label="undo",
        )

    # --- removing the child -------------------------------------------------------------------

    def _open_remove(self, child: Child, values: dict[str, Any] | None) -> None:
        from iro_desktop.services import children

        session = self._session()
        form = record_forms.RemoveChildForm(child, self.page)
        if values:
            form.set_values(values)

        def removed(_name: Any) -> None:
            self.undo_record = None
            page = self.page
            page.changed.emit("caseload")
            page.ctx.navigator.show_page("caseload")
            page.forget()
            forget = getattr(page.ctx.navigator, "forget_child", None)
            if forget is not None:
                forget(child.id)  # Back no longer leads to them
            page.ctx.status(f"{child.name} was removed from the caseload.")

        self.keeper.open(
            form,
            {"what": "remove"},
            lambda v: children.remove_child(session, child.id, v["reason"]),
            removed,
        )

    # --- drafts --------------------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        found = self.keeper.drafts()
        for key, payload in self.details.keeper.drafts().items():
            found[key] = {**payload, "context": {"what": "details"}}
        return found

    def reopen(self, payload: dict[str, Any]) -> None:
        found_context, found_values = payload.get("context"), payload.get("values")
        context: dict[str, Any] = found_context if isinstance(found_context, dict) else {}
        values: dict[str, Any] = found_values if isinstance(found_values, dict) else {}
        what = str(context.get("what", ""))
        if what in (*FORMS, "details", "remove", "correct"):
            extra = {"episode_id": context.get("episode_id")} if what == "correct" else {}
            self.open(what, values, **extra)

    def clear_for_lock(self) -> None:
        self.keeper.clear_for_lock()
        self.details.keeper.clear_for_lock()
        self.undo_record, self.undo_words = None, ""
