"""The letter to the child: drafting it from the record, editing, plain-language help,
submitting it for sign-off, issuing it, the distribution log, deadlines, and the PDFs.

Each letter is kept as numbered versions of its editable text (domain.letter's text format)
beside a snapshot of the facts it is printed from. The IRO drafts and edits a version freely;
submitting it sends it to a manager (services.signoff), who returns it with comments or
approves it. Approval freezes that version for good: its text, its content hash, who approved
it and when. It is then issued (with the sign-off stamp printed on it) and its sending logged;
a correction is a new version, and the old one stays as it was.

Every step is one unit of work with its audit entry, and moves the review through its own
lifecycle (letter drafted, submitted, approved, issued) when the review's status allows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.letter import (
    AgeBand,
    DraftNote,
    Flag,
    LetterDraft,
    LetterFacts,
    draft_letter,
    flag_notes,
    flags_in,
    format_date,
    letter_from_text,
    letter_to_text,
)
from iro_desktop.domain.letter_signoff import Step
from iro_desktop.domain.record import SignOffStamp, content_hash
from iro_desktop.domain.review import ChangeRefused, Review, ReviewStatus, SeriesBasis
from iro_desktop.pdf import (
    LetterJob,
    printing_problem,
    read_phrase_bank,
    render_letter,
    render_letters_batch,
)
from iro_desktop.pdf import render_record as render_record_pdf_file
from iro_desktop.services import letter_steps as steps
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.due import display_name
from iro_desktop.services.letter_facts import (
    NO_MEETINGS,
    LetterSnapshot,
    ReviewDates,
    SnapshotChild,
    letter_facts,
    load_contacts,
    next_review_date,
    record_facts,
)
from iro_desktop.services.letter_files import batch_file_name
from iro_desktop.services.letter_model import (
    DRAFT_MARK,
    BatchLine,
    Comment,
    DeadlineCheck,
    Deadlines,
    Distribution,
    DistributionMethod,
    LetterBrief,
    LetterStatus,
    LetterVersion,
    OpenedLetter,
    Recipient,
    RenderedPdf,
    SavedText,
    WorkItem,
    check_plain_language,
    deadline_check,
    letter_sent_on,
    mark_unapproved,
    version_from_stored,
)
from iro_desktop.store import DbSession
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo
from iro_desktop.store.letter_repository import (
    LetterChanged,
    LetterFrozen,
    StoredDistribution,
    StoredLetter,
)

__all__ = [
    "DRAFT_MARK",
    "BatchLine",
    "Comment",
    "DeadlineCheck",
    "Deadlines",
    "Distribution",
    "DistributionMethod",
    "LetterChanged",
    "LetterBrief",
    "LetterFrozen",
    "LetterStatus",
    "LetterVersion",
    "OpenedLetter",
    "Recipient",
    "RenderedPdf",
    "SavedText",
    "ThirdPersonLeft",
    "WorkItem",
    "approved_not_issued",
    "check_plain_language",
    "correct_letter",
    "deadline_check",
    "deadlines",
    "distribution_log",
    "draft_text",
    "get_letter",
    "issue",
    "list_versions",
    "mark_unapproved",
    "open_letter",
    "record_distribution",
    "redraft",
    "render_batch",
    "render_letter_pdf",
    "render_record_pdf",
    "save_text",
    "set_contact_details",
    "set_large_print",
    "start_letter",
    "submit",
    "submit_review_letter",
    "worklist",
]


class ThirdPersonLeft(ChangeRefused):
    """The letter still talks about the child in the third person: the sentences, for the IRO
    to fix, or to confirm they are right as they are (submit with third_person_checked)."""

    def __init__(self, flags: Sequence[Flag], name: str) -> None:
        self.flags = tuple(flags)
        n = len(self.flags)
        shown = "\n".join(f"\u2022 {f.message}" for f in self.flags[:6])
        more = f"\n(and {n - 6} more)" if n > 6 else ""
        super().__init__(
            f"The letter still talks about {name} rather than to them in {n} "
            f"place{'s' if n != 1 else ''}. Write {'these' if n != 1 else 'it'} to {name}, or "
            f"submit anyway if you have read {'them' if n != 1 else 'it'} and "
            f"{'they are' if n != 1 else 'it is'} right as written:\n{shown}{more}"
        )


# Typing is audited once per letter version per person in this window, not every autosave.
TEXT_AUDIT_MINUTES = 10


# --- helpers --------------------------------------------------------------------------------


series_basis = steps.series_basis
_readable_review = steps.readable_review


def _iro_details(
    session: CaseloadSession, s: DbSession, review: Review, allocated_iro: str
) -> tuple[str, str, str]:
    """Name, phone and email of the IRO the letter is from.

    The person writing, when they are an IRO; otherwise (a manager printing it) the IRO who
    chaired the review or is allocated to the child, if they have a login here.
    """
    me = repo.get_user(s, session.username) or {
        "display_name": session.username,
        "role": "iro",
        "phone": "",
        "email": "",
    }
    if me.get("role") != "manager":
        return me.get("display_name") or session.username, me.get("phone", ""), me.get("email", "")
    for name in (review.chaired_by, allocated_iro):
        if name.strip():
            user = letters_repo.user_by_display_name(s, name.strip())
            if user is not None:
                return user["display_name"], user["phone"], user["email"]
    return (review.chaired_by or allocated_iro or me.get("display_name", "")), "", ""


def _review_dates(row: reviews_repo.ReviewRow, basis: SeriesBasis) -> ReviewDates:
    first = row.first_meeting_on or row.timeliness_date
    held = (row.completed_date or first) if basis is SeriesBasis.LAST_MEETING and first else first
    return ReviewDates(
        id=row.id,
        kind=row.kind,
        status=row.status,
        period_id=row.period_id,
        due_date=row.due_date,
        planned_date=row.planned_date,
        held_on=held,
    )


def _snapshot(
    session: CaseloadSession, s: DbSession, review_id: str
) -> tuple[LetterSnapshot, reviews_repo.StoredReview]:
    """The facts for a letter written today from the review as it is stored now."""
    stored = reviews_repo.load_review(s, review_id)
    review = _readable_review(stored)
    if not rv.held_meetings(review):
        raise ChangeRefused(NO_MEETINGS)
    child = reviews_repo.find_child(s, review.child_id)
    others = reviews_repo.reviews_for_child(s, child.id)
    basis = series_basis(session)
    profile = session.profile
    period = child.period(stored.row.period_id) or child.current_period
    iro_name, iro_phone, iro_email = _iro_details(session, s, review, child.allocated_iro)
    record = repo.get_child(s, child.id)
    snap = LetterSnapshot(
        review=review,
        child=SnapshotChild(
            id=child.id,
            la_child_id=child.la_child_id,
            first_name=child.first_name,
            last_name=child.last_name,
            preferred_name=child.preferred_name,
            date_of_birth=child.date_of_birth,
            care_leaver=child.care_leaver,
            sex=record.sex,
            first_language=record.first_language,
            interpreter=record.interpreter_needed,
        ),
        iro_name=iro_name,
        iro_phone=iro_phone,
        iro_email=iro_email,
        contacts=load_contacts(profile.key),
        next_review=next_review_date(
            review,
            [_review_dates(o.row, basis) for o in others],
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            period_id=period.id if period else None,
            first_review_working_days=profile.first_review_working_days,
            calendar=profile.calendar,
            basis=basis,
        ),
        written_on=session.clock.today(),
        basis=basis,
        previous=_previous_recommendations(review, others),
    )
    return snap, stored


def _previous_recommendations(
    review: Review, others: Sequence[reviews_repo.StoredReview]
) -> tuple[rv.Recommendation, ...] | None:
    """The recommendations of the child's review held before this one; None if none was."""
    held_on = rv.first_meeting_date(review)
    if held_on is None:
        return None
    earlier = [
        (when, o.review)
        for o in others
        if o.review is not None
        and o.review.id != review.id
        and (when := rv.first_meeting_date(o.review)) is not None
        and when < held_on
    ]
    if not earlier:
        return None
    _, previous = max(earlier, key=lambda pair: pair[0])
    return tuple(r for r in previous.recommendations if r.action.strip())


