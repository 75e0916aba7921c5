"""The review's status in words and its next steps as buttons.

A button is enabled when the lifecycle allows the step from where the review is
(`allowed_transitions`); a disabled one says why not (`why_not`) in its tooltip and in its
accessible description. A step the record cannot take yet (completing with a meeting still to
happen) is refused by the service, and the reason is shown beside the buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import Review, ReviewKind, ReviewStatus

S = ReviewStatus

# (the status the step moves to, the button's words)
STEPS: tuple[tuple[ReviewStatus, str], ...] = (
    (S.PREPARING, "Start &preparing"),
    (S.COMPLETED, "&Complete the review"),
    (S.RECOMMENDATIONS_ISSUED, "&Issue recommendations"),
    (S.LETTER_DRAFTED, "Write the &letter"),
    (S.STOOD_DOWN, "Stand down..."),
    (S.PLANNED, "Rearrange..."),
)

NEXT_WORDS = {
    S.PLANNED: "Next: start preparing (invitations, consultation forms, seeing the child).",
    S.PREPARING: "Next: record the first meeting in Meetings (Alt+2); the review is held on "
    "that date.",
    S.HELD: "Next: when the last meeting has ended, complete the review.",
    S.COMPLETED: "Next: issue the recommendations.",
    S.RECOMMENDATIONS_ISSUED: "Next: write the letter to the child.",
    S.LETTER_DRAFTED: "The letter to the child is being written; it goes for sign-off from the "
    "letter.",
    S.SUBMITTED: "With the manager for sign-off.",
    S.APPROVED: "Approved at sign-off: the letter can be issued.",
    S.ISSUED: "Issued: the review is closed. Corrections are new versions of the letter.",
    S.STOOD_DOWN: "Stood down: rearrange it with a new date (Prepare, Alt+1).",
}


class StepsBar(QFrame):
    """`on_step(status)` is called with the step's target status when its button is pressed."""

    def __init__(
        self,
        on_step: Callable[[ReviewStatus], None],
        letter_available: Callable[[], bool],
        parent: QWidget | None = None,
        on_no_meeting: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("facts")
        self._letter_available = letter_available
        self.status = QLabel("")
        self.status.setStyleSheet("font-weight: 600;")
        self.status.setAccessibleName("Review status")
        self.next = QLabel("")
        self.next.setWordWrap(True)
        self.next.setAccessibleName("What happens next")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Result of the last step")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[ReviewStatus, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.status)
        row.addSpacing(12)
        for to, words in STEPS:
            button = QPushButton(words)
            button.setAccessibleName(words.replace("&", "").rstrip("."))
            button.clicked.connect(lambda _checked=False, t=to: on_step(t))
            self.buttons[to] = button
            row.addWidget(button)
        # A long-term foster placement after 12 months: local procedures allow a review
        # without a meeting (the service refuses it anywhere else, saying why).
        self.no_meeting_button = QPushButton("Held &without a meeting...")
        self.no_meeting_button.setAccessibleName("Record the review as held without a meeting")
        self.no_meeting_button.setToolTip(
            "For a child in a long-term foster placement for 12 months or more"
        )
        if on_no_meeting is not None:
            self.no_meeting_button.clicked.connect(lambda _checked=False: on_no_meeting())
        self.no_meeting_button.setVisible(False)
        row.addWidget(self.no_meeting_button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.next)
        column.addWidget(self.message)

    def show_review(self, review: Review | None) -> None:
        if review is None:
            self.status.setText("")
            self.next.setText("")
            for button in self.buttons.values():
                button.setEnabled(False)
            self.no_meeting_button.setVisible(False)
            return
        status = review.status
        self.status.setText(f"Status: {status.label}")
        self.next.setText(NEXT_WORDS[status])
        allowed = rv.allowed_transitions(status)
        self.no_meeting_button.setVisible(
            review.kind is ReviewKind.LOOKED_AFTER
            and status in (S.PLANNED, S.PREPARING)
            and not review.meetings
        )
        for to, button in self.buttons.items():
            why = rv.why_not(status, to) if to not in allowed else None
            if to is S.LETTER_DRAFTED:
                # The letter page drafts, submits and issues the letter; from here it is
                # opened once the recommendations have gone out.
                why = (
                    None
                    if rv.reached(status, S.RECOMMENDATIONS_ISSUED)
                    else "Issue the recommendations first; then write the letter to the child."
                )
                if why is None and not self._letter_available():
                    why = "The letter page is not available in this version."
                button.setText(
                    "Write the &letter"
                    if status is S.RECOMMENDATIONS_ISSUED
                    else "Open the &letter"
                )
            button.setEnabled(why is None)
            button.setToolTip(why or "")
            button.setAccessibleDescription(why or "")
            # Only steps that make sense from here are shown; the rest would be noise.
            button.setVisible(why is None or to in _SHOWN_DISABLED.get(status, ()))
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))

    def say(self, text: str) -> None:
        self.message.setText(text)


# Disabled steps still worth showing (with why not), by status: the next milestone.
_SHOWN_DISABLED: dict[ReviewStatus, tuple[ReviewStatus, ...]] = {
    S.PLANNED: (S.COMPLETED,),
    S.PREPARING: (S.COMPLETED,),
    S.HELD: (S.RECOMMENDATIONS_ISSUED,),
    S.COMPLETED: (S.LETTER_DRAFTED,),
    S.STOOD_DOWN: (S.PREPARING,),
}
