"""The laptop's login and the sync server's account: linked at the first sign-in, so work
written under the login's name is sent as the account's, and another account is refused
before anything is sent or set aside. Real caseloads, a real server."""

from __future__ import annotations

from typing import Any

import pytest
from server_testkit import PASSWORD

from iro_desktop.services import escalations, sync
from iro_desktop.store import outbox
from iro_desktop.sync.client import AccountMismatch, SyncClient


def _raise(session: Any, child: str, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "child_ids": [child],
        "category": "dispute",
        "issues": ["no_casework_activity"],
        "outcome_wanted": "Casework recorded on the file.",
        "send_to": "Tess Teamlead",
    }
    fields.update(overrides)
    return escalations.raise_escalation(session, **fields)


def test_the_login_is_bound_to_the_account_at_first_sign_in_and_its_work_goes_as_that_account(
    shared_server, laptop, add_child
) -> None:
    # The login is the computer's user name; no sync user was set when the work was done.
    laptop_session = laptop("amber.iro", shared_server.url, login="asmith01")
    laptop_session.settings.sync_user = ""
    child = add_child(laptop_session, "Hana", "Pembury")
    first = _raise(laptop_session, child)
    submitted = sync.outbox_items(laptop_session)
    assert {i.payload["author"] for i in submitted} == {"asmith01"}

    with SyncClient(laptop_session, username="amber.iro", password=PASSWORD) as client:
        report = client.sync_once()

    # Nothing is set aside as "author is not the signed-in user": it is all amber.iro's.
    assert (report.pushed, report.rejected, report.unsent, report.error) == (2, 0, 0, None)
    with laptop_session.unit_of_work() as s:
        bound = outbox.account_binding(s, "asmith01")
    assert bound is not None and bound.account == "amber.iro"
    assert sync.sync_account(laptop_session) == "amber.iro"
    view = escalations.get_escalation(laptop_session, first.escalation_id)
    assert {e.author for e in view.events} == {"amber.iro"}  # the log here says so too
    on_server = shared_server.get("mo.manager", "/v1/escalations", status="all")["escalations"]
    assert any(
        e["escalation_id"] == first.escalation_id and e["raised_by"] == "amber.iro"
        for e in on_server
    )

    # Later work, still written under the login's name, goes as the account's too.
    escalations.add_comment(laptop_session, first.escalation_id, "Chased by phone.")
    with SyncClient(laptop_session, username="amber.iro", password=PASSWORD) as client:
        report = client.sync_once(force=True)
    assert (report.pushed, report.rejected, report.unsent) == (1, 0, 0)


def test_another_account_is_refused_before_anything_is_sent_or_set_aside(
    shared_server, laptop, add_child
) -> None:
    amber = laptop("amber.iro", shared_server.url, login="amber")
    child = add_child(amber, "Ivo", "Quarrington")
    _raise(amber, child)
    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().pushed == 2  # the first sign-in: amber is amber.iro
    waiting = _raise(amber, child, issues=["no_pathway_plan"])

    expected = (
        "This laptop's login 'amber' is linked to the sync account 'amber.iro', so it cannot "
        "sync as 'basil.iro'. Sign in as amber.iro; nothing was sent or set aside"
    )
    with SyncClient(amber, username="basil.iro", password=PASSWORD) as other:
        with pytest.raises(AccountMismatch) as refused:
            other.sign_in()
        assert str(refused.value) == expected
        report = other.sync_once(force=True)
    assert report.sign_in_needed and report.error == expected
    assert (report.pushed, report.rejected, report.unsent) == (0, 0, 2)
    assert sync.outbox_items(amber, "rejected") == []
    pending = sync.outbox_items(amber, "pending")
    assert [p.attempts for p in pending] == [0, 0]  # not even tried
    assert escalations.get_escalation(amber, waiting.escalation_id).unsent == 2

    # As the linked account, they go.
    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once(force=True).pushed == 2
