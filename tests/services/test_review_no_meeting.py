"""An IRO records a review held without a meeting for a child settled in a long-term foster
placement, sees it counted in the annual figures, and is refused (in words) for anyone else.

Today is Monday 23 November 2026 (tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.review import ChangeRefused, ReviewStatus
from iro_desktop.services import children as svc
from iro_desktop.services import reports, reviews
from tests.services.child_kit import placed_child


def _child(session, la_id: str, placement: str, start: date):  # type: ignore[no-untyped-def]
    return placed_child(
        session,
        la_id,
        first="Kit",
        last="Settledwood",
        born=date(2014, 2, 14),
        sex="F",
        start=start,
        placement=placement,
    )


def _pn6(session, review_id: str) -> int:  # type: ignore[no-untyped-def]
    opened = reviews.get_review(session, review_id)
    saved = reviews.save_draft(
        session, replace(opened.review, participation_code="PN6"), expected_version=opened.version
    )
    return saved.version  # type: ignore[no-any-return]


def test_a_long_term_foster_child_has_a_review_without_a_meeting(session):
    child = _child(session, "N1", "U4", date(2024, 1, 8))
    svc.confirm_long_term(session, child.id, on=date(2024, 6, 3))
    planned = reviews.plan_next_review(session, child.id)
    version = _pn6(session, planned.review.id)
    update = reviews.complete_without_meeting(
        session, planned.review.id, on=date(2026, 11, 20), expected_version=version
    )
    assert update.review.status is ReviewStatus.COMPLETED
    assert update.review.without_meeting
    line = reviews.list_reviews(session, child.id)[0]
    assert line.timeliness_date == line.completed_on == date(2026, 11, 20)

    figures = reports.annual_report(session, 2026).figures
    assert figures.reviews_held == 1
    assert figures.held_without_meeting == 1
    assert dict(figures.participation)["PN6"].numerator == 1
    assert figures.social_worker_attended.denominator == 0


def test_refused_for_a_child_in_a_children_s_home(session):
    child = _child(session, "N2", "K2", date(2023, 1, 9))
    planned = reviews.plan_next_review(session, child.id)
    with pytest.raises(ChangeRefused, match="only for a child in a long-term foster placement"):
        reviews.complete_without_meeting(session, planned.review.id)
    assert reviews.get_review(session, planned.review.id).review.status is ReviewStatus.PLANNED


def test_refused_in_the_first_year_of_a_long_term_foster_placement(session):
    child = _child(session, "N3", "U4", date(2026, 2, 2))
    svc.confirm_long_term(session, child.id, on=date(2026, 5, 4))
    planned = reviews.plan_next_review(session, child.id)
    with pytest.raises(ChangeRefused, match="from 2 February 2027"):
        reviews.complete_without_meeting(session, planned.review.id)
