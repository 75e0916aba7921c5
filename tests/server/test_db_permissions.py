"""The sync server's SQLite database holds what IROs escalated: owner-only on disk, with its
WAL and shared-memory files and its backups, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from iro_desktop.server.db import Database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_wal_and_its_backups_are_owner_only(tmp_path: Path) -> None:
    db_file = tmp_path / "sync.sqlite3"
    previous = os.umask(0o022)
    try:
        db = Database(f"sqlite:///{db_file}")
        try:
            db.create_schema()
            with db.read() as session:
                db.last_seq(session)
                # While open: the database and the files SQLite keeps beside it.
                for name in ("sync.sqlite3", "sync.sqlite3-wal", "sync.sqlite3-shm"):
                    assert _mode(tmp_path / name) == 0o600, name
            db.backup_to(tmp_path / "copy.sqlite3")
        finally:
            db.dispose()
        assert _mode(tmp_path / "copy.sqlite3") == 0o600
        # A database an earlier version left world-readable is tightened when opened.
        os.chmod(db_file, 0o644)
        Database(f"sqlite:///{db_file}").dispose()
        assert _mode(db_file) == 0o600
    finally:
        os.umask(previous)
