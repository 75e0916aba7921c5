"""Smoke-test a frozen build: the program a council installs, not the source.

    python packaging/smoke_test.py dist/iro-desktop-<version>/iro-desktop

Each step runs the frozen executable the way an IRO or IT would and checks what they would
see. Prints one line per step; exits non-zero on the first failure with what went wrong.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "smoke test passphrase for the frozen build"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    exe = Path(argv[1]).resolve()
    if not exe.is_file():
        print(f"No program at {exe}: build it with packaging/build first.")
        return 2
    work = Path(tempfile.mkdtemp(prefix="iro-smoke-"))
    env = {
        **os.environ,
        "IRO_DESKTOP_PASSPHRASE": PASSPHRASE,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "PYTHONPATH": "",  # nothing from the source tree may leak into the frozen program
    }
    data = work / "caseload"

    def run(*args: str, data_dir: Path = data, timeout: float = 180) -> str:
        started = time.monotonic()
        done = subprocess.run(
            [str(exe), "--data-dir", str(data_dir), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=work,
        )
        if done.returncode != 0:
            raise SystemExit(
                f"FAIL {' '.join(args)} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        print(f"ok   {' '.join(args)[:70]} ({time.monotonic() - started:.1f} s)")
        return done.stdout

    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env)
    expected = _source_version()
    if version.returncode != 0 or expected not in version.stdout:
        raise SystemExit(f"FAIL --version said {version.stdout!r}, expected {expected}")
    print(f"ok   --version ({version.stdout.strip()})")

    run("--user", "smoke", "init", "--name", "Sam Smoke", "--profile", "manchester")
    run("--user", "smoke", "demo-data", "--children", "30")
    caseload = json.loads(run("--user", "smoke", "caseload", "--json"))
    if len(caseload) != 30:
        raise SystemExit(f"FAIL caseload --json listed {len(caseload)} children, not 30")

    review_id = _a_held_review(run, caseload)
    letter, record = work / "letter.pdf", work / "record.pdf"
    run("--user", "smoke", "letter", review_id, "--out", str(letter))
    run("--user", "smoke", "record", review_id, "--out", str(record))
    for pdf in (letter, record):
        _check_pdf(pdf)
    print("ok   both PDFs embed their fonts")

    window = subprocess.run(
        [str(exe), "--data-dir", str(data), "--user", "smoke"],
        env={**env, "IRO_DESKTOP_AUTO_UNLOCK": "1", "IRO_DESKTOP_EXIT_AFTER_PAINT": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    painted = [line for line in window.stdout.splitlines() if line.startswith("{")]
    if window.returncode != 0 or not painted:
        raise SystemExit(f"FAIL the window did not paint:\n{window.stdout}\n{window.stderr}")
    timings = json.loads(painted[-1])
    print(f"ok   the window opened and painted the caseload ({json.dumps(timings)[:80]})")

    files = work / "return"
    run("--user", "smoke", "export", "ssda903", "--out", str(files))
    fresh = work / "imported"
    run("--user", "smoke", "init", "--name", "Sam Smoke", data_dir=fresh)
    out = run("--user", "smoke", "import", "ssda903", str(files), data_dir=fresh)
    imported = json.loads(run("--user", "smoke", "caseload", "--json", data_dir=fresh))
    if not imported:
        raise SystemExit(f"FAIL import ssda903 brought in no children:\n{out}")
    print(f"ok   import ssda903 brought in {len(imported)} children")
    print(f"Smoke test passed: {exe}")
    return 0


def _source_version() -> str:
    init = Path(__file__).resolve().parent.parent / "iro_desktop" / "__init__.py"
    for line in init.read_text("utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split('"')[1]
    raise SystemExit("FAIL no __version__ in iro_desktop/__init__.py")


def _a_held_review(run, caseload: list[dict[str, object]]) -> str:  # type: ignore[no-untyped-def]
    for child in caseload:
        reviews = json.loads(run("--user", "smoke", "reviews", "--json", str(child["id"])))
        for review in reviews:
            if review.get("completed_on"):
                return str(review["id"])
    raise SystemExit("FAIL no held review in the demo caseload")


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or len(data) < 2000:
        raise SystemExit(f"FAIL {path.name} is not a PDF ({len(data)} bytes)")
    # An embedded TrueType font carries a /FontFile2 stream; a PDF that only names fonts does not.
    if b"/FontFile2" not in data:
        raise SystemExit(f"FAIL {path.name} does not embed its fonts")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
