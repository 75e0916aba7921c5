"""The open review behind the review window: the draft being typed, autosave and undo.

`draft` is what the form shows; every edit replaces it (records are frozen), is a step of
Undo (whatever is autosaved can be undone), and starts a one-second timer, so what the IRO types reaches the store within two seconds through
`services.reviews.save_draft` (which saves incomplete records and returns their problems).
Saves and lifecycle steps run one after another on the task queue, each with the version the
one before it returned, so a later save is never refused as "changed elsewhere" by an earlier
one of ours.

Fields that change only through their own action (status, planned date, ...) are always sent
as the store last returned them, so a step taken meanwhile is never undone by a draft.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from iro_desktop.clock import Clock
from iro_desktop.domain import review as rv
from iro_desktop.domain.review import (
    Meeting,
    Problem,
    Recommendation,
    RecommendationStatus,
    Review,
    SeriesBasis,
    Severity,
)
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.reviews import DraftSaved, OpenedReview, ReviewUpdate
from iro_desktop.ui.page import PageContext

SAVE_DELAY_MS = 1000

# Changed only through their own action; a draft carries them as last stored.
OWN_FIELDS = (
    "id",
    "child_id",
    "kind",
    "status",
    "history",
    "planned_on",
    "rearrangements",
    "stand_downs",
    "extra",
    "extra_reason",
)
UNDONE_ADD = "Added by mistake (removed with Undo)."
UNDONE_STATE = "Changed back with Undo."

Action = Callable[[CaseloadSession, str, int], ReviewUpdate]


def with_stored_fields(draft: Review, stored: Review) -> Review:
    """The draft with the fields only actions change taken from the stored record."""
    meetings = tuple(
        replace(m, final=stored.meetings[i].final) if i < len(stored.meetings) else m
        for i, m in enumerate(draft.meetings)
    )
    own: dict[str, Any] = {name: getattr(stored, name) for name in OWN_FIELDS}
    return replace(draft, meetings=meetings, **own)


def reconcile_recommendations(
    wanted: tuple[Recommendation, ...], stored: tuple[Recommendation, ...], today: date
) -> tuple[Recommendation, ...]:
    """Recommendations as Undo/Redo wants them, in a form the store accepts.

    A saved recommendation is never deleted: undoing its addition drops it, with the reason.
    Going back to an earlier state that the store no longer has needs a reason (reopening).
    """
    by_id = {r.id: r for r in wanted}
    result: list[Recommendation] = []
    for old in stored:
        rec = by_id.pop(old.id, None)
        if rec is None:
            rec = (
                old
                if old.status is RecommendationStatus.DROPPED
                else replace(
                    old,
                    status=RecommendationStatus.DROPPED,
                    status_on=today,
                    status_note=UNDONE_ADD,
                )
            )
        elif rec.status is old.status:
            rec = replace(rec, status_on=old.status_on, status_note=old.status_note)
        elif rec.status is RecommendationStatus.OPEN or (
            rec.status is RecommendationStatus.DROPPED and not rec.status_note.strip()
        ):
            # Reopening, or dropping, needs a reason on the record.
            rec = replace(rec, status_on=today, status_note=UNDONE_STATE)
        result.append(rec)
    result += [r for r in wanted if r.id in by_id]
    return tuple(result)


def reconcile_meetings(
    wanted: tuple[Meeting, ...], stored: tuple[Meeting, ...]
) -> tuple[tuple[Meeting, ...], str]:
    """Meetings as Undo/Redo wants them, keeping what the record cannot lose.

    Returns the meetings and a sentence when a saved meeting had to stay.
    """
    note = ""
    meetings = list(wanted)
    if len(meetings) < len(stored):
        meetings += stored[len(meetings) :]
        note = "A meeting that has been saved stays on the record; correct it instead."
    for i, old in enumerate(stored):
        if old.held and not meetings[i].held:
            meetings[i] = replace(meetings[i], held=True)
            note = "A meeting saved as held stays held; correct its date or notes instead."
    return tuple(meetings), note


class FieldCommand(QUndoCommand):
    """Undo/redo of fields of the review: every edit the form autosaves is one of these.

    Successive edits with the same `merge_key` (typing into one field) become one step.
    """

    MERGE_ID = 7301

    def __init__(
        self,
        editor: ReviewEditor,
        changes: dict[str, tuple[object, object]],
        text: str,
        merge_key: str = "",
    ) -> None:
        super().__init__(text)
        self.editor = editor
        self.changes = dict(changes)  # field -> (before, after)
        self.merge_key = merge_key
        self.quiet = True  # the first redo comes from the form itself: no refill

    @property
    def field(self) -> str:
        return next(iter(self.changes))

    def id(self) -> int:
        return self.MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if (
            not isinstance(other, FieldCommand)
            or other.merge_key != self.merge_key
            or set(other.changes) != set(self.changes)
        ):
            return False
        for name, (_before, after) in other.changes.items():
            self.changes[name] = (self.changes[name][0], after)
        return True

    def redo(self) -> None:
        after = {name: pair[1] for name, pair in self.changes.items()}
        self.editor.set_fields(after, refill=not self.quiet)
        self.quiet = False

    def undo(self) -> None:
        self.editor.set_fields({name: pair[0] for name, pair in self.changes.items()}, refill=True)


def changed_fields(before: Review, after: Review) -> dict[str, tuple[object, object]]:
    """The fields of the record an edit changed, with their values before and after."""
    changes: dict[str, tuple[object, object]] = {}
    for f in fields(Review):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old != new:
            changes[f.name] = (old, new)
    return changes


def _typing_key() -> str:
    """Typing into one text field is one undo step; a choice in a list is a step of its own."""
    focus = QApplication.focusWidget()
    if isinstance(focus, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return f"typing:{id(focus)}"
    return ""


def _focus_words() -> str:
    focus = QApplication.focusWidget()
    name = focus.accessibleName().strip() if focus is not None else ""
    return f"Change '{name}'" if name else "Change the record"


class ReviewEditor(QObject):
    """The review open in the window (see the module docstring)."""

    opened = Signal()  # a review was loaded: sections fill from `draft`
    refill = Signal(str)  # the draft's field changed under the form ("" = everything)
    problems_changed = Signal()
    save_state = Signal(str)  # "Saved 10:42:13", "Saving...", "Not saved: ..."
    record_changed = Signal()  # status, version or dates from the store changed
    kept_aside = Signal(str)  # a draft the rules refused was kept; the reason
    draft_changed = Signal()  # any edit (or undo): summaries follow the draft at once

    def __init__(self, ctx: PageContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info: OpenedReview | None = None
        self.stored: Review | None = None
        self.draft: Review | None = None
        self.version = 0
        self.problems: tuple[Problem, ...] = ()
        self.dirty = False
        self.failed = False
        self.refusal = ""
        self.saved_at = ""
        self._generation = 0
        self._busy = False
        self._queue: deque[Callable[[], bool]] = deque()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        self.undo_stack = QUndoStack(self)
        self._clock: Clock | None = None

    # --- what is open ------------------------------------------------------------------------

    @property
    def review_id(self) -> str | None:
        return self.stored.id if self.stored is not None else None

    @property
    def basis(self) -> SeriesBasis:
        return self.info.basis if self.info is not None else SeriesBasis.FIRST_MEETING

    def today(self) -> date:
        # The clock of the review being shown (a field may still ask after a lock).
        clock = self._clock if self._clock is not None else self.ctx.session().clock
        return clock.today()

    def child_age(self) -> int | None:
        if self.info is None or self.draft is None:
            return None
        when = rv.review_date(self.draft, self.basis)
        if when < self.info.child_dob:
            return None
        return rv.age_on(self.info.child_dob, when)

    def load(
        self,
        review_id: str,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        from iro_desktop.services import reviews as svc

        session = self.ctx.session()

        def opened(info: OpenedReview) -> None:
            self.show(info)
            if on_done is not None:
                on_done()

        self.ctx.tasks.run(
            lambda: svc.get_review(session, review_id), opened, on_error, label="open review"
        )

    def show(self, info: OpenedReview) -> None:
        self.timer.stop()
        self._clock = self.ctx.session().clock
        self.info = info
        self.stored = info.review
        self.draft = info.review
        self.version = info.version
        self.problems = info.problems
        self.dirty = self.failed = False
        self.refusal = ""
        self.saved_at = ""
        self._queue.clear()
        self.undo_stack.clear()
        self.opened.emit()
        self.problems_changed.emit()
        if info.unsaved_draft is not None:
            self.refusal = "Changes typed earlier could not be saved and were kept aside."
            self.kept_aside.emit(self.refusal)

    def clear(self) -> None:
        self.timer.stop()
        self._busy = False
        self.info = self.stored = self.draft = None
        self.problems = ()
        self.dirty = self.failed = False
        self.refusal = ""
        self._queue.clear()
        self.undo_stack.clear()

    # --- editing ---------------------------------------------------------------------------

    def edit(
        self, change: Callable[[Review], Review], text: str = "", merge_key: str | None = None
    ) -> None:
        """Change the draft, as one step of Undo; it is saved within a second or so.

        `text` names the step ("Change 'Role'" from the field with the focus if not given);
        typing into one field is merged into one step unless `merge_key` says otherwise.
        """
        if self.draft is None:
            return
        changes = changed_fields(self.draft, change(self.draft))
        if not changes:
            return
        key = _typing_key() if merge_key is None else merge_key
        self.undo_stack.push(FieldCommand(self, changes, text or _focus_words(), key))

    def apply(self, change: Callable[[Review], Review]) -> None:
        """Change the draft without a step of Undo (a draft put back after a lock)."""
        if self.draft is None:
            return
        self.draft = change(self.draft)
        self.dirty = True
        self._generation += 1
        self.check()
        if not self.timer.isActive():
            self.timer.start()
        self.save_state.emit("Unsaved changes (saving in a moment)")
        self.draft_changed.emit()

    def set_fields(self, values: dict[str, object], *, refill: bool) -> None:
        """Used by undo commands: the review's fields take these values, as the store
        allows."""
        if self.draft is None or self.stored is None:
            return
        note = ""
        changes: dict[str, Any] = dict(values)
        if "recommendations" in changes:
            value = changes["recommendations"]
            assert isinstance(value, tuple)
            changes["recommendations"] = reconcile_recommendations(
                value, self.stored.recommendations, self.today()
            )
        if "meetings" in changes:
            value = changes["meetings"]
            assert isinstance(value, tuple)
            changes["meetings"], note = reconcile_meetings(value, self.stored.meetings)
        self.apply(lambda r: replace(r, **changes))
        if refill:
            for name in changes:
                self.refill.emit(name)
        if note:
            self.ctx.status(note)

    def set_field(self, name: str, value: object, *, refill: bool) -> None:
        self.set_fields({name: value}, refill=refill)

    def push(self, field: str, after: object, text: str, merge_key: str = "") -> None:
        """An undoable change of `field` (recommendations or meetings) to `after`."""
        if self.draft is None:
            return
        before = getattr(self.draft, field)
        if before == after:
            return
        self.undo_stack.push(FieldCommand(self, {field: (before, after)}, text, merge_key))

    def check(self) -> None:
        """Problems with the draft, worked out here at once (the save returns the same)."""
        info, draft = self.info, self.draft
        if info is None or draft is None:
            return
        session = self.ctx.session()
        try:
            problems = rv.check_review(
                draft,
                info.child_dob,
                info.period_start or info.child_dob,
                session.clock.today(),
                basis=info.basis,
                calendar=session.profile.calendar,
                consult_weeks=session.profile.visit_window_weeks,
                report_days_before=session.profile.social_worker_report_working_days_before,
            )
        except ValueError as exc:
            problems = [Problem("", Severity.ERROR, str(exc))]
        self.problems = tuple(problems)
        self.problems_changed.emit()

    # --- saving ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Save now if anything is unsaved (the lock calls this through the page)."""
        self.timer.stop()
        if self.dirty and self.stored is not None:
            self._enqueue(self._start_save)

    def outgoing(self) -> Review | None:
        if self.draft is None or self.stored is None:
            return None
        return with_stored_fields(self.draft, self.stored)

    def _enqueue(self, start: Callable[[], bool]) -> None:
        self._queue.append(start)
        self._next()

    def _next(self) -> None:
        while not self._busy and self._queue:
            start = self._queue.popleft()
            self._busy = True  # before starting: a synchronous task finishes inside start()
            if not start():  # nothing to do after all
                self._busy = False

    def _finished(self) -> None:
        self._busy = False
        self._next()

    def _start_save(self) -> bool:
        from iro_desktop.services import reviews as svc

        draft = self.outgoing()
        if not self.dirty or draft is None:
            return False
        session = self.ctx.session()
        generation, version = self._generation, self.version
        self.dirty = False
        self.save_state.emit("Saving...")

        def done(result: DraftSaved) -> None:
            self._finished()
            if self.stored is None or result.review.id != self.stored.id:
                return  # another review was opened meanwhile
            self.version = result.version
            self.failed = False
            if not result.saved:
                self.refusal = result.refused
                self.save_state.emit(f"Not saved: {result.refused}")
                self.kept_aside.emit(result.refused)
                return
            status_before = self.stored.status
            self.stored = result.review
            if self._generation == generation:
                self.draft = result.review
                self.problems = result.problems
                self.problems_changed.emit()
            else:
                self.draft = with_stored_fields(self.draft or result.review, result.review)
            self.saved_at = self._now()
            self.save_state.emit(f"Saved {self.saved_at}")
            if result.review.status is not status_before:
                self.record_changed.emit()

        def failed(exc: BaseException) -> None:
            self._finished()
            self.dirty = True
            self.failed = True
            self.save_state.emit(f"Not saved: {exc}")
            if not isinstance(exc, ValueError):
                handler = self.ctx.tasks.error_handler
                if handler is not None:
                    handler(exc)

        self.ctx.tasks.run(
            lambda: svc.save_draft(session, draft, expected_version=version),
            done,
            failed,
            label="save review",
        )
        return True

    def act(
        self,
        action: Action,
        on_done: Callable[[ReviewUpdate], None] | None = None,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        """A step of the review (prepare, complete, issue...), after any unsaved typing."""
        self.flush()
        self._enqueue(lambda: self._start_action(action, on_done, on_refused))

    def _start_action(
        self,
        action: Action,
        on_done: Callable[[ReviewUpdate], None] | None,
        on_refused: Callable[[str], None] | None,
    ) -> bool:
        if self.stored is None:
            return False
        session = self.ctx.session()
        review_id, version = self.stored.id, self.version

        def done(update: ReviewUpdate) -> None:
            self._finished()
            if self.stored is None or update.review.id != self.stored.id:
                return
            self.stored = update.review
            self.version = update.version
            if self.dirty:
                self.draft = with_stored_fields(self.draft or update.review, update.review)
                self.check()
            else:
                self.draft = update.review
                self.problems = update.problems
                self.problems_changed.emit()
            # Earlier steps cannot be undone across a step of the lifecycle.
            self.undo_stack.clear()
            self.saved_at = self._now()
            self.save_state.emit(f"Saved {self.saved_at}")
            self.refill.emit("")
            self.record_changed.emit()
            if on_done is not None:
                on_done(update)

        def failed(exc: BaseException) -> None:
            self._finished()
            if isinstance(exc, ValueError):
                if on_refused is not None:
                    on_refused(str(exc))
                return
            handler = self.ctx.tasks.error_handler
            if handler is not None:
                handler(exc)

        self.ctx.tasks.run(
            lambda: action(session, review_id, version), done, failed, label="review step"
        )
        return True

    def put_back_stored(self) -> None:
        """Forget the refused change and show the record as the store has it now (it may
        have been changed elsewhere, which is one reason a save is refused)."""
        from iro_desktop.services import reviews as svc

        if self.stored is None:
            return
        session = self.ctx.session()
        review_id = self.stored.id
        self.timer.stop()
        self.dirty = False
        self.refusal = ""

        def reopen() -> OpenedReview:
            svc.discard_unsaved_draft(session, review_id)
            return svc.get_review(session, review_id)

        def opened(info: OpenedReview) -> None:
            self.show(info)
            self.save_state.emit("The saved record is shown; the refused change was discarded.")

        self.ctx.tasks.run(reopen, opened, label="discard draft")

    def _now(self) -> str:
        if self._clock is None:
            return ""
        return self._clock.now().astimezone().strftime("%H:%M:%S")
