"""The `iro-sync-server` command as an administrator uses it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from server_testkit import PASSWORD, Backend, cli, free_port, new_escalation, push, sign_in

from iro_desktop.server.db import Database, head_revision
from iro_desktop.server.stats import stats

ENV = {"IRO_SYNC_PASSWORD": PASSWORD}


def test_users_made_on_the_command_line_can_sign_in_and_stats_count_their_work(
    backend: Backend, fresh_server: Any
) -> None:
    db = backend.new_database()
    made = cli(
        *db,
        "add-user",
        "amber.iro",
        "--role",
        "iro",
        "--team",
        "north",
        "--manager",
        "mo.manager",
        env=ENV,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Added iro 'amber.iro'."
    assert (
        cli(
            *db, "add-user", "mo.manager", "--role", "manager", "--team", "north", env=ENV
        ).returncode
        == 0
    )

    server = fresh_server(db_args=db)
    with server.client() as client:
        amber = sign_in(client, "amber.iro")
        push(client, amber, *new_escalation("amber.iro"))
        assert client.get("/v1/escalations", headers=sign_in(client, "mo.manager")).json()[
            "escalations"
        ]

        shown = cli(*db, "stats", "--json")
        assert shown.returncode == 0, shown.stderr
        counts = json.loads(shown.stdout)
        assert counts["database"] == backend.name.replace("postgres", "postgresql")
        assert (counts["users"], counts["escalations"], counts["escalation_events"]) == (2, 1, 2)
        assert counts["audit_entries"] >= 4

        # A consistent copy while the server runs (SQLite; PostgreSQL has pg_dump).
        copy = backend.tmp / f"backup-{counts['last_seq']}-{id(db)}.sqlite3"
        backed_up = cli(*db, "backup", str(copy))
        if backend.name == "sqlite":
            assert backed_up.returncode == 0, backed_up.stderr
            copied = Database(f"sqlite:///{copy}")
            assert (stats(copied)["users"], stats(copied)["escalation_events"]) == (2, 2)
            copied.dispose()
        else:
            assert backed_up.returncode == 2
            assert "back up PostgreSQL with pg_dump" in backed_up.stderr

        # A leaver: their sessions end at once and they cannot sign in again.
        assert cli(*db, "deactivate-user", "amber.iro").returncode == 0
        assert client.get("/v1/pull", headers=amber).json()["detail"] == "invalid token"
        refused = client.post(
            "/v1/auth/token", json={"username": "amber.iro", "password": PASSWORD}
        )
        assert refused.status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add-user", "amber iro", "--role", "iro"], "'amber iro' is not a usable user name"),
        (["add-user", "amber.iro", "--role", "iro"], "at least 10 characters"),
        (["serve", "--token-lifetime", "0"], "--token-lifetime must be more than 0 seconds"),
        (["serve", "--profile", "atlantis"], "'atlantis' is neither a built-in protocol"),
    ],
)
def test_mistakes_are_reported_plainly_with_a_failing_exit_code(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = cli("--data-dir", str(tmp_path), *args, env={"IRO_SYNC_PASSWORD": "short"})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_user_name_can_only_be_used_once(tmp_path: Path) -> None:
    assert (
        cli(
            "--data-dir", str(tmp_path), "add-user", "amber.iro", "--role", "iro", env=ENV
        ).returncode
        == 0
    )
    again = cli("--data-dir", str(tmp_path), "add-user", "amber.iro", "--role", "manager", env=ENV)
    assert again.returncode == 2
    assert "There is already a user called 'amber.iro'." in again.stderr


def test_a_role_outside_the_three_is_refused(tmp_path: Path) -> None:
    result = cli("--data-dir", str(tmp_path), "add-user", "zed", "--role", "director", env=ENV)
    assert result.returncode == 2
    assert "invalid choice: 'director'" in result.stderr


def test_a_practice_profile_file_sets_the_protocol_and_closure_days(
    backend: Backend, fresh_server: Any, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.toml"
    root = Path(__file__).resolve().parents[2]
    text = (root / "resources" / "profiles" / "cheshire_east.toml").read_text()
    profile.write_text(text.replace("closure_days = []", 'closure_days = ["2024-03-05"]'))
    server = fresh_server(extra=("--profile", str(profile)))
    with server.client() as client:
        amber = sign_in(client, "amber.iro")
        first = new_escalation("amber.iro")[0]
        push(client, amber, first)
        (shown,) = client.get("/v1/escalations", headers=amber).json()["escalations"]
        assert shown["next_stage"] == "informal_alert"
        assert shown["overall_deadline"] == "2024-04-04"  # one day later for the closure


def test_check_names_each_problem_on_its_own_line_until_the_server_is_ready(
    backend: Backend,
) -> None:
    db = backend.new_database()
    empty = cli(*db, "check")
    assert empty.returncode == 1
    if backend.name == "sqlite":
        assert empty.stdout.startswith("There is no database at ")
        assert empty.stdout.strip().endswith("yet: run `iro-sync-server migrate` to create it.")
    else:
        assert empty.stdout == (
            "The database has no tables yet: run `iro-sync-server migrate` to create them.\n"
        )

    made = cli(*db, "migrate")
    assert (made.returncode, made.stdout) == (
        0,
        f"Created the sync server's tables (schema {head_revision()}).\n",
    )
    nobody = cli(*db, "check")
    assert (nobody.returncode, nobody.stdout) == (
        1,
        "No one can sign in: add users with `iro-sync-server add-user NAME --role ...`.\n",
    )

    assert cli(*db, "add-user", "ada.admin", "--role", "admin", env=ENV).returncode == 0
    ready = cli(*db, "check", "--profile", "cheshire_east")
    assert ready.returncode == 0, ready.stdout
    (line,) = ready.stdout.splitlines()
    assert line.startswith(f"All good: {backend.name.replace('postgres', 'postgresql')} database ")
    assert (
        f"at schema {head_revision()} (current), 1 active users; escalation protocol Cheshire East"
    ) in line

    # The service's own settings are checked too, each problem once, nothing else said.
    wrong = cli(
        *db,
        "check",
        "--profile",
        "atlantis",
        "--max-body-bytes",
        "0",
        env={"IRO_SYNC_TOKEN_LIFETIME": "soon", "IRO_SYNC_FAULT_PAUSE_BEFORE_COMMIT": "/tmp/x"},
    )
    assert wrong.returncode == 1
    assert wrong.stdout.splitlines() == [
        "'atlantis' is neither a built-in protocol (manchester, cheshire_east) nor a "
        "practice-profile TOML file.",
        "IRO_SYNC_TOKEN_LIFETIME must be a number of seconds, not 'soon'.",
        "--max-body-bytes must be more than 0, not 0.",
        "IRO_SYNC_FAULT_PAUSE_BEFORE_COMMIT is set: it is for tests only and makes every push "
        "pause; remove it from the service's environment.",
    ]
    assert "Traceback" not in wrong.stderr


def test_check_says_why_a_database_cannot_be_used_without_showing_its_password(
    tmp_path: Path,
) -> None:
    port = free_port()  # nothing listens there
    unreachable = cli(
        "--database-url", f"postgresql+psycopg://iro_sync:s3cret-pw@127.0.0.1:{port}/iro", "check"
    )
    assert unreachable.returncode == 1
    assert unreachable.stdout.startswith(
        f"Cannot use the database postgresql+psycopg://iro_sync:***@127.0.0.1:{port}/iro: "
    )
    assert "Connection refused" in unreachable.stdout
    assert "s3cret-pw" not in unreachable.stdout + unreachable.stderr

    garbage = tmp_path / "iro-sync.sqlite3"
    garbage.write_bytes(b"not a database, a power cut's leftovers" * 100)
    damaged = cli("--data-dir", str(tmp_path), "check")
    assert (damaged.returncode, damaged.stdout) == (
        1,
        f"Cannot use the database sqlite:///{garbage}: file is not a database\n",
    )

    nowhere = cli("check")
    assert (nowhere.returncode, nowhere.stdout) == (
        1,
        "Give --data-dir DIR (SQLite there) or --database-url URL.\n",
    )
