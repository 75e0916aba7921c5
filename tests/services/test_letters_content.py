"""The letter read as the child would read it: written to them, their own words, last time's
agreements, each decision once as who/what/by when, their language, their age; and a care
leaver's pathway letter from draft to issue. Real caseload, real services."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChildContact,
    ChildView,
    ContactMethod,
    Invitee,
    InviteeRole,
    Meeting,
    PlanView,
    Preparation,
    Recommendation,
    ReviewKind,
    ReviewStatus,
    Topic,
    TopicNote,
    ViewSource,
)
from iro_desktop.services import caseload, letters, signoff
from iro_desktop.services import reviews as review_service
from iro_desktop.services.letters import LetterStatus, ThirdPersonLeft
from tests.services import letters_kit as kit

MEETING_ON = kit.MEETING_ON  # Tuesday 27 October 2026


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


def add_child(
    session,  # type: ignore[no-untyped-def]
    *,
    first: str = "Tom",
    dob: date = date(2012, 6, 1),
    sex: str = "M",
    language: str = "",
    interpreter: bool = False,
    care_leaver: bool = False,
    period_start: date = date(2024, 1, 2),
    period_end: date | None = None,
) -> str:
    child = Child(
        id=str(uuid.uuid4()),
        la_child_id=f"T-{uuid.uuid4().hex[:8]}",
        legal_first_name=first,
        legal_last_name="Pebblewick",
        preferred_name=first,
        date_of_birth=dob,
        sex=sex,
        first_language=language,
        interpreter_needed=interpreter,
        care_leaver=care_leaver,
        allocated_iro="Ada Example",
        periods=(
            PeriodOfCare(
                start=period_start,
                end=period_end,
                episodes=(
                    Episode(
                        start=period_start,
                        legal_status="C2",
                        placement_type="U4",
                        end=period_end,
                        reason_ended="E8" if period_end else "",
                    ),
                ),
            ),
        ),
    )
    return caseload.save_child(session, child).id


def held_review(
    session,  # type: ignore[no-untyped-def]
    child_id: str,
    *,
    on: date = MEETING_ON,
    kind: ReviewKind | None = None,
    name: str = "Tom Pebblewick",
    topics: tuple[TopicNote, ...] = (),
    recs: tuple[Recommendation, ...] = (),
    views: tuple[ChildView, ...] = (),
    views_sought: str = "",
    child_came: bool = True,
    contacts: tuple[ChildContact, ...] = (),
    plan_view: str = "",
    pn: str | None = "PN1",
) -> str:
    """A review held on `on`, completed, with its recommendations issued two days later."""
    planned = review_service.plan_next_review(session, child_id, planned_on=on, kind=kind)
    review = planned.review
    came = Attendance.ATTENDED if child_came else Attendance.APOLOGIES
    draft = replace(
        review,
        preparation=Preparation(
            invitees=(
                Invitee(key="child", role=InviteeRole.CHILD, name=name),
                Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER, name="Sam Puddleby"),
                Invitee(key="carer", role=InviteeRole.CARER, name="Jo Fernhallow"),
            ),
            child_contacts=contacts,
            social_worker_report_received_on=on,
        ),
        meetings=(
            Meeting(
                on=on,
                venue="Foster home",
                attendance=(
                    AttendanceEntry(key="child", attendance=came),
                    AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
                    AttendanceEntry(key="carer", attendance=Attendance.ATTENDED),
                ),
            ),
        ),
        participation_code=pn if review.kind is ReviewKind.LOOKED_AFTER else None,
        topics=topics,
        plan_view=PlanView(view=plan_view, endorsed=True, endorsed_on=on),
        child_views=views,
        views_sought=views_sought,
        recommendations=recs,
    )
    saved = review_service.save_draft(session, draft)
    assert saved.saved, saved.refused
    review_service.complete(session, review.id, on=on)
    review_service.issue_recommendations(session, review.id, on=on + timedelta(days=2))
    return review.id


def rec(rec_id: str, action: str, owner: str, due: date, wording: str = "") -> Recommendation:
    return Recommendation(id=rec_id, action=action, owner=owner, due_on=due, child_wording=wording)


def bullets(text: str, heading: str) -> list[str]:
    """The list items of one section of the letter's text."""
    part = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in part.splitlines() if line.startswith("- ")]


