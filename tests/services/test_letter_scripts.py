"""A letter in a script the program cannot print is stopped before sign-off, with a reason."""

from __future__ import annotations

import pytest

from iro_desktop.domain.review import ChangeRefused
from iro_desktop.services import letters
from iro_desktop.services.letters import LetterStatus
from tests.services import letters_kit as kit


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    kit.ready(session)
    return session


def test_a_name_no_font_can_print_stops_the_letter_before_sign_off(iro):
    review_id = kit.completed_review(iro, kit.make_child(iro))
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text.replace("Dear Amira,", "Dear Amira (민준),")
    letters.save_text(iro, opened.letter.id, text)
    with pytest.raises(ChangeRefused, match=r"cannot be printed in the PDF: 민 \(U\+BBFC"):
        letters.submit(iro, opened.letter.id)
    # Bengali, Chinese and Tigrinya are printable, so the same letter then goes.
    letters.save_text(iro, opened.letter.id, text.replace("민준", "রহিম 陳美玲 ሰላም"))
    assert letters.submit(iro, opened.letter.id).status is LetterStatus.SUBMITTED
