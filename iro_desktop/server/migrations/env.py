"""Alembic environment of the sync server: run on a connection the server opened.

`iro-sync-server migrate` (iro_desktop.server.db) passes its connection in; running the
`alembic` command by hand is not supported, so that the SQLite pragmas and write lock apply.
"""

from __future__ import annotations

from alembic import context

from iro_desktop.server.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise SystemExit("Run the sync server's migrations with `iro-sync-server migrate`.")

# render_as_batch: SQLite cannot ALTER most things, so Alembic copies tables instead.
# The caller's transaction holds every revision, so a failed upgrade changes nothing (DDL is
# transactional on both SQLite and PostgreSQL).
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
