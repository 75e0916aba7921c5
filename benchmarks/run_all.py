"""Run every benchmark and report every figure against its floor and its aim.

    .venv/bin/python benchmarks/run_all.py            # human-readable table at the end
    .venv/bin/python benchmarks/run_all.py --json     # one JSON object on stdout
    .venv/bin/python benchmarks/run_all.py --quick    # smaller runs, for a first look

Each benchmark runs as its own process (as a person would run it) with its human output
passed through to stderr; the figures come back through benchmarks/figures.py. Benchmarks
are not part of the test suite: speed is measured here, not asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from figures import FIGURES_ENV  # noqa: E402

# (script, arguments for a full run, arguments for --quick)
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("bench_storage.py", [], ["--children", "70", "--repeat", "5"]),
    ("bench_startup.py", [], ["--repeat", "3"]),
    ("bench_unlock.py", [], ["--repeat", "2"]),
    ("bench_dashboard.py", [], ["--children", "300", "--repeat", "5"]),
    ("bench_memory.py", [], ["--children", "300", "--repeat", "1"]),
    ("bench_pdf.py", [], ["--runs", "5"]),
    ("bench_sync.py", [], ["--rounds", "1", "--clients", "10"]),
    ("bench_import.py", [], ["--children", "200", "--years", "3"]),
    ("bench_report.py", [], ["--reviews", "5000"]),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--only", nargs="*", default=None, help="e.g. bench_pdf.py")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "benchmarks": {}}
    figures: list[dict[str, Any]] = []
    for script, full, quick in BENCHMARKS:
        if args.only and script not in args.only:
            continue
        path = HERE / script
        if not path.exists():
            results["benchmarks"][script] = {"status": "missing"}
            continue
        with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as sink:
            sink_path = sink.name
        env = {**os.environ, FIGURES_ENV: sink_path, "QT_QPA_PLATFORM": "offscreen"}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(path), *(quick if args.quick else full)],
            env=env,
            stdout=sys.stderr,  # the human-readable lines, as the script prints them
            stderr=sys.stderr,
            check=False,
        )
        took = time.perf_counter() - started
        found = [json.loads(line) for line in Path(sink_path).read_text().splitlines() if line]
        Path(sink_path).unlink(missing_ok=True)
        for entry in found:
            entry["benchmark"] = script
        figures += found
        results["benchmarks"][script] = {
            "status": "ok" if done.returncode == 0 else f"failed (exit {done.returncode})",
            "seconds": round(took, 1),
            "figures": len(found),
        }
    results["figures"] = {f["name"]: f for f in figures}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        _print_table(figures)
    return 0 if all(b["status"] in ("ok", "missing") for b in results["benchmarks"].values()) else 1


def _print_table(figures: list[dict[str, Any]]) -> None:
    print(f"\n{'figure':58} {'value':>12} {'floor':>12} {'ratio':>7}  aim")
    for f in figures:
        value = f"{f['value']:g} {f['unit']}"
        floor = f"{f['floor']:g}" if f["floor"] is not None else "-"
        ratio = f"{f['ratio']:.2f}x" if f["ratio"] is not None else "-"
        if f["aim"] is None:
            aim = ""
        else:
            mark = "met" if f["meets_aim"] else "NOT MET"
            what = "x" if f["aim_is"] == "ratio" else f" {f['unit']}"
            aim = f"<= {f['aim']:g}{what} ({mark})"
        print(f"{f['name'][:58]:58} {value:>12} {floor:>12} {ratio:>7}  {aim}")


if __name__ == "__main__":
    raise SystemExit(main())
