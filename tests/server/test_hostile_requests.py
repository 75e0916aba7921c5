"""Hostile and unlucky requests to a real server: each is a 4xx for that request or that
item, never a 500, the rest of a batch is stored, and what is already stored stays readable."""

from __future__ import annotations

import json
from typing import Any

import httpx
from server_testkit import (
    PASSWORD,
    ServerProcess,
    batch,
    cursor_now,
    new_escalation,
    pull_all,
    submission,
    url_of,
)
from sqlalchemy import text

from iro_desktop.server.db import Database

SECRET = "my-secret-password-1"


def _push_raw(client: httpx.Client, headers: dict[str, str], body: str) -> httpx.Response:
    return client.post(
        "/v1/push", content=body.encode(), headers={**headers, "Content-Type": "application/json"}
    )


def test_a_lone_surrogate_is_refused_for_that_item_and_the_rest_are_stored(
    client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    events = new_escalation("amber.iro")
    other = new_escalation("amber.iro")
    wire = batch(*events, *other)
    wire["items"][1]["recipient"] = "Tess \ud800Teamlead"  # valid JSON, not text
    body = json.dumps(wire)
    assert "Tess \\ud800Teamlead" in body  # as it travels: a JSON escape
    response = _push_raw(client, amber, body)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "accepted"]
    assert results[1]["id"] == events[1].event_id
    assert "Field 'recipient' has a character that is not valid text" in results[1]["reason"]
    # Everyone's reads go on working.
    seen, _ = pull_all(client, mo, since)
    assert [s["item"]["id"] for s in seen] == [events[0].event_id] + [e.event_id for e in other]
    listed = client.get("/v1/escalations", headers=mo)
    assert listed.status_code == 200


