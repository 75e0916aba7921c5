"""The iro-desktop command, run as a person or a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iro_desktop import __version__
from tests.conftest import PASSPHRASE


def run(*args: str, env: dict[str, str] | None = None, passphrase: str | None = PASSPHRASE):
    full_env = dict(os.environ)
    full_env.pop("IRO_DESKTOP_PASSPHRASE", None)
    if passphrase is not None:
        full_env["IRO_DESKTOP_PASSPHRASE"] = passphrase
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tests.fast_kdf", *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "caseload"
    assert (
        run("--data-dir", str(d), "--user", "ada", "init", "--name", "Ada Example").returncode == 0
    )
    r = run(
        "--data-dir",
        str(d),
        "--user",
        "ada",
        "demo-data",
        "--children",
        "12",
        "--seed",
        "4",
        "--as-of",
        "2026-11-23",
    )
    assert r.returncode == 0, r.stderr
    return d


def test_version():
    r = run("--version", passphrase=None)
    assert r.returncode == 0
    assert __version__ in r.stdout


def test_caseload_json_lists_every_child_with_the_promised_fields(demo_dir):
    r = run("--data-dir", str(demo_dir), "caseload", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 12
    for row in rows:
        assert {"id", "name", "preferred_name", "date_of_birth", "next_review_due"} <= row.keys()
    assert any(row["next_review_due"] for row in rows)


def test_demo_data_is_deterministic_for_a_seed(tmp_path):
    outputs = []
    for name in ("a", "b"):
        d = tmp_path / name
        run("--data-dir", str(d), "--user", "ada", "init")
        run(
            "--data-dir",
            str(d),
            "demo-data",
            "--children",
            "8",
            "--seed",
            "11",
            "--as-of",
            "2026-11-23",
        )
        outputs.append(json.loads(run("--data-dir", str(d), "caseload", "--json").stdout))
    strip = [
        [
            {k: v for k, v in row.items() if k not in ("working_days_left", "status", "age")}
            for row in out
        ]
        for out in outputs
    ]
    assert strip[0] == strip[1]
    assert len(strip[0]) == 8


def test_a_wrong_passphrase_is_one_line_and_a_non_zero_exit(demo_dir):
    r = run("--data-dir", str(demo_dir), "caseload", "--json", passphrase="nope nope nope")
    assert r.returncode != 0
    assert "passphrase is wrong" in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_no_caseload_and_no_passphrase_get_clear_messages(tmp_path):
    r = run("--data-dir", str(tmp_path / "none"), "caseload")
    assert r.returncode != 0 and "no caseload" in r.stderr.lower()
    assert "Traceback" not in r.stderr
    r = run("--data-dir", str(tmp_path / "none"), "init", passphrase=None)
    assert r.returncode != 0 and "passphrase" in r.stderr.lower()
    assert "Traceback" not in r.stderr


def test_change_passphrase_backup_and_restore_from_the_command_line(tmp_path):
    d = tmp_path / "c"
    assert run("--data-dir", str(d), "--user", "ada", "init").returncode == 0
    run("--data-dir", str(d), "demo-data", "--children", "5", "--seed", "2")
    backup = tmp_path / "backup.irobackup"
    r = run("--data-dir", str(d), "backup", str(backup))
    assert r.returncode == 0, r.stderr
    r = run(
        "--data-dir",
        str(d),
        "change-passphrase",
        env={"IRO_DESKTOP_NEW_PASSPHRASE": "another long passphrase"},
    )
    assert r.returncode == 0, r.stderr
    assert run("--data-dir", str(d), "caseload").returncode != 0
    assert (
        run("--data-dir", str(d), "caseload", passphrase="another long passphrase").returncode == 0
    )
    run(
        "--data-dir",
        str(d),
        "demo-data",
        "--children",
        "3",
        "--seed",
        "9",
        passphrase="another long passphrase",
    )
    # The backup opens with the passphrase that was valid when it was made.
    r = run("--data-dir", str(d), "restore", str(backup))
    assert r.returncode == 0, r.stderr
    rows = json.loads(run("--data-dir", str(d), "caseload", "--json").stdout)
    assert len(rows) == 5


def test_a_bad_date_argument_is_a_usage_error_not_a_traceback(demo_dir):
    r = run("--data-dir", str(demo_dir), "demo-data", "--as-of", "31/12/2026")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
