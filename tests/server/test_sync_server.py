"""The sync server as laptops and a manager's view use it, over real HTTP."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from server_testkit import (
    ServerProcess,
    batch,
    cursor_now,
    new_escalation,
    pull_all,
    push,
    raised,
    sign_in,
    submission,
    url_of,
)
from sqlalchemy import select

from iro_desktop.domain.escalation import MANCHESTER, new_id, replay, resolve, send_to_stage
from iro_desktop.server.db import Database
from iro_desktop.server.tables import AuditEntry
from iro_desktop.sync.protocol import Decision, SignoffDecision, item_to_wire

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [entry["item"]["id"] for entry in items]


def escalation_ids(client: httpx.Client, headers: dict[str, str], status: str = "open") -> set[str]:
    response = client.get("/v1/escalations", params={"status": status}, headers=headers)
    assert response.status_code == 200, response.text
    return {entry["escalation_id"] for entry in response.json()["escalations"]}


def test_health_and_the_openapi_description(client: httpx.Client) -> None:
    assert client.get("/v1/health").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/v1/auth/token",
        "/v1/push",
        "/v1/pull",
        "/v1/escalations",
        "/v1/signoff/inbox",
    } <= set(paths)


def test_signing_in_and_the_reasons_for_refusal(client: httpx.Client) -> None:
    wrong = client.post(
        "/v1/auth/token", json={"username": "amber.iro", "password": "guess-guess-guess"}
    )
    assert (wrong.status_code, wrong.json()["detail"]) == (401, "wrong username or password")
    nobody = client.post(
        "/v1/auth/token", json={"username": "zed.nobody", "password": "guess-guess-guess"}
    )
    assert (nobody.status_code, nobody.json()["detail"]) == (401, "wrong username or password")
    missing = client.get("/v1/pull")
    assert (missing.status_code, missing.json()["detail"]) == (401, "missing bearer token")
    forged = client.get("/v1/pull", headers={"Authorization": "Bearer made-up"})
    assert (forged.status_code, forged.json()["detail"]) == (401, "invalid token")
    amber = sign_in(client, "amber.iro")
    me = client.get("/v1/me", headers=amber).json()
    assert me == {"username": "amber.iro", "role": "iro", "team": "north", "manager": "mo.manager"}
    # Signing out ends that token at once.
    assert client.delete("/v1/auth/token", headers=amber).status_code == 204
    assert client.get("/v1/me", headers=amber).json()["detail"] == "invalid token"


def test_a_push_is_stored_once_and_a_replay_is_reported_as_duplicate(
    client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    events = new_escalation("amber.iro")

    first = push(client, amber, *events)
    assert [r["status"] for r in first] == ["accepted", "accepted"]
    assert first[0]["seq"] < first[1]["seq"]
    again = push(client, amber, *events)
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["seq"] for r in again] == [r["seq"] for r in first]

    seen, _ = pull_all(client, mo, since)
    assert ids(seen) == [e.event_id for e in events]
    assert seen[0]["item"] == item_to_wire(events[0])

    # The same id with different content is not a replay: it is refused, not overwritten.
    changed = item_to_wire(events[1])
    changed["recipient"] = "Someone Else"
    body = {"protocol": 1, "client_id": "laptop-1", "items": [changed]}
    (result,) = client.post("/v1/push", json=body, headers=amber).json()["results"]
    assert result["status"] == "rejected"
    assert "already received with different content" in result["reason"]


def test_one_bad_item_is_rejected_with_its_reason_and_the_rest_are_stored(
    client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    events = new_escalation("amber.iro")
    body = batch(*events)
    body["items"].insert(1, {"kind": "home_visit_booked", "id": new_id(), "author": "amber.iro"})
    broken = item_to_wire(raised("amber.iro"))
    broken["issues"] = ["Not a theme!"]  # any council's theme key travels; not this
    body["items"].append(broken)

    results = client.post("/v1/push", json=body, headers=amber).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "rejected"]
    assert "Unknown item kind 'home_visit_booked'" in results[1]["reason"]
    assert results[1]["id"] == body["items"][1]["id"]
    assert "Not an escalation issue: 'Not a theme!'" in results[3]["reason"]
    seen, _ = pull_all(client, mo, since)
    assert ids(seen) == [e.event_id for e in events]


def test_malformed_or_misaddressed_batches_store_nothing(client: httpx.Client, login: Any) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    good = batch(*new_escalation("amber.iro"))
    text = json.dumps(good)
    assert '"protocol": 1' in text

    truncated = client.post(
        "/v1/push", content=text[:-20], headers={**amber, "Content-Type": "application/json"}
    )
    assert truncated.status_code == 400
    assert truncated.json()["detail"].startswith("Malformed JSON")
    not_utf8 = client.post("/v1/push", content=b"\xff\xfe{", headers=amber)
    assert not_utf8.status_code == 400
    nan = client.post(
        "/v1/push", content=text.replace('"protocol": 1', '"protocol": NaN'), headers=amber
    )
    assert nan.status_code == 400
    future = client.post("/v1/push", json={**good, "protocol": 2}, headers=amber)
    assert future.status_code == 422
    assert "Protocol version 2 is not supported" in future.json()["detail"]
    not_a_list = client.post("/v1/push", json={**good, "items": good["items"][0]}, headers=amber)
    assert (not_a_list.status_code, not_a_list.json()["detail"]) == (
        422,
        "Field 'items' must be a list, not dict.",
    )

    assert pull_all(client, mo, since)[0] == []


def test_an_oversized_body_is_refused_with_413_and_a_reason(
    client: httpx.Client, login: Any
) -> None:
    amber = login("amber.iro")
    big = batch(raised("amber.iro", detail="x" * 20_000))
    big["items"] = big["items"] * 120  # about 2.5 MB, over the 2 MB limit
    response = client.post("/v1/push", json=big, headers=amber)
    assert response.status_code == 413
    assert "the limit is 2097152 bytes" in response.json()["detail"]


def test_an_iro_cannot_read_or_change_another_iros_escalation(
    client: httpx.Client, login: Any
) -> None:
    amber, basil = login("amber.iro"), login("basil.iro")
    basil_since = cursor_now(client, basil)
    ambers = new_escalation("amber.iro")
    push(client, amber, *ambers)

    assert ambers[0].escalation_id in escalation_ids(client, amber)
    assert ambers[0].escalation_id not in escalation_ids(client, basil, "all")
    assert pull_all(client, basil, basil_since)[0] == []

    # Basil cannot add to it either, even with a well-formed event.
    state = replay(MANCHESTER, ambers)
    closing = resolve(state, "Closed.", "None.", on=date(2024, 3, 5), author="basil.iro", now=NOW)
    (result,) = push(client, basil, closing)
    assert result["status"] == "rejected"
    assert "not one of yours or your team's" in result["reason"]


def test_a_manager_sees_both_of_their_teams_iros_but_not_another_team(
    client: httpx.Client, login: Any
) -> None:
    amber, basil, cleo = (login(n) for n in ("amber.iro", "basil.iro", "cleo.iro"))
    mo, ada = login("mo.manager"), login("ada.admin")
    a, b, c = new_escalation("amber.iro"), new_escalation("basil.iro"), new_escalation("cleo.iro")
    push(client, amber, *a)
    push(client, basil, *b)
    push(client, cleo, *c)

    visible = escalation_ids(client, mo)
    assert {a[0].escalation_id, b[0].escalation_id} <= visible
    assert c[0].escalation_id not in visible
    assert {a[0].escalation_id, b[0].escalation_id, c[0].escalation_id} <= escalation_ids(
        client, ada
    )

    listed = client.get("/v1/escalations", params={"include_events": "true"}, headers=mo).json()
    mine = next(e for e in listed["escalations"] if e["escalation_id"] == a[0].escalation_id)
    assert mine["raised_by"] == "amber.iro"
    assert mine["status"] == "open"
    assert mine["current_stage"]["key"] == "informal"
    assert mine["current_stage"]["deadline"] == "2024-03-11"
    assert mine["overall_deadline"] == "2024-04-03"
    assert mine["overall_overdue"] is True  # raised in March 2024, still open today
    assert [e["id"] for e in mine["events"]] == [e.event_id for e in a]
    assert listed["protocol"] == MANCHESTER.name


def test_the_managers_decision_reaches_the_iro_and_an_offline_move_becomes_a_visible_conflict(
    client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    amber_since = cursor_now(client, amber)
    events = new_escalation("amber.iro")
    push(client, amber, *events)
    state = replay(MANCHESTER, events)

    # The manager resolves it from the office...
    resolution = resolve(
        state,
        "Visits booked.",
        "Zara sees her worker monthly.",
        on=date(2024, 3, 8),
        author="mo.manager",
        now=NOW,
    )
    assert push(client, mo, resolution)[0]["status"] == "accepted"
    # ...while the IRO, offline, escalated to stage 2 after no reply.
    advance = send_to_stage(
        state, "formal", "Lou Localitymanager", on=date(2024, 3, 12), author="amber.iro", now=NOW
    )
    (result,) = push(client, amber, advance)
    assert result["status"] == "accepted"
    assert "already resolved on 8 March 2024 by mo.manager" in result["conflict"]

    pulled, _ = pull_all(client, amber, amber_since)
    assert ids(pulled) == [resolution.event_id]  # her own items are not sent back

    listed = client.get("/v1/escalations", params={"status": "all"}, headers=mo).json()[
        "escalations"
    ]
    shown = next(e for e in listed if e["escalation_id"] == events[0].escalation_id)
    assert shown["status"] == "resolved"
    assert [(c["event_id"], c["author"]) for c in shown["conflicts"]] == [
        (advance.event_id, "amber.iro")
    ]
    assert events[0].escalation_id not in escalation_ids(client, mo, "open")


def test_sign_off_from_submission_to_decision(client: httpx.Client, login: Any) -> None:
    amber, basil, mo = (login(n) for n in ("amber.iro", "basil.iro", "mo.manager"))
    amber_since = cursor_now(client, amber)
    letter = submission("amber.iro")
    assert push(client, amber, letter)[0]["status"] == "accepted"

    inbox = client.get("/v1/signoff/inbox", headers=mo).json()["submissions"]
    assert letter.item_id in [entry["submission"]["id"] for entry in inbox]
    assert client.get("/v1/signoff/inbox", headers=amber).status_code == 403

    def decide(by: str, decision: Decision, comment: str = "") -> SignoffDecision:
        return SignoffDecision(
            item_id=new_id(),
            submission_id=letter.item_id,
            decision=decision,
            comment=comment,
            decided_by=by,
            decided_at=NOW,
        )

    (own,) = push(client, basil, decide("basil.iro", Decision.APPROVED))
    assert (own["status"], own["reason"]) == (
        "rejected",
        "Only a manager or an admin can sign off a review.",
    )
    returned = decide(
        "mo.manager", Decision.RETURNED, "Please explain 'care plan' in Zara's words."
    )
    assert push(client, mo, returned)[0]["status"] == "accepted"
    (again,) = push(client, mo, decide("mo.manager", Decision.APPROVED))
    assert again["status"] == "rejected"
    assert "already returned by mo.manager" in again["reason"]

    # A returned letter comes back at the same version with new text: accepted. A version
    # still waiting (or decided otherwise) cannot be submitted twice: corrections are new ones.
    (resubmit,) = push(client, amber, submission("amber.iro", 1, letter.review_id))
    assert resubmit["status"] == "accepted"
    (twice,) = push(client, amber, submission("amber.iro", 1, letter.review_id))
    assert "already submitted" in twice["reason"]
    assert (
        push(client, amber, submission("amber.iro", 2, letter.review_id))[0]["status"] == "accepted"
    )

    pulled, _ = pull_all(client, amber, amber_since)
    assert [entry["item"]["kind"] for entry in pulled] == ["signoff_decision"]
    assert pulled[0]["item"]["comment"].startswith("Please explain")
    inbox = client.get("/v1/signoff/inbox", headers=mo).json()["submissions"]
    assert letter.item_id not in [entry["submission"]["id"] for entry in inbox]


def test_items_must_be_written_by_the_signed_in_user(client: httpx.Client, login: Any) -> None:
    basil = login("basil.iro")
    (result,) = push(client, basil, raised("amber.iro"))
    assert result["status"] == "rejected"
    assert (
        result["reason"] == "The item's author 'amber.iro' is not the signed-in user 'basil.iro'."
    )
    (orphan,) = push(client, basil, *new_escalation("basil.iro")[1:])
    assert "not known to the server; send its 'raised' event first" in orphan["reason"]


def test_a_laptop_with_a_wrong_clock_does_not_change_the_servers_order(
    client: httpx.Client, login: Any
) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    future = datetime(2031, 1, 1, tzinfo=UTC)
    late_clock = raised("amber.iro", now=future)
    push(client, amber, late_clock)
    normal = new_escalation("amber.iro")
    push(client, amber, *normal)

    pulled, _ = pull_all(client, mo, since)
    assert ids(pulled) == [late_clock.event_id, *(e.event_id for e in normal)]
    assert [p["seq"] for p in pulled] == sorted(p["seq"] for p in pulled)
    received = datetime.fromisoformat(pulled[0]["received_at"])
    assert abs(received - datetime.now(UTC)) < timedelta(minutes=5)
    assert pulled[0]["item"]["recorded_at"].startswith("2031-01-01")  # kept, but not trusted


def test_pull_pages_through_with_a_cursor(client: httpx.Client, login: Any) -> None:
    amber, mo = login("amber.iro"), login("mo.manager")
    since = cursor_now(client, mo)
    events = [*new_escalation("amber.iro"), *new_escalation("amber.iro")]
    push(client, amber, *events)
    first = client.get("/v1/pull", params={"since": since, "limit": 3}, headers=mo).json()
    assert first["more"] is True and len(first["items"]) == 3
    rest = client.get("/v1/pull", params={"since": first["cursor"], "limit": 3}, headers=mo).json()
    assert rest["more"] is False
    assert ids(first["items"]) + ids(rest["items"]) == [e.event_id for e in events]
    empty = client.get("/v1/pull", params={"since": rest["cursor"]}, headers=mo).json()
    assert (empty["items"], empty["cursor"]) == ([], rest["cursor"])
    assert client.get("/v1/pull", params={"since": -1}, headers=mo).status_code == 422


def test_every_request_is_audited_with_who_what_and_the_outcome(
    server: ServerProcess, client: httpx.Client
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    amber = sign_in(client, "amber.iro")
    client.get("/v1/pull", params={"since": 0}, headers=amber)
    client.get("/v1/escalations", headers={"Authorization": "Bearer made-up"})
    client.post("/v1/push", content=b"{", headers=amber)

    db = Database(url_of(server.db_args))
    try:
        with db.read() as session:
            rows = session.execute(
                select(AuditEntry.username, AuditEntry.method, AuditEntry.path, AuditEntry.status)
                .where(AuditEntry.at >= started)
                .order_by(AuditEntry.id)
            ).all()
    finally:
        db.dispose()
    assert ("amber.iro", "POST", "/v1/auth/token", 200) in rows
    assert ("amber.iro", "GET", "/v1/pull?since=0", 200) in rows
    assert (None, "GET", "/v1/escalations", 401) in rows
    assert ("amber.iro", "POST", "/v1/push", 400) in rows


def test_concurrent_pushes_get_distinct_gapless_sequence_numbers(server: ServerProcess) -> None:
    with server.client() as client:
        mo = sign_in(client, "mo.manager")
        since = cursor_now(client, mo)
        senders = {name: sign_in(client, name) for name in ("amber.iro", "basil.iro")}
    work = [(name, new_escalation(name)) for name in senders for _ in range(6)]
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def send(name: str, events: list[Any]) -> None:
        with server.client() as own:
            outcome = push(own, senders[name], *events)
        with lock:
            results.extend(outcome)

    threads = [threading.Thread(target=send, args=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [r["status"] for r in results] == ["accepted"] * 24
    seqs = sorted(r["seq"] for r in results)
    assert seqs == list(range(seqs[0], seqs[0] + 24))
    with server.client() as client:
        pulled, _ = pull_all(client, mo, since)
    assert sorted(p["seq"] for p in pulled) == seqs
    # Each escalation's events arrive in the order its laptop sent them.
    for _, events in work:
        order = [
            p["item"]["id"] for p in pulled if p["item"]["escalation_id"] == events[0].escalation_id
        ]
        assert order == [e.event_id for e in events]
