"""Children and reviews in a completed state, built through the review services, for the
letter and sign-off tests. All names are invented."""

from __future__ import annotations

import io
import unicodedata
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    Invitee,
    InviteeRole,
    Meeting,
    PlanView,
    Preparation,
    Recommendation,
    Topic,
    TopicNote,
)
from iro_desktop.services import caseload, letters
from iro_desktop.services import reviews as review_service
from iro_desktop.services.access import CaseloadSession

PERIOD_START = date(2026, 10, 1)
MEETING_ON = date(2026, 10, 27)  # a Tuesday, before the tests' today (23 November 2026)
RECS_ISSUED_ON = date(2026, 10, 29)
SWIMMING = "Sam will find swimming lessons near your home."
DENTIST_ACTION = "Carer to book a dental check-up"


def make_child(
    session: CaseloadSession,
    *,
    first: str = "Amira",
    last: str = "Quillfeather",
    preferred: str = "Amira",
    dob: date = date(2015, 5, 14),
    uasc: bool = False,
    la_id: str | None = None,
    period_start: date = PERIOD_START,
) -> str:
    child = Child(
        id=str(uuid.uuid4()),
        la_child_id=la_id or f"TEST-{uuid.uuid4().hex[:8]}",
        legal_first_name=first,
        legal_last_name=last,
        preferred_name=preferred,
        date_of_birth=dob,
        sex="F",
        uasc=uasc,
        allocated_iro="Ada Example",
        periods=(
            PeriodOfCare(
                start=period_start,
                episodes=(Episode(start=period_start, legal_status="C2", placement_type="U4"),),
            ),
        ),
    )
    return caseload.save_child(session, child).id


def completed_review(
    session: CaseloadSession,
    child_id: str,
    *,
    child_name: str = "Amira Quillfeather",
    meeting_on: date = MEETING_ON,
    recs_issued_on: date | None = RECS_ISSUED_ON,
    second_wording: str = "",
    second_owner: str = "Jo Fernhallow",
    notes: str = "Amira chose to meet at home.",
    going_well: str = "You have made two good friends at school.",
) -> str:
    """A first review held, completed and (by default) with its recommendations issued."""
    planned = review_service.plan_next_review(session, child_id, planned_on=meeting_on)
    review = planned.review
    draft = replace(
        review,
        preparation=Preparation(
            invitees=(
                Invitee(key="child", role=InviteeRole.CHILD, name=child_name),
                Invitee(key="sw", role=InviteeRole.SOCIAL_WORKER, name="Sam Puddleby"),
                Invitee(key="carer", role=InviteeRole.CARER, name="Jo Fernhallow"),
                Invitee(key="school", role=InviteeRole.EDUCATION, name="Mr Lime"),
                Invitee(key="mum", role=InviteeRole.PARENT, name="Dana Quillfeather"),
            ),
            social_worker_report_received_on=meeting_on,
        ),
        meetings=(
            Meeting(
                on=meeting_on,
                venue="Foster home",
                attendance=(
                    AttendanceEntry(key="child", attendance=Attendance.ATTENDED),
                    AttendanceEntry(key="sw", attendance=Attendance.ATTENDED),
                    AttendanceEntry(key="carer", attendance=Attendance.ATTENDED),
                    AttendanceEntry(key="school", attendance=Attendance.SENT_VIEWS),
                    AttendanceEntry(key="mum", attendance=Attendance.APOLOGIES),
                ),
                notes=notes,
            ),
        ),
        participation_code="PN1",
        topics=(
            TopicNote(
                topic=Topic.HEALTH,
                covered=True,
                working_well=going_well,
                worried_about="You find it hard to get to sleep.",
                needs_to_happen="Jo will talk to the doctor about sleep.",
            ),
        ),
        plan_view=PlanView(
            view="You will keep living with Jo.", endorsed=True, endorsed_on=meeting_on
        ),
        recommendations=(
            Recommendation(
                id="R1",
                action="Social worker to arrange swimming lessons",
                owner="Sam Puddleby",
                due_on=meeting_on + timedelta(days=52),
                child_wording=SWIMMING,
            ),
            Recommendation(
                id="R2",
                action=DENTIST_ACTION,
                owner=second_owner,
                due_on=meeting_on + timedelta(days=80),
                child_wording=second_wording,
            ),
        ),
    )
    saved = review_service.save_draft(session, draft)
    assert saved.saved, saved.refused
    review_service.complete(session, review.id, on=meeting_on)
    if recs_issued_on is not None:
        review_service.issue_recommendations(session, review.id, on=recs_issued_on)
    return review.id


def manager_login(session: CaseloadSession, username: str = "morgan") -> CaseloadSession:
    """A manager's login on the same open caseload (as on a shared office machine)."""
    from tests.conftest import PASSPHRASE

    session.add_login(username, "Morgan Manager", "manager", PASSPHRASE)
    return CaseloadSession(session.paths, session.store, username, session.clock, session.settings)


def ready(session: CaseloadSession) -> None:
    letters.set_contact_details(session, phone="0161 496 0123", email="ada.example@council.example")


def pdf_text(path: Path) -> str:
    """All the text of a PDF file, normalised and on one line."""
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())
