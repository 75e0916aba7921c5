"""The server's schema comes from its Alembic revisions, and a database written by any earlier
version is upgraded by `iro-sync-server migrate`, keeps its data, and serves it.

Each committed fixture (migration_fixtures/<revision>.sqlite3, made by
make_migration_fixture.py) is upgraded on SQLite as it is, and on PostgreSQL after the
revisions up to its own have built its schema there and its rows are copied in.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from server_testkit import (
    Backend,
    ServerProcess,
    cli,
    free_port,
    new_escalation,
    pull_all,
    push,
    sign_in,
    url_of,
)
from sqlalchemy import MetaData, create_engine, insert, inspect, select, text

from iro_desktop.server.config import DATABASE_FILE
from iro_desktop.server.db import (
    BASELINE,
    BASELINE_TABLES,
    Database,
    SchemaNotReady,
    head_revision,
    revisions,
)
from iro_desktop.server.tables import Base

FIXTURES = Path(__file__).with_name("migration_fixtures")
BEFORE_MIGRATIONS = FIXTURES / "pre-migrations.sqlite3"
FIXTURE_FILES = sorted(FIXTURES.glob("*.sqlite3"))


def read_only(fixture: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"file:{fixture}?mode=ro", uri=True))


def fixture_revision(fixture: Path) -> str | None:
    with read_only(fixture) as raw:
        if not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchall():
            return None
        return str(raw.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def row_counts(fixture: Path) -> dict[str, int]:
    with read_only(fixture) as raw:
        return {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in BASELINE_TABLES}


def database_from(backend: Backend, fixture: Path) -> list[str]:
    """CLI options for a new database of `backend` holding the fixture's schema and rows."""
    db_args = backend.new_database()
    if backend.postgres_url is None:
        folder = Path(db_args[1])
        folder.mkdir(parents=True)
        shutil.copy(fixture, folder / DATABASE_FILE)
        return db_args
    revision = fixture_revision(fixture)
    target = Database(url_of(db_args))
    target.migrate(revision or BASELINE)
    source = create_engine(f"sqlite:///file:{fixture}?mode=ro&uri=true")
    rows = MetaData()
    rows.reflect(source)
    tables = MetaData()
    tables.reflect(target.engine)
    with source.connect() as reading, target.engine.begin() as writing:
        writing.execute(text("DELETE FROM sync_counter"))  # the revision's own first row
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            found = [dict(r) for r in reading.execute(select(rows.tables[table.name])).mappings()]
            if not found:
                continue
            writing.execute(insert(table), found)
            for column in table.primary_key.columns:
                # Copied ids must not be handed out again by the table's sequence.
                sequence = writing.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if sequence:
                    highest = max(row[column.name] for row in found)
                    writing.execute(text("SELECT setval(:s, :n)"), {"s": sequence, "n": highest})
        if revision is None:
            writing.execute(text("DROP TABLE alembic_version"))
    source.dispose()
    target.dispose()
    return db_args


def test_every_revision_has_a_committed_fixture() -> None:
    missing = [rev for rev in revisions() if not (FIXTURES / f"{rev}.sqlite3").is_file()]
    assert not missing, (
        f"No fixture database for server schema revision(s) {', '.join(missing)}: run "
        "`python tests/server/make_migration_fixture.py` and commit the file it writes."
    )
    assert BEFORE_MIGRATIONS.is_file()


def test_the_migrations_make_exactly_the_tables_the_server_uses(backend: Backend) -> None:
    """A change to tables.py without a revision fails here, on each backend."""
    db = Database(url_of(backend.new_database()))
    db.migrate()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert connection.execute(text("SELECT id, value FROM sync_counter")).all() == [(1, 0)]
    db.dispose()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[f.stem for f in FIXTURE_FILES])
def test_a_database_from_each_revision_is_upgraded_and_serves_what_it_held(
    backend: Backend, fixture: Path, tmp_path: Path
) -> None:
    db_args = database_from(backend, fixture)
    before = row_counts(fixture)
    migrated = cli(*db_args, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip().endswith(f"{head_revision()}.") or "already" in migrated.stdout

    db = Database(url_of(db_args))
    assert db.schema_state().current == head_revision()
    with db.read() as session:
        after = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in before}
        last_seq = db.last_seq(session)
    db.dispose()
    assert after == before
    assert last_seq == before["items"] > 0

    server = ServerProcess(db_args, tmp_path / "server.log").start()
    try:
        with server.client() as client:
            amber = sign_in(client, "amber.iro")
            pulled, cursor = pull_all(client, amber)
            assert cursor == last_seq
            # The manager's returned letter, written by the old version, reaches the IRO.
            assert [p["item"]["kind"] for p in pulled] == ["signoff_decision"]
            manager = sign_in(client, "mo.manager")
            listed = client.get("/v1/escalations", headers=manager).json()["escalations"]
            assert len(listed) == 2
            # New work continues the old numbering.
            (result,) = push(client, amber, new_escalation("amber.iro")[0])
            assert (result["status"], result["seq"]) == ("accepted", last_seq + 1)
    finally:
        server.stop()


def test_an_old_database_is_refused_until_migrated_and_left_as_it_was(backend: Backend) -> None:
    db_args = database_from(backend, BEFORE_MIGRATIONS)
    message = (
        "The database was made before migrations (by an older iro-sync-server) and this "
        f"version needs schema {head_revision()}. Back the database up, then run "
        "`iro-sync-server migrate`."
    )
    # Exit 3, which the systemd unit in docs/sync-server.md does not restart in a loop.
    refused = cli(*db_args, "serve", "--port", str(free_port()))
    assert (refused.returncode, refused.stderr.strip()) == (3, f"iro-sync-server: {message}")
    db = Database(url_of(db_args))
    with pytest.raises(SchemaNotReady) as every_other_command:
        db.create_schema()
    assert str(every_other_command.value) == message
    with db.engine.connect() as connection:
        assert "alembic_version" not in inspect(connection).get_table_names()
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM users")).scalar_one() == 5
    db.dispose()


def test_a_database_from_a_newer_version_is_refused_and_not_touched(backend: Backend) -> None:
    db_args = backend.new_database()
    db = Database(url_of(db_args))
    db.migrate()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    refused = cli(*db_args, "migrate")
    assert refused.returncode == 3
    assert "written by a newer version of iro-sync-server (schema 9999" in refused.stderr
    with pytest.raises(SchemaNotReady, match="Install that version again"):
        db.create_schema()
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert stored == "9999"
    db.dispose()


def test_a_database_with_only_some_of_the_tables_is_not_taken_for_an_old_one(
    backend: Backend,
) -> None:
    db_args = database_from(backend, BEFORE_MIGRATIONS)
    db = Database(url_of(db_args))
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_log"))
    refused = cli(*db_args, "migrate")
    assert refused.returncode == 3
    assert "has some of the sync server's tables but not audit_log" in refused.stderr
    with db.engine.connect() as connection:
        assert "alembic_version" not in inspect(connection).get_table_names()
    db.dispose()
