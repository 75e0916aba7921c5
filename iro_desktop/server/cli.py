"""`iro-sync-server`: run the sync service and manage its users.

    iro-sync-server --data-dir DIR migrate      # create or upgrade the tables (back up first)
    iro-sync-server --data-dir DIR add-user NAME --role iro|manager|admin [--team T] [--manager M]
    iro-sync-server --data-dir DIR check        # configuration, database, schema: one line each
    iro-sync-server --data-dir DIR serve --host 127.0.0.1 --port 8765
    iro-sync-server --data-dir DIR stats --json
    iro-sync-server --data-dir DIR backup /safe/place/iro-sync-2024-03-04.sqlite3
    iro-sync-server --data-dir DIR report annual --year 2026 [--team T] --format pdf|csv|json

--database-url postgresql+psycopg://... replaces the SQLite file in --data-dir. Passwords come
from a prompt, or from the IRO_SYNC_PASSWORD environment variable for scripted set-up.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from iro_desktop.server.config import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TOKEN_LIFETIME,
    FAULT_PAUSE_ENV,
    ServerConfig,
    check_max_body_bytes,
    database_url,
    load_profile,
    token_lifetime,
)

if TYPE_CHECKING:
    from iro_desktop.server.db import Database

PASSWORD_ENV = "IRO_SYNC_PASSWORD"
# Exit codes: 1 the database cannot be reached (worth retrying), 2 a mistake in the command or
# configuration, 3 the database needs `migrate` or is from a newer version (not worth retrying).
EXIT_DATABASE, EXIT_USAGE, EXIT_SCHEMA = 1, 2, 3


def _settings_parser() -> argparse.ArgumentParser:
    """The service's settings, shared by `serve` and `check`."""
    settings = argparse.ArgumentParser(add_help=False)
    settings.add_argument(
        "--token-lifetime",
        type=float,
        help="seconds a sign-in lasts (env IRO_SYNC_TOKEN_LIFETIME; default "
        f"{int(DEFAULT_TOKEN_LIFETIME.total_seconds())})",
    )
    settings.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    settings.add_argument(
        "--profile",
        default=os.environ.get("IRO_SYNC_PROFILE", "manchester"),
        help="escalation protocol: manchester, cheshire_east, or a practice-profile TOML "
        "file (env IRO_SYNC_PROFILE)",
    )
    return settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iro-sync-server",
        description="Sync service for IRO Desktop: escalations and sign-off between IROs "
        "and their managers.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=os.environ.get("IRO_SYNC_DATA_DIR"),
        help="folder for the SQLite database (env IRO_SYNC_DATA_DIR)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("IRO_SYNC_DATABASE_URL"),
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (env IRO_SYNC_DATABASE_URL)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    settings = _settings_parser()

    commands.add_parser(
        "migrate",
        help="create the tables in an empty database, or upgrade them after installing a new "
        "version (back the database up first)",
    )
    commands.add_parser(
        "check",
        parents=[settings],
        help="check the configuration, the database connection and the schema; one line per "
        "problem, exit 0 only when all is well",
    )

    add = commands.add_parser("add-user", help="create a user (password prompted)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("iro", "manager", "admin"))
    add.add_argument("--team", help="team name; a manager sees the records of their team")
    add.add_argument("--manager", help="the user name of this IRO's manager")

    password = commands.add_parser("set-password", help="change a password (signs them out)")
    password.add_argument("name")

    deactivate = commands.add_parser(
        "deactivate-user", help="stop a user signing in and end their sessions"
    )
    deactivate.add_argument("name")

    serve = commands.add_parser("serve", parents=[settings], help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of reverse proxies trusted for X-Forwarded-For / -Proto",
    )

    backup = commands.add_parser(
        "backup", help="copy the SQLite database safely, even while serving"
    )
    backup.add_argument("destination", type=Path, help="a new file to write")

    report = commands.add_parser(
        "report",
        parents=[settings],
        help="the service's annual report from the laptops' name-free review facts",
    )
    report.add_argument("which", choices=("annual",))
    report.add_argument(
        "--year", type=int, required=True, help="the reporting year ending 31 March YEAR"
    )
    report.add_argument("--team", help="one team only (default: the whole service)")
    report.add_argument("--format", choices=("pdf", "csv", "json"), default="json")
    report.add_argument("--out", type=Path, help="file to write (needed for pdf)")
    report.add_argument(
        "--minutes-days",
        type=int,
        choices=(15, 20),
        help="working days for the letter to the child (default: the profile's)",
    )
    report.add_argument("--service-name", default="IRO service", help="printed on the PDF")

    show = commands.add_parser("stats", help="counts of users, escalations and events")
    show.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _read_password(confirm: bool = True) -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Password again: ") != first:
        raise ValueError("The two passwords were not the same.")
    return first


def _serve(args: argparse.Namespace, url: str) -> None:
    import uvicorn

    from iro_desktop.server.app import create_app

    protocol, calendar = load_profile(args.profile)
    marker = os.environ.get(FAULT_PAUSE_ENV)
    config = ServerConfig(
        database_url=url,
        token_lifetime=token_lifetime(args.token_lifetime),
        max_body_bytes=check_max_body_bytes(args.max_body_bytes),
        protocol=protocol,
        calendar=calendar,
        fault_pause_marker=Path(marker) if marker else None,
    )
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        server_header=False,
        log_level="info",
    )


