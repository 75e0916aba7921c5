"""What reading a council's SSDA903 folder produces: checked rows, and problems placed in files.

Plain data, shared by the readers (ssda903_read, names) and the import service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "NAMES_TABLE",
    "EpisodeRow",
    "FolderRead",
    "HeaderRow",
    "MissingRow",
    "NameRow",
    "PlacedAdoptionRow",
    "Problem",
    "ReviewRow",
    "UascRow",
]

NAMES_TABLE = "Names"  # the key of the names file in FolderRead.files


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
