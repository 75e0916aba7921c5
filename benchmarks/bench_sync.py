"""Sync over loopback: the real client and server against a bare JSON POST, in the same run.

1. Push 1,000 escalation events from an encrypted caseload's outbox to a real sync server
   (`iro-sync-server serve`, SQLite, synchronous=FULL: every batch is durably committed
   before the server answers) with `SyncClient.sync_once()`, batches of 200 as the app sends
   them. The client's own bookkeeping (reading the outbox, marking each item sent, replaying
   for conflicts) is included. Floor: the same JSON batches POSTed with httpx to a bare
   FastAPI route under uvicorn (same web stack, parses the JSON, stores nothing).
2. 50 clients (50 caseloads, 50 users) syncing at the same moment, 10 new events each:
   median and p99 time for a whole sync_once (push + pull), over a few rounds.

For (2) the server runs as it would be deployed: its own uvicorn process with `--workers`
worker processes (default: one per core) over the same create_app as `iro-sync-server serve`;
the clients are threads of this process (each with its own encrypted caseload), so their own
work shares this process's interpreter. Everything runs on 127.0.0.1 with bounded loops.

    .venv/bin/python benchmarks/bench_sync.py [--rounds 3] [--clients 50] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx  # noqa: E402

from iro_desktop.clock import FixedClock  # noqa: E402
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare  # noqa: E402
from iro_desktop.paths import data_paths  # noqa: E402
from iro_desktop.server import auth  # noqa: E402
from iro_desktop.server.config import database_url  # noqa: E402
from iro_desktop.server.db import Database  # noqa: E402
from iro_desktop.server.stats import stats  # noqa: E402
from iro_desktop.services import caseload, create_caseload, escalations  # noqa: E402
from iro_desktop.services.access import CaseloadSession  # noqa: E402
from iro_desktop.settings import Settings  # noqa: E402
from iro_desktop.store import outbox  # noqa: E402
from iro_desktop.sync.client import SyncClient  # noqa: E402
from iro_desktop.sync.protocol import PROTOCOL_VERSION  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import figure  # noqa: E402

PASSWORD = "benchmark-password-1"
PASSPHRASE = "benchmark passphrase for a synthetic caseload"
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
BATCH = 200

FLOOR_APP = """
from fastapi import FastAPI, Request
from iro_desktop.store import keys  # noqa: E402

# Caseload set-up is not what is measured: derive keys cheaply (the shipped cost is
# measured in bench_storage.py).
keys.scrypt_params = lambda: {"n": 2**10, "r": 8, "p": 1}  # type: ignore[assignment]
keys.minimum_scrypt = keys.scrypt_params  # type: ignore[assignment]

app = FastAPI()


@app.post("/v1/push")
async def push(request: Request) -> dict:
    batch = await request.json()
    return {"received": len(batch["items"])}
"""


# The sync server as a deployment serves it with several workers: uvicorn needs an import
# string (an app factory) for that, so this is the same create_app that `iro-sync-server serve`
# runs, built from the environment in each worker process.
SERVER_APP = """
import os

from iro_desktop.server.app import create_app
from iro_desktop.server.config import ServerConfig


