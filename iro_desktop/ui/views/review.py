"""Chair a review: one review of one child, as a guided record in six sections.

Prepare, Meetings, Participation, Topics, Plan view and Recommendations (Alt+1 ... Alt+6,
Ctrl+PageDown / Ctrl+PageUp). Problems with the record are shown under the fields; the draft
is always saved anyway, within two seconds of each edit ("Saved 10:42:13" at the top). Undo and
redo (Ctrl+Z, Ctrl+Shift+Z) cover every edit that is saved (typing into one field is one step);
text fields also have their own undo. A part of the list with things to check, clicked, opens
at the first of them. The status and the next steps are at the bottom.

Other screens reach a review with `open_review(navigator, review_id)`, or book the child's
next one with `plan_next_review(ctx, child_id)`, which opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import Review, ReviewKind, ReviewStatus
from iro_desktop.ui import dialogs
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.review_editor import ReviewEditor, with_stored_fields
from iro_desktop.ui.review_widgets import Section
from iro_desktop.ui.views.review_child_words import ChildWordsSection
from iro_desktop.ui.views.review_meetings import MeetingsSection
from iro_desktop.ui.views.review_open import open_child_review, open_review, plan_next_review
from iro_desktop.ui.views.review_participation import ParticipationSection
from iro_desktop.ui.views.review_plan import PlanSection
from iro_desktop.ui.views.review_prepare import PrepareSection
from iro_desktop.ui.views.review_recommendations import RecommendationsSection
from iro_desktop.ui.views.review_steps import StepsBar
from iro_desktop.ui.views.review_topics import TopicsSection
from iro_desktop.ui.widgets import uk_date

DRAFT_PREFIX = "review:"
KIND_WORDS = {ReviewKind.LOOKED_AFTER: "Review", ReviewKind.PATHWAY_PLAN: "Pathway plan review"}
S = ReviewStatus
SIGNED_OFF = (S.SUBMITTED, S.APPROVED, S.ISSUED)


# --- the page ---------------------------------------------------------------------------------


class ReviewPage(Page):
    key = "review"
    title = "Review"

    SECTIONS: tuple[type[Section], ...] = (
        PrepareSection,
        MeetingsSection,
        ParticipationSection,
        TopicsSection,
        PlanSection,
        RecommendationsSection,
        ChildWordsSection,  # last, so the others keep their Alt+number
    )

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.review_id: str | None = None
        self._pending: dict[str, dict[str, Any]] = {}
        self._pending_section: int | None = None
        self.editor = ReviewEditor(ctx, self)

        # --- header ----------------------------------------------------------------------
        self.back_button = QPushButton("\u2190 Back")
        self.back_button.setToolTip("Back to where you were (Alt+Left)")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(lambda: self.ctx.navigator.back())
        self.heading = QLabel("")
        self.heading.setObjectName("pageHeading")
        self.heading.setAccessibleName("Review of")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("Due date, planned date and chair")
        self.child_button = QPushButton("Child's page")
        self.child_button.setAccessibleName("Open the child's page")
        self.child_button.clicked.connect(self._open_child)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        stack = self.editor.undo_stack
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_button.setAccessibleName(f"Undo {t}".strip())
        )
        stack.redoTextChanged.connect(
            lambda t: self.redo_button.setAccessibleName(f"Redo {t}".strip())
        )
        self.undo_button.setAccessibleName("Undo")
        self.redo_button.setAccessibleName("Redo")
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.saved = QLabel("")
        self.saved.setAccessibleName("Saving")
        self.saved.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.heading)
        names.addWidget(self.subtitle)
        top.addLayout(names, 1)
        right = QVBoxLayout()
        right.setSpacing(2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addWidget(self.child_button)
        right.addLayout(buttons)
        right.addWidget(self.saved, 0, Qt.AlignmentFlag.AlignRight)
        top.addLayout(right)

        self.kept = QLabel("")
        self.kept.setObjectName("banner")
        self.kept.setWordWrap(True)
        self.kept.setAccessibleName("Changes that could not be saved")
        self.put_back_button = QPushButton("Show the saved record")
        self.put_back_button.setAccessibleName(
            "Discard the refused change and show the saved record"
        )
        self.put_back_button.clicked.connect(self.editor.put_back_stored)
        kept_row = QHBoxLayout()
        kept_row.addWidget(self.kept, 1)
        kept_row.addWidget(self.put_back_button)
        self.signed_off = QLabel("")
        self.signed_off.setObjectName("banner")
        self.signed_off.setWordWrap(True)
        self.signed_off.setAccessibleName("The record is read-only")
        self.signed_off.setVisible(False)
        self.kept_host = QWidget()
        self.kept_host.setLayout(kept_row)
        self.kept_host.setVisible(False)

        # --- sections ------------------------------------------------------------------------
        self.sections: list[Section] = []
        self.nav = QListWidget()
        self.nav.setObjectName("sectionList")
        self.nav.setAccessibleName("Parts of the review")
        self.nav.setFixedWidth(
            self.fontMetrics().horizontalAdvance("6  Recommendations (9 to check)") + 24
        )
        self.pages = QStackedWidget()
        for i, cls in enumerate(self.SECTIONS):
            self.nav.addItem(f"{i + 1}  {cls.title}")
            self.nav.item(i).setToolTip(f"{cls.title} (Alt+{i + 1})")
        self._build_sections()
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        # A click (or Enter) on "Prepare (1 to check)" goes to what is to be checked.
        self.nav.itemClicked.connect(lambda item: self.go_to_problem(self.nav.row(item)))
        self.nav.itemActivated.connect(lambda item: self.go_to_problem(self.nav.row(item)))
        self.nav.setCurrentRow(0)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)

        self.steps = StepsBar(
            self.take_step, self._letter_available, on_no_meeting=self.hold_without_meeting
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.signed_off)
        layout.addWidget(self.kept_host)
        layout.addLayout(body, 1)
        layout.addWidget(self.steps)

        # --- keys ----------------------------------------------------------------------------
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for i in range(len(self.sections)):
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self, context=context)
            shortcut.activated.connect(lambda i=i: self.go_to_section(i))
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self, context=context)
            shortcut.activated.connect(
                lambda step=step: self.go_to_section(self.section_index + step)
            )
        edits: tuple[tuple[QKeySequence, Callable[[], object]], ...] = (
            (QKeySequence(QKeySequence.StandardKey.Undo), stack.undo),
            (QKeySequence("Ctrl+Shift+Z"), stack.redo),
            (QKeySequence("Ctrl+Y"), stack.redo),
            (QKeySequence(QKeySequence.StandardKey.Save), self.editor.flush),
        )
        for sequence, slot in edits:
            shortcut = QShortcut(sequence, self, context=context)
            shortcut.activated.connect(slot)

        # --- the editor's news -----------------------------------------------------------------
        self.editor.opened.connect(self._opened)
        self.editor.refill.connect(self._refill)
        self.editor.problems_changed.connect(self._show_problems)
        self.editor.save_state.connect(self._save_state)
        self.editor.record_changed.connect(self._record_changed)
        self.editor.kept_aside.connect(self._kept_aside)
        self.editor.draft_changed.connect(self._header)  # "held on" follows the meetings
        self._show_nothing()

    # --- sections ------------------------------------------------------------------------------

    def _build_sections(self) -> None:
        """New, empty sections (also after a lock: nothing read stays in a widget)."""
        index = max(self.pages.currentIndex(), 0)
        for old in self.sections:
            self.pages.removeWidget(old)
            old.deleteLater()
        self.sections = [cls(self.editor) for cls in self.SECTIONS]
        for section in self.sections:
            self.pages.addWidget(section)
        self.pages.setCurrentIndex(index)

    @property
    def section_index(self) -> int:
        return self.pages.currentIndex()

    def section(self, cls: type[Section]) -> Section:
        return next(s for s in self.sections if isinstance(s, cls))

    def go_to_section(self, index: int) -> None:
        index = max(0, min(index, len(self.sections) - 1))
        self.nav.setCurrentRow(index)
        self.focus_first()

    def focus_first(self) -> None:
        self.sections[self.section_index].focus_first()
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.nav.setFocus(Qt.FocusReason.OtherFocusReason)  # a read-only part

    # --- loading ---------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        if arg and (arg != self.review_id or self.editor.draft is None):
            self.show_review(arg)

    def current_arg(self) -> str | None:
        return self.review_id

    def show_review(self, review_id: str) -> None:
        if self.review_id and self.review_id != review_id:
            self.editor.flush()
        self.review_id = review_id
        self.heading.setText("Opening the review...")
        self.subtitle.setText("")

        def failed(exc: BaseException) -> None:
            if self.review_id == review_id:
                self.heading.setText("This review could not be opened.")
                self.subtitle.setText(str(exc))
            self.report(exc)

        self.editor.load(review_id, on_error=failed)

    def _opened(self) -> None:
        info = self.editor.info
        if info is None:
            return
        self.review_id = info.review.id
        self.kept_host.setVisible(False)
        for section in self.sections:
            section.release_space()
            section.refill()
        self._header()
        self.steps.say("")
        self.steps.show_review(self.editor.draft)
        self._read_only()
        self._show_problems()
        if self._pending_section is not None:
            self.nav.setCurrentRow(self._pending_section)
            self._pending_section = None
        pending = self._pending.pop(info.review.id, None)
        if pending is not None:
            self._put_back(pending)
        self.saved.setText("")
        self.setAccessibleName(f"Review: {info.child_name}")
        if self.isVisible():
            self.focus_first()

    def _header(self) -> None:
        info, review = self.editor.info, self.editor.draft
        if info is None or review is None:
            return
        number = f" {review.sequence}" if review.sequence else ""
        extra = " (extra review)" if review.extra else ""
        self.heading.setText(f"{info.child_name}: {KIND_WORDS[review.kind].lower()}{number}{extra}")
        held = rv.timeliness_date(review, info.basis)
        parts = [f"Due by {uk_date(review.due_on)}", f"planned for {uk_date(review.planned_on)}"]
        if held is not None:
            parts.append(f"held on {uk_date(held)}")
        if review.chaired_by:
            parts.append(f"chaired by {review.chaired_by}")
        if info.basis_note:
            parts.append(info.basis_note)
        self.subtitle.setText("  \u00b7  ".join(parts))

    def _refill(self, field: str) -> None:
        for section in self.sections:
            if not field or field in section.fields:
                section.refill()
        self._header()
        self.steps.show_review(self.editor.stored)
        self._read_only()

    def _read_only(self) -> None:
        """Once the record has gone for sign-off only the recommendations' progress changes."""
        review = self.editor.stored
        signed_off = review is not None and review.status in SIGNED_OFF
        for section in self.sections:
            if isinstance(section, RecommendationsSection):
                section.set_read_only(signed_off)
            elif (body := section.widget()) is not None:
                body.setEnabled(not signed_off)
        self.signed_off.setVisible(signed_off)
        if review is not None and signed_off:
            self.signed_off.setText(
                f"{review.status.label}: the record is read-only now. Recommendations can still "
                "be marked done, dropped or reopened as they progress."
            )

    def _show_problems(self) -> None:
        problems = self.editor.problems
        for i, section in enumerate(self.sections):
            count = section.show_problems(problems)
            errors = sum(
                1
                for p in problems
                if p.severity is rv.Severity.ERROR and p.field and _owned(section, p.field)
            )
            words = ""
            if errors:
                words = f"  ({errors} error{'s' if errors != 1 else ''})"
            elif count:
                words = f"  ({count} to check)"
            item = self.nav.item(i)
            if item is not None:
                item.setText(f"{i + 1}  {section.title}{words}")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{section.title}{words}")

    def _save_state(self, text: str) -> None:
        self.saved.setText(text)
        self.saved.setStyleSheet("color: #a4262c;" if text.startswith("Not saved") else "")
        if text.startswith("Saved") and self.review_id:
            self.changed.emit(f"review:{self.review_id}")

    def _record_changed(self) -> None:
        self._header()
        self.steps.show_review(self.editor.stored)
        self._read_only()
        meetings = self.section(MeetingsSection)
        assert isinstance(meetings, MeetingsSection)
        meetings.show_rule()
        info = self.editor.info
        if info is not None:
            self.changed.emit(f"child:{info.child_id}")

    def _kept_aside(self, reason: str) -> None:
        self.kept.setText(
            f"Not saved: {reason} What you typed is kept aside (it survives a lock). Change "
            "it back, or show the saved record instead."
        )
        self.kept_host.setVisible(True)

    def _open_child(self) -> None:
        info = self.editor.info
        if info is not None:
            self.ctx.navigator.open_child(info.child_id)

    def _letter_available(self) -> bool:
        from iro_desktop.ui import views

        return any(p.key == "letter" for p in views.PAGES)

    # --- steps ---------------------------------------------------------------------------------

    def take_step(self, to: ReviewStatus) -> None:
        from iro_desktop.services import reviews as svc

        review = self.editor.stored
        if review is None:
            return
        prepare = self.section(PrepareSection)
        assert isinstance(prepare, PrepareSection)
        if to is S.STOOD_DOWN:
            self.go_to_section(0)
            prepare.stand_down_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            self.steps.say("Give the reason for standing the review down, then 'Stand down'.")
            return
        if to is S.PLANNED:
            self.go_to_section(0)
            prepare.new_date.setFocus(Qt.FocusReason.OtherFocusReason)
            self.steps.say("Type the new date and the reason, then 'Rearrange'.")
            return
        if to is S.LETTER_DRAFTED:
            self.editor.flush()
            self.ctx.navigator.show_page("letter", review.id)
            return
        action: Callable[[Any, str, int], Any]
        if to is S.PREPARING:
            action = lambda s, rid, v: svc.prepare(s, rid, expected_version=v)  # noqa: E731
            done_words = "Preparing: invitations, consultation forms, seeing the child."
        elif to is S.COMPLETED:
            draft = self.editor.draft or review
            held = rv.held_meetings(draft)
            last = held[-1].on if held else None
            arranged = svc.arranged_meetings(draft)
            without = ""
            if last is not None and arranged:
                # Say what becomes of the meeting still arranged, before anything is done.
                dates = ", ".join(uk_date(m.on) for m in arranged)
                one = len(arranged) == 1
                answer = dialogs.ask_text(
                    self,
                    "Complete the review without the arranged meeting?",
                    f"The meeting arranged for {dates} has not been held. Completing now "
                    f"removes {'it' if one else 'them'} from the review ({'it' if one else 'they'}"
                    f" will not happen), and the meeting on {uk_date(last)} becomes the last "
                    "meeting: the recommendations and the letter are due from that date.\n\n"
                    f"To hold {'it' if one else 'them'} instead, cancel and record "
                    f"{'it' if one else 'them'} as held in Meetings (Alt+2).\n\n"
                    f"Why will the meeting{'' if one else 's'} not happen?",
                )
                if answer is None or not answer.strip():
                    self.steps.say(
                        f"Not completed: the meeting arranged for {dates} is still on the "
                        "review. Record it as held (Alt+2), or complete without it and say why."
                    )
                    return
                without = answer.strip()
            elif last is not None and not dialogs.confirm(
                self,
                "Complete the review",
                f"Complete the review now? The meeting on {uk_date(last)} becomes its last "
                "meeting; the recommendations and the letter to the child are due from that "
                "date. This cannot be undone.",
                yes_label="Complete",
            ):
                return
            action = lambda s, rid, v: svc.complete(  # noqa: E731
                s, rid, expected_version=v, without_arranged=without
            )
            done_words = "Completed. The recommendations are due next."
            if without:
                done_words = (
                    "Completed. The arranged meeting was removed, with your reason; the "
                    "recommendations are due next."
                )
        elif to is S.RECOMMENDATIONS_ISSUED:
            if not self._confirm_issue():
                return
            action = lambda s, rid, v: svc.issue_recommendations(  # noqa: E731
                s, rid, expected_version=v
            )
            done_words = "The recommendations were recorded as issued."
        else:
            action = lambda s, rid, v: svc.move(s, rid, to, expected_version=v)  # noqa: E731
            done_words = f"Moved to '{to.label}'."

        def done(_update: object) -> None:
            self.steps.say(done_words)
            self.ctx.status(done_words)
            self._keep_focus()

        def refused(why: str) -> None:
            self.steps.say(f"Not done: {why}")

        self.editor.act(action, done, refused)

    def hold_without_meeting(self) -> None:
        """A long-term foster placement after 12 months: the review is held without a
        meeting, on today's date (refused, in words, for any other child)."""
        from iro_desktop.services import reviews as svc

        if self.editor.stored is None:
            return
        if not dialogs.confirm(
            self,
            "Review held without a meeting",
            "Record this review as held without a meeting, completed today? This is for a "
            "child who has been in a long-term foster placement for 12 months or more. "
            "Record the child's participation code (PN5, PN6 or PN7) and views first; the "
            "recommendations and the letter are due from today. This cannot be undone.",
            yes_label="Held without a meeting",
        ):
            return
        words = "Held without a meeting and completed today. The recommendations are due next."

        def done(_update: object) -> None:
            self.steps.say(words)
            self.ctx.status(words)
            self._keep_focus()

        def refused(why: str) -> None:
            self.steps.say(f"Not done: {why}")

        self.editor.act(
            lambda s, rid, v: svc.complete_without_meeting(s, rid, expected_version=v),
            done,
            refused,
        )

    def _keep_focus(self) -> None:
        # The pressed step's button is hidden once the step is taken, and after the question
        # box closes focus could leave the page, so its keys (Alt+1..6) stopped working: it
        # goes to the list of the review's parts, where the IRO chooses what comes next.
        self.nav.setFocus(Qt.FocusReason.OtherFocusReason)

    def _confirm_issue(self) -> bool:
        """Issuing with things still to check asks first, listing them (a due date on a
        Sunday, a vague action...); with nothing to check it goes ahead."""
        from iro_desktop.ui.review_widgets import SEVERITY_WORDS, path_matches, where

        recs = self.section(RecommendationsSection)
        open_ = [
            p
            for p in self.editor.problems
            if p.severity is not rv.Severity.ADVICE and path_matches(p.field, recs.owns)
        ]
        if not open_:
            return True
        lines = []
        for p in open_:
            place = where(p.field)
            lead = (
                f"{SEVERITY_WORDS[p.severity]} ({place})" if place else SEVERITY_WORDS[p.severity]
            )
            lines.append(f"\u2022 {lead}: {p.message}")
        count = len(open_)
        if dialogs.confirm(
            self,
            "Issue the recommendations?",
            f"{count} thing{'s' if count != 1 else ''} to check in the recommendations:\n\n"
            + "\n".join(lines)
            + "\n\nIssue them as they are? (Choose No to put them right first.)",
            yes_label="Issue as they are",
        ):
            return True
        self.go_to_problem(self.SECTIONS.index(RecommendationsSection))
        self.steps.say("Not issued: put right what is listed under the recommendations first.")
        return False

    def go_to_problem(self, index: int) -> None:
        """The section, at the first field with something to check ("Prepare (1 to check)"
        takes you to it); the first field when there is nothing to check."""
        index = max(0, min(index, len(self.sections) - 1))
        self.nav.setCurrentRow(index)
        if not self.sections[index].focus_problem():
            self.focus_first()

    # --- lock, drafts, restore -----------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        """Typing not yet saved is saved now (the lock and the window's autosave ask here);
        only if saving has been failing is the draft handed over to be kept by the window."""
        editor = self.editor
        if editor.draft is None or editor.stored is None:
            return {}
        if editor.failed and editor.dirty:
            outgoing = editor.outgoing()
            return {f"{DRAFT_PREFIX}{editor.stored.id}": outgoing.to_dict()} if outgoing else {}
        editor.flush()
        return {}

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        if not key.startswith(DRAFT_PREFIX):
            return False
        review_id = key[len(DRAFT_PREFIX) :]
        if self.editor.stored is not None and self.editor.stored.id == review_id:
            self._put_back(payload)
        else:
            self._pending[review_id] = dict(payload)
        return True

    def _put_back(self, payload: dict[str, Any]) -> None:
        editor = self.editor
        if editor.stored is None:
            return
        try:
            draft = Review.from_dict(payload)
        except (ValueError, TypeError) as exc:
            self.ctx.status(f"Changes kept from before could not be read: {exc}")
            return
        if draft.id != editor.stored.id:
            return
        merged = with_stored_fields(draft, editor.stored)
        if merged == editor.stored:
            return
        editor.apply(lambda _r: merged)
        self._refill("")
        editor.flush()
        self.ctx.status("Changes typed before the lock were put back and saved.")

    def state(self) -> dict[str, Any]:
        return {"review_id": self.review_id, "section": self.section_index}

    def restore_state(self, state: dict[str, Any]) -> None:
        section = state.get("section")
        if isinstance(section, int) and 0 <= section < len(self.sections):
            self._pending_section = section
            self.nav.setCurrentRow(section)

    def clear_for_lock(self) -> None:
        self.editor.clear()
        self.review_id = None
        self._build_sections()
        self._show_nothing()

    def _show_nothing(self) -> None:
        self.heading.setText("")
        self.subtitle.setText("")
        self.saved.setText("")
        self.kept_host.setVisible(False)
        self.signed_off.setVisible(False)
        self.steps.show_review(None)
        self.steps.say("")

    def on_changed(self, what: str) -> None:
        if what == "settings" and self.review_id and self.editor.draft is not None:
            self.editor.flush()
            self.show_review(self.review_id)


def _owned(section: Section, path: str) -> bool:
    from iro_desktop.ui.review_widgets import path_matches

    return path_matches(path, section.owns)


__all__ = ["ReviewPage", "open_child_review", "open_review", "plan_next_review"]
