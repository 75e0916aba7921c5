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
    LetterDraft,
    LetterFacts,
    draft_letter,
    format_date,
    letter_from_text,
    letter_to_text,
)
from iro_desktop.domain.record import SignOffStamp, content_hash
from iro_desktop.domain.review import ChangeRefused, Review, ReviewStatus, SeriesBasis
from iro_desktop.pdf import LetterJob, read_phrase_bank, render_letter, render_letters_batch
from iro_desktop.pdf import render_record as render_record_pdf_file
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
from iro_desktop.services.letter_model import (
    DRAFT_MARK,
    BatchLine,
    Comment,
    DeadlineCheck,
    Deadlines,
    Distribution,
    DistributionMethod,
    LetterStatus,
    LetterVersion,
    OpenedLetter,
    Recipient,
    RenderedPdf,
    SavedText,
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
    "LetterFrozen",
    "LetterStatus",
    "LetterVersion",
    "OpenedLetter",
    "Recipient",
    "RenderedPdf",
    "SavedText",
    "approved_not_issued",
    "check_plain_language",
    "correct_letter",
    "deadline_check",
    "deadlines",
    "distribution_log",
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
]

# Typing is audited once per letter version per person in this window, not every autosave.
TEXT_AUDIT_MINUTES = 10


# --- helpers --------------------------------------------------------------------------------


def series_basis(session: CaseloadSession) -> SeriesBasis:
    return session.profile.series_basis


def _readable_review(stored: reviews_repo.StoredReview) -> Review:
    if stored.review is None:
        raise ValueError(
            f"The record of review {stored.row.id} could not be read ({stored.problem}), so "
            "no letter can be written from it."
        )
    return stored.review


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
    )
    return snap, stored


def _stored_snapshot(letter: StoredLetter) -> LetterSnapshot:
    return LetterSnapshot.from_dict(letter.record_snapshot)


def _move_review(
    session: CaseloadSession,
    s: DbSession,
    review_id: str,
    to: ReviewStatus,
    *,
    reason: str | None = None,
) -> None:
    stored = reviews_repo.load_review(s, review_id)
    change = rv.transition(_readable_review(stored), to, on=session.clock.today(), reason=reason)
    reviews_repo.save_review(s, change.review, basis=series_basis(session), now=session.now())
    detail = change.event.summary + (
        f" Reason: {change.event.reason}" if change.event.reason else ""
    )
    session.audit(s, "update", "review", review_id, detail)


def _review_status(s: DbSession, review_id: str) -> ReviewStatus:
    return _readable_review(reviews_repo.load_review(s, review_id)).status


def _audit(
    session: CaseloadSession, s: DbSession, action: str, letter_id: str, detail: str
) -> None:
    session.audit(s, action, "letter", letter_id, detail)


def _comment(
    session: CaseloadSession, s: DbSession, action: str, text: str, hash_: str
) -> dict[str, Any]:
    me = repo.get_user(s, session.username) or {}
    return {
        "at": session.now().isoformat(),
        "by": session.username,
        "by_name": me.get("display_name") or session.username,
        "action": action,
        "text": text,
        "content_hash": hash_,
    }


def _text_problem(text: str) -> str:
    try:
        letter_from_text(text)
    except ValueError as exc:
        return str(exc)
    return ""


def _latest(letters: Sequence[StoredLetter]) -> StoredLetter | None:
    return letters[-1] if letters else None


def _emit(
    session: CaseloadSession,
    s: DbSession,
    kind: str,
    letter: StoredLetter,
    child_id: str,
    comment: str = "",
) -> None:
    from iro_desktop.services import signoff

    signoff.outbox_hook(
        session,
        s,
        signoff.SignoffEvent(
            kind=kind,
            version_id=letter.id,
            review_id=letter.review_id,
            child_id=child_id,
            version=letter.version,
            content_hash=letter.content_hash,
            by=session.username,
            at=session.now(),
            comment=comment,
        ),
    )


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
    if not notes and version.status.editable:
        # The notes of a fresh draft come back when the letter is opened again.
        try:
            snap, _ = _snapshot(session, s, letter.review_id)
            _, _, notes = _draft_text(snap, version.age_band)
        except ValueError:
            notes = ()
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
    snap: LetterSnapshot, age_band: AgeBand | None
) -> tuple[str, AgeBand, tuple[DraftNote, ...]]:
    facts, notes = letter_facts(snap)
    band = AgeBand(age_band) if age_band is not None else facts.age_band
    draft = draft_letter(facts, read_phrase_bank(band))
    return letter_to_text(draft), band, (*draft.notes, *notes)


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
        text, band, notes = _draft_text(snap, AgeBand(age_band) if age_band else None)
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
            _move_review(session, s, review_id, ReviewStatus.LETTER_DRAFTED)
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
        _refuse_unless_editable(letter, "redraft it")
        snap, _ = _snapshot(session, s, letter.review_id)
        band = AgeBand(age_band) if age_band else AgeBand(letter.age_band)
        text, band, notes = _draft_text(snap, band)
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
        if letter.status not in letters_repo.SIGNED_STATUSES:
            raise ChangeRefused(
                f"Version {letter.version} is not approved yet, so change it directly; "
                "a correction is only needed once a letter has been signed off."
            )
        latest = letters_repo.versions_for_review(s, letter.review_id)[-1]
        if latest.id != letter.id:
            raise ChangeRefused(
                f"There is already a later version ({latest.version}, "
                f"{LetterStatus(latest.status).label.lower()}); correct that one instead."
            )
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


