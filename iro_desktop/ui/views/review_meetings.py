"""Meetings: the meetings of the review (one, or a series), each with its own attendance and
notes, and the timeliness rule for a series spelled out while it is open."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import review as rv
from iro_desktop.domain import timescales
from iro_desktop.domain.review import (
    Attendance,
    AttendanceEntry,
    ChangeRefused,
    Meeting,
    Review,
    SeparateReason,
    SeriesBasis,
)
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import (
    ChoiceBox,
    DateField,
    Section,
    button_row,
    combo,
    labelled,
    set_combo,
)
from iro_desktop.ui.widgets import uk_date

SEPARATE_REASONS = {
    None: "Choose the reason...",
    SeparateReason.CANNOT_SHARE_A_ROOM: "People cannot be in the same room",
    SeparateReason.RESTRAINING_ORDER: "A restraining order",
    SeparateReason.YOUNG_PERSONS_WISH: "The young person's wish",
    SeparateReason.UNAVOIDABLE_DELAY: "Unavoidable delay (someone could only come another day)",
    SeparateReason.OTHER: "Another reason (describe it)",
}
ATTENDANCE_WORDS = {
    None: "Not recorded",
    Attendance.ATTENDED: "Attended",
    Attendance.SENT_VIEWS: "Sent their views",
    Attendance.APOLOGIES: "Gave apologies",
    Attendance.NOT_INVITED: "Not invited to this meeting",
}


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def meeting_line(index: int, meeting: Meeting) -> str:
    state = "held" if meeting.held else "arranged, not held yet"
    parts = [f"Meeting {index + 1}: {uk_date(meeting.on)}", state]
    if meeting.venue:
        parts.append(meeting.venue)
    if meeting.final:
        parts.append("the last meeting")
    if index and meeting.separate_reason is not None:
        parts.append(f"separate: {SEPARATE_REASONS[meeting.separate_reason].lower()}")
    return ", ".join(parts)


def timeliness_words(review: Review, basis: SeriesBasis, today: date, basis_note: str = "") -> str:
    """The series rule as it applies to this review now, in one or two sentences."""
    first = rv.first_meeting_date(review)
    done = rv.completion_date(review)
    held = len(rv.held_meetings(review))
    arranged = len(review.meetings) - held
    counts_on = "last" if basis is SeriesBasis.LAST_MEETING else "first"
    if first is None:
        return (
            f"Not held yet (due by {uk_date(review.due_on)}). The review counts as held, for "
            f"timeliness, on the date of its {counts_on} meeting; it is complete when its last "
            "meeting ends."
        )
    held_on = rv.timeliness_date(review, basis)
    if done is None:
        open_days = rv.series_open_days(review, today) or 0
        so_far = f"{held} meeting{'s' if held != 1 else ''} held"
        if arranged:
            so_far += f", {arranged} arranged"
        if basis is SeriesBasis.LAST_MEETING:
            text = (
                f"First meeting on {uk_date(first)}. Not yet held for timeliness: "
                f"{basis_note or 'this practice counts a series as held on its last meeting.'} "
                f"Complete when the last meeting ends; open for {_days(open_days)} ({so_far})."
            )
        else:
            late = (
                f" Late: it was due by {uk_date(review.due_on)}." if first > review.due_on else ""
            )
            text = (
                f"Held on {uk_date(first)} for timeliness; complete when the last meeting "
                f"ends; open for {_days(open_days)} ({so_far}).{late}"
            )
        return text
    verdict = ""
    if held_on is not None:
        verdict = (
            " In timescale."
            if held_on <= review.due_on
            else f" Late: it was due by {uk_date(review.due_on)}."
        )
    total = len(review.meetings)
    last = "its only meeting" if total == 1 else f"the last of {total} meetings"
    return (
        f"Held on {uk_date(held_on)} for timeliness; completed on {uk_date(done)} "
        f"({last}).{verdict}"
    )


class MeetingsSection(Section):
    title = "Meetings"
    owns = ("meetings",)
    fields = ("meetings", "preparation", "status")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        today = editor.today
        self.current = -1
        self.attendance: list[tuple[str, ChoiceBox]] = []

        self.rule = QLabel("")
        self.rule.setWordWrap(True)
        self.rule.setObjectName("rule")
        self.rule.setStyleSheet(
            "background: #eef4fb; border: 1px solid #c9daf0; border-radius: 4px; padding: 8px;"
        )
        self.rule.setAccessibleName("When the review counts as held and complete")
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(self.rule)
        self.deadlines = QLabel("")
        self.deadlines.setWordWrap(True)
        self.deadlines.setAccessibleName("Deadlines after completion")
        self.column.addWidget(self.deadlines)

        self.list = QListWidget()
        self.list.setMinimumHeight(self.fontMetrics().height() * 3 + 12)
        self.list.setMaximumHeight(self.fontMetrics().height() * 5 + 12)
        caption = QLabel("&Meetings in this review:")
        caption.setBuddy(self.list)
        self.list.setAccessibleName("Meetings in this review")
        self.list.currentRowChanged.connect(self._chosen)
        self.column.addWidget(caption)
        self.column.addWidget(self.list)

        # --- the chosen meeting --------------------------------------------------------------
        self.detail = QGroupBox("The chosen meeting")
        detail_column = QVBoxLayout(self.detail)
        form = QFormLayout()
        self.on = DateField(today)
        labelled(form, "Meeting &date:", self.on, "Meeting date")
        self.on_problem = self.problem(self.on, (), "the meeting date")
        form.addRow("", self.on_problem)
        self.venue = QLineEdit()
        labelled(form, "&Venue:", self.venue, "Venue")
        self.held = QCheckBox("Too&k place")
        self.held.setAccessibleName("The meeting took place")
        form.addRow("", self.held)
        self.reason = combo("Why a separate meeting", [(w, r) for r, w in SEPARATE_REASONS.items()])
        self.reason_caption = labelled(
            form, "&Why a separate meeting:", self.reason, "Why a separate meeting"
        )
        self.reason_note = QLineEdit()
        self.reason_note_caption = labelled(
            form, "Reason in y&our words:", self.reason_note, "Reason in your words"
        )
        self.reason_problem = self.problem(self.reason, (), "the reason for a separate meeting")
        form.addRow("", self.reason_problem)
        detail_column.addLayout(form)
        who = QLabel("Who came to this meeting:")
        who.setStyleSheet("font-weight: 600;")
        detail_column.addWidget(who)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        detail_column.addWidget(self.grid_host)
        self.attendance_problem = self.problem(None, (), "attendance")
        detail_column.addWidget(self.attendance_problem)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().height() * 6)
        notes_caption = QLabel("Meeting &notes:")
        notes_caption.setBuddy(self.notes)
        self.notes.setAccessibleName("Meeting notes")
        detail_column.addWidget(notes_caption)
        detail_column.addWidget(self.notes)
        self.column.addWidget(self.detail)
        self.on.date_edited.connect(lambda _v: self._meeting_edited("date"))
        self.venue.textChanged.connect(lambda _t: self._meeting_edited("venue"))
        self.held.toggled.connect(lambda _c: self._meeting_edited("held"))
        self.reason.currentIndexChanged.connect(lambda _i: self._meeting_edited("reason"))
        self.reason_note.textChanged.connect(lambda _t: self._meeting_edited("reason note"))
        self.notes.textChanged.connect(self._notes_edited)

        # --- a further meeting ---------------------------------------------------------------
        self.add_box = QGroupBox("Add a meeting")
        add_form = QFormLayout(self.add_box)
        self.new_on = DateField(today)
        labelled(add_form, "N&ew meeting on:", self.new_on, "Date of the new meeting")
        self.new_held = QCheckBox("Has &been held")
        self.new_held.setAccessibleName("The new meeting has been held")
        self.new_held.setChecked(True)
        add_form.addRow("", self.new_held)
        self.new_reason = combo(
            "Reason it is a separate meeting", [(w, r) for r, w in SEPARATE_REASONS.items()]
        )
        self.new_reason_caption = labelled(
            add_form, "Reason it is sep&arate:", self.new_reason, "Reason it is a separate meeting"
        )
        self.new_note = QLineEdit()
        self.new_note_caption = labelled(
            add_form, "Desc&ribe the reason:", self.new_note, "Describe the reason"
        )
        self.add_button = QPushButton("Add the mee&ting")
        self.add_button.setAccessibleName("Add the meeting")
        self.add_button.clicked.connect(self.add_meeting)
        add_form.addRow("", button_row(self.add_button))
        self.add_problem = QLabel("")
        self.add_problem.setWordWrap(True)
        self.add_problem.setStyleSheet("color: #a4262c;")
        self.add_problem.setAccessibleName("Problem with the new meeting")
        add_form.addRow("", self.add_problem)
        self.column.addWidget(self.add_box)
        self.column.addStretch(1)

    # --- filling -------------------------------------------------------------------------------

    def first_field(self) -> QWidget | None:
        return self.list if self.list.count() else self.new_on

    def fill(self) -> None:
        review = self.editor.draft
        info = self.editor.info
        if review is None or info is None:
            return
        self.show_rule()
        keep = self.current
        self.list.clear()
        for i, meeting in enumerate(review.meetings):
            self.list.addItem(meeting_line(i, meeting))
        if review.meetings:
            self.current = keep if 0 <= keep < len(review.meetings) else len(review.meetings) - 1
            self.list.setCurrentRow(self.current)
        else:
            self.current = -1
        self._fill_meeting()
        series_started = bool(review.meetings)
        self.new_reason.setVisible(series_started)
        self.new_reason_caption.setVisible(series_started)
        self.new_note.setVisible(series_started)
        self.new_note_caption.setVisible(series_started)
        self.add_box.setTitle(
            "Add a further meeting of the series" if series_started else "Add the first meeting"
        )
        closed = rv.reached(review.status, rv.ReviewStatus.COMPLETED) or (
            review.status is rv.ReviewStatus.STOOD_DOWN
        )
        self.add_box.setEnabled(not closed)
        if self.new_on.value() is None:
            self.new_on.set_value(self.editor.today())

    def show_rule(self) -> None:
        review, info = self.editor.draft, self.editor.info
        if review is None or info is None:
            return
        self.rule.setText(
            timeliness_words(review, info.basis, self.editor.today(), info.basis_note)
        )
        done = rv.completion_date(review)
        if done is None:
            self.deadlines.setText("")
            self.deadlines.setVisible(False)
            return
        profile = self.editor.ctx.session().profile
        recs = timescales.recommendations_due(
            done, profile.recommendations_working_days, calendar=profile.calendar
        )
        letter = timescales.minutes_due(
            done, profile.minutes_working_days, calendar=profile.calendar
        )
        self.deadlines.setText(
            f"From completion: recommendations out by {uk_date(recs)} "
            f"({profile.recommendations_working_days} working days); the letter to the child "
            f"by {uk_date(letter)} ({profile.minutes_working_days} working days)."
        )
        self.deadlines.setVisible(True)

    def _meeting(self) -> Meeting | None:
        review = self.editor.draft
        if review is None or not 0 <= self.current < len(review.meetings):
            return None
        return review.meetings[self.current]

    def _fill_meeting(self) -> None:
        meeting = self._meeting()
        self.detail.setVisible(meeting is not None)
        review = self.editor.draft
        if meeting is None or review is None:
            return
        self.detail.setTitle(f"Meeting {self.current + 1}")
        was, self.filling = self.filling, True
        try:
            self.on.set_value(meeting.on)
            self.venue.setText(meeting.venue)
            self.held.setChecked(meeting.held)
            self.held.setEnabled(not meeting.held or self.current >= len(self._stored_meetings()))
            set_combo(self.reason, meeting.separate_reason)
            self.reason_note.setText(meeting.separate_reason_note)
            separate = self.current > 0
            for widget in (self.reason, self.reason_caption, self.reason_note):
                widget.setVisible(separate)
            self.reason_note_caption.setVisible(separate)
            if self.notes.toPlainText() != meeting.notes:
                self.notes.setPlainText(meeting.notes)
            self._fill_attendance(review, meeting)
        finally:
            self.filling = was
        path = f"meetings[{self.current}]"
        self.on_problem.paths = [f"{path}.on"]
        self.reason_problem.paths = [f"{path}.separate_reason", f"{path}.separate_reason_note"]
        self.attendance_problem.paths = [f"{path}.attendance"]

    def _stored_meetings(self) -> tuple[Meeting, ...]:
        stored = self.editor.stored
        return stored.meetings if stored is not None else ()

    def _fill_attendance(self, review: Review, meeting: Meeting) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.attendance = []
        recorded = {e.key: e.attendance for e in meeting.attendance}
        for row, person in enumerate(review.preparation.invitees):
            who = f"{person.name or '(no name)'} ({person.role.label})"
            label = QLabel(who)
            box = combo(f"Attendance: {who}", [(w, a) for a, w in ATTENDANCE_WORDS.items()])
            label.setBuddy(box)
            set_combo(box, recorded.get(person.key))
            box.currentIndexChanged.connect(lambda _i: self._meeting_edited("attendance"))
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(box, row, 1)
            self.attendance.append((person.key, box))
        # Made after the rest of the form, so put back in reading order for Tab.
        previous: QWidget = self.reason_note
        for _key, box in self.attendance:
            QWidget.setTabOrder(previous, box)
            previous = box
        QWidget.setTabOrder(previous, self.notes)
        if not review.preparation.invitees:
            self.grid.addWidget(
                QLabel("Add the people invited (in Prepare) to record who came."), 0, 0
            )
        self.grid.setColumnStretch(2, 1)

    # --- editing ---------------------------------------------------------------------------

    def _chosen(self, row: int) -> None:
        if self.filling or row < 0:
            return
        self.current = row
        self._fill_meeting()
        self.show_problems(self.editor.problems)

    def _meeting_edited(self, what: str) -> None:
        review = self.editor.draft
        meeting = self._meeting()
        if self.filling or review is None or meeting is None:
            return
        reason = self.reason.value()
        entries = []
        for key, box in self.attendance:
            value = box.value()
            if isinstance(value, Attendance):
                entries.append(AttendanceEntry(key=key, attendance=value))
        known = {key for key, _box in self.attendance}
        entries += [e for e in meeting.attendance if e.key not in known]
        changed = replace(
            meeting,
            on=self.on.value() or meeting.on,
            venue=self.venue.text(),
            held=self.held.isChecked(),
            separate_reason=reason if isinstance(reason, SeparateReason) else None,
            separate_reason_note=self.reason_note.text(),
            attendance=tuple(entries),
        )
        self.on_problem.extra = self.on.problem
        if changed == meeting:
            self.on_problem.show_problems(self.editor.problems)
            return
        meetings = tuple(changed if i == self.current else m for i, m in enumerate(review.meetings))
        self.editor.push(
            "meetings",
            meetings,
            f"Change the meeting's {what}",
            merge_key=f"meeting{self.current}.{what}"
            if what in ("venue", "reason note", "date")
            else "",
        )
        item = self.list.item(self.current)
        if item is not None:
            item.setText(meeting_line(self.current, changed))
        self.show_rule()

    def _notes_edited(self) -> None:
        review = self.editor.draft
        meeting = self._meeting()
        if self.filling or review is None or meeting is None:
            return
        text = self.notes.toPlainText()
        if text == meeting.notes:
            return
        index = self.current
        self.editor.edit(
            lambda r: replace(
                r,
                meetings=tuple(
                    replace(m, notes=text) if i == index else m for i, m in enumerate(r.meetings)
                ),
            )
        )

    def add_meeting(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        on = self.new_on.value()
        if on is None:
            self.add_problem.setText(self.new_on.problem or "Type the date of the meeting.")
            self.new_on.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        reason = self.new_reason.value()
        meeting = Meeting(
            on=on,
            held=self.new_held.isChecked(),
            venue=review.preparation.child_choices.venue,
            separate_reason=reason
            if isinstance(reason, SeparateReason) and review.meetings
            else None,
            separate_reason_note=self.new_note.text().strip() if review.meetings else "",
        )
        try:  # the same rules the store applies, checked before the meeting joins the draft
            rv.add_meeting(review, meeting, on=self.editor.today())
        except (ChangeRefused, ValueError) as exc:
            self.add_problem.setText(str(exc))
            focus = self.new_reason if "separate" in str(exc) and review.meetings else self.new_on
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.add_problem.setText("")
        what = "first meeting" if not review.meetings else f"meeting {len(review.meetings) + 1}"
        self.current = len(review.meetings)
        self.editor.push("meetings", (*review.meetings, meeting), f"Add the {what}")
        self.new_on.set_value(None)
        self.new_note.clear()
        self.new_reason.setCurrentIndex(0)
        self.refill()
        added = "The first meeting" if what == "first meeting" else what.capitalize()
        self.editor.ctx.status(f"{added} ({uk_date(on)}) was added.")
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
