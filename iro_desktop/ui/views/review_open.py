"""Ways into the review window from other screens (the dashboard, the child's page).

`open_review(navigator, review_id)` shows a review; `plan_next_review(ctx, child_id)` books
the child's next review and opens it (or opens the one already booked);
`open_child_review(ctx, child_id)` opens the child's current review, or the child's page when
there is none.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from iro_desktop.domain.review import ChangeRefused
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Navigator, PageContext
from iro_desktop.ui.widgets import uk_date

# Statuses of a review still to be held or finished: the one the dashboard opens.
OPEN_STATUSES = ("held", "preparing", "planned", "stood_down")


def open_review(navigator: Navigator, review_id: str) -> None:
    """Show the review page for `review_id`."""
    navigator.show_page("review", review_id)


def plan_next_review(ctx: PageContext, child_id: str, parent: QWidget | None = None) -> None:
    """Book the child's next review and open it. If one is already booked or still open, that
    one is opened instead; anything else the rules refuse is said in a message."""
    from iro_desktop.services import reviews as svc

    session = ctx.session()

    def work() -> tuple[str | None, str]:
        try:
            update = svc.plan_next_review(session, child_id)
        except ChangeRefused as exc:
            lines = svc.list_reviews(session, child_id)
            current = _current_review(lines)
            return (current, "") if current else (None, str(exc))
        review = update.review
        return review.id, (
            f"Review {review.sequence or ''} booked for {uk_date(review.planned_on)}, "
            f"due by {uk_date(review.due_on)}."
        ).replace("Review  ", "Review ")

    def done(result: tuple[str | None, str]) -> None:
        review_id, words = result
        if review_id is None:
            dialogs.warning(parent, "Plan the next review", words)
            return
        open_review(ctx.navigator, review_id)
        if words:
            ctx.status(words)

    ctx.tasks.run(work, done, label="plan next review")


def open_child_review(
    ctx: PageContext, child_id: str, *, completed: bool = False, parent: QWidget | None = None
) -> None:
    """Open the child's current review (`completed`: the last completed one instead); the
    child's page when there is none."""
    from iro_desktop.services import reviews as svc

    session = ctx.session()

    def work() -> str | None:
        lines = svc.list_reviews(session, child_id)
        if completed:
            done = [line for line in lines if line.completed_on is not None]
            return (
                max(done, key=lambda line: line.completed_on or line.due_date).id if done else None
            )
        return _current_review(lines)

    def done(review_id: str | None) -> None:
        if review_id is None:
            ctx.navigator.open_child(child_id)
            ctx.status("No review is booked for this child: use 'Plan next review'.")
        else:
            open_review(ctx.navigator, review_id)

    ctx.tasks.run(work, done, label="find the review")


def _current_review(lines: list[Any]) -> str | None:
    for status in OPEN_STATUSES:
        found = [line for line in lines if line.status == status]
        if found:
            return str(found[-1].id)
    return None
