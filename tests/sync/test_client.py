"""The sync client against a real sync server (and, for bad answers, a server that breaks
the protocol): addresses, sign-in and tokens, back-off, set-aside items, lost answers,
batches too big for the server, sign-off items, paged pulls."""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from server_testkit import PASSWORD

from iro_desktop.services import escalations, sync
from iro_desktop.store import outbox
from iro_desktop.sync.client import Backoff, SyncClient, check_server_url
from iro_desktop.sync.protocol import Decision, SignoffDecision


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


# --- the address -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://iro-sync.example.gov.uk", "https://iro-sync.example.gov.uk/", "http://127.0.0.1:8765",
     "http://localhost:8765", "http://[::1]:8765"],
)  # fmt: skip
def test_https_and_this_computer_are_accepted(url: str) -> None:
    assert check_server_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://iro-sync.example.gov.uk", "unencrypted"),
        ("ftp://iro-sync.example.gov.uk", "not a sync server address"),
        ("https://amber:secret@iro-sync.example.gov.uk", "user name or password"),
        ("", "No sync server is set"),
    ],
)
def test_plain_http_to_another_computer_is_refused(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_server_url(url)


def test_plain_http_is_allowed_only_when_the_settings_say_so(laptop) -> None:
    amber = laptop("amber.iro", "http://sync.internal.example:8765")
    with pytest.raises(ValueError, match="unencrypted"):
        SyncClient(amber)
    amber.settings.allow_insecure_http = True
    with SyncClient(amber) as client:
        assert client.server_url == "http://sync.internal.example:8765"


# --- back-off --------------------------------------------------------------------------------


def test_back_off_doubles_with_jitter_up_to_a_cap() -> None:
    backoff = Backoff(base_seconds=5, cap_seconds=300)
    rng = random.Random(3)
    for failures, ceiling in [(1, 5), (2, 10), (3, 20), (6, 160), (7, 300), (30, 300)]:
        delays = [backoff.delay(failures, rng).total_seconds() for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # spread out: laptops not in step


def test_unreachable_server_backs_off_and_the_caseload_works_as_usual(laptop, add_child) -> None:
    amber = laptop("amber.iro", "http://127.0.0.1:9")  # nothing listens there
    child = add_child(amber, "Ada", "Wimbleby")
    first = _raise(amber, child)
    with SyncClient(amber, password=PASSWORD, rng=random.Random(1)) as client:
        report = client.sync_once()
        assert "cannot be reached" in (report.error or "")
        assert not report.sign_in_needed and report.unsent == 2
        waits = [report.next_attempt_at - amber.clock.now()]
        for _ in range(3):  # each failure in a row waits longer (when its time has come)
            amber.clock.advance(hours=1)
            report = client.sync_once()
            waits.append(report.next_attempt_at - amber.clock.now())
        assert waits == sorted(waits) and waits[0] <= timedelta(seconds=5) < waits[-1]
        assert client.sync_once().skipped  # not yet time
        assert client.sync_once(force=True).error  # "Sync now" tries anyway
    # Nothing was lost or blocked: the IRO carries on and the items wait, with the attempts.
    _raise(amber, child, issues=["visits_out_of_timescale"])
    waiting = sync.outbox_items(amber, "pending")
    assert len(waiting) == 4
    assert waiting[0].attempts == 5 and "cannot be reached" in waiting[0].last_error
    assert escalations.get_escalation(amber, first.escalation_id).unsent == 2
    assert "last sync failed" in sync.status(amber).words


# --- sign-in and the token -------------------------------------------------------------------


def _files_contain(folder: Any, secret: str) -> list[str]:
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    ]


def test_without_a_keyring_the_token_is_kept_only_inside_the_encrypted_caseload(
    shared_server, laptop
) -> None:
    amber = laptop("amber.iro", shared_server.url)
    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().ok
    with amber.unit_of_work() as s:
        token = outbox.sync_state(s, shared_server.url, "amber.iro").token
    assert token and len(token) > 20
    amber.lock()
    assert _files_contain(amber.paths.root, token) == []  # the file on disk is encrypted

    # Unlocked again, the kept token is used: no password needed.
    from iro_desktop.services import open_caseload
    from tests.conftest import PASSPHRASE

    again = open_caseload(amber.paths, amber.username, PASSPHRASE, clock=amber.clock)
    try:
        with SyncClient(again) as client:
            assert client.sync_once().ok
    finally:
        again.lock()


def test_with_a_keyring_the_token_lives_there_and_not_in_the_caseload(
    shared_server, laptop, memory_keyring
) -> None:
    amber = laptop("amber.iro", shared_server.url)
    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().ok
    kept = [v for (service, name), v in memory_keyring.items.items() if "sync-token" in name]
    assert len(kept) == 1 and kept[0]
    with amber.unit_of_work() as s:
        assert outbox.sync_state(s, shared_server.url, "amber.iro").token is None
    assert _files_contain(amber.paths.root, kept[0]) == []


def test_wrong_password_asks_to_sign_in_again_and_sends_nothing(
    shared_server, laptop, add_child
) -> None:
    amber = laptop("amber.iro", shared_server.url)
    _raise(amber, add_child(amber, "Bo", "Tumbleford"))
    with SyncClient(amber, password="not the password") as client:
        report = client.sync_once()
    assert report.sign_in_needed and "did not accept" in (report.error or "")
    assert report.unsent == 2 and report.next_attempt_at is None  # no point retrying alone


def test_an_expired_token_is_renewed_with_the_password_or_the_iro_is_asked(
    new_server, laptop, add_child
) -> None:
    import time

    server = new_server(extra=("--token-lifetime", "1")).start()
    amber = laptop("amber.iro", server.url)
    child = add_child(amber, "Cy", "Featherstone")
    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().pushed == 0
        time.sleep(1.2)
        _raise(amber, child)
        report = client.sync_once(force=True)  # signs in again by itself
        assert (report.pushed, report.error) == (2, None)
    time.sleep(1.2)
    _raise(amber, child, issues=["care_plan_not_updated"])
    with SyncClient(amber) as client:  # the window, with no password in memory
        report = client.sync_once(force=True)
        assert report.sign_in_needed
        assert report.error == "Sign in again: your sign-in to the sync server has expired."
        assert report.unsent == 2
        client.set_password(lambda: PASSWORD)  # the IRO types it in
        assert client.sync_once(force=True).pushed == 2


# --- set aside, lost answers, too big ---------------------------------------------------------


def test_a_rejected_item_is_set_aside_its_followers_wait_and_the_rest_go_on(
    shared_server, laptop, add_child
) -> None:
    amber = laptop("amber.iro", shared_server.url)
    child = add_child(amber, "Dee", "Marigoldsby")
    # Written by another login on this laptop (a colleague): the server will not take it as
    # amber.iro's, and sync does not make it hers.
    amber.add_login("basil", "Basil Example", "iro", "teapot harbour violet")
    amber.settings.sync_user = "basil"
    wrong = _raise(amber, child, send_to=None)
    amber.settings.sync_user = "amber.iro"
    right = _raise(amber, child, issues=["no_pathway_plan"])
    escalations.add_comment(amber, wrong.escalation_id, "Chased by phone.")

    with SyncClient(amber, password=PASSWORD) as client:
        report = client.sync_once()
    assert (report.pushed, report.rejected, report.held, report.unsent) == (2, 1, 1, 2)
    assert report.ok  # a set-aside item is not a failed sync
    set_aside = sync.outbox_items(amber, "rejected")
    assert len(set_aside) == 1
    assert "'basil' is not the signed-in user 'amber.iro'" in set_aside[0].reason
    (waiting,) = sync.outbox_items(amber, "pending")
    assert waiting.last_error.startswith("Waiting for an earlier item")
    view = escalations.get_escalation(amber, wrong.escalation_id)
    assert (view.unsent, view.set_aside) == (2, 1)
    assert escalations.get_escalation(amber, right.escalation_id).unsent == 0
    assert "1 set aside by the server" in sync.status(amber).words

    # A correction that would not fit the escalation is refused; the right one is queued.
    with pytest.raises(ValueError, match="id"):
        sync.correct_set_aside(amber, set_aside[0].item_id, {"id": "b" * 32})
    with pytest.raises(ValueError, match="before"):
        sync.correct_set_aside(amber, set_aside[0].item_id, {"occurred_on": "2026-12-25"})
    sync.correct_set_aside(amber, set_aside[0].item_id, {"author": "amber.iro"})
    with pytest.raises(ValueError, match="set aside"):
        sync.correct_set_aside(amber, set_aside[0].item_id, {"author": "amber.iro"})
    with SyncClient(amber, password=PASSWORD) as client:
        report = client.sync_once()
    assert (report.pushed, report.rejected, report.unsent) == (2, 0, 0)
    assert escalations.get_escalation(amber, wrong.escalation_id).events[0].author == "amber.iro"


class LoseAnswers(httpx.HTTPTransport):
    """Delivers requests to the real server, then loses its answer (a dropped connection)."""

    def __init__(self, path: str, times: int) -> None:
        super().__init__()
        self.path = path
        self.times = times

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path == self.path and self.times > 0:
            self.times -= 1
            response.read()
            response.close()
            raise httpx.ReadError("connection reset before the answer arrived", request=request)
        return response


def test_a_push_whose_answer_was_lost_is_sent_again_and_stored_once(
    new_server, laptop, add_child
) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    child = add_child(amber, "Eli", "Brackenridge")
    for issue in ["no_casework_activity", "permanence_drift", "no_social_work_report"]:
        _raise(amber, child, issues=[issue])
    # The client tries a dropped connection once more at once (a push is safe to repeat)...
    with SyncClient(amber, password=PASSWORD, transport=LoseAnswers("/v1/push", 1)) as client:
        report = client.sync_once()
    assert (report.pushed, report.duplicates, report.unsent, report.error) == (0, 6, 0, None)
    # ...and when that answer is lost too, the next sync sends them again.
    for issue in ["visits_out_of_timescale", "care_plan_not_updated"]:
        _raise(amber, child, issues=[issue])
    with SyncClient(amber, password=PASSWORD, transport=LoseAnswers("/v1/push", 2)) as client:
        lost = client.sync_once()
        assert "cannot be reached" in (lost.error or "") and lost.unsent == 4
        again = client.sync_once(force=True)
    assert (again.pushed, again.duplicates, again.unsent, again.error) == (0, 4, 0, None)
    stored = server.get("amber.iro", "/v1/escalations", status="all")["escalations"]
    assert len(stored) == 5 and all(len(e["stages"]) == 1 for e in stored)
    sent = sync.outbox_items(amber, "sent")
    assert [item.attempts for item in sent] == [1] * 6 + [2] * 4
    assert all(item.duplicate for item in sent)


def test_batches_too_big_for_the_server_are_split_and_one_too_big_item_is_set_aside(
    new_server, laptop, add_child
) -> None:
    server = new_server(extra=("--max-body-bytes", "6000")).start()
    amber = laptop("amber.iro", server.url)
    child = add_child(amber, "Fen", "Puddlestone")
    for n in range(4):
        _raise(amber, child, outcome_wanted=f"Outcome {n}: " + "the plan agreed. " * 140)
    huge = _raise(amber, child, send_to=None, detail="x" * 7000, issues=["other"])
    with SyncClient(amber, password=PASSWORD) as client:
        report = client.sync_once()
    assert (report.pushed, report.rejected, report.unsent) == (8, 1, 1)
    (set_aside,) = sync.outbox_items(amber, "rejected")
    assert set_aside.escalation_id == huge.escalation_id
    assert "Too large for the sync server" in set_aside.reason


# --- a server that breaks the protocol --------------------------------------------------------


STAND_IN = "any password will do for the stand-in"


class BrokenServer:
    """A stand-in sync server on 127.0.0.1 whose answers to push or pull are wrong."""

    def __init__(self) -> None:
        self.push_answer: Any = None  # None: answer correctly
        self.pull_answer: Any = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: Any) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path == "/v1/auth/token":
                    self._answer({"access_token": "stand-in-token", "token_type": "bearer",
                                  "expires_at": "2040-01-01T00:00:00+00:00",
                                  "username": sent["username"], "role": "iro"})  # fmt: skip
                    return
                if owner.push_answer is not None:
                    self._answer(owner.push_answer)
                    return
                results = [
                    {"index": i, "id": item["id"], "status": "accepted", "seq": 100 + i,
                     "reason": None, "conflict": None}
                    for i, item in enumerate(sent["items"])
                ]  # fmt: skip
                self._answer({"protocol": 1, "results": results})

            def do_GET(self) -> None:  # noqa: N802
                self._answer(owner.pull_answer or {"protocol": 1, "cursor": 0, "more": False,
                                                   "items": []})  # fmt: skip

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def broken() -> Iterator[BrokenServer]:
    server = BrokenServer()
    yield server
    server.close()


