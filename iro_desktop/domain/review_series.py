"""A review held as a series of meetings, and the one record it reads as.

The rule (domain 4.3): the review is *held*, for timeliness, on the date of its first meeting
(unless the practice profile's basis is the last meeting); it is *complete* when its last
meeting ends, and the recommendation and minutes clocks run from completion. Each meeting keeps
its own attendance and notes; the review shows the merged attendance.

Meetings are kept in date order and the held ones come first: an arranged meeting later in a
series is recorded with `held=False` until it happens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.review_events import (
    ChangeRefused,
    EventKind,
    ReviewChange,
    event,
    last_changed_on,
    moved,
    refuse_if_signed_off,
)
from iro_desktop.domain.review_record import (
    Attendance,
    InviteeRole,
    Meeting,
    Review,
    ReviewStatus,
    SeparateReason,
    reached,
    say_date,
)
from iro_desktop.domain.timescales import SeriesBasis as SeriesBasis  # the one enum, re-exported


def held_meetings(review: Review) -> tuple[Meeting, ...]:
    return tuple(m for m in review.meetings if m.held)


def first_meeting_date(review: Review) -> date | None:
    held = held_meetings(review)
    return held[0].on if held else None


def final_meeting(review: Review) -> Meeting | None:
    for meeting in review.meetings:
        if meeting.final:
            return meeting
    return None


def completion_date(review: Review) -> date | None:
    """The date the review was complete: its final meeting. None while the series is open."""
    meeting = final_meeting(review)
    return meeting.on if meeting else None


def timeliness_date(review: Review, basis: SeriesBasis = SeriesBasis.FIRST_MEETING) -> date | None:
    """The date the review counts as held for timeliness, or None if it does not yet."""
    if basis is SeriesBasis.LAST_MEETING:
        return completion_date(review)
    return first_meeting_date(review)


def review_date(review: Review, basis: SeriesBasis = SeriesBasis.FIRST_MEETING) -> date:
    """The best date for "the time of the review": held date, else first meeting, else plan."""
    return timeliness_date(review, basis) or first_meeting_date(review) or review.planned_on


def in_timescale(review: Review, basis: SeriesBasis = SeriesBasis.FIRST_MEETING) -> bool | None:
    """Held on or before its original due date; None while it does not count as held."""
    held = timeliness_date(review, basis)
    return None if held is None else held <= review.due_on


def is_series(review: Review) -> bool:
    return len(review.meetings) > 1


def series_open(review: Review) -> bool:
    """A first meeting has been held but the review is not complete."""
    return first_meeting_date(review) is not None and final_meeting(review) is None


def series_open_days(review: Review, today: date) -> int | None:
    """How many days the review has been open since its first meeting; None if not open."""
    first = first_meeting_date(review)
    if first is None or final_meeting(review) is not None:
        return None
    return max(0, (today - first).days)


_RANK = {
    Attendance.ATTENDED: 3,
    Attendance.SENT_VIEWS: 2,
    Attendance.APOLOGIES: 1,
    Attendance.NOT_INVITED: 0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class MergedAttendance:
    """One person's part in the whole review: the best of their meetings."""

    key: str
    role: InviteeRole
    name: str
    attendance: Attendance | None
    attended_meetings: tuple[int, ...]


def merged_attendance(review: Review) -> tuple[MergedAttendance, ...]:
    """Everyone on the invitee list with their part in the review across held meetings."""
    result = []
    for person in review.preparation.invitees:
        best: Attendance | None = None
        attended: list[int] = []
        for index, meeting in enumerate(review.meetings):
            if not meeting.held:
                continue
            for entry in meeting.attendance:
                if entry.key != person.key:
                    continue
                if best is None or _RANK[entry.attendance] > _RANK[best]:
                    best = entry.attendance
                if entry.attendance is Attendance.ATTENDED:
                    attended.append(index)
        result.append(
            MergedAttendance(
                key=person.key,
                role=person.role,
                name=person.name,
                attendance=best,
                attended_meetings=tuple(attended),
            )
        )
    return tuple(result)


def attended(review: Review, role: InviteeRole) -> bool:
    """Someone in `role` attended at least one held meeting."""
    return any(
        m.role is role and m.attendance is Attendance.ATTENDED for m in merged_attendance(review)
    )


def invited(review: Review, role: InviteeRole) -> bool:
    return any(p.role is role and p.invited for p in review.preparation.invitees)


def combined_notes(review: Review) -> str:
    """The notes of every held meeting as one text, each under its date when a series."""
    held = held_meetings(review)
    if len(held) == 1:
        return held[0].notes
    parts = [f"Meeting on {say_date(m.on)}:\n{m.notes}" for m in held if m.notes.strip()]
    return "\n\n".join(parts)


# --- changing the meetings ---------------------------------------------------------------


def _refuse_if_closed(review: Review, what: str, *, structural: bool) -> None:
    if review.status is ReviewStatus.STOOD_DOWN:
        raise ChangeRefused(f"The review is stood down: rearrange it before you {what}.")
    refuse_if_signed_off(review, what)
    if structural and reached(review.status, ReviewStatus.COMPLETED):
        done = completion_date(review)
        when = f" on {say_date(done)}" if done else ""
        raise ChangeRefused(
            f"The review was completed{when}; you cannot {what} now. "
            "A further meeting after completion is a new (extra) review."
        )


