"""Text that fits its space: shortened at a word, never cut mid-word, with the full text
kept for a tooltip."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

ELLIPSIS = "\u2026"


def fit_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` if it fits in `width` pixels, else as many whole words as fit, then '…'."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split()
    shown = ""
    for word in words:
        candidate = f"{shown} {word}" if shown else word
        if metrics.horizontalAdvance(candidate + ELLIPSIS) > width:
            break
        shown = candidate
    return (shown.rstrip(",;:") + ELLIPSIS) if shown else ELLIPSIS
