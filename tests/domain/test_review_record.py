"""The review record: to_dict/from_dict round-trips, and damaged stored data is refused."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_desktop.domain.codes import PARTICIPATION_CODES
from iro_desktop.domain.review import (
    LOOKED_AFTER_TOPICS,
    PATHWAY_TOPICS,
    Attendance,
    AttendanceEntry,
    CaseOverview,
    ChairRole,
    ChildChoices,
    ChildContact,
    ContactMethod,
    EventKind,
    Invitee,
    InviteeRole,
    Meeting,
    MidPointReview,
    PlanView,
    Preparation,
    Progress,
    Rearrangement,
    Recommendation,
    RecommendationProgress,
    RecommendationStatus,
    Review,
    ReviewEvent,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    StandDown,
    StatusChange,
    Topic,
    TopicNote,
    reached,
    topic_checklist,
)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
opt_dates = st.none() | dates
text = st.text(max_size=12)
ident = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() != "")
opt_bool = st.none() | st.booleans()


def tuples(
    strategy: st.SearchStrategy[Any], max_size: int = 3
) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


invitees = st.builds(
    Invitee,
    key=ident,
    role=st.sampled_from(InviteeRole),
    name=text,
    invited=st.booleans(),
    consultation_sent_on=opt_dates,
    consultation_received_on=opt_dates,
)
preparations = st.builds(
    Preparation,
    invitees=tuples(invitees),
    child_contacts=tuples(
        st.builds(
            ChildContact, on=opt_dates, method=st.sampled_from(ContactMethod), reason_if_none=text
        )
    ),
    child_choices=st.builds(
        ChildChoices,
        venue=text,
        who_comes=tuples(text),
        agenda_items=tuples(text),
        chair=st.none() | st.sampled_from(ChairRole),
    ),
    social_worker_report_received_on=opt_dates,
    care_plan_received_on=opt_dates,
)
meetings = st.builds(
    Meeting,
    on=dates,
    venue=text,
    held=st.booleans(),
    final=st.booleans(),
    separate_reason=st.none() | st.sampled_from(SeparateReason),
    separate_reason_note=text,
    attendance=tuples(
        st.builds(AttendanceEntry, key=ident, attendance=st.sampled_from(Attendance))
    ),
    notes=st.text(max_size=40),
)
recommendations = st.builds(
    Recommendation,
    id=ident,
    action=text,
    owner=text,
    due_on=opt_dates,
    child_wording=text,
    status=st.sampled_from(RecommendationStatus),
    status_on=opt_dates,
    status_note=text,
)
reviews = st.builds(
    Review,
    id=ident,
    child_id=ident,
    due_on=dates,
    planned_on=dates,
    kind=st.sampled_from(ReviewKind),
    sequence=st.none() | st.integers(min_value=1, max_value=40),
    status=st.sampled_from(ReviewStatus),
    chaired_by=text,
    extra=st.booleans(),
    extra_reason=text,
    preparation=preparations,
    meetings=tuples(meetings),
    participation_code=st.none() | st.sampled_from(sorted(PARTICIPATION_CODES)),
    child_chair=st.none() | st.sampled_from(ChairRole),
    topics=tuples(
        st.builds(
            TopicNote,
            topic=st.sampled_from(Topic),
            covered=st.booleans(),
            working_well=text,
            worried_about=text,
            needs_to_happen=text,
        )
    ),
    permanence_plan_agreed=opt_bool,
    permanence_plan_note=text,
    pathway_plan_in_place=opt_bool,
    pathway_plan_note=text,
    plan_view=st.builds(PlanView, view=text, endorsed=opt_bool, endorsed_on=opt_dates),
    recommendations=tuples(recommendations),
    rearrangements=tuples(
        st.builds(
            Rearrangement,
            on=dates,
            from_date=dates,
            to_date=dates,
            reason=text,
            after_stand_down=st.booleans(),
        )
    ),
    stand_downs=tuples(st.builds(StandDown, on=dates, reason=text)),
    history=tuples(
        st.builds(
            StatusChange,
            on=dates,
            from_status=st.sampled_from(ReviewStatus),
            to_status=st.sampled_from(ReviewStatus),
            reason=text,
        )
    ),
)


@settings(max_examples=150, deadline=None)
@given(reviews)
def test_review_round_trips_through_json(review: Review) -> None:
    stored = json.dumps(review.to_dict())
    assert Review.from_dict(json.loads(stored)) == review


@settings(max_examples=60, deadline=None)
@given(
    st.builds(
        MidPointReview,
        id=ident,
        child_id=ident,
        review_id=ident,
        held_on=dates,
        author=text,
        notes=text,
        progress=tuples(
            st.builds(
                RecommendationProgress,
                recommendation_id=ident,
                progress=st.sampled_from(Progress),
                note=text,
            )
        ),
    ),
    st.builds(CaseOverview, id=ident, child_id=ident, written_on=dates, author=text, text=text),
    st.builds(
        ReviewEvent,
        kind=st.sampled_from(EventKind),
        review_id=ident,
        on=dates,
        from_status=st.sampled_from(ReviewStatus),
        to_status=st.sampled_from(ReviewStatus),
        changed=tuples(text),
        summary=text,
        reason=text,
    ),
)
def test_between_review_records_and_events_round_trip(
    midpoint: MidPointReview, overview: CaseOverview, ev: ReviewEvent
) -> None:
    for record in (midpoint, overview, ev):
        assert type(record).from_dict(json.loads(json.dumps(record.to_dict()))) == record


def minimal() -> dict[str, Any]:
    return Review(
        id="r", child_id="c", due_on=date(2024, 3, 1), planned_on=date(2024, 2, 28)
    ).to_dict()


def test_stored_form_is_plain_json_with_a_schema_number() -> None:
    data = minimal()
    assert data["schema"] == 1
    assert data["due_on"] == "2024-03-01"
    assert data["status"] == "planned"
    assert data["meetings"] == []


def test_fields_left_out_take_their_defaults() -> None:
    data = {"id": "r", "child_id": "c", "due_on": "2024-03-01", "planned_on": "2024-02-28"}
    assert Review.from_dict(data).status is ReviewStatus.PLANNED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "blue"}, "fields this version does not know: colour"),
        ({"status": "lost"}, "at status is 'lost', which is not one of: planned"),
        ({"due_on": "31/12/2024"}, "at due_on should be a date \\(YYYY-MM-DD\\)"),
        ({"meetings": [{"on": "2024-02-30"}]}, "at meetings\\[0\\].on should be a date"),
        ({"meetings": [{"venue": "Home"}]}, "missing meetings\\[0\\].on"),
        ({"extra": "yes"}, "at extra should be true or false"),
        ({"sequence": True}, "at sequence should be a whole number"),
        ({"schema": 99}, "stored in format 99"),
        ({"participation_code": "PN8"}, "'PN8' is not a valid participation code"),
        ({"meetings": "none"}, "at meetings should be a list"),
    ],
)
def test_damaged_stored_records_are_refused_with_the_field_named(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Review.from_dict({**minimal(), **change})


def test_a_stored_review_that_is_not_a_record_is_refused() -> None:
    with pytest.raises(ValueError, match="set of named fields, not list"):
        Review.from_dict([1, 2])


def test_constructors_refuse_what_can_never_be_right() -> None:
    with pytest.raises(ValueError, match="A review's id cannot be blank"):
        Review(id=" ", child_id="c", due_on=date(2024, 3, 1), planned_on=date(2024, 3, 1))
    with pytest.raises(ValueError, match="starts at 1, not 0"):
        Review(
            id="r", child_id="c", due_on=date(2024, 3, 1), planned_on=date(2024, 3, 1), sequence=0
        )
    with pytest.raises(ValueError, match="recommendation's id cannot be blank"):
        Recommendation(id="")
    r = Review(
        id="r",
        child_id="c",
        due_on=date(2024, 3, 1),
        planned_on=date(2024, 3, 1),
        participation_code=" pn6 ",
    )
    assert r.participation_code == "PN6"


def test_topic_checklists() -> None:
    assert Topic.STAYING_PUT in PATHWAY_TOPICS and Topic.PERSONAL_ADVISER in PATHWAY_TOPICS
    assert len(PATHWAY_TOPICS) == 7 and len(LOOKED_AFTER_TOPICS) == 13
    assert Topic.PATHWAY_PLAN not in topic_checklist(ReviewKind.LOOKED_AFTER, 15)
    assert Topic.PATHWAY_PLAN in topic_checklist(ReviewKind.LOOKED_AFTER, 16)
    assert topic_checklist(ReviewKind.PATHWAY_PLAN, 19) == PATHWAY_TOPICS


def test_status_values_and_order() -> None:
    assert [s.value for s in ReviewStatus] == [
        "planned",
        "preparing",
        "held",
        "completed",
        "recommendations_issued",
        "letter_drafted",
        "submitted",
        "approved",
        "issued",
        "stood_down",
    ]
    assert reached(ReviewStatus.APPROVED, ReviewStatus.SUBMITTED)
    assert not reached(ReviewStatus.HELD, ReviewStatus.COMPLETED)
    assert not reached(ReviewStatus.STOOD_DOWN, ReviewStatus.PLANNED)
