"""Recommendations: what will happen, who will do it, by when, and the same in the child's
words. Vague ones are flagged beside the row and under the field, never blocked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import Problem, Recommendation, RecommendationStatus, Tracking
from iro_desktop.ui import dialogs
from iro_desktop.ui.qt_models import BLANK_LAST, Column, ColumnTableModel
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import DateField, Section, hint, labelled
from iro_desktop.ui.widgets import read_only_table, uk_date


def check_words(rec: Recommendation) -> str:
    """The flag beside the row, short: "Vague: 'monitor'; no date" (the reasons are in full
    in its tooltip and under the fields)."""
    flags: list[str] = []
    findings = sorted(rv.vague_findings(rec), key=lambda f: f[0] != "action")
    for part, why in findings:
        if part == "owner":
            flags.append("no one named")
        elif part == "due_on":
            flags.append("no date")
        elif why.startswith("'"):
            flags.append(why.split(":", 1)[0].split(" ", 1)[0])  # the vague word, quoted
        else:
            flags.append("no action")
    return "Vague: " + "; ".join(dict.fromkeys(flags)) if flags else "Clear"


def check_reasons(rec: Recommendation) -> str:
    return "\n".join(rv.vague_reasons(rec)) or "Says what, who and by when."


def status_words(rec: Recommendation, tracking: Tracking) -> str:
    if tracking is Tracking.DROPPED:
        return f"Dropped {uk_date(rec.status_on)}: {rec.status_note}".strip()
    if tracking in (Tracking.DONE, Tracking.DONE_LATE):
        late = " (late)" if tracking is Tracking.DONE_LATE else ""
        return f"Done {uk_date(rec.status_on)}{late}"
    if tracking is Tracking.OVERDUE:
        return "Overdue"
    return "Open"


class RecommendationTable(QTableView):
    """Enter moves to the chosen recommendation's action, to reword it."""

    def __init__(self, section: RecommendationsSection) -> None:
        super().__init__()
        self._section = section

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._section.action.setFocus(Qt.FocusReason.OtherFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)