def _check_separate_reason(meeting: Meeting, index: int) -> None:
    if index == 0:
        return
    if meeting.separate_reason is None:
        raise ChangeRefused(
            "Say why this is a separate meeting of the review (for example people who cannot "
            "be in one room, a restraining order, the young person's wish, or unavoidable delay)."
        )
    if meeting.separate_reason is SeparateReason.OTHER and not meeting.separate_reason_note.strip():
        raise ChangeRefused("Describe the reason for holding this as a separate meeting.")


def _check_order(meetings: tuple[Meeting, ...]) -> None:
    for before, after in zip(meetings, meetings[1:], strict=False):
        if after.on < before.on:
            raise ChangeRefused(
                f"Meetings of a series are in date order: {say_date(after.on)} is before the "
                f"meeting on {say_date(before.on)}."
            )
        if after.held and not before.held:
            raise ChangeRefused(
                f"The meeting on {say_date(before.on)} is not recorded as held yet; record it "
                f"as held (or remove it) before recording the meeting on {say_date(after.on)}."
            )


def _with_meetings(review: Review, meetings: tuple[Meeting, ...]) -> tuple[Review, tuple[str, ...]]:
    """Replace the meetings; the first held meeting moves a planned review to held."""
    updated = replace(review, meetings=meetings)
    if review.status in (ReviewStatus.PLANNED, ReviewStatus.PREPARING) and any(
        m.held for m in meetings
    ):
        first = next(m for m in meetings if m.held)
        last = last_changed_on(review)
        when = max(first.on, last) if last else first.on
        return moved(updated, ReviewStatus.HELD, when, "First meeting recorded"), (
            "meetings",
            "status",
            "history",
        )
    return updated, ("meetings",)


def add_meeting(review: Review, meeting: Meeting, *, on: date) -> ReviewChange:
    """Add the next meeting of the review (the first, or one more of a series)."""
    _refuse_if_closed(review, "add a meeting", structural=True)
    check_in_range(meeting.on, "meeting date")
    if meeting.final:
        raise ChangeRefused(
            "A meeting becomes the final one when the review is marked completed; "
            "add it without marking it final."
        )
    index = len(review.meetings)
    _check_separate_reason(meeting, index)
    meetings = (*review.meetings, meeting)
    _check_order(meetings)
    updated, changed = _with_meetings(review, meetings)
    state = "held" if meeting.held else "arranged"
    what = "first meeting" if index == 0 else f"meeting {index + 1} of the series"
    return event(
        EventKind.MEETING_ADDED,
        review,
        updated,
        on=on,
        changed=(*changed, f"meetings[{index}]"),
        summary=f"The {what} was recorded ({state}, {say_date(meeting.on)}).",
    )


def update_meeting(review: Review, index: int, meeting: Meeting, *, on: date) -> ReviewChange:
    """Correct or complete a meeting. After completion only its venue, notes and attendance."""
    old = _meeting_at(review, index)
    structural = (old.on, old.held, old.final) != (meeting.on, meeting.held, meeting.final)
    _refuse_if_closed(review, "change a meeting", structural=False)
    if structural:
        _refuse_if_closed(review, "change a meeting's date or whether it was held", structural=True)
    if meeting.final != old.final:
        raise ChangeRefused(
            "Whether a meeting is the final one is set by completing the review, not by "
            "editing the meeting."
        )
    if old.held and not meeting.held:
        raise ChangeRefused(
            f"The meeting on {say_date(old.on)} is recorded as held; a held meeting cannot "
            "be changed back to arranged. Correct its date or notes instead."
        )
    check_in_range(meeting.on, "meeting date")
    _check_separate_reason(meeting, index)
    meetings = tuple(meeting if i == index else m for i, m in enumerate(review.meetings))
    _check_order(meetings)
    updated, changed = _with_meetings(review, meetings)
    return event(
        EventKind.MEETING_UPDATED,
        review,
        updated,
        on=on,
        changed=(*changed, f"meetings[{index}]"),
        summary=f"The meeting on {say_date(meeting.on)} was updated.",
    )


def remove_meeting(review: Review, index: int, *, on: date, reason: str) -> ReviewChange:
    """Remove an arranged meeting that will not happen; held meetings stay on the record."""
    old = _meeting_at(review, index)
    _refuse_if_closed(review, "remove a meeting", structural=True)
    if old.held:
        raise ChangeRefused(
            f"The meeting on {say_date(old.on)} was held and stays on the record; "
            "correct it instead of removing it."
        )
    text = reason.strip()
    if not text:
        raise ChangeRefused("Give a reason for removing the arranged meeting.")
    meetings = tuple(m for i, m in enumerate(review.meetings) if i != index)
    updated = replace(review, meetings=meetings)
    return event(
        EventKind.MEETING_REMOVED,
        review,
        updated,
        on=on,
        changed=("meetings",),
        summary=f"The meeting arranged for {say_date(old.on)} was removed.",
        reason=text,
    )


def _meeting_at(review: Review, index: int) -> Meeting:
    if not 0 <= index < len(review.meetings):
        raise ValueError(
            f"There is no meeting number {index + 1}; the review has {len(review.meetings)}."
        )
    return review.meetings[index]