def test_a_malformed_push_answer_is_a_clear_error_and_nothing_is_applied(
    broken, laptop, add_child
) -> None:
    amber = laptop("amber.iro", broken.url)
    raised = _raise(amber, add_child(amber, "Gus", "Hollowell"))
    for answer, words in [
        (b"<html>Gateway Timeout</html>", "is not JSON"),
        (
            {
                "protocol": 1,
                "results": [
                    {
                        "index": 0,
                        "id": None,
                        "status": "stored",
                        "seq": 1,
                        "reason": None,
                        "conflict": None,
                    }
                ],
            },  # fmt: skip
            "does not follow the protocol",
        ),
        ({"protocol": 1, "results": []}, "does not match the items sent"),
        ({"protocol": 2, "results": []}, "Protocol version 2 is not supported"),
    ]:
        broken.push_answer = answer
        with SyncClient(amber, password=STAND_IN) as client:
            report = client.sync_once(force=True)
        assert words in (report.error or ""), report.error
        assert report.unsent == 2 and report.pushed == 0
    assert all(e.sync == "waiting" for e in escalations.get_escalation(
        amber, raised.escalation_id).events)  # fmt: skip

    broken.push_answer = None
    with SyncClient(amber, password=STAND_IN) as client:
        assert client.sync_once(force=True).pushed == 2


