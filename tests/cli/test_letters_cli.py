"""The letter commands run as a script would run them: draft PDF, submit, a manager's
sign-off, the approved PDF, the record, a batch and issuing, each in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from iro_desktop.paths import data_paths
from iro_desktop.services import create_caseload
from iro_desktop.services.letters import DRAFT_MARK
from tests.conftest import PASSPHRASE
from tests.services import letters_kit as kit


def run(data_dir: Path, user: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IRO_DESKTOP_PASSPHRASE=PASSPHRASE)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fast_kdf",
            "--data-dir",
            str(data_dir),
            "--user",
            user,
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> tuple[Path, str]:
    """A caseload with one review completed four weeks ago, and a manager's login."""
    data_dir = tmp_path_factory.mktemp("letters-cli") / "caseload"
    # The commands run on the real clock, so the review is dated from the real today.
    meeting = date.today() - timedelta(days=28)
    session, _ = create_caseload(
        data_paths(data_dir), "ada", PASSPHRASE, display_name="Ada Example"
    )
    try:
        kit.ready(session)
        child = kit.make_child(session, period_start=meeting - timedelta(days=20))
        review_id = kit.completed_review(
            session, child, meeting_on=meeting, recs_issued_on=meeting + timedelta(days=1)
        )
        session.add_login("morgan", "Morgan Manager", "manager", PASSPHRASE)
    finally:
        session.lock()
    return data_dir, review_id


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("iro-desktop: ")
    return lines[0]


def test_from_draft_to_issued_letter_on_the_command_line(caseload, tmp_path):
    data_dir, review_id = caseload

    r = run(data_dir, "ada", "letter", review_id, "--out", str(tmp_path / "draft.pdf"))
    assert r.returncode == 0, r.stderr
    path, status = r.stdout.strip().splitlines()
    assert Path(path) == tmp_path / "draft.pdf"
    assert "unapproved draft" in status
    text = kit.pdf_text(Path(path))
    assert DRAFT_MARK in text and "Dear Amira," in text and kit.SWIMMING in text

    r = run(data_dir, "ada", "letters", "submit", review_id)
    assert r.returncode == 0, r.stderr
    version_id = r.stdout.strip().rsplit(" ", 1)[-1]

    assert "Only a manager" in _one_line_error(run(data_dir, "ada", "signoff", "list", "--json"))
    r = run(data_dir, "morgan", "signoff", "list", "--json")
    assert r.returncode == 0, r.stderr
    inbox = json.loads(r.stdout)
    assert [i["version_id"] for i in inbox] == [version_id]
    assert inbox[0]["child_name"] == "Amira Quillfeather"

    r = run(data_dir, "morgan", "signoff", "return", version_id, "--comment", "Say who Jo is.")
    assert r.returncode == 0, r.stderr
    r = run(data_dir, "ada", "letters", "submit", review_id)
    assert r.returncode == 0 and version_id in r.stdout, r.stderr
    r = run(data_dir, "morgan", "signoff", "approve", version_id, "--comment", "Lovely.")
    assert r.returncode == 0 and "approved" in r.stdout, r.stderr

    r = run(
        data_dir, "ada", "letter", review_id, "--out", str(tmp_path / "final.pdf"), "--large-print"
    )
    assert r.returncode == 0, r.stderr
    assert "the approved version 1, signed off by Morgan Manager" in r.stdout
    text = kit.pdf_text(tmp_path / "final.pdf")
    assert DRAFT_MARK not in text and "approved by Morgan Manager" in text

    r = run(data_dir, "ada", "record", review_id, "--out", str(tmp_path / "record.pdf"))
    assert r.returncode == 0 and "approved" in r.stdout, r.stderr
    assert "Approved for issue" in kit.pdf_text(tmp_path / "record.pdf")

    r = run(data_dir, "ada", "letters", "batch", "--out-dir", str(tmp_path / "batch"))
    assert r.returncode == 0, r.stderr
    assert "Printing approved letters: 1 of 1" in r.stderr
    printed = [Path(p) for p in r.stdout.strip().splitlines()[:-1]]
    assert len(printed) == 1 and printed[0].exists()

    r = run(data_dir, "ada", "letters", "issue", version_id, "--to", "Amira", "--method", "hand")
    assert r.returncode == 0, r.stderr
    r = run(data_dir, "ada", "letters", "deadlines", review_id, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["letter"]["done_on"] == date.today().isoformat()

    error = _one_line_error(run(data_dir, "morgan", "signoff", "approve", version_id))
    assert "not waiting for sign-off" in error


def test_mistakes_get_one_line_and_a_non_zero_exit(caseload, tmp_path):
    data_dir, review_id = caseload
    error = _one_line_error(
        run(data_dir, "ada", "letter", "no-such-review", "--out", str(tmp_path / "x.pdf"))
    )
    assert "No review with id no-such-review" in error
    error = _one_line_error(run(data_dir, "ada", "letter", review_id, "--out", "letter.txt"))
    assert "should end in .pdf" in error
    error = _one_line_error(
        run(data_dir, "morgan", "signoff", "return", "no-such-version", "--comment", "x")
    )
    assert "No letter version" in error
