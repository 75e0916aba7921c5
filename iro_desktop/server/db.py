"""Opening the server database and its two kinds of transaction.

Writes on SQLite begin with BEGIN IMMEDIATE: taking the write lock first means a transaction
never has to upgrade a read lock, which SQLite refuses under contention instead of waiting.
On PostgreSQL the lock on the counter row orders concurrent pushes. SQLite runs with
synchronous=FULL so that what was acknowledged survives a power cut, not just a killed process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from iro_desktop.server.tables import Base, Counter

_WRITE = "iro_write"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 30}
            )
            _sqlite_setup(self.engine)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._writer = self.engine.execution_options(**{_WRITE: True})

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)
        with self.write() as session:
            if session.get(Counter, 1) is None:
                session.add(Counter(id=1, value=0))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with Session(self._writer) as session, session.begin():
            yield session

    def last_seq(self, session: Session) -> int:
        return session.execute(select(Counter.value).where(Counter.id == 1)).scalar_one()

    def backup_to(self, destination: Path) -> None:
        """A consistent copy of a SQLite database while the server keeps running."""
        if not self.is_sqlite:
            raise ValueError(
                "The backup command copies SQLite databases; back up PostgreSQL with pg_dump."
            )
        if destination.exists():
            raise ValueError(f"{destination} already exists; choose a new file name.")
        raw = self.engine.raw_connection()
        try:
            target = sqlite3.connect(destination)
            try:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