def test_a_malformed_pull_answer_is_a_clear_error_and_nothing_is_applied(
    broken, laptop, add_child
) -> None:
    amber = laptop("amber.iro", broken.url)
    raised = _raise(amber, add_child(amber, "Hal", "Nettlecombe"))
    resolution = {
        "kind": "resolved", "id": "9" * 32, "escalation_id": raised.escalation_id,
        "occurred_on": "2026-11-24", "recorded_at": "2026-11-24T10:00:00+00:00",
        "author": "mo.manager", "outcome": "Done.", "difference_for_child": "A visit.",
    }  # fmt: skip
    broken.pull_answer = {
        "protocol": 1, "cursor": 7, "more": False,
        "items": [{"seq": 7, "received_at": "2026-11-24T10:00:01+00:00",
                   "item": {**resolution, "surprise": True}}],
    }  # fmt: skip
    with SyncClient(amber, password=STAND_IN) as client:
        report = client.sync_once()
    assert "does not follow the protocol" in (report.error or "")
    assert "unknown field(s): surprise" in (report.error or "")
    assert escalations.get_escalation(amber, raised.escalation_id).status == "open"
    with amber.unit_of_work() as s:
        assert outbox.sync_state(s, broken.url, "amber.iro").cursor == 0

    broken.pull_answer["items"][0]["item"] = resolution
    with SyncClient(amber, password=STAND_IN) as client:
        report = client.sync_once(force=True)
    assert (report.pulled, report.error) == (1, None)
    assert escalations.get_escalation(amber, raised.escalation_id).status == "resolved"


