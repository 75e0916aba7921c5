"""Embedded fonts and text in several scripts.

Every PDF embeds Noto Sans (a subset, so files stay small); runs of another script switch to
the Noto font for that script: Arabic (Arabic, Urdu, Farsi, Pashto), Ethiopic (Tigrinya,
Amharic), Bengali, Devanagari (Hindi, Nepali, Marathi), Gurmukhi (Punjabi), Tamil and Chinese.
A script font is loaded the first time a document needs it.

Arabic is shaped (letters joined in their initial, medial and final forms) and put in visual
right-to-left order before ReportLab lays it out, because ReportLab on its own prints Arabic
letters unjoined and left to right. The Indic scripts are shaped by HarfBuzz inside ReportLab
(iro_desktop.pdf.shaping), which also keeps their text readable when copied out of the PDF.
Chinese and Ethiopic need no shaping: one character, one glyph.

Limitation: an Arabic run is reordered as one piece, so a right-to-left phrase that wraps
across two lines reads in the wrong line order. Names and short phrases are not affected.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from iro_desktop.pdf import shaping
from iro_desktop.pdf.resources import resources_dir

BASE = "IroSans"
BASE_BOLD = "IroSans-Bold"
BASE_ITALIC = "IroSans-Italic"
ARABIC = "IroArabic"
ETHIOPIC = "IroEthiopic"
BENGALI = "IroBengali"
DEVANAGARI = "IroDevanagari"
GURMUKHI = "IroGurmukhi"
TAMIL = "IroTamil"
CHINESE = "IroChinese"

_BASE_FILES = {
    BASE: "NotoSans-Regular.ttf",
    BASE_BOLD: "NotoSans-Bold.ttf",
    BASE_ITALIC: "NotoSans-Italic.ttf",
}
# family -> (regular file, bold file or None: the regular face stands in for bold)
_SCRIPT_FILES: dict[str, tuple[str, str | None]] = {
    ARABIC: ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ETHIOPIC: ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    BENGALI: ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    DEVANAGARI: ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    GURMUKHI: ("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf"),
    TAMIL: ("NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf"),
    # A cut of Noto Sans CJK SC (2.8 MB; resources/fonts/build_cjk_subset.py), regular only.
    CHINESE: ("NotoSansSC-Subset.ttf", None),
}
_SHAPED_FAMILIES = (BENGALI, DEVANAGARI, GURMUKHI, TAMIL)
SCRIPT_NAMES = {
    ARABIC: "Arabic",
    ETHIOPIC: "Ethiopic",
    BENGALI: "Bengali",
    DEVANAGARI: "Devanagari",
    GURMUKHI: "Gurmukhi",
    TAMIL: "Tamil",
    CHINESE: "Chinese",
}

_registered = False
_families: set[str] = set()
_lock = threading.Lock()


def _load(name: str, filename: str) -> None:
    path = resources_dir() / "fonts" / filename
    if not path.is_file():
        raise FileNotFoundError(f"The font file {path} is missing from this installation.")
    pdfmetrics.registerFont(TTFont(name, str(path)))


def register_fonts() -> None:
    """Register the base fonts with ReportLab once per process (script fonts: on first use)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _BASE_FILES.items():
            _load(name, filename)
        # <b> and <i> inside a paragraph pick the right face; Noto ships no bold italic here.
        addMapping(BASE, 0, 0, BASE)
        addMapping(BASE, 1, 0, BASE_BOLD)
        addMapping(BASE, 0, 1, BASE_ITALIC)
        addMapping(BASE, 1, 1, BASE_BOLD)
        shaping.install()
        _registered = True


def use_family(family: str) -> None:
    """Load a script's fonts the first time a document needs them."""
    if family in _families:
        return
    register_fonts()
    with _lock:
        if family in _families:
            return
        regular, bold_file = _SCRIPT_FILES[family]
        _load(family, regular)
        bold = family + "-Bold"
        if bold_file is None:
            pdfmetrics.registerFont(TTFont(bold, str(resources_dir() / "fonts" / regular)))
        else:
            _load(bold, bold_file)
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, family)
        addMapping(family, 1, 1, bold)
        if family in _SHAPED_FAMILIES:
            shaping.SHAPED_FONTS.update((family, bold))
        _families.add(family)


