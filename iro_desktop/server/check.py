"""`iro-sync-server check`: is this configuration ready to serve? Changes nothing.

Each problem is one line an administrator can act on; none means ready. The same options as
`serve` are read, so the check can run with the service's own command line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from iro_desktop.server.config import (
    FAULT_PAUSE_ENV,
    check_max_body_bytes,
    database_url,
    load_profile,
    token_lifetime,
)
from iro_desktop.server.db import Database
from iro_desktop.server.tables import User


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # what was found fine, for the summary

    def summary(self) -> str:
        return "All good: " + "; ".join(self.facts) + "."


def _one_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return " ".join(str(cause).split()) or type(cause).__name__


def check(
    *,
    data_dir: Path | None,
    url: str | None,
    profile: str,
    lifetime_seconds: float | None,
    max_body_bytes: int,
) -> Report:
    report = Report()
    try:
        protocol, _ = load_profile(profile)
        report.facts.append(f"escalation protocol {protocol.name}")
    except ValueError as error:
        report.problems.append(str(error))
    for setting in (
        lambda: token_lifetime(lifetime_seconds),
        lambda: check_max_body_bytes(max_body_bytes),
    ):
        try:
            setting()
        except ValueError as error:
            report.problems.append(str(error))
    if os.environ.get(FAULT_PAUSE_ENV):
        report.problems.append(
            f"{FAULT_PAUSE_ENV} is set: it is for tests only and makes every push pause; "
            "remove it from the service's environment."
        )
    _check_database(report, data_dir, url)
    return report


def _check_database(report: Report, data_dir: Path | None, url: str | None) -> None:
    try:
        raw = database_url(data_dir, url, create=False)
    except ValueError as error:
        report.problems.append(str(error))
        return
    try:
        parsed = make_url(raw)
    except ArgumentError:
        report.problems.append(
            "The database URL is not one SQLAlchemy can read: expected e.g. "
            "postgresql+psycopg://USER@HOST/DATABASE."
        )
        return
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:" or path.startswith("file::memory:"):
            report.problems.append(
                "An in-memory SQLite database loses everything when the server stops: "
                "give --data-dir or a PostgreSQL --database-url."
            )
            return
        if not Path(path).is_file():
            report.problems.append(
                f"There is no database at {path} yet: run `iro-sync-server migrate` to create it."
            )
            return
    try:
        db = Database(raw)
    except (ImportError, ArgumentError) as error:
        report.problems.append(
            f"No database driver for {parsed.drivername} ({_one_line(error)}); for PostgreSQL "
            "install iro-desktop[postgres] and use postgresql+psycopg://..."
        )
        return
    try:
        state = db.schema_state()
        problem = state.problem()
        if problem:
            report.problems.append(problem)
            return
        with db.read() as session:
            active = session.execute(
                select(func.count(User.id)).where(User.active.is_(True))
            ).scalar_one()
    except SQLAlchemyError as error:
        report.problems.append(f"Cannot use the database {shown}: {_one_line(error)}")
        return
    finally:
        db.dispose()
    if not active:
        report.problems.append(
            "No one can sign in: add users with `iro-sync-server add-user NAME --role ...`."
        )
        return
    report.facts.insert(
        0,
        f"{db.backend} database {shown} at schema {state.current} (current), {active} active users",
    )
