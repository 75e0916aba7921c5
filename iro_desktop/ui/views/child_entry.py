"""Opening the child form for a page: 'Add a child' on the caseload, 'Edit details' on the
child's page. The form's choices are fetched on the worker; the save runs there too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from iro_desktop.domain.caseload import Child
from iro_desktop.ui.entry import parse_uk_date
from iro_desktop.ui.entry_keeper import EntryKeeper
from iro_desktop.ui.views.child_form import (
    ChildForm,
    ChildFormOptions,
    OtherChild,
    details_from,
)
from iro_desktop.ui.views.placement_fields import PlacementFields


class ChildEntry(QObject):
    def __init__(self, page: Any, draft_key: Callable[[], str]) -> None:
        super().__init__(page)
        self.page = page
        self.keeper = EntryKeeper(page, draft_key)

    @property
    def form(self) -> ChildForm | None:
        form = self.keeper.form
        return form if isinstance(form, ChildForm) else None

    def add(self, done: Callable[[Child], None], values: dict[str, Any] | None = None) -> None:
        session = self.page.ctx.session()

        def ready(found: tuple[ChildFormOptions, Child | None]) -> None:
            form = ChildForm(found[0], None, self.page)
            if values:
                form.set_values(values)
            self.keeper.open(form, {}, lambda v: save_new_child(session, v), done)

        self.page.ctx.tasks.run(
            lambda: form_options(session), ready, self.page.report, label="child form"
        )

    def edit(
        self,
        child_id: str,
        done: Callable[[Child], None],
        values: dict[str, Any] | None = None,
    ) -> None:
        session = self.page.ctx.session()

        def ready(found: tuple[ChildFormOptions, Child | None]) -> None:
            options, child = found
            if child is None:
                self.page.ctx.status("That child is no longer on the caseload.")
                return
            form = ChildForm(options, child, self.page)
            if values:
                form.set_values(values)
            self.keeper.open(
                form, {"child_id": child_id}, lambda v: save_child_changes(session, child, v), done
            )

        self.page.ctx.tasks.run(
            lambda: form_options(session, child_id), ready, self.page.report, label="child form"
        )


# --- on the worker: the form's choices, and its values into the service calls -----------


def save_new_child(session: Any, values: dict[str, Any]) -> Child:
    """Add the child and (if asked) start their period of care. A refused period of care
    takes the child away again, so a failed save leaves nothing half-done."""
    from iro_desktop.services import children

    details = children.ChildDetails(**details_from(values))
    child = children.add_child(session, details, siblings=values.get("siblings") or [])
    if values.get("period"):
        try:
            children.start_period(
                session,
                child.id,
                start=parse_uk_date(values["start"]),
                legal_status=values["legal_status"],
                category_of_need=values["category_of_need"],
                placement=PlacementFields.placement_from(values),
            )
        except Exception:
            children.remove_child(session, child.id, "the period of care was refused while adding")
            raise
    return child


def save_child_changes(session: Any, before: Child, values: dict[str, Any]) -> Child:
    from iro_desktop.services import caseload, children

    details = details_from(values)
    changes = {k: v for k, v in details.items() if getattr(before, k) != v}
    if changes:
        children.edit_child(session, before.id, **changes)
    others = caseload.children(session)
    was = {c.id for c in others if before.sibling_group and c.sibling_group == before.sibling_group}
    was.discard(before.id)
    wanted = set(values.get("siblings") or [])
    for gone in was - wanted:
        children.unlink_sibling(session, gone)
    if wanted - was:
        children.link_siblings(session, before.id, sorted(wanted))
    elif not wanted and before.sibling_group:
        children.unlink_sibling(session, before.id)
    return before


def form_options(
    session: Any, child_id: str | None = None
) -> tuple[ChildFormOptions, Child | None]:
    """What the form offers (the other children, the IROs), fetched on the worker."""
    from iro_desktop.services import caseload

    kids = caseload.children(session)
    me = session.user.get("display_name") or session.username
    others = [
        OtherChild(c.id, f"{c.display_name} ({c.la_child_id})", c.la_child_id, c.sibling_group)
        for c in sorted(kids, key=lambda c: (c.legal_last_name.casefold(), c.legal_first_name))
        if c.id != child_id
    ]
    iros = sorted({c.allocated_iro for c in kids if c.allocated_iro} | {me})
    child = next((c for c in kids if c.id == child_id), None)
    return ChildFormOptions(others, iros, me, session.clock.today()), child
