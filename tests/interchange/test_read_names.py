"""The council's names file (CHILD, NAME, PREFERRED_NAME): on its own and with a folder."""

from __future__ import annotations

from pathlib import Path

from iro_desktop.interchange.names import read_names
from iro_desktop.interchange.ssda903_read import NameRow, read_folder
from iro_desktop.interchange.ssda903_tables import TABLE_COLUMNS

HEADER = ",".join(TABLE_COLUMNS["Header"])


def write(path: Path, lines: list[str], *, encoding: str = "utf-8", end: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((end.join(lines) + end).encode(encoding))
    return path


def header_folder(tmp_path: Path, *children: str) -> Path:
    folder = tmp_path / "council"
    write(folder / "Header.csv", [HEADER, *(f"{c},F,01/02/2012,WBRI,,," for c in children)])
    return folder


def test_names_are_read_as_given(tmp_path: Path) -> None:
    path = write(
        tmp_path / "names.csv",
        [
            "CHILD,NAME,PREFERRED_NAME",
            "C000001,Sam O'Example-Smith,Sammy",
            'C000002,"Example, Jo",',
        ],
    )
    rows, problems, warnings = read_names(path)
    assert problems == [] and warnings == []
    assert rows == [
        NameRow("C000001", "Sam O'Example-Smith", "Sammy", "names.csv", 2),
        NameRow("C000002", "Example, Jo", "", "names.csv", 3),
    ]


def test_preferred_name_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path / "names.csv", ["child , name", "C000001, Ayo Example "])
    rows, problems, _ = read_names(path)
    assert problems == []
    assert rows == [NameRow("C000001", "Ayo Example", "", "names.csv", 2)]


def test_windows_1252_with_crlf(tmp_path: Path) -> None:
    path = write(
        tmp_path / "names.csv", ["CHILD,NAME", "C000001,Zoë Ó Sé"], encoding="cp1252", end="\r\n"
    )
    rows, problems, _ = read_names(path)
    assert problems == []
    assert rows[0].name == "Zoë Ó Sé"


def test_a_missing_column_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "names.csv", ["CHILD,FORENAME", "C000001,Sam"])
    rows, problems, _ = read_names(path)
    assert rows == []
    assert [str(p) for p in problems] == [
        "names.csv line 1: the names file is missing columns: NAME "
        "(it needs CHILD, NAME, and may have PREFERRED_NAME)"
    ]


def test_every_bad_row_is_a_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path / "names.csv",
        [
            "CHILD,NAME,PREFERRED_NAME,NOTE",
            "C000001,,",  # no name
            ",Sam Example,",  # no child
            "C000003,Jo Example,Jo,ok",
            "C000003,Jo Other,,",  # the same child twice
            "C000004," + "x" * 201 + ",",
        ],
    )
    rows, problems, warnings = read_names(path)
    assert [(p.line, p.column) for p in problems] == [
        (2, "NAME"),
        (3, "CHILD"),
        (5, "CHILD"),
        (6, "NAME"),
    ]
    assert problems[0].message == "NAME is required (the child's name)"
    assert problems[2].message == "C000003 is already in this file on line 4"
    assert [r.child for r in rows] == ["C000003"]
    assert [str(w) for w in warnings] == [
        "names.csv line 1: has columns the program does not use, ignored: NOTE"
    ]


def test_a_missing_or_binary_names_file_is_a_problem(tmp_path: Path) -> None:
    _, problems, _ = read_names(tmp_path / "nowhere.csv")
    assert [str(p) for p in problems] == ["nowhere.csv: the names file does not exist"]
    (tmp_path / "names.xlsx").write_bytes(b"PK\x03\x04\x00\x00\x00")
    _, problems, _ = read_names(tmp_path / "names.xlsx")
    assert len(problems) == 1 and "looks binary" in problems[0].message


def test_the_names_file_is_given_beside_the_folder(tmp_path: Path) -> None:
    folder = header_folder(tmp_path, "C000001", "C000002")
    names = write(tmp_path / "private" / "names.csv", ["CHILD,NAME", "C000001,Sam", "C000009,Pat"])
    calls: list[tuple[int, int]] = []
    result = read_folder(folder, names, progress=lambda d, t: calls.append((d, t)))
    assert [str(p) for p in result.problems] == [
        "names.csv line 3, CHILD: C000009 is not in the Header table (Header.csv)"
    ]
    assert [n.child for n in result.names] == ["C000001", "C000009"]
    assert result.files["Names"] == "names.csv"
    assert calls[-1] == (2, 2)


def test_the_names_file_given_inside_the_folder_is_read_once(tmp_path: Path) -> None:
    folder = header_folder(tmp_path, "C000001")
    names = write(folder / "names.csv", ["CHILD,NAME", "C000001,Sam"])
    result = read_folder(folder, names)
    assert result.ok and result.warnings == []
    assert len(result.names) == 1


def test_a_names_file_in_the_folder_is_recognised_by_its_header(tmp_path: Path) -> None:
    folder = header_folder(tmp_path, "C000001")
    write(folder / "kids.csv", ["CHILD,NAME,PREFERRED_NAME", "C000001,Sam Example,Sammy"])
    result = read_folder(folder)
    assert result.ok
    assert result.files == {"Header": "Header.csv", "Names": "kids.csv"}
    assert result.names[0].preferred_name == "Sammy"


def test_two_names_files_are_a_problem(tmp_path: Path) -> None:
    folder = header_folder(tmp_path, "C000001")
    write(folder / "kids.csv", ["CHILD,NAME", "C000001,Sam"])
    names = write(tmp_path / "names.csv", ["CHILD,NAME", "C000001,Sam"])
    result = read_folder(folder, names)
    assert [str(p) for p in result.problems] == [
        "kids.csv: is a second names file (names.csv is one already); keep only one"
    ]
