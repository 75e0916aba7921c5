"""A manager's sign-off: the inbox, returning, approving, and approved letters staying as
they were signed off (in the service, the repository and the database itself)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from iro_desktop.domain.record import content_hash
from iro_desktop.domain.review import ChangeRefused, ReviewStatus
from iro_desktop.services import caseload, letter_steps, letters, signoff
from iro_desktop.services.letters import DRAFT_MARK, LetterFrozen, LetterStatus
from iro_desktop.store import letter_repository as letters_repo
from tests.services import letters_kit as kit


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


@pytest.fixture
def manager(iro):  # type: ignore[no-untyped-def]
    return kit.manager_login(iro)


@pytest.fixture
def submitted(iro) -> letters.LetterVersion:  # type: ignore[no-untyped-def]
    review_id = kit.completed_review(iro, kit.make_child(iro))
    return letters.submit(iro, letters.start_letter(iro, review_id).letter.id)


def _review_status(session, review_id) -> ReviewStatus:  # type: ignore[no-untyped-def]
    opened = letters.open_letter(session, review_id)
    assert opened is not None
    return opened.review_status


# --- the inbox ------------------------------------------------------------------------------


def test_the_inbox_lists_submitted_letters_longest_waiting_first_with_the_deadline(
    iro, manager, fixed_clock
):
    first = kit.completed_review(iro, kit.make_child(iro))
    second = kit.completed_review(
        iro, kit.make_child(iro, first="Chloe", preferred="Chloe"), child_name="Chloe Q"
    )
    letters.start_letter(iro, second)  # drafted first, but submitted last
    letters.submit_review_letter(iro, first)
    fixed_clock.advance(hours=2)
    letters.submit_review_letter(iro, second)
    items = signoff.inbox(manager)
    assert [i.review_id for i in items] == [first, second]
    top = items[0]
    assert top.child_name == "Amira Quillfeather" and top.written_by == "Ada Example"
    # Completed on Tuesday 27 October; Manchester allows 20 working days for the letter.
    assert top.deadline.due_on is not None and top.deadline.due_on.isoformat() == "2026-11-24"
    assert "1 working day left" in top.deadline.words
    assert top.to_json()["deadline"]["working_days"] == 1


def test_only_a_manager_sees_the_inbox_and_decides(iro, submitted):
    with pytest.raises(ChangeRefused, match="Only a manager"):
        signoff.inbox(iro)
    with pytest.raises(ChangeRefused, match="Only a manager"):
        signoff.approve(iro, submitted.id)


def test_a_manager_cannot_sign_off_their_own_letter(manager):
    kit.ready(manager)
    review_id = kit.completed_review(manager, kit.make_child(manager))
    version = letters.submit_review_letter(manager, review_id)
    with pytest.raises(ChangeRefused, match="another manager"):
        signoff.approve(manager, version.id)


# --- returning ------------------------------------------------------------------------------


def test_a_returned_letter_goes_back_to_the_iro_with_the_comment_and_comes_back(
    iro, manager, submitted
):
    with pytest.raises(ValueError, match="what needs to change"):
        signoff.return_letter(manager, submitted.id, "   ")
    returned = signoff.return_letter(manager, submitted.id, "Please explain 'review' simply.")
    assert returned.status is LetterStatus.RETURNED
    assert returned.manager_comments[-1].text == "Please explain 'review' simply."
    assert returned.manager_comments[-1].by_name == "Morgan Manager"
    assert _review_status(iro, submitted.review_id) is ReviewStatus.LETTER_DRAFTED
    assert signoff.inbox(manager) == []
    with pytest.raises(ChangeRefused, match="not waiting for sign-off"):
        signoff.approve(manager, submitted.id)

    better = returned.text.replace(
        "Your review was on", "Your review (a meeting about your plan) was on"
    )
    saved = letters.save_text(iro, submitted.id, better)
    again = letters.submit(iro, submitted.id, expected_edit=saved.edit)
    assert again.status is LetterStatus.SUBMITTED and again.version == 1
    assert [i.version_id for i in signoff.inbox(manager)] == [submitted.id]
    approved = signoff.approve(manager, submitted.id, expected_hash=content_hash(better))
    assert approved.status is LetterStatus.APPROVED and approved.text == better
    actions = [c.action for c in approved.comments]
    assert actions == ["submitted", "returned", "submitted", "approved"]


def test_the_manager_can_comment_without_deciding(manager, submitted):
    commented = signoff.comment(manager, submitted.id, "Reading this now.")
    assert commented.status is LetterStatus.SUBMITTED
    assert commented.manager_comments[-1].action == "comment"


# --- approving ------------------------------------------------------------------------------


def test_approval_records_who_when_and_the_hash_and_moves_the_review(
    iro, manager, submitted, tmp_path
):
    approved = signoff.approve(manager, submitted.id, comment="Warm and clear.")
    assert approved.status is LetterStatus.APPROVED
    assert approved.approved_by == "morgan" and approved.approved_by_name == "Morgan Manager"
    assert approved.approved_at is not None
    assert approved.content_hash == content_hash(approved.text)
    assert _review_status(iro, submitted.review_id) is ReviewStatus.APPROVED
    stamp = approved.signoff
    assert stamp is not None and stamp.approved_by == "Morgan Manager"

    done = letters.render_letter_pdf(iro, submitted.review_id, tmp_path / "approved.pdf")
    text = kit.pdf_text(done.path)
    assert done.approved and done.version == 1
    assert DRAFT_MARK not in text
    assert "approved by Morgan Manager" in text and approved.content_hash[:12] in text
    record = kit.pdf_text(
        letters.render_record_pdf(iro, submitted.review_id, tmp_path / "r.pdf").path
    )
    assert "Approved for issue" in record and approved.content_hash[:12] in record


def test_a_letter_printed_by_the_manager_still_gives_the_iros_own_contact_details(
    manager, submitted, tmp_path
):
    signoff.approve(manager, submitted.id)
    done = letters.render_letter_pdf(manager, submitted.review_id, tmp_path / "m.pdf")
    text = kit.pdf_text(done.path)
    assert "I am Ada Example" in text and "0161 496 0123" in text
    assert "Morgan Manager" in text  # only in the sign-off stamp


def test_approval_refuses_text_other_than_the_text_the_manager_read(manager, submitted):
    with pytest.raises(ValueError, match="not the text you read"):
        signoff.approve(manager, submitted.id, expected_hash="0" * 64)


def test_an_approved_letter_can_never_be_changed_by_the_service(iro, manager, submitted):
    approved = signoff.approve(manager, submitted.id)
    with pytest.raises(LetterFrozen, match="new version"):
        letters.save_text(iro, approved.id, approved.text + "\nA late thought.")
    with pytest.raises(LetterFrozen):
        letters.redraft(iro, approved.id)
    with pytest.raises(ChangeRefused):
        signoff.return_letter(manager, approved.id, "Actually, one more thing.")
    issued = letters.issue(iro, approved.id)
    with pytest.raises(ChangeRefused, match="already issued"):
        letters.issue(iro, issued.id)
    again = letters.get_letter(iro, approved.id).letter
    assert (again.text, again.content_hash) == (approved.text, approved.content_hash)


def test_an_approved_letter_can_never_be_changed_in_the_repository_or_the_database(
    iro, manager, submitted
):
    approved = signoff.approve(manager, submitted.id)
    with iro.unit_of_work() as s, pytest.raises(LetterFrozen):
        letters_repo.update_version(
            s, approved.id, now=iro.now(), letter_text="Tampered", content_hash="0" * 64
        )
    with iro.unit_of_work() as s, pytest.raises(LetterFrozen):
        letters_repo.update_version(s, approved.id, now=iro.now(), status="draft")
    # Underneath the program: the database's own triggers refuse too.
    for sql in (
        "UPDATE letter_versions SET letter_text = 'Tampered' WHERE id = :id",
        "UPDATE letter_versions SET status = 'draft' WHERE id = :id",
        "UPDATE letter_versions SET approved_by = 'someone' WHERE id = :id",
        "DELETE FROM letter_versions WHERE id = :id",
    ):
        with (
            pytest.raises(IntegrityError, match="approved letter cannot be"),
            iro.store.engine.begin() as conn,
        ):
            conn.execute(text(sql), {"id": approved.id})
    again = letters.get_letter(iro, approved.id).letter
    assert again.text == approved.text and again.status is LetterStatus.APPROVED
    # Issuing is the one move an approved letter still makes.
    assert letters.issue(iro, approved.id).status is LetterStatus.ISSUED
    with (
        pytest.raises(IntegrityError, match="approved letter cannot be"),
        iro.store.engine.begin() as conn,
    ):
        conn.execute(
            text("UPDATE letter_versions SET issued_on = '2020-01-01' WHERE id = :id"),
            {"id": approved.id},
        )


def test_a_correction_is_a_new_version_and_the_issued_one_stays_as_it_was(
    iro, manager, submitted, tmp_path
):
    v1 = letters.issue(iro, signoff.approve(manager, submitted.id).id)
    assert _review_status(iro, submitted.review_id) is ReviewStatus.ISSUED
    opened = letters.correct_letter(iro, v1.id)
    v2 = opened.letter
    assert (v2.version, v2.corrects_version, v2.status) == (2, 1, LetterStatus.DRAFT)
    assert v2.text == v1.text
    with pytest.raises(ChangeRefused, match="later version"):
        letters.correct_letter(iro, v1.id)
    with pytest.raises(ChangeRefused, match="not approved yet"):
        letters.correct_letter(iro, v2.id)
    corrected = v1.text.replace("Mr Lime", "Mrs Lime")
    letters.save_text(iro, v2.id, corrected)
    letters.submit(iro, v2.id)
    assert _review_status(iro, submitted.review_id) is ReviewStatus.ISSUED  # stays issued
    signoff.approve(manager, v2.id)
    letters.issue(iro, v2.id)

    versions = letters.list_versions(iro, submitted.review_id)
    assert [(v.version, v.status) for v in versions] == [
        (1, LetterStatus.ISSUED),
        (2, LetterStatus.ISSUED),
    ]
    assert versions[0].text == v1.text and versions[0].content_hash == v1.content_hash
    assert versions[1].content_hash == content_hash(corrected)
    old = letters.render_letter_pdf(iro, submitted.review_id, tmp_path / "v1.pdf", version_id=v1.id)
    new = letters.render_letter_pdf(iro, submitted.review_id, tmp_path / "v2.pdf")
    assert "Mr Lime" in kit.pdf_text(old.path) and "Version 1 approved" in kit.pdf_text(old.path)
    assert "Mrs Lime" in kit.pdf_text(new.path) and "Version 2 approved" in kit.pdf_text(new.path)


def test_every_step_is_audited(iro, manager, submitted):
    approved = signoff.approve(manager, submitted.id)
    letters.issue(iro, approved.id, sent_to=[letters.Recipient("Amira", "hand", "child")])
    trail = caseload.audit_trail(iro, submitted.id)
    details = [e["detail"] for e in reversed(trail)]
    assert any("drafted" in d for d in details)
    assert any("submitted for sign-off" in d for d in details)
    assert any(d.startswith("version 1 approved") for d in details)
    assert any("issued on" in d for d in details)
    assert any("sent to Amira by hand" in d for d in details)
    users = {e["username"] for e in trail}
    assert users == {"ada", "morgan"}
    review_trail = [e["detail"] for e in caseload.audit_trail(iro, submitted.review_id)]
    assert any("'Approved' to 'Issued'" in d for d in review_trail)


# --- the seam for sync ----------------------------------------------------------------------


def test_each_submission_and_decision_passes_through_the_outbox_seam(
    iro, manager, submitted, monkeypatch
):
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(
        letter_steps, "outbox_hook", lambda _s, _db, event: seen.append(event.to_wire())
    )
    returned = signoff.return_letter(manager, submitted.id, "Shorter sentences, please.")
    letters.submit(iro, returned.id)
    approved = signoff.approve(manager, submitted.id)
    letters.issue(iro, approved.id)
    assert [e["type"] for e in seen] == [
        "letter.returned",
        "letter.submitted",
        "letter.approved",
        "letter.issued",
    ]
    assert seen[0]["comment"] == "Shorter sentences, please." and seen[0]["by"] == "morgan"
    assert seen[2]["content_hash"] == approved.content_hash


def test_a_failure_in_the_outbox_seam_undoes_the_decision(iro, manager, submitted, monkeypatch):
    def broken(_s, _db, _event):  # type: ignore[no-untyped-def]
        raise OSError("outbox unavailable")

    monkeypatch.setattr(letter_steps, "outbox_hook", broken)
    with pytest.raises(OSError):
        signoff.approve(manager, submitted.id)
    assert letters.get_letter(iro, submitted.id).letter.status is LetterStatus.SUBMITTED
    assert _review_status(iro, submitted.review_id) is ReviewStatus.SUBMITTED


# --- printing a batch -----------------------------------------------------------------------


def test_a_batch_prints_the_approved_letters_not_yet_issued(iro, manager, tmp_path):
    ids = []
    for first in ("Amira", "Bilal", "Chloe"):
        child = kit.make_child(iro, first=first, preferred=first)
        review_id = kit.completed_review(iro, child, child_name=f"{first} Quillfeather")
        ids.append(signoff.approve(manager, letters.submit_review_letter(iro, review_id).id).id)
    letters.issue(iro, ids[0])
    letters.correct_letter(iro, ids[1])  # being corrected: the approved one is not current
    assert [v.id for v in letters.approved_not_issued(iro)] == [ids[2]]
    calls: list[tuple[int, int]] = []
    lines = letters.render_batch(iro, tmp_path / "out", lambda d, t: calls.append((d, t)))
    assert calls == [(0, 1), (1, 1)]
    assert len(lines) == 1 and lines[0].path is not None and not lines[0].error
    assert lines[0].path.name == "letter-Chloe-Quillfeather-2026-10-27.pdf"  # whose it is
    text = kit.pdf_text(lines[0].path)
    assert "Dear Chloe," in text and "approved by Morgan Manager" in text


def test_a_submission_waits_in_the_outbox_for_the_sync_server(iro, submitted):
    from iro_desktop.services import sync

    items = sync.outbox_items(iro)
    signoffs = [i for i in items if "signoff" in str(getattr(i, "kind", ""))]
    assert len(signoffs) == 1
    assert sync.status(iro).unsent >= 1