def _stored_snapshot(letter: StoredLetter) -> LetterSnapshot:
    return LetterSnapshot.from_dict(letter.record_snapshot)


def _audit(
    session: CaseloadSession, s: DbSession, action: str, letter_id: str, detail: str
) -> None:
    session.audit(s, action, "letter", letter_id, detail)


def _text_problem(text: str) -> str:
    try:
        letter_from_text(text)
    except ValueError as exc:
        return str(exc)
    return ""


def _latest(letters: Sequence[StoredLetter]) -> StoredLetter | None:
    return letters[-1] if letters else None


def _deadlines(
    session: CaseloadSession,
    review: Review,
    letters: Sequence[StoredLetter],
    dists: Sequence[StoredDistribution],
) -> Deadlines:
    profile = session.profile
    today = session.clock.today()
    completed = rv.completion_date(review)
    recs_on = min(
        (c.on for c in review.history if c.to_status is ReviewStatus.RECOMMENDATIONS_ISSUED),
        default=None,
    )
    return Deadlines(
        completed_on=completed,
        recommendations=deadline_check(
            "Recommendations",
            completed,
            profile.recommendations_working_days,
            recs_on,
            today,
            profile,
        ),
        letter=deadline_check(
            "Letter to the child",
            completed,
            profile.minutes_working_days,
            letter_sent_on(letters, dists),
            today,
            profile,
        ),
    )


