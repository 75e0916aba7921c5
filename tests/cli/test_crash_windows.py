"""A flat battery during a rekey, a restore or a backup: the program is killed (SIGKILL) at each
step of the change, then used again as a person would. The caseload must open with the right
secret every time, with the old contents or the new, and no recovery code may be lost.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import PASSPHRASE

CODE = re.compile(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){4}")
NEW = "a changed passphrase after the crash"


def crash(step: str, *args: str, env: dict[str, str] | None = None) -> None:
    """Run iro-desktop ARGS and kill it at STEP; the step must be reached."""
    full_env = dict(os.environ, IRO_DESKTOP_PASSPHRASE=PASSPHRASE, **(env or {}))
    r = subprocess.run(
        [sys.executable, "-m", "tests.crash_at", step, *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert r.returncode == -signal.SIGKILL, (step, r.returncode, r.stdout, r.stderr)


def children(where: list[str], passphrase: str = PASSPHRASE) -> tuple[int, str]:
    """How many children the caseload opens with, and what it said on stderr."""
    r = run(*where, "caseload", "--json", passphrase=passphrase)
    assert r.returncode == 0, r.stderr
    return len(json.loads(r.stdout)), r.stderr


def audit_details(where: list[str], passphrase: str = PASSPHRASE) -> list[str]:
    r = run(*where, "audit", "--json", passphrase=passphrase)
    assert r.returncode == 0, r.stderr
    return [f"{e['action']} {e['detail']}" for e in json.loads(r.stdout)]


def reset(where: list[str], code: str, new: str) -> subprocess.CompletedProcess[str]:
    return run(
        *where,
        "reset-passphrase",
        env={"IRO_DESKTOP_RECOVERY_CODE": code, "IRO_DESKTOP_NEW_PASSPHRASE": new},
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A caseload of 5 children, and its recovery code; tests work on copies of it."""
    d = tmp_path_factory.mktemp("crash") / "caseload"
    r = run("--data-dir", str(d), "--user", "ada", "init", "--name", "Ada Example")
    assert r.returncode == 0, r.stderr
    code = CODE.search(r.stdout)
    assert code
    r = run("--data-dir", str(d), "demo-data", "--children", "5", "--seed", "2")
    assert r.returncode == 0, r.stderr
    return d, code.group(0)


@pytest.fixture
def caseload(template: tuple[Path, str], tmp_path: Path) -> tuple[list[str], Path, str]:
    d = tmp_path / "caseload"
    shutil.copytree(template[0], d)
    return ["--data-dir", str(d), "--user", "ada"], d, template[1]


# --- rekey ---------------------------------------------------------------------------------------


def test_change_passphrase_after_a_killed_rekey_still_opens_with_the_new_passphrase(caseload):
    where, _d, old_code = caseload
    crash("rekey:re-encrypted", *where, "rekey")
    r = run(*where, "change-passphrase", env={"IRO_DESKTOP_NEW_PASSPHRASE": NEW})
    assert r.returncode == 0, r.stderr
    count, said = children(where, NEW)
    assert count == 5
    code = CODE.search(said)
    assert code, f"the new recovery code was not shown: {said!r}"
    assert run(*where, "caseload", "--json").returncode != 0  # the old passphrase is gone
    assert reset(where, old_code, "one more new passphrase").returncode != 0
    assert reset(where, code.group(0), "one more new passphrase").returncode == 0
    assert children(where, "one more new passphrase")[0] == 5


def test_reset_passphrase_after_a_killed_rekey_still_opens_with_the_reset_one(caseload):
    where, _d, old_code = caseload
    crash("rekey:re-encrypted", *where, "rekey")
    r = reset(where, old_code, NEW)  # the only code the IRO has seen still works here
    assert r.returncode == 0, r.stderr
    count, said = children(where, NEW)
    assert count == 5
    code = CODE.search(said)
    assert code and code.group(0) != old_code
    assert reset(where, code.group(0), "one more new passphrase").returncode == 0


