"""Seeing a PDF on screen without writing it anywhere.

A letter or record names a child, so a preview never touches the disk: the PDF is made in
memory, its pages are drawn to pictures in memory (PDFium, through pypdfium2), and the
pictures are shown in a dialog. Only "Save as PDF..." writes a file, where the IRO chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
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


class PagesView(QScrollArea):
    """Rendered PDF pages one under the other, in a page of the window (sign-off reads the
    letter this way: exactly what the child gets, never the markup it is written in).

    Pages are drawn larger than shown and scaled to the width of the view, so they stay sharp
    and whole as the window or the splitter changes. `text` is the words on the pages, given
    to screen readers as the view's description.
    """

    MARGIN = 10

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_labels: list[QLabel] = []
        self._images: list[QImage] = []
        self._shown_width = 0
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: white; padding: 20px;")
        self._column = QWidget()
        self._column.setStyleSheet("background: #8a949e;")
        self._inner = QVBoxLayout(self._column)
        self._inner.setSpacing(self.MARGIN)
        self._inner.setContentsMargins(self.MARGIN, self.MARGIN, self.MARGIN, self.MARGIN)
        self._inner.addWidget(self.message)
        self._inner.addStretch(1)
        self.setWidget(self._column)

    def show_pages(self, pages: list[PageImage], text: str = "") -> None:
        self._clear()
        self.message.setVisible(False)
        self._images = [page.to_qimage() for page in pages]
        for number in range(1, len(pages) + 1):
            label = QLabel()
            label.setAccessibleName(f"Page {number} of {len(pages)}")
            label.setStyleSheet("background: white;")
            self._inner.insertWidget(
                self._inner.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter
            )
            self.page_labels.append(label)
        self._shown_width = 0
        self._fit()
        self.setAccessibleDescription(text)
        self.verticalScrollBar().setValue(0)

    def show_message(self, text: str) -> None:
        self._clear()
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.setAccessibleDescription(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Scale the pages to the view's width (never above the size they were drawn at)."""
        if not self._images:
            return
        room = (
            self.viewport().width() - 2 * self.MARGIN - self.verticalScrollBar().sizeHint().width()
        )
        width = max(120, min(room, max(image.width() for image in self._images)))
        if width == self._shown_width:
            return
        self._shown_width = width
        for label, image in zip(self.page_labels, self._images, strict=True):
            scaled = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(QPixmap.fromImage(scaled))

    def _clear(self) -> None:
        for label in self.page_labels:
            self._inner.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        self._images = []


def page_text(pdf: bytes) -> str:
    """The words printed on the pages, in reading order (for screen readers)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        parts = []
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    parts.append(textpage.get_text_range().replace("\r\n", "\n"))
                finally:
                    textpage.close()
            finally:
                page.close()
        return "\n".join(parts)
    finally:
        document.close()
