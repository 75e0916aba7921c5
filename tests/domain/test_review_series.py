"""A review held as a series of meetings: timeliness, completion, and one merged record."""

from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChangeRefused,
    Invitee,
    InviteeRole,
    Meeting,
    Preparation,
    Review,
    ReviewStatus,
    SeparateReason,
    SeriesBasis,
    add_meeting,
    combined_notes,
    completion_date,
    in_timescale,
    is_series,
    merged_attendance,
    plan_review,
    remove_meeting,
    series_open,
    series_open_days,
    timeliness_date,
    transition,
    update_meeting,
)

FIRST = date(2024, 3, 11)
SECOND = date(2024, 3, 21)
DUE = date(2024, 3, 15)

PEOPLE = Preparation(
    invitees=(
        Invitee(key="child", role=InviteeRole.CHILD, name="Zara Example"),
        Invitee(key="mum", role=InviteeRole.PARENT, name="Mum Example"),
        Invitee(key="dad", role=InviteeRole.PARENT, name="Dad Example"),
        Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER, name="Sam Worker"),
    )
)


def base() -> Review:
    r = plan_review(id="rev-9", child_id="child-9", due_on=DUE, planned_on=FIRST)
    return Review.from_dict({**r.to_dict(), "preparation": PEOPLE.to_dict()})


def with_first_meeting() -> Review:
    meeting = Meeting(
        on=FIRST,
        venue="Foster home",
        attendance=(
            AttendanceEntry(key="child", attendance=Attendance.ATTENDED),
            AttendanceEntry(key="mum", attendance=Attendance.ATTENDED),
            AttendanceEntry(key="dad", attendance=Attendance.NOT_INVITED),
            AttendanceEntry(key="sw", attendance=Attendance.APOLOGIES),
        ),
        notes="Zara talked about school.",
    )
    return add_meeting(base(), meeting, on=FIRST).review


def second_meeting(held: bool = True) -> Meeting:
    return Meeting(
        on=SECOND,
        venue="Contact centre",
        held=held,
        separate_reason=SeparateReason.RESTRAINING_ORDER,
        attendance=(
            AttendanceEntry(key="dad", attendance=Attendance.ATTENDED),
            AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
            AttendanceEntry(key="child", attendance=Attendance.SENT_VIEWS),
        ),
        notes="Dad shared his views on family time.",
    )


def completed_series() -> Review:
    r = add_meeting(with_first_meeting(), second_meeting(), on=SECOND).review
    return transition(r, ReviewStatus.COMPLETED, on=date(2024, 3, 25)).review


def test_series_counts_as_held_on_its_first_meeting_by_default() -> None:
    r = completed_series()
    assert is_series(r)
    assert timeliness_date(r) == FIRST
    assert in_timescale(r) is True
    # The clocks for recommendations and minutes run from the last meeting, not the day the
    # IRO got round to marking it complete.
    assert completion_date(r) == SECOND


def test_last_meeting_basis_follows_the_practice_profile() -> None:
    open_series = add_meeting(with_first_meeting(), second_meeting(held=False), on=FIRST).review
    assert timeliness_date(open_series, SeriesBasis.LAST_MEETING) is None
    assert in_timescale(open_series, SeriesBasis.LAST_MEETING) is None
    r = completed_series()
    assert timeliness_date(r, SeriesBasis.LAST_MEETING) == SECOND
    assert in_timescale(r, SeriesBasis.LAST_MEETING) is False


def test_an_open_series_shows_how_long_it_has_been_open() -> None:
    assert series_open_days(base(), date(2024, 3, 20)) is None  # not started
    r = add_meeting(with_first_meeting(), second_meeting(held=False), on=FIRST).review
    assert series_open(r)
    assert series_open_days(r, FIRST) == 0
    assert series_open_days(r, date(2024, 3, 20)) == 9
    assert series_open_days(completed_series(), date(2024, 4, 1)) is None
    assert not series_open(completed_series())


def test_a_further_meeting_must_say_why_it_is_separate() -> None:
    r = with_first_meeting()
    with pytest.raises(ChangeRefused, match="Say why this is a separate meeting"):
        add_meeting(r, Meeting(on=SECOND), on=SECOND)
    with pytest.raises(ChangeRefused, match="Describe the reason"):
        add_meeting(r, Meeting(on=SECOND, separate_reason=SeparateReason.OTHER), on=SECOND)
    ok = Meeting(on=SECOND, separate_reason=SeparateReason.OTHER, separate_reason_note="Exams")
    assert len(add_meeting(r, ok, on=SECOND).review.meetings) == 2


