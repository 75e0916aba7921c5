"""The SSDA903 return written from hand-built children: the rows a council would send, and
the DfE's rules (Social Finance's validator) finding nothing wrong with them.

The collection year ending 31 March 2026 runs from 1 April 2025; the one ending 31 March 2027
from 1 April 2026. Postcodes are real (the validator looks them up); the council is
Manchester (E08000003).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from iro_desktop.domain.caseload import (
    Child,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    PlacedForAdoption,
    ReviewSummary,
)
from iro_desktop.interchange.ssda903_tables import EXPORTED_TABLES, TABLE_COLUMNS
from iro_desktop.interchange.ssda903_write import (
    FILE_NAMES,
    build_return,
    return_summary,
    write_return,
)
from tests.interchange.validator_kit import ruleset_for, validate_return

D = date


def ep(start: date, end: date | None, rne: str, ls: str, place: str, **kw: object) -> Episode:
    fields: dict[str, object] = {"category_of_need": "N1", "place_provider": "PR4"}
    fields.update(kw)
    return Episode(
        start=start,
        end=end,
        reason_new=rne,
        legal_status=ls,
        placement_type=place,
        **fields,  # type: ignore[arg-type]
    )


def review(
    rid: str,
    held: date | None,
    pn: str = "PN1",
    *,
    kind: str = "looked_after",
    status: str = "issued",
    meetings: tuple[date, ...] = (),
) -> ReviewSummary:
    return ReviewSummary(
        id=rid,
        kind=kind,
        status=status,
        due_date=held or D(2026, 12, 1),
        timeliness_date=held,
        pn_code=pn if held else "",
        meeting_dates=meetings or ((held,) if held else ()),
    )


def child(cid: str, dob: date, sex: str, periods: tuple[PeriodOfCare, ...], **kw: object) -> Child:
    fields: dict[str, object] = {"ethnicity": "WBRI"}
    fields.update(kw)
    return Child(
        id=f"id-{cid}",
        la_child_id=cid,
        legal_first_name="Test",
        legal_last_name=cid,
        date_of_birth=dob,
        sex=sex,
        periods=periods,
        **fields,  # type: ignore[arg-type]
    )


def caseload() -> list[Child]:
    return [
        # Started to be looked after this year; interim care order became a full order.
        child(
            "C01",
            D(2012, 3, 10),
            "F",
            (
                PeriodOfCare(
                    D(2025, 6, 2),
                    episodes=(
                        ep(
                            D(2025, 6, 2),
                            D(2025, 10, 15),
                            "S",
                            "C1",
                            "U6",
                            place_provider="PR1",
                            home_postcode="M14 5AA",
                            postcode="m40  3qq",
                            reason_ended="X1",
                        ),
                        ep(
                            D(2025, 10, 15),
                            None,
                            "L",
                            "C2",
                            "U6",
                            place_provider="PR1",
                            home_postcode="M14 5AA",
                            postcode="M40 3QQ",
                        ),
                    ),
                ),
            ),
            upn="A100000000001",
            mother="0",
            reviews=(
                review("c01-1", D(2025, 7, 1)),
                # Held as a series of meetings: one review, on the date it counts as held.
                review(
                    "c01-2",
                    D(2025, 10, 28),
                    status="completed",
                    meetings=(D(2025, 10, 28), D(2025, 11, 4)),
                ),
                review("c01-3", D(2026, 4, 20)),
                review("c01-4", None, status="planned"),
                review("c01-5", None, status="stood_down"),
            ),
        ),
        # Went home as part of the care plan this year.
        child(
            "C02",
            D(2010, 8, 20),
            "M",
            (
                PeriodOfCare(
                    D(2023, 1, 10),
                    D(2025, 11, 30),
                    "E4A",
                    episodes=(
                        ep(
                            D(2023, 1, 10),
                            D(2025, 11, 30),
                            "S",
                            "V2",
                            "U4",
                            category_of_need="N4",
                            urn="SC100002",
                            home_postcode="M8 8EP",
                            postcode="SK1 3XE",
                            reason_ended="E4A",
                        ),
                    ),
                ),
            ),
            ethnicity="BCRB",
            upn="A100000000002",
            reviews=(review("c02-0", D(2025, 1, 5)), review("c02-1", D(2025, 7, 15), "PN5")),
        ),
        # Moved from a children's home to foster care: X1 and the reason for the move. A mother.
        child(
            "C03",
            D(2010, 2, 14),
            "F",
            (
                PeriodOfCare(
                    D(2022, 5, 1),
                    episodes=(
                        ep(
                            D(2022, 5, 1),
                            D(2025, 9, 12),
                            "S",
                            "C2",
                            "K2",
                            urn="SC100031",
                            home_postcode="M13 9PL",
                            postcode="M20 2LR",
                            reason_ended="X1",
                            reason_place_change="CARPL",
                        ),
                        ep(
                            D(2025, 9, 12),
                            None,
                            "P",
                            "C2",
                            "U4",
                            urn="SC100032",
                            home_postcode="M13 9PL",
                            postcode="M21 7ST",
                        ),
                    ),
                ),
            ),
            ethnicity="AIND",
            upn="A100000000003",
            mother="1",
            mother_child_dob=D(2024, 12, 1),
            reviews=(review("c03-1", D(2025, 10, 3)), review("c03-2", D(2026, 3, 20), "PN6")),
        ),
        # A move on 20 April 2026 and home on 30 June: still open on 31 March 2026.
        child(
            "C04",
            D(2011, 11, 11),
            "M",
            (
                PeriodOfCare(
                    D(2024, 7, 1),
                    D(2026, 6, 30),
                    "E4A",
                    episodes=(
                        ep(
                            D(2024, 7, 1),
                            D(2026, 4, 20),
                            "S",
                            "V2",
                            "U6",
                            category_of_need="N5",
                            place_provider="PR1",
                            home_postcode="M8 7NN",
                            postcode="M22 9TG",
                            reason_ended="X1",
                            reason_place_change="CHILD",
                        ),
                        ep(
                            D(2026, 4, 20),
                            D(2026, 6, 30),
                            "P",
                            "V2",
                            "U4",
                            category_of_need="N5",
                            urn="SC100042",
                            home_postcode="M8 7NN",
                            postcode="M12 6LT",
                            reason_ended="E4A",
                        ),
                    ),
                ),
            ),
            ethnicity="WOTH",
            upn="A100000000004",
            reviews=(review("c04-1", D(2025, 12, 1), "PN3"),),
        ),
        # Under 4: PN0 at every review, and no UPN yet (UN1).
        child(
            "C05",
            D(2023, 9, 1),
            "F",
            (
                PeriodOfCare(
                    D(2025, 2, 3),
                    episodes=(
                        ep(
                            D(2025, 2, 3),
                            None,
                            "S",
                            "C1",
                            "U3",
                            place_provider="PR1",
                            home_postcode="M20 6FJ",
                            postcode="M18 7QS",
                        ),
                    ),
                ),
            ),
            ethnicity="MWAS",
            mother="0",
            reviews=(
                review("c05-0", D(2025, 3, 1), "PN0"),
                review("c05-1", D(2025, 7, 30), "PN0"),
                review(
                    "c05-2",
                    D(2026, 1, 20),
                    "PN0",
                    status="completed",
                    meetings=(D(2026, 1, 20), D(2026, 1, 27)),
                ),
                review("c05-3", D(2026, 7, 20), "PN0"),
                review("c05-4", None, status="stood_down"),
            ),
        ),
        # Unaccompanied and seeking asylum; turned 18 and left care on the birthday.
        child(
            "C06",
            D(2007, 10, 5),
            "M",
            (
                PeriodOfCare(
                    D(2023, 3, 15),
                    D(2025, 10, 5),
                    "E5",
                    episodes=(
                        ep(
                            D(2023, 3, 15),
                            D(2024, 5, 1),
                            "S",
                            "V2",
                            "U6",
                            category_of_need="N8",
                            urn="SC100061",
                            postcode="M21 9XU",
                            reason_ended="X1",
                            reason_place_change="CARPL",
                        ),
                        ep(
                            D(2024, 5, 1),
                            D(2025, 10, 5),
                            "P",
                            "V2",
                            "K3",
                            category_of_need="N8",
                            urn="2600062",
                            home_postcode="M14 5AA",
                            postcode="M13 9PL",
                            reason_ended="E5",
                        ),
                    ),
                ),
            ),
            ethnicity="BAFR",
            upn="A100000000006",
            uasc=True,
            reviews=(review("c06-1", D(2025, 6, 10)),),
        ),
        # Placement order, placed for adoption, adopted in August 2026. An earlier decision was
        # reversed before the year, so it is not reported.
        child(
            "C07",
            D(2023, 1, 20),
            "M",
            (
                PeriodOfCare(
                    D(2024, 2, 1),
                    D(2026, 8, 15),
                    "E11",
                    episodes=(
                        ep(
                            D(2024, 2, 1),
                            D(2024, 9, 1),
                            "S",
                            "C1",
                            "U6",
                            place_provider="PR1",
                            home_postcode="M40 7WU",
                            postcode="M22 5RZ",
                            reason_ended="X1",
                        ),
                        ep(
                            D(2024, 9, 1),
                            D(2025, 6, 15),
                            "L",
                            "C2",
                            "U6",
                            place_provider="PR1",
                            home_postcode="M40 7WU",
                            postcode="M22 5RZ",
                            reason_ended="X1",
                        ),
                        ep(
                            D(2025, 6, 15),
                            D(2025, 11, 1),
                            "L",
                            "E1",
                            "U6",
                            place_provider="PR1",
                            home_postcode="M40 7WU",
                            postcode="M22 5RZ",
                            reason_ended="X1",
                            reason_place_change="CARPL",
                        ),
                        ep(
                            D(2025, 11, 1),
                            D(2026, 8, 15),
                            "P",
                            "E1",
                            "A6",
                            place_provider="PR1",
                            home_postcode="M40 7WU",
                            postcode="SK4 5LW",
                            reason_ended="E11",
                        ),
                    ),
                ),
            ),
            ethnicity="MWBC",
            adoption_decisions=(
                PlacedForAdoption(D(2024, 6, 1), D(2024, 12, 1), "RD4"),
                PlacedForAdoption(D(2025, 5, 10)),
            ),
            reviews=(
                review("c07-0", D(2025, 3, 30), "PN0"),
                review("c07-1", D(2025, 10, 20), "PN0"),
                review("c07-2", D(2026, 4, 10), "PN0"),
            ),
        ),
        # Missing from a children's home four times, once across the end of the year.
        child(
            "C08",
            D(2009, 6, 30),
            "F",
            (
                PeriodOfCare(
                    D(2024, 11, 1),
                    episodes=(
                        ep(
                            D(2024, 11, 1),
                            None,
                            "S",
                            "C2",
                            "K2",
                            category_of_need="N5",
                            urn="SC100081",
                            home_postcode="M8 8EP",
                            postcode="SK1 3XE",
                        ),
                    ),
                ),
            ),
            upn="A100000000008",
            mother="0",
            missing=(
                MissingEpisode("M", D(2025, 1, 10), D(2025, 1, 11)),
                MissingEpisode("A", D(2025, 12, 24), D(2025, 12, 25)),
                MissingEpisode("M", D(2025, 5, 3), D(2025, 5, 5)),
                MissingEpisode("M", D(2026, 3, 30), D(2026, 4, 2)),
            ),
            reviews=(
                review("c08-1", D(2025, 5, 20), "PN4"),
                review("c08-2", D(2025, 11, 10), "PN7"),
            ),
        ),
        # A care leaver since her 18th birthday on 15 April 2025: pathway plan reviews since.
        child(
            "C09",
            D(2007, 4, 15),
            "F",
            (
                PeriodOfCare(
                    D(2021, 5, 1),
                    D(2025, 4, 15),
                    "E17",
                    episodes=(
                        ep(
                            D(2021, 5, 1),
                            D(2025, 4, 15),
                            "S",
                            "C2",
                            "U4",
                            category_of_need="N2",
                            urn="SC100091",
                            home_postcode="M12 6LT",
                            postcode="M20 2HL",
                            reason_ended="E17",
                        ),
                    ),
                ),
            ),
            ethnicity="WIRI",
            upn="A100000000009",
            mother="0",
            care_leaver=True,
            reviews=(
                review("c09-0", D(2025, 3, 31)),
                review("c09-1", D(2025, 10, 1), kind="pathway_plan"),
                review("c09-2", D(2026, 3, 15), kind="pathway_plan"),
            ),
        ),
        # Placed in Wales: Ofsted registers no one there, so no URN.
        child(
            "C10",
            D(2012, 12, 12),
            "M",
            (
                PeriodOfCare(
                    D(2025, 1, 6),
                    episodes=(
                        ep(
                            D(2025, 1, 6),
                            None,
                            "S",
                            "C2",
                            "U4",
                            home_postcode="M14 5RX",
                            postcode="LL11 2DD",
                        ),
                    ),
                ),
            ),
            upn="A100000000010",
            reviews=(review("c10-1", D(2025, 7, 1), "PN2"),),
        ),
        # Comes into care after the year ends: only in the next return.
        child(
            "C11",
            D(2014, 2, 2),
            "F",
            (
                PeriodOfCare(
                    D(2026, 5, 5),
                    episodes=(
                        ep(
                            D(2026, 5, 5),
                            None,
                            "S",
                            "V2",
                            "U6",
                            category_of_need="N3",
                            place_provider="PR1",
                            home_postcode="M21 7ST",
                            postcode="M22 9TG",
                        ),
                    ),
                ),
            ),
            ethnicity="CHNE",
            upn="A100000000011",
            mother="0",
        ),
        # Left care before the year began: not in the return.
        child(
            "C12",
            D(2013, 5, 5),
            "M",
            (
                PeriodOfCare(
                    D(2024, 3, 1),
                    D(2025, 3, 20),
                    "E4A",
                    episodes=(
                        ep(
                            D(2024, 3, 1),
                            D(2025, 3, 20),
                            "S",
                            "V2",
                            "U6",
                            home_postcode="M8 7NN",
                            postcode="M22 9TG",
                            reason_ended="E4A",
                        ),
                    ),
                ),
            ),
            upn="A100000000012",
        ),
    ]


# What a council officer opening the files for the year ending 31 March 2026 would see.
EXPECTED_2026 = {
    "header.csv": """\
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C01,F,10/03/2012,WBRI,A100000000001,0,
C02,M,20/08/2010,BCRB,A100000000002,,
C03,F,14/02/2010,AIND,A100000000003,1,01/12/2024
C04,M,11/11/2011,WOTH,A100000000004,,
C05,F,01/09/2023,MWAS,UN1,0,
C06,M,05/10/2007,BAFR,A100000000006,,
C07,M,20/01/2023,MWBC,UN1,,
C08,F,30/06/2009,WBRI,A100000000008,0,
C09,F,15/04/2007,WIRI,A100000000009,0,
C10,M,12/12/2012,WBRI,A100000000010,,
""",
    "episodes.csv": """\
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
C01,02/06/2025,S,C1,N1,U6,PR1,15/10/2025,X1,,M14 5AA,M40 3QQ,XXXXXXX
C01,15/10/2025,L,C2,N1,U6,PR1,,,,M14 5AA,M40 3QQ,XXXXXXX
C02,10/01/2023,S,V2,N4,U4,PR4,30/11/2025,E4A,,M8 8EP,SK1 3XE,SC100002
C03,01/05/2022,S,C2,N1,K2,PR4,12/09/2025,X1,CARPL,M13 9PL,M20 2LR,SC100031
C03,12/09/2025,P,C2,N1,U4,PR4,,,,M13 9PL,M21 7ST,SC100032
C04,01/07/2024,S,V2,N5,U6,PR1,,,,M8 7NN,M22 9TG,XXXXXXX
C05,03/02/2025,S,C1,N1,U3,PR1,,,,M20 6FJ,M18 7QS,XXXXXXX
C06,01/05/2024,P,V2,N8,K3,PR4,05/10/2025,E5,,,M13 9PL,2600062
C07,01/09/2024,L,C2,N1,U6,PR1,15/06/2025,X1,,M40 7WU,M22 5RZ,XXXXXXX
C07,15/06/2025,L,E1,N1,U6,PR1,01/11/2025,X1,CARPL,M40 7WU,M22 5RZ,XXXXXXX
C07,01/11/2025,P,E1,N1,A6,PR1,,,,M40 7WU,SK4 5LW,XXXXXXX
C08,01/11/2024,S,C2,N5,K2,PR4,,,,M8 8EP,SK1 3XE,SC100081
C09,01/05/2021,S,C2,N2,U4,PR4,15/04/2025,E17,,M12 6LT,M20 2HL,SC100091
C10,06/01/2025,S,C2,N1,U4,PR4,,,,M14 5RX,LL11 2DD,
""",
    "reviews.csv": """\
