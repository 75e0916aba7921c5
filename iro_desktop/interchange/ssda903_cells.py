"""The values of one record checked column by column: ids, text, codes, dates and sex.

Each failed check is a problem in plain words placed at (file, line, column), so the council
can find and fix it. Shared by the SSDA903 tables (ssda903_checks) and the names file (names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from iro_desktop.interchange.csv_files import shown
from iro_desktop.interchange.ssda903_rows import Problem

__all__ = [
    "MAX_CHILD_LENGTH",
    "MAX_TEXT_LENGTH",
    "Cells",
    "parse_date",
    "required_message",
]

MAX_CHILD_LENGTH = 40  # the DfE allows 10; councils' own ids are sometimes longer
MAX_TEXT_LENGTH = 40  # UPN, postcodes, URN: short codes, so anything longer is a mistake

# Columns explained in the "is required" messages, so an IRO need not know the 903 names.
_COLUMN_WORDS: dict[str, str] = {
    "CHILD": "the child's id",
    "SEX": "the child's sex",
    "DOB": "the date of birth",
    "ETHNIC": "the ethnicity code",
    "DECOM": "the date the episode started",
    "RNE": "the reason the episode started",
    "LS": "the legal status",
    "CIN": "the category of need",
    "PLACE": "the placement type",
    "DEC": "the date the episode ended",
    "REC": "the reason the episode ended",
    "REVIEW": "the date of the review",
    "REVIEW_CODE": "the child's participation code",
    "DATE_PLACED": "the date placed for adoption",
    "DATE_PLACED_CEASED": "the date the adoption placement ended",
    "REASON_PLACED_CEASED": "the reason the adoption placement ended",
    "MISSING": "whether missing (M) or away without authorisation (A)",
    "MIS_START": "the date the episode of missing started",
    "NAME": "the child's name",
}


_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SHORT_YEAR = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Sex codes, with those before 2024/25 (1 male, 2 female) mapped to today's.
_SEXES = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F"}


@lru_cache(maxsize=32768)
def parse_date(text: str) -> date | str:
    """A DD/MM/YYYY (or YYYY-MM-DD) date, or the reason it is not one.

    Cached: a return repeats the same few thousand dates across tens of thousands of rows.
    """
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.fullmatch(text)
        if not match:
            if _SHORT_YEAR.fullmatch(text):
                return f"{shown(text)} needs a four-digit year (DD/MM/YYYY)"
            return f"{shown(text)} is not a date (use DD/MM/YYYY)"
        year, month, day = (int(part) for part in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        return f"{shown(text)} is not a real date"
    if year < 1900:
        return f"{shown(text)} is before 1900"
    if year > 2100:
        return f"{shown(text)} is after 2100"
    return value


def _code_list(table: Mapping[str, str]) -> str:
    return ", ".join(table)


def required_message(column: str) -> str:
    """The message for an empty required column, with what the column holds in plain words."""
    words = _COLUMN_WORDS.get(column)
    return f"{column} is required ({words})" if words else f"{column} is required"


class Cells:
    """The values of one record (from shaped_records), checked column by column.

    Each failed check adds one problem; `bad` records whether any did, so the caller can leave
    the row out.
    """

    __slots__ = ("bad", "file", "index", "line", "problems", "values")

    def __init__(
        self,
        file: str,
        line: int,
        values: list[str],
        index: Mapping[str, int],
        problems: list[Problem],
    ) -> None:
        self.file = file
        self.line = line
        self.values = values
        self.index = index
        self.problems = problems
        self.bad = False

    def raw(self, column: str) -> str:
        return self.values[self.index[column]]  # stripped and padded by shaped_records

    def fail(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))
        self.bad = True

    def child(self, column: str = "CHILD") -> str | None:
        value = self.raw(column)
        if not value:
            self.fail(column, required_message(column))
            return None
        if len(value) > MAX_CHILD_LENGTH:
            self.fail(
                column,
                f"{shown(value)} is too long for a child's id "
                f"({len(value)} characters; at most {MAX_CHILD_LENGTH})",
            )
            return None
        if _CONTROL.search(value):
            self.fail(column, f"{shown(value)} contains a control character")
            return None
        return value

    def text(self, column: str, *, limit: int = MAX_TEXT_LENGTH, required: bool = False) -> str:
        value = self.raw(column)
        if not value:
            if required:
                self.fail(column, required_message(column))
            return ""
        if len(value) > limit:
            self.fail(
                column, f"{shown(value)} is too long ({len(value)} characters; at most {limit})"
            )
        elif _CONTROL.search(value):
            self.fail(column, f"{shown(value)} contains a control character")
        return value

    def code(self, column: str, table: Mapping[str, str], what: str, *, required: bool) -> str:
        value = self.raw(column).upper()
        if not value:
            if required:
                self.fail(column, required_message(column))
            return ""
        if value not in table:
            article = "an" if what[0] in "aeiou" else "a"
            self.fail(
                column, f"{shown(value)} is not {article} {what}; use one of: {_code_list(table)}"
            )
        return value

    def date(self, column: str, *, required: bool) -> date | None:
        value = self.raw(column)
        if not value:
            if required:
                self.fail(column, required_message(column))
            return None
        parsed = parse_date(value)
        if isinstance(parsed, str):
            self.fail(column, parsed)
            return None
        return parsed

    def sex(self, column: str = "SEX", *, required: bool) -> str:
        value = self.raw(column).upper()
        if not value:
            if required:
                self.fail(column, required_message(column))
            return ""
        mapped = _SEXES.get(value)
        if mapped is None:
            self.fail(
                column,
                f"{shown(value)} is not a sex code; use M, F or U "
                "(or the codes before 2024/25: 1 for male, 2 for female)",
            )
            return ""
        return mapped
