"""Every committed caseload from an earlier schema opens, migrates and keeps its children."""

from __future__ import annotations

import re
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


REVISION = r"^revision(?::\s*str)?\s*=\s*[\"']([^\"']+)[\"']"


def _revisions() -> list[str]:
    versions = Path(__file__).resolve().parents[2] / "iro_desktop/store/migrations/versions"
    found = []
    for script in sorted(versions.glob("*.py")):
        match = re.search(REVISION, script.read_text("utf-8"), re.M)
        assert match, f"{script.name} names no revision"
        found.append(match.group(1))
    return found


def test_every_revision_has_a_committed_fixture_database():
    revisions = _revisions()
    assert len(revisions) >= 5
    missing = [r for r in revisions if not (FIXTURES / f"{r}.db").is_file()]
    assert missing == [], (
        f"no fixture for revision(s) {missing}: run tests/store/make_migration_fixture.py"
    )


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


def test_schema_5_keeps_each_last_visit_as_a_visit_and_gives_ethnicity_dfe_codes(tmp_path):
    """A caseload written before the visit history: no visit date and no ethnicity is lost."""
    import sqlcipher3

    from iro_desktop.domain import codes
    from iro_desktop.store.keys import sqlcipher_raw_key

    copy = tmp_path / "caseload.db"
    shutil.copy(FIXTURES / "0004.db", copy)
    raw = sqlcipher3.connect(str(copy))
    raw.set_key(sqlcipher_raw_key(FIXTURE_KEY))
    old_visits = {
        (child, day)
        for child, day in raw.execute(
            "SELECT p.child_id, e.last_social_worker_visit FROM episodes e JOIN "
            "periods_of_care p ON p.id = e.period_id WHERE e.last_social_worker_visit IS NOT NULL"
        )
    }
    raw.close()
    store = open_store(copy, FIXTURE_KEY)
    try:
        with store.engine.connect() as conn:
            visits = set(
                conn.execute(text("SELECT child_id, visited_on FROM social_worker_visits")).all()
            )
            ethnic = conn.execute(text("SELECT ethnicity FROM children")).scalars().all()
        assert old_visits, "the fixture has last-visit dates to carry over"
        assert visits == old_visits
        assert ethnic and all(e in codes.ETHNICITIES for e in ethnic)
    finally:
        store.close()
