"""Script runs, right-to-left order, unbreakable numbers, and reading a service's phrase banks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iro_desktop.domain.letter import AgeBand
from iro_desktop.pdf.fonts import ARABIC, ETHIOPIC, Run, markup, script_runs, visual_order
from iro_desktop.pdf.resources import read_phrase_bank, read_phrase_banks, resources_dir


def test_text_is_split_where_the_script_changes_and_punctuation_stays_in_the_base_font() -> None:
    assert script_runs("Dear ሰላም, hi") == [
        Run("Dear ", None),
        Run("ሰላም", ETHIOPIC),
        Run(", hi", None),
    ]
    assert [r.font for r in script_runs("يوسف")] == [ARABIC]


def test_right_to_left_words_are_reversed_as_whole_words_in_a_left_to_right_line() -> None:
    shown = visual_order("Dear يوسف أحمد, hello")
    assert shown.startswith("Dear ") and shown.endswith(", hello")
    # Left to right on the page: أحمد then يوسف (the first name sits on the right, where an
    # Arabic reader starts), each word's letters reversed and in their joined forms:
    # dal final, meem medial, hah initial, alef with hamza; feh final, seen initial, waw
    # final, yeh initial.
    assert shown[5:-7] == "\ufeaa\ufee4\ufea3\ufe83 \ufed2\ufeb3\ufeee\ufef3"


def test_latin_text_is_untouched_by_the_bidi_step() -> None:
    assert visual_order("Łucja (age 9)") == "Łucja (age 9)"


def test_markup_escapes_and_keeps_numbers_and_dates_on_one_line() -> None:
    text = markup("Ring 0800 000 0000 by 15 April 2025 <b>& more</b>")
    assert "0800\u00a0000\u00a00000" in text
    assert "15\u00a0April 2025" in text
    assert "&lt;b&gt;&amp; more&lt;/b&gt;" in text


def test_markup_switches_font_for_other_scripts_in_bold_too() -> None:
    assert markup("Hi ሰላም", bold=True) == f'Hi <font face="{ETHIOPIC}-Bold">ሰላም</font>'


def test_shipped_fonts_and_licence_are_there_and_small() -> None:
    fonts = resources_dir() / "fonts"
    assert (fonts / "OFL.txt").read_text("utf-8").count("SIL OPEN FONT LICENSE Version 1.1") == 1
    total = sum(p.stat().st_size for p in fonts.glob("*.ttf"))
    # Latin, Arabic, Ethiopic and four Indic scripts (regular and bold) are about 3.9 MB; the
    # Chinese cut is 2.8 MB. A whole Noto Sans CJK would be 19 MB.
    assert total < 7 * 1024 * 1024
    assert (fonts / "NotoSansSC-Subset.ttf").stat().st_size < 3 * 1024 * 1024


def test_a_service_folder_of_phrase_banks_is_read_and_checked(tmp_path: Path) -> None:
    for f in (resources_dir() / "phrases").glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    assert set(read_phrase_banks(tmp_path)) == set(AgeBand)
    wrong = tmp_path / "under_8.toml"
    wrong.write_text(
        wrong.read_text("utf-8").replace('band = "under_8"', 'band = "8_to_12"'), "utf-8"
    )
    with pytest.raises(
        ValueError, match="says it is for '8_to_12', but it is the file for 'under_8'"
    ):
        read_phrase_bank(AgeBand.UNDER_8, tmp_path)
    (tmp_path / "care_leaver.toml").unlink()
    with pytest.raises(
        ValueError, match="Could not read the letter wording file .*care_leaver.toml"
    ):
        read_phrase_bank(AgeBand.CARE_LEAVER, tmp_path)