THIRD_PERSON = (
    TopicNote(
        topic=Topic.PLACEMENT_STABILITY,
        covered=True,
        working_well="Good relationship with their carer",
        worried_about="He has missed two eye test appointments",
        needs_to_happen="Carer to book the dentist",
    ),
    TopicNote(
        topic=Topic.HEALTH,
        covered=True,
        working_well="Sees their brother every fortnight\nGood relationship with their carer",
        worried_about="Tom has not been to the dentist this year",
        needs_to_happen="Carer to book the dentist",
    ),
    TopicNote(
        topic=Topic.EDUCATION,
        covered=True,
        working_well="Going to school every day",
        needs_to_happen="Carer to book the dentist",
    ),
)
DENTIST = rec("R1", "Carer to book the dentist", "Jo Fernhallow", date(2026, 11, 20))


def test_notes_about_the_child_are_written_to_them_and_nothing_is_said_twice(iro):
    child_id = add_child(iro)
    review_id = held_review(
        iro,
        child_id,
        topics=THIRD_PERSON,
        recs=(DENTIST, replace(DENTIST, id="R2"), replace(DENTIST, id="R3")),
        plan_view="The plan does not yet say where the child will grow up.",
    )
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text
    assert "- You have a good relationship with your carer." in text
    assert "- You have missed two eye test appointments." in text
    assert "- You see your brother every fortnight." in text
    assert "- You are going to school every day." in text
    assert "- You have not been to the dentist this year." in text
    for about in ("their carer", "the child", " He ", "Tom has"):
        assert about not in text
    # The IRO's view of the plan is the record's, not a decision told to the child.
    assert "grow up" not in text
    decided = bullets(text, "What we decided")
    assert len([d for d in decided if "dentist" in d]) == 1, decided
    assert decided == ["Your carer Jo Fernhallow will book the dentist by Friday 20 November 2026."]
    items = re.findall(r"^- (.*)$", text, re.MULTILINE)
    assert len(items) == len(set(items))  # no item twice, anywhere in the letter
    assert opened.third_person == ()


def test_a_sentence_still_about_the_child_is_flagged_and_submitting_asks_first(iro):
    review_id = held_review(iro, add_child(iro), recs=(DENTIST,))
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text.replace(
        "## Your next review",
        "Tom has missed his appointment at the eye clinic.\n\n## Your next review",
    )
    letters.save_text(iro, opened.letter.id, text)
    again = letters.open_letter(iro, review_id)
    assert again is not None
    (flag,) = again.third_person
    assert flag.sentence == "Tom has missed his appointment at the eye clinic."
    assert again.letter.text[flag.start : flag.end] == flag.sentence
    assert any(n.kind == "third_person" and "Tom" in n.message for n in again.notes)

    with pytest.raises(ThirdPersonLeft, match="Tom has missed his appointment") as refused:
        letters.submit(iro, opened.letter.id)
    assert refused.value.flags == again.third_person
    assert letters.list_versions(iro, review_id)[0].status is LetterStatus.DRAFT

    # Fixed: it goes without asking.
    fixed = text.replace("Tom has missed his appointment", "You have missed your appointment")
    letters.save_text(iro, opened.letter.id, fixed)
    assert letters.submit(iro, opened.letter.id).status is LetterStatus.SUBMITTED


def test_the_iro_can_submit_a_flagged_sentence_they_have_checked_and_the_manager_is_told(iro):
    review_id = held_review(iro, add_child(iro), recs=(DENTIST,))
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text.replace(
        "## Your next review", "Your sister Amy said she misses you.\n\n## Your next review"
    )
    text = text.replace("## Your next review", "They said it is fine.\n\n## Your next review")
    letters.save_text(iro, opened.letter.id, text)
    with pytest.raises(ThirdPersonLeft):
        letters.submit(iro, opened.letter.id)
    done = letters.submit(iro, opened.letter.id, third_person_checked=True)
    assert done.status is LetterStatus.SUBMITTED
    (submitted,) = [c for c in done.comments if c.action == "submitted"]
    assert "1 sentence the program read as third person left as written" in submitted.text
    trail = [e["detail"] for e in caseload.audit_trail(iro, done.id)]
    assert any("left as written" in d for d in trail)


