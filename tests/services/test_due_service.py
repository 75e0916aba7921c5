"""The dashboard and calendar from the store: same rules as the caseload list, lean, robust."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import text

from iro_desktop.domain.due import DueKind
from iro_desktop.domain.review import Meeting, SeparateReason
from iro_desktop.services import caseload, due
from iro_desktop.services import reviews as svc
from tests.services.review_helpers import add_child, held_review, meeting


def _review_rows(board: due.Dashboard) -> dict[str, date]:
    return {
        i.child_id: i.due_date
        for i in board.items
        if i.kind in (DueKind.REVIEW_DUE, DueKind.PATHWAY_REVIEW_DUE)
    }


def test_the_caseload_list_and_the_dashboard_agree_on_every_review_date(demo_session):
    board = due.dashboard(demo_session)
    assert board.children == 30
    assert board.problems == ()
    assert board.summary == "30 children: below the 50-70 guidance"
    dashboard_dates = _review_rows(board)
    for row in caseload.caseload(demo_session):
        assert row.next_review_due == dashboard_dates.get(row.id), row.name
    urgency = [i.urgency for i in board.items]
    assert urgency == sorted(urgency)


def test_this_week_is_inside_the_next_four_weeks(demo_session):
    week = due.this_week(demo_session)
    month = due.next_4_weeks(demo_session)
    today = demo_session.clock.today()
    assert {(i.child_id, i.kind) for i in week} <= {(i.child_id, i.kind) for i in month}
    assert all(i.due_date <= date.fromordinal(today.toordinal() + 7) for i in week)
    assert any(i.overdue for i in month)


def test_an_iro_sees_only_their_children(demo_session):
    board = due.dashboard(demo_session, iro="Ada Example")
    assert board.children == 30
    assert due.dashboard(demo_session, iro="Someone Else").items == ()
    assert due.caseload_summary(demo_session, iro="Someone Else").startswith("0 children")
    assert due.caseload_sizes(demo_session) == [
        ("Ada Example", 30, "30 children: below the 50-70 guidance")
    ]


def test_an_open_series_is_on_the_dashboard_with_its_meetings_so_far(session):
    child = add_child(session, first="Sam", period_start=date(2026, 3, 2))
    held_review(session, child, date(2026, 3, 26))
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 6, 20))
    svc.hold_first_meeting(session, planned.review.id, meeting(date(2026, 6, 20)))
    svc.add_meeting(
        session,
        planned.review.id,
        meeting(date(2026, 7, 1), separate_reason=SeparateReason.UNAVOIDABLE_DELAY),
    )
    items = {i.kind: i for i in due.dashboard(session).items}
    series = items[DueKind.SERIES_OPEN]
    assert series.status == "Series open for 156 days (2 meetings so far)"
    # Held (for timeliness) at its first meeting: the next review is 6 months after it.
    assert items[DueKind.REVIEW_DUE].due_date == date(2026, 12, 20)
    row = caseload.caseload(session)[0]
    assert row.next_review_due == date(2026, 12, 20)
    assert "series open for 156 days" in row.status


def test_a_stood_down_review_keeps_its_date_and_says_so_in_the_list(session):
    child = add_child(session, period_start=date(2026, 11, 2))
    planned = svc.plan_next_review(session, child.id)
    svc.stand_down(session, planned.review.id, "Care plan not ready")
    row = caseload.caseload(session)[0]
    assert row.next_review_due == planned.review.due_on
    assert row.status == "Due in 5 working days (stood down, to be rearranged)"


def test_recording_overdue_after_a_completed_review(session):
    child = add_child(session, period_start=date(2026, 3, 2))
    held_review(session, child, date(2026, 10, 12))
    kinds = {i.kind for i in due.dashboard(session).items}
    # Manchester: recommendations in 5 working days, the letter in 20.
    assert {DueKind.RECOMMENDATIONS_OVERDUE, DueKind.MINUTES_OVERDUE} <= kinds


def test_one_child_with_impossible_dates_does_not_hide_everyone_else(session):
    good = add_child(session, first="Good")
    bad = add_child(session, first="Broken", period_start=date(2026, 3, 2))
    review = held_review(session, bad, date(2026, 3, 26))
    with session.unit_of_work() as s:
        s.execute(
            text("UPDATE reviews SET first_meeting_on = '1850-01-01' WHERE id = :id"),
            {"id": review.id},
        )
    board = due.dashboard(session)
    assert [i.child_id for i in board.items if i.kind is DueKind.REVIEW_DUE] == [good.id]
    assert len(board.problems) == 1 and board.problems[0].startswith("Broken Testwood:")
    # The caseload list still shows everyone, and says of the broken child what the dashboard says.
    rows = {r.id: r for r in caseload.caseload(session)}
    assert rows[good.id].next_review_due is not None
    assert rows[bad.id].next_review_due is None
    assert rows[bad.id].status.startswith("Dates need checking:")


def test_the_calendar_has_due_dates_and_booked_meetings(session, tmp_path):
    child = add_child(session, period_start=date(2026, 11, 2))
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 11, 27))
    events = due.calendar_events(session)
    summaries = [e.summary for e in events]
    assert "Review due: Poppy Testwood" in summaries
    assert "Review meeting: Poppy Testwood" in summaries
    booked = next(e for e in events if e.summary.startswith("Review meeting"))
    assert booked.date == date(2026, 11, 27)
    assert len({e.uid for e in events}) == len(events)
    out = tmp_path / "due.ics"
    assert due.export_ics(session, out) == len(events)
    body = out.read_bytes().decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART;VALUE=DATE:20261127" in body
    assert any(e["action"] == "export" for e in caseload.audit_trail(session, "due"))
    # Moving the meeting moves the entry, which keeps its identity.
    svc.rearrange(session, planned.review.id, date(2026, 11, 26), "Carer's appointment")
    moved = next(e for e in due.calendar_events(session) if e.uid == booked.uid)
    assert moved.date == date(2026, 11, 26)
    assert due.calendar_events(session, within_days=1) == [
        e for e in due.calendar_events(session) if e.date <= date(2026, 11, 24)
    ]


def test_a_care_leaver_is_due_a_pathway_review(session):
    child = add_child(session, dob=date(2007, 6, 1), period_start=date(2023, 1, 2))
    held_review(session, child, date(2025, 5, 20))
    left = replace(
        child,
        care_leaver=True,
        periods=(replace(child.periods[0], end=date(2025, 6, 1), episodes=()),),
    )
    caseload.save_child(session, left)
    items = {i.kind: i for i in due.dashboard(session).items}
    assert DueKind.REVIEW_DUE not in items
    assert items[DueKind.PATHWAY_REVIEW_DUE].due_date == date(2025, 11, 20)
    assert caseload.caseload(session)[0].status.startswith("Care leaver: overdue")


def test_a_placement_visit_before_the_placement_started_does_not_count():
    from iro_desktop.services.due import EpisodeFacts, placement_of

    episodes = [
        EpisodeFacts(date(2025, 1, 1), "U6", "Agency A", "M1 1AA", None),
        EpisodeFacts(date(2025, 7, 1), "U4", "Agency B", "M2 2BB", None),
        # Same placement, new legal status: the placement started on 1 July.
        EpisodeFacts(date(2025, 9, 1), "U4", "Agency B", "M2 2BB", None),
    ]
    # The latest visit (30 June) was in the earlier placement.
    placement = placement_of(episodes, date(2025, 6, 30))
    assert placement is not None
    assert placement.start == date(2025, 7, 1)
    assert placement.last_social_worker_visit is None
    later = placement_of(episodes, date(2025, 7, 3))
    assert later is not None and later.last_social_worker_visit == date(2025, 7, 3)
    assert placement_of([]) is None


def test_a_meeting_arranged_later_does_not_count_as_held(session):
    child = add_child(session, period_start=date(2026, 3, 2))
    held_review(session, child, date(2026, 3, 26))
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 6, 20))
    svc.hold_first_meeting(session, planned.review.id, meeting(date(2026, 6, 20)))
    svc.add_meeting(
        session,
        planned.review.id,
        Meeting(
            on=date(2026, 12, 2),
            held=False,
            separate_reason=SeparateReason.OTHER,
            separate_reason_note="Dad can only come in December",
        ),
    )
    series = next(i for i in due.dashboard(session).items if i.kind is DueKind.SERIES_OPEN)
    assert "(1 meeting so far)" in series.status


def test_a_profile_counting_a_series_from_its_last_meeting_is_followed(
    session, tmp_path, monkeypatch
):
    import shutil

    from iro_desktop.resources import resources_dir

    resources = tmp_path / "resources"
    shutil.copytree(resources_dir() / "profiles", resources / "profiles")
    text = (resources / "profiles" / "manchester.toml").read_text("utf-8")
    text = text.replace('key = "manchester"', 'key = "last_meeting_test"')
    text = text.replace('series_basis = "first_meeting"', 'series_basis = "last_meeting"')
    (resources / "profiles" / "last_meeting_test.toml").write_text(text, "utf-8")
    monkeypatch.setenv("IRO_DESKTOP_RESOURCES", str(resources))
    session.settings.profile = "last_meeting_test"
    assert session.profile.series_basis.value == "last_meeting"

    child = add_child(session, period_start=date(2026, 3, 2))
    held_review(session, child, date(2026, 3, 26))
    planned = svc.plan_next_review(session, child.id, planned_on=date(2026, 6, 20))
    svc.hold_first_meeting(session, planned.review.id, meeting(date(2026, 6, 20)))
    svc.add_meeting(
        session,
        planned.review.id,
        meeting(date(2026, 7, 1), separate_reason=SeparateReason.UNAVOIDABLE_DELAY),
    )
    items = {i.kind: i for i in due.dashboard(session).items}
    # Not yet held for timeliness: the review is still due from the first one (3 months).
    assert items[DueKind.REVIEW_DUE].due_date == date(2026, 6, 26)
    assert "counts as held at its last meeting" in items[DueKind.SERIES_OPEN].status
    opened = svc.get_review(session, planned.review.id)
    assert "last meeting" in opened.basis_note
    svc.complete(session, planned.review.id, on=date(2026, 7, 1))
    line = svc.list_reviews(session, child.id)[-1]
    assert (line.timeliness_date, line.in_timescale) == (date(2026, 7, 1), False)
    assert DueKind.SERIES_OPEN not in {i.kind for i in due.dashboard(session).items}
    assert svc.next_review(session, child.id).due_on == date(2027, 1, 1)
