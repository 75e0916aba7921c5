"""Topics: the checklist for the review's kind (pathway plan topics for care leavers), each
with Signs of Safety notes, and the permanence and pathway plan questions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from iro_desktop.domain.review import (
    Review,
    ReviewKind,
    Topic,
    TopicNote,
    topic_checklist,
)
from iro_desktop.domain.review_record import PATHWAY_PLAN_AGE
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import Section, combo, hint, labelled, set_combo

AGREED = [("Not recorded yet", None), ("Yes", True), ("No", False)]
_TOPIC_ROLE = int(Qt.ItemDataRole.UserRole) + 10


def _text_box(lines: int, parent: QWidget) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(parent.fontMetrics().height() * lines + 14)
    return box


class TopicsSection(Section):
    title = "Topics"
    owns = ("topics", "permanence_plan_agreed", "pathway_plan_in_place")
    fields = ("topics", "permanence_plan_agreed", "pathway_plan_in_place", "meetings")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        self.current: Topic | None = None
        self.intro = hint("")
        self.column.addWidget(self.intro)
        self.list = QListWidget()
        self.list.setMinimumHeight(160)
        caption = QLabel("&Topics (Space ticks a topic as covered):")
        caption.setBuddy(self.list)
        self.list.setAccessibleName("Topics covered")
        self.column.addWidget(caption)
        self.column.addWidget(self.list)
        self.topics_problem = self.problem(self.list, ("topics",), "the topics")
        self.column.addWidget(self.topics_problem)
        self.list.currentItemChanged.connect(self._chosen)
        self.list.itemChanged.connect(self._ticked)

        self.notes_box = QGroupBox("Signs of Safety")
        form = QFormLayout(self.notes_box)
        self.working_well = _text_box(3, self)
        labelled(form, "Working &well:", self.working_well, "What is working well")
        self.worried = _text_box(3, self)
        labelled(form, "Wo&rried about:", self.worried, "What we are worried about")
        self.needs = _text_box(3, self)
        labelled(form, "&Needs to happen:", self.needs, "What needs to happen")
        self.column.addWidget(self.notes_box)
        for box in (self.working_well, self.worried, self.needs):
            box.textChanged.connect(self._noted)

        self.permanence_box = QGroupBox("Permanence plan")
        perm = QFormLayout(self.permanence_box)
        self.permanence_hint = hint("")
        perm.addRow(self.permanence_hint)
        self.permanence = combo("Permanence plan agreed", AGREED)
        labelled(perm, "Permanence plan &agreed:", self.permanence, "Permanence plan agreed")
        self.permanence_problem = self.problem(
            self.permanence, ("permanence_plan_agreed",), "the permanence plan"
        )
        perm.addRow("", self.permanence_problem)
        self.permanence_note = QLineEdit()
        labelled(perm, "Abo&ut the plan:", self.permanence_note, "About the permanence plan")
        self.column.addWidget(self.permanence_box)

        self.pathway_box = QGroupBox("Pathway plan (16 and over)")
        path = QFormLayout(self.pathway_box)
        self.pathway = combo("Pathway plan in place", AGREED)
        labelled(path, "Pathwa&y plan in place:", self.pathway, "Pathway plan in place")
        self.pathway_problem = self.problem(
            self.pathway, ("pathway_plan_in_place",), "the pathway plan"
        )
        path.addRow("", self.pathway_problem)
        self.pathway_note = QLineEdit()
        labelled(path, "About the pathway plan:", self.pathway_note, "About the pathway plan")
        self.column.addWidget(self.pathway_box)
        self.column.addStretch(1)
        self.permanence.currentIndexChanged.connect(self._plans_edited)
        self.permanence_note.textChanged.connect(self._plans_edited)
        self.pathway.currentIndexChanged.connect(self._plans_edited)
        self.pathway_note.textChanged.connect(self._plans_edited)

    def first_field(self) -> QWidget | None:
        return self.list

    # --- filling -----------------------------------------------------------------------------

    def checklist(self) -> tuple[Topic, ...]:
        review = self.editor.draft
        if review is None:
            return ()
        listed = topic_checklist(review.kind, self.editor.child_age())
        extra = tuple(n.topic for n in review.topics if n.topic not in listed)
        return listed + extra

    def fill(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        pathway_review = review.kind is ReviewKind.PATHWAY_PLAN
        self.intro.setText(
            "The pathway plan review's topics."
            if pathway_review
            else "The topics a looked-after review covers; tick each one the review covered."
        )
        notes = {n.topic: n for n in review.topics}
        keep = self.current
        self.list.clear()
        for topic in self.checklist():
            item = QListWidgetItem(topic.label)
            item.setData(_TOPIC_ROLE, topic.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            note = notes.get(topic)
            covered = note is not None and note.covered
            item.setCheckState(Qt.CheckState.Checked if covered else Qt.CheckState.Unchecked)
            self.list.addItem(item)
            if topic is keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.current = self._topic_at(self.list.currentItem())
        self._fill_notes()
        self._fill_plans()

    def _fill_plans(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        looked_after = review.kind is ReviewKind.LOOKED_AFTER
        self.permanence_box.setVisible(looked_after)
        if review.sequence == 2:
            self.permanence_hint.setText(
                "This is the child's second review: the permanence plan should be agreed by "
                "now, so this question must be answered."
            )
        elif review.permanence_question_required:
            self.permanence_hint.setText("Record whether the permanence plan is agreed.")
        else:
            self.permanence_hint.setText(
                "At the first review this is optional; it must be agreed by the second review."
            )
        set_combo(self.permanence, review.permanence_plan_agreed)
        self.permanence_note.setText(review.permanence_plan_note)
        age = self.editor.child_age()
        self.pathway_box.setVisible(looked_after and age is not None and age >= PATHWAY_PLAN_AGE)
        set_combo(self.pathway, review.pathway_plan_in_place)
        self.pathway_note.setText(review.pathway_plan_note)

    @staticmethod
    def _topic_at(item: QListWidgetItem | None) -> Topic | None:
        if item is None:
            return None
        return Topic(str(item.data(_TOPIC_ROLE)))

    def _note(self, topic: Topic) -> TopicNote:
        review = self.editor.draft
        for note in review.topics if review is not None else ():
            if note.topic is topic:
                return note
        return TopicNote(topic=topic)

    def _fill_notes(self) -> None:
        topic = self.current
        self.notes_box.setEnabled(topic is not None)
        if topic is None:
            return
        self.notes_box.setTitle(f"Signs of Safety: {topic.label}")
        note = self._note(topic)
        was, self.filling = self.filling, True
        try:
            for box, text in (
                (self.working_well, note.working_well),
                (self.worried, note.worried_about),
                (self.needs, note.needs_to_happen),
            ):
                if box.toPlainText() != text:
                    box.setPlainText(text)
        finally:
            self.filling = was

    # --- editing ---------------------------------------------------------------------------

    def _put(self, note: TopicNote) -> None:
        def change(review: Review) -> Review:
            topics = list(review.topics)
            for i, old in enumerate(topics):
                if old.topic is note.topic:
                    topics[i] = note
                    break
            else:
                topics.append(note)
            return replace(review, topics=tuple(topics))

        self.editor.edit(change)

    def _chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        if self.filling:
            return
        self.current = self._topic_at(item)
        self._fill_notes()

    def _ticked(self, item: QListWidgetItem) -> None:
        topic = self._topic_at(item)
        if self.filling or topic is None:
            return
        covered = item.checkState() == Qt.CheckState.Checked
        note = self._note(topic)
        if note.covered != covered:
            self._put(replace(note, covered=covered))

    def _noted(self) -> None:
        topic = self.current
        if self.filling or topic is None:
            return
        note = self._note(topic)
        changed = replace(
            note,
            working_well=self.working_well.toPlainText(),
            worried_about=self.worried.toPlainText(),
            needs_to_happen=self.needs.toPlainText(),
        )
        if changed != note:
            # Writing about a topic means it was covered; the tick can still be taken off.
            if not note.covered and not any(
                (note.working_well, note.worried_about, note.needs_to_happen)
            ):
                changed = replace(changed, covered=True)
                item = self.list.currentItem()
                if item is not None:
                    was, self.filling = self.filling, True
                    item.setCheckState(Qt.CheckState.Checked)
                    self.filling = was
            self._put(changed)

    def _plans_edited(self, *_: object) -> None:
        if self.filling or self.editor.draft is None:
            return
        permanence = self.permanence.value()
        pathway = self.pathway.value()
        self.editor.edit(
            lambda r: replace(
                r,
                permanence_plan_agreed=permanence if isinstance(permanence, bool) else None,
                permanence_plan_note=self.permanence_note.text(),
                pathway_plan_in_place=pathway if isinstance(pathway, bool) else None,
                pathway_plan_note=self.pathway_note.text(),
            )
        )
