"""Read the council's names file: CHILD, NAME and optionally PREFERRED_NAME.

The SSDA903 return holds no names, so a council that wants the caseload to show children's
names adds this small file. It is read with the same rules as the 903 tables (encodings, line
ends, every problem collected); whether each CHILD is in the Header table is checked by
read_folder, which has the Header.
"""

from __future__ import annotations

from pathlib import Path

from iro_desktop.interchange.csv_files import (
    MAX_FILE_BYTES,
    CsvFile,
    extra_columns_warning,
    load_csv,
    reading_notes,
    shaped_records,
)
from iro_desktop.interchange.ssda903_cells import Cells
from iro_desktop.interchange.ssda903_rows import NameRow, Problem
from iro_desktop.interchange.ssda903_tables import NAMES_COLUMNS, NAMES_OPTIONAL

__all__ = ["NameRow", "names_from_csv", "read_names"]

MAX_NAME_LENGTH = 200  # a name, not a paragraph; guards against a shifted column of notes


def read_names(
    path: Path, *, max_file_bytes: int = MAX_FILE_BYTES
) -> tuple[list[NameRow], list[Problem], list[Problem]]:
    """(rows, problems, warnings) for the names file at `path`; never raises for a bad file."""
    path = Path(path)
    if not path.is_file():
        return (
            [],
            [Problem(path.name or str(path), None, None, "the names file does not exist")],
            [],
        )
    csv_file = load_csv(path, max_file_bytes=max_file_bytes)
    if csv_file.unreadable:  # binary or too big: a names file is always meant to be read
        return [], csv_file.problems + csv_file.warnings, []
    return names_from_csv(csv_file)


def names_from_csv(csv_file: CsvFile) -> tuple[list[NameRow], list[Problem], list[Problem]]:
    """The checked rows of a names file already split into records (see load_csv)."""
    problems, warnings = reading_notes(csv_file)
    rows: list[NameRow] = []
    file = csv_file.file
    if not csv_file.columns:
        problems.append(Problem(file, None, None, "the names file is empty"))
        return rows, problems, warnings
    columns = csv_file.columns
    header_line = csv_file.header_line
    missing = [c for c in NAMES_COLUMNS if c not in columns]
    if missing:
        problems.append(
            Problem(
                file,
                header_line,
                None,
                f"the names file is missing columns: {', '.join(missing)} "
                f"(it needs {', '.join(NAMES_COLUMNS)}, and may have {', '.join(NAMES_OPTIONAL)})",
            )
        )
        return rows, problems, warnings
    known = NAMES_COLUMNS + NAMES_OPTIONAL
    for column in known:
        count = columns.count(column)
        if count > 1:
            problems.append(
                Problem(file, header_line, column, f"the column {column} appears {count} times")
            )
    if problems:
        return rows, problems, warnings
    extra = extra_columns_warning(csv_file, known)
    if extra is not None:
        warnings.append(extra)

    index = {column: columns.index(column) for column in known if column in columns}
    seen: dict[str, int] = {}
    for first, values in shaped_records(csv_file, NAMES_COLUMNS, problems, what="names"):
        cells = Cells(file, first, values, index, problems)
        child = cells.child()
        name = cells.text("NAME", limit=MAX_NAME_LENGTH, required=True)
        preferred = (
            cells.text("PREFERRED_NAME", limit=MAX_NAME_LENGTH) if "PREFERRED_NAME" in index else ""
        )
        if child is not None:
            if child in seen:
                cells.fail("CHILD", f"{child} is already in this file on line {seen[child]}")
                continue
            seen[child] = first
        if cells.bad or child is None:
            continue
        rows.append(NameRow(child, name, preferred, file, first))
    return rows, problems, warnings
