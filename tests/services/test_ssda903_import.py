"""Importing the council's SSDA903 files into an empty (or hand-started) caseload."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iro_desktop.services import caseload
from iro_desktop.services import children as children_service
from iro_desktop.services import reviews as reviews_service
from iro_desktop.services import ssda903_import as imp

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    "PL_POST,URN\n"
)
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE\n"


def council_files(folder: Path, *, extra_episode: str = "", extra_review: str = "") -> Path:
    """Three children as LCS or Mosaic would extract them (names in a separate file)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "903_header_2026.csv").write_text(
        HEADER
        + "C100,F,04/05/2015,WBRI,UN2,0,\n"
        + "C200,M,10/01/2024,BAFR,UN1,,\n"
        + "C300,M,01/02/2009,WOTH,UN2,,\n",
        encoding="utf-8",
    )
    (folder / "episodes.csv").write_text(
        EPISODES
        + "C100,02/03/2026,S,C1,N1,U6,PR1,01/06/2026,X1,CARPL,M9 9ZZ,M1 1AA,\n"
        + "C100,01/06/2026,P,C1,N1,U4,PR4,,,,M9 9ZZ,M2 2BB,\n"
        + "C200,06/07/2026,S,C1,N1,U3,PR1,,,,M8 8YY,M3 3CC,\n"
        + "C300,01/09/2025,S,V2,N4,K2,PR4,03/04/2026,E4A,,M7 7XX,M4 4DD,SC123456\n"
        + extra_episode,
        encoding="utf-8",
    )
    (folder / "reviews.csv").write_text(
        REVIEWS
        + "C100,04/05/2015,27/03/2026,PN1\n"
        + "C100,04/05/2015,22/06/2026,PN6\n"
        + "C200,10/01/2024,31/07/2026,PN0\n"
        + "C300,01/02/2009,29/09/2025,PN1\n"
        + extra_review,
        encoding="utf-8",
    )
    return folder


def names_file(path: Path) -> Path:
    path.write_text(
        "CHILD,NAME,PREFERRED_NAME\nC100,Amira Testwood,Mimi\nC200,Kofi Testman,\n"
        "C300,Lev Example,\n",
        encoding="utf-8",
    )
    return path


def test_a_new_iro_imports_the_councils_files_and_sees_every_due_date(session, tmp_path):
    folder = council_files(tmp_path / "903")
    plan = imp.plan_import(session, folder, names_file(tmp_path / "names.csv"))
    assert plan.ok, plan.problems
    assert plan.summary_lines()[:2] == ["3 children to add", "0 children to update"]
    assert caseload.caseload(session) == []  # a plan writes nothing

    result = imp.apply_import(session, plan)
    assert result.children_added == 3 and result.reviews_added == 4
    rows = {r.name: r for r in caseload.caseload(session)}
    assert set(rows) == {"Amira Testwood", "Kofi Testman", "Lev Example"}
    # Reviews held 27 March and 22 June: the third is due six months after the second.
    assert rows["Amira Testwood"].next_review_due == date(2026, 12, 22)
    assert rows["Amira Testwood"].preferred_name == "Mimi"
    # Kofi's first review was on 31 July: the second is due 3 months later.
    assert rows["Kofi Testman"].next_review_due == date(2026, 10, 31)
    assert rows["Lev Example"].status == "Left care"

    amira = children_service.find(session, "C100")
    (period,) = amira.periods
    assert [e.placement_type for e in period.episodes] == ["U6", "U4"]
    assert period.episodes[0].reason_place_change == "CARPL"
    held = sorted(amira.reviews, key=lambda r: r.due_date)
    assert [(r.timeliness_date, r.pn_code) for r in held] == [
        (date(2026, 3, 27), "PN1"),
        (date(2026, 6, 22), "PN6"),
    ]
    # The first review was due 20 working days after 2 March: held in time.
    assert held[0].in_timescale is True
    assert len(reviews_service.list_reviews(session, amira.id)) == 2
    assert any(e["action"] == "import" for e in caseload.audit_trail(session))


def test_importing_the_same_files_again_changes_nothing(session, tmp_path):
    folder = council_files(tmp_path / "903")
    names = names_file(tmp_path / "names.csv")
    imp.apply_import(session, imp.plan_import(session, folder, names))
    again = imp.plan_import(session, folder, names)
    assert again.ok and not again.changes_anything
    assert again.unchanged == 3
    assert "Nothing would change" in again.summary_lines()[-1]


