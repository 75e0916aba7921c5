"""Which form each move on an open escalation uses, and the service call it makes.

Shared by the Escalations page and the manager's view, so a move reads and behaves the same
wherever it is made. The call runs on the task queue: it gets values, never widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from iro_desktop.services.escalations import EscalationView
from iro_desktop.ui.views import escalation_forms as forms

if TYPE_CHECKING:
    from iro_desktop.services.access import CaseloadSession

Perform = Callable[[dict[str, Any]], EscalationView]
MOVES = ("send", "response", "bypass", "cafcass", "resolve", "withdraw", "comment")


def bypass_targets(view: EscalationView) -> list[tuple[str, str, str]]:
    """Stages it may go straight to, skipping at least one (CAFCASS has its own move)."""
    protocol = view.state.protocol
    if not protocol.allow_bypass or not view.is_open:
        return []
    return [
        (s.key, s.name, s.to_role)
        for s in protocol.stages[view.state.position + 2 :]
        if not s.is_cafcass_referral
    ]


def _on(values: dict[str, Any]) -> date:
    return date.fromisoformat(values["on"])


def build_move(
    kind: str,
    view: EscalationView,
    session: CaseloadSession,
    today: date,
    parent: QWidget | None,
) -> tuple[forms.EscalationForm, Perform]:
    """The form for `kind` about `view`, and what saving it does."""
    from iro_desktop.services import escalations as service

    eid = view.escalation_id
    form: forms.EscalationForm
    perform: Perform
    if kind == "send":
        stage = next((s for s in view.state.protocol.stages if s.key == view.next_stage_key), None)
        form = forms.SendForm(view, stage.to_role if stage else "recipient", today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.advance(session, eid, v["recipient"], on=_on(v))

    elif kind == "response":
        form = forms.ResponseForm(view, today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.record_response(session, eid, v["responder"], v["text"], on=_on(v))

    elif kind == "bypass":
        form = forms.BypassForm(view, bypass_targets(view), today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.bypass(
                session, eid, v["stage_key"], v["reason"], v["recipient"], on=_on(v)
            )

    elif kind == "cafcass":
        form = forms.CafcassForm(view, today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.refer_to_cafcass(session, eid, v["recipient"], v["reason"], on=_on(v))

    elif kind == "resolve":
        form = forms.ResolveForm(view, today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.resolve(session, eid, v["outcome"], v["difference"], on=_on(v))

    elif kind == "withdraw":
        form = forms.withdraw_form(view, today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.withdraw(session, eid, v["text"], on=_on(v))

    elif kind == "comment":
        form = forms.comment_form(view, today, parent)

        def perform(v: dict[str, Any]) -> EscalationView:
            return service.add_comment(session, eid, v["text"], on=_on(v))

    else:
        raise ValueError(f"Unknown escalation move '{kind}'. Moves are: {', '.join(MOVES)}.")
    return form, perform


def open_move(
    keeper: forms.FormKeeper,
    kind: str,
    view: EscalationView,
    session: CaseloadSession,
    today: date,
    parent: QWidget | None,
    done: Callable[[EscalationView], None],
    values: dict[str, Any] | None = None,
) -> forms.EscalationForm:
    """Build the move's form (with a draft's values put back) and open it with the keeper."""
    form, perform = build_move(kind, view, session, today, parent)
    if values:
        form.set_values(values)
    return keeper.open(form, {"escalation_id": view.escalation_id}, perform, done)
