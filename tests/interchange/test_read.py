"""Reading a council's folder of SSDA903 tables: recognition, values, cross-checks, problems.

All data is synthetic. Each rule in ssda903_read has a test here; names are in
test_read_names.py and hostile input in test_read_fuzz.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iro_desktop.interchange.ssda903_read import (
    EpisodeRow,
    FolderRead,
    HeaderRow,
    Problem,
    read_folder,
)
from iro_desktop.interchange.ssda903_tables import TABLE_COLUMNS

# --- building synthetic files ---------------------------------------------------------------


def columns(table: str) -> str:
    return ",".join(TABLE_COLUMNS[table])


def header_line(
    child: str = "C000001",
    sex: str = "M",
    dob: str = "01/02/2012",
    ethnic: str = "WBRI",
    upn: str = "",
    mother: str = "",
    mc_dob: str = "",
) -> str:
    return ",".join([child, sex, dob, ethnic, upn, mother, mc_dob])


def episode_line(
    child: str = "C000001",
    decom: str = "01/04/2023",
    dec: str = "",
    rec: str = "",
    *,
    rne: str = "S",
    ls: str = "C2",
    cin: str = "N1",
    place: str = "U4",
    provider: str = "PR1",
    rpc: str = "",
    home: str = "AB1",
    pl: str = "AB2",
    urn: str = "",
) -> str:
    return ",".join([child, decom, rne, ls, cin, place, provider, dec, rec, rpc, home, pl, urn])


def review_line(
    child: str = "C000001", review: str = "01/06/2023", code: str = "PN1", dob: str = "01/02/2012"
) -> str:
    return ",".join([child, dob, review, code])


def write(
    folder: Path, name: str, lines: list[str], *, encoding: str = "utf-8", end: str = "\n"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((end.join(lines) + end).encode(encoding))
    return path


def council(
    tmp_path: Path,
    *,
    header: list[str] | None = None,
    episodes: list[str] | None = None,
    reviews: list[str] | None = None,
) -> Path:
    """A folder with a Header (one child by default) and the given tables."""
    folder = tmp_path / "council"
    folder.mkdir(exist_ok=True)
    write(
        folder,
        "Header.csv",
        [columns("Header"), *(header if header is not None else [header_line()])],
    )
    if episodes is not None:
        write(folder, "Episodes.csv", [columns("Episodes"), *episodes])
    if reviews is not None:
        write(folder, "Reviews.csv", [columns("Reviews"), *reviews])
    return folder


def where(result: FolderRead) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.line, p.column) for p in result.problems]


def messages(result: FolderRead) -> str:
    return "\n".join(str(p) for p in result.problems)


# --- a clean folder --------------------------------------------------------------------------


def test_a_clean_folder_reads_every_imported_table(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    write(
        folder,
        "Header.csv",
        [
            columns("Header"),
            header_line("C000001", "M", "01/02/2012"),
            header_line("C000002", "F", "2008-05-17", "BAFR", "A123456789012", "1", "03/03/2024"),
        ],
    )
    write(
        folder,
        "Episodes.csv",
        [
            columns("Episodes"),
            episode_line("C000001", "01/04/2023", "10/05/2023", "X1", place="U6"),
            episode_line("C000001", "10/05/2023", rne="P", rpc="CARPL", place="K2", urn="SC123456"),
            episode_line(
                "C000002", "01/01/2024", rne="S", ls="V2", cin="N4", place="H5", provider=""
            ),
        ],
    )
    write(folder, "Reviews.csv", [columns("Reviews"), review_line("C000001", "20/04/2023")])
    write(folder, "UASC.csv", [columns("UASC"), "C000002,F,17/05/2008,01/02/2025"])
    write(
        folder,
        "PlacedAdoption.csv",
        [columns("PlacedAdoption"), "C000001,01/02/2012,01/05/2024,01/06/2024,RD2"],
    )
    write(folder, "Missing.csv", [columns("Missing"), "C000002,17/05/2008,M,02/02/2024,03/02/2024"])
    write(folder, "NAMES.csv", ["CHILD,NAME,PREFERRED_NAME", "C000001,Sam Example,Sammy"])

    result = read_folder(folder)

    assert result.ok, messages(result)
    assert result.warnings == []
    assert result.files == {
        "Header": "Header.csv",
        "Episodes": "Episodes.csv",
        "Reviews": "Reviews.csv",
        "UASC": "UASC.csv",
        "PlacedAdoption": "PlacedAdoption.csv",
        "Missing": "Missing.csv",
        "Names": "NAMES.csv",
    }
    assert result.header[1] == HeaderRow(
        "C000002",
        "F",
        date(2008, 5, 17),
        "BAFR",
        "A123456789012",
        "1",
        date(2024, 3, 3),
        "Header.csv",
        3,
    )
    assert result.episodes[1] == EpisodeRow(
        "C000001",
        date(2023, 5, 10),
        "P",
        "C2",
        "N1",
        "K2",
        "PR1",
        None,
        "",
        "CARPL",
        "AB1",
        "AB2",
        "SC123456",
        "Episodes.csv",
        3,
    )
    assert result.episodes[2].place == "H5"  # a retired code is still read
    assert result.reviews[0].review == date(2023, 4, 20)
    assert result.reviews[0].dob == date(2012, 2, 1)
    assert result.uasc[0].duc == date(2025, 2, 1)
    assert result.placed_adoption[0].reason_placed_ceased == "RD2"
    assert result.missing[0].mis_end == date(2024, 2, 3)
    assert [(n.child, n.name, n.preferred_name) for n in result.names] == [
        ("C000001", "Sam Example", "Sammy")
    ]


def test_a_problem_reads_as_file_line_column_and_rule() -> None:
    assert (
        str(Problem("Episodes.csv", 4, "DECOM", "31/02/2024 is not a real date"))
        == "Episodes.csv line 4, DECOM: 31/02/2024 is not a real date"
    )
    assert (
        str(Problem("Episodes.csv", 4, None, "has 3 values")) == "Episodes.csv line 4: has 3 values"
    )
    assert str(Problem("x.pdf", None, None, "looks binary")) == "x.pdf: looks binary"


def test_progress_is_reported_per_file(tmp_path: Path) -> None:
    folder = council(tmp_path, episodes=[episode_line()], reviews=[review_line()])
    calls: list[tuple[int, int]] = []
    read_folder(folder, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


# --- recognising tables by their header ------------------------------------------------------


def test_tables_are_recognised_by_header_not_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    write(folder, "lac_2024_a", [columns("Header"), header_line()])  # no extension
    # Lower case, spaces around the names: still the Episodes table.
    write(
        folder,
        "export.txt",
        [
            " child , decom ,rne,ls,cin,place,place_provider,dec,rec,reason_place_change,home_post,"
            "pl_post,urn",
            episode_line(),
        ],
    )
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert result.files == {"Header": "lac_2024_a", "Episodes": "export.txt"}
    assert len(result.episodes) == 1


def test_the_largest_contained_table_wins(tmp_path: Path) -> None:
    """Header, UASC and Reviews share columns; a file is the biggest table it fully contains."""
    folder = tmp_path / "council"
    # A Header with a DUC column also contains every UASC column: it is still the Header.
    write(folder, "a.csv", [columns("Header") + ",DUC", header_line() + ",01/01/2025"])
    write(folder, "b.csv", [columns("UASC"), "C000001,M,01/02/2012,01/01/2025"])
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert result.files == {"Header": "a.csv", "UASC": "b.csv"}
    assert [str(w) for w in result.warnings] == [
        "a.csv line 1: has columns the program does not use, ignored: DUC"
    ]


def test_unknown_extra_columns_are_a_warning_and_ignored(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder, "Episodes.csv", [columns("Episodes") + ",WORKER,Team", episode_line() + ",Jo,North"]
    )
    result = read_folder(folder)
    assert result.ok
    assert len(result.episodes) == 1
    assert len(result.warnings) == 1
    assert "ignored: WORKER, TEAM" in result.warnings[0].message


def test_a_very_wide_file_names_only_a_dozen_extra_columns(tmp_path: Path) -> None:
    folder = council(tmp_path)
    extra = [f"X{i}" for i in range(5000)]
    write(folder, "Episodes.csv", [",".join([columns("Episodes"), *extra]), episode_line()])
    result = read_folder(folder)
    assert result.ok
    assert result.warnings[0].message.endswith("X10, X11 and 4988 more")


def test_a_table_with_missing_columns_names_them(tmp_path: Path) -> None:
    folder = council(tmp_path)
    cols = [c for c in TABLE_COLUMNS["Episodes"] if c not in ("URN", "PL_POST")]
    write(folder, "Episodes.csv", [",".join(cols)])
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv line 1: looks like the Episodes table but is missing columns: PL_POST, URN"
    ]


def test_a_file_that_is_not_a_903_table_is_a_warning(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(folder, "notes.csv", ["When,What", "Monday,call"])
    write(folder, "readme.txt", ["Exported from the case system."])
    result = read_folder(folder)
    assert result.ok
    assert sorted(str(w) for w in result.warnings) == [
        "notes.csv: is not an SSDA903 table; ignored",
        "readme.txt: is not an SSDA903 table; ignored",
    ]


def test_an_ignored_file_cannot_block_the_import(tmp_path: Path) -> None:
    """A stray text file's own CSV troubles are not the import's business."""
    folder = council(tmp_path)
    write(folder, "notes.txt", ["When\tWhat", 'Monday\t"' + "x" * 200_000])
    result = read_folder(folder)
    assert result.ok
    assert [str(w) for w in result.warnings] == ["notes.txt: is not an SSDA903 table; ignored"]


def test_two_files_for_one_table_are_a_problem(tmp_path: Path) -> None:
    folder = council(tmp_path, episodes=[episode_line()])
    write(folder, "Episodes copy.csv", [columns("Episodes"), episode_line()])
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv: is a second Episodes table (Episodes copy.csv is one already); keep only one"
    ]


def test_tables_the_program_does_not_import_are_a_warning(tmp_path: Path) -> None:
    folder = council(tmp_path)
    for table in ("OC2", "OC3", "AD1", "PrevPerm"):
        write(folder, f"{table}.csv", [columns(table)])
    result = read_folder(folder)
    assert result.ok
    assert sorted(str(w) for w in result.warnings) == [
        "AD1.csv: is the AD1 table, which the program does not import; ignored",
        "OC2.csv: is the OC2 table, which the program does not import; ignored",
        "OC3.csv: is the OC3 table, which the program does not import; ignored",
        "PrevPerm.csv: is the PrevPerm table, which the program does not import; ignored",
    ]
    assert "OC2" not in result.files


def test_an_unused_table_with_missing_columns_is_only_a_warning(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(folder, "OC2.csv", [",".join(TABLE_COLUMNS["OC2"][:-2])])
    result = read_folder(folder)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "OC2.csv line 1: looks like the OC2 table but is missing columns: INTERVENTION_RECEIVED, "
        "INTERVENTION_OFFERED; ignored"
    ]


def test_a_file_with_the_columns_of_two_tables_is_a_problem(tmp_path: Path) -> None:
    folder = council(tmp_path)
    both = dict.fromkeys(TABLE_COLUMNS["OC3"] + TABLE_COLUMNS["Missing"])
    write(folder, "both.csv", [",".join(both)])
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "both.csv line 1: has the columns of both the OC3 and Missing tables; which one it is "
        "cannot be told"
    ]


def test_a_column_named_twice_is_a_problem(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(folder, "Episodes.csv", [columns("Episodes") + ",DEC", episode_line() + ",01/05/2023"])
    result = read_folder(folder)
    assert where(result) == [("Episodes.csv", 1, "DEC")]
    assert result.episodes == []


def test_hidden_and_lock_files_are_passed_over(tmp_path: Path) -> None:
    folder = council(tmp_path)
    (folder / ".DS_Store").write_bytes(b"\x00\x01binary")
    (folder / "~$Header.xlsx").write_bytes(b"\x00lock")
    (folder / "sub").mkdir()  # folders inside are not read either
    write(folder / "sub", "Episodes.csv", [columns("Episodes"), "bad"])
    result = read_folder(folder)
    assert result.ok and result.warnings == []


# --- the folder ------------------------------------------------------------------------------


def test_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    result = read_folder(tmp_path / "nowhere")
    assert not result.ok
    assert result.problems[0].message == "the folder does not exist"


def test_a_file_instead_of_a_folder_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "Header.csv", [columns("Header")])
    assert read_folder(path).problems[0].message == "is not a folder"


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = read_folder(tmp_path / "empty")
    assert [p.message for p in result.problems] == ["the folder is empty"]


def test_a_folder_without_903_tables_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path / "f", "notes.csv", ["a,b", "1,2"])
    result = read_folder(tmp_path / "f")
    assert [p.message for p in result.problems] == ["the folder has no SSDA903 tables in it"]
    assert result.problems[0].file == str(tmp_path / "f")


def test_the_header_table_is_required_with_any_other(tmp_path: Path) -> None:
    write(tmp_path / "f", "Episodes.csv", [columns("Episodes"), episode_line()])
    result = read_folder(tmp_path / "f")
    assert len(result.problems) == 1
    assert result.problems[0].message.startswith("there is no Header table")
    # Without a Header the child cannot be "not in the Header", so no cascade of problems.
    assert len(result.episodes) == 1


# --- encodings, line ends, binary and big files ------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "end", "bom"),
    [
        ("utf-8", "\n", b""),
        ("utf-8", "\r\n", b"\xef\xbb\xbf"),
        ("cp1252", "\r\n", b""),
        ("utf-16", "\r\n", b""),  # Excel's "Unicode text"; Python writes the BOM itself
    ],
)
def test_encodings_and_line_ends(tmp_path: Path, encoding: str, end: str, bom: bytes) -> None:
    folder = council(tmp_path)
    lines = [columns("Episodes") + ",NOTE", episode_line() + ",Zoë’s café"]
    (folder / "Episodes.csv").write_bytes(bom + (end.join(lines) + end).encode(encoding))
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert result.episodes[0].decom == date(2023, 4, 1)
    assert result.files["Episodes"] == "Episodes.csv"


def test_a_bom_does_not_hide_the_first_column(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "Header.csv").write_bytes(
        b"\xef\xbb\xbf" + (columns("Header") + "\r\n" + header_line() + "\r\n").encode()
    )
    result = read_folder(folder)
    assert result.ok and result.header[0].child == "C000001"


def test_blank_lines_are_ignored_and_lines_counted_as_in_the_file(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder,
        "Episodes.csv",
        [
            columns("Episodes"),
            "",
            episode_line(decom="01/04/2023", dec="01/05/2023", rec="X1"),
            ",,,,,,,,,,,,",  # Excel's idea of an empty row
            "   ",
            episode_line(decom="31/02/2024"),
            "",
            "",
        ],
        end="\r\n",
    )
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv line 6, DECOM: 31/02/2024 is not a real date"
    ]
    assert result.episodes[0].line == 3


def test_a_binary_csv_is_one_problem(tmp_path: Path) -> None:
    folder = council(tmp_path)
    (folder / "Episodes.csv").write_bytes(b"CHILD,DECOM\x00\x01\x02" + bytes(range(256)) * 20)
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv: is not a CSV file (it looks binary)"
    ]


def test_a_binary_file_of_another_kind_is_only_a_warning(tmp_path: Path) -> None:
    """The workbook the CSVs came from, or a PDF of guidance, must not block the import."""
    folder = council(tmp_path)
    (folder / "Return 2024.xlsx").write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)))
    result = read_folder(folder)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "Return 2024.xlsx: is not a CSV file (it looks binary); ignored"
    ]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    folder = council(tmp_path)
    big = folder / "Episodes.csv"
    with big.open("wb") as handle:  # sparse: 60 MB made instantly
        handle.write((columns("Episodes") + "\n").encode())
        handle.truncate(60 * 1024 * 1024)
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv: is 60.0 MB, over the limit of 50.0 MB; not read"
    ]


def test_the_size_limit_can_be_set(tmp_path: Path) -> None:
    folder = council(tmp_path, episodes=[episode_line()] * 50)
    result = read_folder(folder, max_file_bytes=1000)
    assert len(result.problems) == 1
    assert result.problems[0].file == "Episodes.csv"
    assert "over the limit of 1000 bytes" in result.problems[0].message


def test_tab_separated_files_are_read_with_a_warning(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder,
        "Episodes.txt",
        [columns("Episodes").replace(",", "\t"), episode_line().replace(",", "\t")],
    )
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert len(result.episodes) == 1
    assert "tabs" in result.warnings[0].message


# --- row shapes ------------------------------------------------------------------------------


def test_rows_of_the_wrong_shape_are_one_problem_each(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder,
        "Episodes.csv",
        [
            columns("Episodes"),
            episode_line(home="AB1, Town", urn="SC1"),  # an unquoted comma shifts values
            "C000001,01/04/2023",
            'C000001,01/06/2023,S,C2,N1,U4,PR1,,,,"AB1',  # a quote never closed
            "C000001,01/07/2023,S,C2,N1,U4,PR1",
        ],
    )
    result = read_folder(folder)
    assert [(p.line, p.column) for p in result.problems] == [(2, None), (3, None), (4, None)]
    assert "has 14 values but the header has 13 columns" in result.problems[0].message
    assert "has 2 values" in result.problems[1].message
    assert "lines 4 to 5" in result.problems[2].message


def test_a_row_short_of_only_optional_trailing_values_is_read(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(folder, "Episodes.csv", [columns("Episodes"), "C000001,01/04/2023,S,C2,N1,U4"])
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert result.episodes[0].urn == ""


def test_quoted_values_are_read(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder,
        "Episodes.csv",
        [columns("Episodes"), '"C000001","01/04/2023","S","C2","N1","U4","PR1",,,,"AB1","",""'],
    )
    assert read_folder(folder).episodes[0].home_post == "AB1"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "31/02/2024 is not a real date"),
        ("2024-13-01", "2024-13-01 is not a real date"),
        ("tomorrow", "tomorrow is not a date (use DD/MM/YYYY)"),
        ("01/04/23", "01/04/23 needs a four-digit year (DD/MM/YYYY)"),
        ("01.04.2023", "01.04.2023 is not a date (use DD/MM/YYYY)"),
        ("31/12/1899", "31/12/1899 is before 1900"),
        ("01/01/2101", "01/01/2101 is after 2100"),
        ("٠١/٠٤/٢٠٢٣", "٠١/٠٤/٢٠٢٣ is not a date (use DD/MM/YYYY)"),  # digits, but not ASCII
    ],
)
def test_impossible_dates_are_problems_with_the_column(
    tmp_path: Path, value: str, message: str
) -> None:
    folder = council(tmp_path, episodes=[episode_line(decom=value)])
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [f"Episodes.csv line 2, DECOM: {message}"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("29/02/2024", date(2024, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1/4/2023", date(2023, 4, 1)),
        (" 01/04/2023 ", date(2023, 4, 1)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_dates_in_either_format_are_read(tmp_path: Path, value: str, expected: date) -> None:
    folder = council(
        tmp_path, header=[header_line(dob="01/01/1900")], episodes=[episode_line(decom=value)]
    )
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert result.episodes[0].decom == expected


# --- codes and required values -----------------------------------------------------------------


def test_required_values_are_named(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        header=[header_line(sex="", ethnic="")],
        episodes=[episode_line(decom="", rne="", ls="", cin="", place="")],
        reviews=[review_line(review="", code="")],
    )
    result = read_folder(folder)
    assert where(result) == [
        ("Episodes.csv", 2, "DECOM"),
        ("Episodes.csv", 2, "RNE"),
        ("Episodes.csv", 2, "LS"),
        ("Episodes.csv", 2, "CIN"),
        ("Episodes.csv", 2, "PLACE"),
        ("Header.csv", 2, "SEX"),
        ("Header.csv", 2, "ETHNIC"),
        ("Reviews.csv", 2, "REVIEW"),
        ("Reviews.csv", 2, "REVIEW_CODE"),
    ]
    assert result.problems[0].message == "DECOM is required (the date the episode started)"


def test_codes_are_checked_against_the_code_lists(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        header=[header_line(ethnic="XXXX")],
        episodes=[
            episode_line(
                ls="Q9",
                rne="Z",
                cin="N9",
                place="U9",
                provider="PR9",
                rpc="WHIM",
                dec="01/05/2023",
                rec="E99",
            )
        ],
        reviews=[review_line(code="PN8")],
    )
    result = read_folder(folder)
    assert where(result) == [
        ("Episodes.csv", 2, "RNE"),
        ("Episodes.csv", 2, "LS"),
        ("Episodes.csv", 2, "CIN"),
        ("Episodes.csv", 2, "PLACE"),
        ("Episodes.csv", 2, "PLACE_PROVIDER"),
        ("Episodes.csv", 2, "REC"),
        ("Episodes.csv", 2, "REASON_PLACE_CHANGE"),
        ("Header.csv", 2, "ETHNIC"),
        ("Reviews.csv", 2, "REVIEW_CODE"),
    ]
    ls = result.problems[1].message
    assert ls.startswith("Q9 is not a legal status code; use one of: C1, C2,")
    assert result.problems[7].message.startswith("XXXX is not an ethnicity code; use one of: WBRI,")


def test_values_in_messages_cannot_garble_the_screen(tmp_path: Path) -> None:
    """Control characters and direction marks are shown as "?", and long values cut short."""
    folder = council(tmp_path, episodes=[episode_line(ls="\u202eC2", place="U" * 100)])
    result = read_folder(folder)
    assert result.problems[0].message.startswith("?C2 is not a legal status code")
    assert result.problems[1].message.startswith("U" * 29 + "… is not a placement type code")


def test_codes_are_upper_cased_and_stripped_and_legacy_placements_accepted(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        episodes=[episode_line(ls=" c2 ", place="z1", provider="pr4", dec="01/05/2023", rec="e4a")],
    )
    result = read_folder(folder)
    assert result.ok, messages(result)
    episode = result.episodes[0]
    assert (episode.ls, episode.place, episode.place_provider, episode.rec) == (
        "C2",
        "Z1",
        "PR4",
        "E4A",
    )


def test_dec_and_rec_go_together(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        episodes=[
            episode_line(decom="01/04/2023", dec="01/05/2023", rec=""),
            episode_line(decom="01/06/2023", dec="", rec="E4A"),
        ],
    )
    result = read_folder(folder)
    assert where(result) == [("Episodes.csv", 2, "REC"), ("Episodes.csv", 3, "DEC")]
    assert result.problems[0].message.startswith("REC is required when DEC is given")


@pytest.mark.parametrize(
    ("given", "read"), [("M", "M"), ("F", "F"), ("U", "U"), ("1", "M"), ("2", "F"), ("f", "F")]
)
def test_sex_codes_old_and_new(tmp_path: Path, given: str, read: str) -> None:
    result = read_folder(council(tmp_path, header=[header_line(sex=given)]))
    assert result.ok and result.header[0].sex == read


@pytest.mark.parametrize("sex", ["X", "3", "Male"])
def test_other_sex_codes_are_problems(tmp_path: Path, sex: str) -> None:
    result = read_folder(council(tmp_path, header=[header_line(sex=sex)]))
    assert where(result) == [("Header.csv", 2, "SEX")]


def test_mother_is_blank_0_or_1(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        header=[
            header_line("C000001", mother=""),
            header_line("C000002", sex="F", mother="0"),
            header_line("C000003", sex="F", mother="1", mc_dob="01/01/2024"),
            header_line("C000004", sex="F", mother="Y"),
        ],
    )
    result = read_folder(folder)
    assert where(result) == [("Header.csv", 5, "MOTHER")]
    assert [h.mother for h in result.header] == ["", "0", "1"]


@pytest.mark.parametrize(
    ("child", "fragment"),
    [
        ("C" * 41, "is too long for a child's id (41 characters; at most 40)"),
        ("C00\x0b0001", "contains a control character"),
    ],
)
def test_child_ids_are_checked(tmp_path: Path, child: str, fragment: str) -> None:
    result = read_folder(council(tmp_path, header=[header_line(child=child)]))
    assert where(result) == [("Header.csv", 2, "CHILD")]
    assert fragment in result.problems[0].message


def test_child_ids_are_stripped_and_may_be_long(tmp_path: Path) -> None:
    child = "LCS-" + "9" * 36
    result = read_folder(
        council(
            tmp_path,
            header=[header_line(child=f"  {child} ")],
            episodes=[episode_line(child=child)],
        )
    )
    assert result.ok, messages(result)
    assert result.header[0].child == child


# --- cross-checks ----------------------------------------------------------------------------


def test_an_episode_ending_before_it_starts(tmp_path: Path) -> None:
    folder = council(
        tmp_path, episodes=[episode_line(decom="01/05/2023", dec="01/04/2023", rec="E4A")]
    )
    assert [str(p) for p in read_folder(folder).problems] == [
        "Episodes.csv line 2, DEC: the episode ends (01/04/2023) before it starts (01/05/2023)"
    ]


def test_back_to_back_episodes_are_fine(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        episodes=[
            episode_line(decom="01/05/2023", dec="01/06/2023", rec="X1", rne="P"),
            episode_line(decom="01/04/2023", dec="01/05/2023", rec="X1"),  # order in file is free
            episode_line(decom="01/06/2023", rne="L"),
        ],
    )
    result = read_folder(folder)
    assert result.ok, messages(result)


def test_overlapping_episodes_are_reported_on_the_later_one(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        header=[header_line("C000001"), header_line("C000002")],
        episodes=[
            episode_line("C000001", "01/04/2023", "01/06/2023", "X1"),
            episode_line("C000001", "15/05/2023", "01/07/2023", "X1", rne="P"),
            # an open episode followed by another
            episode_line("C000002", "01/01/2023"),
            episode_line("C000002", "01/03/2023", rne="P"),
        ],
    )
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv line 3, DECOM: C000001's episode starts 15/05/2023, before the episode on "
        "line 2 ended (01/06/2023)",
        "Episodes.csv line 5, DECOM: C000002's episode starts 01/03/2023, but the episode on "
        "line 4 (from 01/01/2023) has no end date",
    ]


def test_an_episode_inside_a_long_one_is_an_overlap(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        episodes=[
            episode_line(decom="01/01/2020", dec="01/01/2023", rec="X1"),
            episode_line(decom="01/02/2020", dec="01/03/2020", rec="X1", rne="P"),
            episode_line(decom="01/06/2021", dec="01/07/2021", rec="X1", rne="P"),
        ],
    )
    assert where(read_folder(folder)) == [
        ("Episodes.csv", 3, "DECOM"),
        ("Episodes.csv", 4, "DECOM"),
    ]


def test_duplicates_are_reported_on_the_second_naming_the_first(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        header=[header_line("C000001"), header_line("C000002"), header_line("C000001", sex="F")],
        episodes=[
            episode_line("C000001", "01/04/2023", "01/05/2023", "X1"),
            episode_line("C000001", "01/04/2023", "01/05/2023", "X1"),
        ],
        reviews=[review_line(review="01/06/2023"), review_line(review="01/06/2023", code="PN2")],
    )
    assert [str(p) for p in read_folder(folder).problems] == [
        "Episodes.csv line 3, DECOM: C000001 already has an episode starting 01/04/2023 (line 2)",
        "Header.csv line 4, CHILD: C000001 is already in this table on line 2",
        "Reviews.csv line 3, REVIEW: C000001 already has a review on 01/06/2023 (line 2)",
    ]


def test_a_review_before_birth(tmp_path: Path) -> None:
    folder = council(tmp_path, reviews=[review_line(review="01/01/2012")])
    assert [str(p) for p in read_folder(folder).problems] == [
        "Reviews.csv line 2, REVIEW: the review (01/01/2012) is before C000001's birth (01/02/2012)"
    ]


def test_children_missing_from_the_header_are_problems_in_every_table(tmp_path: Path) -> None:
    folder = council(tmp_path, episodes=[episode_line("C000009")], reviews=[review_line("C000009")])
    write(tmp_path / "council", "UASC.csv", [columns("UASC"), "C000009,M,01/02/2012,"])
    write(tmp_path / "council", "Missing.csv", [columns("Missing"), "C000009,,A,01/01/2024,"])
    write(tmp_path / "council", "PA.csv", [columns("PlacedAdoption"), "C000009,,01/01/2024,,"])
    result = read_folder(folder)
    assert sorted(where(result)) == [
        ("Episodes.csv", 2, "CHILD"),
        ("Missing.csv", 2, "CHILD"),
        ("PA.csv", 2, "CHILD"),
        ("Reviews.csv", 2, "CHILD"),
        ("UASC.csv", 2, "CHILD"),
    ]
    assert result.problems[0].message == "C000009 is not in the Header table (Header.csv)"


def test_a_header_row_with_a_bad_value_still_counts_as_the_child(tmp_path: Path) -> None:
    """One bad ETHNIC must not also make every episode "not in the Header"."""
    folder = council(tmp_path, header=[header_line(ethnic="ZZZZ")], episodes=[episode_line()])
    assert where(read_folder(folder)) == [("Header.csv", 2, "ETHNIC")]


def test_dates_of_birth_must_agree_with_the_header(tmp_path: Path) -> None:
    folder = council(tmp_path, reviews=[review_line(dob="02/02/2012")])
    write(tmp_path / "council", "UASC.csv", [columns("UASC"), "C000001,F,03/02/2012,"])
    write(
        tmp_path / "council",
        "Missing.csv",
        [columns("Missing"), "C000001,01/02/2012,A,01/01/2024,"],
    )
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Reviews.csv line 2, DOB: 02/02/2012 does not match C000001's date of birth in the Header "
        "table, 01/02/2012 (Header.csv line 2)",
        "UASC.csv line 2, SEX: F does not match C000001's sex in the Header table, M "
        "(Header.csv line 2)",
        "UASC.csv line 2, DOB: 03/02/2012 does not match C000001's date of birth in the Header "
        "table, 01/02/2012 (Header.csv line 2)",
    ]


def test_other_tables_have_their_own_rules(tmp_path: Path) -> None:
    folder = council(tmp_path)
    write(
        folder,
        "PlacedAdoption.csv",
        [
            columns("PlacedAdoption"),
            "C000001,,01/05/2024,01/04/2024,RD1",  # ends before it starts
            "C000001,,01/05/2024,01/06/2024,",  # ended without a reason
            "C000001,,,,",  # no date placed
        ],
    )
    write(
        folder,
        "Missing.csv",
        [columns("Missing"), "C000001,,Q,01/01/2024,", "C000001,,M,05/01/2024,04/01/2024"],
    )
    assert where(read_folder(folder)) == [
        ("Missing.csv", 2, "MISSING"),
        ("Missing.csv", 3, "MIS_END"),
        ("PlacedAdoption.csv", 2, "DATE_PLACED_CEASED"),
        ("PlacedAdoption.csv", 3, "REASON_PLACED_CEASED"),
        ("PlacedAdoption.csv", 4, "DATE_PLACED"),
    ]


# --- every problem at once -------------------------------------------------------------------


def test_every_problem_is_collected_at_once(tmp_path: Path) -> None:
    folder = council(
        tmp_path,
        episodes=[
            episode_line(decom="31/02/2024"),
            episode_line(decom="01/01/2020", dec="01/02/2020", rec="X1"),
            episode_line(decom="01/03/2020", dec="01/04/2020", rec="X1", ls="ZZ"),
            episode_line(decom="01/05/2020", dec="01/06/2020", rec="X1", place=""),
        ],
    )
    write(tmp_path / "council", "Reviews.csv", [columns("Reviews"), review_line(code="nope")])
    result = read_folder(folder)
    assert where(result) == [
        ("Episodes.csv", 2, "DECOM"),
        ("Episodes.csv", 4, "LS"),
        ("Episodes.csv", 5, "PLACE"),
        ("Reviews.csv", 2, "REVIEW_CODE"),
    ]
    assert result.episodes[0].line == 3  # the good row is still read
    assert not result.ok


# --- size ------------------------------------------------------------------------------------


def test_ten_thousand_episodes(tmp_path: Path) -> None:
    children = 500
    header = [header_line(f"C{i:06d}", dob="01/01/2010") for i in range(children)]
    episodes = []
    for i in range(children):
        for k in range(20):
            start = date(2015 + k // 12, k % 12 + 1, 1)
            end = date(2015 + (k + 1) // 12, (k + 1) % 12 + 1, 1)
            last = k == 19
            episodes.append(
                episode_line(
                    f"C{i:06d}",
                    start.strftime("%d/%m/%Y"),
                    "" if last else end.isoformat(),
                    "" if last else "X1",
                    rne="S" if k == 0 else "P",
                )
            )
    folder = council(tmp_path, header=header, episodes=episodes)
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert len(result.episodes) == 10_000
    assert result.episodes[-1].child == "C000499"
    assert result.episodes[-1].line == 10_001
    assert result.episodes[-1].dec is None


def test_an_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = council(tmp_path, episodes=[episode_line()])
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "Episodes.csv":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    result = read_folder(folder)
    assert [str(p) for p in result.problems] == [
        "Episodes.csv: could not be read (Permission denied)"
    ]


def test_a_dos_end_of_file_mark_is_ignored(tmp_path: Path) -> None:
    folder = council(tmp_path)
    (folder / "Episodes.csv").write_bytes(
        (columns("Episodes") + "\r\n" + episode_line() + "\r\n\x1a").encode()
    )
    result = read_folder(folder)
    assert result.ok, messages(result)
    assert len(result.episodes) == 1
