"""The store's caseload queries on SQLCipher against the same schema in plain SQLite.

Same rows, same queries, same page cache, same run; reports medians and the ratio
(aim: no more than 1.3x). Also reports unlock (key derivation) time at the shipped cost.

    .venv/bin/python benchmarks/bench_storage.py [--children 70 1300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from figures import figure  # benchmarks/figures.py
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from iro_desktop.services.demo import generate
from iro_desktop.store import repositories as repo
from iro_desktop.store.engine import CACHE_KIB, open_store
from iro_desktop.store.keys import DEFAULT_SCRYPT, Wrapping, new_data_key
from iro_desktop.store.tables import Base

AS_OF = date(2026, 11, 23)


def _fill(sessions: Callable, n: int) -> None:  # type: ignore[type-arg]
    children, reviews = generate(n, 1, AS_OF, ["Demo IRO"])
    now = datetime(2026, 11, 23)
    with sessions() as s:
        for child in children:
            repo.save_child(s, child, now)
        for i, r in enumerate(reviews):
            repo.save_review_row(
                s,
                review_id=f"r{i}",
                child_id=r.child_id,
                kind=r.kind,
                status=r.status,
                due_date=r.due,
                now=now,
                sequence=r.sequence,
                timeliness_date=r.held,
                completed_date=r.held,
                pn_code=r.pn_code,
            )
        s.commit()


def _time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm the page cache and SQLAlchemy's statement cache
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def bench(n: int, repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        enc = open_store(Path(tmp) / "enc.db", new_data_key())
        _fill(enc._sessions, n)
        plain = create_engine(f"sqlite:///{tmp}/plain.db")

        @event.listens_for(plain, "connect")
        def _pragmas(conn, _):  # type: ignore[no-untyped-def]
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

        Base.metadata.create_all(plain)
        plain_sessions = sessionmaker(plain)
        _fill(plain_sessions, n)

        def query(sessions: Callable) -> Callable[[], object]:  # type: ignore[type-arg]
            def run() -> object:
                with sessions() as s:
                    return repo.list_children(s)

            return run

        t_enc = _time(query(enc._sessions), repeat)
        t_plain = _time(query(plain_sessions), repeat)
        enc.close()
        plain.dispose()
    return t_enc, t_plain


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, nargs="+", default=[70, 1300])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for n in args.children:
        t_enc, t_plain = bench(n, args.repeat)
        print(
            f"caseload query, {n:5d} children: SQLCipher {t_enc * 1000:7.1f} ms, "
            f"plain SQLite {t_plain * 1000:7.1f} ms, ratio {t_enc / t_plain:.2f}x"
        )
        figure(f"caseload query, {n} children, encrypted", t_enc * 1000, "ms",
               floor=t_plain * 1000, floor_name="the same query on plain SQLite")  # fmt: skip
    samples = []
    key = new_data_key()
    for _ in range(5):
        t = time.perf_counter()
        w = Wrapping.make(key, "correct horse battery staple", b"aad")
        samples.append(time.perf_counter() - t)
    t = time.perf_counter()
    w.open("correct horse battery staple", b"aad")
    unlock = time.perf_counter() - t
    print(
        f"unlock (scrypt n={DEFAULT_SCRYPT['n']}, r={DEFAULT_SCRYPT['r']}): {unlock * 1000:.0f} ms; "
        f"wrap median {statistics.median(samples) * 1000:.0f} ms"
    )
    figure("key derivation at unlock (scrypt)", unlock * 1000, "ms")


if __name__ == "__main__":
    main()
