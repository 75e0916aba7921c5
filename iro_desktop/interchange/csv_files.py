"""One council file, read safely: bytes to text to records, every failure a problem.

Nothing a file contains may raise: a file over the size limit or one that looks binary is
reported, not read; text is UTF-8 (with or without Excel's byte-order mark), Windows-1252 or
UTF-16; values are separated by commas, or by tabs or semicolons when the header says so.
Shared by the SSDA903 tables (ssda903_read) and the names file (names).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from iro_desktop.interchange.ssda903_rows import Problem

__all__ = [
    "MAX_FILE_BYTES",
    "CsvFile",
    "column_index",
    "extra_columns_warning",
    "load_csv",
    "reading_notes",
    "shaped_records",
    "shown",
]

MAX_FILE_BYTES = 50 * 1024 * 1024


# Files with these endings (or none) are meant to be tables, so a binary or oversized one is a
# problem; any other file (a PDF of guidance, the Excel workbook the CSVs came from) is only
# mentioned, so that it does not block the import.
_TABLE_SUFFIXES = frozenset({"", ".csv", ".txt", ".tsv"})


# --- one file: bytes to records ----------------------------------------------------------------


@dataclass
class CsvFile:
    """A file decoded and split into records; shared with names.py."""

    file: str
    columns: tuple[str, ...] = ()  # the header, upper-cased and stripped
    header_line: int = 0  # 0 when there is no header (empty, binary, too big)
    # (first physical line, last physical line, values) for each non-blank record
    records: list[tuple[int, int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # could not be read at all
    warnings: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # binary, too big or unreadable: nothing else can be said
    delimiter: str = ","
    cut_short: Problem | None = None  # the csv module gave up part way through


def reading_notes(csv_file: CsvFile) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) about how a file was read, worth saying only once it is a table.

    Kept apart so that a stray text file in the folder, which is ignored, cannot block the
    import with a CSV complaint of its own.
    """
    problems = [csv_file.cut_short] if csv_file.cut_short is not None else []
    warnings = []
    if csv_file.delimiter != ",":
        words = "tabs" if csv_file.delimiter == "\t" else "semicolons"
        warnings.append(
            Problem(
                csv_file.file, None, None, f"separates values with {words}, not commas; read anyway"
            )
        )
    return problems, warnings


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def _decode(data: bytes) -> str | None:
    """The text of a file, or None when it looks binary.

    Councils' exports are UTF-8 (often with Excel's byte-order mark) or, from older systems,
    Windows-1252; Excel's "Unicode text" is UTF-16 with a mark, which costs nothing to allow.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        if b"\x00" in data:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined
                return None
    text = text.rstrip("\x1a")  # the end-of-file mark of old DOS exports
    sample = text[:8192]
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\x0c") or ch == "\x7f")
    # A stray control character in a small text file is left for the value checks to report.
    if "\x00" in text or (controls > 2 and controls * 100 > len(sample)):
        return None
    return text


def _delimiter(text: str) -> str:
    """Commas, unless the first line has none but has tabs or semicolons (Excel's other CSVs)."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    if "," in first:
        return ","
    tabs, semis = first.count("\t"), first.count(";")
    if tabs or semis:
        return "\t" if tabs >= semis else ";"
    return ","


def load_csv(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES) -> CsvFile:
    """Read one file into records; every failure becomes a problem, never an exception."""
    name = path.name
    out = CsvFile(file=name)
    # A file that is not meant to be a table is only mentioned, so it cannot block the import.
    meant_as_table = path.suffix.lower() in _TABLE_SUFFIXES
    report = out.problems if meant_as_table else out.warnings
    ignored = "" if meant_as_table else "; ignored"
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            report.append(
                Problem(
                    name,
                    None,
                    None,
                    f"is {_size_words(size)}, over the limit of {_size_words(max_file_bytes)}; "
                    f"not read{'' if meant_as_table else ', ignored'}",
                )
            )
            out.unreadable = True
            return out
        with path.open("rb") as handle:
            data = handle.read(max_file_bytes + 1)
    except OSError as exc:
        out.problems.append(Problem(name, None, None, f"could not be read ({exc.strerror or exc})"))
        out.unreadable = True
        return out
    if len(data) > max_file_bytes:  # grew while we looked
        report.append(
            Problem(
                name, None, None, f"is over the limit of {_size_words(max_file_bytes)}{ignored}"
            )
        )
        out.unreadable = True
        return out
    text = _decode(data)
    if text is None:
        report.append(Problem(name, None, None, f"is not a CSV file (it looks binary){ignored}"))
        out.unreadable = True
        return out

    out.delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=out.delimiter)
    last = 0
    try:
        for values in reader:
            first, last = last + 1, reader.line_num
            if any(value.strip() for value in values):
                out.records.append((first, last, values))
    except csv.Error as exc:
        # Python's csv stops at a value longer than its limit (a runaway quote, or not a CSV);
        # nothing after it can be trusted, so say where and stop.
        out.cut_short = Problem(
            name, last + 1, None, f"could not be read as CSV from here on ({exc})"
        )
    if out.records:
        first, last, values = out.records.pop(0)
        out.header_line = first
        # A second byte-order mark (files joined by a script) must not hide the first column.
        out.columns = tuple(value.strip().strip("\ufeff").strip().upper() for value in values)
    return out


