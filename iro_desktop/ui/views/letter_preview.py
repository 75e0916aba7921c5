"""Seeing a PDF on screen without writing it anywhere.

A letter or record names a child, so a preview never touches the disk: the PDF is made in
memory, its pages are drawn to pictures in memory (PDFium, through pypdfium2), and the
pictures are shown in a dialog. Only "Save as PDF..." writes a file, where the IRO chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

A4_WIDTH_POINTS = 595.0


@dataclass(frozen=True)
class PageImage:
    """One page drawn as RGB pixels (plain bytes: made on the worker, shown on the screen)."""

    width: int
    height: int
    stride: int
    rgb: bytes

    def to_qimage(self) -> QImage:
        image = QImage(self.rgb, self.width, self.height, self.stride, QImage.Format.Format_RGB888)
        return image.copy()  # own the pixels: `rgb` may go away


def page_images(pdf: bytes, *, width_px: int = 760) -> list[PageImage]:
    """Every page of the PDF drawn `width_px` wide. No widgets: safe on the worker thread."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                scale = width_px / max(page.get_width(), 1.0)
                bitmap = page.render(scale=scale, rev_byteorder=True)
                try:
                    pages.append(
                        PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()
        return pages
    finally:
        document.close()


class PreviewDialog(QDialog):
    """The pages one under the other; Page Up / Page Down scroll, Esc closes."""

    def __init__(
        self,
        title: str,
        words: str,
        pages: list[PageImage],
        *,
        save_as: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.pages = pages
        about = QLabel(words)
        about.setWordWrap(True)
        about.setAccessibleName("What this preview shows")

        column = QWidget()
        column.setStyleSheet("background: #8a949e;")
        inner = QVBoxLayout(column)
        inner.setSpacing(14)
        inner.setContentsMargins(14, 14, 14, 14)
        self.page_labels: list[QLabel] = []
        for number, page in enumerate(pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(page.to_qimage()))
            label.setAccessibleName(f"Page {number} of {len(pages)}")
            label.setStyleSheet("background: white;")
            inner.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(column)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName("Pages")
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if save_as is not None:
            save = QPushButton("Save as P&DF...")
            save.setAccessibleName("Save as PDF")
            save.setToolTip("Save this PDF where you choose (Ctrl+Shift+S)")
            save.clicked.connect(save_as)
            buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
            QShortcut(QKeySequence("Ctrl+Shift+S"), self, save_as)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.pages_area, 1)
        layout.addWidget(buttons)
        width = max((p.width for p in pages), default=600) + 80  # margins and scroll bar
        self.resize(width, 860)
        self.pages_area.setFocus()
