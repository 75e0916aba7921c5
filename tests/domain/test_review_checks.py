"""check_review: field-level problems, never a refusal to save the draft."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChairRole,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Meeting,
    PlanView,
    Preparation,
    Problem,
    Recommendation,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    SeriesBasis,
    Severity,
    Topic,
    TopicNote,
    check_review,
    has_errors,
)

DOB = date(2015, 5, 10)
PERIOD_START = date(2023, 1, 9)
MEETING = date(2024, 3, 12)
TODAY = date(2024, 3, 14)


def good_review(**changes: object) -> Review:
    """A held review of a 8-year-old with nothing wrong in it."""
    r = Review(
        id="rev",
        child_id="c",
        due_on=date(2024, 3, 20),
        planned_on=MEETING,
        sequence=3,
        status=ReviewStatus.HELD,
        preparation=Preparation(
            invitees=(
                Invitee(
                    key="child",
                    role=InviteeRole.CHILD,
                    consultation_sent_on=date(2024, 2, 20),
                    consultation_received_on=date(2024, 3, 1),
                ),
                Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER),
            ),
            child_contacts=(ChildContact(on=date(2024, 3, 1), method=ContactMethod.VISIT),),
            social_worker_report_received_on=date(2024, 3, 5),
            care_plan_received_on=date(2024, 3, 5),
        ),
        meetings=(
            Meeting(
                on=MEETING,
                attendance=(
                    AttendanceEntry(key="child", attendance=Attendance.ATTENDED),
                    AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
                ),
            ),
        ),
        participation_code="PN1",
        child_chair=ChairRole.CO_CHAIR,
        permanence_plan_agreed=True,
        # Every topic covered: once a meeting is held, one not covered is advised on.
        topics=tuple(TopicNote(topic=t, covered=True) for t in Topic),
        recommendations=(
            Recommendation(
                id="R1",
                action="Book a dental check-up",
                owner="Carer Pat",
                due_on=date(2024, 4, 30),
                child_wording="Pat will book you a check-up at the dentist.",
            ),
        ),
    )
    return replace(r, **changes)  # type: ignore[arg-type]


def check(
    review: Review, dob: date = DOB, basis: SeriesBasis = SeriesBasis.FIRST_MEETING
) -> list[Problem]:
    return check_review(review, dob, PERIOD_START, TODAY, basis=basis)


def at(problems: list[Problem], field: str) -> list[Problem]:
    return [p for p in problems if p.field == field]


def test_a_good_record_has_no_problems() -> None:
    assert check(good_review()) == []


def test_held_meeting_in_the_future_is_an_error_but_an_arranged_one_is_not() -> None:
    future = date(2024, 3, 20)
    r = good_review(meetings=(replace(good_review().meetings[0], on=future),))
    [problem] = at(check(r), "meetings[0].on")
    assert problem.severity is Severity.ERROR
    assert "20 March 2024, in the future" in problem.message
    arranged = replace(
        good_review(),
        meetings=(
            good_review().meetings[0],
            Meeting(on=future, held=False, separate_reason=SeparateReason.UNAVOIDABLE_DELAY),
        ),
    )
    assert at(check(arranged), "meetings[1].on") == []


def test_meeting_before_the_child_became_looked_after() -> None:
    r = good_review(meetings=(replace(good_review().meetings[0], on=date(2023, 1, 6)),))
    [problem] = at(check(r), "meetings[0].on")
    assert problem.severity is Severity.ERROR
    assert "before the child became looked after (9 January 2023)" in problem.message


def test_pn_code_must_be_pn0_for_a_child_under_four() -> None:
    dob = date(2020, 3, 13)  # fourth birthday is the day after the meeting
    [problem] = at(check(good_review(child_chair=None), dob), "participation_code")
    assert problem.severity is Severity.ERROR
    assert "was 3 on the review date (12 March 2024)" in problem.message
    assert (
        at(
            check(good_review(participation_code="PN0", child_chair=None), dob),
            "participation_code",
        )
        == []
    )


def test_pn0_is_wrong_from_the_fourth_birthday() -> None:
    dob = date(2020, 3, 12)  # fourth birthday on the meeting day
    r = good_review(participation_code="PN0", child_chair=None)
    [problem] = at(check(r, dob), "participation_code")
    assert problem.severity is Severity.ERROR
    assert "only for children under 4" in problem.message


def test_pn0_rule_uses_the_timeliness_date_of_a_series() -> None:
    dob_under_four_throughout = date(2020, 3, 15)
    second = Meeting(
        on=date(2024, 3, 13),
        final=True,
        separate_reason=SeparateReason.CANNOT_SHARE_A_ROOM,
        attendance=(AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),),
    )
    r = good_review(
        participation_code="PN0",
        child_chair=None,
        status=ReviewStatus.COMPLETED,
        meetings=(good_review().meetings[0], second),
        plan_view=PlanView(endorsed=True, endorsed_on=date(2024, 3, 13)),
        topics=tuple(TopicNote(topic=t, covered=True) for t in Topic),
    )
    dob_first_under_four = date(2020, 3, 13)  # under 4 on the 12th, 4 on the 13th
    assert at(check(r, dob_first_under_four), "participation_code") == []
    [problem] = at(check(r, dob_first_under_four, SeriesBasis.LAST_MEETING), "participation_code")
    assert "only for children under 4" in problem.message
    assert (
        at(check(r, dob_under_four_throughout, SeriesBasis.LAST_MEETING), "participation_code")
        == []
    )


def test_missing_pn_code_suggests_pn0_for_the_youngest() -> None:
    [problem] = at(
        check(good_review(participation_code=None, child_chair=None), date(2022, 1, 1)),
        "participation_code",
    )
    assert problem.severity is Severity.WARNING
    assert "It is PN0" in problem.message


def test_child_who_chaired_cannot_be_recorded_as_not_attending() -> None:
    r = good_review(participation_code="PN5")
    [chair] = at(check(r), "child_chair")
    assert chair.severity is Severity.ERROR
    [code] = at(check(r), "participation_code")  # attendance says the child came
    assert code.severity is Severity.WARNING


def test_recommendation_due_before_the_review() -> None:
    rec = replace(good_review().recommendations[0], due_on=date(2024, 3, 1))
    [problem] = at(check(good_review(recommendations=(rec,))), "recommendations[0].due_on")
    assert problem.severity is Severity.ERROR
    assert "before the review itself (12 March 2024)" in problem.message


def test_vague_recommendations_are_flagged_but_never_errors() -> None:
    rec = Recommendation(id="R1", action="Continue to monitor school attendance")
    problems = check(good_review(recommendations=(rec,)))
    recs = [p for p in problems if p.field.startswith("recommendations[0]")]
    assert {p.field for p in recs} == {
        "recommendations[0].owner",
        "recommendations[0].due_on",
        "recommendations[0].action",
        "recommendations[0].child_wording",
    }
    assert all(p.severity is not Severity.ERROR for p in recs)
    assert not has_errors(problems)


def test_permanence_question_at_the_second_review() -> None:
    first = good_review(sequence=1, permanence_plan_agreed=None)
    assert at(check(first), "permanence_plan_agreed") == []
    [second] = at(
        check(good_review(sequence=2, permanence_plan_agreed=None)), "permanence_plan_agreed"
    )
    assert second.severity is Severity.ERROR
    assert "second review" in second.message
    [third] = at(
        check(good_review(sequence=3, permanence_plan_agreed=None)), "permanence_plan_agreed"
    )
    assert third.severity is Severity.WARNING
    assert good_review(sequence=2).permanence_question_required
    assert not good_review(sequence=1).permanence_question_required
    planned = good_review(
        sequence=2, permanence_plan_agreed=None, meetings=(), status=ReviewStatus.PLANNED
    )
    assert at(check(planned), "permanence_plan_agreed") == []  # not asked before the meeting


def test_pathway_plan_question_from_sixteen() -> None:
    sixteen = date(2008, 3, 12)
    [problem] = at(check(good_review(child_chair=None), sixteen), "pathway_plan_in_place")
    assert problem.severity is Severity.ERROR
    assert (
        at(check(good_review(child_chair=None), date(2008, 3, 13)), "pathway_plan_in_place") == []
    )
    [none] = at(check(good_review(pathway_plan_in_place=False), sixteen), "pathway_plan_in_place")
    assert none.severity is Severity.WARNING
    assert (
        at(check(good_review(pathway_plan_in_place=True), sixteen), "pathway_plan_in_place") == []
    )


def test_pathway_plan_reviews_have_their_own_checklist_and_no_pn_code() -> None:
    r = good_review(
        kind=ReviewKind.PATHWAY_PLAN,
        participation_code=None,
        status=ReviewStatus.COMPLETED,
        topics=(),
        meetings=(replace(good_review().meetings[0], final=True),),
        plan_view=PlanView(endorsed=True, endorsed_on=MEETING),
    )
    problems = check(r, date(2005, 1, 1))
    assert at(problems, "participation_code") == []
    [topics] = at(problems, "topics")
    assert "Staying put" in topics.message and "Identity" not in topics.message


def test_preparation_problems() -> None:
    prep = replace(
        good_review().preparation,
        invitees=(
            Invitee(
                key="mum",
                role=InviteeRole.PARENT,
                consultation_sent_on=date(2024, 3, 1),
                consultation_received_on=date(2024, 2, 27),
            ),
            Invitee(key="mum", role=InviteeRole.CARER),
        ),
        child_contacts=(ChildContact(method=ContactMethod.NONE),),
        social_worker_report_received_on=date(2024, 3, 11),
    )
    problems = check(good_review(preparation=prep, meetings=(Meeting(on=MEETING, attendance=()),)))
    assert (
        at(problems, "preparation.invitees[0].consultation_received_on")[0].severity
        is Severity.ERROR
    )
    assert at(problems, "preparation.invitees[1].key")[0].severity is Severity.ERROR
    assert at(problems, "preparation.child_contacts[0].reason_if_none")
    assert "6 weeks before" in at(problems, "preparation.child_contacts")[0].message
    [late] = at(problems, "preparation.social_worker_report_received_on")
    assert late.severity is Severity.ADVICE and "1 working day before" in late.message
    assert at(problems, "meetings[0].attendance")[0].severity is Severity.WARNING


def test_report_lateness_is_counted_in_working_days_over_easter() -> None:
    prep = replace(good_review().preparation, social_worker_report_received_on=date(2024, 3, 28))
    meeting = replace(good_review().meetings[0], on=date(2024, 4, 2))
    r = good_review(preparation=prep, meetings=(meeting,), due_on=date(2024, 4, 5))
    [late] = at(
        check_review(r, DOB, PERIOD_START, date(2024, 4, 3)),
        "preparation.social_worker_report_received_on",
    )
    # Thursday 28 March 2024 to Tuesday 2 April: Good Friday and Easter Monday are not counted.
    assert "1 working day before" in late.message


def test_series_meetings_need_a_reason_and_known_people() -> None:
    second = Meeting(
        on=date(2024, 3, 13),
        attendance=(AttendanceEntry(key="grandad", attendance=Attendance.ATTENDED),),
    )
    problems = check(good_review(meetings=(good_review().meetings[0], second)))
    assert at(problems, "meetings[1].separate_reason")[0].severity is Severity.ERROR
    assert (
        "'grandad' is not on the list" in at(problems, "meetings[1].attendance[0].key")[0].message
    )


def test_errors_come_first_and_the_draft_is_never_refused() -> None:
    messy = good_review(
        participation_code="PN0",
        extra=True,
        meetings=(replace(good_review().meetings[0], on=date(2025, 1, 1)),),
        recommendations=(Recommendation(id="R1", action="Monitor"),),
    )
    problems = check(messy)
    severities = [p.severity for p in problems]
    assert severities == sorted(
        severities, key=[Severity.ERROR, Severity.WARNING, Severity.ADVICE].index
    )
    assert has_errors(problems)
    assert at(problems, "extra_reason")


def test_planned_after_due_date_warns_it_will_be_out_of_timescale() -> None:
    r = good_review(meetings=(), status=ReviewStatus.PLANNED, planned_on=date(2024, 3, 22))
    [problem] = at(check(r), "planned_on")
    assert problem.severity is Severity.WARNING and "out of timescale" in problem.message


# --- checks at the right moment (issue 12, items 10 and 11) ----------------------------------


def test_topics_not_covered_are_advised_on_once_a_meeting_is_held_not_at_completion() -> None:
    held = good_review(topics=(TopicNote(topic=Topic.HEALTH, covered=True),))
    assert held.status is ReviewStatus.HELD
    [advice] = at(check_review(held, DOB, PERIOD_START, TODAY), "topics")
    assert advice.severity is Severity.ADVICE
    assert advice.message.startswith("Not yet covered: ") and "Education" in advice.message
    assert "Health" not in advice.message.split(":", 1)[1].split(";")[0]

    not_met = good_review(
        status=ReviewStatus.PREPARING,
        meetings=(replace(good_review().meetings[0], held=False),),
        topics=(),
    )
    assert at(check_review(not_met, DOB, PERIOD_START, TODAY), "topics") == []


def test_a_recommendation_due_on_a_sunday_or_a_bank_holiday_is_flagged() -> None:
    def due(on: date, calendar: WorkingCalendar | None = None) -> list[str]:
        rec = replace(good_review().recommendations[0], due_on=on)
        review = good_review(recommendations=(rec,))
        kwargs = {"calendar": calendar} if calendar is not None else {}
        problems = check_review(review, DOB, PERIOD_START, TODAY, **kwargs)  # type: ignore[arg-type]
        return [p.message for p in at(problems, "recommendations[0].due_on")]

    assert due(date(2024, 4, 30)) == []  # a Tuesday
    assert due(date(2024, 4, 28)) == [
        "Due on Sunday 28 April 2024, which is not a working day; the next working day is "
        "Monday 29 April 2024."
    ]
    [easter] = due(date(2024, 4, 1))  # Easter Monday
    assert "the next working day is Tuesday 2 April 2024" in easter
    [closed] = due(date(2024, 4, 30), WorkingCalendar([date(2024, 4, 30)]))  # a closure day
    assert "Wednesday 1 May 2024" in closed


def test_the_profile_sets_the_visit_window_and_the_report_standard() -> None:
    prep = replace(
        good_review().preparation,
        child_contacts=(ChildContact(method=ContactMethod.VISIT, on=MEETING - timedelta(weeks=5)),),
        social_worker_report_received_on=MEETING - timedelta(days=7),
    )
    r = good_review(preparation=prep)
    six = check_review(r, DOB, PERIOD_START, MEETING + timedelta(days=1))
    assert not at(six, "preparation.child_contacts")
    four = check_review(
        r, DOB, PERIOD_START, MEETING + timedelta(days=1), consult_weeks=4, report_days_before=10
    )
    assert "4 weeks before" in at(four, "preparation.child_contacts")[0].message
    assert (
        "10 working days before"
        in at(four, "preparation.social_worker_report_received_on")[0].message
    )
