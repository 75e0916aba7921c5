"""The review's lifecycle: which moves are possible, and why the others are not.

planned -> preparing -> held (first meeting recorded) -> completed (last meeting ended) ->
recommendations issued -> letter drafted -> submitted for sign-off -> approved -> issued.
A manager may return a submitted letter (back to letter drafted, with a reason). Before its
first meeting a review may be stood down (with a reason) and later rearranged back to planned
with a new date; rearranging never moves the statutory due date, so timeliness is still judged
against the date the review was originally due.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.review_events import (
    EventKind,
    ReviewChange,
    TransitionRefused,
    event,
    last_changed_on,
    moved,
    refuse_if_signed_off,
    require_reason,
)
from iro_desktop.domain.review_record import (
    PROGRESS,
    Rearrangement,
    Review,
    ReviewKind,
    ReviewStatus,
    StandDown,
    say_date,
)
from iro_desktop.domain.review_series import completion_date, first_meeting_date

S = ReviewStatus

_ALLOWED: dict[ReviewStatus, tuple[ReviewStatus, ...]] = {
    S.PLANNED: (S.PREPARING, S.HELD, S.STOOD_DOWN),
    S.PREPARING: (S.HELD, S.STOOD_DOWN),
    S.HELD: (S.COMPLETED,),
    S.COMPLETED: (S.RECOMMENDATIONS_ISSUED,),
    S.RECOMMENDATIONS_ISSUED: (S.LETTER_DRAFTED,),
    S.LETTER_DRAFTED: (S.SUBMITTED,),
    S.SUBMITTED: (S.APPROVED, S.LETTER_DRAFTED),
    S.APPROVED: (S.ISSUED,),
    S.ISSUED: (),
    S.STOOD_DOWN: (S.PLANNED,),
}


def allowed_transitions(status: ReviewStatus) -> tuple[ReviewStatus, ...]:
    """The statuses a review in `status` may move to next (returned letters included)."""
    return _ALLOWED[status]


def why_not(status: ReviewStatus, to: ReviewStatus) -> str | None:
    """Why a review in `status` can never move to `to`; None when the move is allowed.

    Moves that are allowed may still be refused by `transition` for what the record holds
    (no meeting yet, no reason given).
    """
    if to in _ALLOWED[status]:
        return None
    if status is to:
        return f"The review is already '{status.label}'."
    if status is S.ISSUED:
        return (
            "The letter has been issued, so the review is closed. A correction is made as a "
            "new version of the letter."
        )
    if status is S.STOOD_DOWN:
        return "A stood-down review can only be rearranged: back to 'Planned' with a new date."
    if to is S.STOOD_DOWN:
        return "A review cannot be stood down once its first meeting has been held."
    if to is S.PLANNED:
        return (
            "Only a stood-down review goes back to 'Planned'. To move this review's date, "
            "rearrange it."
        )
    if to is S.COMPLETED and status in (S.PLANNED, S.PREPARING):
        return "A review cannot be completed before its first meeting is held."
    if to is S.ISSUED and status is S.SUBMITTED:
        return "The letter must be approved at sign-off before it is issued."
    if PROGRESS.index(to) < PROGRESS.index(status):
        return f"A review at '{status.label}' cannot go back to '{to.label}'."
    needed = PROGRESS[PROGRESS.index(to) - 1]
    return (
        f"A review at '{status.label}' cannot go straight to '{to.label}': "
        f"it must be '{needed.label}' first."
    )


def transition(
    review: Review,
    to: ReviewStatus,
    *,
    on: date,
    reason: str | None = None,
    planned_on: date | None = None,
) -> ReviewChange:
    """Move the review to `to` on the date `on`, or raise TransitionRefused saying why.

    `planned_on` is the new date when a stood-down review is rearranged back to planned.
    """
    refusal = why_not(review.status, to)
    if refusal:
        raise TransitionRefused(refusal)
    _check_date(review, on)
    if to is S.PLANNED:
        if planned_on is None:
            raise TransitionRefused("Give the new date for the rearranged review.")
        return rearrange(review, planned_on, on=on, reason=reason)
    if to is S.STOOD_DOWN:
        return stand_down(review, on=on, reason=reason)
    if to is S.HELD:
        return _hold(review, on, reason)
    if to is S.COMPLETED:
        return _complete(review, on, reason)
    if to is S.RECOMMENDATIONS_ISSUED:
        _check_recommendations_can_go(review, on)
    if to is S.LETTER_DRAFTED and review.status is S.SUBMITTED:
        text = require_reason(
            reason,
            "Give a reason for returning the letter, so the IRO knows what to change.",
            TransitionRefused,
        )
        updated = moved(review, to, on, text)
        return event(
            EventKind.RETURNED,
            review,
            updated,
            on=on,
            changed=("status", "history"),
            summary="The letter was returned from sign-off for changes.",
            reason=text,
        )
    text = (reason or "").strip()
    updated = moved(review, to, on, text)
    return event(
        EventKind.STATUS_CHANGED,
        review,
        updated,
        on=on,
        changed=("status", "history"),
        summary=f"The review moved from '{review.status.label}' to '{to.label}'.",
        reason=text,
    )


def _check_date(review: Review, on: date) -> None:
    check_in_range(on)
    last = last_changed_on(review)
    if last is not None and on < last:
        raise TransitionRefused(
            f"The date {say_date(on)} is before the review's last change of status "
            f"on {say_date(last)}."
        )


def _hold(review: Review, on: date, reason: str | None) -> ReviewChange:
    first = first_meeting_date(review)
    if first is None:
        raise TransitionRefused(
            "Record the first meeting (its date and who came) before marking the review held."
        )
    if on < first:
        raise TransitionRefused(
            f"The review cannot be marked held on {say_date(on)}, before its first meeting "
            f"on {say_date(first)}."
        )
    updated = moved(review, S.HELD, on, (reason or "").strip())
    return event(
        EventKind.STATUS_CHANGED,
        review,
        updated,
        on=on,
        changed=("status", "history"),
        summary=f"The review was held on {say_date(first)}.",
    )


def _complete(review: Review, on: date, reason: str | None) -> ReviewChange:
    held = [i for i, m in enumerate(review.meetings) if m.held]
    if not held:
        raise TransitionRefused("A review cannot be completed before its first meeting is held.")
    arranged = [m for m in review.meetings if not m.held]
    if arranged:
        raise TransitionRefused(
            f"The meeting arranged for {say_date(arranged[0].on)} has not been recorded as "
            "held. Record it as held, or remove it, before completing the review."
        )
    last_index = held[-1]
    last = review.meetings[last_index]
    if on < last.on:
        raise TransitionRefused(
            f"The review cannot be completed on {say_date(on)}, before its last meeting "
            f"on {say_date(last.on)}."
        )
    meetings = tuple(replace(m, final=(i == last_index)) for i, m in enumerate(review.meetings))
    updated = moved(replace(review, meetings=meetings), S.COMPLETED, on, (reason or "").strip())
    series = len(review.meetings) > 1
    what = f"series of {len(review.meetings)} meetings" if series else "review"
    return event(
        EventKind.STATUS_CHANGED,
        review,
        updated,
        on=on,
        changed=("status", "history", f"meetings[{last_index}]"),
        summary=f"The {what} was completed; its last meeting was on {say_date(last.on)}.",
    )


def _check_recommendations_can_go(review: Review, on: date) -> None:
    if not review.recommendations:
        raise TransitionRefused(
            "Add the review's recommendations before recording that they were issued."
        )
    done = completion_date(review)
    if done is not None and on < done:
        raise TransitionRefused(
            f"Recommendations cannot be issued on {say_date(on)}, before the review was "
            f"completed on {say_date(done)}."
        )


def stand_down(review: Review, *, on: date, reason: str | None) -> ReviewChange:
    """Stand the review down before its first meeting; the due date still counts."""
    refusal = why_not(review.status, S.STOOD_DOWN)
    if refusal:
        raise TransitionRefused(refusal)
    _check_date(review, on)
    text = require_reason(reason, "Give a reason for standing the review down.", TransitionRefused)
    updated = moved(
        replace(review, stand_downs=(*review.stand_downs, StandDown(on=on, reason=text))),
        S.STOOD_DOWN,
        on,
        text,
    )
    return event(
        EventKind.STOOD_DOWN,
        review,
        updated,
        on=on,
        changed=("status", "history", "stand_downs"),
        summary=(
            f"The review planned for {say_date(review.planned_on)} was stood down. "
            f"It is still due by {say_date(review.due_on)}."
        ),
        reason=text,
    )


_REARRANGEABLE = (S.PLANNED, S.PREPARING, S.STOOD_DOWN)


def rearrange(review: Review, new_date: date, *, on: date, reason: str | None) -> ReviewChange:
    """Move the planned date (a stood-down review goes back to planned). Counted for KPIs."""
    if review.status not in _REARRANGEABLE:
        raise TransitionRefused(
            f"A review at '{review.status.label}' cannot be rearranged: its first meeting "
            "has been held."
        )
    _check_date(review, on)
    check_in_range(new_date, "new review date")
    text = require_reason(reason, "Give a reason for rearranging the review.", TransitionRefused)
    stood_down = review.status is S.STOOD_DOWN
    if new_date == review.planned_on and not stood_down:
        raise TransitionRefused(f"The review is already planned for {say_date(new_date)}.")
    change = Rearrangement(
        on=on,
        from_date=review.planned_on,
        to_date=new_date,
        reason=text,
        after_stand_down=stood_down,
    )
    updated = replace(review, planned_on=new_date, rearrangements=(*review.rearrangements, change))
    changed: tuple[str, ...] = ("planned_on", "rearrangements")
    if stood_down:
        updated = moved(updated, S.PLANNED, on, text)
        changed = (*changed, "status", "history")
    summary = (
        f"The review was rearranged from {say_date(review.planned_on)} to {say_date(new_date)}."
    )
    if new_date > review.due_on:
        summary += (
            f" That is after its due date ({say_date(review.due_on)}), so it will be out of "
            "timescale."
        )
    return event(
        EventKind.REARRANGED, review, updated, on=on, changed=changed, summary=summary, reason=text
    )


def mark_extra(review: Review, *, on: date, reason: str | None) -> ReviewChange:
    """Flag the review as an extra review (brought forward outside the usual cycle)."""
    refuse_if_signed_off(review, "mark it as an extra review")
    text = require_reason(
        reason,
        "Give the reason for the extra review (for example a change of plan or placement).",
    )
    updated = replace(review, extra=True, extra_reason=text)
    return event(
        EventKind.MARKED_EXTRA,
        review,
        updated,
        on=on,
        changed=("extra", "extra_reason"),
        summary="The review was marked as an extra review.",
        reason=text,
    )


def plan_review(
    *,
    id: str,
    child_id: str,
    due_on: date,
    planned_on: date,
    kind: ReviewKind = ReviewKind.LOOKED_AFTER,
    sequence: int | None = None,
    chaired_by: str = "",
    extra_reason: str | None = None,
) -> Review:
    """A new planned review. Passing `extra_reason` makes it an extra review."""
    check_in_range(due_on, "due date")
    check_in_range(planned_on, "planned date")
    extra = extra_reason is not None
    reason = (extra_reason or "").strip()
    if extra and not reason:
        raise ValueError(
            "Give the reason for the extra review (for example a change of plan or placement)."
        )
    return Review(
        id=id,
        child_id=child_id,
        due_on=due_on,
        planned_on=planned_on,
        kind=kind,
        sequence=sequence,
        chaired_by=chaired_by,
        extra=extra,
        extra_reason=reason,
    )


# Fields changed through their own functions, so the rules and the audit trail stay whole.
_OWN_FUNCTION = {
    "id": "a new review",
    "child_id": "a new review",
    "kind": "a new review",
    "status": "transition()",
    "history": "transition()",
    "planned_on": "rearrange()",
    "rearrangements": "rearrange()",
    "stand_downs": "stand_down()",
    "extra": "mark_extra()",
    "extra_reason": "mark_extra()",
    "meetings": "add_meeting() / update_meeting()",
    "recommendations": "the recommendation functions",
}


def edit_review(review: Review, *, on: date, **changes: Any) -> ReviewChange:
    """Edit what the record says (preparation, PN code, topics, plan view, ...)."""
    known = {f.name for f in fields(Review)}
    for name in changes:
        if name not in known:
            raise ValueError(f"A review has no field '{name}'.")
        if name in _OWN_FUNCTION:
            raise ValueError(f"'{name}' is changed with {_OWN_FUNCTION[name]}, not by editing.")
    refuse_if_signed_off(review, "edit the record")
    updated = replace(review, **changes)
    changed = tuple(name for name in changes if getattr(updated, name) != getattr(review, name))
    return event(
        EventKind.RECORD_EDITED,
        review,
        updated,
        on=on,
        changed=changed,
        summary="The review record was edited" + (f" ({', '.join(changed)})." if changed else "."),
    )
