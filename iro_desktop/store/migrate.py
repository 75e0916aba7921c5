"""Apply Alembic migrations to an open (keyed) caseload; refuse a caseload from the future."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from iro_desktop.store.errors import CaseloadTooNew

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported inside the functions that need it: opening an up-to-date caseload
# (nearly every start) never does.

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r"^revision(?:: str)? = ['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = ['\"]([^'\"]+)['\"]", re.M)


def _head_from_files() -> str | None:
    """The head revision read from the version files' text, without importing Alembic
    (about 0.1 s of start-up). None when the chain is not a simple line."""
    revisions, downs = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text("utf-8")
        rev = _REVISION.search(text)
        if rev:
            revisions.add(rev.group(1))
        down = _DOWN.search(text)
        if down:
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        except Exception:
            return None
    return str(row[0]) if row else None


def upgrade_to_head(engine: Engine) -> None:

    head = _head_from_files()
    if head is not None and _stored_revision(engine) == head:
        return  # the usual case: nothing to migrate, and Alembic need not even load
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    if current is not None and not _known(script, current):
        raise CaseloadTooNew(
            f"This caseload was written by a newer version of IRO Desktop (schema {current}). "
            "Update the program to open it; the file has not been changed."
        )
    if current == script.get_current_head():
        return
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _known(script: Any, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False
