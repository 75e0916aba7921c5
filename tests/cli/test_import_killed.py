"""A flat battery in the middle of an import: kill -9 at several moments, then open again.

The caseload must open every time, with either none of the council's children or all of
them (one transaction), and the same import must then go through.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import PASSPHRASE

CHILDREN = 600


def _files(folder: Path) -> None:
    """CHILDREN children in care since 2024, each with their statutory reviews since."""
    folder.mkdir()
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    episodes = [
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN"
    ]
    reviews = ["CHILD,DOB,REVIEW,REVIEW_CODE"]
    start = date(2024, 1, 8)  # a Monday
    for n in range(CHILDREN):
        child, dob = f"K{n:05d}", date(2012, 1, 1) + timedelta(days=n)
        header.append(f"{child},F,{dob:%d/%m/%Y},WBRI,UN2,0,")
        episodes.append(f"{child},{start:%d/%m/%Y},S,C2,N1,U6,PR1,,,,M9 9ZZ,M1 1AA,")
        for held in (date(2024, 2, 1), date(2024, 4, 25), date(2024, 10, 17), date(2025, 4, 10)):
            reviews.append(f"{child},{dob:%d/%m/%Y},{held:%d/%m/%Y},PN1")
    for name, lines in (("h.csv", header), ("e.csv", episodes), ("r.csv", reviews)):
        (folder / name).write_text("\n".join(lines) + "\n")


def _children(where: list[str]) -> int:
    r = run(*where, "caseload", "--json")
    assert r.returncode == 0, r.stderr  # the caseload opens after every kill
    return len(json.loads(r.stdout))


@pytest.mark.slow
def test_an_import_killed_at_any_moment_leaves_none_or_all_and_can_be_redone(tmp_path):
    d = tmp_path / "caseload"
    where = ["--data-dir", str(d), "--user", "ada"]
    assert run(*where, "init", "--name", "Ada Example").returncode == 0
    folder = tmp_path / "903"
    _files(folder)
    env = dict(os.environ, IRO_DESKTOP_PASSPHRASE=PASSPHRASE)
    command = [sys.executable, "-m", "tests.fast_kdf", *where, "import", "ssda903", str(folder)]

    seen = set()
    for delay in (0.8, 1.6, 2.4, 3.2):
        importing = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        finished = importing.poll() is not None
        importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=30)
        count = _children(where)
        assert count in (0, CHILDREN), f"killed after {delay}s: {count} children, half an import"
        seen.add(count)
        if count == CHILDREN:
            break
        assert not finished
    r = run(*where, "import", "ssda903", str(folder))
    assert r.returncode == 0, (seen, r.stdout, r.stderr)
    assert _children(where) == CHILDREN
    assert 0 in seen, "no kill landed before the import finished: make the file set larger"