def _refuse_unless_editable(letter: StoredLetter, what: str) -> None:
    status = LetterStatus(letter.status)
    if status is LetterStatus.SUBMITTED:
        raise ChangeRefused(
            f"Version {letter.version} is with a manager for sign-off; to {what}, ask for it "
            "to be returned first."
        )
    if status.signed:
        raise LetterFrozen(
            f"Version {letter.version} has been {status.value}, so it cannot be changed; "
            "a correction is made as a new version."
        )


def save_text(
    session: CaseloadSession, version_id: str, text: str, *, expected_edit: int | None = None
) -> SavedText:
    """Save the IRO's edits (cheap enough to call on every autosave).

    Any text is kept, even half-written; `problem` says when it cannot be read as a letter
    yet (it must be fixed before the letter is submitted).
    """
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        _refuse_unless_editable(letter, "change it")
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

_NOT_READY = (
    ReviewStatus.PLANNED,
    ReviewStatus.PREPARING,
    ReviewStatus.STOOD_DOWN,
    ReviewStatus.HELD,
    ReviewStatus.COMPLETED,
)


def submit(
    session: CaseloadSession, version_id: str, *, expected_edit: int | None = None
) -> LetterVersion:
    """Send the version to a manager for sign-off, with the facts it will be printed from.

    The review moves to 'submitted for sign-off' (through 'letter drafted' if needed). A
    correction to an issued letter goes for sign-off the same way; the review stays issued.
    """
    with session.unit_of_work() as s:
        letter = letters_repo.get_version(s, version_id)
        _refuse_unless_editable(letter, "submit it again")
        if expected_edit is not None and letter.row_version != expected_edit:
            raise LetterChanged(
                f"Version {letter.version} was changed elsewhere after you opened it. Open it "
                "again before submitting."
            )
        problem = _text_problem(letter.letter_text)
        if problem:
            raise ChangeRefused(f"The letter cannot be submitted yet: {problem}")
        others = letters_repo.versions_for_review(s, letter.review_id)
        waiting = [
            v for v in others if v.status == LetterStatus.SUBMITTED.value and v.id != letter.id
        ]
        if waiting:
            raise ChangeRefused(
                f"Version {waiting[0].version} of this letter is already with a manager for "
                "sign-off."
            )
        status = _review_status(s, letter.review_id)
        if status in _NOT_READY:
            step = (
                "complete the review and record that its recommendations were issued"
                if status is not ReviewStatus.COMPLETED
                else "record that the review's recommendations were issued"
            )
            raise ChangeRefused(
                f"The review is at '{status.label}': {step} before the letter goes for sign-off."
            )
        snap, _ = _snapshot(session, s, letter.review_id)
        # Both documents must be printable from these facts before a manager sees them.
        letter_facts(snap)
        record_facts(snap)
        hash_ = content_hash(letter.letter_text)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.SUBMITTED.value,
            submitted_by=session.username,
            submitted_at=session.now(),
            record_snapshot=snap.to_dict(),
            content_hash=hash_,
            comments=[*letter.comments, _comment(session, s, "submitted", "", hash_)],
        )
        if status is ReviewStatus.RECOMMENDATIONS_ISSUED:
            _move_review(session, s, letter.review_id, ReviewStatus.LETTER_DRAFTED)
            status = ReviewStatus.LETTER_DRAFTED
        if status is ReviewStatus.LETTER_DRAFTED:
            _move_review(session, s, letter.review_id, ReviewStatus.SUBMITTED)
        _audit(
            session,
            s,
            "update",
            version_id,
            f"version {letter.version} submitted for sign-off (ref {hash_[:12]})",
        )
        _emit(session, s, "submitted", updated, snap.child.id)
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
        status = LetterStatus(letter.status)
        if status is LetterStatus.ISSUED:
            raise ChangeRefused(
                f"Version {letter.version} was already issued on "
                f"{format_date(letter.issued_on) if letter.issued_on else 'an earlier date'}."
            )
        if status is not LetterStatus.APPROVED:
            raise ChangeRefused(
                f"Version {letter.version} is '{status.label}': only a letter a manager has "
                "approved can be issued."
            )
        latest = letters_repo.versions_for_review(s, letter.review_id)[-1]
        if latest.id != letter.id:
            raise ChangeRefused(
                f"Version {letter.version} has been replaced by version {latest.version}; issue "
                "that one once it is approved."
            )
        _check_sent_on(letter, when, today)
        updated = letters_repo.update_version(
            s,
            version_id,
            now=session.now(),
            status=LetterStatus.ISSUED.value,
            issued_by=session.username,
            issued_on=when,
        )
        review_status = _review_status(s, letter.review_id)
        if review_status is ReviewStatus.APPROVED:
            _move_review(session, s, letter.review_id, ReviewStatus.ISSUED)
        for who in sent_to:
            _log(session, s, updated, who, when)
        _audit(
            session,
            s,
            "update",
            version_id,
            f"version {letter.version} issued on {when.isoformat()}",
        )
        child_id = reviews_repo.load_review(s, letter.review_id).row.child_id
        _emit(session, s, "issued", updated, child_id)
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
        if letter.status != LetterStatus.ISSUED.value:
            raise ChangeRefused(
                f"Version {letter.version} has not been issued, so it cannot have been sent. "
                "Issue the approved letter first."
            )
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
    """Print every approved letter not yet issued into out_dir (names never in file names).

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
                    )
                )
                continue
            big = row.letter.large_print if large_print is None else large_print
            jobs.append(LetterJob(draft, facts, large_print=big, signoff=stamp))
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
