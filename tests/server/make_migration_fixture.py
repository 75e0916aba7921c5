"""Make tests/server/migration_fixtures/<revision>.sqlite3: a small sync-server database at
the current schema, filled through the real HTTP interface (in process).

Run once per new server schema revision and commit the file, so that every later version is
tested upgrading a database written by this one:

    python tests/server/make_migration_fixture.py
    python tests/server/make_migration_fixture.py --before-migrations   # made once, see below

`--before-migrations` writes pre-migrations.sqlite3: the same data without Alembic's version
table, which is what a server made by `create_all` (before revision 0001) holds. The schemas
are identical (test_server_migrations checks revision 0001 against the tables).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from server_testkit import NOW, PASSWORD, USERS, batch, new_escalation, submission

from iro_desktop.domain.escalation import new_id
from iro_desktop.server import auth
from iro_desktop.server.app import create_app
from iro_desktop.server.config import ServerConfig
from iro_desktop.server.db import Database
from iro_desktop.sync.protocol import Decision, SignoffDecision

FIXTURES = Path(__file__).with_name("migration_fixtures")
BEFORE_MIGRATIONS = "pre-migrations"


def fill(db: Database, url: str) -> None:
    """Users, sessions, escalations, a returned letter and audit rows, as laptops make them."""
    with db.write() as session:
        for name, role, team, manager in USERS:
            auth.add_user(
                session,
                name=name,
                role=role,
                password=PASSWORD,
                now=datetime.now(UTC),
                team=team,
                manager_name=manager,
            )
    app = create_app(ServerConfig(database_url=url), db)
    with TestClient(app) as client:

        def sign_in(name: str) -> dict[str, str]:
            response = client.post("/v1/auth/token", json={"username": name, "password": PASSWORD})
            response.raise_for_status()
            return {"Authorization": f"Bearer {response.json()['access_token']}"}

        def push(headers: dict[str, str], *items: object) -> None:
            response = client.post("/v1/push", json=batch(*items), headers=headers)  # type: ignore[arg-type]
            response.raise_for_status()
            assert all(r["status"] == "accepted" for r in response.json()["results"])

        amber, basil, mo = sign_in("amber.iro"), sign_in("basil.iro"), sign_in("mo.manager")
        push(amber, *new_escalation("amber.iro"))
        push(basil, *new_escalation("basil.iro"))
        letter = submission("amber.iro")
        push(amber, letter)
        returned = SignoffDecision(
            item_id=new_id(),
            submission_id=letter.item_id,
            decision=Decision.RETURNED,
            comment="Please explain 'care plan' in Zara's words.",
            decided_by="mo.manager",
            decided_at=NOW,
        )
        push(mo, returned)
        client.delete("/v1/auth/token", headers=basil).raise_for_status()
        assert client.get("/v1/me", headers=basil).status_code == 401
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-migrations", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "iro-sync.sqlite3"
        url = f"sqlite:///{path}"
        db = Database(url)
        _, revision = db.migrate()
        fill(db, url)
        # One self-contained file: the WAL folded in, and no WAL mode left behind.
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("PRAGMA journal_mode=DELETE")
        if args.before_migrations:
            raw.execute("DROP TABLE alembic_version")
            revision = BEFORE_MIGRATIONS
        raw.execute("VACUUM")
        raw.close()
        FIXTURES.mkdir(exist_ok=True)
        out = FIXTURES / f"{revision}.sqlite3"
        shutil.copy(path, out)
        check = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
        (items,) = check.execute("SELECT count(*) FROM items").fetchone()
        check.close()
        print(f"wrote {out} ({items} items)")


if __name__ == "__main__":
    main()