def _check(args: argparse.Namespace) -> int:
    from iro_desktop.server.check import check

    report = check(
        data_dir=args.data_dir,
        url=args.database_url,
        profile=args.profile,
        lifetime_seconds=args.token_lifetime,
        max_body_bytes=args.max_body_bytes,
    )
    for problem in report.problems:
        print(problem)
    if report.problems:
        return 1
    print(report.summary())
    return 0


def _migrate(db: Database) -> None:
    before, after = db.migrate()
    if before.empty:
        print(f"Created the sync server's tables (schema {after}).")
    elif before.current == after:
        print(f"The database is already at the current schema ({after}); nothing to do.")
    else:
        was = before.current or "made before migrations"
        print(f"Upgraded the database from schema {was} to {after}.")


def _report(args: argparse.Namespace, db: Database) -> int:
    """The service's annual report: JSON, CSV for the council's analysts, or a PDF with charts."""
    from iro_desktop.server.app import london_today
    from iro_desktop.server.service_report import (
        UnknownTeam,
        annual_report,
        csv_text,
        json_text,
    )

    protocol, calendar = load_profile(args.profile)
    config = ServerConfig(database_url=db.url, protocol=protocol, calendar=calendar)
    try:
        report = annual_report(
            db,
            config,
            year=args.year,
            team=args.team,
            today=london_today(),
            minutes_days=args.minutes_days,
        )
    except (UnknownTeam, ValueError) as error:
        print(str(error).strip("'\""), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "pdf":
        if args.out is None:
            print("Give --out FILE for a PDF.", file=sys.stderr)
            return EXIT_USAGE
        import json

        from iro_desktop.pdf.service_report_pdf import ReportSheet, render_service_report

        sheet = ReportSheet.from_json(json.loads(json_text(report)))
        render_service_report(sheet, args.out, service_name=args.service_name)
        print(f"Wrote the {report.this.label} report to {args.out}.")
        return 0
    text = csv_text(report) if args.format == "csv" else json_text(report) + "\n"
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"Wrote the {report.this.label} report to {args.out}.")
    else:
        sys.stdout.write(text)
    return 0


def _run(args: argparse.Namespace) -> int:
    from iro_desktop.server import auth
    from iro_desktop.server.db import Database

    if args.command == "check":
        return _check(args)
    url = database_url(args.data_dir, args.database_url)
    if args.command == "serve":
        _serve(args, url)
        return 0
    db = Database(url)
    try:
        if args.command == "migrate":
            _migrate(db)
        elif args.command == "backup":
            db.backup_to(args.destination)  # works on any revision: it comes before `migrate`
            print(f"Backed up to {args.destination}.")
        else:
            db.create_schema()
        if args.command == "report":
            return _report(args, db)
        if args.command == "stats":
            from iro_desktop.server.stats import stats

            counts = stats(db)
            if args.json:
                print(json.dumps(counts, indent=2))
            else:
                for name, value in counts.items():
                    print(f"{name.replace('_', ' ')}: {value}")
        elif args.command == "add-user":
            password = _read_password()
            with db.write() as session:
                auth.add_user(
                    session,
                    name=args.name,
                    role=args.role,
                    password=password,
                    now=datetime.now(UTC),
                    team=args.team,
                    manager_name=args.manager,
                )
            print(f"Added {args.role} '{args.name}'.")
        elif args.command == "set-password":
            password = _read_password()
            with db.write() as session:
                auth.set_password(session, args.name, password)
            print(f"Changed the password of '{args.name}'; their sessions have ended.")
        elif args.command == "deactivate-user":
            with db.write() as session:
                auth.deactivate_user(session, args.name)
            print(f"'{args.name}' can no longer sign in; their sessions have ended.")
    finally:
        db.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from iro_desktop.server.db import SchemaNotReady

    try:
        return _run(args)
    except SchemaNotReady as error:
        print(f"iro-sync-server: {error}", file=sys.stderr)
        return EXIT_SCHEMA
    except ValueError as error:
        print(f"iro-sync-server: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(error, SQLAlchemyError):
            raise
        cause = getattr(error, "orig", None) or error
        print(f"iro-sync-server: database error: {cause}", file=sys.stderr)
        return EXIT_DATABASE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