def app():
    return create_app(
        ServerConfig(
            database_url=os.environ["BENCH_SYNC_DATABASE_URL"],
            max_body_bytes=8 * 1024 * 1024,
        )
    )
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(
    command: list[str],
    url: str,
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
    with httpx.Client() as probe:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                probe.get(url, timeout=1)
                return process
            except httpx.TransportError:
                time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{command[2:5]} did not start:\n{log.read_text()}")


def sync_server(
    folder: Path, users: list[str], workers: int = 0
) -> tuple[subprocess.Popen[bytes], str, str]:
    """The sync server in its own process: `iro-sync-server serve` (one process), or with
    `workers` under uvicorn's process manager, as deployed."""
    url = database_url(folder, None)
    db = Database(url)
    db.create_schema()
    with db.write() as session:
        for name in users:
            auth.add_user(session, name=name, role="iro", password=PASSWORD, now=NOW)
    db.dispose()
    port = free_port()
    if workers:
        (folder / "bench_sync_app.py").write_text(SERVER_APP)
        process = start(
            [sys.executable, "-m", "uvicorn", "bench_sync_app:app", "--factory", "--workers",
             str(workers), "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
             "--no-server-header"],
            f"http://127.0.0.1:{port}/v1/health",
            folder.parent / f"{folder.name}.log",
            cwd=folder,
            env={**os.environ, "BENCH_SYNC_DATABASE_URL": url},
        )  # fmt: skip
        return process, f"http://127.0.0.1:{port}", url
    process = start(
        [sys.executable, "-m", "iro_desktop.server.cli", "--data-dir", str(folder), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--max-body-bytes", str(8 * 1024 * 1024)],
        f"http://127.0.0.1:{port}/v1/health",
        folder.parent / f"{folder.name}.log",
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}", url


def floor_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    (tmp / "floor_app.py").write_text(FLOOR_APP)
    port = free_port()
    process = start(
        [sys.executable, "-m", "uvicorn", "floor_app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning"],
        f"http://127.0.0.1:{port}/docs",
        tmp / "floor.log",
        cwd=tmp,
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}"


def laptop(tmp: Path, user: str, server_url: str) -> tuple[CaseloadSession, str]:
    session, _ = create_caseload(
        data_paths(tmp / f"caseload-{user}"),
        user,
        PASSPHRASE,
        clock=FixedClock(NOW),
        settings=Settings(server_url=server_url, sync_user=user),
    )
    child = Child(
        id="",
        la_child_id=f"B-{user}",
        legal_first_name="Bench",
        legal_last_name="Child",
        date_of_birth=date(2014, 1, 1),
        sex="F",
        periods=(
            PeriodOfCare(date(2025, 1, 6), episodes=(Episode(date(2025, 1, 6), "C2", "U4"),)),
        ),
    )
    return session, caseload.save_child(session, child).id


def queue_events(session: CaseloadSession, child: str, escalation_count: int) -> None:
    """Two events per escalation (raised, sent to the first stage), as an IRO raises them."""
    for n in range(escalation_count):
        escalations.raise_escalation(
            session,
            child_ids=[child],
            category="dispute",
            issues=["visits_out_of_timescale"],
            outcome_wanted=f"Visits every six weeks, as the plan says ({n}).",
            send_to="Tess Teamlead",
        )


def fresh_wire_events(author: str, escalation_count: int) -> list[dict[str, Any]]:
    """Events made by the domain as the caseload makes them, but not in any caseload: for
    timing the server on its own (POSTed straight to /v1/push)."""
    from iro_desktop.domain.escalation import MANCHESTER, raise_escalation, replay, send_to_stage
    from iro_desktop.sync.protocol import item_to_wire

    wire = []
    for n in range(escalation_count):
        raised = raise_escalation(
            child_ids=["bench-child"], category="dispute", issues=["visits_out_of_timescale"],
            outcome_wanted=f"Visits every six weeks, as the plan says ({n}).",
            on=NOW.date(), author=author, now=NOW,
        )  # fmt: skip
        sent = send_to_stage(
            replay(MANCHESTER, [raised]), "informal", "Tess Teamlead", on=NOW.date(),
            author=author, now=NOW,
        )  # fmt: skip
        wire += [item_to_wire(raised), item_to_wire(sent)]
    return wire


def batches(items: list[dict[str, Any]], client_id: str) -> list[dict[str, Any]]:
    return [
        {"protocol": PROTOCOL_VERSION, "client_id": client_id, "items": items[i : i + BATCH]}
        for i in range(0, len(items), BATCH)
    ]


def post_all(http: httpx.Client, bodies: list[dict[str, Any]], **headers: str) -> float:
    t = time.perf_counter()
    for body in bodies:
        answer = http.post("/v1/push", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        if "results" in data:
            assert all(r["status"] == "accepted" for r in data["results"]), data
    return time.perf_counter() - t


def push_1000(tmp: Path, rounds: int) -> None:
    server, server_url, db_url = sync_server(tmp / "server-a", ["bench.iro", "raw.iro"])
    floor, floor_url = floor_server(tmp)
    try:
        session, child = laptop(tmp, "bench.iro", server_url)
        client = SyncClient(session, password=PASSWORD, batch_size=BATCH)
        client.sign_in()
        bare = httpx.Client(base_url=floor_url, timeout=60)
        raw = httpx.Client(base_url=server_url, timeout=60)
        token = raw.post("/v1/auth/token", json={"username": "raw.iro", "password": PASSWORD})
        auth_header = {"Authorization": f"Bearer {token.json()['access_token']}"}
        synced, floors, server_only = [], [], []
        stored_before = 0
        for _ in range(rounds):
            queue_events(session, child, 500)
            with session.unit_of_work() as s:
                pending = [e.payload for e in outbox.items(s, outbox.PENDING)]
            assert len(pending) == 1000
            floors.append(post_all(bare, batches(pending, "bench-floor")))
            server_only.append(
                post_all(raw, batches(fresh_wire_events("raw.iro", 500), "raw"), **auth_header)
            )
            t = time.perf_counter()
            report = client.sync_once(force=True)
            synced.append(time.perf_counter() - t)
            assert report.ok and report.pushed == 1000 and report.unsent == 0, report
            db = Database(db_url)
            stored = int(stats(db)["items"])
            db.dispose()
            assert stored == stored_before + 2000, (stored, stored_before)
            stored_before = stored
        for closeable in (client, bare, raw):
            closeable.close()
        session.lock()
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(10)
    med_sync, med_floor = statistics.median(synced), statistics.median(floors)
    med_server = statistics.median(server_only)
    print(f"1,000 escalation events in batches of {BATCH}, loopback, median of {rounds} runs:")
    print(f"  bare JSON POST to a FastAPI route, nothing stored:      {med_floor * 1000:7.0f} ms")
    print(f"  the same POSTs to the sync server, durably stored:      {med_server * 1000:7.0f} ms "
          f"({med_server / med_floor:.1f}x the bare POST)")  # fmt: skip
    print(f"  SyncClient.sync_once from the encrypted outbox (all in): {med_sync * 1000:7.0f} ms "
          f"({med_sync / med_floor:.1f}x the bare POST; {1000 / med_sync:,.0f} events/s)")  # fmt: skip
    figure("sync: 1,000 escalation events, sync_once from the encrypted outbox",
           med_sync * 1000, "ms", floor=med_floor * 1000,
           floor_name="the same batches POSTed to a bare FastAPI route", aim=200,
           note=f"batches of {BATCH}; median of {rounds}")  # fmt: skip
    figure("sync: 1,000 events POSTed straight to the sync server (durably stored)",
           med_server * 1000, "ms", floor=med_floor * 1000,
           floor_name="the same batches POSTed to a bare FastAPI route")  # fmt: skip


def at_once(count: int, work: Any) -> list[float]:
    """Run work(i) in `count` threads released together; each one's time in seconds."""
    gate = threading.Barrier(count)
    times: list[float] = [0.0] * count

    def one(i: int) -> None:
        gate.wait()
        t = time.perf_counter()
        work(i)
        times[i] = time.perf_counter() - t

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return times


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


class TimedPush(httpx.HTTPTransport):
    """Notes how long each push takes from request to answer: the server's share."""

    def __init__(self, times: list[float]) -> None:
        super().__init__()
        self.times = times

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        t = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        if request.url.path == "/v1/push":
            self.times.append(time.perf_counter() - t)
        return response


def many_clients(tmp: Path, clients: int, rounds: int, events_each: int, workers: int) -> None:
    users = [f"bench{n:02d}.iro" for n in range(clients)]
    server, server_url, _ = sync_server(tmp / "server-b", users, workers)
    floor, floor_url = floor_server(tmp)
    try:
        laptops = [laptop(tmp, user, server_url) for user in users]
        round_trips: list[float] = []
        syncers = [
            SyncClient(s, password=PASSWORD, transport=TimedPush(round_trips)) for s, _ in laptops
        ]
        for syncer in syncers:
            syncer.sign_in()
        bare = [httpx.Client(base_url=floor_url, timeout=120) for _ in users]
        latencies: list[float] = []
        floors: list[float] = []
        failures: list[Any] = []
        for _ in range(rounds):
            for session, child in laptops:
                queue_events(session, child, events_each // 2)
            bodies = []
            for session, _ in laptops:
                with session.unit_of_work() as s:
                    bodies.append(batches([e.payload for e in outbox.items(s, "pending")], "f"))

            def bare_sync(i: int, bodies: list[Any] = bodies) -> None:
                post_all(bare[i], bodies[i])
                bare[i].get("/docs")  # the pull's round trip

            def real_sync(i: int) -> None:
                report = syncers[i].sync_once(force=True)
                if not report.ok or report.pushed != events_each:
                    failures.append(report)

            floors += at_once(clients, bare_sync)
            latencies += at_once(clients, real_sync)
        for closeable in [*syncers, *bare]:
            closeable.close()
        for session, _ in laptops:
            session.lock()
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(10)
    assert not failures, failures[:3]
    print(f"{clients} clients at once, {events_each} new events each, {rounds} rounds "
          f"({len(latencies)} syncs):")  # fmt: skip
    print(f"  bare POST + GET to a FastAPI route: median {statistics.median(floors) * 1000:5.0f} ms, "
          f"p99 {p99(floors) * 1000:5.0f} ms")  # fmt: skip
    print(f"  SyncClient.sync_once (push + pull): median {statistics.median(latencies) * 1000:5.0f} ms, "
          f"p99 {p99(latencies) * 1000:5.0f} ms")  # fmt: skip
    print(f"    of which the push round trip:     median {statistics.median(round_trips) * 1000:5.0f} ms, "
          f"p99 {p99(round_trips) * 1000:5.0f} ms (the rest is client work: {clients} clients "
          f"share this process and {os.cpu_count()} cores with the server)")  # fmt: skip
    print(
        f"  server: its own uvicorn process, {workers} worker process(es), SQLite (WAL, "
        "synchronous=FULL)"
    )
    where = f"{clients} clients at once, server in its own process with {workers} workers"
    floor_p50, floor_p99 = statistics.median(floors) * 1000, p99(floors) * 1000
    figure(f"sync: {where}, p50", statistics.median(latencies) * 1000, "ms", floor=floor_p50,
           floor_name="bare POST + GET to a FastAPI route, p50",
           note=f"push + pull, {events_each} events each, {len(latencies)} syncs")  # fmt: skip
    figure(f"sync: {where}, p99", p99(latencies) * 1000, "ms", floor=floor_p99,
           floor_name="bare POST + GET to a FastAPI route, p99", aim=500,
           note=f"push + pull, {events_each} events each, {len(latencies)} syncs")  # fmt: skip
    figure(f"sync: {clients} clients at once, the push round trip alone, p99",
           p99(round_trips) * 1000, "ms", floor=floor_p99,
           floor_name="bare POST + GET to a FastAPI route, p99",
           note="request sent to answer read: the server's share")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--events-each", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="server worker processes"
    )
    args = parser.parse_args()
    if not 1 <= args.rounds <= 20 or not 1 <= args.clients <= 200:
        parser.error("--rounds 1-20, --clients 1-200")
    with tempfile.TemporaryDirectory() as tmp:
        push_1000(Path(tmp), args.rounds)
        many_clients(Path(tmp), args.clients, args.rounds, args.events_each, max(1, args.workers))


if __name__ == "__main__":
    main()
