"""Annual figures the seeds print, counted the way the seeds count them (issue 13, section 2).

Reporting year 1 April 2023 - 31 March 2024; every child and date is made up.
"""

from __future__ import annotations

from datetime import date

from iro_desktop.domain.kpis import (
    Allocation,
    EscalationKind,
    EscalationSummary,
    Ratio,
    ReviewSummary,
    annual_figures,
    beside_previous,
)
from iro_desktop.domain.review import ChairRole, ReviewKind

START, END = date(2023, 4, 1), date(2024, 3, 31)
LA, PATHWAY = ReviewKind.LOOKED_AFTER, ReviewKind.PATHWAY_PLAN


def review(
    rid: str,
    due: date,
    held: date | None,
    *,
    child: str = "",
    kind: ReviewKind = LA,
    code: str | None = "PN1",
    age: int = 12,
    done: date | None = None,
    recs: date | None = None,
    letter: date | None = None,
    chair: ChairRole | None = None,
    without_meeting: bool = False,
    sw: bool = False,
) -> ReviewSummary:
    return ReviewSummary(
        review_id=rid,
        child_id=child or f"child-{rid}",
        iro="Iro Ash",
        kind=kind,
        due_on=due,
        held_on=held,
        completed_on=done,
        child_age=age,
        participation_code=code,
        child_chair=chair,
        recommendations_issued_on=recs,
        letter_issued_on=letter,
        without_meeting=without_meeting,
        social_worker_attended=sw,
    )


def test_recording_figures_count_looked_after_reviews_and_pathway_reviews_apart() -> None:
    reviews = [
        # looked after: recommendations on time, letter on time
        review("A", date(2023, 6, 1), date(2023, 5, 30), done=date(2023, 5, 30),
               recs=date(2023, 6, 1), letter=date(2023, 6, 5)),
        # pathway: both late (recommendations 3 weeks later, letter 2 months later)
        review("P", date(2023, 7, 1), date(2023, 6, 28), kind=PATHWAY, done=date(2023, 6, 28),
               recs=date(2023, 7, 19), letter=date(2023, 8, 30)),
    ]  # fmt: skip
    f = annual_figures(reviews, year_start=START, year_end=END)
    assert f.recommendations_on_time == Ratio(1, 1)
    assert f.minutes_on_time == Ratio(1, 1)
    assert f.pathway_recommendations_on_time == Ratio(0, 1)
    assert f.pathway_minutes_on_time == Ratio(0, 1)
    labels = {r.label: r for r in f.rows()}
    assert labels["Pathway recommendations issued within 5 working days"].out_of == 1


def test_reviews_due_in_the_year_and_not_held_count_as_late() -> None:
    reviews = [
        review("A", date(2023, 6, 1), date(2023, 5, 30)),
        review("B", date(2023, 11, 1), None),  # overdue, never held
        review("C", date(2024, 3, 20), None),  # due after the as-of date: not late yet
    ]
    f = annual_figures(reviews, year_start=START, year_end=END, as_of=date(2024, 3, 1))
    assert f.reviews_held == 1
    assert f.due_not_held == 1
    assert f.in_timescale == Ratio(1, 2)
    # And it shows in the month it was due.
    months = dict(f.monthly_timeliness)
    assert months["November"] == Ratio(0, 1)
    assert months["May"] == Ratio(1, 1)


def test_pn4_attends_but_does_not_share_views() -> None:
    reviews = [
        review("A", date(2023, 6, 1), date(2023, 5, 30), code="PN1"),
        review("B", date(2023, 6, 1), date(2023, 5, 30), code="PN4"),
        review("C", date(2023, 6, 1), date(2023, 5, 30), code="PN6"),
        review("D", date(2023, 6, 1), date(2023, 5, 30), code="PN7"),
        review("E", date(2023, 6, 1), date(2023, 5, 30), code="PN0", age=2),
    ]
    f = annual_figures(reviews, year_start=START, year_end=END)
    assert f.aged_four_plus_participated == Ratio(3, 4)  # PN1, PN4, PN6
    assert f.aged_four_plus_shared_views == Ratio(2, 4)  # PN1, PN6: not PN4
    assert f.aged_four_plus_attended == Ratio(2, 4)  # PN1, PN4


def test_children_who_chaired_are_counted_once_each() -> None:
    chair, no = ChairRole.CHAIR, ChairRole.NEITHER
    reviews = [
        # Amy chaired both her reviews; Ben chaired neither of his.
        review("A1", date(2023, 6, 1), date(2023, 5, 30), child="amy", chair=chair),
        review("A2", date(2023, 12, 1), date(2023, 11, 30), child="amy", chair=chair),
        review("A3", date(2024, 3, 1), date(2024, 2, 28), child="amy", chair=no),
        review("B1", date(2023, 6, 1), date(2023, 5, 30), child="ben", chair=no),
        review("B2", date(2023, 12, 1), date(2023, 11, 30), child="ben", chair=no),
    ]
    f = annual_figures(reviews, year_start=START, year_end=END)
    assert f.chaired_or_co_chaired == Ratio(1, 2)  # not 2 of 5 reviews