# --- sign-off items and paged pulls ------------------------------------------------------------


def test_sign_off_submissions_go_and_the_managers_decisions_come_back(
    new_server, laptop, add_child
) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    manager = laptop("mo.manager", server.url)
    child = add_child(amber, "Ivo", "Ashdown")
    digest = hashlib.sha256(b"Dear Ivo, ...").hexdigest()
    with amber.unit_of_work() as db:
        submitted = sync.enqueue_signoff(
            amber, db, review_id="review-0001", version=1, content_hash=digest, child_ids=[child]
        )
    with pytest.raises(ValueError, match="SHA-256"), amber.unit_of_work() as db:
        sync.enqueue_signoff(
            amber, db, review_id="review-0001", version=2, content_hash="nope", child_ids=[child]
        )
    assert [i.what for i in sync.outbox_items(amber)] == ["Minutes submitted for sign-off"]

    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().pushed == 1
    inbox = server.get("mo.manager", "/v1/signoff/inbox")["submissions"]
    assert [s["submission"]["id"] for s in inbox] == [submitted.item_id]

    # The manager's laptop sends the decision through its own outbox (the generic enqueue).
    with SyncClient(manager, password=PASSWORD, page_size=1) as client:
        assert client.sync_once().pulled == 1
        assert [e.kind for e in sync.pulled_items(manager)] == ["signoff"]
        decision = SignoffDecision(
            item_id="a" * 32,
            submission_id=submitted.item_id,
            decision=Decision.RETURNED,
            comment="Please explain 'permanence' in words Ivo will know.",
            decided_by="mo.manager",
            decided_at=manager.clock.now(),
        )
        with manager.unit_of_work() as db:
            outbox.enqueue(db, decision)
        assert client.sync_once().pushed == 1

    with SyncClient(amber, password=PASSWORD) as client:
        assert client.sync_once().pulled == 1
    ((got, entry),) = sync.signoff_decisions(amber)
    assert got == decision
    with amber.unit_of_work() as db:
        sync.mark_pulled_handled(amber, db, entry.item_id)
    assert sync.signoff_decisions(amber) == []


