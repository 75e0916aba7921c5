"""Importing a whole service's ten years of SSDA903 files, against reading them bare.

Writes a synthetic, DfE-legal file set (default 1,300 children, ten collection years:
about 13,000 episodes and 20,000+ reviews, plus a names file) and times, in the same run:

- floor: reading every file with the csv module alone (what any importer must pay)
- read: `interchange.ssda903_read.read_folder` (parsing, codes, dates, cross-checks)
- plan: `services.ssda903_import.plan_import` into an empty encrypted caseload
- apply: `apply_import` (one transaction)
- re-plan: the same files again (nothing to change)

Aim: plan + apply under 10 s on 2 cores.

    .venv/bin/python benchmarks/bench_import.py [--children 1300] [--years 10]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from figures import figure  # noqa: E402  (benchmarks/figures.py)

from iro_desktop.clock import FixedClock  # noqa: E402
from iro_desktop.interchange import ssda903_read  # noqa: E402
from iro_desktop.interchange.ssda903_tables import TABLE_COLUMNS  # noqa: E402
from iro_desktop.paths import data_paths  # noqa: E402
from iro_desktop.services import create_caseload, ssda903_import  # noqa: E402
from iro_desktop.store import keys  # noqa: E402

# Caseload set-up is not what is measured: derive keys cheaply (the shipped cost is
# measured in bench_storage.py).
keys.scrypt_params = lambda: {"n": 2**10, "r": 8, "p": 1}  # type: ignore[assignment]
keys.minimum_scrypt = keys.scrypt_params  # type: ignore[assignment]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def write_files(folder: Path, children: int, years: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    start_of_history = date(TODAY.year - years, 4, 1)
    header, episodes, reviews, names = [], [], [], []
    for n in range(children):
        child = f"C{n:06d}"
        decom = _weekday(start_of_history + timedelta(days=rng.randrange(0, years * 330)))
        dob = decom - timedelta(days=rng.randrange(365 * 1 + 30, 365 * 13))
        header.append([child, rng.choice("MF"), _d(dob), "WBRI", "UN2", "", ""])
        names.append([child, f"Child{n} Example{n % 97}", ""])
        # A placement move roughly every 14 months, each episode joined by X1.
        day, place = decom, "U6"
        while True:
            nxt = _weekday(day + timedelta(days=rng.randrange(300, 560)))
            rne = "S" if day == decom else "P"
            if nxt < TODAY:
                episodes.append(
                    [
                        child,
                        _d(day),
                        rne,
                        "C2",
                        "N1",
                        place,
                        "PR1",
                        _d(nxt),
                        "X1",
                        "CARPL",
                        "M9 9ZZ",
                        "M1 1AA",
                        "",
                    ]
                )
                day, place = nxt, ("U4" if place == "U6" else "U6")
            else:
                episodes.append(
                    [
                        child,
                        _d(day),
                        rne,
                        "C2",
                        "N1",
                        place,
                        "PR1",
                        "",
                        "",
                        "",
                        "M9 9ZZ",
                        "M1 1AA",
                        "",
                    ]
                )
                break
        # Reviews on the statutory cycle: ~20 working days, then 3 months, then 6.
        review = _weekday(decom + timedelta(days=26))
        gap = 85
        while review < TODAY:
            code = "PN0" if _age(dob, review) < 4 else "PN1"
            reviews.append([child, _d(dob), _d(review), code])
            review = _weekday(review + timedelta(days=gap))
            gap = 175
    tables = {
        "header.csv": ("Header", header),
        "episodes.csv": ("Episodes", episodes),
        "reviews.csv": ("Reviews", reviews),
    }
    for name, (table, rows) in tables.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(TABLE_COLUMNS[table])
            out.writerows(rows)
    with (folder.parent / "names.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["CHILD", "NAME", "PREFERRED_NAME"])
        out.writerows(names)
    return {"children": len(header), "episodes": len(episodes), "reviews": len(reviews)}


def _age(dob: date, on: date) -> int:
    years = on.year - dob.year
    if (on.month, on.day) < (dob.month, dob.day):
        years -= 1
    return years


def floor_read(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open(encoding="utf-8", newline="") as f:
            for _row in csv.reader(f):
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=1300)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "903"
        folder.mkdir()
        counts = write_files(folder, args.children, args.years)
        names = root / "names.csv"
        print(f"file set: {counts}")

        t = time.perf_counter()
        floor_read(folder)
        floor = time.perf_counter() - t

        t = time.perf_counter()
        read = ssda903_read.read_folder(folder, names)
        reading = time.perf_counter() - t
        assert read.ok, read.problems[:5]

        session, _ = create_caseload(
            data_paths(root / "caseload"), "bench", "bench passphrase", clock=FixedClock(NOW)
        )
        try:
            t = time.perf_counter()
            plan = ssda903_import.plan_import(session, folder, names)
            planning = time.perf_counter() - t
            assert plan.ok, plan.problems[:5]
            t = time.perf_counter()
            ssda903_import.apply_import(session, plan)
            applying = time.perf_counter() - t
            t = time.perf_counter()
            again = ssda903_import.plan_import(session, folder, names)
            replanning = time.perf_counter() - t
            assert not again.changes_anything
        finally:
            session.lock()
    total = planning + applying
    print(f"floor (csv module reads every file): {floor * 1000:8.0f} ms")
    print(f"read_folder:                         {reading * 1000:8.0f} ms  {reading / floor:5.1f}x")
    print(f"plan_import (empty caseload):        {planning * 1000:8.0f} ms")
    print(f"apply_import (one transaction):      {applying * 1000:8.0f} ms")
    print(
        f"plan + apply:                        {total * 1000:8.0f} ms  {total / floor:5.1f}x  aim < 10 s"
    )
    print(f"re-plan, nothing to change:          {replanning * 1000:8.0f} ms")
    scale = f"{args.children} children, {args.years} years"
    figure(f"903 import, read + plan + apply ({scale})", (reading + total) * 1000, "ms",
           floor=floor * 1000, floor_name="csv module reads every file", aim=10000)  # fmt: skip
    figure(f"903 import, re-plan with nothing to change ({scale})", replanning * 1000, "ms",
           floor=floor * 1000, floor_name="csv module reads every file")  # fmt: skip


if __name__ == "__main__":
    main()
