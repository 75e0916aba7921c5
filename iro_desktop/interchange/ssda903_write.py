"""The SSDA903 return written from the caseload: the DfE's CSV tables for one collection year.

Pure: children in, rows out (`build_return`), rows to files (`write_return`). What goes in each
table and which cells stay blank follows the DfE's validation rules as Social Finance's
validator runs them (rule numbers in the comments), so a return built from clean records
passes with no errors. Where the record lacks something the DfE requires (a category of need,
a postcode, a participation code) the cell is left blank rather than invented: the validator
then names the child and the field for the IRO to complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare
from iro_desktop.domain.review_record import ReviewKind, ReviewStatus
from iro_desktop.interchange.ssda903_tables import DATE_FORMAT, EXPORTED_TABLES, TABLE_COLUMNS

Row = dict[str, str]
Tables = dict[str, list[Row]]

FILE_NAMES: dict[str, str] = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "PlacedAdoption": "placed_adoption.csv",
    "Missing": "missing.csv",
}

SHORT_BREAKS = frozenset({"V3", "V4"})
# Placements with no Ofsted-registered provider: no URN (DfE rules 218, 222).
NO_URN_PLACEMENTS = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14", "Z1"}
)
# Foster and adoption placements may give "XXXXXXX" when the carer has no URN of its own (242).
PLACEHOLDER_URN_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"})
PLACEHOLDER_URN = "XXXXXXX"
# Placements that have no placement provider (DfE rules 213, 526).
NO_PROVIDER_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})
# The council's own provision (PR1) cannot run these (DfE rule 527).
NOT_OWN_PROVISION = frozenset({"P1", "R2", "R5"})
# Postcode areas wholly in Wales, Scotland or Northern Ireland, where Ofsted registers no one:
# no URN there (DfE rules 218, 243). Areas that straddle the border (CH, SY, TD...) are left
# to what the record says.
_WALES = {"CF", "LD", "LL", "NP", "SA"}
_SCOTLAND = {
    "AB",
    "DD",
    "DG",
    "EH",
    "FK",
    "G",
    "HS",
    "IV",
    "KA",
    "KW",
    "KY",
    "ML",
    "PA",
    "PH",
    "ZE",
}
OUTSIDE_ENGLAND_AREAS = frozenset(_WALES | _SCOTLAND | {"BT"})
CONTINUES = "X1"
SEX_CODES_FROM_2025 = {"F": "F", "M": "M", "X": "U"}
SEX_CODES_BEFORE_2025 = {"M": "1", "F": "2"}  # no code for "not stated" before 2024/25


def build_return(children: Iterable[Child], year: int) -> Tables:
    """The return for the collection year ending 31 March `year` (1 April year-1 to 31 March).

    Every table in EXPORTED_TABLES, each a list of rows {column: text} with exactly the DfE's
    columns, dates as DD/MM/YYYY and blanks as "". Rows are sorted by CHILD, then date.
    """
    first, last = date(year - 1, 4, 1), date(year, 3, 31)
    tables: Tables = {name: [] for name in EXPORTED_TABLES}
    for child in children:
        episodes = [e for e in _resolved_episodes(child) if e.start <= last and e.open_at(first)]
        if not episodes:
            continue  # not looked after in the year: not in the return (care leavers go in OC3)
        child_id = child.la_child_id.strip()
        dob = _d(child.date_of_birth)
        sex = _sex(child.sex, year)
        # Short breaks only (V3/V4): no mother, no reviews (DfE rule 399).
        short_breaks_only = all(e.episode.legal_status.upper() in SHORT_BREAKS for e in episodes)
        tables["Header"].append(_header_row(child, child_id, dob, sex, year, short_breaks_only))
        tables["Episodes"] += [_episode_row(child, child_id, e, last) for e in episodes]
        if not short_breaks_only:
            tables["Reviews"] += _review_rows(child, child_id, dob, first, last)
        uasc = _uasc_row(child, child_id, dob, sex, first)
        if uasc is not None:
            tables["UASC"].append(uasc)
        tables["PlacedAdoption"] += _adoption_rows(child, child_id, dob, first, last)
        tables["Missing"] += _missing_rows(child, child_id, dob, first, last)
    for name, rows in tables.items():
        rows.sort(key=_sort_key(_SORT_DATE[name]))
    return tables


def write_return(tables: Mapping[str, Sequence[Mapping[str, str]]], out_dir: Path) -> list[Path]:
    """One CSV per exported table in `out_dir` (created if need be); returns the paths.

    UTF-8 without a byte-order mark, header row first, CRLF line ends (the csv module's). Each
    file is written to a temporary file beside it and moved into place, so a crash part-way
    leaves the old file or the new one, never half of either.
    """
    unknown = sorted(set(tables) - set(EXPORTED_TABLES))
    if unknown:
        raise ValueError(f"These are not tables of the return: {', '.join(unknown)}.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in EXPORTED_TABLES:
        target = out_dir / FILE_NAMES[name]
        _write_atomically(target, TABLE_COLUMNS[name], tables.get(name, ()))
        written.append(target)
    return written


def return_summary(tables: Mapping[str, Sequence[object]]) -> dict[str, int]:
    """Rows per table, in the order of the return (for the command line and the window)."""
    return {name: len(tables.get(name, ())) for name in EXPORTED_TABLES}


# --- episodes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    """An episode with what the 903 needs filled in from its neighbours in the period."""

    episode: Episode
    start: date
    end: date | None
    reason_new: str
    reason_ended: str
    category_of_need: str

    def open_at(self, day: date) -> bool:
        return self.end is None or self.end >= day


def _resolved_episodes(child: Child) -> list[_Resolved]:
    out: list[_Resolved] = []
    for period in sorted(child.periods, key=lambda p: p.start):
        out += _resolve_period(period)
    return out


def _resolve_period(period: PeriodOfCare) -> list[_Resolved]:
    episodes = sorted(period.episodes, key=lambda e: e.start)
    out: list[_Resolved] = []
    need = ""
    for i, ep in enumerate(episodes):
        before = episodes[i - 1] if i else None
        after = episodes[i + 1] if i + 1 < len(episodes) else None
        # An episode with no end that is followed by another ended when the next began; the
        # last one ends with the period.
        end = ep.end or (after.start if after else period.end)
        rec = ep.reason_ended.strip().upper()
        if end is not None and not rec:
            if after is not None and after.start == end:
                rec = CONTINUES
            elif after is None and period.reason_ended.strip().upper() in (
                codes.REASONS_EPISODE_CEASED
            ):
                rec = period.reason_ended.strip().upper()
        # The category of need is the one recorded when the period began (DfE rule 504).
        need = ep.category_of_need.strip().upper() or need
        out.append(
            _Resolved(
                episode=ep,
                start=ep.start,
                end=end,
                reason_new=ep.reason_new.strip().upper() or _reason_new(before, ep),
                reason_ended=rec,
                category_of_need=need,
            )
        )
    return out


def _reason_new(before: Episode | None, ep: Episode) -> str:
    """RNE from what changed, for records that do not say (DfE rules 357, 434-436)."""
    if before is None:
        return "S"
    status_changed = before.legal_status.upper() != ep.legal_status.upper()
    place_changed = (
        before.placement_type.upper() != ep.placement_type.upper()
        or _postcode(before.postcode) != _postcode(ep.postcode)
        or before.provider != ep.provider
        or before.urn != ep.urn
    )
    if status_changed and place_changed:
        return "T"
    if status_changed:
        return "L"
    return "P"


def _episode_row(child: Child, child_id: str, r: _Resolved, last: date) -> Row:
    ep = r.episode
    ls, place = ep.legal_status.strip().upper(), ep.placement_type.strip().upper()
    short_break = ls in SHORT_BREAKS
    # An episode still going on 31 March is written open: the DfE's year ends there (354, 385).
    ended = r.end is not None and r.end <= last
    rec = r.reason_ended if ended else ""
    # The reason for a move goes with an episode that ended in one, not a temporary placement
    # (DfE rules 225, 226, 233).
    move_reason = (
        ep.reason_place_change.strip().upper()
        if ended and rec == CONTINUES and place not in codes.TEMPORARY_PLACEMENTS
        else ""
    )
    # No postcodes for short breaks (214, 398, 420); no home postcode, so no distance, for a
    # child who is or was unaccompanied and seeking asylum (406).
    home = "" if short_break or child.uasc else _postcode(ep.home_postcode)
    placed = "" if short_break else _postcode(ep.postcode)
    return {
        "CHILD": child_id,
        "DECOM": _d(r.start),
        "RNE": r.reason_new,
        "LS": ls,
        "CIN": r.category_of_need,
        "PLACE": place,
        "PLACE_PROVIDER": _provider(ep, place),
        "DEC": _d(r.end) if ended else "",
        "REC": rec,
        "REASON_PLACE_CHANGE": move_reason,
        "HOME_POST": home,
        "PL_POST": placed,
        "URN": "" if short_break or _outside_england(placed) else _urn(ep, place),
    }


def _provider(ep: Episode, place: str) -> str:
    if place in NO_PROVIDER_PLACEMENTS:
        return ""  # DfE rule 213
    given = ep.place_provider.strip().upper()
    if given:
        return given
    # What the record says in other words: parents provide a placement with parents (550),
    # and an in-house placement is the council's own provision.
    if place == "P1":
        return "PR0"
    if ep.provider_kind == "in_house" and place not in NOT_OWN_PROVISION:
        return "PR1"
    return ""


def _urn(ep: Episode, place: str) -> str:
    if place in NO_URN_PLACEMENTS:
        return ""  # DfE rules 218, 222
    given = ep.urn.strip().upper()
    if given:
        return given
    return PLACEHOLDER_URN if place in PLACEHOLDER_URN_PLACEMENTS else ""


# --- the other tables -------------------------------------------------------------------------


def _header_row(
    child: Child, child_id: str, dob: str, sex: str, year: int, short_breaks_only: bool
) -> Row:
    # MOTHER is asked of girls and young women only (DfE rules 165, 393), not of children on
    # short breaks (399); the first child's date of birth goes with MOTHER = 1 (611, 612).
    mother = child.mother.strip() if child.sex == "F" and not short_breaks_only else ""
    first_child = _d(child.mother_child_dob) if mother == "1" and child.mother_child_dob else ""
    return {
        "CHILD": child_id,
        "SEX": sex,
        "DOB": dob,
        # "Not yet obtained" is what a blank ethnicity means (DfE rule 103).
        "ETHNIC": child.ethnicity.strip().upper() or "NOBT",
        "UPN": _upn(child, year),
        "MOTHER": mother,
        "MC_DOB": first_child,
    }


def _upn(child: Child, year: int) -> str:
    """The UPN, or UN1 for a child not yet of school age who has none (DfE rules 168, 209).

    A school-age child with no UPN recorded is left blank: the other "unknown" codes each
    state a fact (never at a maintained school, educated abroad, new to the council, records
    disagree) that the program cannot know, so the validator asks the IRO (DfE rule 442).
    """
    upn = child.upn.strip().upper()
    if upn:
        return upn
    # Rule 209: of school age if 4 by 31 August before the collection year began.
    reference = date(year - 2, 8, 31)
    if _add_years(child.date_of_birth, 4) > reference:
        return "UN1"
    return ""


def _review_rows(child: Child, child_id: str, dob: str, first: date, last: date) -> list[Row]:
    """Looked-after reviews held in the year, each once, on the date the profile counts it held.

    A review held as a series of meetings is one review (timeliness_date is its date under
    the practice profile); pathway plan reviews of care leavers are not 903 reviews.
    """
    rows: list[Row] = []
    seen: set[str] = set()
    for review in child.reviews:
        held = review.timeliness_date
        if (
            review.kind != ReviewKind.LOOKED_AFTER.value
            or review.status == ReviewStatus.STOOD_DOWN.value
            or held is None
            or not first <= held <= last
            or review.id in seen
        ):
            continue
        seen.add(review.id)
        rows.append(
            {
                "CHILD": child_id,
                "DOB": dob,
                "REVIEW": _d(held),
                "REVIEW_CODE": review.pn_code.strip().upper(),
            }
        )
    return rows


def _uasc_row(child: Child, child_id: str, dob: str, sex: str, first: date) -> Row | None:
    """A child who was unaccompanied and seeking asylum at any time in the year.

    DUC is when the status ceased: the date recorded, else the 18th birthday, when it ends
    at the latest (DfE rule 304). The validator expects the 18th birthday even while it is
    still to come (205B compares it year on year), so a child still UASC carries it too.
    """
    if not child.uasc:
        return None
    ceased = child.uasc_ceased or _add_years(child.date_of_birth, 18)
    if ceased < first:
        return None  # status ended in an earlier year: formerly UASC, not in this table
    return {"CHILD": child_id, "SEX": sex, "DOB": dob, "DUC": _d(ceased)}


def _adoption_rows(child: Child, child_id: str, dob: str, first: date, last: date) -> list[Row]:
    """Decisions to place for adoption that stood at any time in the year.

    A decision carries on from year to year until it is reversed (DfE rule 553 needs it for
    every child on a placement order); one reversed before the year is not reported (118),
    and a reversal after 31 March is not yet known to this year's return (117).
    """
    rows: list[Row] = []
    for decision in child.adoption_decisions:
        if decision.decided_on > last:
            continue
        if decision.ceased_on is not None and decision.ceased_on < first:
            continue
        reversed_in_year = decision.ceased_on is not None and decision.ceased_on <= last
        rows.append(
            {
                "CHILD": child_id,
                "DOB": dob,
                "DATE_PLACED": _d(decision.decided_on),
                "DATE_PLACED_CEASED": _d(decision.ceased_on) if reversed_in_year else "",
                "REASON_PLACED_CEASED": (
                    decision.reason_ceased.strip().upper() if reversed_in_year else ""
                ),
            }
        )
    return rows


def _missing_rows(child: Child, child_id: str, dob: str, first: date, last: date) -> list[Row]:
    """Times missing or away without authorisation that overlap the year; one still going on
    31 March is written open (DfE rules 570, 571)."""
    rows: list[Row] = []
    for gone in child.missing:
        if gone.start > last or (gone.end is not None and gone.end < first):
            continue
        back = gone.end if gone.end is not None and gone.end <= last else None
        rows.append(
            {
                "CHILD": child_id,
                "DOB": dob,
                "MISSING": gone.kind.strip().upper(),
                "MIS_START": _d(gone.start),
                "MIS_END": _d(back) if back else "",
            }
        )
    return rows


# --- small helpers ----------------------------------------------------------------------------

_SORT_DATE: dict[str, str | None] = {
    "Header": None,
    "Episodes": "DECOM",
    "Reviews": "REVIEW",
    "UASC": None,
    "PlacedAdoption": "DATE_PLACED",
    "Missing": "MIS_START",
}


def _sort_key(date_column: str | None) -> Callable[[Row], tuple[str, str]]:
    """By CHILD, then by the row's date (DD/MM/YYYY compared as YYYYMMDD)."""

    def key(row: Row) -> tuple[str, str]:
        text = row[date_column] if date_column else ""
        return (row["CHILD"], "".join(reversed(text.split("/"))))

    return key


def _d(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _sex(sex: str, year: int) -> str:
    # SEX became M/F/U for the year ending March 2025; before then 1 (male) or 2 (female).
    table = SEX_CODES_FROM_2025 if year >= 2025 else SEX_CODES_BEFORE_2025
    return table.get(sex.strip().upper(), "")


def _postcode(text: str) -> str:
    return " ".join(text.upper().split())


def _outside_england(postcode: str) -> bool:
    area = postcode[:2].rstrip("0123456789")
    return area in OUTSIDE_ENGLAND_AREAS


def _add_years(day: date, years: int) -> date:
    # 29 February becomes 28 February, as the validator's date arithmetic does (rule 304).
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _write_atomically(
    target: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]
) -> None:
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(columns), restval="", extrasaction="raise")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
            f.flush()
            os.fsync(f.fileno())  # on disk before it takes the old file's place
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
