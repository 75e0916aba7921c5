"""Plain-language help beside the letter editor: the reading-ease score against the target for
the child's age band, and each long sentence, jargon word and possible passive as an item the
IRO can click (or reach with the arrow keys) to see it highlighted in the letter.

It only shows advice: nothing here ever stops the letter being saved or submitted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from iro_desktop.domain.plain_language import Advice, AdviceKind, AgeBand, PlainLanguageReport

SPAN_ROLE = int(Qt.ItemDataRole.UserRole) + 1

KIND_WORDS = {
    AdviceKind.LONG_SENTENCE: "Long sentence",
    AdviceKind.JARGON: "Jargon",
    AdviceKind.PASSIVE: "Maybe passive",
}
# Jargon first: it is the advice children asked for most (domain brief 4.4).
KIND_ORDER = (AdviceKind.JARGON, AdviceKind.LONG_SENTENCE, AdviceKind.PASSIVE)
EXCERPT_CHARS = 60


def reader_words(band: AgeBand) -> str:
    """'age 8 to 12', 'a child under 8', 'a care leaver': who the letter is judged for."""
    if band is AgeBand.UNDER_8:
        return "a child under 8"
    if band is AgeBand.CARE_LEAVER:
        return "a care leaver"
    return f"age {band.label}"


def score_words(report: PlainLanguageReport) -> str:
    """The score against its target in words, so colour is never the only cue."""
    if report.reading_ease is None:
        return "Reading ease: no words to score yet."
    score = round(report.reading_ease)
    target = round(report.target)
    who = reader_words(report.age_band)
    if report.meets_target:
        return f"Reading ease {score} \u2014 good for {who} (target {target})"
    return (
        f"Reading ease {score} \u2014 harder than the target for {who} (target {target}). "
        "Shorter sentences and everyday words help."
    )


def count_words(report: PlainLanguageReport) -> str:
    found = {kind: len(report.of_kind(kind)) for kind in KIND_ORDER}
    parts = []
    for kind, singular, plural in (
        (AdviceKind.JARGON, "jargon word", "jargon words"),
        (AdviceKind.LONG_SENTENCE, "long sentence", "long sentences"),
        (AdviceKind.PASSIVE, "possible passive", "possible passives"),
    ):
        n = found[kind]
        if n:
            parts.append(f"{n} {singular if n == 1 else plural}")
    sentences = "sentence" if report.sentences == 1 else "sentences"
    size = f"{report.words} words in {report.sentences} {sentences}."
    if not parts:
        return f"{size} No jargon, long sentences or passives found."
    return f"{size} {', '.join(parts)}."


def _excerpt(text: str, advice: Advice) -> str:
    words = " ".join(text[advice.start : advice.end].split())
    if len(words) > EXCERPT_CHARS:
        words = words[: EXCERPT_CHARS - 1].rstrip() + "\u2026"
    return words


def item_text(text: str, advice: Advice) -> str:
    lead = f"{KIND_WORDS[advice.kind]}: \u2018{_excerpt(text, advice)}\u2019"
    return f"{lead}\n{advice.suggestion}" if advice.suggestion else lead


class PlainLanguagePanel(QWidget):
    """`advice_chosen(start, end)` when an item becomes current (click or arrow keys);
    `advice_activated(start, end)` on Enter or a double-click: go and change those words.
    Offsets are into the text the report was made from (Python string positions)."""

    advice_chosen = Signal(int, int)
    advice_activated = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Plain-language help")
        self.report: PlainLanguageReport | None = None

        heading = QLabel("Plain-language help")
        heading.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.score = QLabel("")
        self.score.setWordWrap(True)
        self.score.setAccessibleName("Reading ease")
        self.score.setStyleSheet("font-size: 10.5pt;")
        self.counts = QLabel("")
        self.counts.setWordWrap(True)
        self.counts.setObjectName("hint")
        self.counts.setAccessibleName("What the help found")

        self.list = QListWidget()
        self.list.setAccessibleName("Plain-language advice")
        self.list.setAccessibleDescription(
            "Arrow keys show each piece of advice in the letter; Enter goes to the words."
        )
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._activated)
        list_label = QLabel("Advi&ce (Enter goes to the words):")
        list_label.setBuddy(self.list)

        note = QLabel("Advice only: it never stops you saving or sending the letter.")
        note.setObjectName("hint")
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.score)
        layout.addWidget(self.counts)
        layout.addSpacing(4)
        layout.addWidget(list_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)

    # --- showing --------------------------------------------------------------------------

    def show_report(self, report: PlainLanguageReport, text: str) -> None:
        """Show the advice for `text`, keeping the IRO's place in the list where it can."""
        self.report = report
        self.score.setText(score_words(report))
        self.counts.setText(count_words(report))
        row = self.list.currentRow()
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for advice in self.items(report):
                item = QListWidgetItem(item_text(text, advice))
                item.setData(SPAN_ROLE, (advice.start, advice.end))
                item.setToolTip(advice.message)
                self.list.addItem(item)
            if 0 <= row < self.list.count():
                self.list.setCurrentRow(row)
        finally:
            self.list.blockSignals(False)

    @staticmethod
    def items(report: PlainLanguageReport) -> list[Advice]:
        """The advice with a span to show, by kind then place in the letter (the overall
        readability advice is the score line, not an item)."""
        return [a for kind in KIND_ORDER for a in report.of_kind(kind)]

    def clear(self) -> None:
        self.report = None
        self.score.setText("")
        self.counts.setText("")
        self.list.clear()

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def select(self, row: int) -> None:
        """Make item `row` current, as clicking it or moving to it with the arrows does."""
        self.list.setCurrentRow(row)

    # --- choosing -------------------------------------------------------------------------

    @staticmethod
    def _span(item: QListWidgetItem | None) -> tuple[int, int] | None:
        if item is None:
            return None
        span = item.data(SPAN_ROLE)
        return (int(span[0]), int(span[1])) if span else None

    def _current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        self._chosen(item)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        span = self._span(item)
        if span is not None:
            self.advice_chosen.emit(*span)

    def _activated(self, item: QListWidgetItem | None) -> None:
        span = self._span(item)
        if span is not None:
            self.advice_activated.emit(*span)