def test_meetings_are_kept_in_date_order_with_held_ones_first() -> None:
    r = with_first_meeting()
    earlier = Meeting(on=date(2024, 3, 5), separate_reason=SeparateReason.UNAVOIDABLE_DELAY)
    with pytest.raises(ChangeRefused, match="5 March 2024 is before the meeting on 11 March"):
        add_meeting(r, earlier, on=SECOND)
    r = add_meeting(r, second_meeting(held=False), on=FIRST).review
    third = Meeting(on=date(2024, 3, 28), separate_reason=SeparateReason.YOUNG_PERSONS_WISH)
    with pytest.raises(ChangeRefused, match="not recorded as held yet"):
        add_meeting(r, third, on=date(2024, 3, 28))


def test_no_meetings_after_completion_or_while_stood_down() -> None:
    with pytest.raises(ChangeRefused, match="completed on 21 March 2024.*new \\(extra\\) review"):
        add_meeting(completed_series(), second_meeting(), on=date(2024, 4, 1))
    stood_down = transition(base(), ReviewStatus.STOOD_DOWN, on=FIRST, reason="Not ready").review
    with pytest.raises(ChangeRefused, match="stood down: rearrange it"):
        add_meeting(stood_down, Meeting(on=FIRST), on=FIRST)


def test_only_completion_marks_a_meeting_final() -> None:
    with pytest.raises(ChangeRefused, match="when the review is marked completed"):
        add_meeting(base(), Meeting(on=FIRST, final=True), on=FIRST)


def test_arranged_meeting_becomes_held_by_updating_it() -> None:
    r = add_meeting(with_first_meeting(), second_meeting(held=False), on=FIRST).review
    new, ev = update_meeting(r, 1, second_meeting(held=True), on=SECOND)
    assert new.meetings[1].held
    assert "meetings[1]" in ev.changed
    with pytest.raises(ChangeRefused, match="cannot be changed back to arranged"):
        update_meeting(new, 1, second_meeting(held=False), on=SECOND)


def test_after_completion_notes_can_be_corrected_but_not_dates() -> None:
    r = completed_series()
    fixed = Meeting(
        on=FIRST,
        venue="Foster home",
        final=False,
        attendance=r.meetings[0].attendance,
        notes="Zara talked about her new school.",
    )
    assert (
        update_meeting(r, 0, fixed, on=date(2024, 3, 26))
        .review.meetings[0]
        .notes.endswith("new school.")
    )
    moved = Meeting(on=date(2024, 3, 12), attendance=r.meetings[0].attendance)
    with pytest.raises(ChangeRefused, match="cannot change a meeting's date"):
        update_meeting(r, 0, moved, on=date(2024, 3, 26))
    with pytest.raises(ValueError, match="no meeting number 5"):
        update_meeting(r, 4, fixed, on=date(2024, 3, 26))


def test_only_arranged_meetings_can_be_removed_and_with_a_reason() -> None:
    r = add_meeting(with_first_meeting(), second_meeting(held=False), on=FIRST).review
    with pytest.raises(ChangeRefused, match="was held and stays on the record"):
        remove_meeting(r, 0, on=SECOND, reason="Mistake")
    with pytest.raises(ChangeRefused, match="Give a reason"):
        remove_meeting(r, 1, on=SECOND, reason=" ")
    new, ev = remove_meeting(r, 1, on=SECOND, reason="Dad declined")
    assert len(new.meetings) == 1 and ev.reason == "Dad declined"


def test_the_series_reads_as_one_record() -> None:
    r = completed_series()
    merged = {m.key: m for m in merged_attendance(r)}
    assert merged["child"].attendance is Attendance.ATTENDED  # attended beats sent views
    assert merged["child"].attended_meetings == (0,)
    assert merged["dad"].attendance is Attendance.ATTENDED
    assert merged["dad"].attended_meetings == (1,)
    assert merged["sw"].attendance is Attendance.ATTENDED  # apologies then attended
    assert merged["mum"].attended_meetings == (0,)
    notes = combined_notes(r)
    assert notes.index("Meeting on 11 March 2024") < notes.index("Meeting on 21 March 2024")
    assert "Dad shared his views" in notes


def test_arranged_meetings_do_not_count_towards_attendance() -> None:
    r = add_meeting(with_first_meeting(), second_meeting(held=False), on=FIRST).review
    merged = {m.key: m for m in merged_attendance(r)}
    assert merged["dad"].attendance is Attendance.NOT_INVITED
    assert merged["sw"].attendance is Attendance.APOLOGIES
