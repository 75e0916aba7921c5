"""Issuing the approved letter, the distribution log, and the deadlines in words.

Today in these tests is Monday 23 November 2026. The review's only meeting was on Tuesday
27 October 2026, so recommendations were due by Tuesday 3 November (5 working days) and the
letter by Tuesday 24 November (Manchester, 20 working days) or Tuesday 17 November (Cheshire
East, 15 working days).
"""

from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.review import ChangeRefused, ReviewStatus
from iro_desktop.services import letters, signoff
from iro_desktop.services.letters import DistributionMethod, LetterStatus, Recipient
from tests.services import letters_kit as kit


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


@pytest.fixture
def manager(iro):  # type: ignore[no-untyped-def]
    return kit.manager_login(iro)


def _approved(iro, manager, **review) -> letters.LetterVersion:  # type: ignore[no-untyped-def]
    review_id = kit.completed_review(iro, kit.make_child(iro), **review)
    return signoff.approve(manager, letters.submit_review_letter(iro, review_id).id)


def test_before_the_letter_goes_out_the_deadlines_say_how_long_is_left(iro, manager):
    approved = _approved(iro, manager)
    found = letters.deadlines(iro, approved.review_id)
    assert found.completed_on == kit.MEETING_ON
    assert found.recommendations.words == (
        "Recommendations sent on Thursday 29 October 2026: on time "
        "(due by Tuesday 3 November 2026)."
    )
    assert found.letter.words == (
        "Letter to the child not sent yet: due by Tuesday 24 November 2026, 1 working day left."
    )
    assert found.letter.late is None and found.letter.working_days == 1


def test_a_letter_issued_on_time_says_so(iro, manager):
    approved = _approved(iro, manager)
    issued = letters.issue(
        iro, approved.id, sent_to=[Recipient("Amira Quillfeather", "hand", "child")]
    )
    assert issued.status is LetterStatus.ISSUED and issued.issued_on == date(2026, 11, 23)
    opened = letters.open_letter(iro, approved.review_id)
    assert opened is not None and opened.review_status is ReviewStatus.ISSUED
    assert opened.deadlines.letter.late is False
    assert opened.deadlines.letter.words == (
        "Letter to the child sent on Monday 23 November 2026: on time "
        "(due by Tuesday 24 November 2026)."
    )
    assert [d.words for d in opened.distributions] == [
        "Version 1 sent to Amira Quillfeather (child) by hand on Monday 23 November 2026."
    ]


def test_a_letter_sent_after_the_deadline_is_reported_late_in_working_days(
    iro, manager, fixed_clock
):
    approved = _approved(iro, manager)
    fixed_clock.advance(days=3)  # Thursday 26 November
    pending = letters.deadlines(iro, approved.review_id).letter
    assert pending.late is True and pending.working_days == 2
    assert pending.words == (
        "Letter to the child not sent yet: 2 working days late (due by Tuesday 24 November 2026)."
    )
    letters.issue(iro, approved.id)
    sent = letters.deadlines(iro, approved.review_id).letter
    assert (sent.late, sent.working_days, sent.done_on) == (True, 2, date(2026, 11, 26))
    assert "sent on Thursday 26 November 2026: 2 working days late" in sent.words


def test_the_letter_deadline_follows_the_practice_profile(iro, manager):
    iro.settings.profile = "cheshire_east"
    approved = _approved(iro, manager)
    found = letters.deadlines(iro, approved.review_id).letter
    assert found.due_on == date(2026, 11, 17)
    assert found.words == (
        "Letter to the child not sent yet: 4 working days late (due by Tuesday 17 November 2026)."
    )


def test_late_recommendations_are_reported_late(iro, manager):
    approved = _approved(iro, manager, recs_issued_on=date(2026, 11, 5))
    found = letters.deadlines(iro, approved.review_id).recommendations
    assert found.late is True and found.working_days == 2
    assert "2 working days late (due by Tuesday 3 November 2026)" in found.words


def test_the_letter_counts_as_sent_on_its_first_logged_sending(iro, manager, fixed_clock):
    approved = _approved(iro, manager)
    fixed_clock.advance(days=3)  # Thursday 26 November: the issue is recorded late...
    letters.issue(iro, approved.id, on=date(2026, 11, 25))
    # ...but the carer was handed a copy on Monday, the day it was approved.
    letters.record_distribution(
        iro, approved.id, recipient="Jo Fernhallow", method="hand", role="carer",
        sent_on=date(2026, 11, 23),
    )  # fmt: skip
    found = letters.deadlines(iro, approved.review_id).letter
    assert found.done_on == date(2026, 11, 23) and found.late is False


def test_the_distribution_log_keeps_who_how_and_when(iro, manager, fixed_clock):
    approved = _approved(iro, manager)
    with pytest.raises(ChangeRefused, match="has not been issued"):
        letters.record_distribution(iro, approved.id, recipient="Jo", method="post")
    letters.issue(iro, approved.id, sent_to=[Recipient("Amira Quillfeather", "hand", "child")])
    fixed_clock.advance(days=1)
    letters.record_distribution(
        iro, approved.id, recipient="Jo Fernhallow", method=DistributionMethod.POST, role="carer"
    )
    letters.record_distribution(
        iro,
        approved.id,
        recipient="Sam Puddleby",
        method="secure_email",
        role="social worker",
        note="sent to the team mailbox",
    )
    log = letters.distribution_log(iro, approved.review_id)
    assert [(d.recipient, d.method, d.sent_on) for d in log] == [
        ("Amira Quillfeather", DistributionMethod.HAND, date(2026, 11, 23)),
        ("Jo Fernhallow", DistributionMethod.POST, date(2026, 11, 24)),
        ("Sam Puddleby", DistributionMethod.SECURE_EMAIL, date(2026, 11, 24)),
    ]
    assert log[2].note == "sent to the team mailbox" and log[2].recorded_by == "ada"
    assert log[2].words.endswith("by secure email on Tuesday 24 November 2026.")


def test_the_distribution_log_refuses_what_cannot_be_right(iro, manager):
    approved = _approved(iro, manager)
    letters.issue(iro, approved.id)
    with pytest.raises(ValueError, match="pigeon.*post, email, hand, secure_email"):
        letters.record_distribution(iro, approved.id, recipient="Jo", method="pigeon")
    with pytest.raises(ValueError, match="Say who"):
        letters.record_distribution(iro, approved.id, recipient="  ", method="post")
    with pytest.raises(ValueError, match="approved on"):
        letters.record_distribution(
            iro, approved.id, recipient="Jo", method="post", sent_on=date(2026, 11, 20)
        )
    with pytest.raises(ValueError, match="after today"):
        letters.record_distribution(
            iro, approved.id, recipient="Jo", method="post", sent_on=date(2026, 12, 1)
        )
    assert letters.distribution_log(iro, approved.review_id) == []


def test_only_an_approved_letter_is_issued(iro, manager):
    review_id = kit.completed_review(iro, kit.make_child(iro))
    version = letters.submit_review_letter(iro, review_id)
    with pytest.raises(ChangeRefused, match="only a letter a manager has approved"):
        letters.issue(iro, version.id)
