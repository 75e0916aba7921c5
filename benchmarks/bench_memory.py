"""Memory: the window's peak resident memory with a manager's whole service open (default
1,300 children over 20 IROs), against a bare PySide6 window with a QTableWidget of as many
rows, measured in the same run.

IRO Desktop is started in its own process, unlocks the encrypted caseload (auto-unlock), shows
the caseload list of every child and quits after its first paint; the process's peak resident
set size (VmHWM, in kB) is then reported. The bare window does the same with a plain
table. No aim is set by the issue: the figure is reported with its floor.

    .venv/bin/python benchmarks/bench_memory.py [--children 1300] [--iros 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bench_startup import BARE_WINDOW, LOGIN, PASSPHRASE, _env
from figures import figure  # benchmarks/figures.py

# VmHWM (this process's own high-water mark): ru_maxrss would carry over the peak of the
# benchmark process that started it (Linux keeps it across exec), which built the caseload.
PEAK = textwrap.dedent(
    """
    import resource, sys
    try:
        with open("/proc/self/status") as status:
            hwm = [line.split()[1] for line in status if line.startswith("VmHWM:")]
        peak = int(hwm[0])
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("PEAK", peak)
    """
)

# The window as `iro-desktop` opens it, with auto-unlock; its peak RSS printed at the end.
APP = (
    textwrap.dedent(
        """
    import sys
    from iro_desktop.app import Launch
    from iro_desktop.ui.launch import run

    plan = Launch(data_dir=sys.argv[1], auto_unlock_passphrase=sys.argv[2], exit_after_paint=True)
    code = run(plan)
    """
    )
    + PEAK
    + "sys.exit(code)\n"
)

BARE = BARE_WINDOW + PEAK


def make_service(folder: Path, children: int, iros: int) -> None:
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo

    session, _code = create_caseload(
        data_paths(folder), LOGIN, PASSPHRASE, display_name="Bench", role="manager"
    )
    names = [f"Demo IRO {i + 1}" for i in range(iros)]
    load_demo(session, children, seed=1, iro_names=names)
    session.lock()


def _peak_kb(cmd: list[str]) -> tuple[int, int]:
    done = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=600)
    peak = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("PEAK ")]
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not peak:
        raise SystemExit(f"{cmd[1:2]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return int(peak[-1]), int(rows[-1].get("rows", 0)) if rows else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1300)
    parser.add_argument("--iros", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iro-bench-memory-") as tmp:
        folder = Path(tmp) / "service"
        make_service(folder, args.children, args.iros)
        app_cmd = [sys.executable, "-c", APP, str(folder), PASSPHRASE]
        bare_cmd = [sys.executable, "-c", BARE, str(args.children)]
        app, bare = [], []
        for _ in range(args.repeat):
            kb, rows = _peak_kb(app_cmd)
            if rows != args.children:
                raise SystemExit(f"IRO Desktop painted {rows} rows, not {args.children}.")
            app.append(kb)
            bare.append(_peak_kb(bare_cmd)[0])
    app_mb = statistics.median(app) / 1024
    bare_mb = statistics.median(bare) / 1024
    print(
        f"Peak resident memory, caseload list of {args.children} children over {args.iros} "
        f"IROs open ({args.repeat} runs, median):"
    )
    print(f"  IRO Desktop                      {app_mb:7.1f} MB")
    print(f"  bare PySide6 + QTableWidget      {bare_mb:7.1f} MB")
    print(f"  ratio                            {app_mb / bare_mb:7.2f}x")
    figure(f"memory: window's peak RSS, {args.children}-child caseload open", app_mb, "MB",
           floor=bare_mb, floor_name="bare PySide6 window with a table of as many rows",
           note="VmHWM of the whole process, start to the first paint")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
