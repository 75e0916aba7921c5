"""Alembic environment: always run on a connection the store opened (it holds the key)."""

from __future__ import annotations

from alembic import context

from iro_desktop.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise SystemExit(
        "Run migrations through iro_desktop.store.migrate (the caseload is encrypted)."
    )

# render_as_batch: SQLite cannot ALTER most things, so Alembic copies tables instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
