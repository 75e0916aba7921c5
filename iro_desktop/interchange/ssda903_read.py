"""Read a council's folder of SSDA903 CSV tables into checked rows.

Pure functions: no caseload, no Qt. Every problem in every file is collected as (file, line,
column, rule in plain words) so the council can fix its export in one pass; nothing a file
contains may raise, because the files come from outside and an import must never end in a
traceback. Rows that have a problem are left out of the lists (the import does not go ahead
while there are problems, and leaving them out stops one bad value cascading into others).

Tables are recognised by their header row, not their file names: LCS and Mosaic name the files
differently, and councils rename them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from iro_desktop.domain.codes import (
    CATEGORIES_OF_NEED,
    ETHNICITIES,
    LEGACY_PLACEMENT_TYPES,
    LEGAL_STATUSES,
    MISSING_KINDS,
    PARTICIPATION_CODES,
    PLACEMENT_PROVIDERS,
    PLACEMENT_TYPES,
    REASONS_EPISODE_CEASED,
    REASONS_NEW_EPISODE,
    REASONS_PLACE_CHANGE,
    REASONS_PLACED_CEASED,
)
from iro_desktop.interchange.ssda903_tables import (
    IMPORTED_TABLES,
    NAMES_COLUMNS,
    TABLE_COLUMNS,
)

__all__ = [
    "MAX_FILE_BYTES",
    "EpisodeRow",
    "FolderRead",
    "HeaderRow",
    "MissingRow",
    "NameRow",
    "PlacedAdoptionRow",
    "Problem",
    "ReviewRow",
    "UascRow",
    "read_folder",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CHILD_LENGTH = 40  # the DfE allows 10; councils' own ids are sometimes longer
MAX_TEXT_LENGTH = 40  # UPN, postcodes, URN: short codes, so anything longer is a mistake
NAMES_TABLE = "Names"  # the key of the names file in FolderRead.files

# Files with these endings (or none) are meant to be tables, so a binary or oversized one is a
# problem; any other file (a PDF of guidance, the Excel workbook the CSVs came from) is only
# mentioned, so that it does not block the import.
_TABLE_SUFFIXES = frozenset({"", ".csv", ".txt", ".tsv"})

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


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the files, placed so the council can find and fix it."""

    file: str  # file name (not the full path), or the folder for folder-level problems
    line: int | None  # 1-based physical line; the header is line 1
    column: str | None  # 903 column name, e.g. "DECOM"
    message: str  # plain words, e.g. "31/02/2024 is not a real date"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class HeaderRow:
    child: str
    sex: str  # "M", "F" or "U"; the codes before 2024/25 (1, 2) are mapped
    dob: date
    ethnic: str
    upn: str
    mother: str  # "", "0" or "1"
    mc_dob: date | None
    file: str
    line: int


@dataclass(frozen=True)
class EpisodeRow:
    child: str
    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    dec: date | None
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str
    file: str
    line: int


@dataclass(frozen=True)
class ReviewRow:
    child: str
    dob: date | None
    review: date
    review_code: str
    file: str
    line: int


@dataclass(frozen=True)
class UascRow:
    child: str
    duc: date | None
    file: str
    line: int


@dataclass(frozen=True)
class PlacedAdoptionRow:
    child: str
    date_placed: date
    date_placed_ceased: date | None
    reason_placed_ceased: str
    file: str
    line: int


@dataclass(frozen=True)
class MissingRow:
    child: str
    missing: str
    mis_start: date
    mis_end: date | None
    file: str
    line: int


@dataclass(frozen=True)
class NameRow:
    child: str
    name: str  # as given: splitting into first and last names is the import's business
    preferred_name: str
    file: str
    line: int


