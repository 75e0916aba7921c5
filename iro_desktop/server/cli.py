"""`iro-sync-server`: run the sync service and manage its users.

    iro-sync-server --data-dir DIR add-user NAME --role iro|manager|admin [--team T] [--manager M]
    iro-sync-server --data-dir DIR serve --host 127.0.0.1 --port 8765
    iro-sync-server --data-dir DIR stats --json
    iro-sync-server --data-dir DIR backup /safe/place/iro-sync-2024-03-04.sqlite3

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from iro_desktop.server.config import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TOKEN_LIFETIME,
    FAULT_PAUSE_ENV,
    ServerConfig,
    database_url,
    env_seconds,
    load_profile,
)

PASSWORD_ENV = "IRO_SYNC_PASSWORD"


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

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--token-lifetime",
        type=float,
        help="seconds a sign-in lasts (env IRO_SYNC_TOKEN_LIFETIME; default "
        f"{int(DEFAULT_TOKEN_LIFETIME.total_seconds())})",
    )
    serve.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    serve.add_argument(
        "--profile",
        default=os.environ.get("IRO_SYNC_PROFILE", "manchester"),
        help="escalation protocol: manchester, cheshire_east, or a practice-profile TOML "
        "file (env IRO_SYNC_PROFILE)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of reverse proxies trusted for X-Forwarded-For / -Proto",
    )

    backup = commands.add_parser(
        "backup", help="copy the SQLite database safely, even while serving"
    )
    backup.add_argument("destination", type=Path, help="a new file to write")

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


def _token_lifetime(seconds: float | None) -> timedelta:
    if seconds is not None:
        if seconds <= 0:
            raise ValueError(f"--token-lifetime must be more than 0 seconds, not {seconds}.")
        return timedelta(seconds=seconds)
    return env_seconds("IRO_SYNC_TOKEN_LIFETIME") or DEFAULT_TOKEN_LIFETIME


def _serve(args: argparse.Namespace, url: str) -> None:
    import uvicorn

    from iro_desktop.server.app import create_app

    protocol, calendar = load_profile(args.profile)
    marker = os.environ.get(FAULT_PAUSE_ENV)
    config = ServerConfig(
        database_url=url,
        token_lifetime=_token_lifetime(args.token_lifetime),
        max_body_bytes=args.max_body_bytes,
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


def _run(args: argparse.Namespace) -> int:
    from iro_desktop.server import auth
    from iro_desktop.server.db import Database

    url = database_url(args.data_dir, args.database_url)
    if args.command == "serve":
        _serve(args, url)
        return 0
    db = Database(url)
    try:
        db.create_schema()
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
        elif args.command == "backup":
            db.backup_to(args.destination)
            print(f"Backed up to {args.destination}.")
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
    try:
        return _run(args)
    except ValueError as error:
        print(f"iro-sync-server: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(error, SQLAlchemyError):
            raise
        cause = getattr(error, "orig", None) or error
        print(f"iro-sync-server: database error: {cause}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
