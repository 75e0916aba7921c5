"""The letter's sign-off rules as a state machine: no database, every step and refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from iro_desktop.domain.letter_signoff import (
    Actor,
    LetterStatus,
    RefusalKind,
    Step,
    VersionFacts,
    review_moves,
    status_after,
    why_not,
)
from iro_desktop.domain.review import ReviewStatus

IRO = Actor("ada", manager=False)
MANAGER = Actor("morgan", manager=True)
OTHER_MANAGER = Actor("mo", manager=True)

DRAFT = VersionFacts(
    version=1,
    status=LetterStatus.DRAFT,
    created_by="ada",
    submitted_by=None,
    stored_hash="abc",
    text_hash="abc",
    edit=3,
    latest_version=1,
)
SUBMITTED = replace(DRAFT, status=LetterStatus.SUBMITTED, submitted_by="ada")
APPROVED = replace(SUBMITTED, status=LetterStatus.APPROVED)
ISSUED = replace(APPROVED, status=LetterStatus.ISSUED, issued_on=date(2026, 11, 20))


def test_the_whole_path_draft_submit_approve_issue_correct():
    status = LetterStatus.DRAFT
    facts = DRAFT
    for step, actor in (
        (Step.EDIT, IRO),
        (Step.SUBMIT, IRO),
        (Step.APPROVE, MANAGER),
        (Step.ISSUE, IRO),
        (Step.LOG_SENDING, IRO),
        (Step.CORRECT, IRO),
    ):
        assert why_not(step, facts, actor, review_status=ReviewStatus.LETTER_DRAFTED) is None
        status = status_after(step, status)
        facts = replace(facts, status=status if step is not Step.CORRECT else facts.status)
    assert status is LetterStatus.DRAFT  # the correction is a new draft


def test_returned_letters_are_edited_and_submitted_again():
    returned = replace(SUBMITTED, status=status_after(Step.RETURN, LetterStatus.SUBMITTED))
    assert returned.status is LetterStatus.RETURNED and returned.status.editable
    assert why_not(Step.EDIT, returned, IRO) is None
    assert why_not(Step.SUBMIT, returned, IRO) is None


@pytest.mark.parametrize("step", [Step.EDIT, Step.SUBMIT])
def test_a_signed_off_version_is_frozen(step):
    for facts in (APPROVED, ISSUED):
        refused = why_not(step, facts, IRO)
        assert refused is not None and refused.kind is RefusalKind.FROZEN
        assert "correction is made as a new version" in refused.message


def test_a_letter_with_a_manager_cannot_be_changed_until_returned():
    refused = why_not(Step.EDIT, SUBMITTED, IRO)
    assert refused is not None and refused.kind is RefusalKind.NOT_NOW
    assert "ask for it to be returned first" in refused.message


@pytest.mark.parametrize("step", [Step.COMMENT, Step.RETURN, Step.APPROVE])
def test_only_a_manager_decides(step):
    refused = why_not(step, SUBMITTED, IRO)
    assert refused is not None and "Only a manager can" in refused.message


@pytest.mark.parametrize("step", [Step.RETURN, Step.APPROVE])
def test_a_manager_never_signs_off_their_own_letter(step):
    own = replace(SUBMITTED, created_by="morgan", submitted_by="morgan")
    refused = why_not(step, own, MANAGER)
    assert refused is not None and "another manager must" in refused.message
    assert why_not(step, own, OTHER_MANAGER) is None
    assert why_not(Step.COMMENT, own, MANAGER) is None  # a comment is not a decision


def test_approval_is_of_exactly_the_text_read():
    assert why_not(Step.APPROVE, SUBMITTED, MANAGER, expected_hash="abc") is None
    read_other = why_not(Step.APPROVE, SUBMITTED, MANAGER, expected_hash="zzz")
    assert read_other is not None and read_other.kind is RefusalKind.CHANGED
    altered = why_not(Step.APPROVE, replace(SUBMITTED, text_hash="tampered"), MANAGER)
    assert altered is not None and altered.kind is RefusalKind.CHANGED
    moved = why_not(Step.APPROVE, SUBMITTED, MANAGER, expected_edit=2)
    assert moved is not None and moved.kind is RefusalKind.CHANGED


def test_a_decision_taken_elsewhere_skips_who_but_not_what():
    assert why_not(Step.APPROVE, SUBMITTED, None, expected_hash="abc") is None
    assert why_not(Step.RETURN, APPROVED, None) is not None


def test_submitting_needs_a_ready_review_and_no_other_version_waiting():
    refused = why_not(Step.SUBMIT, DRAFT, IRO, review_status=ReviewStatus.HELD)
    assert refused is not None and "complete the review" in refused.message
    refused = why_not(Step.SUBMIT, DRAFT, IRO, review_status=ReviewStatus.COMPLETED)
    assert refused is not None and "recommendations were issued" in refused.message
    waiting = why_not(Step.SUBMIT, replace(DRAFT, other_waiting=2), IRO)
    assert waiting is not None and "Version 2" in waiting.message
    moved = why_not(Step.SUBMIT, DRAFT, IRO, expected_edit=1)
    assert moved is not None and moved.kind is RefusalKind.CHANGED


def test_issuing_only_the_latest_approved_version_once():
    assert why_not(Step.ISSUE, SUBMITTED, IRO) is not None
    replaced = why_not(Step.ISSUE, replace(APPROVED, latest_version=2), IRO)
    assert replaced is not None and "replaced by version 2" in replaced.message
    again = why_not(Step.ISSUE, ISSUED, IRO)
    assert again is not None and "Friday 20 November 2026" in again.message
    assert why_not(Step.LOG_SENDING, APPROVED, IRO) is not None


def test_corrections_are_of_the_latest_signed_off_version_only():
    assert why_not(Step.CORRECT, DRAFT, IRO) is not None
    later = why_not(
        Step.CORRECT, replace(ISSUED, latest_version=2, latest_status=LetterStatus.DRAFT), IRO
    )
    assert later is not None and "(2, draft)" in later.message


def test_the_review_moves_with_the_letter():
    assert review_moves(Step.SUBMIT, ReviewStatus.RECOMMENDATIONS_ISSUED) == (
        ReviewStatus.LETTER_DRAFTED,
        ReviewStatus.SUBMITTED,
    )
    assert review_moves(Step.RETURN, ReviewStatus.SUBMITTED) == (ReviewStatus.LETTER_DRAFTED,)
    assert review_moves(Step.APPROVE, ReviewStatus.SUBMITTED) == (ReviewStatus.APPROVED,)
    assert review_moves(Step.ISSUE, ReviewStatus.APPROVED) == (ReviewStatus.ISSUED,)
    # A correction of an issued letter leaves the issued review where it is.
    assert review_moves(Step.SUBMIT, ReviewStatus.ISSUED) == ()
    assert review_moves(Step.APPROVE, ReviewStatus.ISSUED) == ()