# --- opening --------------------------------------------------------------------------------


def _distribution(d: StoredDistribution, versions: dict[str, int]) -> Distribution:
    return Distribution(
        id=d.id,
        version=versions.get(d.version_id, 0),
        recipient=d.recipient,
        role=d.role,
        method=DistributionMethod(d.method),
        sent_on=d.sent_on,
        note=d.note,
        recorded_by=d.recorded_by,
    )


def _opened(
    session: CaseloadSession, s: DbSession, letter: StoredLetter, notes: tuple[DraftNote, ...] = ()
) -> OpenedLetter:
    stored = reviews_repo.load_review(s, letter.review_id)
    review = _readable_review(stored)
    child = reviews_repo.find_child(s, review.child_id)
    letters = letters_repo.versions_for_review(s, letter.review_id)
    dists = letters_repo.distributions_for_review(s, letter.review_id)
    numbers = {v.id: v.version for v in letters}
    version = version_from_stored(letter)
    flags: tuple[Flag, ...] = ()
    try:
        # A draft is checked against the record as it is now; a submitted or signed-off
        # version against the facts stored with it.
        snap = (
            _snapshot(session, s, letter.review_id)[0]
            if version.status.editable
            else _stored_snapshot(letter)
        )
        facts, _ = letter_facts(snap)
        flags = flags_in(letter.letter_text, facts)
        if not notes and version.status.editable:
            # The notes of a fresh draft come back when the letter is opened again.
            _, _, notes = _draft_text(snap, version.age_band, session.profile.calendar)
    except ValueError:
        pass
    # What still talks about the child is worked out on the text as it is now.
    notes = (*(n for n in notes if n.kind != "third_person"), *flag_notes(flags))
    return OpenedLetter(
        letter=version,
        versions=tuple(version_from_stored(v) for v in letters),
        review_id=letter.review_id,
        child_id=child.id,
        child_name=display_name(child.first_name, child.last_name, child.preferred_name),
        review_status=review.status,
        notes=notes,
        problem=_text_problem(letter.letter_text),
        plain_language=check_plain_language(letter.letter_text, version.age_band),
        deadlines=_deadlines(session, review, letters, dists),
        distributions=tuple(_distribution(d, numbers) for d in dists),
        third_person=flags,
    )


def open_letter(session: CaseloadSession, review_id: str) -> OpenedLetter | None:
    """The review's current letter (its latest version), or None if none is written yet."""
    with session.unit_of_work() as s:
        latest = _latest(letters_repo.versions_for_review(s, review_id))
        if latest is None:
            reviews_repo.load_review(s, review_id)  # a clear NotFound for a wrong id
            return None
        _audit(session, s, "open", latest.id, f"version {latest.version} opened")
        return _opened(session, s, latest)


def get_letter(session: CaseloadSession, version_id: str) -> OpenedLetter:
    """One version of a letter (the editor, the sign-off screen, the history)."""
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        _audit(session, s, "open", letter.id, f"version {letter.version} opened")
        return _opened(session, s, letter)


def list_versions(session: CaseloadSession, review_id: str) -> list[LetterVersion]:
    with session.unit_of_work() as s:
        return [version_from_stored(v) for v in letters_repo.versions_for_review(s, review_id)]


# --- drafting and editing -------------------------------------------------------------------


def _draft_text(
    snap: LetterSnapshot, age_band: AgeBand | None, calendar: Any = None
) -> tuple[str, AgeBand, tuple[DraftNote, ...]]:
    facts, notes = letter_facts(snap, calendar)
    band = AgeBand(age_band) if age_band is not None else facts.age_band
    draft = draft_letter(facts, read_phrase_bank(band))
    return letter_to_text(draft), band, (*draft.notes, *notes)


