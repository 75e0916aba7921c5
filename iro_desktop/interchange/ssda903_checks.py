"""The rules of each SSDA903 table, row by row, and the checks across rows and files.

A row with a problem is left out of the lists (the import does not go ahead while there are
problems, and leaving it out stops one bad value cascading into others). The Header table is
read first: the other tables are checked against its children, dates of birth and sexes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
from iro_desktop.interchange.csv_files import CsvFile, column_index, shaped_records, shown
from iro_desktop.interchange.ssda903_cells import Cells, required_message
from iro_desktop.interchange.ssda903_rows import (
    EpisodeRow,
    FolderRead,
    HeaderRow,
    MissingRow,
    PlacedAdoptionRow,
    Problem,
    ReviewRow,
    UascRow,
)

__all__ = ["HeaderFacts", "check_episodes", "check_names", "check_reviews", "read_table"]

_MOTHER = frozenset({"", "0", "1"})
_PLACEMENTS: dict[str, str] = {**PLACEMENT_TYPES, **LEGACY_PLACEMENT_TYPES}

# The columns a row cannot do without: a row too short to reach them is reported whole.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"),
    "Reviews": ("CHILD", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD",),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
    "Missing": ("CHILD", "MISSING", "MIS_START"),
}


@dataclass
class HeaderFacts:
    """What the other tables are checked against: the Header's children, lines and facts."""

    present: bool = False
    file: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # child -> first line
    dob: dict[str, date] = field(default_factory=dict)
    sex: dict[str, str] = field(default_factory=dict)


def _dmy(value: date) -> str:
    return value.strftime("%d/%m/%Y")


# --- one table -------------------------------------------------------------------------------


def read_table(table: str, csv_file: CsvFile, out: FolderRead, facts: HeaderFacts) -> None:
    """Check every record of one imported table, adding the rows without a problem to `out`.

    Every table has CHILD, checked first; outside the Header it must be one of the Header's
    children. The table's own rules are in its row check below.
    """
    if table == "Header":
        facts.present = True
        facts.file = csv_file.file
    check_row = _ROW_CHECKS[table]
    index = column_index(csv_file.columns)
    for line, values in shaped_records(csv_file, _REQUIRED[table], out.problems):
        cells = Cells(csv_file.file, line, values, index, out.problems)
        child = cells.child()
        if table != "Header":
            _check_in_header(cells, child, facts)
        check_row(cells, child, facts, out)


def _check_in_header(cells: Cells, child: str | None, facts: HeaderFacts) -> None:
    if child is not None and facts.present and child not in facts.lines:
        cells.fail("CHILD", f"{child} is not in the Header table ({facts.file})")


def _check_dob(
    cells: Cells, child: str | None, facts: HeaderFacts, *, column: str = "DOB"
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


def _header_row(cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead) -> None:
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
            cells.fail("CHILD", f"{child} is already in this table on line {facts.lines[child]}")
            return
        facts.lines[child] = cells.line
        if dob is not None:
            facts.dob[child] = dob
        if sex:
            facts.sex[child] = sex
    if cells.bad or child is None or dob is None:
        return
    out.header.append(
        HeaderRow(child, sex, dob, ethnic, upn, mother, mc_dob, cells.file, cells.line)
    )


def _episode_row(cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead) -> None:
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
        return
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
            cells.file,
            cells.line,
        )
    )


def _review_row(cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead) -> None:
    dob = _check_dob(cells, child, facts)
    review = cells.date("REVIEW", required=True)
    code = cells.code("REVIEW_CODE", PARTICIPATION_CODES, "participation code", required=True)
    born = facts.dob.get(child) if child is not None else None
    if review is not None and born is not None and review < born:
        cells.fail(
            "REVIEW", f"the review ({_dmy(review)}) is before {child}'s birth ({_dmy(born)})"
        )
    if cells.bad or child is None or review is None:
        return
    out.reviews.append(ReviewRow(child, dob, review, code, cells.file, cells.line))


def _uasc_row(cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead) -> None:
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
        return
    out.uasc.append(UascRow(child, duc, cells.file, cells.line))


def _placed_adoption_row(
    cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead
) -> None:
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
            required_message("REASON_PLACED_CEASED") + " when DATE_PLACED_CEASED is given",
        )
    elif cells.raw("REASON_PLACED_CEASED") and not cells.raw("DATE_PLACED_CEASED"):
        cells.fail(
            "DATE_PLACED_CEASED",
            required_message("DATE_PLACED_CEASED") + " when REASON_PLACED_CEASED is given",
        )
    if placed is not None and ceased is not None and ceased < placed:
        cells.fail(
            "DATE_PLACED_CEASED",
            f"the placement ends ({_dmy(ceased)}) before it starts ({_dmy(placed)})",
        )
    if cells.bad or child is None or placed is None:
        return
    out.placed_adoption.append(
        PlacedAdoptionRow(child, placed, ceased, reason, cells.file, cells.line)
    )


def _missing_row(cells: Cells, child: str | None, facts: HeaderFacts, out: FolderRead) -> None:
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
        return
    out.missing.append(MissingRow(child, kind, start, end, cells.file, cells.line))


# Each row check adds its row to `out` unless the row has a problem.
_ROW_CHECKS: dict[str, Callable[[Cells, str | None, HeaderFacts, FolderRead], None]] = {
    "Header": _header_row,
    "Episodes": _episode_row,
    "Reviews": _review_row,
    "UASC": _uasc_row,
    "PlacedAdoption": _placed_adoption_row,
    "Missing": _missing_row,
}


# --- across rows and files -------------------------------------------------------------------


def check_episodes(out: FolderRead) -> None:
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
                _clash(
                    out,
                    episode,
                    f"{child} already has an episode starting {_dmy(episode.decom)} "
                    f"(line {previous.line})",
                )
                continue
            if reach is not None:
                if reach.dec is None:
                    _clash(
                        out,
                        episode,
                        f"{child}'s episode starts {_dmy(episode.decom)}, but the episode on "
                        f"line {reach.line} (from {_dmy(reach.decom)}) has no end date",
                    )
                elif episode.decom < reach.dec:
                    _clash(
                        out,
                        episode,
                        f"{child}'s episode starts {_dmy(episode.decom)}, before the episode "
                        f"on line {reach.line} ended ({_dmy(reach.dec)})",
                    )
            previous = episode
            if reach is None or (
                reach.dec is not None and (episode.dec is None or episode.dec > reach.dec)
            ):
                reach = episode


def _clash(out: FolderRead, episode: EpisodeRow, message: str) -> None:
    out.problems.append(Problem(episode.file, episode.line, "DECOM", message))


def check_reviews(out: FolderRead) -> None:
    """A child with two reviews on one day, reported on the later line."""
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


def check_names(out: FolderRead, facts: HeaderFacts, names_file: str) -> None:
    """Every child in the names file must be in the Header table, when there is one."""
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
