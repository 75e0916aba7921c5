"""The real program, started as a person (or the benchmark) would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .support import PASSPHRASE


def run_program(args, env_extra, tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "IRO_DESKTOP_EXIT_AFTER_PAINT": "1",
        "TMPDIR": str(tmp_path),
        **env_extra,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.fast_kdf", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(lines[-1])


def test_demo_opens_unlocked_with_its_children_and_leaves_nothing_behind(tmp_path):
    # Fewer children than --demo's 70 keep the test quick; the code path is the same.
    report = run_program(["--demo"], {"IRO_DESKTOP_DEMO_CHILDREN": "12"}, tmp_path)
    assert report["rows"] == 12
    assert report["marks"]["painted"] >= report["marks"]["window_shown"]
    assert not list(tmp_path.glob("iro-desktop-demo-*")), "the demo folder was not deleted"


def test_demo_defaults_to_70_children_and_never_auto_unlocks_another_caseload(monkeypatch):
    from iro_desktop.app import launch_from_environment

    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", "anything")
    monkeypatch.setenv("IRO_DESKTOP_AUTO_UNLOCK", "1")
    monkeypatch.delenv("IRO_DESKTOP_DEMO_CHILDREN", raising=False)
    plan = launch_from_environment(None, True, None)
    assert plan.demo and plan.demo_children == 70
    assert plan.auto_unlock_passphrase is None


def test_auto_unlock_opens_the_caseload_list(tmp_path, paths):
    report = run_program(
        ["--data-dir", str(paths.root)],
        {"IRO_DESKTOP_PASSPHRASE": PASSPHRASE, "IRO_DESKTOP_AUTO_UNLOCK": "1"},
        tmp_path,
    )
    assert report["rows"] == 70
    marks = report["marks"]
    assert marks["run_window"] <= marks["window_shown"] <= marks["unlocked"] <= marks["painted"]