def test_what_you_told_me_quotes_the_child_and_says_how(iro):
    review_id = held_review(
        iro,
        add_child(iro),
        recs=(DENTIST,),
        views=(
            ChildView(words="I want to see my brother more.", source=ViewSource.MIND_OF_MY_OWN),
            ChildView(words="I like my school.", source=ViewSource.IN_MEETING),
            ChildView(words="I want to see my brother more.", source=ViewSource.TO_IRO),
        ),
    )
    text = letters.start_letter(iro, review_id).letter.text
    said = bullets(text, "What you told me")
    assert said == [
        "“I want to see my brother more.” You told me this on Mind of My Own.",
        "“I like my school.” You said this at the meeting.",
    ]


def test_a_child_who_did_not_take_part_is_told_how_they_were_asked_and_can_still_be_heard(iro):
    review_id = held_review(
        iro,
        add_child(iro),
        recs=(DENTIST,),
        child_came=False,
        pn="PN5",
        contacts=(ChildContact(on=MEETING_ON - timedelta(days=7), method=ContactMethod.PHONE),),
    )
    text = letters.start_letter(iro, review_id).letter.text
    told = text.split("## What you told me\n", 1)[1].split("\n## ", 1)[0]
    assert "I rang you before the review to ask what you think." in told
    assert "You can still tell me what you think at any time" in told


def test_last_times_agreements_are_told_with_what_happened(iro):
    child_id = add_child(iro)
    first = held_review(
        iro,
        child_id,
        on=date(2026, 4, 14),
        recs=(
            rec("R1", "Carer to book the dentist", "Jo Fernhallow", date(2026, 5, 29),
                "Jo will book you a check-up at the dentist."),
            rec("R2", "Social worker to arrange a football club", "Sam Puddleby",
                date(2026, 5, 29), "Sam will find you a football club."),
            rec("R3", "Social worker to refer to the IV scheme", "Sam Puddleby",
                date(2026, 6, 30), "Sam will ask about an independent visitor for you."),
        ),
    )  # fmt: skip
    review_service.mark_recommendation_done(iro, first, "R1", on=date(2026, 5, 20))
    review_service.drop_recommendation(
        iro, first, "R2", "you chose swimming instead", on=date(2026, 6, 1)
    )
    second = held_review(iro, child_id, recs=(DENTIST,))
    text = letters.start_letter(iro, second).letter.text
    assert bullets(text, "What we agreed last time, and what happened") == [
        "Jo will book you a check-up at the dentist. This was done on 20 May 2026.",
        "Sam will find you a football club. This changed: you chose swimming instead.",
        "Sam will ask about an independent visitor for you. This has not happened yet.",
    ]
    first_text = letters.start_letter(iro, first).letter.text
    assert "This was your first review" in first_text


def test_a_recorded_language_is_said_at_the_top_and_the_iro_is_reminded(iro):
    child_id = add_child(iro, language="Bengali", interpreter=True)
    opened = letters.start_letter(iro, held_review(iro, child_id, recs=(DENTIST,)))
    opening = opened.letter.text.split("\n\n")[2]  # after the title and the greeting
    assert "Bengali" in opening and "interpreter" in opening
    (note,) = [n for n in opened.notes if n.kind == "language"]
    assert "Bengali" in note.message and "read to them or translated" in note.message
    english = letters.start_letter(iro, held_review(iro, add_child(iro), recs=(DENTIST,)))
    assert "interpreter" not in english.letter.text
    assert not [n for n in english.notes if n.kind == "language"]


