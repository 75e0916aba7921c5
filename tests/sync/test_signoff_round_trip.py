"""A letter's sign-off across the sync server: the IRO submits on their laptop, a manager
elsewhere returns it and later approves it, and the IRO's letter follows after each sync.

The server is a real `iro-sync-server` process on 127.0.0.1; the manager decides through its
HTTP API, as the manager's own laptop would.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from server_testkit import PASSWORD
from server_testkit import push as push_items

from iro_desktop.domain.escalation import new_id
from iro_desktop.domain.review import ReviewStatus
from iro_desktop.services import letters, signoff, sync
from iro_desktop.services.letters import LetterFrozen, LetterStatus
from iro_desktop.store import repositories as repo
from iro_desktop.sync.protocol import Decision, SignoffDecision, SignoffSubmission
from tests.services import letters_kit as kit


def _submissions_on_server(server: Any) -> dict[str, dict[str, Any]]:
    """The submissions the manager sees on the server, by item id."""
    pulled = server.get("mo.manager", "/v1/pull", since=0)["items"]
    return {
        p["item"]["id"]: p["item"] for p in pulled if p["item"]["kind"] == SignoffSubmission.kind
    }


def _decide(server: Any, submission_id: str, decision: Decision, comment: str, at: datetime):
    item = SignoffDecision(
        item_id=new_id(),
        submission_id=submission_id,
        decision=decision,
        comment=comment,
        decided_by="mo.manager",
        decided_at=at,
    )
    with server.client() as http:
        results = push_items(http, server.headers("mo.manager"), item)
    assert results[0]["status"] == "accepted", results


def _sync(session: Any) -> sync.SyncReport:
    report = sync.sync_now(session, password=PASSWORD)
    assert report.ok, report.error
    return report


def _review_status(session: Any, review_id: str) -> ReviewStatus:
    opened = letters.open_letter(session, review_id)
    assert opened is not None
    return opened.review_status


def _audit_details(session: Any, version_id: str) -> list[str]:
    with session.unit_of_work() as s:
        return [e["detail"] for e in repo.audit_entries(s, version_id, limit=50)]


def test_returned_then_approved_by_a_manager_elsewhere_reaches_the_iros_letter(
    new_server, laptop
) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    kit.ready(amber)
    review_id = kit.completed_review(amber, kit.make_child(amber))
    submitted = letters.submit_review_letter(amber, review_id)
    assert _sync(amber).pushed == 1

    # The manager, elsewhere, finds it on the server and returns it with a comment.
    on_server = _submissions_on_server(server)
    assert len(on_server) == 1
    (first_id,) = on_server
    assert on_server[first_id]["review_id"] == review_id
    returned_at = datetime(2026, 11, 23, 11, 15, tzinfo=UTC)
    _decide(server, first_id, Decision.RETURNED, "Please say who Sam is.", returned_at)

    assert _sync(amber).pulled == 1
    back = letters.get_letter(amber, submitted.id).letter
    assert back.status is LetterStatus.RETURNED
    assert back.manager_comments[-1].text == "Please say who Sam is."
    assert back.manager_comments[-1].by == "mo.manager"
    assert back.manager_comments[-1].at == returned_at.replace(tzinfo=None)
    assert _review_status(amber, review_id) is ReviewStatus.LETTER_DRAFTED
    assert any(
        "returned by mo.manager" in d and "from the sync server" in d
        for d in _audit_details(amber, submitted.id)
    )
    assert sync.signoff_decisions(amber) == []  # dealt with
    assert signoff.apply_pulled_decisions(amber) == 0  # and not applied twice

    # The IRO changes the text and submits it again; it goes as a new submission.
    better = back.text.replace(kit.SWIMMING, kit.SWIMMING + " Sam is your social worker.")
    assert better != back.text
    saved = letters.save_text(amber, submitted.id, better)
    again = letters.submit(amber, submitted.id, expected_edit=saved.edit)
    assert again.status is LetterStatus.SUBMITTED
    assert _sync(amber).pushed == 1

    second = set(_submissions_on_server(server)) - {first_id}
    assert len(second) == 1
    approved_at = datetime(2026, 11, 23, 14, 40, tzinfo=UTC)
    _decide(server, second.pop(), Decision.APPROVED, "Clear and kind.", approved_at)

    assert _sync(amber).pulled == 1
    signed = letters.get_letter(amber, submitted.id).letter
    assert signed.status is LetterStatus.APPROVED
    assert signed.text == better
    assert (signed.approved_by, signed.approved_by_name) == ("mo.manager", "mo.manager")
    assert signed.approved_at == approved_at.replace(tzinfo=None)
    assert [c.action for c in signed.comments] == ["submitted", "returned", "submitted", "approved"]
    assert _review_status(amber, review_id) is ReviewStatus.APPROVED
    assert any(
        "approved by mo.manager" in d and "from the sync server" in d
        for d in _audit_details(amber, submitted.id)
    )
    # Frozen: the approved text cannot be changed, only corrected as a new version.
    with pytest.raises(LetterFrozen, match="cannot be changed"):
        letters.save_text(amber, submitted.id, better + " More.")


def test_a_decision_about_text_the_iro_has_since_corrected_is_not_applied(
    new_server, laptop
) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    kit.ready(amber)
    review_id = kit.completed_review(amber, kit.make_child(amber))
    submitted = letters.submit_review_letter(amber, review_id)
    _sync(amber)
    (first_id,) = _submissions_on_server(server)

    # A manager on this laptop returns it, and the IRO resubmits new text...
    manager = kit.manager_login(amber)
    signoff.return_letter(manager, submitted.id, "Shorter, please.")
    text = letters.get_letter(amber, submitted.id).letter.text
    saved = letters.save_text(amber, submitted.id, text.replace(kit.SWIMMING, "Swimming soon."))
    letters.submit(amber, submitted.id, expected_edit=saved.edit)
    # ...while the manager elsewhere approves the old text before the laptop syncs.
    _decide(server, first_id, Decision.APPROVED, "", datetime(2026, 11, 23, 16, tzinfo=UTC))

    _sync(amber)
    letter = letters.get_letter(amber, submitted.id).letter
    assert letter.status is LetterStatus.SUBMITTED  # still waiting: the new text is unread
    assert letter.approved_by is None
    assert sync.signoff_decisions(amber) == []
    assert any(
        "not applied" in d and "different text" in d for d in _audit_details(amber, submitted.id)
    )