def test_a_newer_extract_updates_what_changed_and_never_doubles_a_review(session, tmp_path):
    folder = council_files(tmp_path / "903")
    imp.apply_import(session, imp.plan_import(session, folder))
    # Next month's extract: C200 moved placement; one new review; the old ones again.
    newer = council_files(
        tmp_path / "newer",
        extra_review="C100,04/05/2015,20/11/2026,PN1\n",
    )
    text = (newer / "episodes.csv").read_text()
    text = text.replace(
        "C200,06/07/2026,S,C1,N1,U3,PR1,,,,M8 8YY,M3 3CC,\n",
        "C200,06/07/2026,S,C1,N1,U3,PR1,02/11/2026,X1,CARPL,M8 8YY,M3 3CC,\n"
        "C200,02/11/2026,P,C1,N1,U6,PR1,,,,M8 8YY,M5 5EE,\n",
    )
    (newer / "episodes.csv").write_text(text)
    plan = imp.plan_import(session, newer)
    assert plan.ok, plan.problems
    assert [c for c, _ in plan.changed] == ["C200"]
    assert plan.episodes_added == 1 and len(plan.reviews) == 1
    imp.apply_import(session, plan)
    kofi = children_service.find(session, "C200")
    assert [e.placement_type for e in kofi.periods[0].episodes] == ["U3", "U6"]
    amira = children_service.find(session, "C100")
    assert len([r for r in amira.reviews if r.kind == "looked_after"]) == 3


def test_a_child_typed_by_hand_is_matched_not_doubled_and_keeps_their_name(session, tmp_path):
    children_service.add_child(
        session,
        children_service.ChildDetails(
            legal_first_name="Amira",
            legal_last_name="Handtyped",
            date_of_birth=date(2015, 5, 4),
            sex="F",
            la_child_id="C100",
        ),
    )
    imp.apply_import(session, imp.plan_import(session, council_files(tmp_path / "903")))
    names = sorted(r.name for r in caseload.caseload(session))
    assert names == ["Amira Handtyped", "Child C200", "Child C300"]


def test_every_problem_is_reported_at_once_and_nothing_is_written(session, tmp_path):
    folder = council_files(
        tmp_path / "903",
        # Section 20 with parents (DfE 378), and a 2-year-old given PN1 (DfE 441).
        extra_episode="",
        extra_review="C200,10/01/2024,03/08/2026,PN1\n",
    )
    text = (folder / "episodes.csv").read_text()
    (folder / "episodes.csv").write_text(
        text.replace("C300,01/09/2025,S,V2,N4,K2,PR4", "C300,01/09/2025,S,V2,N4,P1,PR0")
    )
    plan = imp.plan_import(session, folder)
    assert not plan.ok
    joined = "\n".join(plan.problems)
    assert "378" in joined and "episodes.csv" in joined
    assert "441" in joined and "reviews.csv line 6" in joined
    with pytest.raises(ValueError, match="nothing was imported"):
        imp.apply_import(session, plan)
    assert caseload.caseload(session) == []


def test_a_plan_made_before_the_caseload_changed_is_refused(session, tmp_path):
    plan = imp.plan_import(session, council_files(tmp_path / "903"))
    children_service.add_child(
        session,
        children_service.ChildDetails(
            legal_first_name="Other",
            legal_last_name="Child",
            date_of_birth=date(2016, 1, 1),
            sex="M",
            la_child_id="C999",
        ),
    )
    with pytest.raises(ValueError, match="changed after the preview"):
        imp.apply_import(session, plan)
    assert [r.name for r in caseload.caseload(session)] == ["Other Child"]


def test_a_crash_half_way_through_the_import_leaves_the_caseload_as_it_was(
    session, tmp_path, monkeypatch
):
    plan = imp.plan_import(session, council_files(tmp_path / "903"))
    from iro_desktop.store import review_repository

    calls = {"n": 0}
    real = review_repository.insert_new_reviews

    def dies_after_the_first_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(*args, **kwargs)
        raise OSError("simulated power cut")

    monkeypatch.setattr(review_repository, "insert_new_reviews", dies_after_the_first_write)
    with pytest.raises(OSError):
        imp.apply_import(session, plan)
    assert caseload.caseload(session) == []