def draft_text(
    session: CaseloadSession, review_id: str, *, age_band: AgeBand | str | None = None
) -> tuple[str, AgeBand, tuple[DraftNote, ...]]:
    """The letter as it would be drafted from the record now, with its notes (nothing saved)."""
    with session.unit_of_work() as s:
        snap, _ = _snapshot(session, s, review_id)
        return _draft_text(snap, AgeBand(age_band) if age_band else None, session.profile.calendar)


def start_letter(
    session: CaseloadSession,
    review_id: str,
    *,
    age_band: AgeBand | str | None = None,
    large_print: bool | None = None,
) -> OpenedLetter:
    """Draft the review's letter (version 1) from the record, in the words of the phrase bank
    for the child's age band (or a simpler `age_band` the IRO chooses)."""
    with session.unit_of_work() as s:
        existing = letters_repo.versions_for_review(s, review_id)
        if existing:
            latest = existing[-1]
            raise ChangeRefused(
                f"This review already has a letter (version {latest.version}, "
                f"{LetterStatus(latest.status).label.lower()}). Open it to carry on"
                + (
                    ", or make a correction as a new version."
                    if latest.status in letters_repo.SIGNED_STATUSES
                    else "."
                )
            )
        snap, stored = _snapshot(session, s, review_id)
        text, band, notes = _draft_text(
            snap, AgeBand(age_band) if age_band else None, session.profile.calendar
        )
        letter = letters_repo.add_version(
            s,
            version_id=str(uuid.uuid4()),
            review_id=review_id,
            letter_text=text,
            content_hash=content_hash(text),
            record_snapshot=snap.to_dict(),
            age_band=band.value,
            large_print=session.settings.large_print_letters
            if large_print is None
            else large_print,
            created_by=session.username,
            now=session.now(),
        )
        _audit(
            session,
            s,
            "create",
            letter.id,
            f"version 1 drafted for review {review_id} ({band.label})",
        )
        if _readable_review(stored).status is ReviewStatus.RECOMMENDATIONS_ISSUED:
            steps.move_review(session, s, review_id, ReviewStatus.LETTER_DRAFTED)
        return _opened(session, s, letter, notes)


def redraft(
    session: CaseloadSession,
    version_id: str,
    *,
    age_band: AgeBand | str | None = None,
    expected_edit: int | None = None,
) -> OpenedLetter:
    """Write the version's text afresh from the record as it is now (the IRO's edits to it
    are replaced; the audit trail keeps that it happened)."""
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.EDIT, letter)
        snap, _ = _snapshot(session, s, letter.review_id)
        band = AgeBand(age_band) if age_band else AgeBand(letter.age_band)
        text, band, notes = _draft_text(snap, band, session.profile.calendar)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            expected_version=expected_edit,
            letter_text=text,
            content_hash=content_hash(text),
            record_snapshot=snap.to_dict(),
            age_band=band.value,
        )
        _audit(
            session,
            s,
            "update",
            version_id,
            f"version {letter.version} redrafted from the record ({band.label})",
        )
        return _opened(session, s, updated, notes)


def correct_letter(session: CaseloadSession, version_id: str) -> OpenedLetter:
    """A correction to an approved or issued letter: a new version starting from its text.

    The approved version is kept exactly as it was signed off.
    """
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.CORRECT, letter)
        snap, _ = _snapshot(session, s, letter.review_id)
        new = letters_repo.add_version(
            s,
            version_id=str(uuid.uuid4()),
            review_id=letter.review_id,
            letter_text=letter.letter_text,
            content_hash=letter.content_hash,
            record_snapshot=snap.to_dict(),
            age_band=letter.age_band,
            large_print=letter.large_print,
            created_by=session.username,
            now=session.now(),
            corrects_version=letter.version,
        )
        _audit(
            session,
            s,
            "create",
            new.id,
            f"version {new.version} started as a correction of version {letter.version}",
        )
        return _opened(session, s, new)


def save_text(
    session: CaseloadSession, version_id: str, text: str, *, expected_edit: int | None = None
) -> SavedText:
    """Save the IRO's edits (cheap enough to call on every autosave).

    Any text is kept, even half-written; `problem` says when it cannot be read as a letter
    yet (it must be fixed before the letter is submitted).
    """
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.EDIT, letter)
        hash_ = content_hash(text)
        if hash_ == letter.content_hash and expected_edit in (None, letter.row_version):
            return SavedText(letter.id, letter.row_version, hash_, _text_problem(text))
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            expected_version=expected_edit,
            letter_text=text,
            content_hash=hash_,
        )
        last = repo.audit_entries(s, version_id, limit=1)
        recent = (
            last
            and last[0]["username"] == session.username
            and last[0]["detail"].startswith("text saved")
            and session.now() - last[0]["at"] < timedelta(minutes=TEXT_AUDIT_MINUTES)
        )
        if not recent:
            _audit(session, s, "update", version_id, f"text saved (version {letter.version})")
    return SavedText(updated.id, updated.row_version, hash_, _text_problem(text))


