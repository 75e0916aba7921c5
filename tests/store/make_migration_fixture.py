"""Make tests/store/migration_fixtures/<revision>.db: a small caseload at the current schema.

Run once per new schema revision and commit the file, so that every later version is tested
opening a caseload written by this one:  python -m tests.store.make_migration_fixture
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import caseload, create_caseload
from iro_desktop.services.demo import load_demo
from iro_desktop.store.engine import open_store
from iro_desktop.store.migrate import current_revision

# A fixed, published test key: these fixtures hold only synthetic demo children.
FIXTURE_KEY = bytes.fromhex("5eed" * 16)
FIXTURES = Path(__file__).with_name("migration_fixtures")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = data_paths(Path(tmp) / "c")
        clock = FixedClock(datetime(2026, 11, 1, tzinfo=UTC))
        session, _ = create_caseload(paths, "fixture", "fixture passphrase", clock=clock)
        load_demo(session, 12, seed=2026, as_of=date(2026, 11, 1))
        children = len(caseload.children(session))
        session.lock()
        # Re-key to the published fixture key so the test can open it without the key file.
        from iro_desktop.store import vault

        key = vault.unlock(paths, "fixture", "fixture passphrase")
        import sqlcipher3

        from iro_desktop.store.keys import sqlcipher_raw_key

        conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
        conn.set_key(sqlcipher_raw_key(key))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.reset_key(sqlcipher_raw_key(FIXTURE_KEY))
        conn.close()
        store = open_store(paths.database, FIXTURE_KEY)
        revision = current_revision(store.engine)
        store.close()
        conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
        conn.set_key(sqlcipher_raw_key(FIXTURE_KEY))
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        FIXTURES.mkdir(exist_ok=True)
        out = FIXTURES / f"{revision}.db"
        shutil.copy(paths.database, out)
        print(f"wrote {out} ({children} children)")


if __name__ == "__main__":
    main()
