"""Plan view: the IRO's view of the care plan, and whether and when the IRO endorsed it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from iro_desktop.domain.review import PlanView
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import DateField, Section, combo, hint, labelled, set_combo

ENDORSED = [
    ("Not decided yet", None),
    ("Yes: I endorse the plan", True),
    ("No: I do not endorse the plan", False),
]


class PlanSection(Section):
    title = "Plan view"
    owns = ("plan_view",)
    fields = ("plan_view",)

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        self.column.addWidget(
            hint(
                "Your independent view of the child's care plan. If you cannot endorse it, "
                "say why; drift in the plan is a reason to escalate."
            )
        )
        form = QFormLayout()
        self.view = QPlainTextEdit()
        self.view.setTabChangesFocus(True)
        self.view.setMinimumHeight(self.fontMetrics().height() * 10)
        labelled(form, "Your &view of the plan:", self.view, "Your view of the care plan")
        self.endorsed = combo("Endorse the plan", ENDORSED)
        labelled(form, "&Endorse the plan:", self.endorsed, "Endorse the plan")
        self.endorsed_problem = self.problem(self.endorsed, ("plan_view.endorsed",), "endorsing")
        form.addRow("", self.endorsed_problem)
        self.endorsed_on = DateField(editor.today)
        labelled(form, "&Date endorsed:", self.endorsed_on, "Date endorsed")
        self.endorsed_on_problem = self.problem(
            self.endorsed_on, ("plan_view.endorsed_on",), "the date endorsed"
        )
        form.addRow("", self.endorsed_on_problem)
        self.column.addLayout(form)
        self.column.addStretch(1)
        self.view.textChanged.connect(self._edited)
        self.endorsed.currentIndexChanged.connect(self._edited)
        self.endorsed_on.date_edited.connect(self._edited)

    def first_field(self) -> QWidget | None:
        return self.view

    def fill(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        plan = review.plan_view
        if self.view.toPlainText() != plan.view:
            self.view.setPlainText(plan.view)
        set_combo(self.endorsed, plan.endorsed)
        self.endorsed_on.set_value(plan.endorsed_on)

    def _edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None:
            return
        endorsed = self.endorsed.value()
        endorsed_on = self.endorsed_on.value()
        if endorsed is True and endorsed_on is None and not self.endorsed_on.text().strip():
            # Endorsing today is what nearly always happens; the date can still be changed.
            endorsed_on = self.editor.today()
            was, self.filling = self.filling, True
            self.endorsed_on.set_value(endorsed_on)
            self.filling = was
        plan = PlanView(
            view=self.view.toPlainText(),
            endorsed=endorsed if isinstance(endorsed, bool) else None,
            endorsed_on=endorsed_on,
        )
        if plan != review.plan_view:
            self.editor.edit(lambda r: replace(r, plan_view=plan))
        self.endorsed_on_problem.extra = self.endorsed_on.problem
