"""What the child told us: their own words for the review (quoted back to them in the letter,
'What you told me'), how they said them, and how their views were sought if they did not
take part."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from iro_desktop.domain.review import ChildView, ViewSource
from iro_desktop.ui.review_editor import ReviewEditor
from iro_desktop.ui.review_widgets import Section, combo, hint, labelled, set_combo

# Said in the meeting first: what the IRO most often writes down straight after it.
_ORDER = (
    ViewSource.IN_MEETING,
    ViewSource.TO_IRO,
    ViewSource.CONSULTATION_FORM,
    ViewSource.MIND_OF_MY_OWN,
    ViewSource.OTHER,
)
SOURCES = [(s.label, s) for s in _ORDER]


class ChildWordsSection(Section):
    title = "What the child told us"
    owns = ("child_views", "views_sought")
    fields = ("child_views", "views_sought")

    def __init__(self, editor: ReviewEditor, parent: QWidget | None = None) -> None:
        super().__init__(editor, parent)
        self.column.addWidget(
            hint(
                "The child's wishes and feelings in their own words, one on each line, as they "
                "said or wrote them. The letter quotes them back: 'What you told me'."
            )
        )
        form = QFormLayout()
        self.words = QPlainTextEdit()
        self.words.setTabChangesFocus(True)
        self.words.setMinimumHeight(self.fontMetrics().height() * 6)
        labelled(form, "In their &own words:", self.words, "The child's own words")
        self.source = combo("How they said it", SOURCES)
        labelled(form, "How they sai&d it:", self.source, "How they said it")
        self.sought = QPlainTextEdit()
        self.sought.setTabChangesFocus(True)
        self.sought.setMinimumHeight(self.fontMetrics().height() * 3)
        labelled(
            form,
            "If they did not take part, how you as&ked:",
            self.sought,
            "How the child's views were sought",
        )
        self.column.addLayout(form)
        self.column.addStretch(1)
        self.words.textChanged.connect(self._edited)
        self.source.currentIndexChanged.connect(self._edited)
        self.sought.textChanged.connect(self._edited)

    def first_field(self) -> QWidget | None:
        return self.words

    def fill(self) -> None:
        review = self.editor.draft
        if review is None:
            return
        text = "\n".join(v.words for v in review.child_views)
        if self.words.toPlainText() != text:
            self.words.setPlainText(text)
        if review.child_views:
            set_combo(self.source, review.child_views[0].source)
        if self.sought.toPlainText() != review.views_sought:
            self.sought.setPlainText(review.views_sought)

    def _edited(self, *_: object) -> None:
        review = self.editor.draft
        if self.filling or review is None:
            return
        source = self.source.value()
        if not isinstance(source, ViewSource):
            source = ViewSource.IN_MEETING
        kept = {v.words: v for v in review.child_views}
        views = tuple(
            replace(kept[line], source=source)
            if line in kept
            else ChildView(words=line, source=source)
            for line in (ln.strip() for ln in self.words.toPlainText().splitlines())
            if line
        )
        sought = self.sought.toPlainText()
        if views != review.child_views or sought != review.views_sought:
            self.editor.edit(lambda r: replace(r, child_views=views, views_sought=sought))