def set_large_print(session: CaseloadSession, version_id: str, large_print: bool) -> LetterVersion:
    """Whether this child's letter is printed in large print (how it looks, not what it says)."""
    with session.unit_of_work() as s:
        updated = letters_repo.update_version(
            s, version_id, now=session.now(), large_print=large_print
        )
        _audit(session, s, "update", version_id, f"large print {'on' if large_print else 'off'}")
        return version_from_stored(updated)


# --- submitting -------------------------------------------------------------------------------


def submit(
    session: CaseloadSession,
    version_id: str,
    *,
    expected_edit: int | None = None,
    third_person_checked: bool = False,
) -> LetterVersion:
    """Send the version to a manager for sign-off, with the facts it will be printed from.

    A letter that still talks about the child in the third person is refused with the
    sentences (ThirdPersonLeft) unless the IRO has read them and says they are right as they
    are (`third_person_checked`): the manager is then told how many were left.

    The review moves to 'submitted for sign-off' (through 'letter drafted' if needed). A
    correction to an issued letter goes for sign-off the same way; the review stays issued.
    """
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        problem = _text_problem(letter.letter_text)
        status = steps.review_status(s, letter.review_id)
        steps.check(
            s, session, Step.SUBMIT, letter, expected_edit=expected_edit, review_status=status
        )
        # A name in a script the PDF cannot print must never go out as blanks (pdf.fonts).
        problem = problem or printing_problem(letter.letter_text) or ""
        if problem:
            raise ChangeRefused(f"The letter cannot be submitted yet: {problem}")
        snap, _ = _snapshot(session, s, letter.review_id)
        # Both documents must be printable from these facts before a manager sees them.
        facts, _ = letter_facts(snap)
        record_facts(snap)
        flags = flags_in(letter.letter_text, facts)
        if flags and not third_person_checked:
            raise ThirdPersonLeft(flags, facts.name_to_use)
        hash_ = content_hash(letter.letter_text)
        left = (
            f"{len(flags)} sentence{'s' if len(flags) != 1 else ''} the program read as "
            "third person left as written by the IRO."
            if flags
            else ""
        )
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.SUBMITTED.value,
            submitted_by=session.username,
            submitted_at=session.now(),
            record_snapshot=snap.to_dict(),
            content_hash=hash_,
            comments=[*letter.comments, steps.comment_entry(session, s, "submitted", left, hash_)],
        )
        steps.move_review_with(session, s, Step.SUBMIT, letter.review_id)
        _audit(
            session,
            s,
            "update",
            version_id,
            f"version {letter.version} submitted for sign-off (ref {hash_[:12]})"
            + (f"; {left}" if left else ""),
        )
        steps.emit(session, s, "submitted", updated)
        return version_from_stored(updated)


def submit_review_letter(session: CaseloadSession, review_id: str) -> LetterVersion:
    """Submit the review's current letter, drafting it from the record first if there is none."""
    with session.unit_of_work() as s:
        latest = _latest(letters_repo.versions_for_review(s, review_id))
    if latest is None:
        opened = start_letter(session, review_id)
        return submit(session, opened.letter.id)
    if LetterStatus(latest.status).signed:
        raise ChangeRefused(
            f"Version {latest.version} of this letter is already {latest.status}; make a "
            "correction as a new version to change it."
        )
    return submit(session, latest.id)


# --- issuing and the distribution log ---------------------------------------------------------


def _method(method: DistributionMethod | str) -> DistributionMethod:
    try:
        return DistributionMethod(method)
    except ValueError:
        choices = ", ".join(m.value for m in DistributionMethod)
        raise ValueError(
            f"'{method}' is not a way of sending a letter. Use one of: {choices}."
        ) from None


def _check_sent_on(letter: StoredLetter, sent_on: date, today: date) -> None:
    timescales.check_not_after_today(sent_on, today, "date the letter was sent")
    approved = letter.approved_at.date() if letter.approved_at else None
    if approved is not None and sent_on < approved:
        raise ValueError(
            f"The letter cannot have been sent on {format_date(sent_on)}: version "
            f"{letter.version} was approved on {format_date(approved)}."
        )


