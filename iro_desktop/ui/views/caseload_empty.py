"""What the caseload page says when there are no children yet: what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyCaseload(QWidget):
    """Two ways in: type a child in, or bring the caseload in from the council's files."""

    add_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("No children on the caseload yet")
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(660)
        heading = QLabel("No children on this caseload yet")
        heading.setObjectName("sectionHeading")
        heading.setAccessibleName("No children on this caseload yet")
        self.explain = QLabel(
            "Add the children you review one at a time, or bring them all in from your "
            "council's SSDA903 files: the children looked after return it sends to the DfE "
            "each year (header.csv, episodes.csv, reviews.csv and the others). Those files "
            "hold no names; a names file (CHILD, NAME) can go with them."
        )
        self.explain.setWordWrap(True)
        self.add_button = QPushButton("&Add a child...")
        self.add_button.setToolTip("Type in one child's details (Ctrl+N)")
        self.add_button.setAccessibleName("Add a child")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_requested)
        self.import_button = QPushButton("&Import from your council's files...")
        self.import_button.setToolTip("Bring in the council's SSDA903 files (Ctrl+I)")
        self.import_button.setAccessibleName("Import from your council's files")
        self.import_button.clicked.connect(self.import_requested)
        self.later = QLabel(
            "Both stay in the File menu. Children can be added by hand and imported later: "
            "the council's child id matches them, so nobody is added twice."
        )
        self.later.setObjectName("hint")
        self.later.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(12)
        inner.addWidget(heading)
        inner.addWidget(self.explain)
        inner.addLayout(buttons)
        inner.addWidget(self.later)

        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addSpacing(24)
        layout.addLayout(centred)
        layout.addStretch(1)

    def focus_first(self) -> None:
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