@pytest.mark.parametrize(
    "step",
    ["rekey:re-encrypted", "rekey:verified", "rekey:keys-written", "rekey:code-not-yet-shown"],
)
def test_a_rekey_killed_after_the_file_changed_shows_the_new_code_at_the_next_open(caseload, step):
    where, _d, old_code = caseload
    crash(step, *where, "rekey")
    count, said = children(where)
    assert count == 5
    assert len(said.strip().splitlines()) == 1
    code = CODE.search(said)
    assert code and code.group(0) != old_code, said
    assert children(where)[1] == ""  # shown once, then never again
    assert any("interrupted re-encryption was finished" in e for e in audit_details(where))
    assert reset(where, old_code, NEW).returncode != 0
    assert reset(where, code.group(0), NEW).returncode == 0
    assert children(where, NEW)[0] == 5


def test_a_rekey_killed_before_the_file_changed_keeps_the_old_key_and_code(caseload):
    where, d, old_code = caseload
    crash("rekey:pending-written", *where, "rekey")
    count, said = children(where)
    assert (count, said) == (5, "")
    assert not (d / "keys.json.pending").exists()
    assert any("interrupted re-encryption was undone" in e for e in audit_details(where))
    assert reset(where, old_code, NEW).returncode == 0
    assert children(where, NEW)[0] == 5


# --- restore -------------------------------------------------------------------------------------

RESTORE_STEPS_OLD = ["restore:staged"]
RESTORE_STEPS_NEW = [
    "restore:journal",
    "restore:old-keys-kept",
    "restore:keys-switched",
    "restore:old-database-kept",
    "restore:switched",
    "restore:opened",
]


@pytest.fixture(scope="module")
def grown(template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory):
    """The 5-child caseload backed up, then grown to 8 children."""
    base = tmp_path_factory.mktemp("grown")
    d = base / "caseload"
    shutil.copytree(template[0], d)
    backup = base / "five.irobackup"
    assert run("--data-dir", str(d), "backup", str(backup)).returncode == 0
    r = run("--data-dir", str(d), "demo-data", "--children", "3", "--seed", "9")
    assert r.returncode == 0, r.stderr
    return d, backup


@pytest.mark.parametrize("step", RESTORE_STEPS_OLD + RESTORE_STEPS_NEW)
def test_a_restore_killed_at_any_step_leaves_the_old_or_the_new_caseload(grown, tmp_path, step):
    d = tmp_path / "caseload"
    shutil.copytree(grown[0], d)
    where = ["--data-dir", str(d), "--user", "ada"]
    crash(step, *where, "restore", str(grown[1]))
    count, said = children(where)
    assert count == (8 if step in RESTORE_STEPS_OLD else 5), said
    assert "not been changed" not in said
    left = sorted(p.name for p in d.iterdir())
    assert not [n for n in left if "restoring" in n or "journal" in n or "before-restore" in n], (
        left
    )
    # And the restore can be done again, from whatever state the kill left.
    r = run(*where, "restore", str(grown[1]))
    assert r.returncode == 0, r.stderr
    assert children(where)[0] == 5
    assert [e for e in audit_details(where) if e.startswith("restore ")]  # item 19


def test_a_killed_backup_leaves_nothing_behind_after_the_next_run(grown, tmp_path):
    d = tmp_path / "caseload"
    shutil.copytree(grown[0], d)
    where = ["--data-dir", str(d), "--user", "ada"]
    out = tmp_path / "elsewhere" / "b.irobackup"
    out.parent.mkdir()
    crash("backup:snapshot", *where, "backup", str(out))
    assert [p for p in d.iterdir() if p.name.startswith(".backup-")], "nothing to clean up"
    crash("backup:written", *where, "backup", str(out))
    assert out.with_name("b.irobackup.partial").exists()
    assert not out.exists()
    assert children(where)[0] == 8
    assert not [p for p in d.iterdir() if p.name.startswith(".backup-")]
    assert list(out.parent.iterdir()) == []


# --- damaged files -------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["empty", "missing"])
def test_an_empty_or_missing_database_is_reported_as_damaged_and_nothing_is_created(
    caseload, damage
):
    where, d, _code = caseload
    db = d / "caseload.db"
    if damage == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    before = sorted(p.name for p in d.iterdir())
    r = run(*where, "caseload", "--json")
    assert r.returncode != 0
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "damaged" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in d.iterdir()) == before
    if damage == "empty":
        assert db.stat().st_size == 0
