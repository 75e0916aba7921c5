"""Participation: the child's PN code (PN0 exactly when under 4 on the review date), whether
the child chaired, and who took part, in words, from the meetings and the preparation."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QWidget

from iro_desktop.domain import codes
from iro_desktop.domain import review as rv
from iro_desktop.domain.review import Attendance, ChairRole, InviteeRole, ReviewKind
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import Section, button_row, combo, hint, labelled, set_combo
from iro_desktop.ui.widgets import uk_date

CHAIRED_WORDS = {
    None: "Not recorded",
    ChairRole.CHAIR: "The child chaired the review",
    ChairRole.CO_CHAIR: "The child co-chaired the review",
    ChairRole.NEITHER: "The child did not chair",
}
_ATTENDANCE = {
    Attendance.ATTENDED: "attended",
    Attendance.SENT_VIEWS: "sent their views",
    Attendance.APOLOGIES: "gave apologies",
    Attendance.NOT_INVITED: "was not invited",
}


def pn_words(code: str) -> str:
    return f"{code}: {codes.PARTICIPATION_CODES[code]}"


class ParticipationSection(Section):
    title = "Participation"
    owns = ("participation_code", "child_chair")
    fields = ("participation_code", "child_chair", "meetings", "preparation")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        self.suggestion = QLabel("")
        self.suggestion.setWordWrap(True)
        self.suggestion.setAccessibleName("Suggested participation code")
        self.column.addWidget(self.suggestion)
        form = QFormLayout()
        self.code = combo(
            "Participation code",
            [("Not recorded yet", None)] + [(pn_words(c), c) for c in codes.PARTICIPATION_CODES],
        )
        labelled(form, "Participation co&de:", self.code, "Participation code")
        self.code_problem = self.problem(
            self.code, ("participation_code",), "the participation code"
        )
        form.addRow("", self.code_problem)
        self.use_suggestion = QPushButton("&Use PN0")
        self.use_suggestion.setAccessibleName("Use the suggested code PN0")
        self.use_suggestion.clicked.connect(self._use_suggestion)
        # Shown and hidden as the code changes: its room stays, so chairing never moves.
        policy = self.use_suggestion.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.use_suggestion.setSizePolicy(policy)
        form.addRow("", button_row(self.use_suggestion))
        self.chair = combo("Chairing", [(w, r) for r, w in CHAIRED_WORDS.items()])
        labelled(form, "Chai&ring on the day:", self.chair, "Whether the child chaired")
        self.chair_problem = self.problem(self.chair, ("child_chair",), "chairing")
        form.addRow("", self.chair_problem)
        self.column.addLayout(form)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Who took part")
        self.column.addWidget(self.summary)
        self.column.addWidget(
            hint(
                "Attendance is recorded for each meeting (Alt+2); the social worker's report "
                "and the consultation forms in Prepare (Alt+1)."
            )
        )
        self.column.addStretch(1)
        self.code.currentIndexChanged.connect(self._edited)
        self.chair.currentIndexChanged.connect(self._edited)
        # Attendance is recorded in Meetings: the summary follows every edit, not a refill.
        editor.draft_changed.connect(self._follow)

    def _follow(self) -> None:
        if not self.filling:
            self._suggest()
            self._summarise()

    def first_field(self) -> QWidget | None:
        return self.code

    def fill(self) -> None:
        review, info = self.editor.draft, self.editor.info
        if review is None or info is None:
            return
        set_combo(self.code, review.participation_code)
        set_combo(self.chair, review.child_chair)
        self.code.setEnabled(review.kind is ReviewKind.LOOKED_AFTER)
        self._suggest()
        self._summarise()

    def _suggest(self) -> None:
        review, info = self.editor.draft, self.editor.info
        if review is None or info is None:
            return
        when = rv.review_date(review, self.editor.basis)
        self.use_suggestion.setVisible(False)
        if review.kind is not ReviewKind.LOOKED_AFTER:
            self.suggestion.setText("Pathway plan reviews have no participation code.")
            return
        if when < info.child_dob:
            self.suggestion.setText("The review date is before the child's date of birth.")
            return
        age = rv.age_on(info.child_dob, when)
        suggested = rv.suggest_pn_code(info.child_dob, when)
        if suggested:
            self.suggestion.setText(
                f"The child is {age} on the review date ({uk_date(when)}): under 4, so the code "
                f"is {suggested}."
            )
            self.use_suggestion.setVisible(review.participation_code != suggested)
        else:
            self.suggestion.setText(
                f"The child is {age} on the review date ({uk_date(when)}): choose the code for "
                "how they took part (PN1-PN7); PN0 is only for children under 4."
            )

    def _summarise(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        merged = rv.merged_attendance(review)
        lines = []

        def part(role: InviteeRole, noun: str) -> None:
            people = [m for m in merged if m.role is role]
            if not people:
                lines.append(f"{noun}: nobody in this role is on the list of people invited.")
                return
            for m in people:
                what = _ATTENDANCE.get(m.attendance, "not recorded") if m.attendance else None
                lines.append(f"{noun} ({m.name or 'no name'}): {what or 'not recorded yet'}.")

        part(InviteeRole.CHILD, "The child")
        part(InviteeRole.SOCIAL_WORKER, "Social worker")
        report = review.preparation.social_worker_report_received_on
        lines.append(
            f"Social worker's report: received {uk_date(report)}."
            if report
            else "Social worker's report: not recorded as received."
        )
        part(InviteeRole.PARENT, "Parent")
        self.summary.setText("\n".join(lines))

    def _use_suggestion(self) -> None:
        set_combo(self.code, "PN0")
        self.code.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edited(self, *_: object) -> None:
        if self.filling or self.editor.draft is None:
            return
        code = self.code.value()
        chair = self.chair.value()
        self.editor.edit(
            lambda r: replace(
                r,
                participation_code=code if isinstance(code, str) else None,
                child_chair=chair if isinstance(chair, ChairRole) else None,
            )
        )
        self._suggest()
