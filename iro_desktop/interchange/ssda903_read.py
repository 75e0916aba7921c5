"""Read a council's folder of SSDA903 CSV tables into checked rows.

Pure functions: no caseload, no Qt. Every problem in every file is collected as (file, line,
column, rule in plain words) so the council can fix its export in one pass; nothing a file
contains may raise, because the files come from outside and an import must never end in a
traceback. Rows that have a problem are left out of the lists (the import does not go ahead
while there are problems, and leaving them out stops one bad value cascading into others).

Tables are recognised by their header row, not their file names: LCS and Mosaic name the files
differently, and councils rename them.

This module finds the tables and the names file in the folder; the work is split by job:
  ssda903_rows   what a read produces: Problem, the row types and FolderRead
  csv_files      one file read safely into records (size, binary, encodings, delimiters)
  ssda903_cells  the values of a record checked column by column
  ssda903_checks the rules of each table, and the checks across rows and files
  names          the council's names file
The names the rest of the program uses are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from iro_desktop.interchange.csv_files import (
    MAX_FILE_BYTES,
    CsvFile,
    extra_columns_warning,
    load_csv,
    reading_notes,
    shaped_records,
    shown,
)
from iro_desktop.interchange.names import names_from_csv, read_names
from iro_desktop.interchange.ssda903_cells import (
    MAX_CHILD_LENGTH,
    MAX_TEXT_LENGTH,
    Cells,
    parse_date,
)
from iro_desktop.interchange.ssda903_checks import (
    HeaderFacts,
    check_episodes,
    check_names,
    check_reviews,
    read_table,
)
from iro_desktop.interchange.ssda903_rows import (
    NAMES_TABLE,
    EpisodeRow,
    FolderRead,
    HeaderRow,
    MissingRow,
    NameRow,
    PlacedAdoptionRow,
    Problem,
    ReviewRow,
    UascRow,
)
from iro_desktop.interchange.ssda903_tables import (
    IMPORTED_TABLES,
    NAMES_COLUMNS,
    TABLE_COLUMNS,
)

__all__ = [
    "MAX_CHILD_LENGTH",
    "MAX_FILE_BYTES",
    "MAX_TEXT_LENGTH",
    "NAMES_TABLE",
    "Cells",
    "CsvFile",
    "EpisodeRow",
    "FolderRead",
    "HeaderRow",
    "MissingRow",
    "NameRow",
    "PlacedAdoptionRow",
    "Problem",
    "ReviewRow",
    "UascRow",
    "extra_columns_warning",
    "load_csv",
    "parse_date",
    "read_folder",
    "reading_notes",
    "shaped_records",
    "shown",
]


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


def _take_file(
    csv_file: CsvFile, out: FolderRead, loaded: dict[str, CsvFile], names_first: str | None
) -> bool:
    """Recognise one readable file: an imported table goes into `loaded`, anything else is
    reported. True when it is the names file (`names_first` names one found already, if any).
    """
    if not csv_file.columns:
        why = "is empty" if csv_file.cut_short is None else csv_file.cut_short.message
        out.warnings.append(Problem(csv_file.file, None, None, f"{why}; ignored"))
        return False
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
        elif which in loaded:
            out.problems.append(
                Problem(
                    csv_file.file,
                    None,
                    None,
                    f"is a second {which} table ({loaded[which].file} is one already); "
                    "keep only one",
                )
            )
        else:
            loaded[which] = csv_file
            problems, warnings = reading_notes(csv_file)
            out.problems.extend(problems)
            out.warnings.extend(warnings)
    elif kind == "names":
        if names_first is None:
            return True
        out.problems.append(
            Problem(
                csv_file.file,
                None,
                None,
                f"is a second names file ({names_first} is one already); keep only one",
            )
        )
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
        out.warnings.append(Problem(csv_file.file, None, None, "is not an SSDA903 table; ignored"))
    return False


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
    names_first = names_path.name if names_path is not None else None  # the names file, once found
    for done, path in enumerate(paths, start=1):
        csv_file = load_csv(path, max_file_bytes=max_file_bytes)
        out.problems.extend(csv_file.problems)
        out.warnings.extend(csv_file.warnings)
        if progress is not None:
            progress(done, total)
        if csv_file.unreadable:
            continue
        if _take_file(csv_file, out, loaded, names_first):
            names_csv = csv_file
            names_first = csv_file.file

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

    facts = HeaderFacts()
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
        read_table(table, table_file, out, facts)
    check_episodes(out)
    check_reviews(out)

    if names_path is not None:
        names_file = names_path.name
        rows, problems, warnings = read_names(names_path, max_file_bytes=max_file_bytes)
    elif names_csv is not None:
        names_file = names_csv.file
        rows, problems, warnings = names_from_csv(names_csv)
    else:
        names_file, rows, problems, warnings = "", [], [], []
    out.names = rows
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    if names_path is not None and progress is not None:
        progress(total, total)
    if names_file:
        out.files[NAMES_TABLE] = names_file
        check_names(out, facts, names_file)

    _sort(out, folder)
    return out


def _sort(out: FolderRead, folder: Path) -> None:
    """Folder-level problems first, then by file and line, so the list reads like the files."""
    folder_name = str(folder)

    def key(problem: Problem) -> tuple[int, str, int]:
        if problem.file == folder_name:
            return (0, "", 0)
        return (1, problem.file.lower(), problem.line or 0)

    out.problems.sort(key=key)
    out.warnings.sort(key=key)
