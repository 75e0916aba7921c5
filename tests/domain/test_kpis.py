"""Annual-report figures on a small hand-made year, with every percentage worked by hand.

Reporting year 1 April 2023 - 31 March 2024. Working days skip the 2023 coronation bank
holiday (8 May), the spring bank holiday (29 May) and Easter 2024 (29 March, 1 April).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.kpis import (
    Allocation,
    AnnualFigures,
    ConsultationForm,
    EscalationKind,
    EscalationSummary,
    Ratio,
    ReportRow,
    ReviewSummary,
    annual_figures,
    consultation_forms,
    summarise_review,
)
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChairRole,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Meeting,
    Preparation,
    Recommendation,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    SeriesBasis,
    add_meeting,
    add_recommendation,
    edit_review,
    plan_review,
    rearrange,
    transition,
)

START, END = date(2023, 4, 1), date(2024, 3, 31)
LA = ReviewKind.LOOKED_AFTER
CH, CO, NO = ChairRole.CHAIR, ChairRole.CO_CHAIR, ChairRole.NEITHER


def la(
    rid: str,
    due: date,
    held: date | None,
    *,
    age: int,
    code: str | None,
    done: date | None = None,
    recs: date | None = None,
    letter: date | None = None,
    chair: ChairRole = NO,
    number: int = 3,
    agreed: bool | None = None,
    consulted: bool = False,
    sw: bool = False,
    report: bool = False,
    parent_invited: bool = False,
    parent: bool = False,
    rearranged: int = 0,
    meetings: int = 1,
    extra: bool = False,
) -> ReviewSummary:
    return ReviewSummary(
        review_id=rid,
        child_id=f"child-{rid}",
        iro="Iro Ash",
        kind=LA,
        due_on=due,
        held_on=held,
        completed_on=done,
        review_number=number,
        child_age=age,
        participation_code=code,
        child_chair=chair,
        consulted_before=consulted,
        recommendations_issued_on=recs,
        letter_issued_on=letter,
        permanence_plan_agreed=agreed,
        social_worker_attended=sw,
        social_worker_report=report,
        parent_invited=parent_invited,
        parent_attended=parent,
        rearrangements=rearranged,
        meetings=meetings,
        extra=extra,
    )


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)


REVIEWS = [
    # A: under 4, on time everywhere
    la("A", d(2023, 5, 10), d(2023, 5, 9), age=2, code="PN0", done=d(2023, 5, 9),
       recs=d(2023, 5, 15), letter=d(2023, 5, 26), number=1, consulted=True, sw=True,
       report=True, parent_invited=True, parent=True),
    # B: late review; recommendations on the 6th working day; letter never issued
    la("B", d(2023, 6, 1), d(2023, 6, 5), age=8, code="PN1", done=d(2023, 6, 5),
       recs=d(2023, 6, 13), number=2, agreed=True, consulted=True, report=True, rearranged=1),
    # C: a series of two meetings, completed a week after the first
    la("C", d(2023, 9, 30), d(2023, 9, 28), age=12, code="PN1", chair=CO, done=d(2023, 10, 5),
       recs=d(2023, 10, 6), letter=d(2023, 10, 20), number=2, agreed=False, sw=True,
       report=True, parent_invited=True, meetings=2),
    # D: extra review, letter on the 20th working day (late for 15, in time for 20)
    la("D", d(2023, 12, 1), d(2023, 11, 20), age=15, code="PN6", done=d(2023, 11, 20),
       recs=d(2023, 11, 24), letter=d(2023, 12, 18), agreed=True, consulted=True, sw=True,
       parent_invited=True, parent=True, rearranged=2, extra=True),
    # E: completed just before Easter 2024; both recording deadlines fall after the year end
    la("E", d(2024, 3, 25), d(2024, 3, 20), age=5, code="PN5", done=d(2024, 3, 28), number=2,
       consulted=True, meetings=2),
    # F: held and completed in the previous year: not counted
    la("F", d(2023, 3, 31), d(2023, 3, 30), age=9, code="PN1", done=d(2023, 3, 30),
       recs=d(2023, 4, 20), letter=d(2023, 6, 1), sw=True),
    # G: due but not held: not counted as held
    la("G", d(2024, 2, 1), None, age=10, code=None),
    # H
    la("H", d(2024, 1, 15), d(2024, 1, 10), age=16, code="PN7", done=d(2024, 1, 10),
       recs=d(2024, 1, 17), letter=d(2024, 1, 31), number=4, sw=True, report=True,
       parent_invited=True),
    # I: the child chaired; letter late
    la("I", d(2023, 8, 1), d(2023, 7, 25), age=13, code="PN2", chair=CH, done=d(2023, 7, 25),
       recs=d(2023, 7, 26), letter=d(2023, 8, 30), number=5, consulted=True, sw=True,
       report=True),
    # J: no participation code recorded
    la("J", d(2023, 10, 12), d(2023, 10, 10), age=9, code=None, done=d(2023, 10, 10),
       recs=d(2023, 10, 11), letter=d(2023, 10, 12), number=1, parent_invited=True),
]  # fmt: skip

PATHWAY = [
    ReviewSummary(review_id="P1", child_id="cl-1", iro="Iro Birch", kind=ReviewKind.PATHWAY_PLAN,
                  due_on=d(2023, 6, 15), held_on=d(2023, 6, 10), child_attended=True),
    ReviewSummary(review_id="P2", child_id="cl-2", iro="Iro Birch", kind=ReviewKind.PATHWAY_PLAN,
                  due_on=d(2023, 10, 20), held_on=d(2023, 11, 1), child_attended=False),
    ReviewSummary(review_id="P3", child_id="cl-3", iro="Iro Birch", kind=ReviewKind.PATHWAY_PLAN,
                  due_on=d(2024, 2, 10), held_on=d(2024, 2, 2), child_attended=True),
]  # fmt: skip


def form(role: InviteeRole, sent: date, received: date | None = None) -> ConsultationForm:
    return ConsultationForm(review_id="A", role=role, sent_on=sent, received_on=received)


FORMS = [
    form(InviteeRole.CHILD, d(2023, 5, 1), d(2023, 5, 5)),
    form(InviteeRole.CHILD, d(2023, 9, 1), d(2023, 9, 20)),
    form(InviteeRole.CHILD, d(2024, 1, 2)),
    form(InviteeRole.PARENT, d(2023, 5, 1)),
    form(InviteeRole.PARENT, d(2023, 9, 1)),
    form(InviteeRole.HEALTH, d(2023, 5, 1), d(2023, 5, 3)),
    form(InviteeRole.HEALTH, d(2023, 6, 1)),
    form(InviteeRole.HEALTH, d(2023, 7, 1)),
    form(InviteeRole.HEALTH, d(2023, 8, 1)),
    form(InviteeRole.CARER, d(2023, 3, 15), d(2023, 3, 20)),  # previous year
]


def esc(
    eid: str,
    raised: date,
    resolved: date | None = None,
    *,
    stage_reached: str = "",
    themes: tuple[str, ...] = (),
    service: str = "",
    outcome: str = "",
) -> EscalationSummary:
    return EscalationSummary(
        id=eid,
        kind=EscalationKind.DISPUTE,
        raised_on=raised,
        resolved_on=resolved,
        stage_reached=stage_reached,
        themes=themes,
        service=service,
        outcome=outcome,
    )


ESCALATIONS = [
    esc("E1", d(2023, 5, 2), d(2023, 5, 20), stage_reached="Stage 1",
        themes=("No social work report", "Drift in permanence"), service="Locality North",
        outcome="Resolved"),
    # 20 working days from 2 May 2023 end on 1 June because of two bank holidays
    esc("E2", d(2023, 5, 2), d(2023, 6, 1), stage_reached="Stage 2",
        themes=("Drift in permanence",), service="Locality North", outcome="Plan updated"),
    # Raised 1 March 2024: its 20 days end on 2 April, after the year end: pending
    esc("E3", d(2024, 3, 1), stage_reached="Stage 1",
        themes=("Statutory visits out of timescale",), service="Locality South"),
    esc("E4", d(2023, 9, 1), stage_reached="CAFCASS", themes=("Drift in permanence",)),
    EscalationSummary(id="E5", kind=EscalationKind.PARTNER, raised_on=d(2023, 7, 1)),
    EscalationSummary(id="E6", kind=EscalationKind.GOOD_PRACTICE, raised_on=d(2023, 8, 1)),
    EscalationSummary(id="E7", kind=EscalationKind.GOOD_PRACTICE, raised_on=d(2023, 9, 1)),
    esc("E8", d(2023, 3, 1), d(2023, 3, 2), stage_reached="Stage 1"),  # previous year
]  # fmt: skip

ALLOCATIONS = [
    Allocation(iro="Iro Ash", child_id="c1"),
    Allocation(iro="Iro Ash", child_id="c1"),  # the same child listed twice counts once
    Allocation(iro="Iro Ash", child_id="c2"),
    Allocation(iro="Iro Ash", child_id="c3"),
    Allocation(iro="Iro Birch", child_id="c4"),
    Allocation(iro="Iro Birch", child_id="cl-1", care_leaver=True),
]


@pytest.fixture(scope="module")
def figures() -> AnnualFigures:
    return annual_figures(
        REVIEWS + PATHWAY, FORMS, ESCALATIONS, ALLOCATIONS, year_start=START, year_end=END
    )


def test_reviews_held_and_timeliness(figures: AnnualFigures) -> None:
    assert figures.reviews_held == 8  # A B C D E H I J
    # B was late; G was due on 1 February and never held: late too, not hidden.
    assert figures.in_timescale == Ratio(7, 9)
    assert figures.in_timescale.percent == 77.8
    assert figures.due_not_held == 1
    assert figures.extra_reviews == 1
    assert figures.rearranged == Ratio(2, 8)
    assert figures.series_of_meetings == Ratio(2, 8)


def test_participation(figures: AnnualFigures) -> None:
    by_code = {code: r for code, r in figures.participation}
    assert by_code["PN0"] == Ratio(1, 8) and by_code["PN0"].percent == 12.5
    assert by_code["PN1"] == Ratio(2, 8) and by_code["PN1"].percent == 25.0
    assert by_code["PN3"] == Ratio(0, 8) and by_code["PN3"].percent == 0.0
    assert by_code["Not recorded"] == Ratio(1, 8)
    assert sum(r.numerator for r in by_code.values()) == 8
    # Children 4+ with a code: B C D E H I. Attended (PN1-4): B C I. Took part (PN1-6): +D E.
    assert figures.aged_four_plus_attended == Ratio(3, 6)
    assert figures.aged_four_plus_attended.percent == 50.0
    assert figures.aged_four_plus_participated.percent == 83.3
    # Aged 11+: C D H I; C co-chaired, I chaired
    assert figures.chaired_or_co_chaired == Ratio(2, 4)
    assert figures.consulted_before == Ratio(5, 8)


def test_consultation_forms_by_role(figures: AnnualFigures) -> None:
    assert [
        (role, r.numerator, r.denominator, r.percent) for role, r in figures.consultations_by_role
    ] == [
        (InviteeRole.CHILD, 2, 3, 66.7),
        (InviteeRole.PARENT, 0, 2, 0.0),
        (InviteeRole.HEALTH, 1, 4, 25.0),
    ]
    assert figures.consultations == Ratio(3, 9)
    assert figures.consultations.percent == 33.3


def test_recording_timescales_leave_pending_reviews_out(figures: AnnualFigures) -> None:
    # Completed in the year: A B C D E H I J; E is pending (its deadlines fall after Easter).
    assert figures.recommendations_on_time == Ratio(6, 7)  # B took 6 working days
    assert figures.recommendations_on_time.percent == 85.7
    assert figures.minutes_on_time == Ratio(4, 7)  # B never issued, D and I late
    assert figures.minutes_on_time.percent == 57.1


def test_recording_timescales_follow_the_profile_and_the_as_of_date() -> None:
    twenty = annual_figures(REVIEWS, year_start=START, year_end=END, minutes_days=20)
    assert twenty.minutes_on_time == Ratio(5, 7)  # D's letter was on the 20th working day
    later = [
        replace(r, recommendations_issued_on=d(2024, 4, 5)) if r.review_id == "E" else r
        for r in REVIEWS
    ]
    after = annual_figures(
        later, (), ESCALATIONS, year_start=START, year_end=END, as_of=d(2024, 4, 30)
    )
    assert after.recommendations_on_time == Ratio(7, 8)
    assert after.minutes_on_time == Ratio(4, 8)  # E's letter is now overdue
    assert after.escalations_resolved_in_time == Ratio(2, 4)  # E3 is now out of time


def test_care_planning_and_attendance(figures: AnnualFigures) -> None:
    assert figures.permanence_by_second_review == Ratio(1, 3)  # B agreed; C no; E unanswered
    assert figures.permanence_by_second_review.percent == 33.3
    assert figures.social_worker_attended == Ratio(5, 8)
    assert figures.social_worker_report == Ratio(5, 8)
    assert figures.parents_attended == Ratio(2, 5)  # invited: A C D H J; attended: A D


def test_pathway_plan_reviews(figures: AnnualFigures) -> None:
    assert figures.pathway_held == 3
    assert figures.pathway_in_timescale == Ratio(2, 3)
    assert figures.pathway_attended.percent == 66.7


def test_caseload(figures: AnnualFigures) -> None:
    assert figures.caseloads == (("Iro Ash", 3), ("Iro Birch", 2))
    assert figures.average_caseload == 2.5


def test_escalations(figures: AnnualFigures) -> None:
    assert figures.escalations_raised == 4
    assert figures.escalations_resolved_in_time == Ratio(2, 3)  # E4 late, E3 pending
    assert figures.escalations_by_stage == (("Stage 1", 2), ("CAFCASS", 1), ("Stage 2", 1))
    assert figures.escalations_by_theme == (
        ("Drift in permanence", 3),
        ("No social work report", 1),
        ("Statutory visits out of timescale", 1),
    )
    assert figures.escalations_by_service == (
        ("Locality North", 2),
        ("Locality South", 1),
        ("Not recorded", 1),
    )
    assert figures.escalations_by_outcome == (("Open", 2), ("Plan updated", 1), ("Resolved", 1))
    assert figures.partner_escalations == 1
    assert figures.good_practice_notifications == 2


def test_rows_for_the_report_table(figures: AnnualFigures) -> None:
    rows = figures.rows()
    assert ReportRow("Reviews", "Reviews held in timescale", 7, 77.8, 9) in rows
    assert ReportRow("Reviews", "Reviews due in the year and not yet held (late)", 1) in rows
    assert ReportRow("Reviews", "Reviews held", 8) in rows
    assert ReportRow("Recording", "Minutes issued within 15 working days", 4, 57.1, 7) in rows
    assert ReportRow("Caseload", "Average caseload per IRO", 2.5) in rows
    labels = [r.label for r in rows]
    assert "PN0: Child aged under 4 at the time of the review" in labels
    assert "Child: received of sent" in labels
    assert len(labels) == len(set(labels))


def test_ratio_percent_rounds_half_up_and_handles_nothing_to_count() -> None:
    assert Ratio(1, 16).percent == 6.3
    assert Ratio(1, 3).percent == 33.3
    assert Ratio(0, 0).percent is None


def test_bad_reporting_years_are_refused() -> None:
    with pytest.raises(ValueError, match="ends \\(31 March 2023\\) before it starts"):
        annual_figures([], year_start=START, year_end=d(2023, 3, 31))
    with pytest.raises(ValueError, match="at least 1 working day"):
        annual_figures([], year_start=START, year_end=END, minutes_days=0)


# --- summaries from real review records -----------------------------------------------------


def test_summary_of_a_review_record() -> None:
    r = plan_review(id="rev-s", child_id="child-s", due_on=d(2023, 10, 2), planned_on=d(2023, 9, 20),
                    sequence=2, chaired_by="Iro Ash")  # fmt: skip
    r = rearrange(r, d(2023, 9, 25), on=d(2023, 9, 1), reason="Carer on holiday").review
    prep = Preparation(
        invitees=(
            Invitee(key="child", role=InviteeRole.CHILD, consultation_sent_on=d(2023, 9, 1),
                    consultation_received_on=d(2023, 9, 10)),
            Invitee(key="mum", role=InviteeRole.PARENT, consultation_sent_on=d(2023, 9, 1)),
            Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER),
        ),
        child_contacts=(ChildContact(on=d(2023, 8, 10), method=ContactMethod.VISIT),),
        social_worker_report_received_on=d(2023, 9, 19),
    )  # fmt: skip
    r = edit_review(r, on=d(2023, 9, 2), preparation=prep, participation_code="PN1",
                    child_chair=ChairRole.CO_CHAIR, permanence_plan_agreed=True).review  # fmt: skip
    first = Meeting(on=d(2023, 9, 25), attendance=(
        AttendanceEntry(key="child", attendance=Attendance.ATTENDED),
        AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
    ))  # fmt: skip
    second = Meeting(on=d(2023, 10, 3), separate_reason=SeparateReason.RESTRAINING_ORDER,
                     attendance=(AttendanceEntry(key="mum", attendance=Attendance.ATTENDED),))  # fmt: skip
    r = add_meeting(r, first, on=d(2023, 9, 25)).review
    r = add_meeting(r, second, on=d(2023, 10, 3)).review
    r = transition(r, ReviewStatus.COMPLETED, on=d(2023, 10, 3)).review
    rec = Recommendation(id="R1", action="Book a dentist", owner="Carer", due_on=d(2023, 11, 1))
    r = add_recommendation(r, rec, on=d(2023, 10, 3)).review
    for status, on in (
        (ReviewStatus.RECOMMENDATIONS_ISSUED, d(2023, 10, 6)),
        (ReviewStatus.LETTER_DRAFTED, d(2023, 10, 9)),
        (ReviewStatus.SUBMITTED, d(2023, 10, 9)),
        (ReviewStatus.APPROVED, d(2023, 10, 12)),
        (ReviewStatus.ISSUED, d(2023, 10, 13)),
    ):
        r = transition(r, status, on=on).review

    s = summarise_review(r, child_dob=d(2011, 9, 26))
    assert s.iro == "Iro Ash" and s.review_number == 2
    assert s.held_on == d(2023, 9, 25) and s.completed_on == d(2023, 10, 3)
    assert s.child_age == 11  # the day before the 12th birthday
    assert s.child_attended and s.child_chair is ChairRole.CO_CHAIR
    assert not s.consulted_before  # 10 August is more than 6 weeks before 25 September
    assert s.recommendations_issued_on == d(2023, 10, 6)
    assert s.letter_issued_on == d(2023, 10, 13)
    assert s.social_worker_attended and s.social_worker_report
    assert s.parent_invited and s.parent_attended  # at the second meeting of the series
    assert s.rearrangements == 1 and s.meetings == 2
    last = summarise_review(r, child_dob=d(2011, 9, 26), basis=SeriesBasis.LAST_MEETING)
    assert last.held_on == d(2023, 10, 3) and last.child_age == 12

    year = annual_figures([s], consultation_forms(r), year_start=START, year_end=END)
    assert year.in_timescale == Ratio(1, 1)
    assert year.chaired_or_co_chaired == Ratio(1, 1)
    assert year.recommendations_on_time == Ratio(1, 1)
    assert year.consultations_by_role == (
        (InviteeRole.CHILD, Ratio(1, 1)),
        (InviteeRole.PARENT, Ratio(0, 1)),
    )
