"""`iro-desktop due`: the dashboard as text, JSON and a calendar file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import create_caseload, due
from iro_desktop.services.demo import load_demo
from tests.cli.test_cli import run
from tests.conftest import PASSPHRASE


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    d = tmp_path_factory.mktemp("due-cli") / "caseload"
    session, _ = create_caseload(
        data_paths(d), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    load_demo(session, 12, seed=4, as_of=date(2026, 11, 23), iro_names=["Ada", "Bea"])
    sizes = {iro: n for iro, n, _words in due.caseload_sizes(session)}
    session.lock()
    return d, sizes


@pytest.fixture(scope="module")
def demo_dir(demo) -> Path:
    return demo[0]


@pytest.fixture(scope="module")
def whole(demo_dir) -> dict:  # type: ignore[type-arg]
    r = run("--data-dir", str(demo_dir), "due", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_due_json_lists_rows_overdue_first(whole):
    board = whole
    assert board["children"] == 12
    assert board["summary"] == "12 children: below the 50-70 guidance"
    items = board["items"]
    assert items
    overdue = [i["overdue"] for i in items]
    assert overdue == sorted(overdue, reverse=True)
    kinds = {i["kind"] for i in items}
    assert "review_due" in kinds
    for item in items:
        assert {"child_id", "child_name", "what", "due_date", "status"} <= item.keys()


def test_within_days_and_iro_narrow_the_list(demo, whole):
    demo_dir, sizes = demo
    week = json.loads(
        run("--data-dir", str(demo_dir), "due", "--within-days", "7", "--json").stdout
    )
    horizon = date.today() + timedelta(days=7)  # the command runs on the real clock
    assert all(date.fromisoformat(i["due_date"]) <= horizon for i in week["items"])
    assert len(week["items"]) < len(whole["items"])
    ada = json.loads(run("--data-dir", str(demo_dir), "due", "--iro", "Ada", "--json").stdout)
    assert ada["children"] == sizes["Ada"] < 12
    names = {i["child_name"] for i in ada["items"]}
    assert names < {i["child_name"] for i in whole["items"]}


def test_due_text_and_a_negative_horizon(demo_dir):
    r = run("--data-dir", str(demo_dir), "due")
    assert r.returncode == 0 and r.stdout.startswith("12 children")
    r = run("--data-dir", str(demo_dir), "due", "--within-days", "-1")
    assert r.returncode == 2 and "cannot be negative" in r.stderr


def test_due_ics_writes_a_calendar_file(demo_dir, tmp_path):
    out = tmp_path / "due.ics"
    r = run("--data-dir", str(demo_dir), "due", "--ics", str(out))
    assert r.returncode == 0, r.stderr
    body = out.read_bytes().decode("utf-8")
    count = body.count("BEGIN:VEVENT")
    assert r.stdout.strip() == f"Wrote {count} calendar entries to {out}."
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "Review meeting: " in body and "Review due: " in body
    r = run("--data-dir", str(demo_dir), "due", "--ics", str(tmp_path / "missing" / "x.ics"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
