"""Reviews in the encrypted store: the record, its summary columns, and rows from schema 0001."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from iro_desktop.clock import FixedClock
from iro_desktop.domain import review as rv
from iro_desktop.domain.review import (
    ChildContact,
    ContactMethod,
    Meeting,
    Preparation,
    Recommendation,
    ReviewStatus,
    SeparateReason,
    SeriesBasis,
)
from iro_desktop.paths import data_paths
from iro_desktop.services import reviews as reviews_service
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as rr
from iro_desktop.store import tables as t
from iro_desktop.store.engine import integrity_check, open_store
from iro_desktop.store.migrate import alembic_config
from tests.conftest import TODAY
from tests.services.review_helpers import add_child
from tests.store.make_migration_fixture import FIXTURE_KEY, FIXTURES

NOW = datetime(2026, 11, 23, 10, 0)
BASIS = SeriesBasis.FIRST_MEETING


def _issued_series(child_id: str) -> rv.Review:
    """A review held as two meetings, with recommendations issued and the letter out."""
    r = rv.plan_review(
        id="rev-1",
        child_id=child_id,
        due_on=date(2026, 10, 1),
        planned_on=date(2026, 9, 20),
        sequence=2,
    )
    r = rv.stand_down(r, on=date(2026, 9, 10), reason="Report not ready").review
    r = rv.rearrange(r, date(2026, 9, 24), on=date(2026, 9, 11), reason="New date").review
    r = rv.edit_review(
        r,
        on=date(2026, 9, 12),
        participation_code="PN1",
        preparation=Preparation(
            child_contacts=(
                ChildContact(on=date(2026, 9, 1), method=ContactMethod.VISIT),
                ChildContact(on=date(2026, 9, 18), method=ContactMethod.PHONE),
                ChildContact(method=ContactMethod.NONE, reason_if_none="declined"),
                ChildContact(on=date(2026, 12, 1), method=ContactMethod.VISIT),
            )
        ),
    ).review
    r = rv.add_meeting(r, Meeting(on=date(2026, 9, 24)), on=date(2026, 9, 24)).review
    second = Meeting(on=date(2026, 10, 5), separate_reason=SeparateReason.RESTRAINING_ORDER)
    r = rv.add_meeting(r, second, on=date(2026, 10, 5)).review
    for rec_id, due in (("R1", date(2026, 11, 1)), ("R2", date(2026, 12, 1))):
        rec = Recommendation(id=rec_id, action="Book the dentist", owner="Carer", due_on=due)
        r = rv.add_recommendation(r, rec, on=date(2026, 10, 5)).review
    r = rv.mark_done(r, "R1", on=date(2026, 10, 20)).review
    for step, on in (
        (ReviewStatus.COMPLETED, date(2026, 10, 5)),
        (ReviewStatus.RECOMMENDATIONS_ISSUED, date(2026, 10, 8)),
        (ReviewStatus.LETTER_DRAFTED, date(2026, 10, 12)),
        (ReviewStatus.SUBMITTED, date(2026, 10, 13)),
        (ReviewStatus.APPROVED, date(2026, 10, 15)),
        (ReviewStatus.ISSUED, date(2026, 10, 16)),
    ):
        r = rv.transition(r, step, on=on).review
    return r


def test_summary_columns_are_worked_out_from_the_record():
    cols = rr.summary_columns(_issued_series("c1"), BASIS)
    assert cols["status"] == "issued"
    assert cols["first_meeting_on"] == cols["timeliness_date"] == date(2026, 9, 24)
    assert cols["completed_date"] == date(2026, 10, 5)
    assert cols["meetings_count"] == 2
    assert cols["series_open"] is False
    assert cols["stood_down"] is True
    assert cols["rearranged_count"] == 1
    assert cols["recommendations_issued_on"] == date(2026, 10, 8)
    assert cols["letter_issued_on"] == date(2026, 10, 16)
    # The latest real contact on or before the review: not the refusal, not the later visit.
    assert cols["child_consulted_on"] == date(2026, 9, 18)
    assert (cols["open_recommendations"], cols["next_recommendation_due"]) == (1, date(2026, 12, 1))
    last = rr.summary_columns(_issued_series("c1"), SeriesBasis.LAST_MEETING)
    assert last["timeliness_date"] == date(2026, 10, 5)


def test_a_review_round_trips_through_the_encrypted_store(session):
    child = add_child(session)
    review = _issued_series(child.id)
    with session.unit_of_work() as s:
        assert rr.save_review(s, review, basis=BASIS, now=NOW, period_id=None) == 1
    with session.unit_of_work() as s:
        stored = rr.load_review(s, review.id)
    assert stored.source == "record"
    assert stored.review == review
    assert stored.row.series_open is False and stored.row.meetings_count == 2


def test_a_stale_save_is_refused(session):
    child = add_child(session)
    review = _issued_series(child.id)
    with session.unit_of_work() as s:
        rr.save_review(s, review, basis=BASIS, now=NOW)
    with session.unit_of_work() as s:
        rr.save_review(s, review, basis=BASIS, now=NOW, expected_version=1)
    with pytest.raises(rr.ReviewChanged), session.unit_of_work() as s:
        rr.save_review(s, review, basis=BASIS, now=NOW, expected_version=1)
    with pytest.raises(ValueError, match="another child"), session.unit_of_work() as s:
        rr.save_review(s, replace(review, child_id="someone-else"), basis=BASIS, now=NOW)


def _legacy_row(session, child_id: str, review_id: str, record, status="issued"):  # type: ignore[no-untyped-def]
    with session.unit_of_work() as s:
        repo.save_review_row(
            s,
            review_id=review_id,
            child_id=child_id,
            kind="looked_after",
            status=status,
            due_date=date(2026, 4, 1),
            now=NOW,
            record=record,
            sequence=1,
            timeliness_date=date(2026, 3, 30) if status == "issued" else None,
            pn_code="PN6" if status == "issued" else "",
        )


def test_rows_from_schema_0001_read_as_reviews_and_broken_ones_as_summaries(session):
    child = add_child(session)
    _legacy_row(session, child.id, "old-held", {"meetings": [{"date": "2026-03-30"}]})
    _legacy_row(session, child.id, "old-planned", {}, status="planned")
    _legacy_row(session, child.id, "bad-date", {"meetings": [{"date": "30/03/2026"}]})
    _legacy_row(session, child.id, "not-fields", ["meetings"])
    with session.unit_of_work() as s:
        stored = {r.row.id: r for r in rr.reviews_for_child(s, child.id)}
    held = stored["old-held"]
    assert held.source == "legacy"
    assert held.review is not None
    assert [m.on for m in held.review.meetings] == [date(2026, 3, 30)]
    assert held.review.status is ReviewStatus.ISSUED
    assert held.review.participation_code == "PN6"
    assert stored["old-planned"].review is not None
    assert stored["old-planned"].review.meetings == ()
    assert stored["bad-date"].source == "summary"
    assert "30/03/2026" in stored["bad-date"].problem
    assert stored["not-fields"].review is None
    # The services list them all and refuse only to open the unreadable ones, in words.
    lines = reviews_service.list_reviews(session, child.id)
    assert sorted(line.readable for line in lines) == [False, False, True, True]
    with pytest.raises(ValueError, match="could not be read: The stored meeting date"):
        reviews_service.get_review(session, "bad-date")
    # An issued old review is closed; a planned one is written back as a full record.
    issued = reviews_service.get_review(session, "old-held")
    assert issued.rebuilt_from_summary
    refused = reviews_service.save_draft(session, replace(issued.review, participation_code="PN5"))
    assert not refused.saved and "issued" in refused.refused.lower()
    planned = reviews_service.get_review(session, "old-planned")
    saved = reviews_service.save_draft(session, replace(planned.review, chaired_by="Ada Example"))
    assert saved.saved, saved.refused
    with session.unit_of_work() as s:
        assert rr.load_review(s, "old-planned").source == "record"


def test_the_0001_fixture_migrates_and_every_review_reads(tmp_path: Path):
    copy = tmp_path / "caseload.db"
    shutil.copy(FIXTURES / "0001.db", copy)
    store = open_store(copy, FIXTURE_KEY)
    try:
        integrity_check(store.engine)
        with store.engine.connect() as conn:
            mismatched = conn.execute(
                text(
                    "SELECT count(*) FROM reviews WHERE "
                    "coalesce(first_meeting_on, '') != coalesce(timeliness_date, '') "
                    "OR (status = 'issued' AND letter_issued_on IS NULL)"
                )
            ).scalar()
        assert mismatched == 0
        session = CaseloadSession(data_paths(tmp_path), store, "fixture", FixedClock(TODAY))
        with store.session() as s:
            child_ids = [c for (c,) in s.execute(text("SELECT id FROM children"))]
        sources = set()
        for child_id in child_ids:
            with store.session() as s:
                sources |= {r.source for r in rr.reviews_for_child(s, child_id)}
            assert reviews_service.list_reviews(session, child_id)
        assert sources == {"legacy"}
    finally:
        store.close()


def test_the_migrations_build_exactly_the_schema_the_program_maps(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, t.Base.metadata) == []
    engine.dispose()


def test_the_dashboard_rows_are_a_few_plain_columns_read_from_an_index(demo_session):
    with demo_session.unit_of_work() as s:
        rows = rr.due_rows(s)
        mine = rr.due_rows(s, iro="Nobody Here")
        plan = (
            s.connection()
            .exec_driver_sql("EXPLAIN QUERY PLAN " + str(rr.select(*rr.REVIEW_FACT_COLUMNS)))
            .fetchall()
        )
    assert "COVERING INDEX ix_reviews_due_facts" in str(plan)  # the records are not read
    assert len(rows.children) == 30
    reviews = [r for rs in rows.reviews.values() for r in rs]
    assert len(reviews) > 30
    assert all(isinstance(r, rr.ReviewFacts) for r in reviews)
    assert all(isinstance(r.due_date, date) for r in reviews)
    assert all(r.first_meeting_on is None or isinstance(r.first_meeting_on, date) for r in reviews)
    assert {type(v) for r in reviews for v in (r.series_open,)} == {bool}
    assert rows.open_series_dates  # the demo has a review still being held
    assert all(dates for dates in rows.open_series_dates.values())
    assert not mine.children and not mine.reviews
