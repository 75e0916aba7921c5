"""The `iro-desktop` command: the window by default, sub-commands for automation.

Every sub-command goes through the same services as the window. A person's mistake gets one
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from iro_desktop import __version__

PASSPHRASE_ENV = "IRO_DESKTOP_PASSPHRASE"  # for automation; documented in the README
NEW_PASSPHRASE_ENV = "IRO_DESKTOP_NEW_PASSPHRASE"

# Modules that add sub-commands: each has register(subparsers) -> None.
COMMAND_MODULES = [
    "iro_desktop.commands.caseload",
    "iro_desktop.commands.children",
    "iro_desktop.commands.reviews",
    "iro_desktop.commands.due",
    "iro_desktop.commands.letters",
    "iro_desktop.commands.escalations",
]


class UserError(Exception):
    """A mistake the person can fix; printed as one line."""


def ask_passphrase(prompt: str = "Passphrase: ", env: str = PASSPHRASE_ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"No passphrase: set {env} or run in a terminal to be asked.")
    return getpass.getpass(prompt)


def ask_new_passphrase() -> str:
    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"No new passphrase: set {NEW_PASSPHRASE_ENV} or run in a terminal.")
    first = getpass.getpass("New passphrase: ")
    if first != getpass.getpass("New passphrase again: "):
        raise UserError("The two passphrases are different; nothing was changed.")
    return first


def default_login(args: argparse.Namespace) -> str:
    if args.user:
        return str(args.user)
    from iro_desktop.paths import data_paths
    from iro_desktop.settings import Settings

    settings = Settings.load(data_paths(args.data_dir).settings)
    if settings.last_login:
        return settings.last_login
    try:
        return getpass.getuser()
    except Exception:
        return "iro"


def open_session(args: argparse.Namespace) -> Any:
    """Unlock the caseload named by --data-dir for a sub-command."""
    from iro_desktop.paths import data_paths
    from iro_desktop.services import open_caseload

    paths = data_paths(args.data_dir)
    if not paths.keyfile.exists():
        raise UserError(
            f"There is no caseload in {paths.root}. Create one with 'iro-desktop init'."
        )
    session = open_caseload(paths, default_login(args), ask_passphrase())
    if session.settings_problem:  # reported, never a reason not to open
        print(f"iro-desktop: {session.settings_problem}", file=sys.stderr)
    code = session.take_new_recovery_code()
    if code:  # the unlock finished a re-encryption a crash interrupted; stderr keeps --json clean
        print(
            "iro-desktop: an interrupted re-encryption was finished. New recovery code (write it "
            f"down; the old one no longer works): {code}",
            file=sys.stderr,
        )
        session.recovery_code_shown()
    return session


def day_argument(text: str) -> date:
    """An argparse type for a date on the command line (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD."
        ) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=_json_default, ensure_ascii=False)
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iro-desktop",
        description="IRO Desktop: the caseload, reviews, letters and escalations of an "
        "Independent Reviewing Officer. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"iro-desktop {__version__}")
    parser.add_argument("--data-dir", help="the caseload's folder (default: your data folder)")
    parser.add_argument("--user", help="login name (default: the last one used here)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a fresh demo caseload in a temporary folder",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub)
    return parser


def run_gui(args: argparse.Namespace) -> int:
    from iro_desktop.app import run_window

    return run_window(data_dir=args.data_dir, demo=args.demo, user=args.user)


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they only ask for the window, parsed without importing every
    sub-command module (start-up time: the window is what most people start)."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--user")
    pre.add_argument("--demo", action="store_true")
    try:
        args, rest = pre.parse_known_args(argv)
    except SystemExit:
        return None
    return None if rest else args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    window_args = _window_only(argv)
    if window_args is not None:
        return run_gui(window_args)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        return run_gui(args)
    from iro_desktop.services.access import AccessError

    try:
        return handler(args)
    except UserError as exc:
        print(f"iro-desktop: {exc}", file=sys.stderr)
        return 2
    except AccessError as exc:
        print(f"iro-desktop: {exc}", file=sys.stderr)
        return 1
    except LookupError as exc:
        print(f"iro-desktop: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("iro-desktop: cancelled; nothing more was changed.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(
            f"iro-desktop: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 1
