"""Opening a page's forms one at a time, saving their change on the task queue, and keeping
what was typed as a draft (autosaved; kept through a lock; put back after unlocking)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from iro_desktop.ui import dialogs
from iro_desktop.ui.entry_dialog import EntryDialog


class EntryKeeper(QObject):
    """Opens one form at a time for a page, saves its change on the task queue, and keeps
    what was typed as a draft (autosaved; kept through a lock; put back after unlocking).

    `perform(values)` runs on the worker (no widgets); `done(result)` after the form closed.
    """

    def __init__(self, page: Any, draft_key: Callable[[], str]) -> None:
        super().__init__(page)
        self.page = page
        self.draft_key = draft_key
        self.form: EntryDialog | None = None
        self.context: dict[str, Any] = {}
        self.key = ""
        self.kept: tuple[str, dict[str, Any]] | None = None  # closed by the lock

    def open(
        self,
        form: EntryDialog,
        context: dict[str, Any],
        perform: Callable[[dict[str, Any]], Any],
        done: Callable[[Any], None],
    ) -> EntryDialog:
        from iro_desktop.services import caseload as caseload_service

        if self.form is not None and self.form.isVisible():
            self.form.raise_()
            return self.form
        tasks = self.page.ctx.tasks
        session = self.page.ctx.session()
        key = self.key = self.draft_key()
        self.form, self.context, self.kept = form, dict(context), None

        def submitted(values: dict[str, Any]) -> None:
            def work() -> Any:
                result = perform(values)
                caseload_service.discard_draft(session, key)
                return result

            def ok(result: Any) -> None:
                form.saved()
                done(result)

            tasks.run(work, ok, form.refused, label=f"save {form.kind}")

        def finished(_code: int) -> None:
            if dialogs.was_closed_by_lock(form):
                self.kept = (key, self._payload(form))
            elif self.form is form:
                tasks.run(lambda: caseload_service.discard_draft(session, key))
            if self.form is form:
                self.form = None

        form.submitted.connect(submitted)
        form.finished.connect(finished)
        dialogs.track(form)
        form.open()
        form.activateWindow()
        return form

    def _payload(self, form: EntryDialog) -> dict[str, Any]:
        return {"form": form.kind, "context": self.context, "values": form.values()}

    def drafts(self) -> dict[str, dict[str, Any]]:
        form = self.form
        if form is not None and form.has_content():
            return {self.key: self._payload(form)}
        if self.kept is not None:
            return {self.kept[0]: self.kept[1]}
        return {}

    def clear_for_lock(self) -> None:
        self.form = None
        self.kept = None
