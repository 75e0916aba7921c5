"""Drafting, editing, submitting and printing the letter to the child, on a real caseload."""

from __future__ import annotations

from dataclasses import replace

import pytest

from iro_desktop.domain.plain_language import AdviceKind, AgeBand
from iro_desktop.domain.review import ChangeRefused, ReviewStatus
from iro_desktop.services import caseload, letters
from iro_desktop.services import reviews as review_service
from iro_desktop.services.letter_facts import NO_MEETINGS
from iro_desktop.services.letters import DRAFT_MARK, LetterChanged, LetterStatus
from tests.services import letters_kit as kit


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


@pytest.fixture
def review_id(iro) -> str:  # type: ignore[no-untyped-def]
    return kit.completed_review(iro, kit.make_child(iro))


def test_the_draft_is_written_from_the_record(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text
    assert text.startswith("# A letter for Amira about your review")
    assert "Dear Amira," in text
    assert "Your review was on Tuesday 27 October 2026." in text
    came, views = text.split("could not come")
    assert "Sam Puddleby" in came and "Jo Fernhallow" in came  # attended
    assert "Mr Lime" in views and "Dana" not in text  # sent views / apologies left out
    assert "- You have made two good friends at school." in text
    assert "- You find it hard to get to sleep." in text
    assert "- Jo will talk to your doctor about sleep." in text  # what needs to happen
    assert "keep living with Jo" not in text  # the IRO's view of the plan is not a decision
    assert kit.SWIMMING in text
    # Second review within 3 months of the first (27 October 2026).
    assert "on or before Wednesday 27 January 2027" in text
    assert "0161 496 0123" in text and "ada.example@council.example" in text
    assert "NYAS" in text and "complain" in text
    assert opened.letter.version == 1 and opened.letter.status is LetterStatus.DRAFT
    assert opened.letter.age_band is AgeBand.AGE_8_TO_12  # 11 on the review date
    assert opened.review_status is ReviewStatus.LETTER_DRAFTED
    trail = caseload.audit_trail(iro, opened.letter.id)
    assert any(e["action"] == "create" and "drafted" in e["detail"] for e in trail)


def test_the_pdf_has_the_name_each_child_wording_and_the_next_review_and_says_draft(
    iro, review_id, tmp_path
):
    letters.start_letter(iro, review_id)
    done = letters.render_letter_pdf(iro, review_id, tmp_path / "letter.pdf")
    text = kit.pdf_text(done.path)
    assert "Dear Amira," in text
    assert kit.SWIMMING in text
    assert "Jo Fernhallow will book a dental check-up by" in text  # no wording: who/what/when
    assert "27 January 2027" in text
    assert DRAFT_MARK in text
    assert not done.approved and done.version == 1
    assert "unapproved draft" in done.words


def test_a_pdf_can_be_printed_before_any_version_is_saved(iro, review_id, tmp_path):
    done = letters.render_letter_pdf(iro, review_id, tmp_path / "preview.pdf")
    assert done.version is None and not done.approved
    assert DRAFT_MARK in kit.pdf_text(done.path)
    assert letters.list_versions(iro, review_id) == []


def test_a_review_with_no_meetings_has_nothing_to_write_about(iro, tmp_path):
    child_id = kit.make_child(iro)
    planned = review_service.plan_next_review(iro, child_id, planned_on=kit.MEETING_ON)
    with pytest.raises(ChangeRefused, match="no meetings yet"):
        letters.start_letter(iro, planned.review.id)
    with pytest.raises(ChangeRefused) as refused:
        letters.render_letter_pdf(iro, planned.review.id, tmp_path / "x.pdf")
    assert str(refused.value) == NO_MEETINGS
    assert not (tmp_path / "x.pdf").exists()


def test_no_preferred_name_uses_the_first_legal_name_with_a_note(iro):
    child_id = kit.make_child(iro, first="Bethany", last="Puddleby", preferred="")
    review_id = kit.completed_review(iro, child_id, child_name="Bethany Puddleby")
    opened = letters.start_letter(iro, review_id)
    assert "Dear Bethany," in opened.letter.text
    notes = {n.kind: n.message for n in opened.notes}
    assert "Bethany Puddleby" in notes["preferred_name_missing"]


def test_a_recommendation_without_words_for_the_child_gets_a_first_go_and_a_note(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    notes = [n for n in opened.notes if n.kind == "child_wording_missing"]
    assert len(notes) == 1 and kit.DENTIST_ACTION in notes[0].message
    assert "Jo Fernhallow will book a dental check-up by" in opened.letter.text
    # The notes come back when the letter is opened again later.
    again = letters.open_letter(iro, review_id)
    assert again is not None
    assert any(n.kind == "child_wording_missing" for n in again.notes)


def test_a_uasc_childs_name_in_ethiopic_letters_prints_in_the_letter_and_the_record(iro, tmp_path):
    child_id = kit.make_child(iro, first="ዳዊት", last="Tesfay-Demo", preferred="ዳዊት", uasc=True)
    review_id = kit.completed_review(iro, child_id, child_name="ዳዊት Tesfay-Demo")
    letters.start_letter(iro, review_id)
    letter = kit.pdf_text(letters.render_letter_pdf(iro, review_id, tmp_path / "l.pdf").path)
    record = kit.pdf_text(letters.render_record_pdf(iro, review_id, tmp_path / "r.pdf").path)
    assert "Dear ዳዊት," in letter
    assert "ዳዊት Tesfay-Demo" in record


def test_very_long_notes_flow_over_pages_in_both_documents(iro, tmp_path):
    words = " ".join(f"word{i}" for i in range(2500))
    child_id = kit.make_child(iro)
    review_id = kit.completed_review(
        iro, child_id, notes=words + " final-meeting-note", going_well=words + " last-good-thing"
    )
    letters.start_letter(iro, review_id)
    letter = letters.render_letter_pdf(iro, review_id, tmp_path / "l.pdf")
    record = letters.render_record_pdf(iro, review_id, tmp_path / "r.pdf")
    assert letter.pages > 2 and record.pages > 2
    assert "last-good-thing" in kit.pdf_text(letter.path)
    assert "final-meeting-note" in kit.pdf_text(record.path)


def test_a_recommendation_with_no_owner_is_named_in_the_refusal(iro):
    review_id = kit.completed_review(iro, kit.make_child(iro), second_owner="")
    with pytest.raises(ValueError, match=f"'{kit.DENTIST_ACTION}' has no owner"):
        letters.start_letter(iro, review_id)


def test_the_letter_needs_a_way_for_the_child_to_reach_the_iro(session):
    review_id = kit.completed_review(session, kit.make_child(session))
    with pytest.raises(ValueError, match="phone number or an email address"):
        letters.start_letter(session, review_id)
    kit.ready(session)
    assert letters.start_letter(session, review_id).letter.version == 1


def test_only_one_first_draft_per_review(iro, review_id):
    letters.start_letter(iro, review_id)
    with pytest.raises(ChangeRefused, match="already has a letter"):
        letters.start_letter(iro, review_id)


def test_a_simpler_age_band_can_be_chosen(iro, review_id):
    opened = letters.start_letter(iro, review_id, age_band=AgeBand.UNDER_8)
    assert opened.letter.age_band is AgeBand.UNDER_8
    assert opened.plain_language.age_band is AgeBand.UNDER_8


# --- editing --------------------------------------------------------------------------------


def test_edits_are_saved_even_when_half_written_and_the_problem_is_reported(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    half = "Dear Amira,\nI am still writing this"
    saved = letters.save_text(iro, opened.letter.id, half, expected_edit=opened.letter.edit)
    assert "title" in saved.problem
    again = letters.get_letter(iro, opened.letter.id)
    assert again.letter.text == half and again.problem == saved.problem
    with pytest.raises(ChangeRefused, match="cannot be submitted yet"):
        letters.submit(iro, opened.letter.id)
    fixed = opened.letter.text.replace("Take care.", "Take care, and keep swimming.")
    saved = letters.save_text(iro, opened.letter.id, fixed, expected_edit=saved.edit)
    assert saved.problem == ""
    assert letters.get_letter(iro, opened.letter.id).letter.content_hash == saved.content_hash


def test_a_save_from_an_out_of_date_editor_is_refused_not_lost_silently(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    letters.save_text(iro, opened.letter.id, opened.letter.text + "\nOne.", expected_edit=1)
    with pytest.raises(LetterChanged, match="changed elsewhere"):
        letters.save_text(iro, opened.letter.id, opened.letter.text + "\nTwo.", expected_edit=1)
    assert letters.get_letter(iro, opened.letter.id).letter.text.endswith("One.")


def test_autosaves_are_audited_once_not_every_keystroke(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    for i in range(5):
        letters.save_text(iro, opened.letter.id, opened.letter.text + f"\nP.S. {i}")
    trail = caseload.audit_trail(iro, opened.letter.id)
    assert sum(1 for e in trail if e["detail"].startswith("text saved")) == 1


def test_plain_language_help_flags_jargon_for_the_childs_age(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    report = letters.check_plain_language(
        "Your LAC review agreed your placement and contact arrangements.", opened.letter.age_band
    )
    flagged = {
        report_text for a in report.of_kind(AdviceKind.JARGON) for report_text in [a.message]
    }
    assert any("LAC" in m for m in flagged) and any("placement" in m for m in flagged)
    assert opened.plain_language.reading_ease is not None
    assert opened.plain_language.meets_target  # the phrase bank's own draft reads easily


def test_redraft_rewrites_from_the_record(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    letters.save_text(iro, opened.letter.id, "# Scribble\n\nDear Amira,\n\nHello.\n")
    again = letters.redraft(iro, opened.letter.id)
    assert again.letter.text == opened.letter.text


# --- submitting -----------------------------------------------------------------------------


def test_submitting_sends_it_for_sign_off_and_locks_the_text(iro, review_id):
    opened = letters.start_letter(iro, review_id)
    version = letters.submit(iro, opened.letter.id)
    assert version.status is LetterStatus.SUBMITTED and version.submitted_by == "ada"
    assert letters.open_letter(iro, review_id).review_status is ReviewStatus.SUBMITTED  # type: ignore[union-attr]
    with pytest.raises(ChangeRefused, match="with a manager"):
        letters.save_text(iro, version.id, "# Changed\n\nDear Amira,\n\nHi.\n")
    # The record the manager reads cannot change under them either.
    review = review_service.get_review(iro, review_id).review
    edited = replace(review, plan_view=replace(review.plan_view, view="Something else."))
    refused = review_service.save_draft(iro, edited)
    assert not refused.saved and "sign-off" in refused.refused


def test_a_letter_cannot_go_for_sign_off_before_the_recommendations_are_issued(iro):
    review_id = kit.completed_review(iro, kit.make_child(iro), recs_issued_on=None)
    opened = letters.start_letter(iro, review_id)
    assert opened.review_status is ReviewStatus.COMPLETED
    with pytest.raises(ChangeRefused, match="recommendations were issued"):
        letters.submit(iro, opened.letter.id)
    review_service.issue_recommendations(iro, review_id, on=kit.RECS_ISSUED_ON)
    assert letters.submit(iro, opened.letter.id).status is LetterStatus.SUBMITTED


def test_submit_review_letter_drafts_first_when_there_is_no_letter(iro, review_id):
    version = letters.submit_review_letter(iro, review_id)
    assert version.version == 1 and version.status is LetterStatus.SUBMITTED


def test_the_record_pdf_is_a_draft_until_a_letter_is_approved(iro, review_id, tmp_path):
    done = letters.render_record_pdf(iro, review_id, tmp_path / "record.pdf")
    text = kit.pdf_text(done.path)
    assert not done.approved
    assert "Amira Quillfeather" in text and "Not yet approved by a manager" in text
    assert "Social worker to arrange swimming lessons" in text
