"""The service's annual report, service-wide: three IROs' laptops send name-free review facts
through their outboxes to a real sync server (SQLite, and PostgreSQL when
IRO_TEST_DATABASE_URL is set), and the report the manager gets from the server (the HTTP
endpoint, the window's service and `iro-sync-server report annual`) adds up to the laptops'
own annual figures for the same children.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from server_testkit import PASSWORD, POSTGRES_ENV, Backend, cli, seed_users
from server_testkit import http as _http

from iro_desktop.domain import report_facts as domain_facts
from iro_desktop.services import demo, escalations, report_facts, reports, service_report, sync
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import outbox
from iro_desktop.store import repositories as repo
from iro_desktop.sync.client import ServerRefused

REPORT_KEY = "synthetic-service-key-" + "3f9a" * 8  # one service, every laptop
IROS = {"amber.iro": 501, "basil.iro": 502, "cleo.iro": 503}  # demo seeds: different children
YEAR = 2026  # the year ending 31 March 2026: whole, so "as of" is its end everywhere
UNCARRIED = ("Oversight between reviews", "Caseload")  # not in the facts / labelled by IRO


def _laptop(laptop: Any, name: str, server_url: str, seed: int) -> CaseloadSession:
    session = laptop(name, server_url)
    session.settings.report_key = REPORT_KEY
    demo.load_demo(session, 9, seed, iro_names=[name])
    return session


def _added_up(sessions: list[CaseloadSession], start_year: int) -> dict[tuple[str, str], Any]:
    """Each row of the laptops' own annual reports, summed over the laptops."""
    total: dict[tuple[str, str], list[int]] = {}
    for session in sessions:
        for row in reports.annual_report(session, start_year).rows:
            if row.section in UNCARRIED or not isinstance(row.value, int):
                continue
            entry = total.setdefault((row.section, row.label), [0, 0])
            entry[0] += row.value
            entry[1] += row.out_of or 0
    return {key: tuple(v) for key, v in total.items()}


def _sections() -> set[str]:
    return {
        "Reviews",
        "Participation",
        "Consultation forms",
        "Recording",
        "Care planning and attendance",
        "Pathway plan reviews",
        "Escalations",
    }


