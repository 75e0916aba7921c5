"""Opening the encrypted caseload: SQLCipher with a raw key, PRAGMAs, checks, migrations.

The data key reaches SQLCipher through sqlite3_key() on the DB-API connection (a connect
function), never as text in SQL: a quote in a secret cannot break anything and no secret
appears in a statement log.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, pool, text
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from iro_desktop.store.errors import (
    CaseloadDamaged,
    CaseloadInUse,
    CaseloadTooNew,
    DiskFull,
    StoreError,
)
from iro_desktop.store.keys import sqlcipher_raw_key

__all__ = ["CaseloadDamaged", "CaseloadInUse", "CaseloadTooNew", "DiskFull", "StoreError"]


class RawKeyDialect(SQLiteDialect_pysqlcipher):
    """The stock pysqlcipher dialect, minus its `pragma key="..."` built from the URL.

    Our connect function has already keyed the connection with the raw data key.
    """

    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.pysqlcipher_rawkey", __name__, "RawKeyDialect")

# 16 MiB page cache (negative = KiB): the caseload's working set stays decrypted in memory,
# which is what brings SQLCipher queries close to plain SQLite.
CACHE_KIB = 16384


def _connect_pragmas(dbapi_conn: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA cipher_log_level = NONE")
        # Fails here, with a clear error, if the key does not open the file.
        cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        # Temporary tables and sort spills stay in memory: no plaintext temp files.
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cur.execute("PRAGMA busy_timeout = 5000")
    finally:
        cur.close()


class RawKey:
    """The key SQLCipher reads, held in one place so that lock can wipe it.

    The engine's connect function reads it from here at every new connection; once forgotten,
    no connection can be made again, whoever still holds the engine.
    """

    def __init__(self, data_key: bytes) -> None:
        self._blob: bytearray | None = bytearray(sqlcipher_raw_key(data_key))

    def blob(self) -> bytes:
        if self._blob is None:
            raise StoreError("The caseload is locked. Unlock it to carry on.")
        return bytes(self._blob)

    def forget(self) -> None:
        if self._blob is not None:
            # Overwrite this copy; Python cannot scrub the immutable bytes made from it.
            self._blob[:] = bytes(len(self._blob))
            self._blob = None


def make_engine(path: Path, data_key: bytes | RawKey) -> Engine:
    raw_key = data_key if isinstance(data_key, RawKey) else RawKey(data_key)

    def connect() -> Any:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
        try:
            conn.set_key(raw_key.blob())
        except StoreError:
            conn.close()
            raise
        try:
            _connect_pragmas(conn)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise CaseloadDamaged(
                "The caseload file could not be read: it may be damaged or truncated "
                f"({exc}). It has not been changed. Restore it from a backup."
            ) from None
        return conn

    engine = create_engine(
        "sqlite+pysqlcipher_rawkey://",
        creator=connect,
        poolclass=pool.QueuePool,
        pool_size=2,
        max_overflow=2,
    )

    # pysqlite's own transaction handling is off (isolation_level=None); SQLAlchemy emits
    # BEGIN itself. IMMEDIATE takes the write lock up front, so a unit of work that reads
    # then writes waits (busy_timeout) for the sync thread instead of failing half-way with
    # "database is locked" after another connection wrote. One person, one laptop: the cost
    # of serialising units of work is nothing next to a lost edit.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def integrity_check(engine: Engine) -> None:
    """HMAC check of every page plus SQLite's own structure check."""
    with engine.connect() as conn:
        problems = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        if problems:
            raise CaseloadDamaged(
                "The caseload file failed its integrity check "
                f"({len(problems)} damaged pages). It has not been changed. Restore a backup."
            )
        quick = conn.exec_driver_sql("PRAGMA quick_check").fetchone()
        if not quick or quick[0] != "ok":
            raise CaseloadDamaged(f"The caseload file is damaged ({quick}). Restore a backup.")


@dataclass
class InstanceLock:
    """Stops a second copy of the program opening the same caseload."""

    path: Path
    _fh: Any = None

    def acquire(self) -> None:
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise CaseloadInUse(
                "This caseload is already open in another IRO Desktop window or command. "
                "Close that first; nothing has been changed."
            ) from None
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None


class Store:
    """An open caseload: the engine and a session factory. Close it to drop the key."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        lock: InstanceLock | None,
        data_key: bytes | None = None,
        raw_key: RawKey | None = None,
    ) -> None:
        self.path = path
        self._engine: Engine | None = engine
        self._lock = lock
        self.data_key: bytes | None = data_key
        self._raw_key = raw_key
        self._sessions: sessionmaker[Session] | None = sessionmaker(engine, expire_on_commit=False)
        self._closed = False

    @property
    def is_open(self) -> bool:
        return not self._closed

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreError("The caseload is locked. Unlock it to carry on.")
        return self._engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        if self._sessions is None:
            raise StoreError("The caseload is locked. Unlock it to carry on.")
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise translate_operational_error(exc) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Lock: close every connection and drop every reference to the key.

        The engine is disposed and forgotten, and the key its connect function reads is wiped,
        so nothing that still holds the old engine can open a connection again.
        """
        if self._closed:
            return
        self._closed = True
        engine, self._engine, self._sessions = self._engine, None, None
        if engine is not None:
            with contextlib.suppress(Exception), engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
        if self._raw_key is not None:
            self._raw_key.forget()
            self._raw_key = None
        if self._lock:
            self._lock.release()
        # Python cannot scrub immutable bytes; dropping every reference is what it allows.
        self.data_key = None


def translate_operational_error(exc: OperationalError) -> Exception:
    message = str(exc.orig) if exc.orig else str(exc)
    if "disk is full" in message or "database or disk is full" in message:
        return DiskFull(
            "The disk is full, so the last change was not saved. The caseload is as it was "
            "before that change. Free some space and try again."
        )
    if "locked" in message:
        return CaseloadInUse("The caseload is busy in another window. Try again in a moment.")
    return StoreError(f"The caseload could not be written ({message}). Nothing was changed.")


def open_store(
    path: Path, data_key: bytes, *, lock_path: Path | None = None, check: bool = True
) -> Store:
    """Open (creating if new) and migrate the caseload at path."""
    lock = InstanceLock(lock_path) if lock_path else None
    if lock:
        lock.acquire()
    raw_key = RawKey(data_key)
    try:
        engine = make_engine(path, raw_key)
        try:
            if check and path.exists() and path.stat().st_size > 0:
                integrity_check(engine)
            from iro_desktop.store.migrate import upgrade_to_head

            upgrade_to_head(engine)
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            raise CaseloadDamaged(
                f"The caseload file could not be opened ({exc.orig or exc}). "
                "It has not been changed. Restore it from a backup."
            ) from None
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        raw_key.forget()
        if lock:
            lock.release()
        raise
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return Store(path, engine, lock, data_key, raw_key)


def plain_sqlite_engine(path: Path) -> Engine:
    """An unencrypted engine over the same schema, for the storage benchmark's floor."""
    return create_engine(f"sqlite:///{path}")


def execute_text(store: Store, sql: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(text(sql)).fetchall())