def test_a_due_date_on_a_weekend_is_told_as_the_working_day_before(iro):
    saturday = date(2026, 11, 21)
    review_id = held_review(iro, add_child(iro), recs=(replace(DENTIST, due_on=saturday),))
    opened = letters.start_letter(iro, review_id)
    (line,) = bullets(opened.letter.text, "What we decided")
    assert line.endswith("by Friday 20 November 2026.")
    assert any(n.kind == "due_not_working_day" for n in opened.notes)


def test_the_complaints_route_is_the_profiles_own_council(iro):
    text = letters.start_letter(iro, held_review(iro, add_child(iro), recs=(DENTIST,))).letter.text
    assert "Manchester City Council" in text and "www.manchester.gov.uk" in text
    assert "complaints team at your council" not in text


def test_a_young_childs_letter_is_shorter_with_the_same_record(iro):
    many = tuple(
        TopicNote(
            topic=t,
            covered=True,
            working_well=f"Enjoys thing number {i}",
            worried_about=f"Worried about thing number {i}",
        )
        for i, t in enumerate((Topic.HEALTH, Topic.EDUCATION, Topic.IDENTITY, Topic.FAMILY_TIME,
                               Topic.EMOTIONAL_WELLBEING, Topic.PLACEMENT_STABILITY,
                               Topic.COMMUNICATION_NEEDS))
    )  # fmt: skip
    young = add_child(iro, first="Pip", dob=date(2020, 3, 3))
    teen = add_child(iro, first="Tom", dob=date(2012, 6, 1))
    small = letters.start_letter(
        iro, held_review(iro, young, name="Pip Pebblewick", topics=many, recs=(DENTIST,), pn="PN1")
    )
    big = letters.start_letter(iro, held_review(iro, teen, topics=many, recs=(DENTIST,)))
    assert len(bullets(small.letter.text, "Good things")) == 3
    assert len(bullets(big.letter.text, "What is going well")) == 6
    assert len(small.letter.text.split()) < len(big.letter.text.split())
    assert any(n.kind == "shortened" for n in small.notes)


# --- a care leaver's pathway plan letter, from draft to issue ------------------------------------


def test_a_pathway_plan_letter_is_drafted_submitted_signed_off_and_issued(iro, tmp_path):
    child_id = add_child(
        iro,
        first="Kemi",
        sex="F",
        dob=date(2007, 6, 1),
        care_leaver=True,
        period_start=date(2023, 1, 10),
        period_end=date(2025, 6, 1),
    )
    review_id = held_review(
        iro,
        child_id,
        kind=ReviewKind.PATHWAY_PLAN,
        name="Kemi Pebblewick",
        topics=(
            TopicNote(
                topic=Topic.ACCOMMODATION,
                covered=True,
                working_well="Settled in the flat",
                worried_about="Rent arrears building up",
                needs_to_happen="PA to help set up a payment plan",
            ),
        ),
        recs=(
            rec("R1", "PA to help Kemi set up a payment plan", "Sam Puddleby", date(2026, 11, 27)),
        ),  # fmt: skip
        views=(ChildView(words="I want help with my money.", source=ViewSource.IN_MEETING),),
    )
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text
    assert text.startswith("# Your pathway plan review")  # written to a young adult
    assert "- You are settled in the flat." in text
    assert "“I want help with my money.”" in text
    assert opened.third_person == ()
    version = letters.submit(iro, opened.letter.id)
    manager = kit.manager_login(iro)
    approved = signoff.approve(manager, version.id)
    issued = letters.issue(iro, approved.id, sent_to=[letters.Recipient("Kemi", "hand")])
    assert issued.status is LetterStatus.ISSUED
    assert letters.open_letter(iro, review_id).review_status is ReviewStatus.ISSUED  # type: ignore[union-attr]
    record = letters.render_record_pdf(iro, review_id, tmp_path / "record.pdf")
    assert record.approved
    words = kit.pdf_text(record.path)
    assert "pathway plan reviews are not in the DfE return" in words
    letter = letters.render_letter_pdf(iro, review_id, tmp_path / "letter.pdf")
    assert letter.approved and "Dear Kemi," in kit.pdf_text(letter.path)
