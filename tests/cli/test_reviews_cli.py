"""`iro-desktop reviews` and `iro-desktop review ...`, run as a script would run them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import caseload, create_caseload, reviews
from iro_desktop.services.demo import load_demo
from tests.cli.test_cli import run
from tests.conftest import PASSPHRASE

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str, str]:
    """A demo caseload, and one child's id and LA child identifier."""
    d = tmp_path_factory.mktemp("reviews-cli") / "caseload"
    session, _ = create_caseload(
        data_paths(d), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    load_demo(session, 12, seed=4, as_of=AS_OF)
    child = caseload.children(session)[0]
    session.lock()
    return d, child.id, child.la_child_id


@pytest.fixture(scope="module")
def demo_dir(demo) -> Path:
    return demo[0]


def test_reviews_json_lists_each_review_with_its_dates_and_meetings(demo):
    demo_dir, child_id, _ = demo
    r = run("--data-dir", str(demo_dir), "reviews", child_id, "--json")
    assert r.returncode == 0, r.stderr
    reviews = json.loads(r.stdout)
    assert isinstance(reviews, list) and reviews
    promised = {"id", "kind", "status", "period_start", "due_date", "timeliness_date"}
    for review in reviews:
        assert promised | {"in_timescale", "pn_code", "meetings"} <= review.keys()
        assert review["kind"] in ("looked_after", "pathway_plan")
        for m in review["meetings"]:
            assert date.fromisoformat(m["date"])
        if review["timeliness_date"]:
            held = date.fromisoformat(review["timeliness_date"])
            assert review["in_timescale"] == (held <= date.fromisoformat(review["due_date"]))
    due_dates = [r["due_date"] for r in reviews]
    assert due_dates == sorted(due_dates)


def test_the_la_child_identifier_works_too_and_text_output_is_a_table(demo):
    demo_dir, child_id, la_child_id = demo
    by_id = run("--data-dir", str(demo_dir), "reviews", child_id)
    by_la_id = run("--data-dir", str(demo_dir), "reviews", la_child_id)
    assert by_id.returncode == 0 and by_la_id.returncode == 0
    assert by_id.stdout == by_la_id.stdout
    lines = by_id.stdout.splitlines()
    assert lines and all(" due 20" in line for line in lines)


def test_an_unknown_child_is_one_line_and_a_non_zero_exit(demo_dir):
    r = run("--data-dir", str(demo_dir), "reviews", "no-such-child", "--json")
    assert r.returncode == 1
    assert r.stderr.strip() == "iro-desktop: No child with id no-such-child on this caseload."
    assert r.stdout == ""


def test_review_show_plan_and_a_refused_step(tmp_path):
    d = tmp_path / "c"
    session, _ = create_caseload(
        data_paths(d), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    load_demo(session, 3, seed=9, as_of=AS_OF)
    child = caseload.caseload(session)[0]
    listing = [line.to_json() for line in reviews.list_reviews(session, child.id)]
    session.lock()
    # The demo child already has a review booked: planning another is refused, in words.
    r = run("--data-dir", str(d), "review", "plan", child.id)
    assert r.returncode == 1 and "already a review planned" in r.stderr
    booked = next(x for x in listing if x["status"] in ("planned", "preparing", "stood_down"))
    r = run("--data-dir", str(d), "review", "show", booked["id"], "--json")
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["review"]["id"] == booked["id"]
    assert shown["review"]["due_on"] == booked["due_date"]
    assert isinstance(shown["problems"], list)
    r = run("--data-dir", str(d), "review", "move", booked["id"], "completed")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run(
        "--data-dir",
        str(d),
        "review",
        "rearrange",
        booked["id"],
        "2026-12-01",
        "--reason",
        "Carer on holiday",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    moved = json.loads(r.stdout)
    assert moved["review"]["planned_on"] == "2026-12-01"
    assert moved["review"]["due_on"] == booked["due_date"]
    assert moved["events"][0]["kind"] == "rearranged"
    r = run("--data-dir", str(d), "review", "recommendations", child.id, "--json")
    assert r.returncode == 0, r.stderr
    assert set(json.loads(r.stdout)["summary"]) == {
        "open",
        "overdue",
        "done",
        "done_late",
        "dropped",
    }


def test_a_bad_date_in_a_record_is_a_plain_message_not_a_traceback(tmp_path):
    d = tmp_path / "c"
    session, _ = create_caseload(
        data_paths(d), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    load_demo(session, 2, seed=3, as_of=AS_OF)
    child = caseload.caseload(session)[0]
    with session.unit_of_work() as s:
        review_id = s.execute(
            text("SELECT id FROM reviews WHERE child_id = :c ORDER BY due_date LIMIT 1"),
            {"c": child.id},
        ).scalar_one()
        s.execute(
            text("UPDATE reviews SET record = :r WHERE id = :id"),
            {"r": json.dumps({"meetings": [{"date": "2026-02-30"}]}), "id": review_id},
        )
    session.lock()
    r = run("--data-dir", str(d), "reviews", child.id, "--json")
    assert r.returncode == 0, r.stderr
    broken = next(x for x in json.loads(r.stdout) if x["id"] == review_id)
    assert broken["readable"] is False and "2026-02-30" in broken["problem"]
    r = run("--data-dir", str(d), "review", "show", review_id)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "2026-02-30" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_bad_date_argument_is_a_usage_error(demo_dir):
    r = run("--data-dir", str(demo_dir), "review", "rearrange", "x", "31/12/2026", "--reason", "y")
    assert r.returncode == 2
    assert "YYYY-MM-DD" in r.stderr and "Traceback" not in r.stderr