def _log(
    session: CaseloadSession, s: DbSession, letter: StoredLetter, who: Recipient, sent_on: date
) -> StoredDistribution:
    recipient = " ".join(who.recipient.split())
    if not recipient:
        raise ValueError("Say who the letter was sent to.")
    method = _method(who.method)
    entry = letters_repo.add_distribution(
        s,
        version_id=letter.id,
        recipient=recipient,
        role=" ".join(who.role.split()),
        method=method.value,
        sent_on=sent_on,
        note=who.note.strip(),
        recorded_by=session.username,
        now=session.now(),
    )
    session.audit(
        s,
        "create",
        "letter distribution",
        letter.id,
        f"version {letter.version} sent to {recipient} {method.label} on {sent_on.isoformat()}",
    )
    return entry


def issue(
    session: CaseloadSession,
    version_id: str,
    *,
    on: date | None = None,
    sent_to: Sequence[Recipient] = (),
) -> LetterVersion:
    """Issue the approved version (the review becomes issued) and log who it went to."""
    today = session.clock.today()
    when = on or today
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.ISSUE, letter)
        _check_sent_on(letter, when, today)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.ISSUED.value,
            issued_by=session.username,
            issued_on=when,
        )
        steps.move_review_with(session, s, Step.ISSUE, letter.review_id)
        for who in sent_to:
            _log(session, s, updated, who, when)
        _audit(
            session,
            s,
            "update",
            version_id,
            f"version {letter.version} issued on {when.isoformat()}",
        )
        steps.emit(session, s, "issued", updated)
        return version_from_stored(updated)


def record_distribution(
    session: CaseloadSession,
    version_id: str,
    *,
    recipient: str,
    method: DistributionMethod | str,
    sent_on: date | None = None,
    role: str = "",
    note: str = "",
) -> Distribution:
    """Log that the issued letter went to someone (post, email, by hand, secure email)."""
    when = sent_on or session.clock.today()
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        steps.check(s, session, Step.LOG_SENDING, letter)
        _check_sent_on(letter, when, session.clock.today())
        entry = _log(session, s, letter, Recipient(recipient, method, role, note), when)
        return _distribution(entry, {letter.id: letter.version})


def distribution_log(session: CaseloadSession, review_id: str) -> list[Distribution]:
    with session.unit_of_work() as s:
        letters = letters_repo.versions_for_review(s, review_id)
        numbers = {v.id: v.version for v in letters}
        return [
            _distribution(d, numbers) for d in letters_repo.distributions_for_review(s, review_id)
        ]


def deadlines(session: CaseloadSession, review_id: str) -> Deadlines:
    """The recommendations (5 working days) and letter (the profile's 15 or 20) deadlines."""
    with session.unit_of_work() as s:
        review = _readable_review(reviews_repo.load_review(s, review_id))
        letters = letters_repo.versions_for_review(s, review_id)
        dists = letters_repo.distributions_for_review(s, review_id)
    return _deadlines(session, review, letters, dists)


# --- the Letters list -----------------------------------------------------------------------

# A review's letter is on the list from completion until it is issued.
WORKLIST_STAGES = (
    ReviewStatus.COMPLETED,
    ReviewStatus.RECOMMENDATIONS_ISSUED,
    ReviewStatus.LETTER_DRAFTED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
)


def _work_item(row: letters_repo.WorklistRow, session: CaseloadSession, today: date) -> WorkItem:
    name = display_name(row.first_name, row.last_name, row.preferred_name)
    try:
        brief = (
            None
            if row.letter_id is None or row.version is None
            else LetterBrief(row.letter_id, row.version, LetterStatus(row.letter_status or ""))
        )
        deadline = deadline_check(
            "Letter to the child",
            row.completed_date,
            session.profile.minutes_working_days,
            row.sent_on,
            today,
            session.profile,
        )
    except ValueError as exc:  # a row that cannot be read is listed, not hidden
        return WorkItem(row.review_id, row.child_id, name, row.completed_date, None, None, str(exc))
    return WorkItem(row.review_id, row.child_id, name, row.completed_date, brief, deadline)


def _urgency(item: WorkItem) -> int:
    due = item.deadline.due_on if item.deadline is not None else None
    return due.toordinal() if due else 10**9