def test_a_long_pull_comes_in_pages_and_a_repeated_pull_adds_nothing(
    new_server, laptop, add_child
) -> None:
    server = new_server().start()
    amber = laptop("amber.iro", server.url)
    basil = laptop("basil.iro", server.url)
    manager = laptop("mo.manager", server.url)
    for session, name in [(amber, "Jo"), (basil, "Kit")]:
        child = add_child(session, name, "Larkspur")
        for issue in ["no_casework_activity", "permanence_drift"]:
            _raise(session, child, issues=[issue])
        with SyncClient(session, password=PASSWORD) as client:
            assert client.sync_once().pushed == 4
    with SyncClient(manager, password=PASSWORD, page_size=3) as client:
        report = client.sync_once()
        assert (report.pulled, report.error) == (8, None)
        assert len(escalations.list_escalations(manager)) == 4
        assert client.sync_once(force=True).pulled == 0
    with manager.unit_of_work() as s:
        # The cursor moved past everything; pulling from 0 again would add nothing either.
        outbox.update_sync_state(s, outbox.state_key(server.url, "mo.manager"), cursor=0)
    with SyncClient(manager, password=PASSWORD, page_size=3) as client:
        assert client.sync_once(force=True).pulled == 0
    assert len(escalations.list_escalations(manager)) == 4
