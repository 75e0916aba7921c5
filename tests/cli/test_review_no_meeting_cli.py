"""`iro-desktop review no-meeting`: a review held without a meeting, from a script."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import children as svc
from iro_desktop.services import create_caseload, reviews
from iro_desktop.services.children import ChildDetails, Placement
from tests.cli.test_cli import run
from tests.conftest import PASSPHRASE


def _child(session, la_id: str, placement: str):  # type: ignore[no-untyped-def]
    child = svc.add_child(
        session,
        ChildDetails("Kit", "Clitest", date(2014, 2, 14), "F", la_id, allocated_iro="Ada"),
    )
    svc.start_period(
        session,
        child.id,
        start=date(2024, 1, 8),
        legal_status="C2",
        category_of_need="N1",
        placement=Placement(placement, "PR1", "M5 5AA", home_postcode="M9 9ZZ"),
    )
    return child


def test_no_meeting_records_the_review_and_refuses_a_children_s_home(tmp_path):
    d = tmp_path / "c"
    session, _ = create_caseload(
        data_paths(d), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    foster = _child(session, "C1", "U4")
    svc.confirm_long_term(session, foster.id, on=date(2024, 6, 3))
    settled = reviews.plan_next_review(session, foster.id).review.id
    home = _child(session, "C2", "K2")
    other = reviews.plan_next_review(session, home.id).review.id
    session.lock()

    r = run("--data-dir", str(d), "review", "no-meeting", settled, "--on", "2026-11-20", "--json")
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["review"]["status"] == "completed"
    assert shown["review"]["without_meeting"] is True
    r = run("--data-dir", str(d), "review", "no-meeting", other)
    assert r.returncode == 1
    assert "long-term foster placement" in r.stderr and "Traceback" not in r.stderr
