"""The professional record of the review: the facts it checks and the PDF it makes."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from iro_desktop.domain.record import (
    Meeting,
    Participation,
    Recommendation,
    RecordAttendee,
    ReviewKind,
    SignOffStamp,
    Topic,
    content_hash,
)
from iro_desktop.pdf import render_record
from tests.pdf.conftest import (
    STAMP,
    STANDARD_14,
    flat,
    font_dicts,
    make_record,
    pdf_reader,
    pdf_text,
)


def render(**changes: object) -> bytes:
    out = io.BytesIO()
    signoff = changes.pop("signoff", None)
    render_record(make_record(**changes), out, signoff=signoff)  # type: ignore[arg-type]
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The facts


def test_a_review_with_no_meetings_is_refused_before_any_pdf_is_made() -> None:
    with pytest.raises(ValueError, match="Łucja Wiśniewska has no meetings"):
        make_record(meetings=())


def test_participation_code_is_checked_and_normalised() -> None:
    assert make_record(participation_code=" pn5 ").participation_code == "PN5"
    with pytest.raises(ValueError, match="'PN9' is not a valid participation code"):
        make_record(participation_code="PN9")


def test_series_is_held_on_its_first_meeting_and_judged_for_timeliness_then() -> None:
    record = make_record(
        due_date=date(2025, 3, 5),
        meetings=(
            Meeting(date(2025, 3, 12), "Civic Centre"),
            Meeting(date(2025, 3, 4), "Foster home"),
        ),
    )
    assert record.held_on == date(2025, 3, 4)
    assert record.completed_on == date(2025, 3, 12)
    assert record.is_series and record.in_timescale
    late = make_record(due_date=date(2025, 3, 5), timeliness_date=date(2025, 3, 12))
    assert not late.in_timescale


def test_unknown_attendee_role_and_blank_owner_are_refused_with_names() -> None:
    with pytest.raises(ValueError, match="'nan' is not a role the record knows for Pat"):
        RecordAttendee("Pat", "nan", Participation.ATTENDED)
    with pytest.raises(ValueError, match="owner of the recommendation 'Book a visit'"):
        Recommendation("Book a visit", " ", date(2025, 4, 1))


def test_recommendation_due_before_the_review_is_refused() -> None:
    with pytest.raises(ValueError, match="due on 2025-01-01, before the review's first meeting"):
        make_record(recommendations=(Recommendation("Book", "Sam", date(2025, 1, 1)),))


def test_signoff_stamp_checks_its_hash_and_version() -> None:
    with pytest.raises(ValueError, match="'xyz' is not a content hash"):
        SignOffStamp(1, "xyz", "Morgan", datetime(2025, 3, 7))
    with pytest.raises(ValueError, match="version must be 1 or more, not 0"):
        SignOffStamp(0, "a" * 64, "Morgan", datetime(2025, 3, 7))


def test_content_hash_ignores_line_ending_style_but_not_words() -> None:
    assert content_hash("Dear Amira,\r\nHello\r\n") == content_hash("Dear Amira,\nHello\n")
    assert content_hash("Dear Amira,\n") != content_hash("Dear Amina,\n")
    assert len(content_hash("x")) == 64


# ---------------------------------------------------------------------------------------------
# The PDF


def test_record_shows_the_facts_of_the_review() -> None:
    text = flat(pdf_text(render()))
    for expected in (
        "Record of review: Looked-after child review",
        "Łucja Wiśniewska",
        "LA number 100234",
        "PN1: Child physically attends and speaks for him or herself",
        "Co-chaired",
        "Meeting Tuesday 4 March 2025, Foster home"
        if False
        else "Tuesday 4 March 2025, Foster home",
        "Mr Lime Education Sent views",
        "Dr Plum Health Apologies",
        "Dental check done",
        "GP appointment by April",
        "Long-term foster care with current carers.",
        "The IRO endorsed the plan on Tuesday 4 March 2025.",
        "Arrange a PEP meeting with the designated teacher Sam Okafor 1 April 2025",
        "Not yet approved by a manager",
    ):
        assert expected in text, expected
    # Empty Signs of Safety boxes say so rather than leaving a gap.
    assert "Education What is working well Nothing recorded." in text


def test_pathway_plan_review_is_titled_as_such() -> None:
    assert "Pathway plan review" in pdf_text(render(review_kind=ReviewKind.PATHWAY_PLAN))


def test_series_lists_each_meeting_with_its_own_attendees() -> None:
    data = render(
        meetings=(
            Meeting(
                date(2025, 3, 4),
                "Foster home",
                (RecordAttendee("Sam", "social_worker", Participation.ATTENDED),),
            ),
            Meeting(
                date(2025, 3, 11),
                "Civic Centre",
                (RecordAttendee("Dad Example", "parent", Participation.ATTENDED),),
                "Held apart because of a court order.",
            ),
        )
    )
    text = flat(pdf_text(data))
    assert "Meeting 1 of 2: Tuesday 4 March 2025, Foster home" in text
    assert "Meeting 2 of 2: Tuesday 11 March 2025, Civic Centre" in text
    assert "Completed on 11 March 2025 (series)" in text
    assert "Held apart because of a court order." in text


def test_signoff_is_printed_in_the_box_and_on_every_page() -> None:
    data = render(signoff=STAMP, topics=tuple(Topic(f"Topic {i}", "x " * 200) for i in range(6)))
    reader = pdf_reader(data)
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "Version 2 approved by Morgan Manager" in flat(page.extract_text() or "")
    assert "Approved for issue." in flat(pdf_text(data))


def test_very_long_notes_and_actions_flow_over_pages() -> None:
    long_action = " ".join(f"step{i}" for i in range(900))
    data = render(
        meetings=(
            Meeting(date(2025, 3, 4), "Home", notes=" ".join(f"note{i}" for i in range(2500))),
        ),
        recommendations=(Recommendation(long_action, "Sam Okafor", date(2025, 4, 1)),),
    )
    reader = pdf_reader(data)
    assert len(reader.pages) >= 4
    text = pdf_text(data)
    assert "note2499" in text and "step899" in text


def test_record_fonts_are_all_embedded_and_metadata_is_set(tmp_path: Path) -> None:
    target = tmp_path / "record.pdf"
    render_record(make_record(child_name="يوسف Testchild"), target)
    data = target.read_bytes()
    for font in font_dicts(data):
        assert str(font["/BaseFont"]).split("+")[-1] not in STANDARD_14
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    reader = pdf_reader(data)
    assert reader.metadata is not None
    assert reader.metadata.author == "Pat Example"
    assert (reader.metadata.title or "").startswith("Record of review:")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