def worklist(session: CaseloadSession) -> list[WorkItem]:
    """The Letters list: every review whose letter is still to be written, in draft, back from
    the manager, waiting for sign-off, or approved and not yet issued, the most urgent first.

    One query of lean rows (no record, letter text or snapshot is loaded), whatever the size
    of the caseload; the deadline is the one `deadlines(...).letter` gives for the review
    (tests/services/test_letters_worklist.py holds the two together)."""
    today = session.clock.today()
    with session.unit_of_work() as s:
        rows = letters_repo.worklist_rows(s, [stage.value for stage in WORKLIST_STAGES])
    items = [_work_item(row, session, today) for row in rows]
    items.sort(key=lambda item: (_urgency(item), item.child_name))
    return items


# --- PDFs -------------------------------------------------------------------------------------


def _printable(
    session: CaseloadSession, s: DbSession, letter: StoredLetter
) -> tuple[LetterDraft, LetterFacts, SignOffStamp | None, LetterSnapshot]:
    """What the PDF of one version is made from: its text, its facts and its stamp.

    A signed-off or submitted version is printed from the facts stored with it; a draft from
    the record as it is now. An unapproved letter is marked as a draft on the page.
    """
    version = version_from_stored(letter)
    if version.status.editable:
        snap, _ = _snapshot(session, s, letter.review_id)
    else:
        snap = _stored_snapshot(letter)
    facts, _ = letter_facts(snap)
    try:
        draft = letter_from_text(letter.letter_text)
    except ValueError as exc:
        raise ValueError(
            f"Version {letter.version} of the letter cannot be printed: {exc}"
        ) from None
    stamp = version.signoff
    if stamp is not None and content_hash(letter.letter_text) != letter.content_hash:
        raise ValueError(
            f"The text of version {letter.version} does not match the text that was approved "
            f"(ref {letter.content_hash[:12]}). It has been altered outside IRO Desktop; "
            "nothing was printed."
        )
    if stamp is None:
        draft = mark_unapproved(draft)
    return draft, facts, stamp, snap


def _where(out: Path | BinaryIO) -> tuple[Path | None, str]:
    """A path, or None and words for the audit when the PDF went to memory (a preview)."""
    if isinstance(out, str | os.PathLike):
        return Path(out), str(out)
    return None, "memory, shown on screen (not saved)"


def render_letter_pdf(
    session: CaseloadSession,
    review_id: str,
    out: Path | BinaryIO,
    *,
    version_id: str | None = None,
    large_print: bool | None = None,
) -> RenderedPdf:
    """The letter as a PDF: the given version, else the review's current one, else a draft
    written from the record now (not saved). Unapproved letters say so on the page.

    `out` is a path, or a binary stream for a preview that never touches the disk."""
    path, where = _where(out)
    with session.unit_of_work() as s:
        if version_id is not None:
            letter: StoredLetter | None = letters_repo.get_version(s, version_id)
            if letter is not None and letter.review_id != review_id:
                raise ValueError(f"Letter version {version_id} belongs to another review.")
        else:
            letter = _latest(letters_repo.versions_for_review(s, review_id))
        if letter is None:
            snap, _ = _snapshot(session, s, review_id)
            facts, _ = letter_facts(snap)
            draft = mark_unapproved(
                draft_letter(facts, read_phrase_bank(facts.age_band)).without_notes()
            )
            stamp = None
            big = session.settings.large_print_letters
            number = None
            audit_id = review_id
        else:
            draft, facts, stamp, snap = _printable(session, s, letter)
            big = letter.large_print
            number = letter.version
            audit_id = letter.id
        big = big if large_print is None else large_print
        pages = render_letter(draft, facts, out, large_print=big, signoff=stamp)
        session.audit(
            s,
            "export",
            "letter",
            audit_id,
            f"letter PDF written ({'approved version' if stamp else 'unapproved draft'}"
            f"{f' {number}' if number else ''}) to {where}",
        )
    return RenderedPdf(path, pages, stamp is not None, number, stamp)


def render_record_pdf(
    session: CaseloadSession, review_id: str, out: Path | BinaryIO
) -> RenderedPdf:
    """The record of the review as a PDF: from the latest approved letter version's facts,
    with its sign-off stamp; otherwise from the record now, marked as a draft."""
    path, where = _where(out)
    with session.unit_of_work() as s:
        letters = letters_repo.versions_for_review(s, review_id)
        signed = [v for v in letters if v.status in letters_repo.SIGNED_STATUSES]
        if signed:
            letter = signed[-1]
            stamp = version_from_stored(letter).signoff
            snap = _stored_snapshot(letter)
            number: int | None = letter.version
        else:
            snap, _ = _snapshot(session, s, review_id)
            stamp, number = None, None
        record, _ = record_facts(snap, stamp)
        pages = render_record_pdf_file(record, out, stamp)
        session.audit(
            s,
            "export",
            "review record",
            review_id,
            f"record PDF written ({'approved' if stamp else 'draft'}) to {where}",
        )
    return RenderedPdf(path, pages, stamp is not None, number, stamp)


