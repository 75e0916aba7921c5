"""Opening the server database and its two kinds of transaction.

Writes on SQLite begin with BEGIN IMMEDIATE: taking the write lock first means a transaction
never has to upgrade a read lock, which SQLite refuses under contention instead of waiting.
On PostgreSQL the lock on the counter row orders concurrent pushes. SQLite runs with
synchronous=FULL so that what was acknowledged survives a power cut, not just a killed process.

The schema is made and changed only by the Alembic revisions in `migrations/`. An empty
database is given the current schema when first used; one from an older version is upgraded
only by `iro-sync-server migrate` (after a backup), never as a side effect of starting.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from iro_desktop.server.tables import Counter

if TYPE_CHECKING:
    from alembic.config import Config

_WRITE = "iro_write"
MIGRATIONS = Path(__file__).with_name("migrations")
# The first revision is the schema that create_all made before there were migrations.
BASELINE = "0001"
BASELINE_TABLES = frozenset(
    {"users", "tokens", "sync_counter", "items", "escalations", "signoff_submissions", "audit_log"}
)
# Any fixed number: PostgreSQL's lock key that keeps two migrating processes apart.
_MIGRATION_LOCK = 0x1_50_5E_7C


class SchemaNotReady(ValueError):
    """The database needs `iro-sync-server migrate`, or was written by a newer version."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def revisions() -> tuple[str, ...]:
    """Every revision of the server's schema, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return tuple(revision.revision for revision in reversed(list(script.walk_revisions())))


def head_revision() -> str:
    return revisions()[-1]


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against this version's migrations."""

    current: str | None  # the revision recorded in the database, if any
    head: str  # the revision this version of the server needs
    has_tables: bool  # any of the server's tables exist
    known: bool  # `current` is one of this version's revisions

    @property
    def empty(self) -> bool:
        return self.current is None and not self.has_tables

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def problem(self) -> str | None:
        """What is wrong, in one line for an administrator; None when ready to serve."""
        if self.up_to_date:
            return None
        if self.empty:
            return "The database has no tables yet: run `iro-sync-server migrate` to create them."
        if self.current is not None and not self.known:
            return (
                f"The database was written by a newer version of iro-sync-server (schema "
                f"{self.current}; this version knows up to {self.head}). Install that "
                "version again, or restore a backup made before the upgrade."
            )
        at = (
            "was made before migrations (by an older iro-sync-server)"
            if self.current is None
            else f"is at schema {self.current}"
        )
        return (
            f"The database {at} and this version needs schema {self.head}. Back the "
            "database up, then run `iro-sync-server migrate`."
        )


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


def private_sqlite_file(database: str | None) -> None:
    """Owner-only (0600) rights on a SQLite database and its -wal, -shm and -journal files
    where they exist: they hold what IROs escalated. SQLite makes the -wal and -shm files with
    the database file's rights, so once that is private, so are they."""
    if not database or database == ":memory:" or database.startswith("file:") or os.name != "posix":
        return
    path = Path(database)
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        with suppress(FileNotFoundError, NotADirectoryError):
            os.chmod(path.with_name(name), 0o600)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 30}
            )
            database = self.engine.url.database
            # Registered first, so the database is 0600 before the WAL files are made from it.
            event.listen(self.engine, "connect", lambda *_: private_sqlite_file(database))
            _sqlite_setup(self.engine)
            private_sqlite_file(database)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._writer = self.engine.execution_options(**{_WRITE: True})

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def schema_state(self) -> SchemaState:
        """Read only: changes nothing, so `check` can use it on a live database."""
        with self.engine.connect() as connection:
            return self._state(connection, head_revision())

    def _state(self, connection: Connection, head: str) -> SchemaState:
        from alembic.runtime.migration import MigrationContext

        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
        return SchemaState(
            current=current,
            head=head,
            has_tables=bool(tables & BASELINE_TABLES),
            known=current is None or current in revisions(),
        )

    def create_schema(self) -> None:
        """Make the database ready to serve: an empty one gets the current schema (a first
        install has nothing to lose); an older or newer one is refused with what to do."""
        state = self.schema_state()
        if state.empty:
            self.migrate()
            state = self.schema_state()
        problem = state.problem()
        if problem:
            raise SchemaNotReady(problem)

    def migrate(self, target: str = "head") -> tuple[SchemaState, str]:
        """Upgrade to `target` in one transaction (a failure changes nothing). Returns the
        state before and the revision after. A database made before migrations, which
        holds exactly the first revision's tables, is recorded as that revision first."""
        from alembic import command

        config = alembic_config()
        with self._writer.begin() as connection:
            if not self.is_sqlite:  # SQLite's BEGIN IMMEDIATE already keeps writers apart
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                )
            before = self._state(connection, head_revision())
            problem = before.problem()
            if before.current is not None and not before.known:
                raise SchemaNotReady(problem)
            config.attributes["connection"] = connection
            if before.current is None and before.has_tables:
                missing = BASELINE_TABLES - set(inspect(connection).get_table_names())
                if missing:
                    raise SchemaNotReady(
                        "The database has some of the sync server's tables but not "
                        f"{', '.join(sorted(missing))}: is this the right database? Nothing "
                        "was changed."
                    )
                command.stamp(config, BASELINE)
            command.upgrade(config, target)
            from alembic.runtime.migration import MigrationContext

            after = MigrationContext.configure(connection).get_current_revision()
        assert after is not None
        return before, after

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
        with suppress(OSError):  # made owner-only first; sqlite3 reports a bad path itself
            os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
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