@dataclass
class FolderRead:
    header: list[HeaderRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    uasc: list[UascRow] = field(default_factory=list)
    placed_adoption: list[PlacedAdoptionRow] = field(default_factory=list)
    missing: list[MissingRow] = field(default_factory=list)
    names: list[NameRow] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # table name -> file name
    problems: list[Problem] = field(default_factory=list)  # the import must not go ahead
    warnings: list[Problem] = field(default_factory=list)  # worth saying; nothing blocked

    @property
    def ok(self) -> bool:
        return not self.problems


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


# --- values ----------------------------------------------------------------------------------

_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SHORT_YEAR = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Also the invisible direction marks, which could make a message read backwards on screen.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: str, limit: int = 30) -> str:
    """A value as it may safely appear in a message: no control characters, not too long."""
    value = _UNSHOWABLE.sub("?", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


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


def _dmy(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _code_list(table: Mapping[str, str]) -> str:
    return ", ".join(table)


def _required(column: str) -> str:
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
            self.fail(column, _required(column))
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
                self.fail(column, _required(column))
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
                self.fail(column, _required(column))
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
                self.fail(column, _required(column))
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
                self.fail(column, _required(column))
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


_SEXES = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F"}
_MOTHER = frozenset({"", "0", "1"})
_PLACEMENTS: dict[str, str] = {**PLACEMENT_TYPES, **LEGACY_PLACEMENT_TYPES}


# --- tables ----------------------------------------------------------------------------------


@dataclass
class _HeaderFacts:
    """What the other tables are checked against: the Header's children, lines and facts."""

    present: bool = False
    file: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # child -> first line
    dob: dict[str, date] = field(default_factory=dict)
    sex: dict[str, str] = field(default_factory=dict)


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
    index = _index(csv_file.columns)
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


_REQUIRED: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"),
    "Reviews": ("CHILD", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD",),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
    "Missing": ("CHILD", "MISSING", "MIS_START"),
}


def _rows(table: str, csv_file: CsvFile, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    return shaped_records(csv_file, _REQUIRED[table], problems)


def _index(columns: tuple[str, ...]) -> dict[str, int]:
    """Column name -> position; the first wins (duplicates are refused before this is used)."""
    index: dict[str, int] = {}
    for i, column in enumerate(columns):
        index.setdefault(column, i)
    return index


def _check_dob(
    cells: Cells, child: str | None, facts: _HeaderFacts, *, column: str = "DOB"
) -> date | None:
    """An optional DOB in a table other than Header, which must agree with the Header's."""
    dob = cells.date(column, required=False)
    if dob is not None and child is not None and child in facts.dob and facts.dob[child] != dob:
        cells.fail(
            column,
            f"{_dmy(dob)} does not match {child}'s date of birth in the Header table, "
            f"{_dmy(facts.dob[child])} ({facts.file} line {facts.lines[child]})",
        )
    return dob


def _check_in_header(cells: Cells, child: str | None, facts: _HeaderFacts) -> None:
    if child is not None and facts.present and child not in facts.lines:
        cells.fail("CHILD", f"{child} is not in the Header table ({facts.file})")


def _read_header(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    facts.present = True
    facts.file = csv_file.file
    index = _index(csv_file.columns)
    for line, values in _rows("Header", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        sex = cells.sex(required=True)
        dob = cells.date("DOB", required=True)
        ethnic = cells.code("ETHNIC", ETHNICITIES, "ethnicity code", required=True)
        upn = cells.text("UPN")
        mother = cells.raw("MOTHER")
        if mother not in _MOTHER:
            cells.fail(
                "MOTHER",
                f"{shown(mother)} is not allowed; use 1 if the child is a mother, 0 if not, "
                "or leave it blank",
            )
        mc_dob = cells.date("MC_DOB", required=False)
        if child is not None:
            if child in facts.lines:
                cells.fail(
                    "CHILD", f"{child} is already in this table on line {facts.lines[child]}"
                )
                continue
            facts.lines[child] = line
            if dob is not None:
                facts.dob[child] = dob
            if sex:
                facts.sex[child] = sex
        if cells.bad or child is None or dob is None:
            continue
        out.header.append(
            HeaderRow(child, sex, dob, ethnic, upn, mother, mc_dob, csv_file.file, line)
        )


def _read_episodes(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    index = _index(csv_file.columns)
    for line, values in _rows("Episodes", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        _check_in_header(cells, child, facts)
        decom = cells.date("DECOM", required=True)
        rne = cells.code("RNE", REASONS_NEW_EPISODE, "reason for a new episode", required=True)
        ls = cells.code("LS", LEGAL_STATUSES, "legal status code", required=True)
        cin = cells.code("CIN", CATEGORIES_OF_NEED, "category of need", required=True)
        place = cells.code("PLACE", _PLACEMENTS, "placement type code", required=True)
        provider = cells.code(
            "PLACE_PROVIDER", PLACEMENT_PROVIDERS, "placement provider code", required=False
        )
        dec = cells.date("DEC", required=False)
        rec_raw = cells.raw("REC")
        rec = cells.code("REC", REASONS_EPISODE_CEASED, "reason the episode ended", required=False)
        if cells.raw("DEC") and not rec_raw:
            cells.fail("REC", "REC is required when DEC is given (why the episode ended)")
        elif rec_raw and not cells.raw("DEC"):
            cells.fail("DEC", "DEC is required when REC is given (the date the episode ended)")
        reason_change = cells.code(
            "REASON_PLACE_CHANGE",
            REASONS_PLACE_CHANGE,
            "reason for a change of placement",
            required=False,
        )
        home_post = cells.text("HOME_POST")
        pl_post = cells.text("PL_POST")
        urn = cells.text("URN")
        if decom is not None and dec is not None and dec < decom:
            cells.fail("DEC", f"the episode ends ({_dmy(dec)}) before it starts ({_dmy(decom)})")
        if cells.bad or child is None or decom is None:
            continue
        out.episodes.append(
            EpisodeRow(
                child,
                decom,
                rne,
                ls,
                cin,
                place,
                provider,
                dec,
                rec,
                reason_change,
                home_post,
                pl_post,
                urn,
                csv_file.file,
                line,
            )
        )


def _read_reviews(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    index = _index(csv_file.columns)
    for line, values in _rows("Reviews", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        _check_in_header(cells, child, facts)
        dob = _check_dob(cells, child, facts)
        review = cells.date("REVIEW", required=True)
        code = cells.code("REVIEW_CODE", PARTICIPATION_CODES, "participation code", required=True)
        born = facts.dob.get(child) if child is not None else None
        if review is not None and born is not None and review < born:
            cells.fail(
                "REVIEW", f"the review ({_dmy(review)}) is before {child}'s birth ({_dmy(born)})"
            )
        if cells.bad or child is None or review is None:
            continue
        out.reviews.append(ReviewRow(child, dob, review, code, csv_file.file, line))


def _read_uasc(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    index = _index(csv_file.columns)
    for line, values in _rows("UASC", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        _check_in_header(cells, child, facts)
        sex = cells.sex(required=False)
        if sex and child is not None and child in facts.sex and facts.sex[child] != sex:
            cells.fail(
                "SEX",
                f"{sex} does not match {child}'s sex in the Header table, {facts.sex[child]} "
                f"({facts.file} line {facts.lines[child]})",
            )
        _check_dob(cells, child, facts)
        duc = cells.date("DUC", required=False)
        if cells.bad or child is None:
            continue
        out.uasc.append(UascRow(child, duc, csv_file.file, line))


def _read_placed_adoption(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    index = _index(csv_file.columns)
    for line, values in _rows("PlacedAdoption", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        _check_in_header(cells, child, facts)
        _check_dob(cells, child, facts)
        placed = cells.date("DATE_PLACED", required=True)
        ceased = cells.date("DATE_PLACED_CEASED", required=False)
        reason = cells.code(
            "REASON_PLACED_CEASED",
            REASONS_PLACED_CEASED,
            "reason the adoption placement ended",
            required=False,
        )
        if cells.raw("DATE_PLACED_CEASED") and not cells.raw("REASON_PLACED_CEASED"):
            cells.fail(
                "REASON_PLACED_CEASED",
                _required("REASON_PLACED_CEASED") + " when DATE_PLACED_CEASED is given",
            )
        elif cells.raw("REASON_PLACED_CEASED") and not cells.raw("DATE_PLACED_CEASED"):
            cells.fail(
                "DATE_PLACED_CEASED",
                _required("DATE_PLACED_CEASED") + " when REASON_PLACED_CEASED is given",
            )
        if placed is not None and ceased is not None and ceased < placed:
            cells.fail(
                "DATE_PLACED_CEASED",
                f"the placement ends ({_dmy(ceased)}) before it starts ({_dmy(placed)})",
            )
        if cells.bad or child is None or placed is None:
            continue
        out.placed_adoption.append(
            PlacedAdoptionRow(child, placed, ceased, reason, csv_file.file, line)
        )


def _read_missing(csv_file: CsvFile, out: FolderRead, facts: _HeaderFacts) -> None:
    index = _index(csv_file.columns)
    for line, values in _rows("Missing", csv_file, out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        _check_in_header(cells, child, facts)
        _check_dob(cells, child, facts)
        kind = cells.code("MISSING", MISSING_KINDS, "missing code", required=True)
        start = cells.date("MIS_START", required=True)
        end = cells.date("MIS_END", required=False)
        if start is not None and end is not None and end < start:
            cells.fail(
                "MIS_END",
                f"the episode of missing ends ({_dmy(end)}) before it starts ({_dmy(start)})",
            )
        if cells.bad or child is None or start is None:
            continue
        out.missing.append(MissingRow(child, kind, start, end, csv_file.file, line))


_READERS: dict[str, Callable[[CsvFile, FolderRead, _HeaderFacts], None]] = {
    "Header": _read_header,
    "Episodes": _read_episodes,
    "Reviews": _read_reviews,
    "UASC": _read_uasc,
    "PlacedAdoption": _read_placed_adoption,
    "Missing": _read_missing,
}


def _check_episodes(out: FolderRead) -> None:
    """Duplicate and overlapping episodes of one child, reported on the later row.

    Compared with the episode that reaches furthest so far (not just the previous one), so an
    episode inside a long one is caught too. Back-to-back episodes (DECOM = previous DEC) are
    how a move is recorded, and are fine.
    """
    by_child: dict[str, list[EpisodeRow]] = {}
    for episode in out.episodes:
        by_child.setdefault(episode.child, []).append(episode)
    for child, episodes in by_child.items():
        episodes.sort(key=lambda e: (e.decom, e.line))
        reach: EpisodeRow | None = None  # the episode that ends latest so far (open = latest)
        previous: EpisodeRow | None = None
        for episode in episodes:
            if previous is not None and episode.decom == previous.decom:
                out.problems.append(
                    Problem(
                        episode.file,
                        episode.line,
                        "DECOM",
                        f"{child} already has an episode starting {_dmy(episode.decom)} "
                        f"(line {previous.line})",
                    )
                )
                continue
            if reach is not None:
                if reach.dec is None:
                    out.problems.append(
                        Problem(
                            episode.file,
                            episode.line,
                            "DECOM",
                            f"{child}'s episode starts {_dmy(episode.decom)}, but the episode on "
                            f"line {reach.line} (from {_dmy(reach.decom)}) has no end date",
                        )
                    )
                elif episode.decom < reach.dec:
                    out.problems.append(
                        Problem(
                            episode.file,
                            episode.line,
                            "DECOM",
                            f"{child}'s episode starts {_dmy(episode.decom)}, before the episode "
                            f"on line {reach.line} ended ({_dmy(reach.dec)})",
                        )
                    )
            previous = episode
            if reach is None or (
                reach.dec is not None and (episode.dec is None or episode.dec > reach.dec)
            ):
                reach = episode


def _check_reviews(out: FolderRead) -> None:
    seen: dict[tuple[str, date], int] = {}
    for review in out.reviews:
        key = (review.child, review.review)
        first = seen.setdefault(key, review.line)
        if first != review.line:
            out.problems.append(
                Problem(
                    review.file,
                    review.line,
                    "REVIEW",
                    f"{review.child} already has a review on {_dmy(review.review)} (line {first})",
                )
            )


def _check_names(out: FolderRead, facts: _HeaderFacts, names_file: str) -> None:
    if not facts.present:
        return
    for row in out.names:
        if row.child not in facts.lines:
            out.problems.append(
                Problem(
                    names_file,
                    row.line,
                    "CHILD",
                    f"{row.child} is not in the Header table ({facts.file})",
                )
            )


# --- recognising a table by its header -----------------------------------------------------------

_TABLE_SETS = {table: frozenset(columns) for table, columns in TABLE_COLUMNS.items()}


def _recognise(csv_file: CsvFile) -> tuple[str, str | None]:
    """("table", name) | ("names", None) | ("ambiguous", text) | ("partial", name) | ("none", None)."""
    columns = frozenset(csv_file.columns)
    full = [t for t, cols in _TABLE_SETS.items() if cols <= columns]
    if full:
        biggest = max(len(_TABLE_SETS[t]) for t in full)
        best = [t for t in full if len(_TABLE_SETS[t]) == biggest]
        if len(best) > 1:
            return "ambiguous", " and ".join(best)
        return "table", best[0]
    if set(NAMES_COLUMNS) <= columns:
        return "names", None
    if "CHILD" in columns:
        scored = [
            (len(cols & columns) / len(cols), len(cols & columns), t in IMPORTED_TABLES, t)
            for t, cols in _TABLE_SETS.items()
            if 2 * len(cols & columns) >= len(cols)
        ]
        if scored:
            return "partial", max(scored)[3]
    return "none", None


def _header_problems(csv_file: CsvFile, known: tuple[str, ...]) -> list[Problem]:
    """Columns named twice: which value would be meant is unknowable, so the file is refused."""
    problems = []
    positions: dict[str, list[int]] = {}
    for i, column in enumerate(csv_file.columns):
        positions.setdefault(column, []).append(i + 1)
    for column in known:
        if len(positions.get(column, [])) > 1:
            where = " and ".join(str(p) for p in positions[column])
            problems.append(
                Problem(
                    csv_file.file,
                    csv_file.header_line,
                    column,
                    f"the column {column} appears more than once in the header (columns {where})",
                )
            )
    return problems


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


# --- the folder ------------------------------------------------------------------------------


def _list_files(folder: Path, out: FolderRead) -> list[Path] | None:
    where = str(folder)
    if not folder.exists():
        out.problems.append(Problem(where, None, None, "the folder does not exist"))
        return None
    if not folder.is_dir():
        out.problems.append(Problem(where, None, None, "is not a folder"))
        return None
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        out.problems.append(
            Problem(where, None, None, f"the folder could not be read ({exc.strerror or exc})")
        )
        return None
    files = []
    for entry in entries:
        # Hidden files (.DS_Store) and Excel's lock files (~$...) are never the council's tables.
        if entry.name.startswith((".", "~$")):
            continue
        try:
            if entry.is_file():
                files.append(entry)
        except OSError:
            continue
    return sorted(files, key=lambda p: (p.name.lower(), p.name))


def read_folder(
    folder: Path,
    names: Path | None = None,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> FolderRead:
    """Read every SSDA903 table in `folder` (and the names file), collecting every problem.

    `names` is the council's names file; without it, a file in the folder whose header is
    CHILD, NAME (and optionally PREFERRED_NAME) is taken as the names file. `progress(done,
    total)` is called after each file so a window can show a bar.
    """
    from iro_desktop.interchange.names import names_from_csv, read_names  # needs this module

    folder = Path(folder)
    out = FolderRead()
    paths = _list_files(folder, out)
    if paths is None:
        return out
    names_path = Path(names) if names is not None else None
    if names_path is not None:
        try:
            same = names_path.resolve()
            paths = [p for p in paths if p.resolve() != same]
        except OSError:
            pass
    total = len(paths) + (1 if names_path is not None else 0)
    if progress is not None:
        progress(0, total)

    loaded: dict[str, CsvFile] = {}  # table -> file
    names_csv: CsvFile | None = None
    for done, path in enumerate(paths, start=1):
        csv_file = load_csv(path, max_file_bytes=max_file_bytes)
        out.problems.extend(csv_file.problems)
        out.warnings.extend(csv_file.warnings)
        if progress is not None:
            progress(done, total)
        if csv_file.unreadable:
            continue
        if not csv_file.columns:
            why = "is empty" if csv_file.cut_short is None else csv_file.cut_short.message
            out.warnings.append(Problem(csv_file.file, None, None, f"{why}; ignored"))
            continue
        kind, which = _recognise(csv_file)
        if kind == "table" and which is not None:
            if which not in IMPORTED_TABLES:
                out.warnings.append(
                    Problem(
                        csv_file.file,
                        None,
                        None,
                        f"is the {which} table, which the program does not import; ignored",
                    )
                )
                continue
            if which in loaded:
                out.problems.append(
                    Problem(
                        csv_file.file,
                        None,
                        None,
                        f"is a second {which} table ({loaded[which].file} is one already); "
                        "keep only one",
                    )
                )
                continue
            loaded[which] = csv_file
            problems, warnings = reading_notes(csv_file)
            out.problems.extend(problems)
            out.warnings.extend(warnings)
        elif kind == "names":
            if names_path is not None or names_csv is not None:
                first = names_path.name if names_path is not None else _file_of(names_csv)
                out.problems.append(
                    Problem(
                        csv_file.file,
                        None,
                        None,
                        f"is a second names file ({first} is one already); keep only one",
                    )
                )
                continue
            names_csv = csv_file
        elif kind == "ambiguous":
            out.problems.append(
                Problem(
                    csv_file.file,
                    csv_file.header_line,
                    None,
                    f"has the columns of both the {which} tables; which one it is cannot be told",
                )
            )
        elif kind == "partial" and which is not None:
            missing = [c for c in TABLE_COLUMNS[which] if c not in csv_file.columns]
            message = f"looks like the {which} table but is missing columns: {', '.join(missing)}"
            if which in IMPORTED_TABLES:
                out.problems.append(Problem(csv_file.file, csv_file.header_line, None, message))
            else:  # not imported anyway, so it need not block the import
                out.warnings.append(
                    Problem(csv_file.file, csv_file.header_line, None, message + "; ignored")
                )
        else:
            out.warnings.append(
                Problem(csv_file.file, None, None, "is not an SSDA903 table; ignored")
            )

    if not loaded:
        message = "the folder is empty" if not paths else "the folder has no SSDA903 tables in it"
        out.problems.append(Problem(str(folder), None, None, message))
    elif "Header" not in loaded:
        out.problems.append(
            Problem(
                str(folder),
                None,
                None,
                "there is no Header table (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB); "
                "the other tables need it",
            )
        )

    facts = _HeaderFacts()
    for table in IMPORTED_TABLES:  # Header first: the others are checked against it
        table_file = loaded.get(table)
        if table_file is None:
            continue
        out.files[table] = table_file.file
        known = TABLE_COLUMNS[table]
        duplicated = _header_problems(table_file, known)
        if duplicated:
            out.problems.extend(duplicated)
            continue
        extra = extra_columns_warning(table_file, known)
        if extra is not None:
            out.warnings.append(extra)
        _READERS[table](table_file, out, facts)
    _check_episodes(out)
    _check_reviews(out)

    names_file = ""
    if names_path is not None:
        rows, problems, warnings = read_names(names_path, max_file_bytes=max_file_bytes)
        names_file = names_path.name
        out.names = rows
        out.problems.extend(problems)
        out.warnings.extend(warnings)
        if progress is not None:
            progress(total, total)
    elif names_csv is not None:
        rows, problems, warnings = names_from_csv(names_csv)
        names_file = names_csv.file
        out.names = rows
        out.problems.extend(problems)
        out.warnings.extend(warnings)
    if names_file:
        out.files[NAMES_TABLE] = names_file
        _check_names(out, facts, names_file)

    _sort(out, folder)
    return out


def _file_of(csv_file: CsvFile | None) -> str:
    return csv_file.file if csv_file is not None else ""


def _sort(out: FolderRead, folder: Path) -> None:
    """Folder-level problems first, then by file and line, so the list reads like the files."""
    folder_name = str(folder)

    def key(problem: Problem) -> tuple[int, str, int]:
        if problem.file == folder_name:
            return (0, "", 0)
        return (1, problem.file.lower(), problem.line or 0)

    out.problems.sort(key=key)
    out.warnings.sort(key=key)