# (first, last, family): the blocks each script font covers.
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x08A0, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x1200, 0x139F, ETHIOPIC),
    (0x2D80, 0x2DDF, ETHIOPIC),
    (0xAB00, 0xAB2F, ETHIOPIC),
    (0x0900, 0x097F, DEVANAGARI),
    (0xA8E0, 0xA8FF, DEVANAGARI),
    (0x0980, 0x09FF, BENGALI),
    (0x0A00, 0x0A7F, GURMUKHI),
    (0x0B80, 0x0BFF, TAMIL),
    (0x2E80, 0x2FDF, CHINESE),
    (0x3000, 0x30FF, CHINESE),
    (0x3400, 0x4DBF, CHINESE),
    (0x4E00, 0x9FFF, CHINESE),
    (0xF900, 0xFAFF, CHINESE),
    (0xFF00, 0xFFEF, CHINESE),
    (0x20000, 0x3FFFF, CHINESE),
)
# Joiners and the danda belong to the script run they sit in (Bengali and Punjabi use the
# Devanagari danda), so HarfBuzz sees the whole word.
_JOINS_RUN = {"\u200c", "\u200d", "\u0964", "\u0965"}


def script_font(ch: str) -> str | None:
    """The fallback font family for a character, or None for the base font."""
    cp = ord(ch)
    if cp < 0x0600:
        return None
    for first, last, family in _BLOCKS:
        if first <= cp <= last:
            return family
    return None


def needs_shaping(text: str) -> bool:
    """Whether the text has a script that HarfBuzz must shape (ReportLab's `shaping` style)."""
    if not text or max(text) < "\u0900":
        return False
    return any(script_font(ch) in _SHAPED_FAMILIES for ch in text if ord(ch) >= 0x0900)


def _has_rtl(text: str) -> bool:
    if not text or max(text) < "\u0590":  # below Hebrew: nothing right to left (the usual case)
        return False
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
    if not text:
        return []
    if max(text) < "\u0600":  # Latin, Greek, Cyrillic...: one run (most of every letter)
        return [Run(text, None)]
    fonts: list[str | None] = []
    pieces: list[list[str]] = []
    for ch in text:
        font = script_font(ch)
        if ch in _JOINS_RUN and fonts and fonts[-1] is not None:
            font = fonts[-1]
        if fonts and fonts[-1] == font:
            pieces[-1].append(ch)
        else:
            fonts.append(font)
            pieces.append([ch])
    return [Run("".join(p), f) for p, f in zip(pieces, fonts, strict=True)]


# Spaces inside a phone number ("0800 000 0000") or between a day and its month never break a
# line, so a child never has to piece a number together from two lines.
_KEEP_TOGETHER = re.compile(
    r"(?<=\d) (?=\d)|(?<=\b\d) (?=[A-Z][a-z]+ \d{4})|(?<=\b\d\d) (?=[A-Z][a-z]+ \d{4})"
)


def markup(text: str, *, bold: bool = False) -> str:
    """ReportLab paragraph markup for plain text, with a font switch for each script run."""
    parts = []
    text = _KEEP_TOGETHER.sub("\u00a0", unicodedata.normalize("NFC", text))
    for run in script_runs(visual_order(text)):
        escaped = escape(run.text)
        if run.font is None:
            parts.append(escaped)
        else:
            use_family(run.font)
            face = run.font + ("-Bold" if bold else "")
            parts.append(f'<font face="{face}">{escaped}</font>')
    return "".join(parts)


def unsupported_characters(text: str) -> set[str]:
    """Characters none of the shipped fonts can print (they would show as empty boxes).

    The UI can warn the IRO before issuing a letter with, say, a name in Korean.
    """
    register_fonts()
    missing = set()
    text = unicodedata.normalize("NFC", text)
    for ch in set(visual_order(text)):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        family = script_font(ch)
        if family is not None:
            use_family(family)
        font = pdfmetrics.getFont(family or BASE)
        if ord(ch) not in font.face.charToGlyph:
            missing.add(ch)
    return missing


def printing_problem(text: str) -> str | None:
    """One line for the IRO if some of the text cannot be printed, or None if all of it can.

    Called before a letter is submitted, so a name is never printed as blanks or boxes.
    """
    missing = sorted(unsupported_characters(text))
    if not missing:
        return None
    shown = ", ".join(f"{ch} ({_character_name(ch)})" for ch in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return (
        f"these characters cannot be printed in the PDF: {shown}{more}. Write them in another "
        "way (for example in English letters)."
    )


def _character_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name.title()}" if name else "")