def test_text_stored_by_an_older_server_never_breaks_a_pull_or_the_managers_list(
    server: ServerProcess, client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    events = new_escalation("amber.iro")
    assert client.post("/v1/push", json=batch(*events), headers=amber).status_code == 200
    # As an older server stored it: the JSON escape of a lone surrogate in the text.
    database = Database(url_of(server.db_args))
    with database.write() as session:
        session.execute(
            text(
                "UPDATE items SET body = replace(body, 'Tess Teamlead', :bad) WHERE item_id = :id"
            ),
            {"bad": "Tess \\ud800Teamlead", "id": events[1].event_id},
        )
    database.dispose()

    pulled = client.get("/v1/pull", params={"since": since}, headers=mo)
    assert pulled.status_code == 200, pulled.text
    recipients = [i["item"].get("recipient") for i in pulled.json()["items"]]
    assert "Tess \ufffdTeamlead" in recipients  # the bad character shows, the rest is intact
    for include_events in ("false", "true"):
        listed = client.get(
            "/v1/escalations",
            params={"status": "all", "include_events": include_events},
            headers=mo,
        )
        assert listed.status_code == 200, listed.text
        mine = [
            e for e in listed.json()["escalations"] if e["escalation_id"] == events[0].escalation_id
        ]
        assert mine and mine[0]["current_stage"]["recipient"] == "Tess \ufffdTeamlead"


def test_an_extreme_time_zone_offset_is_refused_for_that_item_only(
    client: httpx.Client, login: Any
) -> None:
    amber = login("amber.iro")
    events = new_escalation("amber.iro")
    wire = batch(*events, submission("amber.iro"))
    wire["items"][1]["recorded_at"] = "9999-12-31T23:59:59-23:59"
    wire["items"][2]["submitted_at"] = "0001-01-01T00:00:00+23:59"
    response = client.post("/v1/push", json=wire, headers=amber)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected"]
    assert "Field 'recorded_at' must be between the years" in results[1]["reason"]
    assert "Field 'submitted_at' must be between the years" in results[2]["reason"]


def test_numbers_too_large_to_store_are_refused_for_that_item_or_that_request(
    client: httpx.Client, login: Any
) -> None:
    amber = login("amber.iro")
    huge = submission("amber.iro")
    wire = batch(huge, submission("amber.iro"))
    wire["items"][0]["version"] = 10**30
    response = client.post("/v1/push", json=wire, headers=amber)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert "Field 'version' is too large" in results[0]["reason"]

    pulled = client.get("/v1/pull", params={"since": 10**30}, headers=amber)
    assert pulled.status_code == 422
    assert pulled.json()["detail"][0]["loc"] == ["query", "since"]
    assert client.get("/v1/pull", params={"since": 2**63}, headers=amber).status_code == 422


def test_deeply_nested_json_is_a_400_for_that_request(client: httpx.Client, login: Any) -> None:
    amber = login("amber.iro")
    depth = 100_000
    deep = '{"protocol": 1, "client_id": "laptop-1", "items": [' + "[" * depth + "]" * depth + "]}"
    response = _push_raw(client, amber, deep)
    assert response.status_code == 400
    assert response.json()["detail"] == "The request's JSON is nested too deeply to read."
    token = client.post(
        "/v1/auth/token",
        content=('{"username": ' + "[" * depth + "]" * depth + "}").encode(),
        headers={"Content-Type": "application/json"},
    )
    assert token.status_code == 400
    # The server is none the worse for it.
    assert (
        client.post("/v1/push", json=batch(*new_escalation("amber.iro")), headers=amber).status_code
        == 200
    )


def test_no_reply_of_the_token_endpoint_repeats_the_password(client: httpx.Client) -> None:
    attempts: list[dict[str, Any]] = [
        {"username": "amber.iro", "password": [SECRET]},  # the wrong type
        {"username": "amber.iro", "password": {"value": SECRET}},
        {"username": "amber.iro", "password": SECRET * 100},  # too long
        {"username": ["amber.iro"], "password": SECRET},  # the name of the wrong type
        {"username": "a" * 300, "password": SECRET},
        {"password": SECRET},  # no user name
    ]
    for body in attempts:
        response = client.post("/v1/auth/token", json=body)
        assert response.status_code == 422, response.text
        assert SECRET not in response.text, response.text
        assert response.json()["detail"][0]["msg"]  # the reason is still given
    wrong = client.post("/v1/auth/token", json={"username": "cleo.iro", "password": SECRET})
    assert wrong.status_code == 401 and SECRET not in wrong.text


def test_sign_in_is_limited_per_user_name_with_429_and_retry_after(fresh_server: Any) -> None:
    server = fresh_server()
    with server.client() as client:
        for _ in range(5):
            wrong = client.post(
                "/v1/auth/token", json={"username": "basil.iro", "password": "guess-guess-1"}
            )
            assert wrong.status_code == 401
        limited = client.post(
            "/v1/auth/token", json={"username": "basil.iro", "password": PASSWORD}
        )
        # Refused even with the right password: it is not tried until the wait is over.
        assert limited.status_code == 429
        assert limited.json()["detail"] == (
            "Too many failed sign-ins for this user name. Wait 5 minutes and try again."
        )
        assert 1 <= int(limited.headers["Retry-After"]) <= 300
        # Only that user name: others sign in as usual, and one who mistyped twice is not
        # held back after signing in.
        for _ in range(2):
            client.post("/v1/auth/token", json={"username": "cleo.iro", "password": "nope-nope-1"})
        ok = client.post("/v1/auth/token", json={"username": "cleo.iro", "password": PASSWORD})
        assert ok.status_code == 200


def test_sign_in_is_limited_per_address(fresh_server: Any) -> None:
    server = fresh_server()
    with server.client() as client:
        # Guessing across many user names (that may not even exist) from one address.
        for n in range(20):
            wrong = client.post(
                "/v1/auth/token", json={"username": f"guess{n}", "password": "guess-guess-1"}
            )
            assert wrong.status_code == 401
        limited = client.post(
            "/v1/auth/token", json={"username": "ada.admin", "password": PASSWORD}
        )
        assert limited.status_code == 429
        assert "for this computer's address" in limited.json()["detail"]
        assert int(limited.headers["Retry-After"]) >= 1
        # Signed-in work from that address goes on: only sign-ins wait.
        assert client.get("/v1/health").status_code == 200
