"""Every committed caseload from an earlier schema opens, migrates and keeps its children."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from iro_desktop.store.engine import open_store
from iro_desktop.store.migrate import current_revision, head_revision
from tests.store.make_migration_fixture import FIXTURE_KEY, FIXTURES

FIXTURE_FILES = sorted(FIXTURES.glob("*.db"))


def test_there_is_a_fixture_for_the_first_schema():
    assert any(f.stem == "0001" for f in FIXTURE_FILES)


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[f.stem for f in FIXTURE_FILES])
def test_an_old_caseload_opens_and_is_migrated_to_the_current_schema(fixture: Path, tmp_path):
    copy = tmp_path / "caseload.db"
    shutil.copy(fixture, copy)
    store = open_store(copy, FIXTURE_KEY)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            children = conn.execute(text("SELECT count(*) FROM children")).scalar()
            reviews = conn.execute(text("SELECT count(*) FROM reviews")).scalar()
            names = conn.execute(text("SELECT legal_last_name FROM children")).scalars().all()
        assert children == 12
        assert reviews and reviews > 12
        assert all(n for n in names)
    finally:
        store.close()