def _latest_per_review(
    rows: Sequence[letters_repo.LetterContext], s: DbSession
) -> list[letters_repo.LetterContext]:
    keep = []
    for row in rows:
        latest = letters_repo.versions_for_review(s, row.letter.review_id)[-1]
        if latest.id == row.letter.id:
            keep.append(row)
    return keep


def approved_not_issued(session: CaseloadSession) -> list[LetterVersion]:
    """Approved letters waiting to be sent out (the current version of each review's letter)."""
    with session.unit_of_work() as s:
        rows = _latest_per_review(
            letters_repo.versions_with_status(s, LetterStatus.APPROVED.value), s
        )
        return [version_from_stored(r.letter) for r in rows]


def render_batch(
    session: CaseloadSession,
    out_dir: Path,
    progress: Callable[[int, int], None],
    *,
    large_print: bool | None = None,
) -> list[BatchLine]:
    """Print every approved letter not yet issued into out_dir, each file named after the
    child and the review's date.

    One letter that cannot be made is reported on its line; the rest go on.
    """
    lines: list[BatchLine] = []
    jobs: list[LetterJob] = []
    job_rows: list[letters_repo.LetterContext] = []
    with session.unit_of_work() as s:
        rows = _latest_per_review(
            letters_repo.versions_with_status(s, LetterStatus.APPROVED.value), s
        )
        for row in rows:
            name = display_name(row.child_first_name, row.child_last_name, row.child_preferred_name)
            try:
                draft, facts, stamp, _ = _printable(session, s, row.letter)
            except ValueError as exc:
                lines.append(
                    BatchLine(
                        row.letter.id,
                        row.letter.review_id,
                        name,
                        row.letter.version,
                        None,
                        str(exc),
                        review_on=row.first_meeting_on or row.completed_date,
                    )
                )
                continue
            big = row.letter.large_print if large_print is None else large_print
            filename = batch_file_name(name, facts.held_on)  # whose letter, before opening it
            jobs.append(LetterJob(draft, facts, large_print=big, signoff=stamp, filename=filename))
            job_rows.append(row)
    done = 0

    def counted(current: int, total: int) -> None:
        nonlocal done
        done = current
        progress(current, total)

    try:
        outcomes = render_letters_batch(jobs, out_dir, counted)
    except BaseException:
        # Stopped part-way (the window's Stop raises from the progress callback): the letters
        # already written are personal data on disk, so they are audited before giving up.
        with session.unit_of_work() as s:
            for row in job_rows[:done]:
                _audit(
                    session,
                    s,
                    "export",
                    row.letter.id,
                    f"approved version {row.letter.version} printed to {out_dir} "
                    "(batch stopped part-way)",
                )
        raise
    with session.unit_of_work() as s:
        for row, outcome in zip(job_rows, outcomes, strict=True):
            name = display_name(row.child_first_name, row.child_last_name, row.child_preferred_name)
            lines.append(
                BatchLine(
                    row.letter.id,
                    row.letter.review_id,
                    name,
                    row.letter.version,
                    outcome.path,
                    outcome.error or "",
                    review_on=outcome.job.facts.held_on,
                )
            )
            if outcome.path is not None:
                _audit(
                    session,
                    s,
                    "export",
                    row.letter.id,
                    f"approved version {row.letter.version} printed in a batch to {outcome.path}",
                )
    return lines


# --- the IRO's own details on letters ----------------------------------------------------------


def set_contact_details(session: CaseloadSession, *, phone: str, email: str) -> None:
    """The work phone and email printed on the logged-in person's letters."""
    phone, email = " ".join(phone.split()), email.strip()
    if not (phone or email):
        raise ValueError("Give a work phone number or an email address (or both).")
    if email and ("@" not in email or " " in email):
        raise ValueError(f"'{email}' does not look like an email address.")
    with session.unit_of_work() as s:
        letters_repo.set_user_contact(s, session.username, phone=phone, email=email)
        session.audit(s, "update", "login", session.username, "contact details for letters changed")
