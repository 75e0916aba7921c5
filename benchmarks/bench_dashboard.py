"""The "what's due" dashboard for a manager's whole service, against the bare query under it.

Builds a demo service (default 1,300 children over 20 IROs) in an encrypted caseload, then
times, in the same run and on the same data:

- bare query: the dashboard's five SQL queries, rows fetched as the driver returns them
- lean rows: the same rows as named tuples with real dates (`review_repository.due_rows`)
- dashboard: `services.due.dashboard` (lean rows, each child's due state, due_items)
- one IRO's dashboard (about 65 children)
- the caseload list (`services.caseload.caseload`, from the same lean rows)

Reports medians (wall and CPU) and the dashboard's ratio to the bare query.
Aim: dashboard under 100 ms.

    .venv/bin/python benchmarks/bench_dashboard.py [--children 1300] [--iros 20] [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from figures import figure  # noqa: E402

# Key derivation is not what is measured here (bench_storage.py reports unlock time).
from iro_desktop.clock import FixedClock  # noqa: E402
from iro_desktop.paths import data_paths  # noqa: E402
from iro_desktop.services import caseload, create_caseload, due  # noqa: E402
from iro_desktop.services.demo import load_demo  # noqa: E402
from iro_desktop.store import (
    keys,  # noqa: E402
    review_repository,  # noqa: E402
)

# Caseload set-up is not what is measured: derive keys cheaply (the shipped cost is
# measured in bench_storage.py).
keys.scrypt_params = lambda: {"n": 2**10, "r": 8, "p": 1}  # type: ignore[assignment]
keys.minimum_scrypt = keys.scrypt_params  # type: ignore[assignment]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process.

    On a shared machine the wall time includes waiting for other work; the CPU time is what
    the dashboard itself costs.
    """
    fn()  # warm the page cache and SQLAlchemy's statement cache
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _ms(t: tuple[float, float]) -> str:
    return f"{t[0] * 1000:7.1f} ms (CPU {t[1] * 1000:6.1f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=1300)
    parser.add_argument("--iros", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    iros = [f"Demo IRO {i + 1}" for i in range(args.iros)]
    with tempfile.TemporaryDirectory() as tmp:
        session, _ = create_caseload(
            data_paths(Path(tmp) / "service"),
            "manager",
            "benchmark passphrase",
            role="manager",
            clock=FixedClock(NOW),
        )
        start = time.perf_counter()
        load_demo(session, args.children, seed=1, iro_names=iros)
        loaded = time.perf_counter() - start

        def bare() -> object:
            with session.unit_of_work() as s:
                queries = review_repository.due_queries()
                *plain, series = queries
                fetched = [review_repository.fetch_raw(s, q) for q in plain]
                return fetched, s.execute(series).all()

        def lean() -> review_repository.DueRows:
            with session.unit_of_work() as s:
                return review_repository.due_rows(s)

        rows = lean()
        board = due.dashboard(session)
        t_bare = _time(bare, args.repeat)
        t_lean = _time(lean, args.repeat)
        t_board = _time(lambda: due.dashboard(session), args.repeat)
        t_mine = _time(lambda: due.dashboard(session, iro=iros[0]), args.repeat)
        t_list = _time(lambda: caseload.caseload(session), max(3, args.repeat // 3))
        size = (Path(tmp) / "service" / "caseload.db").stat().st_size
        session.lock()
    print(
        f"demo service: {args.children} children, {args.iros} IROs, {sum(map(len, rows.reviews.values()))} reviews, "
        f"{len(board.items)} due rows; loaded in {loaded:.1f} s, file {size / 1e6:.1f} MB"
    )
    print(f"bare query (driver rows)      {_ms(t_bare)}")
    print(f"lean rows (with dates)        {_ms(t_lean)}")
    ratio = t_board[1] / t_bare[1]
    aim = "under" if t_board[1] < 0.1 else "OVER"
    print(
        f"dashboard, whole service      {_ms(t_board)}   CPU ratio to the bare query {ratio:.2f}x; "
        f"{aim} the 100 ms aim"
    )
    print(f"dashboard, one IRO            {_ms(t_mine)}")
    print(f"caseload list (lean rows)     {_ms(t_list)}   aim: under 150 ms")
    n = f"{args.children} children"
    figure(f"dashboard, whole service ({n})", t_board[1] * 1000, "ms", floor=t_bare[1] * 1000,
           floor_name="the dashboard's bare queries", aim=50, note="CPU time")  # fmt: skip
    figure(f"caseload list, whole service ({n})", t_list[1] * 1000, "ms",
           floor=t_bare[1] * 1000, floor_name="the dashboard's bare queries", aim=150,
           note="CPU time")  # fmt: skip
    figure("dashboard, one IRO", t_mine[1] * 1000, "ms", floor=t_bare[1] * 1000,
           floor_name="the dashboard's bare queries (whole service)")  # fmt: skip


if __name__ == "__main__":
    main()
