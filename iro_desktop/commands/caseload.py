"""init, demo-data, caseload, change-passphrase, rekey, backup, restore, add-login, reset-passphrase."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from iro_desktop.cli import (
    UserError,
    ask_new_passphrase,
    ask_passphrase,
    default_login,
    open_session,
    print_json,
)


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create a new encrypted caseload")
    p.add_argument("--name", default="", help="your name as it appears on letters")
    p.add_argument("--role", choices=["iro", "manager"], default="iro")
    p.add_argument("--profile", default=None, help="practice profile (manchester, cheshire_east)")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo-data", help="fill the caseload with a synthetic demo caseload")
    p.add_argument("--children", type=int, default=70)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default today)"
    )
    p.add_argument("--iros", type=int, default=1, help="spread the children across this many IROs")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("caseload", help="list the caseload")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_caseload)

    p = sub.add_parser("change-passphrase", help="change your passphrase (instant)")
    p.set_defaults(handler=cmd_change_passphrase)

    p = sub.add_parser("rekey", help="re-encrypt the caseload under a new key")
    p.set_defaults(handler=cmd_rekey)

    p = sub.add_parser("backup", help="write an encrypted backup file")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace the caseload with a verified backup")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("add-login", help="add a login (e.g. a manager who signs off here)")
    p.add_argument("name")
    p.add_argument("--display-name", default="")
    p.add_argument("--role", choices=["iro", "manager"], default="manager")
    p.set_defaults(handler=cmd_add_login)

    p = sub.add_parser("reset-passphrase", help="set a new passphrase using the recovery code")
    p.set_defaults(handler=cmd_reset)

    p = sub.add_parser("audit", help="show the audit trail")
    p.add_argument("--entity-id", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)


def cmd_init(args: argparse.Namespace) -> int:
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.settings import Settings

    paths = data_paths(args.data_dir)
    settings = Settings()
    if args.profile:
        settings.profile = args.profile
        settings.validated()
    passphrase = ask_new_passphrase() if _no_env_passphrase() else ask_passphrase()
    session, code = create_caseload(
        paths,
        default_login(args),
        passphrase,
        display_name=args.name,
        role=args.role,
        settings=settings,
    )
    session.lock()
    print(f"Created an encrypted caseload in {paths.root}.")
    print(f"Recovery code (write it down and keep it apart from the laptop): {code}")
    return 0


def _no_env_passphrase() -> bool:
    import os

    from iro_desktop.cli import PASSPHRASE_ENV

    return os.environ.get(PASSPHRASE_ENV) is None


def cmd_demo(args: argparse.Namespace) -> int:
    from iro_desktop.services.demo import load_demo

    if not 1 <= args.children <= 20000:
        raise UserError("--children must be between 1 and 20000.")
    session = open_session(args)
    try:
        iros = None
        if args.iros > 1:
            iros = [f"Demo IRO {i + 1}" for i in range(args.iros)]
        n = load_demo(session, args.children, args.seed, args.as_of, iros)
        from iro_desktop.services.demo_letters import set_demo_contact_details

        set_demo_contact_details(session)
    finally:
        session.lock()
    print(f"Added {n} synthetic children (seed {args.seed}).")
    return 0


def cmd_caseload(args: argparse.Namespace) -> int:
    from iro_desktop.services import caseload

    session = open_session(args)
    try:
        rows = caseload.caseload(session)
    finally:
        session.lock()
    if args.json:
        print_json([r.to_json() for r in rows])
    else:
        for r in rows:
            due = r.next_review_due.isoformat() if r.next_review_due else "-"
            print(f"{r.name:32} {r.age:>3} {r.legal_status:3} {r.placement:3} {due:10}  {r.status}")
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from iro_desktop.paths import data_paths
    from iro_desktop.services.access import change_passphrase

    paths = data_paths(args.data_dir)
    old = ask_passphrase("Current passphrase: ")
    new = ask_new_passphrase()
    change_passphrase(paths, default_login(args), old, new)
    print("Passphrase changed.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        import os

        from iro_desktop.cli import PASSPHRASE_ENV

        passphrase = os.environ.get(PASSPHRASE_ENV) or ask_passphrase("Passphrase again: ")
        code = session.rekey(passphrase)
        print("The caseload is now encrypted under a new key.")
        print(f"New recovery code (the old one no longer works): {code}", flush=True)
        session.recovery_code_shown()
    finally:
        session.lock()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        header = session.backup(args.file)
    finally:
        session.lock()
    print(f"Encrypted backup written to {args.file} ({header['database_bytes']} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from iro_desktop.paths import data_paths
    from iro_desktop.services.access import restore_backup

    paths = data_paths(args.data_dir)
    passphrase = ask_passphrase("Passphrase when the backup was made: ")
    n = restore_backup(paths, args.file, default_login(args), passphrase)
    print(f"Restored {n} children from {args.file}; the backup was verified before use.")
    return 0


def cmd_add_login(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        new = ask_new_passphrase()
        session.add_login(args.name, args.display_name or args.name, args.role, new)
    finally:
        session.lock()
    print(f"Added the {args.role} login '{args.name}'.")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    import os

    from iro_desktop.paths import data_paths
    from iro_desktop.services.access import reset_passphrase

    paths = data_paths(args.data_dir)
    code = os.environ.get("IRO_DESKTOP_RECOVERY_CODE")
    if code is None:
        if not sys.stdin.isatty():
            raise UserError("No recovery code: set IRO_DESKTOP_RECOVERY_CODE or run in a terminal.")
        code = input("Recovery code: ")
    reset_passphrase(paths, default_login(args), code, ask_new_passphrase())
    print("Passphrase reset. The recovery code still works; keep it safe.")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from iro_desktop.services import caseload

    session = open_session(args)
    try:
        entries = caseload.audit_trail(session, args.entity_id)
    finally:
        session.lock()
    if args.json:
        print_json([{**e, "at": e["at"].isoformat()} for e in entries])
    else:
        for e in entries:
            print(
                f"{e['at']:%Y-%m-%d %H:%M:%S}  {e['username']:12} {e['action']:7} {e['entity']} {e['entity_id']} {e['detail']}"
            )
    return 0
