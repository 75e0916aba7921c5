"""Shaped Indic text (Bengali, Devanagari, Gurmukhi, Tamil) that still reads back as typed.

ReportLab shapes a paragraph's words with HarfBuzz (uharfbuzz) when its style has `shaping`
on: vowel signs move before their consonant, conjuncts become one glyph, marks sit where they
belong. But it labels each glyph with the character the font's cmap gives it (or a private-use
code for a conjunct), so copying the text, searching it, or a screen reader gives the glyphs in
visual order or gibberish ("রিহম" for "রহিম").

Here each shaped word is relabelled cluster by cluster: the glyphs of a cluster carry, in
order, the characters of the text they came from (the last glyph the rest; a glyph beyond the
text's length carries nothing). A glyph that must carry something other than its own character
gets a code in Unicode's plane-15 private use area, mapped to that glyph, and the font's
ToUnicode table gives that code's text. Two small hooks into ReportLab do this:
`paragraph.shapeFragWord` (only words in the fonts listed in `SHAPED_FONTS` are touched) and
`ttfonts.makeToUnicodeCMap` (only codes allocated here are changed).
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

_original_shape = ttfonts.shapeFragWord
_original_cmap = ttfonts.makeToUnicodeCMap

SHAPED_FONTS: set[str] = set()  # ReportLab font names whose words are shaped
_TEXT: dict[int, str] = {}  # private code -> the text it stands for
_CODES: dict[tuple[str, int, str, float], int] = {}  # (font, glyph, text, width) -> code
_next_code = 0xF0000
_lock = threading.Lock()


def _code_for(font: Any, gid: int, text: str, width: float) -> int:
    """A private code that draws glyph `gid` of `font`, `width` wide, and reads as `text`."""
    global _next_code
    key = (font.fontName, gid, text, width)
    with _lock:
        code = _CODES.get(key)
        if code is None:
            code = _CODES[key] = _next_code
            _next_code += 1
            _TEXT[code] = text
            font.face.charToGlyph[code] = gid
            font.face.charWidths[code] = width
    return code


def _pieces(text: str, n: int) -> list[str]:
    """Cluster text shared among its n glyphs, in order; the last glyph takes the rest."""
    if n <= 1:
        return [text]
    if len(text) >= n:
        return [*text[: n - 1], text[n - 1 :]]
    return [*text, *([""] * (n - len(text)))]


def _relabel(shaped: list[Any], text: str) -> list[Any]:
    """The shaped frags of one font run, each glyph labelled with the text it came from."""
    glyphs: list[tuple[int, int, str, Any]] = []  # (frag, index, character, shape data)
    for k, (_frag, s) in enumerate(shaped):
        shape_data = getattr(s, "__shapeData__", None)
        if shape_data is None:
            return shaped  # nothing was shaped: the characters are already the text
        for i, ch in enumerate(s):
            glyphs.append((k, i, ch, shape_data[i]))
    starts = sorted({g[3].cluster for g in glyphs if 0 <= g[3].cluster < len(text)})
    end_of = {
        c: (starts[j + 1] if j + 1 < len(starts) else len(text)) for j, c in enumerate(starts)
    }
    labels: list[str] = []
    i = 0
    while i < len(glyphs):
        cluster = glyphs[i][3].cluster
        j = i
        while j < len(glyphs) and glyphs[j][3].cluster == cluster:
            j += 1
        piece = text[cluster : end_of.get(cluster, cluster)]
        labels.extend(_pieces(piece, j - i))
        i = j
    out: list[Any] = []
    chars: list[list[str]] = [list(s) for _f, s in shaped]
    data: list[list[Any]] = [list(s.__shapeData__) for _f, s in shaped]
    for (k, i, ch, sd), label in zip(glyphs, labels, strict=True):
        # A mark drawn left of the pen (x_offset < 0) is moved back right after it is drawn;
        # text extractors take that move for a space ("স্কু লে"). A wider glyph code for the
        # mark advances the pen instead, so the page looks the same and reads as one word.
        width = max(sd.width, sd.x_advance - sd.x_offset)
        if label == ch and width == sd.width:
            continue
        font = pdfmetrics.getFont(shaped[k][0].fontName)
        gid = font.face.charToGlyph.get(ord(ch))
        if gid is None:
            continue
        chars[k][i] = chr(_code_for(font, gid, label, width))
        data[k][i] = ttfonts.ShapeData(
            sd.cluster, sd.x_advance, sd.y_advance, sd.x_offset, sd.y_offset, width
        )
    for (frag, _s), new, sd_list in zip(shaped, chars, data, strict=True):
        out.append((frag, ttfonts.ShapedStr("".join(new), shapeData=sd_list)))
    return out


def shape_frag_word(w: Any, *args: Any, **kwargs: Any) -> Any:
    """ReportLab's word shaping, run by font (so a comma after a Bengali name does not make
    HarfBuzz shape Bengali in the Latin font), with glyphs labelled for reading back.

    Our paragraphs turn shaping on only when they hold text in a shaped script; their other
    words are left as every other paragraph has them (no kerning, no ligatures).
    """
    frags = w[1:]
    fonts = {getattr(f, "fontName", "") for f, _s in frags}
    if isinstance(w, ttfonts.ShapedFragWord) or any(hasattr(f, "cbDefn") for f, _s in frags):
        return _original_shape(w, *args, **kwargs)
    if not fonts & SHAPED_FONTS:
        return w if any(name.startswith("Iro") for name in fonts) else _original_shape(w)
    runs: list[list[tuple[Any, str]]] = []
    for f, s in frags:
        if runs and runs[-1][-1][0].fontName == f.fontName:
            runs[-1].append((f, s))
        else:
            runs.append([(f, s)])
    new = ttfonts.makeShapedFragWord(w)([0.0])
    width = 0.0
    for run in runs:
        run_width = sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in run)
        if run[0][0].fontName in SHAPED_FONTS:
            shaped = _original_shape([run_width, *run], force=True)
            run_width = shaped[0]
            new.extend(_relabel(list(shaped[1:]), "".join(s for _f, s in run)))
        else:
            new.extend(run)
        width += run_width
    new[0] = width
    return new


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with the text of the codes allocated here."""
    if not any(code in _TEXT for code in subset):
        return str(_original_cmap(fontname, subset))
    entries = []
    for i, code in enumerate(subset):
        text = _TEXT.get(code)
        if text is None:
            text = chr(code)
        entries.append(f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def install() -> None:
    """Put the two hooks in place (idempotent)."""
    paragraph.shapeFragWord = shape_frag_word
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
