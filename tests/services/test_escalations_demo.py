"""The demo's escalations, and the escalations command line for cheap automation."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from iro_desktop.cli import main
from iro_desktop.services import escalations, sync
from iro_desktop.services.demo import load_demo
from tests.conftest import PASSPHRASE


@pytest.mark.parametrize("profile", ["manchester", "cheshire_east"])
def test_the_demo_shows_every_stage_and_kind_of_escalation(session, profile) -> None:
    session.settings.profile = profile
    load_demo(session, 40, seed=1, as_of=date(2026, 11, 23))
    views = escalations.list_escalations(session)
    protocol = escalations.escalation_protocol(session)
    reached = {v.current_stage_key for v in views if v.is_open}
    assert reached >= {stage.key for stage in protocol.stages} | {None}
    statuses = Counter(v.status for v in views)
    assert statuses["resolved"] >= 3 and statuses["withdrawn"] == 1 and statuses["noted"] == 3
    assert {v.partner_agency for v in views if v.category == "partner"} == {
        "health", "education", "police"
    }  # fmt: skip
    assert any(len(v.children) > 1 for v in views)  # a sibling group
    assert any(v.overall_overdue for v in views) and any(v.stage_overdue for v in views)
    assert any(v.is_open and not v.overdue and v.current_stage_key for v in views)
    assert any(v.resolved_within_limit is False for v in views)
    assert any(v.state.bypasses for v in views)
    assert all(not v.conflicts for v in views)
    # Every demo event waits in the outbox like any other.
    assert sync.status(session).unsent == sum(v.events_count for v in views)
    # The previous quarter has resolved escalations for the themes report.
    assert escalations.quarterly_themes_report(session, 2026, 2).resolved >= 1


def test_the_same_seed_gives_the_same_demo_escalations(session, tmp_path) -> None:
    from iro_desktop.clock import FixedClock
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload

    def shape(s) -> list[tuple[str, str, str, int]]:
        return sorted(
            (v.category, v.status, v.current_stage_key or "-", v.events_count)
            for v in escalations.list_escalations(s)
        )

    load_demo(session, 12, seed=5)
    other, _ = create_caseload(
        data_paths(tmp_path / "other"), "bea", PASSPHRASE, clock=FixedClock(session.clock.now())
    )
    try:
        load_demo(other, 12, seed=5)
        assert shape(other) == shape(session)
        ids = {v.escalation_id for v in escalations.list_escalations(session)}
        assert ids.isdisjoint(v.escalation_id for v in escalations.list_escalations(other))
    finally:
        other.lock()


def test_no_children_in_care_means_no_demo_escalations(session) -> None:
    assert escalations.load_demo_escalations(session, seed=3) == 0
    assert escalations.list_escalations(session) == []


def test_the_escalations_command(tmp_path, monkeypatch, capsys) -> None:
    folder = str(tmp_path / "caseload")
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", PASSPHRASE)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", folder, "--user", "ada", *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init")[0] == 0
    assert run("demo-data", "--children", "8", "--seed", "3", "--as-of", "2026-11-23")[0] == 0
    code, out, _ = run("escalations", "--json")
    listed = json.loads(out)
    assert code == 0 and listed
    assert set(listed[0]) >= {
        "id", "children", "issues", "category", "status", "current_stage", "stage_deadline",
        "overall_deadline", "overdue", "events", "unsent",
    }  # fmt: skip
    child = listed[0]["children"][0]["id"]

    code, out, _ = run(
        "escalations", "raise", "--child", child, "--issue", "no_social_work_report",
        "--issue", "social_worker_did_not_attend", "--outcome", "A report before every review.",
        "--send-to", "Tess Teamlead", "--on", "2026-11-20", "--json",
    )  # fmt: skip
    raised = json.loads(out)
    assert code == 0
    assert (raised["current_stage"], raised["stage_deadline"]) == ("informal", "2026-11-27")
    assert raised["unsent"] == 2

    ident = raised["id"][:8]
    assert run("escalations", "respond", ident, "--from", "Tess Teamlead", "--text", "No.")[0] == 0
    code, out, _ = run("escalations", "advance", ident, "--to", "Lorna Locality")
    assert code == 0 and "formal" in out
    code, _, err = run("escalations", "advance", ident, "--to", "Hamid Head")
    assert code == 1 and "No response from Lorna Locality" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("escalations", "raise", "--child", child, "--issue", "bogus")
    assert code == 1 and "bogus is not an issue in this practice profile" in err
    code, _, err = run("escalations", "show", "zz")
    assert code == 2 and "at least 6 characters" in err

    code, out, _ = run("escalations", "--json", "--child", child)
    mine = [e for e in json.loads(out) if e["id"] == raised["id"]]
    assert mine[0]["events"] == 4 and mine[0]["current_stage"] == "formal"
    code, out, _ = run("escalations", "report", "--year", "2026", "--quarter", "3", "--json")
    assert code == 0 and json.loads(out)["by_theme"]["no_social_work_report"] >= 1