# --- values in messages ------------------------------------------------------------------------

# Also the invisible direction marks, which could make a message read backwards on screen.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: str, limit: int = 30) -> str:
    """A value as it may safely appear in a message: no control characters, not too long."""
    value = _UNSHOWABLE.sub("?", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- records ---------------------------------------------------------------------------------


def column_index(columns: tuple[str, ...]) -> dict[str, int]:
    """Column name -> position; the first wins (duplicates are refused before this is used)."""
    index: dict[str, int] = {}
    for i, column in enumerate(columns):
        index.setdefault(column, i)
    return index


def shaped_records(
    csv_file: CsvFile, required: tuple[str, ...], problems: list[Problem], *, what: str = "SSDA903"
) -> list[tuple[int, list[str]]]:
    """(line, values) for the records of the right shape, values stripped and padded to width.

    A row short of optional trailing columns is padded (Excel drops trailing empty values in
    some rows); a row short of a required value, with extra values, or running over several
    lines is reported once rather than as a run of confusing per-column problems. Shared with
    names.py.
    """
    width = len(csv_file.columns)
    index = column_index(csv_file.columns)
    required_width = max((index[c] + 1 for c in required if c in index), default=0)
    good: list[tuple[int, list[str]]] = []
    for first, last, values in csv_file.records:
        count = len(values)
        if last > first:
            message = (
                f"a quoted value runs on over lines {first} to {last}; {what} values have "
                "no line breaks (look for a stray quotation mark)"
            )
        elif count > width and any(v.strip() for v in values[width:]):
            message = (
                f"has {count} values but the header has {width} columns (a value may contain "
                "a comma)"
            )
        elif count < required_width:
            message = f"has {count} values but the header has {width} columns"
        else:
            stripped = [v.strip() for v in values[:width]]
            if count < width:
                stripped.extend([""] * (width - count))
            good.append((first, stripped))
            continue
        problems.append(Problem(csv_file.file, first, None, message))
    return good


def extra_columns_warning(csv_file: CsvFile, known: tuple[str, ...]) -> Problem | None:
    """A warning naming the columns that will be ignored (at most a dozen: a file may be wide)."""
    extra = [c for c in dict.fromkeys(csv_file.columns) if c and c not in known]
    if not extra:
        return None
    named = ", ".join(shown(c) for c in extra[:12])
    if len(extra) > 12:
        named += f" and {len(extra) - 12} more"
    return Problem(
        csv_file.file,
        csv_file.header_line,
        None,
        f"has columns the program does not use, ignored: {named}",
    )
