"""Prepare: the review's date (rearrange, stand down), who is invited and consulted, the IRO's
contact with the child, what the child chose, and the reports received beforehand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import (
    ChairRole,
    ChildChoices,
    ChildContact,
    ContactMethod,
    Invitee,
    InviteeRole,
    Preparation,
    Review,
    ReviewStatus,
)
from iro_desktop.ui import dialogs
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import (
    DateField,
    Section,
    button_row,
    combo,
    hint,
    labelled,
    set_combo,
)
from iro_desktop.ui.widgets import uk_date

CONTACT_METHODS = {
    ContactMethod.VISIT: "Visit",
    ContactMethod.PHONE: "Phone call",
    ContactMethod.VIDEO: "Video call",
    ContactMethod.MIND_OF_MY_OWN: "Mind of My Own",
    ContactMethod.HAVE_YOUR_SAY: "Have Your Say booklet",
    ContactMethod.NONE: "No contact",
}
CHAIR_WORDS = {
    None: "Not asked yet",
    ChairRole.CHAIR: "Wants to chair",
    ChairRole.CO_CHAIR: "Wants to co-chair",
    ChairRole.NEITHER: "Does not want to chair",
}


def invitee_line(person: Invitee) -> str:
    role = person.role.label
    name = person.name or "(no name yet)"
    parts = [f"{role}: {name}"]
    if not person.invited:
        parts.append("not invited")
    if person.consultation_sent_on:
        parts.append(f"form sent {uk_date(person.consultation_sent_on)}")
    if person.consultation_received_on:
        parts.append(f"back {uk_date(person.consultation_received_on)}")
    elif person.consultation_sent_on:
        parts.append("not back yet")
    return ", ".join(parts)


def _new_key(invitees: tuple[Invitee, ...]) -> str:
    taken = {p.key for p in invitees}
    n = len(invitees) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


class PrepareSection(Section):
    title = "Prepare"
    owns = ("planned_on", "extra_reason", "preparation")
    fields = ("preparation", "planned_on", "status")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        today = editor.today
        self.current = -1

        # --- when ------------------------------------------------------------------------
        when = QGroupBox("Date of the review")
        when_column = QVBoxLayout(when)
        self.dates = QLabel("")
        self.dates.setWordWrap(True)
        self.dates.setAccessibleName("Due and planned dates")
        when_column.addWidget(self.dates)
        self.planned_problem = self.problem(None, ("planned_on", "extra_reason"), "the date")
        when_column.addWidget(self.planned_problem)
        self.when_form = form = QFormLayout()
        self.new_date = DateField(today)
        labelled(form, "Ne&w date:", self.new_date, "New date for the review")
        self.planned_problem.field = self.new_date  # a date to check is put right here
        self.rearrange_reason = QLineEdit()
        self.rearrange_reason.setPlaceholderText("For example: the child's carer is unwell")
        labelled(form, "Reason to &rearrange:", self.rearrange_reason, "Reason for rearranging")
        self.rearrange_button = QPushButton("Rearra&nge")
        self.rearrange_button.setAccessibleName("Rearrange the review")
        self.rearrange_button.clicked.connect(self.rearrange)
        form.addRow("", button_row(self.rearrange_button))
        self.stand_down_reason = QLineEdit()
        self.stand_down_reason.setPlaceholderText(
            "For example: the care plan has not been formulated"
        )
        labelled(form, "Reason to stand &down:", self.stand_down_reason, "Reason for standing down")
        self.stand_down_button = QPushButton("Stand d&own")
        self.stand_down_button.setAccessibleName("Stand the review down")
        self.stand_down_button.clicked.connect(self.stand_down)
        form.addRow("", button_row(self.stand_down_button))
        when_column.addLayout(form)
        self.when_message = QLabel("")
        self.when_message.setWordWrap(True)
        self.when_message.setAccessibleName("Rearranging or standing down: result")
        self.when_message.setVisible(False)
        when_column.addWidget(self.when_message)
        when_column.addWidget(
            hint(
                "The due date never moves: a review stood down or rearranged is still judged "
                "against the date it was first due."
            )
        )
        self.column.addWidget(when)

        # --- people ----------------------------------------------------------------------
        people = QGroupBox("People invited and consulted")
        people_column = QVBoxLayout(people)
        self.people = QListWidget()
        self.people.setMinimumHeight(120)
        caption = QLabel("Who is in&vited:")
        caption.setBuddy(self.people)
        self.people.setAccessibleName("People invited")
        self.people.currentRowChanged.connect(self._person_chosen)
        people_column.addWidget(caption)
        people_column.addWidget(self.people)
        buttons = QHBoxLayout()
        self.add_person_button = QPushButton("&Add a person")
        self.add_person_button.clicked.connect(lambda: self.add_person())
        self.from_record_button = QPushButton("Invite the people on the child's record")
        self.from_record_button.setAccessibleName("Invite the child and the people on their record")
        self.from_record_button.clicked.connect(self.invite_from_record)
        self.remove_person_button = QPushButton("Remove this person")
        self.remove_person_button.clicked.connect(self.remove_person)
        for button in (self.add_person_button, self.from_record_button, self.remove_person_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        people_column.addLayout(buttons)
        detail = QFormLayout()
        self.role = combo("Role", [(r.label, r) for r in InviteeRole])
        labelled(detail, "Rol&e:", self.role, "Role")
        self.name = QLineEdit()
        labelled(detail, "Na&me:", self.name, "Name")
        self.invited = QCheckBox("Invited to the meeting")
        self.invited.setAccessibleName("Invited to the meeting")
        detail.addRow("", self.invited)
        self.sent = DateField(today)
        labelled(detail, "Consultation form sen&t:", self.sent, "Consultation form sent")
        self.sent_problem = self.problem(self.sent, (), "consultation form sent")
        detail.addRow("", self.sent_problem)
        self.received = DateField(today)
        labelled(detail, "Consultation form came &back:", self.received, "Consultation form back")
        self.received_problem = self.problem(self.received, (), "consultation form back")
        detail.addRow("", self.received_problem)
        people_column.addLayout(detail)
        self.column.addWidget(people)
        self.role.currentIndexChanged.connect(self._person_edited)
        self.name.textChanged.connect(self._person_edited)
        self.invited.toggled.connect(self._person_edited)
        self.sent.date_edited.connect(self._person_edited)
        self.received.date_edited.connect(self._person_edited)

        # --- contact with the child -----------------------------------------------------
        contact = QGroupBox("Your contact with the child before the review")
        contact_form = QFormLayout(contact)
        self.contact_on = DateField(today)
        labelled(
            contact_form, "Date of contact:", self.contact_on, "Date of contact with the child"
        )
        self.contact_method = combo("How", [(w, m) for m, w in CONTACT_METHODS.items()])
        labelled(contact_form, "How:", self.contact_method, "How you were in contact")
        self.no_contact_reason = QLineEdit()
        labelled(
            contact_form, "Reason if no contact:", self.no_contact_reason, "Reason for no contact"
        )
        self.contact_problem = self.problem(
            self.contact_on, ("preparation.child_contacts",), "contact with the child"
        )
        contact_form.addRow("", self.contact_problem)
        self.earlier_contacts = QLabel("")
        self.earlier_contacts.setWordWrap(True)
        self.earlier_contacts.setAccessibleName("Earlier contact with the child")
        contact_form.addRow("", self.earlier_contacts)
        self.another_contact = QPushButton("Record another contact")
        self.another_contact.clicked.connect(self.add_contact)
        contact_form.addRow("", button_row(self.another_contact))
        self.column.addWidget(contact)
        self.contact_on.date_edited.connect(self._contact_edited)
        self.contact_method.currentIndexChanged.connect(self._contact_edited)
        self.no_contact_reason.textChanged.connect(self._contact_edited)

        # --- what the child chose -------------------------------------------------------
        choices = QGroupBox("What the child chose")
        choices_form = QFormLayout(choices)
        self.venue = QLineEdit()
        self.venue.setPlaceholderText("Not at school unless the child asks")
        labelled(choices_form, "Ven&ue:", self.venue, "Venue the child chose")
        self.who_comes = QLineEdit()
        self.who_comes.setPlaceholderText("Names, with a comma between them")
        labelled(choices_form, "Who the child as&ked to come:", self.who_comes, "Who comes")
        self.agenda = QPlainTextEdit()
        self.agenda.setTabChangesFocus(True)
        self.agenda.setPlaceholderText("One thing per line")
        self.agenda.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        labelled(choices_form, "What the child wants to talk about:", self.agenda, "Agenda")
        self.chair_choice = combo("Chairing", [(w, r) for r, w in CHAIR_WORDS.items()])
        labelled(choices_form, "Chairing:", self.chair_choice, "The child's choice about chairing")
        self.column.addWidget(choices)
        self.venue.textChanged.connect(self._choices_edited)
        self.who_comes.textChanged.connect(self._choices_edited)
        self.agenda.textChanged.connect(self._choices_edited)
        self.chair_choice.currentIndexChanged.connect(self._choices_edited)

        # --- reports ---------------------------------------------------------------------
        reports = QGroupBox("Received before the review")
        reports_form = QFormLayout(reports)
        self.report = DateField(today)
        labelled(
            reports_form, "Social worker's report received:", self.report, "Social worker's report"
        )
        self.report_problem = self.problem(
            self.report, ("preparation.social_worker_report_received_on",), "the report"
        )
        reports_form.addRow("", self.report_problem)
        self.care_plan = DateField(today)
        labelled(reports_form, "Care plan received:", self.care_plan, "Care plan received")
        self.care_plan_problem = self.problem(
            self.care_plan, ("preparation.care_plan_received_on",), "the care plan"
        )
        reports_form.addRow("", self.care_plan_problem)
        self.column.addWidget(reports)
        self.report.date_edited.connect(self._reports_edited)
        self.care_plan.date_edited.connect(self._reports_edited)
        self.column.addStretch(1)

    # --- filling ---------------------------------------------------------------------------

    def first_field(self) -> QWidget | None:
        return self.people if self.people.count() else self.add_person_button

    def fill(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        self._fill_dates(review)
        prep = review.preparation
        keep = self.current
        self.people.clear()
        for person in prep.invitees:
            self.people.addItem(invitee_line(person))
        if prep.invitees:
            self.current = min(max(keep, 0), len(prep.invitees) - 1)
            self.people.setCurrentRow(self.current)
        else:
            self.current = -1
        self._fill_person()
        contacts = prep.child_contacts
        last = contacts[-1] if contacts else None
        self.contact_on.set_value(last.on if last else None)
        set_combo(self.contact_method, last.method if last else ContactMethod.VISIT)
        self.no_contact_reason.setText(last.reason_if_none if last else "")
        self.earlier_contacts.setText(
            "Earlier: "
            + "; ".join(
                f"{uk_date(c.on, 'no date')} ({CONTACT_METHODS[c.method].lower()})"
                for c in contacts[:-1]
            )
            if len(contacts) > 1
            else ""
        )
        self.earlier_contacts.setVisible(len(contacts) > 1)
        self._point_contact_problems(len(contacts) - 1)
        choices = prep.child_choices
        self.venue.setText(choices.venue)
        self.who_comes.setText(", ".join(choices.who_comes))
        if self.agenda.toPlainText() != "\n".join(choices.agenda_items):
            self.agenda.setPlainText("\n".join(choices.agenda_items))
        set_combo(self.chair_choice, choices.chair)
        self.report.set_value(prep.social_worker_report_received_on)
        self.care_plan.set_value(prep.care_plan_received_on)

    def _fill_dates(self, review: Review) -> None:
        lines = [f"Due by {uk_date(review.due_on)}.", f"Planned for {uk_date(review.planned_on)}."]
        if review.rearrangements:
            n = len(review.rearrangements)
            lines.append(f"Rearranged {'once' if n == 1 else f'{n} times'}.")
        if review.status is ReviewStatus.STOOD_DOWN and review.stand_downs:
            last = review.stand_downs[-1]
            lines.append(
                f"Stood down on {uk_date(last.on)}: {last.reason} Rearrange it with a new date."
            )
        if review.extra:
            lines.append(f"An extra review: {review.extra_reason}")
        self.dates.setText(" ".join(lines))
        before_first = review.status in (
            ReviewStatus.PLANNED,
            ReviewStatus.PREPARING,
            ReviewStatus.STOOD_DOWN,
        )
        if not before_first:
            held = rv.timeliness_date(review, self.editor.basis) or rv.first_meeting_date(review)
            lines.append(
                f"The first meeting was held{f' on {uk_date(held)}' if held else ''}, so the "
                "review can no longer be rearranged or stood down."
            )
            self.dates.setText(" ".join(lines))
        can_stand_down = review.status in (ReviewStatus.PLANNED, ReviewStatus.PREPARING)
        # Rows 0-2 rearrange (also a stood-down review), rows 3-4 stand down.
        for row in range(5):
            self.when_form.setRowVisible(row, before_first if row < 3 else can_stand_down)

    def _fill_person(self) -> None:
        review = self.editor.draft
        person = (
            review.preparation.invitees[self.current]
            if review is not None and 0 <= self.current < len(review.preparation.invitees)
            else None
        )
        for widget in (self.role, self.name, self.invited, self.sent, self.received):
            widget.setEnabled(person is not None)
        self.remove_person_button.setEnabled(person is not None)
        was, self.filling = self.filling, True
        try:
            set_combo(self.role, person.role if person else InviteeRole.OTHER)
            self.name.setText(person.name if person else "")
            self.invited.setChecked(person.invited if person else True)
            self.sent.set_value(person.consultation_sent_on if person else None)
            self.received.set_value(person.consultation_received_on if person else None)
        finally:
            self.filling = was
        path = f"preparation.invitees[{self.current}]"
        self.sent_problem.paths = [f"{path}.consultation_sent_on", f"{path}.key"]
        self.received_problem.paths = [f"{path}.consultation_received_on"]

    def _point_contact_problems(self, index: int) -> None:
        self.contact_problem.paths = (
            ["preparation.child_contacts"]
            if index < 0
            else [f"preparation.child_contacts[{index}]"]
        )
        if index >= 0:
            self.contact_problem.paths.append("preparation.child_contacts")

    # --- people ------------------------------------------------------------------------------

    def _prep(self, change: Preparation) -> None:
        self.editor.edit(lambda r: replace(r, preparation=change))

    def _person_chosen(self, row: int) -> None:
        if self.filling or row < 0:
            return
        self.current = row
        self._fill_person()
        self.show_problems(self.editor.problems)

    def _person_edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None or self.current < 0:
            return
        invitees = list(review.preparation.invitees)
        old = invitees[self.current]
        role = self.role.value()
        invitees[self.current] = replace(
            old,
            role=role if isinstance(role, InviteeRole) else old.role,
            name=self.name.text(),
            invited=self.invited.isChecked(),
            consultation_sent_on=self.sent.value(),
            consultation_received_on=self.received.value(),
        )
        self._prep(replace(review.preparation, invitees=tuple(invitees)))
        item = self.people.item(self.current)
        if item is not None:
            item.setText(invitee_line(invitees[self.current]))
        self.sent_problem.extra = self.sent.problem
        self.received_problem.extra = self.received.problem

    def add_person(self, role: InviteeRole = InviteeRole.OTHER, name: str = "") -> None:
        review = self.editor.draft
        if review is None:
            return
        invitees = review.preparation.invitees
        person = Invitee(key=_new_key(invitees), role=role, name=name)
        self._prep(replace(review.preparation, invitees=(*invitees, person)))
        self.current = len(invitees)
        self.refill()
        self.role.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_person(self) -> None:
        review = self.editor.draft
        if review is None or not 0 <= self.current < len(review.preparation.invitees):
            return
        person = review.preparation.invitees[self.current]
        if any(e.key == person.key for m in review.meetings for e in m.attendance):
            self.editor.ctx.status(
                f"{person.name or 'This person'} is recorded at a meeting, so stays on the list; "
                "untick 'Invited' instead."
            )
            return
        invitees = tuple(p for p in review.preparation.invitees if p.key != person.key)
        self._prep(replace(review.preparation, invitees=invitees))
        self.current = min(self.current, len(invitees) - 1)
        self.refill()
        self.people.setFocus(Qt.FocusReason.OtherFocusReason)

    def invite_from_record(self) -> None:
        """The child and the people on the child's record who are not on the list yet."""
        from iro_desktop.services import caseload as service

        info = self.editor.info
        if info is None:
            return
        session = self.editor.ctx.session()
        child_id = info.child_id

        def got(found: tuple[str, list[tuple[str, str]]]) -> None:
            review = self.editor.draft
            if review is None or review.child_id != child_id:
                return
            first_name, people = found
            invitees = list(review.preparation.invitees)
            known = {(p.role, p.name.strip().casefold()) for p in invitees}
            wanted = [(InviteeRole.CHILD, first_name)] + [
                (InviteeRole(role), name)
                for role, name in people
                if role in {r.value for r in InviteeRole}
            ]
            added = 0
            for role, name in wanted:
                if (role, name.strip().casefold()) in known or (
                    role is InviteeRole.CHILD and any(p.role is role for p in invitees)
                ):
                    continue
                key = "child" if role is InviteeRole.CHILD else _new_key(tuple(invitees))
                if key in {p.key for p in invitees}:
                    key = _new_key(tuple(invitees))
                invitees.append(Invitee(key=key, role=role, name=name))
                known.add((role, name.strip().casefold()))
                added += 1
            self._prep(replace(review.preparation, invitees=tuple(invitees)))
            self.refill()
            self.editor.ctx.status(
                f"Added {added} {'person' if added == 1 else 'people'} from the child's record."
                if added
                else "Everyone on the child's record is already on the list."
            )

        def load() -> tuple[str, list[tuple[str, str]]]:
            child = service.open_child(session, child_id)
            first = child.preferred_name or child.legal_first_name
            return first, [(p.role, p.name) for p in child.people]

        self.editor.ctx.tasks.run(load, got, label="people on the child's record")

    # --- contact, choices, reports ----------------------------------------------------------

    def _contact_edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None:
            return
        method = self.contact_method.value()
        contact = ChildContact(
            on=self.contact_on.value(),
            method=method if isinstance(method, ContactMethod) else ContactMethod.VISIT,
            reason_if_none=self.no_contact_reason.text(),
        )
        contacts = review.preparation.child_contacts
        contacts = (*contacts[:-1], contact) if contacts else (contact,)
        self._prep(replace(review.preparation, child_contacts=contacts))
        self._point_contact_problems(len(contacts) - 1)
        self.contact_problem.extra = self.contact_on.problem

    def add_contact(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        fresh = ChildContact(on=None, method=ContactMethod.VISIT)
        contacts = (*review.preparation.child_contacts, fresh)
        self._prep(replace(review.preparation, child_contacts=contacts))
        self.refill()
        self.contact_on.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choices_edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None:
            return
        chair = self.chair_choice.value()
        choices = ChildChoices(
            venue=self.venue.text(),
            who_comes=tuple(n.strip() for n in self.who_comes.text().split(",") if n.strip()),
            agenda_items=tuple(
                line.strip() for line in self.agenda.toPlainText().splitlines() if line.strip()
            ),
            chair=chair if isinstance(chair, ChairRole) else None,
        )
        self._prep(replace(review.preparation, child_choices=choices))

    def _reports_edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None:
            return
        self._prep(
            replace(
                review.preparation,
                social_worker_report_received_on=self.report.value(),
                care_plan_received_on=self.care_plan.value(),
            )
        )
        self.report_problem.extra = self.report.problem
        self.care_plan_problem.extra = self.care_plan.problem

    # --- rearrange and stand down --------------------------------------------------------------

    def rearrange(self) -> None:
        from iro_desktop.services import reviews as svc

        new_date: date | None = self.new_date.value()
        reason = self.rearrange_reason.text().strip()
        if new_date is None:
            self._say(self.new_date.problem or "Type the new date first.")
            self.new_date.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if not reason:
            self._say("Give the reason for rearranging the review.")
            self.rearrange_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return

        def done(_update: object) -> None:
            self.new_date.set_value(None)
            self.rearrange_reason.clear()
            self._say(f"Rearranged to {uk_date(new_date)}.")

        self.editor.act(
            lambda s, rid, v: svc.rearrange(s, rid, new_date, reason, expected_version=v),
            done,
            self._refused,
        )

    def stand_down(self) -> None:
        from iro_desktop.services import reviews as svc

        reason = self.stand_down_reason.text().strip()
        if not reason:
            self._say("Give the reason for standing the review down.")
            self.stand_down_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if not dialogs.confirm(
            self,
            "Stand the review down",
            "Stand this review down? It stays due by its original date; rearrange it within "
            "timescale where you can.",
            yes_label="Stand down",
        ):
            return

        def done(_update: object) -> None:
            self.stand_down_reason.clear()
            self._say("The review was stood down. Rearrange it with a new date.")

        self.editor.act(
            lambda s, rid, v: svc.stand_down(s, rid, reason, expected_version=v),
            done,
            self._refused,
        )

    def _say(self, text: str) -> None:
        self.when_message.setText(text)
        self.when_message.setVisible(bool(text))

    def _refused(self, why: str) -> None:
        self._say(f"Not done: {why}")
