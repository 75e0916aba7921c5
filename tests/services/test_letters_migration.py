"""A caseload written at schema 0003 (with an approved, issued letter) opens in this version
with the letter intact and still frozen."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from iro_desktop.domain.record import content_hash
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store.engine import open_store
from iro_desktop.store.migrate import current_revision, head_revision
from tests.store.make_migration_fixture import FIXTURE_KEY, FIXTURES


def test_an_issued_letter_from_schema_0003_survives_migration_unchanged_and_frozen(tmp_path):
    copy = tmp_path / "caseload.db"
    shutil.copy(FIXTURES / "0003.db", copy)
    store = open_store(copy, FIXTURE_KEY)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.session() as s:
            issued = letters_repo.versions_with_status(s, "issued")
            assert len(issued) == 1
            letter = issued[0].letter
            assert letter.approved_by_name == "Fixture Manager"
            assert content_hash(letter.letter_text) == letter.content_hash
            assert "Fixture IRO" in letter.letter_text
            sent = letters_repo.distributions_for_review(s, letter.review_id)
            assert [(d.recipient, d.method) for d in sent] == [("The child", "hand")]
        with (
            pytest.raises(IntegrityError, match="approved letter cannot be changed"),
            store.engine.begin() as conn,
        ):
            conn.execute(
                text("UPDATE letter_versions SET letter_text = 'x' WHERE id = :id"),
                {"id": letter.id},
            )
    finally:
        store.close()
