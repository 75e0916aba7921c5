"""Embedded fonts and text in several scripts.

Every PDF embeds Noto Sans (a subset, so files stay small); runs of Arabic or Ethiopic script
switch to the Noto font for that script. Arabic is shaped (letters joined in their initial,
medial and final forms) and put in visual right-to-left order before ReportLab lays it out,
because ReportLab on its own prints Arabic letters unjoined and left to right.

Limitation: an Arabic run is reordered as one piece, so a right-to-left phrase that wraps
across two lines reads in the wrong line order. Names and short phrases are not affected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from iro_desktop.pdf.resources import resources_dir

BASE = "IroSans"
BASE_BOLD = "IroSans-Bold"
BASE_ITALIC = "IroSans-Italic"
ARABIC = "IroArabic"
ETHIOPIC = "IroEthiopic"

_FILES = {
    BASE: "NotoSans-Regular.ttf",
    BASE_BOLD: "NotoSans-Bold.ttf",
    BASE_ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC + "-Bold": "NotoSansArabic-Bold.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf",
    ETHIOPIC + "-Bold": "NotoSansEthiopic-Bold.ttf",
}

_registered = False


def register_fonts() -> None:
    """Register the shipped fonts with ReportLab once per process."""
    global _registered
    if _registered:
        return
    folder = resources_dir() / "fonts"
    for name, filename in _FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FileNotFoundError(f"The font file {path} is missing from this installation.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> and <i> inside a paragraph pick the right face; Noto ships no bold italic here.
    addMapping(BASE, 0, 0, BASE)
    addMapping(BASE, 1, 0, BASE_BOLD)
    addMapping(BASE, 0, 1, BASE_ITALIC)
    addMapping(BASE, 1, 1, BASE_BOLD)
    for family in (ARABIC, ETHIOPIC):
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, family + "-Bold")
        addMapping(family, 0, 1, family)
        addMapping(family, 1, 1, family + "-Bold")
    _registered = True


def script_font(ch: str) -> str | None:
    """The fallback font family for a character, or None for the base font."""
    cp = ord(ch)
    if (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    ):
        return ARABIC
    if 0x1200 <= cp <= 0x139F or 0x2D80 <= cp <= 0x2DDF or 0xAB00 <= cp <= 0xAB2F:
        return ETHIOPIC
    return None


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def visual_order(text: str) -> str:
    """Arabic shaped and every right-to-left run reversed, in a left-to-right line."""
    if not _has_rtl(text):
        return text
    return str(get_display(arabic_reshaper.reshape(text), base_dir="L"))


@dataclass(frozen=True)
class Run:
    text: str
    font: str | None  # None: the paragraph's own font


def script_runs(text: str) -> list[Run]:
    """The text split where the script changes. Spaces and punctuation stay in the base font."""
    runs: list[Run] = []
    for ch in text:
        font = script_font(ch)
        if runs and runs[-1].font == font:
            runs[-1] = Run(runs[-1].text + ch, font)
        else:
            runs.append(Run(ch, font))
    return runs


# Spaces inside a phone number ("0800 000 0000") or between a day and its month never break a
# line, so a child never has to piece a number together from two lines.
_KEEP_TOGETHER = re.compile(
    r"(?<=\d) (?=\d)|(?<=\b\d) (?=[A-Z][a-z]+ \d{4})|(?<=\b\d\d) (?=[A-Z][a-z]+ \d{4})"
)


def markup(text: str, *, bold: bool = False) -> str:
    """ReportLab paragraph markup for plain text, with a font switch for each script run."""
    parts = []
    text = _KEEP_TOGETHER.sub("\u00a0", text)
    for run in script_runs(visual_order(text)):
        escaped = escape(run.text)
        if run.font is None:
            parts.append(escaped)
        else:
            face = run.font + ("-Bold" if bold else "")
            parts.append(f'<font face="{face}">{escaped}</font>')
    return "".join(parts)


def unsupported_characters(text: str) -> set[str]:
    """Characters none of the shipped fonts can print (they would show as empty boxes).

    The UI can warn the IRO before issuing a letter with, say, a name in Chinese characters.
    """
    register_fonts()
    missing = set()
    for ch in set(visual_order(text)):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        font = pdfmetrics.getFont(script_font(ch) or BASE)
        if ord(ch) not in font.face.charToGlyph:
            missing.add(ch)
    return missing