CHILD,DOB,REVIEW,REVIEW_CODE
C01,10/03/2012,01/07/2025,PN1
C01,10/03/2012,28/10/2025,PN1
C02,20/08/2010,15/07/2025,PN5
C03,14/02/2010,03/10/2025,PN1
C03,14/02/2010,20/03/2026,PN6
C04,11/11/2011,01/12/2025,PN3
C05,01/09/2023,30/07/2025,PN0
C05,01/09/2023,20/01/2026,PN0
C06,05/10/2007,10/06/2025,PN1
C07,20/01/2023,20/10/2025,PN0
C08,30/06/2009,20/05/2025,PN4
C08,30/06/2009,10/11/2025,PN7
C10,12/12/2012,01/07/2025,PN2
""",
    "uasc.csv": """\
CHILD,SEX,DOB,DUC
C06,M,05/10/2007,05/10/2025
""",
    "placed_adoption.csv": """\
CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C07,20/01/2023,10/05/2025,,
""",
    "missing.csv": """\
CHILD,DOB,MISSING,MIS_START,MIS_END
C08,30/06/2009,M,03/05/2025,05/05/2025
C08,30/06/2009,A,24/12/2025,25/12/2025
C08,30/06/2009,M,30/03/2026,
""",
}


def _rows(text: str) -> list[str]:
    return text.splitlines()


def test_the_files_for_the_year_ending_march_2026_hold_exactly_these_rows(tmp_path: Path) -> None:
    paths = write_return(build_return(caseload(), 2026), tmp_path)
    assert [p.name for p in paths] == list(EXPECTED_2026)
    for path in paths:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        assert _rows(raw.decode("utf-8")) == _rows(EXPECTED_2026[path.name]), path.name


def test_the_next_year_carries_on_from_where_this_one_ended() -> None:
    tables = build_return(caseload(), 2027)
    children = [r["CHILD"] for r in tables["Header"]]
    # Looked after at some time from 1 April 2026: not C02, C06, C09 (left) or C12.
    assert children == ["C01", "C03", "C04", "C05", "C07", "C08", "C10", "C11"]
    episodes = {(r["CHILD"], r["DECOM"]): r for r in tables["Episodes"]}
    # The move written open last year now has its end, the reason and the next placement.
    c04 = [r for r in tables["Episodes"] if r["CHILD"] == "C04"]
    assert [(r["DECOM"], r["RNE"], r["DEC"], r["REC"], r["REASON_PLACE_CHANGE"]) for r in c04] == [
        ("01/07/2024", "S", "20/04/2026", "X1", "CHILD"),
        ("20/04/2026", "P", "30/06/2026", "E4A", ""),
    ]
    assert episodes[("C07", "01/11/2025")]["REC"] == "E11"
    assert episodes[("C11", "05/05/2026")]["RNE"] == "S"
    # The decision to place for adoption still stood when the child was adopted.
    assert tables["PlacedAdoption"] == [
        {
            "CHILD": "C07",
            "DOB": "20/01/2023",
            "DATE_PLACED": "10/05/2025",
            "DATE_PLACED_CEASED": "",
            "REASON_PLACED_CEASED": "",
        }
    ]
    assert [(r["MIS_START"], r["MIS_END"]) for r in tables["Missing"]] == [
        ("30/03/2026", "02/04/2026")
    ]
    assert [(r["CHILD"], r["REVIEW"]) for r in tables["Reviews"]] == [
        ("C01", "20/04/2026"),
        ("C05", "20/07/2026"),
        ("C07", "10/04/2026"),
    ]
    assert tables["UASC"] == []
    assert return_summary(tables) == {
        "Header": 8,
        "Episodes": 9,
        "Reviews": 3,
        "UASC": 0,
        "PlacedAdoption": 1,
        "Missing": 1,
    }


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_dfe_rules_find_nothing_wrong(tmp_path: Path, year: int) -> None:
    write_return(build_return(caseload(), year), tmp_path)
    issues = validate_return(tmp_path, year)
    assert issues.ruleset == ruleset_for(year)
    assert [str(i) for i in issues] == []
    # The validator's own bugs (rules reading columns that do not exist) are not ours.
    assert set(issues.failed_rules) <= {"231", "233"}, issues.failed_rules


def test_every_row_has_exactly_the_dfe_columns() -> None:
    tables = build_return(caseload(), 2026)
    assert list(tables) == list(EXPORTED_TABLES)
    for name, rows in tables.items():
        for row in rows:
            assert tuple(row) == TABLE_COLUMNS[name]
            assert all(isinstance(v, str) for v in row.values())


def test_sex_codes_follow_the_year_of_the_return() -> None:
    kids = [
        child("X1", D(2012, 1, 1), "F", caseload()[0].periods, upn="A100000000021"),
        child("X2", D(2012, 1, 1), "M", caseload()[0].periods, upn="A100000000022"),
        child("X3", D(2012, 1, 1), "X", caseload()[0].periods, upn="A100000000023"),
    ]
    sexes = {r["CHILD"]: r["SEX"] for r in build_return(kids, 2026)["Header"]}
    assert sexes == {"X1": "F", "X2": "M", "X3": "U"}
    # Before 2024/25 the 903 coded sex 1 (male) and 2 (female), with no code for "not stated".
    earlier = [
        replace(
            k,
            periods=(
                PeriodOfCare(D(2023, 6, 1), episodes=(ep(D(2023, 6, 1), None, "S", "C2", "U4"),)),
            ),
        )
        for k in kids
    ]
    sexes = {r["CHILD"]: r["SEX"] for r in build_return(earlier, 2024)["Header"]}
    assert sexes == {"X1": "2", "X2": "1", "X3": ""}


def test_what_the_record_lacks_is_left_blank_for_the_validator_to_name(tmp_path: Path) -> None:
    # A school-age child with no UPN, category of need or home postcode: nothing is invented.
    gaps = child(
        "G01",
        D(2012, 6, 1),
        "M",
        (
            PeriodOfCare(
                D(2025, 6, 1),
                episodes=(
                    ep(
                        D(2025, 6, 1),
                        None,
                        "S",
                        "C2",
                        "U4",
                        category_of_need="",
                        home_postcode="",
                        postcode="M40 3QQ",
                    ),
                ),
            ),
        ),
        ethnicity="",
    )
    tables = build_return([gaps], 2026)
    assert tables["Header"][0]["UPN"] == ""
    assert tables["Header"][0]["ETHNIC"] == "NOBT"  # blank means "not yet obtained"
    assert tables["Episodes"][0]["CIN"] == ""
    write_return(tables, tmp_path)
    found = {(i.rule, i.child) for i in validate_return(tmp_path, 2026)}
    # Rule 145 lets a blank category of need through; the other two are named.
    assert {("442", "G01"), ("392b", "G01")} <= found


def test_short_breaks_carry_no_postcodes_mother_or_reviews() -> None:
    respite = child(
        "V01",
        D(2014, 4, 4),
        "F",
        (
            PeriodOfCare(
                D(2025, 8, 1),
                D(2025, 8, 8),
                "E8",
                episodes=(
                    ep(
                        D(2025, 8, 1),
                        D(2025, 8, 8),
                        "S",
                        "V3",
                        "U6",
                        home_postcode="M14 5AA",
                        postcode="M40 3QQ",
                        urn="SC1",
                        reason_ended="E8",
                    ),
                ),
            ),
        ),
        upn="A100000000031",
        mother="0",
        reviews=(review("v01-1", D(2025, 8, 5)),),
    )
    tables = build_return([respite], 2026)
    row = tables["Episodes"][0]
    assert (row["HOME_POST"], row["PL_POST"], row["URN"]) == ("", "", "")
    assert tables["Header"][0]["MOTHER"] == ""
    assert tables["Reviews"] == []


def test_episodes_without_their_903_codes_get_them_from_their_neighbours() -> None:
    # An older record: no RNE, REC or provider code on the episodes, only on the period.
    plain = child(
        "P01",
        D(2012, 6, 1),
        "M",
        (
            PeriodOfCare(
                D(2025, 5, 1),
                D(2025, 12, 1),
                "E4A",
                episodes=(
                    Episode(
                        D(2025, 5, 1),
                        "C1",
                        "U6",
                        category_of_need="N1",
                        provider_kind="in_house",
                        postcode="M40 3QQ",
                    ),
                    Episode(
                        D(2025, 7, 1), "C2", "U6", provider_kind="in_house", postcode="M40 3QQ"
                    ),
                    Episode(D(2025, 9, 1), "C2", "P1", postcode="M14 5AA"),
                ),
            ),
        ),
    )
    rows = build_return([plain], 2026)["Episodes"]
    assert [(r["RNE"], r["CIN"], r["PLACE_PROVIDER"], r["DEC"], r["REC"]) for r in rows] == [
        ("S", "N1", "PR1", "01/07/2025", "X1"),
        ("L", "N1", "PR1", "01/09/2025", "X1"),
        ("P", "N1", "PR0", "01/12/2025", "E4A"),
    ]


# --- the files ------------------------------------------------------------------------------


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    first = write_return(build_return(caseload(), 2026), tmp_path / "a")
    second = write_return(build_return(list(reversed(caseload())), 2026), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_files_are_replaced_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    out = tmp_path / "return" / "2026"  # created as needed
    write_return(build_return(caseload(), 2027), out)
    write_return(build_return(caseload(), 2026), out)
    assert sorted(os.listdir(out)) == sorted(FILE_NAMES.values())
    assert (out / "uasc.csv").read_text("utf-8").splitlines()[1:] == ["C06,M,05/10/2007,05/10/2025"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    write_return(build_return(caseload(), 2026), tmp_path)
    before = (tmp_path / "header.csv").read_bytes()
    bad = build_return(caseload(), 2027)
    bad["Header"][3]["NAME"] = "a column the DfE does not have"
    with pytest.raises(ValueError):
        write_return(bad, tmp_path)
    assert (tmp_path / "header.csv").read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted(FILE_NAMES.values())


def test_an_unknown_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="OC3"):
        write_return({"OC3": []}, tmp_path)
