"""Start-up: process start to the caseload window painted with its children, against a bare
PySide6 window with a QTableWidget of the same number of rows, measured in the same run.

IRO Desktop is started as a person's double-click would start it (`python -m iro_desktop
--data-dir X`) on a real encrypted caseload at the shipped key-derivation cost; the passphrase
comes from IRO_DESKTOP_PASSPHRASE with IRO_DESKTOP_AUTO_UNLOCK=1, and
IRO_DESKTOP_EXIT_AFTER_PAINT=1 makes it print its timings and quit after the first paint of
the list. Key derivation (scrypt, deliberately slow) is measured on its own and reported
separately. Reports medians and the ratio (aim: no more than 2x).

    .venv/bin/python benchmarks/bench_startup.py [--repeat 7] [--children 70]

Runs offscreen unless QT_QPA_PLATFORM is already set (e.g. xcb under Xvfb).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from figures import figure  # benchmarks/figures.py

PASSPHRASE = "benchmark caseload passphrase"
LOGIN = "bench"

BARE_WINDOW = textwrap.dedent(
    """
    import json, sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    rows = int(sys.argv[1])
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableWidget(rows, 7)
    table.setHorizontalHeaderLabels(
        ["Name", "Age", "Legal status", "Placement", "Allocated IRO", "Next review due", "Status"]
    )
    for r in range(rows):
        for c, text in enumerate(
            [f"Child {r}", "12", "C2 Full care order", "U6 Foster care", "Demo IRO",
             "15 Dec 2026", f"Review due in {r} working days"]
        ):
            table.setItem(r, c, QTableWidgetItem(text))
    table.setSortingEnabled(True)
    window.setCentralWidget(table)
    window.resize(1280, 800)

    class Probe(QObject):
        done = False

        def eventFilter(self, watched, event):
            if not self.done and event.type() == QEvent.Type.Paint and watched is table.viewport():
                self.done = True
                QTimer.singleShot(0, self.report)
            return False

        def report(self):
            print(json.dumps({"marks": {"painted": time.time()}, "rows": table.rowCount()}),
                  flush=True)
            app.quit()

    probe = Probe()
    app.installEventFilter(probe)
    window.show()
    app.exec()
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def make_caseload(folder: Path, children: int) -> None:
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo

    session, _code = create_caseload(data_paths(folder), LOGIN, PASSPHRASE, display_name="Bench")
    load_demo(session, children, 1)
    session.lock()


def key_derivation_seconds(folder: Path, repeat: int = 3) -> tuple[float, dict[str, int]]:
    """scrypt with the parameters actually stored in this caseload's key file."""
    keys = json.loads((folder / "keys.json").read_text("utf-8"))
    params = {k: int(v) for k, v in keys["logins"][LOGIN]["params"].items()}
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        hashlib.scrypt(
            PASSPHRASE.encode(),
            salt=b"0123456789abcdef",
            n=params["n"],
            r=params["r"],
            p=params["p"],
            maxmem=256 * 1024 * 1024,
            dklen=32,
        )
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), params


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], int]:
    started = time.time()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{cmd[2:]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(lines[-1])
    marks = {k: v - started for k, v in report["marks"].items()}
    return marks["painted"], marks, int(report["rows"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--children", type=int, default=70)
    args = parser.parse_args()

    env = _env()
    with tempfile.TemporaryDirectory(prefix="iro-bench-startup-") as tmp:
        folder = Path(tmp) / "caseload"
        make_caseload(folder, args.children)
        kdf, params = key_derivation_seconds(folder)
        app_cmd = [sys.executable, "-m", "iro_desktop", "--data-dir", str(folder)]
        app_env = {
            **env,
            "IRO_DESKTOP_PASSPHRASE": PASSPHRASE,
            "IRO_DESKTOP_AUTO_UNLOCK": "1",
            "IRO_DESKTOP_EXIT_AFTER_PAINT": "1",
        }
        bare_cmd = [sys.executable, "-c", BARE_WINDOW, str(args.children)]
        # One of each first, unmeasured: the operating system's file cache warms up.
        _run(app_cmd, app_env)
        _run(bare_cmd, env)
        app_times, bare_times, phases = [], [], []
        for _ in range(args.repeat):  # interleaved, so drifting load hits both alike
            total, marks, rows = _run(app_cmd, app_env)
            if rows != args.children:
                raise SystemExit(f"IRO Desktop painted {rows} rows, not {args.children}.")
            app_times.append(total)
            phases.append(marks)
            bare, _marks, _rows = _run(bare_cmd, env)
            bare_times.append(bare)

    first_screen = statistics.median(p["first_paint"] for p in phases)
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    without_kdf = app_median - kdf

    def phase(name: str) -> float:
        return statistics.median(p[name] for p in phases)

    report = {
        "children": args.children,
        "repeat": args.repeat,
        "platform": env["QT_QPA_PLATFORM"],
        "iro_desktop_s": round(app_median, 3),
        "bare_pyside6_s": round(bare_median, 3),
        "key_derivation_s": round(kdf, 3),
        "scrypt": params,
        "iro_desktop_without_key_derivation_s": round(without_kdf, 3),
        "ratio": round(app_median / bare_median, 2),
        "ratio_without_key_derivation": round(without_kdf / bare_median, 2),
        "first_screen_painted_s": round(first_screen, 3),
        "ratio_first_screen": round(first_screen / bare_median, 2),
        "phases_s": {
            "interpreter and CLI to run_window": round(phase("run_window"), 3),
            "Qt application made": round(phase("qt_ready"), 3),
            "window shown (unlock screen)": round(phase("window_shown"), 3),
            "first paint (the unlock screen on view)": round(phase("first_paint"), 3),
            "unlocked (services loaded, key derived, caseload opened)": round(phase("unlocked"), 3),
            "caseload list painted": round(phase("painted"), 3),
        },
    }
    print(
        f"Start-up to the caseload list painted ({args.children} children, "
        f"{args.repeat} runs each, median, {report['platform']}):"
    )
    print(f"  IRO Desktop                       {app_median:6.3f} s")
    print(f"    of which key derivation          {kdf:6.3f} s (scrypt n={params['n']})")
    print(f"    without key derivation           {without_kdf:6.3f} s")
    print(f"  bare PySide6 + QTableWidget       {bare_median:6.3f} s")
    print(
        f"  ratio                             {report['ratio']:6.2f}x "
        f"({report['ratio_without_key_derivation']:.2f}x without key derivation; aim <= 2x)"
    )
    print(
        f"  first screen (unlock) painted     {first_screen:6.3f} s "
        f"({report['ratio_first_screen']:.2f}x the bare window)"
    )
    print("  IRO Desktop phases (from process start):")
    for name, value in report["phases_s"].items():
        print(f"    {value:6.3f} s  {name}")
    figure("start-up, unlock screen painted", first_screen, "s", floor=bare_median,
           floor_name="bare PySide6 window with a table painted", aim=1.5, aim_is="ratio")  # fmt: skip
    figure(f"start-up with auto-unlock to the caseload painted ({args.children} children)",
           app_median, "s", floor=bare_median,
           floor_name="bare PySide6 window with a table painted",
           note=f"of which key derivation {kdf:.3f} s")  # fmt: skip
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "startup.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
