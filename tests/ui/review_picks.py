"""Reviews of the demo caseload picked by what they are, not by the demo child's name (the
demo's names may change; what a test needs is a review in a given state)."""

from __future__ import annotations

from collections.abc import Callable

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import Review, ReviewKind, ReviewStatus
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import reviews as svc
from iro_desktop.ui.main_window import MainWindow


def pick_review(window: MainWindow, wanted: Callable[[Review, int], bool]) -> str:
    """The latest review of the first child (in caseload order) for which `wanted(review, age)`."""
    session = window.session
    assert session is not None
    for row in caseload_service.caseload(session):
        lines = svc.list_reviews(session, row.id)
        if not lines:
            continue
        review = svc.get_review(session, lines[-1].id).review
        if wanted(review, row.age):
            return review.id
    raise AssertionError("The demo caseload has no such review.")


def planned_review(window: MainWindow, *, under_four: bool = False) -> str:
    """A looked-after review booked and not started: no meetings, nobody invited yet."""

    def wanted(review: Review, age: int) -> bool:
        return (
            review.status is ReviewStatus.PLANNED
            and review.kind is ReviewKind.LOOKED_AFTER
            and not review.meetings
            and not review.preparation.invitees
            and (age < 3 if under_four else age >= 5)
        )

    return pick_review(window, wanted)


def open_series(window: MainWindow) -> str:
    """A review held as a series, its first meeting held and a later one arranged."""

    def wanted(review: Review, _age: int) -> bool:
        return (
            review.status is ReviewStatus.HELD
            and any(m.held for m in review.meetings)
            and any(not m.held for m in review.meetings)
            and rv.final_meeting(review) is None
        )

    return pick_review(window, wanted)
