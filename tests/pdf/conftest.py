"""Synthetic letters and records for the PDF tests, and ways to read a PDF back."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from iro_desktop.domain.letter import (
    IroContact,
    LetterDraft,
    LetterFacts,
    LetterPerson,
    LetterRecommendation,
    ServiceContact,
    draft_letter,
)
from iro_desktop.domain.record import (
    Chairing,
    ChildId,
    Meeting,
    Participation,
    Recommendation,
    RecordAttendee,
    RecordFacts,
    SignOffStamp,
    Topic,
)
from iro_desktop.pdf.resources import read_phrase_bank

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman",
    "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def make_facts(**changes: Any) -> LetterFacts:
    values: dict[str, Any] = dict(
        legal_name="Amira Testchild",
        preferred_name="Amira",
        date_of_birth=date(2014, 6, 2),
        meeting_dates=(date(2025, 3, 4),),
        written_on=date(2025, 3, 6),
        came=(LetterPerson("Sam", "social_worker"), LetterPerson("Jo", "carer")),
        going_well=("You have made two good friends at school",),
        worries=("Your mum worries that you are not sleeping well",),
        decisions=("You will keep living with Jo",),
        recommendations=(
            LetterRecommendation(
                "Carer to book dental check-up",
                "Jo",
                date(2025, 4, 15),
                child_wording="Jo will book a visit to the dentist for you.",
            ),
            LetterRecommendation(
                "Social worker to find a swimming club",
                "Sam",
                date(2025, 5, 1),
                child_wording="Sam will find a swimming club near your home.",
            ),
        ),
        next_review=date(2025, 9, 3),
        iro=IroContact("Pat Example", "0161 496 0123", "pat.example@council.example"),
        advocacy=ServiceContact("Example Advocacy", phone="0800 000 0000"),
        complaints=ServiceContact("the Complaints Team", email="complaints@council.example"),
        service_name="Exampleshire Council Independent Reviewing Service",
    )
    values.update(changes)
    return LetterFacts(**values)


def make_draft(facts: LetterFacts) -> LetterDraft:
    return draft_letter(facts, read_phrase_bank(facts.age_band))


def make_record(**changes: Any) -> RecordFacts:
    values: dict[str, Any] = dict(
        child_name="Łucja Wiśniewska",
        child_ids=(ChildId("LA number", "100234"),),
        date_of_birth=date(2014, 6, 2),
        due_date=date(2025, 3, 10),
        meetings=(
            Meeting(
                date(2025, 3, 4),
                "Foster home",
                (
                    RecordAttendee("Łucja Wiśniewska", "child", Participation.ATTENDED),
                    RecordAttendee("Sam Okafor", "social_worker", Participation.ATTENDED),
                    RecordAttendee("Mr Lime", "education", Participation.SENT_VIEWS),
                    RecordAttendee("Dr Plum", "health", Participation.APOLOGIES),
                ),
                notes="Łucja chose to hold the meeting at home.",
            ),
        ),
        participation_code="PN1",
        social_worker_attended=True,
        social_worker_report=True,
        parents_attended=False,
        child_chaired=Chairing.CO_CHAIRED,
        topics=(
            Topic("Health", "Dental check done", "Sleep", "GP appointment by April"),
            Topic("Education"),
        ),
        permanence_plan="Long-term foster care with current carers.",
        iro_view="The plan meets Łucja's needs.",
        endorsed_on=date(2025, 3, 4),
        recommendations=(
            Recommendation(
                "Arrange a PEP meeting with the designated teacher", "Sam Okafor", date(2025, 4, 1)
            ),
            Recommendation("Book a dental check-up", "Jo Carer", date(2025, 4, 15)),
        ),
        iro_name="Pat Example",
    )
    values.update(changes)
    return RecordFacts(**values)


STAMP = SignOffStamp(2, "3f7a" + "0" * 56 + "beef", "Morgan Manager", datetime(2025, 3, 7, 14, 5))


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All text of the PDF, normalised (NFKC turns Arabic presentation forms into letters)."""
    reader = pdf_reader(data)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def flat(text: str) -> str:
    return " ".join(text.split())


def font_dicts(data: bytes) -> list[Any]:
    fonts = []
    for page in pdf_reader(data).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_table = resources.get_object().get("/Font")
        if font_table is None:
            continue
        for ref in font_table.get_object().values():
            fonts.append(ref.get_object())
    return fonts


@pytest.fixture()
def facts() -> LetterFacts:
    return make_facts()
