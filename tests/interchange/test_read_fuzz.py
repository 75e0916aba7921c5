"""Hostile files: whatever a folder holds, read_folder returns a FolderRead and never raises.

Each example must finish within seconds (hypothesis's deadline), so a pathological file cannot
hang the import window either.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iro_desktop.interchange.ssda903_read import FolderRead, read_folder
from iro_desktop.interchange.ssda903_tables import IMPORTED_TABLES, TABLE_COLUMNS

# IRO_FUZZ_EXAMPLES=5000 for a longer hunt before a release.
FUZZ = settings(
    max_examples=int(os.environ.get("IRO_FUZZ_EXAMPLES", "150")),
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)

HEADER = ",".join(TABLE_COLUMNS["Header"]) + "\nC000001,M,01/02/2012,WBRI,,,\n"

# Values that look like 903 values, mixed with the characters that break parsers.
PIECES = st.sampled_from(
    [
        "C000001",
        "C000002",
        "01/04/2023",
        "31/02/2024",
        "2024-13-01",
        "C2",
        "U4",
        "PR1",
        "X1",
        "E4A",
        "PN1",
        "M",
        "",
        " ",
        '"',
        ",",
        "\r",
        "\n",
        "\r\n",
        "\x00",
        "\x1a",
        "\ufeff",
        "é",
        "\u202e",
        "9" * 50,
    ]
)


def _read(files: dict[str, bytes], names: bytes | None = None) -> FolderRead:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "council"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        names_path = None
        if names is not None:
            names_path = Path(tmp) / "names.csv"
            names_path.write_bytes(names)
        result = read_folder(folder, names_path)
    assert isinstance(result, FolderRead)
    for problem in result.problems + result.warnings:
        assert str(problem)  # every problem can be shown
    return result


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_named_episodes(data: bytes) -> None:
    _read({"Header.csv": HEADER.encode(), "Episodes.csv": data})


@FUZZ
@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_random_bytes_after_a_valid_header_row(body: bytes, names: bytes) -> None:
    episodes = (",".join(TABLE_COLUMNS["Episodes"]) + "\r\n").encode() + body
    _read({"Header.csv": HEADER.encode(), "Episodes.csv": episodes}, names)


@FUZZ
@given(
    st.sampled_from(IMPORTED_TABLES),
    st.lists(st.lists(PIECES, max_size=16).map(",".join), max_size=30),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_text_under_a_valid_header(table: str, lines: list[str], encoding: str) -> None:
    text = ",".join(TABLE_COLUMNS[table]) + "\n" + "\n".join(lines)
    data = text.encode(encoding, errors="replace")
    _read({"Header.csv": HEADER.encode(), f"{table}.csv": data})


@FUZZ
@given(st.text(max_size=3000))
def test_random_text_anywhere(text: str) -> None:
    _read(
        {
            "Header.csv": text.encode("utf-8", errors="surrogatepass"),
            "x": text[::-1].encode("utf-8", errors="surrogatepass"),
        }
    )


def test_a_runaway_quote_in_a_big_file_is_one_problem() -> None:
    """Python's csv refuses a value over its field limit: one problem, not a traceback."""
    episodes = ",".join(TABLE_COLUMNS["Episodes"]) + '\nC000001,"' + "x" * 200_000 + "\n"
    result = _read({"Header.csv": HEADER.encode(), "Episodes.csv": episodes.encode()})
    assert [(p.file, p.line) for p in result.problems] == [("Episodes.csv", 2)]
    assert "could not be read as CSV" in result.problems[0].message
