"""How NotoSansSC-Subset.ttf was made (run by hand; the program never runs this).

Noto Sans CJK ships as CFF outlines in a 19 MB collection, and ReportLab embeds only TrueType
outlines. So the Simplified Chinese face is cut down to the characters a name or a short phrase
in Chinese needs (every hanzi of GB 2312, the frequent traditional characters of Big5 level 1
for families from Hong Kong and Taiwan, kana, CJK punctuation and full-width forms) and its
outlines converted to TrueType. Characters outside the subset are reported before a letter is
submitted (iro_desktop.pdf.fonts.script_problems), never printed blank.

    apt-get install fonts-noto-cjk        # Debian 12: 1:20220127+repack1-1
    pip install fonttools
    python resources/fonts/build_cjk_subset.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_FACE = 2  # JP, KR, SC, TC, HK...
OUT = Path(__file__).with_name("NotoSansSC-Subset.ttf")


def wanted() -> set[int]:
    chars: set[int] = set(range(0x20, 0x7F))
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        try:
            ch.encode("gb2312")
            chars.add(cp)
            continue
        except UnicodeEncodeError:
            pass
        try:
            big5 = ch.encode("big5")
        except UnicodeEncodeError:
            continue
        if b"\xa4\x40" <= big5 <= b"\xc6\x7e":  # level 1: the frequent characters
            chars.add(cp)
    chars.update(range(0x3000, 0x3040))  # CJK punctuation
    chars.update(range(0x3040, 0x3100))  # hiragana, katakana
    chars.update(range(0xFF00, 0xFFF0))  # full-width forms
    chars.update((0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026))
    return chars


def to_truetype(font: subset.TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = newTable("maxp")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def main() -> int:
    font = TTCollection(str(SOURCE)).fonts[SC_FACE]
    options = subset.Options()
    options.layout_features = []  # horizontal text needs no alternates
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted())
    subsetter.subset(font)
    to_truetype(font)
    font.save(str(OUT))
    print(f"{OUT.name}: {OUT.stat().st_size / 1e6:.1f} MB, {len(font.getGlyphOrder())} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