def _rows(data: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {
        (r["section"], r["figure"]): (r["number"], r["out_of"] or 0)
        for r in data["rows"]
        if r["section"] in _sections() and isinstance(r["number"], int)
    }


def _laptop_rows(sessions: list[CaseloadSession], start_year: int) -> dict[tuple[str, str], Any]:
    added = _added_up(sessions, start_year)
    return {key: value for key, value in added.items() if key[0] in _sections()}


@pytest.fixture(params=["sqlite", "postgres"])
def report_server(request: pytest.FixtureRequest, new_server: Any, tmp_path: Path) -> Any:
    """A running server with the kit's users, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        server = new_server()
    else:
        url = os.environ.get(POSTGRES_ENV)
        if not url:
            pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL run cannot happen.")
        backend = Backend("postgres", tmp_path, postgres_url=url)
        db_args = backend.new_database()
        seed_users(db_args)
        server = new_server(db_args=db_args)
        request.addfinalizer(backend.drop_schemas)
    return server.start()


def test_three_caseloads_add_up_to_the_servers_report(report_server: Any, laptop: Any) -> None:
    server = report_server
    sessions = {name: _laptop(laptop, name, server.url, seed) for name, seed in IROS.items()}
    # Escalations already travel; two disputes in the year reported, one the year after.
    for name, on in (("amber.iro", date(2025, 9, 8)), ("cleo.iro", date(2026, 1, 12))):
        session = sessions[name]
        with session.unit_of_work() as s:
            child = repo.list_children(s)[0]
        escalations.raise_escalation(
            session,
            child_ids=[child.id],
            category="dispute",
            issues=["visits_out_of_timescale", "permanence_drift"],
            outcome_wanted="Visits in timescale.",
            on=on,
            send_to="Tess Teamlead",
        )
    for session in sessions.values():
        with sync.client(session, password=_password()) as client:
            done = client.sync_once(force=True)
        assert done.ok, done.error
        assert done.pushed > 9  # a fact per review and per child, and the escalation events
        assert sync.status(session).unsent == 0

    data = server.get("mo.manager", "/v1/reports/annual", year=YEAR)
    laptops = _laptop_rows(list(sessions.values()), YEAR - 1)
    on_server = _rows(data)
    assert laptops, "the laptops' reports have figures"
    assert on_server == laptops
    # The headline keys, as the issue names them, are those same figures.
    held = laptops[("Reviews", "Reviews held")][0]
    assert held >= 10
    assert data["year"] == YEAR
    assert data["reviews_held"] == held
    assert data["reviews_in_timescale"] == laptops[("Reviews", "Reviews held in timescale")][0]
    assert (
        data["pathway_reviews_held"]
        == laptops[("Pathway plan reviews", "Pathway plan reviews held")][0]
    )
    assert sum(data["pn_codes"].values()) == held
    assert data["escalations_raised"] == 2
    assert data["escalations_by_theme"]["Statutory visits out of timescale"] == 2
    # Caseload: every child allocated on the three laptops, each under its IRO's login.
    caseload = {r["figure"]: r["number"] for r in data["rows"] if r["section"] == "Caseload"}
    for name, session in sessions.items():
        with session.unit_of_work() as s:
            allocated = [
                c
                for c in repo.list_children(s)
                if c.allocated_iro and c.current_period and c.current_period.is_open
            ]
        assert caseload[name] == len(allocated)
    # The year before, beside it, is the laptops' previous year too.
    previous = _laptop_rows(list(sessions.values()), YEAR - 2)
    assert data["previous"]["reviews_held"] == previous[("Reviews", "Reviews held")][0]

    # A change on one laptop is sent again and replaces what the server had.
    amber = sessions["amber.iro"]
    queued = report_facts.queue_changed_facts(amber)
    assert queued.queued == 0 and queued.unchanged > 0  # nothing changed: nothing resent

    # One team only: the north team is Amber and Basil.
    north = server.get("mo.manager", "/v1/reports/annual", year=YEAR, team="north")
    north_laptops = _laptop_rows([sessions["amber.iro"], sessions["basil.iro"]], YEAR - 1)
    assert _rows(north) == north_laptops
    assert north["team"] == "north"


def _password() -> str:
    return PASSWORD


def test_the_manager_page_service_fetches_saves_and_only_managers_may(
    shared_server: Any, laptop: Any, tmp_path: Path
) -> None:
    amber = _laptop(laptop, "amber.iro", shared_server.url, 601)
    with sync.client(amber, password=_password()) as client:
        assert client.sync_once(force=True).ok
        # An IRO is not given the service's report.
        with pytest.raises(ServerRefused) as refused:
            client.service_report(year=YEAR)
        assert refused.value.status == 403
    manager = laptop("mo.manager", shared_server.url)
    with sync.client(manager, password=_password()) as client:
        client.sign_in(_password())
    fetched = service_report.fetch_service_report(manager, YEAR)
    assert fetched.sheet.reviews_held == amber_reviews_held(amber)
    pdf = tmp_path / "service.pdf"
    pages = service_report.save_pdf(manager, fetched, pdf)
    assert pages >= 2 and pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "IRO service annual report 2025/26" in text
    assert "Reviews held and held in timescale, by month" in text  # the charts are drawn
    assert "Participation of children in their reviews, by PN code" in text
    saved = tmp_path / "service.csv"
    rows = service_report.save_csv(manager, fetched, saved)
    assert rows == len(fetched.rows)
    header = saved.read_text("utf-8-sig").splitlines()[0]
    assert header.startswith("Year,Team,Section,Figure,Number,Percentage,Out of,2024/25")

    # A year that is not a reporting year is refused with the reason, not a 500.
    headers = shared_server.headers("mo.manager")
    for bad in ("1999", "abc", "2042"):
        response = _http.get(
            f"{shared_server.url}/v1/reports/annual", params={"year": bad}, headers=headers
        )
        assert response.status_code == 422, response.text
    response = _http.get(
        f"{shared_server.url}/v1/reports/annual",
        params={"year": YEAR, "team": "nobody's team"},
        headers=headers,
    )
    assert response.status_code == 404 and "nobody's team" in response.json()["detail"]


def amber_reviews_held(session: CaseloadSession) -> int:
    return reports.annual_report(session, YEAR - 1).figures.reviews_held


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_facts_carry_no_name_date_of_birth_free_text_or_child_id(laptop: Any) -> None:
    session = _laptop(laptop, "basil.iro", "", 702)
    queued = report_facts.queue_changed_facts(session)
    assert queued.queued > 9 and queued.skipped == 0
    with session.unit_of_work() as s:
        children = repo.list_children(s)
        wire = json.dumps([e.payload for e in outbox.items(s) if e.kind.endswith("_fact")])
    forbidden: list[str] = []
    for child in children:
        forbidden += [child.legal_first_name, child.legal_last_name, child.la_child_id, child.id]
        forbidden += [child.date_of_birth.isoformat(), child.date_of_birth.strftime("%d/%m/%Y")]
        forbidden += [p.name for p in child.people if p.name]
        if child.preferred_name:
            forbidden.append(child.preferred_name)
    leaked = sorted({f for f in forbidden if f and f in wire})
    assert leaked == []
    # Every value is a code, a date, a number, a flag or a keyed hash: no sentence travels.
    for payload in json.loads(wire):
        for key, value in payload.items():
            if isinstance(value, str) and key not in ("id", "author"):
                assert " " not in value or key == "age_band", (key, value)
    # Same child, same key, whoever's laptop; another service's key gives another.
    secret = domain_facts.check_service_key(REPORT_KEY)
    assert domain_facts.pseudonym(secret, "child", "DEMO-1") == domain_facts.pseudonym(
        secret, "child", " DEMO-1"
    )
    other = domain_facts.check_service_key("another-service-key-" + "0" * 20)
    assert domain_facts.pseudonym(other, "child", "DEMO-1") != domain_facts.pseudonym(
        secret, "child", "DEMO-1"
    )
    # Without the key nothing is queued at all.
    session.settings.report_key = ""
    assert report_facts.queue_changed_facts(session).queued == 0


def _fact(**changes: Any) -> dict[str, Any]:
    fact = {
        "kind": "review_fact",
        "id": uuid.uuid4().hex,
        "author": "amber.iro",
        "review_key": "a" * 64,
        "child_key": "b" * 64,
        "review_kind": "looked_after",
        "due_on": "2025-10-01",
        "held_on": "2025-09-29",
        "completed_on": "2025-09-29",
        "review_number": 3,
        "age_band": "11-15",
        "sex": "F",
        "ethnicity": "WBRI",
        "legal_status": "C2",
        "placement_type": "U4",
        "participation_code": "PN1",
        "child_chair": "co_chair",
        "child_attended": True,
        "consulted_before": True,
        "recommendations_issued_on": "2025-10-02",
        "letter_issued_on": "2025-10-10",
        "permanence_plan_agreed": None,
        "social_worker_attended": True,
        "social_worker_report": True,
        "parent_invited": True,
        "parent_attended": False,
        "rearrangements": 0,
        "meetings": 1,
        "extra": False,
        "consultations": [["carer", "2025-09-01", "2025-09-20"]],
    }
    return {**fact, **changes}


def test_a_hostile_fact_is_refused_with_its_reason_and_the_rest_are_kept(
    shared_server: Any,
) -> None:
    headers = shared_server.headers("amber.iro")
    good = _fact(review_key="c" * 64)
    batch = [
        _fact(child_key="Zara Inkwell"),  # a name where the keyed hash goes
        _fact(sex="Female, lives with nan at 4 Elm Road"),  # free text in a code
        _fact(date_of_birth="2014-05-02"),  # a field that must never travel
        _fact(participation_code="PN9"),
        _fact(meetings=-1),
        _fact(held_on="31/03/2026"),
        _fact(author="basil.iro"),  # someone else's
        good,
    ]
    response = _http.post(
        f"{shared_server.url}/v1/push",
        json={"protocol": 1, "client_id": "hostile-test", "items": batch},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    statuses = [r["status"] for r in results]
    assert statuses == ["rejected"] * 7 + ["accepted"]
    reasons = [r["reason"] for r in results[:7]]
    assert "keyed hash" in reasons[0]
    assert "sex" in reasons[1]
    assert "unknown field(s): date_of_birth" in reasons[2]
    assert "PN9" in reasons[3]
    assert "meetings" in reasons[4]
    assert "YYYY-MM-DD" in reasons[5]
    assert "not the signed-in user" in reasons[6]
    # The good fact counts in the report; the refused ones left no trace.
    data = shared_server.get("mo.manager", "/v1/reports/annual", year=YEAR)
    assert data["reviews_held"] >= 1
    # Report facts never go out to other laptops in a pull.
    pulled = shared_server.get("mo.manager", "/v1/pull", since=0)
    assert not [i for i in pulled["items"] if i["item"]["kind"].endswith("_fact")]


def test_the_command_line_report_json_csv_and_pdf(
    new_server: Any, laptop: Any, tmp_path: Path
) -> None:
    server = new_server().start()
    sessions = [_laptop(laptop, name, server.url, seed) for name, seed in IROS.items()]
    for session in sessions:
        with sync.client(session, password=_password()) as client:
            assert client.sync_once(force=True).ok
    db_args = server.db_args
    done = cli(*db_args, "report", "annual", "--year", str(YEAR), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    for key in (
        "year",
        "reviews_held",
        "reviews_in_timescale",
        "pathway_reviews_held",
        "pn_codes",
        "escalations_raised",
        "previous",
        "rows",
    ):
        assert key in data, key
    assert data["year"] == YEAR
    assert set(data["pn_codes"]) >= {f"PN{n}" for n in range(8)}
    assert data["reviews_held"] == sum(amber_reviews_held(s) for s in sessions)

    out = tmp_path / "report.csv"
    done = cli(
        *db_args, "report", "annual", "--year", str(YEAR), "--format", "csv", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[1].startswith("2025/26,All teams,Reviews,Reviews held,")

    pdf = tmp_path / "report.pdf"
    done = cli(
        *db_args, "report", "annual", "--year", str(YEAR), "--format", "pdf", "--out", str(pdf)
    )
    assert done.returncode == 0, done.stderr
    assert "IRO service annual report 2025/26" in _pdf_text(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
            check=True,
            timeout=60,
        )

    bad = cli(*db_args, "report", "annual", "--year", "1999", "--format", "json")
    assert bad.returncode == 2 and "2001 to 2041" in bad.stderr
    nobody = cli(*db_args, "report", "annual", "--year", str(YEAR), "--team", "west")
    assert nobody.returncode == 2 and "west" in nobody.stderr