def test_caseloads_come_from_allocations_during_the_year_with_range() -> None:
    allocations = [
        Allocation(iro="Iro Ash", child_id="c1", start=date(2022, 1, 1)),
        Allocation(iro="Iro Ash", child_id="c2", start=date(2023, 5, 1), end=date(2023, 9, 1)),
        # ended before the year: not on the caseload reported
        Allocation(iro="Iro Ash", child_id="c3", start=date(2022, 1, 1), end=date(2023, 2, 1)),
        # allocated after the year: not counted either
        Allocation(iro="Iro Ash", child_id="c4", start=date(2024, 5, 1)),
        Allocation(iro="Iro Birch", child_id="c5", start=date(2023, 4, 1)),
        Allocation(iro="Iro Birch", child_id="c6", start=date(2023, 4, 1)),
        Allocation(iro="Iro Birch", child_id="c7", start=date(2023, 4, 1)),
        Allocation(iro="Iro Cedar", child_id="c8"),
    ]
    f = annual_figures([], allocations=allocations, year_start=START, year_end=END)
    assert f.caseloads == (("Iro Ash", 2), ("Iro Birch", 3), ("Iro Cedar", 1))
    assert f.average_caseload == 2.0
    assert f.caseload_range == (1, 3)
    rows = {r.label: r.value for r in f.rows() if r.section == "Caseload"}
    assert rows["Smallest caseload"] == 1 and rows["Largest caseload"] == 3


def test_quarterly_timeliness() -> None:
    reviews = [
        review("A", date(2023, 4, 20), date(2023, 4, 18)),  # Q1 on time
        review("B", date(2023, 6, 1), date(2023, 6, 5)),  # Q1 late
        review("C", date(2024, 1, 10), date(2024, 1, 9)),  # Q4 on time
    ]
    f = annual_figures(reviews, year_start=START, year_end=END)
    quarters = dict(f.quarterly_timeliness)
    assert quarters["Q1 (April-June)"] == Ratio(1, 2)
    assert quarters["Q2 (July-September)"] == Ratio(0, 0)
    assert quarters["Q4 (January-March)"] == Ratio(1, 1)
    assert [m for m, _ in f.monthly_timeliness][0] == "April"
    assert len(f.monthly_timeliness) == 12


def test_escalations_per_child_and_good_practice_by_theme_and_service() -> None:
    def dispute(eid: str, *children: str) -> EscalationSummary:
        return EscalationSummary(
            id=eid, kind=EscalationKind.DISPUTE, raised_on=date(2023, 6, 1), child_ids=children
        )

    escalations = [
        dispute("E1", "amy"),
        dispute("E2", "amy"),
        dispute("E3", "amy", "ben"),  # a sibling group: counts for each child
        dispute("E4", "cal"),
        EscalationSummary(
            id="G1",
            kind=EscalationKind.GOOD_PRACTICE,
            raised_on=date(2023, 7, 1),
            themes=("Life story work",),
            service="Fostering",
        ),
        EscalationSummary(
            id="G2",
            kind=EscalationKind.GOOD_PRACTICE,
            raised_on=date(2023, 8, 1),
            themes=("Life story work", "Timely PEP"),
            service="Locality North",
        ),
        EscalationSummary(
            id="P1",
            kind=EscalationKind.PARTNER,
            raised_on=date(2023, 8, 1),
            themes=("Health assessment delay",),
        ),
    ]
    f = annual_figures([], escalations=escalations, year_start=START, year_end=END)
    assert f.children_escalated == 3
    assert dict(f.escalations_per_child) == {
        "1 escalation": 2,  # ben, cal
        "2 escalations": 0,
        "3 or more escalations": 1,  # amy
    }
    assert f.good_practice_by_theme == (("Life story work", 2), ("Timely PEP", 1))
    assert f.good_practice_by_service == (("Fostering", 1), ("Locality North", 1))
    assert f.partner_by_theme == (("Health assessment delay", 1),)


def test_a_review_without_a_meeting_counts_as_held_with_no_attendance() -> None:
    reviews = [
        review("A", date(2023, 9, 1), date(2023, 8, 30), sw=True),
        review("N", date(2023, 9, 1), date(2023, 8, 31), code="PN6", without_meeting=True),
    ]
    f = annual_figures(reviews, year_start=START, year_end=END)
    assert f.reviews_held == 2 and f.in_timescale == Ratio(2, 2)
    assert f.held_without_meeting == 1
    assert dict(f.participation)["PN6"] == Ratio(1, 2)  # its PN code still counts
    assert f.social_worker_attended == Ratio(1, 1)  # no meeting: nobody to attend
    assert f.aged_four_plus_attended == Ratio(1, 1)


def test_the_previous_year_is_beside_this_one_figure_by_figure() -> None:
    this_year = annual_figures(
        [review("A", date(2023, 6, 1), date(2023, 5, 30))], year_start=START, year_end=END
    )
    last_year = annual_figures(
        [
            review("B", date(2022, 6, 1), date(2022, 5, 30)),
            review("C", date(2022, 9, 1), date(2022, 9, 5)),
        ],
        year_start=date(2022, 4, 1),
        year_end=date(2023, 3, 31),
    )
    rows = {r.label: r for r in beside_previous(this_year.rows(), last_year.rows())}
    held = rows["Reviews held"]
    assert (held.value, held.previous_value) == (1, 2)
    timely = rows["Reviews held in timescale"]
    assert (timely.percentage, timely.previous_percentage) == (100.0, 50.0)
    assert rows["May"].previous_value == 1  # the months line up, April to March


def test_pathway_plan_in_place_of_pathway_reviews_that_asked() -> None:
    def pathway(rid: str, in_place: bool | None) -> ReviewSummary:
        return ReviewSummary(
            review_id=rid,
            child_id=f"cl-{rid}",
            iro="Iro Ash",
            kind=PATHWAY,
            due_on=date(2023, 9, 1),
            held_on=date(2023, 8, 30),
            pathway_plan_in_place=in_place,
        )

    reviews = [pathway("1", True), pathway("2", False), pathway("3", None)]
    f = annual_figures(reviews, year_start=START, year_end=END)
    assert f.pathway_plan_in_place == Ratio(1, 2)  # the third review did not record it
