"""A new IRO on the command line: empty caseload, a child by hand, the council's files in,
the return out. Every mistake is one line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.services.test_ssda903_import import council_files, names_file


@pytest.fixture
def empty(tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    d = tmp_path / "caseload"
    assert (
        run("--data-dir", str(d), "--user", "ada", "init", "--name", "Ada Example").returncode == 0
    )
    return ["--data-dir", str(d), "--user", "ada"]


def test_add_a_child_start_care_record_a_visit_and_see_the_review_due(empty):
    r = run(
        *empty,
        "child",
        "add",
        "--name",
        "Amira Testwood",
        "--dob",
        "2015-05-04",
        "--sex",
        "F",
        "--child-id",
        "C0001",
        "--ethnicity",
        "APKN",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["allocated_iro"] == "Ada Example"
    r = run(
        *empty,
        "episode",
        "start",
        "C0001",
        "--on",
        "2026-11-02",
        "--legal-status",
        "C1",
        "--need",
        "N1",
        "--placement",
        "U6",
        "--provider",
        "PR1",
        "--postcode",
        "M1 1AA",
    )
    assert r.returncode == 0, r.stderr
    r = run(
        *empty,
        "visit",
        "add",
        "C0001",
        "--date",
        "2026-11-05",
        "--seen-alone",
        "yes",
        "--by",
        "Sam Worker",
    )
    assert r.returncode == 0, r.stderr
    rows = json.loads(run(*empty, "caseload", "--json").stdout)
    assert rows[0]["next_review_due"] == "2026-11-30"
    shown = run(*empty, "child", "show", "C0001").stdout
    assert (
        "Looked after 02/11/2026 to now" in shown and "Last social worker visit 05/11/2026" in shown
    )


def test_a_refused_combination_is_one_line_and_changes_nothing(empty):
    run(
        *empty,
        "child",
        "add",
        "--name",
        "Kofi Testman",
        "--dob",
        "2012-01-10",
        "--sex",
        "M",
        "--child-id",
        "C0002",
    )
    r = run(
        *empty,
        "episode",
        "start",
        "C0002",
        "--on",
        "2026-11-02",
        "--legal-status",
        "V2",
        "--need",
        "N1",
        "--placement",
        "P1",
        "--provider",
        "PR0",
    )
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "378" in r.stderr and "Traceback" not in r.stderr
    assert json.loads(run(*empty, "child", "show", "C0002", "--json").stdout)["periods"] == []
    bad = run(*empty, "visit", "add", "C0002", "--date", "2026-02-31")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    missing = run(*empty, "child", "show", "NOPE")
    assert missing.returncode == 1 and "No child with the id NOPE" in missing.stderr


def test_import_dry_run_then_import_then_remove_a_mistaken_child(empty, tmp_path):
    folder = council_files(tmp_path / "903")
    names = names_file(tmp_path / "names.csv")
    dry = run(*empty, "import", "ssda903", str(folder), "--names", str(names), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "3 children to add" in dry.stdout and "nothing was changed" in dry.stdout.lower()
    assert json.loads(run(*empty, "caseload", "--json").stdout) == []
    r = run(*empty, "import", "ssda903", str(folder), "--names", str(names))
    assert r.returncode == 0, r.stderr
    assert "3 children added" in r.stdout
    assert len(json.loads(run(*empty, "caseload", "--json").stdout)) == 3
    no = run(*empty, "child", "remove", "C300", "--reason", "added by mistake")
    assert no.returncode == 2 and "--yes" in no.stderr
    gone = run(*empty, "child", "remove", "C300", "--reason", "added by mistake", "--yes")
    assert gone.returncode == 0, gone.stderr
    assert len(json.loads(run(*empty, "caseload", "--json").stdout)) == 2


@pytest.mark.parametrize(
    "damage",
    ["empty folder", "binary", "impossible date", "names for an unknown child"],
)
def test_a_bad_file_set_names_file_and_line_and_imports_nothing(empty, tmp_path, damage):
    folder = tmp_path / "903"
    folder.mkdir()
    names = None
    if damage != "empty folder":
        council_files(folder)
    if damage == "binary":
        (folder / "episodes.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    if damage == "impossible date":
        text = (folder / "reviews.csv").read_text().replace("27/03/2026", "31/02/2026")
        (folder / "reviews.csv").write_text(text)
    if damage == "names for an unknown child":
        names = tmp_path / "names.csv"
        names.write_text("CHILD,NAME\nC100,Amira Testwood\nC999,Nobody Known\n")
    extra = ["--names", str(names)] if names else []
    r = run(*empty, "import", "ssda903", str(folder), *extra)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "nothing was imported" in r.stderr
    expected = {
        "empty folder": "903",
        "binary": "episodes.csv",
        "impossible date": "reviews.csv line 2",
        "names for an unknown child": "C999",
    }[damage]
    assert expected in r.stderr
    assert json.loads(run(*empty, "caseload", "--json").stdout) == []


def test_export_writes_the_return_for_the_year(empty, tmp_path):
    folder = council_files(tmp_path / "903")
    assert run(*empty, "import", "ssda903", str(folder)).returncode == 0
    out: Path = tmp_path / "return"
    r = run(*empty, "export", "ssda903", "--year", "2027", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "1 April 2026 to 31 March 2027" in r.stdout
    header = (out / "header.csv").read_text().splitlines()
    assert header[0].startswith("CHILD,SEX,DOB")
    assert {line.split(",")[0] for line in header[1:]} == {"C100", "C200", "C300"}


def test_a_kinship_placement_on_temporary_approval_and_a_long_term_confirmation(empty):
    def ok(*args: str) -> str:
        done = run(*empty, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    for la_id, name in (("K1", "Remy Kinwood"), ("K2", "Kit Kinwood")):
        ok("child", "add", "--name", name, "--dob", "2016-01-09", "--sex", "M",
           "--child-id", la_id, "--ethnicity", "WBRI")  # fmt: skip
    ok("episode", "start", "K1", "--on", "2026-11-02", "--legal-status", "C1", "--need", "N1",
       "--placement", "U3", "--provider", "PR1", "--postcode", "M4 4AA",
       "--temporary-approval")  # fmt: skip
    ok("visit", "add", "K1", "--date", "2026-11-12", "--seen-alone", "yes")
    due = json.loads(ok("due", "--json"))
    rows = [r for r in due["items"] if r["kind"] == "statutory_visit_overdue"]
    assert [r["due_date"] for r in rows] == ["2026-11-19"]  # weekly to the first review

    refused = run(*empty, "episode", "long-term", "K1", "--on", "2026-11-10",
                  "--child-agrees-6-monthly", "2026-11-09")  # fmt: skip
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "6-monthly visits cannot be before" in refused.stderr
    said = ok("episode", "long-term", "K1", "--on", "2026-11-10")
    assert "long-term from 10/11/2026" in said
