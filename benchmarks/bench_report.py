"""The service's annual report on the sync server, over a service's ten years of reviews.

A server database (SQLite, as `iro-sync-server` makes it) is filled through the server's own
push code with a synthetic service's history: 25,000 name-free review facts (ten years of
~2,500 reviews by 15 IROs for ~1,300 children), a fact per child, and escalations raised and
sent to a stage. Then `service_report.annual_report` (what `iro-sync-server report annual`
and GET /v1/reports/annual run) is timed for the latest year, with the previous year beside
it, and its JSON rendered. Floor, in the same run: reading the same facts' rows and parsing
their JSON, which any report from stored facts must do.

Aim: under 1 s for the report. Not part of the test suite.

    .venv/bin/python benchmarks/bench_report.py [--reviews 25000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from figures import figure  # noqa: E402

from iro_desktop.domain.escalation import (  # noqa: E402
    MANCHESTER,
    raise_escalation,
    replay,
    send_to_stage,
)
from iro_desktop.domain.escalation_events import THEMES  # noqa: E402
from iro_desktop.domain.report_facts import pseudonym, report_year  # noqa: E402
from iro_desktop.server import auth  # noqa: E402
from iro_desktop.server.auth import Caller  # noqa: E402
from iro_desktop.server.config import ServerConfig, database_url  # noqa: E402
from iro_desktop.server.db import Database  # noqa: E402
from iro_desktop.server.push import push  # noqa: E402
from iro_desktop.server.service_report import annual_report, json_text  # noqa: E402
from iro_desktop.server.tables import ReportFact  # noqa: E402
from iro_desktop.sync.protocol import (  # noqa: E402
    ChildFact,
    DecodedBatch,
    DecodedItem,
    ReviewFact,
    SyncItem,
    item_from_wire,
    item_to_wire,
)

SECRET = b"synthetic-benchmark-service-key-0123456789"
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
LAST_YEAR = 2026  # the year ending 31 March 2026 is reported
IROS = [f"iro{n:02d}.bench" for n in range(15)]
CODES = ["PN0", "PN1", "PN1", "PN1", "PN5", "PN6", "PN6", "PN7", "PN2"]
SEXES = ["F", "M"]
ETHNIC = ["WBRI", "WBRI", "WBRI", "BAFR", "APKN", "MWBC", "OOTH"]
LEGAL = ["C2", "C2", "C2", "C1", "V2", "E1"]
PLACES = ["U4", "U4", "U1", "R1", "K2", "P1", "H5"]
BANDS = ["under 1", "1-3", "4", "5-9", "10", "11-15", "11-15", "16-17"]


def review_facts(n: int, rng: random.Random) -> dict[str, list[SyncItem]]:
    """n review facts spread evenly over the ten years to 31 March LAST_YEAR, by IRO."""
    children = max(n // 19, 50)
    first, _ = report_year(LAST_YEAR - 9)
    _, last = report_year(LAST_YEAR)
    span = (last - first).days
    by_iro: dict[str, list[SyncItem]] = {iro: [] for iro in IROS}
    for i in range(n):
        iro = IROS[i % len(IROS)]
        child = rng.randrange(children)
        due = first + timedelta(days=rng.randrange(span))
        held = due - timedelta(days=rng.randrange(-12, 20))
        done = held + timedelta(days=rng.choice([0, 0, 0, 7, 21]))
        kind = "pathway_plan" if rng.random() < 0.12 else "looked_after"
        sent = held - timedelta(days=20)
        by_iro[iro].append(
            ReviewFact(
                item_id=uuid.UUID(int=rng.getrandbits(128)).hex,
                author=iro,
                review_key=pseudonym(SECRET, "review", f"r{i}"),
                child_key=pseudonym(SECRET, "child", f"c{child}"),
                review_kind=item_kind(kind),
                due_on=due,
                held_on=held,
                completed_on=done,
                review_number=rng.randint(1, 12),
                age_band=rng.choice(BANDS),
                sex=rng.choice(SEXES),
                ethnicity=rng.choice(ETHNIC),
                legal_status=rng.choice(LEGAL),
                placement_type=rng.choice(PLACES),
                participation_code=rng.choice(CODES),
                child_chair=None,
                child_attended=rng.random() < 0.6,
                consulted_before=rng.random() < 0.8,
                recommendations_issued_on=done + timedelta(days=rng.randrange(9)),
                letter_issued_on=done + timedelta(days=rng.randrange(30)),
                permanence_plan_agreed=rng.random() < 0.8,
                social_worker_attended=rng.random() < 0.9,
                social_worker_report=rng.random() < 0.85,
                parent_invited=rng.random() < 0.7,
                parent_attended=rng.random() < 0.35,
                rearrangements=rng.choice([0, 0, 1]),
                meetings=rng.choice([1, 1, 1, 2]),
                extra=rng.random() < 0.05,
                consultations=tuple(
                    (
                        item_role(role),
                        sent,
                        sent + timedelta(days=9) if rng.random() < 0.3 else None,
                    )
                    for role in ("child", "parent", "carer", "social_worker")
                ),
            )
        )
    for c in range(children):
        iro = IROS[c % len(IROS)]
        by_iro[iro].append(
            ChildFact(
                item_id=uuid.UUID(int=rng.getrandbits(128)).hex,
                author=iro,
                child_key=pseudonym(SECRET, "child", f"c{c}"),
                allocated=rng.random() < 0.9,
                care_leaver=rng.random() < 0.1,
            )
        )
    return by_iro


def item_kind(value: str) -> Any:
    from iro_desktop.domain.review_record import ReviewKind

    return ReviewKind(value)


def item_role(value: str) -> Any:
    from iro_desktop.domain.review_record import InviteeRole

    return InviteeRole(value)


def escalation_events(per_year: int, rng: random.Random) -> dict[str, list[SyncItem]]:
    by_iro: dict[str, list[SyncItem]] = {iro: [] for iro in IROS}
    themes = [t for t in THEMES if t != "other"]
    for year in range(LAST_YEAR - 9, LAST_YEAR + 1):
        start, _ = report_year(year)
        for n in range(per_year):
            iro = IROS[n % len(IROS)]
            on = start + timedelta(days=rng.randrange(360))
            while on.weekday() >= 5:
                on += timedelta(days=1)
            first = raise_escalation(
                child_ids=[f"child-{rng.randrange(1300):04d}"],
                category="dispute",
                issues=rng.sample(themes, 2),
                outcome_wanted="Visits every six weeks as the plan says.",
                on=on,
                author=iro,
                now=NOW,
            )
            sent = send_to_stage(
                replay(MANCHESTER, [first]), "informal", "Tess Teamlead", on=on, author=iro, now=NOW
            )
            by_iro[iro] += [first, sent]
    return by_iro


def fill(db: Database, config: ServerConfig, items: dict[str, list[SyncItem]]) -> int:
    stored = 0
    for iro, queue in items.items():
        caller = Caller(id=0, name=iro, role="iro", team="north", manager_name=None)
        for at in range(0, len(queue), 500):
            chunk = queue[at : at + 500]
            decoded = DecodedBatch(
                client_id=f"laptop-{iro}",
                items=tuple(
                    DecodedItem(i, None, item_from_wire(item_to_wire(item)), None)
                    for i, item in enumerate(chunk)
                ),
            )
            response = push(db, config, caller, decoded, NOW)
            bad = [r.reason for r in response.results if r.status.value == "rejected"]
            if bad:
                raise SystemExit(f"the server refused benchmark items: {bad[:3]}")
            stored += len(chunk)
    return stored


def floor_read(db: Database, year: int) -> int:
    """Read and parse the facts a report for `year` and the year before needs."""
    earliest, _ = report_year(year - 1)
    _, latest = report_year(year)
    with db.read() as session:
        rows = session.execute(
            select(ReportFact.body).where(
                or_(
                    ReportFact.kind == ChildFact.kind,
                    and_(ReportFact.first_on <= latest, ReportFact.last_on >= earliest),
                )
            )
        ).scalars()
        return sum(1 for body in rows if json.loads(body))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=25_000)
    parser.add_argument("--escalations-per-year", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory(prefix="iro-bench-report-") as tmp:
        url = database_url(Path(tmp), None)
        db = Database(url)
        db.create_schema()
        with db.write() as session:
            for iro in IROS:
                auth.add_user(
                    session, name=iro, role="iro", password="x" * 12, now=NOW, team="north"
                )
        config = ServerConfig(database_url=url)
        started = time.perf_counter()
        facts = review_facts(args.reviews, rng)
        events = escalation_events(args.escalations_per_year, rng)
        stored = fill(db, config, facts) + fill(db, config, events)
        print(
            f"filled: {stored:,} items ({args.reviews:,} review facts) in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

        today = date(2026, 11, 23)
        times: list[float] = []
        floors: list[float] = []
        report = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            floor_read(db, LAST_YEAR)
            floors.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            report = annual_report(db, config, year=LAST_YEAR, today=today)
            json_text(report)
            times.append(time.perf_counter() - t0)
        assert report is not None
        value, floor = statistics.median(times), statistics.median(floors)
        print(
            f"annual report {report.this.label} over {args.reviews:,} review facts: "
            f"{value * 1000:.0f} ms median of {args.repeat} (floor, reading and parsing the "
            f"facts it needs: {floor * 1000:.0f} ms); {report.this.figures.reviews_held:,} "
            f"reviews held, {report.this.figures.escalations_raised} escalations raised",
            file=sys.stderr,
        )
        figure(
            f"service annual report over {args.reviews:,} review facts",
            value,
            "s",
            floor=floor,
            floor_name="read + parse the facts the two years need",
            aim=1.0,
            aim_is="value",
            note="server side: annual_report + JSON, SQLite",
        )
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