class RecommendationsSection(Section):
    title = "Recommendations"
    owns = ("recommendations",)
    fields = ("recommendations", "status")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        self.current = -1
        self.read_only = False  # the wording is fixed once the record has gone for sign-off
        today = editor.today
        self.column.addWidget(
            hint(
                "Each recommendation says what will happen, who will do it and by when, and "
                "says it to the child too. Vague words are flagged; you may keep them."
            )
        )
        columns: list[Column[Recommendation]] = [
            Column("No.", lambda r: r.id, sort_key=lambda r: r.id, width_chars=4),
            Column("Action", lambda r: r.action, tooltip=lambda r: r.action, width_chars=20),
            Column("Who", lambda r: r.owner, width_chars=12),
            Column(
                "By when",
                lambda r: uk_date(r.due_on, "No date"),
                sort_key=lambda r: r.due_on.toordinal() if r.due_on else BLANK_LAST,
                width_chars=10,
            ),
            Column(
                "For the child",
                lambda r: r.child_wording,
                tooltip=lambda r: r.child_wording,
                width_chars=18,
            ),
            Column(
                "Status",
                lambda r: status_words(r, rv.tracking_state(r, self.editor.today())),
                tone=lambda r: (
                    "alert"
                    if rv.tracking_state(r, self.editor.today()) is Tracking.OVERDUE
                    else None
                ),
                width_chars=10,
            ),
            Column(
                "Check",
                self._check_words,
                tooltip=self._check_reasons,
                tone=lambda r: "warn" if self._check_words(r) != "Clear" else None,
                width_chars=24,
            ),
        ]
        self.model: ColumnTableModel[Recommendation] = ColumnTableModel(columns, self)
        self.table = read_only_table("Recommendations", RecommendationTable(self))
        self.table.setModel(self.model)
        self.table.setMinimumHeight(150)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for i, column in enumerate(columns):
            header.resizeSection(i, column.width(char))
        # The action and the child's words share the room there is; the rest keep their width.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        caption = QLabel("Recommendations (&table):")
        caption.setBuddy(self.table)
        self.column.addWidget(caption)
        self.column.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._chosen(cur.row())
        )

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add a recommendatio&n")
        self.add_button.clicked.connect(self.add)
        self.done_button = QPushButton("&Mark done")
        self.done_button.setAccessibleName("Mark the recommendation done")
        self.done_button.clicked.connect(self.mark_done)
        self.drop_button = QPushButton("D&rop...")
        self.drop_button.setAccessibleName("Drop the recommendation")
        self.drop_button.clicked.connect(self.drop)
        self.reopen_button = QPushButton("R&eopen...")
        self.reopen_button.setAccessibleName("Reopen the recommendation")
        self.reopen_button.clicked.connect(self.reopen)
        for button in (self.add_button, self.done_button, self.drop_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.column.addLayout(buttons)

        self.detail = QGroupBox("The chosen recommendation")
        form = QFormLayout(self.detail)
        self.action = QLineEdit()
        self.action.setPlaceholderText("What will happen, for example: Book a dental check-up")
        labelled(form, "&Action:", self.action, "Action")
        self.action_problem = self.problem(self.action, (), "the action")
        form.addRow("", self.action_problem)
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("One person or service, by name")
        labelled(form, "Wh&o will do it:", self.owner, "Who will do it")
        self.owner_problem = self.problem(self.owner, (), "who will do it")
        form.addRow("", self.owner_problem)
        self.due = DateField(today)
        labelled(form, "&By when:", self.due, "By when")
        self.due_problem = self.problem(self.due, (), "by when")
        form.addRow("", self.due_problem)
        self.child_words = QLineEdit()
        self.child_words.setPlaceholderText("For example: Pat will book you a dentist visit.")
        labelled(form, "In the child's &words:", self.child_words, "In the child's words")
        self.child_words_problem = self.problem(self.child_words, (), "the child's words")
        form.addRow("", self.child_words_problem)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Where the recommendation stands")
        form.addRow("", self.state)
        self.column.addWidget(self.detail)
        self.column.addStretch(1)
        self.action.textChanged.connect(lambda _t: self._edited("action"))
        self.owner.textChanged.connect(lambda _t: self._edited("owner"))
        self.due.date_edited.connect(lambda _v: self._edited("due"))
        self.child_words.textChanged.connect(lambda _t: self._edited("child's words"))

    def first_field(self) -> QWidget | None:
        return self.table if self.model.rowCount() else self.add_button

    def show_problems(self, problems: Sequence[Problem]) -> int:
        count = super().show_problems(problems)
        self.table.viewport().update()  # the Check column follows the record's checks
        return count

    def _day_problem(self, rec: Recommendation) -> str:
        """The check on the row's date (a Sunday, a bank holiday), as the record has it."""
        review = self.editor.draft
        if review is None:
            return ""
        index = next((i for i, r in enumerate(review.recommendations) if r.id == rec.id), -1)
        path = f"recommendations[{index}].due_on"
        return next(
            (
                p.message
                for p in self.editor.problems
                if p.field == path and "working day" in p.message
            ),
            "",
        )

    def _check_words(self, rec: Recommendation) -> str:
        words = check_words(rec)
        if not self._day_problem(rec):
            return words
        return "Not a working day" if words == "Clear" else f"{words}; not a working day"

    def _check_reasons(self, rec: Recommendation) -> str:
        day = self._day_problem(rec)
        reasons = "\n".join(rv.vague_reasons(rec))
        return "\n".join(r for r in (reasons, day) if r) or check_reasons(rec)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.detail.setEnabled(self._rec() is not None and not read_only)

    # --- filling ---------------------------------------------------------------------------

    def fill(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        keep = self.current
        self.model.set_rows(review.recommendations)
        count = len(review.recommendations)
        self.current = keep if 0 <= keep < count else count - 1
        if self.current >= 0:
            self._select(self.current)
        self._fill_detail()
        open_for_wording = not rv.reached(review.status, rv.ReviewStatus.SUBMITTED) and (
            review.status is not rv.ReviewStatus.STOOD_DOWN
        )
        self.add_button.setEnabled(open_for_wording)

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        was, self.filling = self.filling, True
        try:
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self.filling = was

    def _rec(self) -> Recommendation | None:
        review = self.editor.draft
        if review is None or not 0 <= self.current < len(review.recommendations):
            return None
        return review.recommendations[self.current]

    def _fill_detail(self) -> None:
        rec = self._rec()
        self.detail.setEnabled(rec is not None and not self.read_only)
        for button in (self.done_button, self.drop_button, self.reopen_button):
            button.setEnabled(rec is not None)
        if rec is None:
            self.detail.setTitle("No recommendation chosen")
            for field in (self.action, self.owner, self.child_words):
                field.clear()
            self.due.set_value(None)
            self.state.setText("")
            return
        self.detail.setTitle(f"Recommendation {rec.id}")
        was, self.filling = self.filling, True
        try:
            if self.action.text() != rec.action:
                self.action.setText(rec.action)
            if self.owner.text() != rec.owner:
                self.owner.setText(rec.owner)
            if self.due.value() != rec.due_on or not self.due.hasFocus():
                self.due.set_value(rec.due_on)
            if self.child_words.text() != rec.child_wording:
                self.child_words.setText(rec.child_wording)
        finally:
            self.filling = was
        self.done_button.setEnabled(rec.status is not RecommendationStatus.DONE)
        self.drop_button.setEnabled(rec.status is not RecommendationStatus.DROPPED)
        self.reopen_button.setEnabled(rec.status is not RecommendationStatus.OPEN)
        self.state.setText(status_words(rec, rv.tracking_state(rec, self.editor.today())))
        path = f"recommendations[{self.current}]"
        self.action_problem.paths = [f"{path}.action", f"{path}.id"]
        self.owner_problem.paths = [f"{path}.owner"]
        self.due_problem.paths = [f"{path}.due_on"]
        self.child_words_problem.paths = [f"{path}.child_wording", f"{path}.status_on"]

    def _chosen(self, row: int) -> None:
        if self.filling or row < 0:
            return
        self.current = row
        self._fill_detail()
        self.show_problems(self.editor.problems)

    # --- editing ---------------------------------------------------------------------------

    def _replace(self, rec: Recommendation, text: str, merge_key: str = "") -> None:
        review = self.editor.draft
        if review is None:
            return
        recs = tuple(rec if r.id == rec.id else r for r in review.recommendations)
        self.editor.push("recommendations", recs, text, merge_key)
        self.model.set_rows(recs)
        self._select(self.current)

    def _edited(self, what: str) -> None:
        rec = self._rec()
        if self.filling or rec is None:
            return
        changed = replace(
            rec,
            action=self.action.text(),
            owner=self.owner.text(),
            due_on=self.due.value(),
            child_wording=self.child_words.text(),
        )
        self.due_problem.extra = self.due.problem
        if changed != rec:
            self._replace(changed, f"Change {rec.id}'s {what}", merge_key=f"{rec.id}.{what}")
        else:
            self.due_problem.show_problems(self.editor.problems)

    def add(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        rec = Recommendation(id=rv.next_recommendation_id(review))
        self.current = len(review.recommendations)
        self.editor.push(
            "recommendations", (*review.recommendations, rec), f"Add recommendation {rec.id}"
        )
        self.refill()
        self.action.setFocus(Qt.FocusReason.OtherFocusReason)

    def mark_done(self) -> None:
        rec = self._rec()
        if rec is None or rec.status is RecommendationStatus.DONE:
            return
        today = self.editor.today()
        self._replace(
            replace(rec, status=RecommendationStatus.DONE, status_on=today, status_note=""),
            f"Mark {rec.id} done",
        )
        self._fill_detail()
        self.editor.ctx.status(f"Recommendation {rec.id} marked done on {uk_date(today)}.")

    def drop(self) -> None:
        rec = self._rec()
        if rec is None or rec.status is RecommendationStatus.DROPPED:
            return
        reason = dialogs.ask_text(
            self, "Drop the recommendation", f"Why is recommendation {rec.id} being dropped?"
        )
        if reason is None or not reason.strip():
            self.editor.ctx.status("Not dropped: a recommendation is dropped with its reason.")
            return
        self._replace(
            replace(
                rec,
                status=RecommendationStatus.DROPPED,
                status_on=self.editor.today(),
                status_note=reason.strip(),
            ),
            f"Drop {rec.id}",
        )
        self._fill_detail()

    def reopen(self) -> None:
        rec = self._rec()
        if rec is None or rec.status is RecommendationStatus.OPEN:
            return
        reason = dialogs.ask_text(
            self, "Reopen the recommendation", f"Why is recommendation {rec.id} open again?"
        )
        if reason is None or not reason.strip():
            self.editor.ctx.status("Not reopened: give the reason for reopening.")
            return
        self._replace(
            replace(
                rec,
                status=RecommendationStatus.OPEN,
                status_on=self.editor.today(),
                status_note=reason.strip(),
            ),
            f"Reopen {rec.id}",
        )
        self._fill_detail()
