"""Things that go wrong in service: a server killed mid-push, a sign-in that has run out."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
from server_testkit import batch, new_escalation, pull_all, sign_in, submission, url_of

from iro_desktop.server.config import FAULT_PAUSE_ENV
from iro_desktop.server.db import Database
from iro_desktop.server.stats import stats


def test_an_expired_token_is_refused_with_the_reason(fresh_server: Any) -> None:
    server = fresh_server(extra=("--token-lifetime", "1"))
    with server.client() as client:
        headers = sign_in(client, "amber.iro")
        assert client.get("/v1/pull", headers=headers).status_code == 200
        time.sleep(1.2)
        expired = client.get("/v1/pull", headers=headers)
        assert expired.status_code == 401
        assert expired.json()["detail"] == "token expired"
        assert "invalid_token" in expired.headers["www-authenticate"]
        # Signing in again gives a working token.
        assert client.get("/v1/pull", headers=sign_in(client, "amber.iro")).status_code == 200


def _stored(db_args: list[str]) -> dict[str, int | str]:
    db = Database(url_of(db_args))
    try:
        return stats(db)
    finally:
        db.dispose()


def test_a_server_killed_mid_push_stores_nothing_and_the_retry_stores_exactly_once(
    fresh_server: Any, tmp_path: Path
) -> None:
    marker = tmp_path / "push-paused"
    doomed = fresh_server(env={FAULT_PAUSE_ENV: str(marker)})
    items = [*new_escalation("amber.iro"), *new_escalation("amber.iro"), submission("amber.iro")]
    body = batch(*items)

    with doomed.client() as client:
        headers = sign_in(client, "amber.iro")
        outcome: dict[str, Any] = {}

        def send() -> None:
            try:
                outcome["response"] = client.post("/v1/push", json=body, headers=headers)
            except httpx.TransportError as error:
                outcome["error"] = error

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the push never reached its commit"
            time.sleep(0.05)
        # Every item is written and the sequence moved inside the open transaction: now die.
        doomed.kill()
        sender.join(timeout=30)
    assert "response" not in outcome, "the server acknowledged a push it had not committed"
    assert isinstance(outcome["error"], httpx.TransportError)

    nothing = _stored(doomed.db_args)
    assert (nothing["items"], nothing["escalations"], nothing["last_seq"]) == (0, 0, 0)

    revived = fresh_server(db_args=doomed.db_args)
    with revived.client() as client:
        headers = sign_in(client, "amber.iro")
        first = client.post("/v1/push", json=body, headers=headers).json()["results"]
        assert [r["status"] for r in first] == ["accepted"] * len(items)
        assert [r["seq"] for r in first] == list(range(1, len(items) + 1))
        second = client.post("/v1/push", json=body, headers=headers).json()["results"]
        assert [r["status"] for r in second] == ["duplicate"] * len(items)
        pulled, cursor = pull_all(client, sign_in(client, "mo.manager"))
        assert [p["item"]["id"] for p in pulled] == [r["id"] for r in first]
        assert cursor == len(items)

    once = _stored(doomed.db_args)
    assert (once["items"], once["escalations"], once["escalation_events"]) == (5, 2, 4)
    assert once["signoff_submissions"] == 1
