"""escalations (list, raise and the other moves, conflicts, themes report), outbox, sync."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from iro_desktop.cli import UserError, open_session, print_json

SYNC_PASSWORD_ENV = "IRO_SYNC_PASSWORD"


def _on(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--on", type=date.fromisoformat, default=None, help="the date it happened (default today)"
    )


def register(sub: Any) -> None:
    p = sub.add_parser(
        "escalations",
        help="list escalations, or raise and move one on (see 'escalations -h')",
        description="With no action: list the escalations with their stage and deadlines.",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", default=None, help="only this child's escalations")
    p.add_argument("--open", action="store_true", help="only open escalations")
    p.set_defaults(handler=cmd_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    a = actions.add_parser("raise", help="raise an escalation (or a good practice notification)")
    a.add_argument(
        "--child",
        dest="children",
        action="append",
        required=True,
        metavar="ID",
        help="a child's id; repeat for a sibling group",
    )
    a.add_argument(
        "--siblings",
        action="store_true",
        help="include the child's brothers and sisters on this caseload",
    )
    a.add_argument("--category", choices=["dispute", "partner", "good_practice"], default="dispute")
    a.add_argument(
        "--issue",
        dest="issues",
        action="append",
        default=[],
        metavar="THEME",
        help="an issue (repeat for several): " + ", ".join(_themes()),
    )
    a.add_argument("--outcome", default="", help="the outcome wanted")
    a.add_argument("--detail", default="")
    a.add_argument(
        "--partner-agency",
        default=None,
        help="for a partner escalation: health, education, police, ...",
    )
    a.add_argument("--service", default="", help="the team or service it is about")
    a.add_argument(
        "--send-to",
        default=None,
        metavar="NAME",
        help="send it to the first stage at once, to this person",
    )
    a.add_argument("--json", action="store_true")
    _on(a)
    a.set_defaults(handler=cmd_raise)

    a = actions.add_parser("show", help="one escalation with its history")
    a.add_argument("id")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_show)

    a = actions.add_parser("send", help="send to a stage")
    a.add_argument("id")
    a.add_argument("stage")
    a.add_argument("--to", required=True, metavar="NAME")
    _on(a)
    a.set_defaults(handler=_move("send"))

    a = actions.add_parser("advance", help="send on to the next stage")
    a.add_argument("id")
    a.add_argument("--to", required=True, metavar="NAME")
    _on(a)
    a.set_defaults(handler=_move("advance"))

    a = actions.add_parser("respond", help="record the response at the current stage")
    a.add_argument("id")
    a.add_argument("--from", dest="responder", required=True, metavar="NAME")
    a.add_argument("--text", required=True)
    _on(a)
    a.set_defaults(handler=_move("respond"))

    a = actions.add_parser("bypass", help="skip stages (with the reason) and send to STAGE")
    a.add_argument("id")
    a.add_argument("stage")
    a.add_argument("--reason", required=True)
    a.add_argument("--to", required=True, metavar="NAME")
    _on(a)
    a.set_defaults(handler=_move("bypass"))

    a = actions.add_parser("cafcass", help="refer to CAFCASS")
    a.add_argument("id")
    a.add_argument("--reason", required=True)
    a.add_argument("--to", required=True, metavar="NAME")
    _on(a)
    a.set_defaults(handler=_move("cafcass"))

    a = actions.add_parser("resolve", help="record the resolution")
    a.add_argument("id")
    a.add_argument("--outcome", required=True)
    a.add_argument("--difference", required=True, help="the difference it made for the child")
    _on(a)
    a.set_defaults(handler=_move("resolve"))

    a = actions.add_parser("withdraw", help="withdraw it, with the reason")
    a.add_argument("id")
    a.add_argument("--reason", required=True)
    _on(a)
    a.set_defaults(handler=_move("withdraw"))

    a = actions.add_parser("comment", help="add a comment")
    a.add_argument("id")
    a.add_argument("--text", required=True)
    _on(a)
    a.set_defaults(handler=_move("comment"))

    a = actions.add_parser("conflicts", help="events that did not fit, for you to decide")
    a.add_argument("--all", action="store_true", help="include those already settled")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_conflicts)

    a = actions.add_parser("settle", help="record your decision on a conflict")
    a.add_argument("event_id")
    a.add_argument("--note", required=True)
    a.add_argument(
        "--raise-again",
        action="store_true",
        help="raise a new escalation for the same children and issues",
    )
    a.set_defaults(handler=cmd_settle)

    a = actions.add_parser("report", help="the quarterly themes report")
    a.add_argument("--year", type=int, required=True, help="the April the financial year starts")
    a.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_report)

    p = sub.add_parser("outbox", help="what has not reached the sync server yet")
    p.add_argument("--status", choices=["pending", "sent", "rejected"], default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_outbox)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    a = actions.add_parser("retry", help="queue an item the server set aside again")
    a.add_argument("item_id")
    a.set_defaults(handler=cmd_outbox_retry)
    a = actions.add_parser("correct", help="correct a field of a set-aside item and queue it")
    a.add_argument("item_id")
    a.add_argument("--set", dest="changes", action="append", required=True, metavar="FIELD=VALUE")
    a.set_defaults(handler=cmd_outbox_correct)

    p = sub.add_parser("sync", help="send escalations to the sync server and fetch decisions")
    p.add_argument("--server", default=None, metavar="URL", help="default: the one in settings")
    p.add_argument(
        "--user",
        dest="sync_user",
        default=None,
        metavar="NAME",
        help="your user name on the sync server (default: the one in settings)",
    )
    p.set_defaults(handler=cmd_sync)


def _themes() -> list[str]:
    from iro_desktop.domain.escalation import THEMES

    return list(THEMES)


def _with_session(work: Callable[[Any], int], args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        return work(session)
    finally:
        session.lock()


def _find(session: Any, prefix: str) -> str:
    """An escalation id from its start (at least 6 characters), as typed at a prompt."""
    from iro_desktop.services import escalations

    prefix = prefix.strip().lower()
    if len(prefix) < 6:
        raise UserError(f"Give at least 6 characters of the escalation id, not '{prefix}'.")
    ids = [v.escalation_id for v in escalations.list_escalations(session)]
    found = [i for i in ids if i.startswith(prefix)]
    if len(found) != 1:
        what = "No escalation" if not found else f"{len(found)} escalations"
        raise UserError(f"{what} with an id starting '{prefix}'.")
    return found[0]


def _line(v: Any) -> str:
    stage = v.current_stage_key or "not sent"
    due = v.stage_deadline or v.overall_deadline
    flag = " OVERDUE" if v.overdue else ""
    unsent = f" [{v.unsent} unsent]" if v.unsent else ""
    names = ", ".join(c.label for c in v.children)
    return (
        f"{v.escalation_id[:8]}  {v.category:13} {v.status:9} {stage:18} "
        f"{due.isoformat() if due else '-':10}{flag}  {names}{unsent}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        views = escalations.list_escalations(session, child_id=args.child, only_open=args.open)
        if args.json:
            print_json([v.to_json() for v in views])
        else:
            for v in views:
                print(_line(v))
        return 0

    return _with_session(work, args)


def cmd_raise(args: argparse.Namespace) -> int:
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        children = list(args.children)
        if args.siblings:
            for child in list(children):
                children += [c.id for c in escalations.siblings(session, child)]
        view = escalations.raise_escalation(
            session,
            child_ids=list(dict.fromkeys(children)),
            category=args.category,
            issues=args.issues,
            outcome_wanted=args.outcome,
            detail=args.detail,
            partner_agency=args.partner_agency,
            service=args.service,
            on=args.on,
            send_to=args.send_to,
        )
        if args.json:
            print_json(view.to_json())
        else:
            print(f"Raised {view.escalation_id} ({view.category_label}); {view.unsent} unsent.")
        return 0

    return _with_session(work, args)


def cmd_show(args: argparse.Namespace) -> int:
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        view = escalations.get_escalation(session, _find(session, args.id))
        if args.json:
            data = view.to_json()
            data["history"] = [
                {
                    "event_id": e.event_id,
                    "kind": e.kind,
                    "on": e.occurred_on.isoformat(),
                    "author": e.author,
                    "what": e.words,
                    "sync": e.sync,
                    "conflict": e.conflict or None,
                }
                for e in view.events
            ]
            print_json(data)
            return 0
        print(_line(view))
        for e in view.events:
            conflict = f"  (does not fit: {e.conflict})" if e.conflict else ""
            print(
                f"  {e.occurred_on.isoformat()}  {e.author:16} {e.words}  [{e.sync_words}]"
                f"{conflict}"
            )
        return 0

    return _with_session(work, args)


def _move(kind: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from iro_desktop.services import escalations as e

        def work(session: Any) -> int:
            ident = _find(session, args.id)
            if kind == "send":
                view = e.send_to_stage(session, ident, args.stage, args.to, on=args.on)
            elif kind == "advance":
                view = e.advance(session, ident, args.to, on=args.on)
            elif kind == "respond":
                view = e.record_response(session, ident, args.responder, args.text, on=args.on)
            elif kind == "bypass":
                view = e.bypass(session, ident, args.stage, args.reason, args.to, on=args.on)
            elif kind == "cafcass":
                view = e.refer_to_cafcass(session, ident, args.to, args.reason, on=args.on)
            elif kind == "resolve":
                view = e.resolve(session, ident, args.outcome, args.difference, on=args.on)
            elif kind == "withdraw":
                view = e.withdraw(session, ident, args.reason, on=args.on)
            else:
                view = e.add_comment(session, ident, args.text, on=args.on)
            print(_line(view))
            return 0

        return _with_session(work, args)

    return handler


def cmd_conflicts(args: argparse.Namespace) -> int:
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        found = escalations.conflicts(session, include_decided=args.all)
        if args.json:
            print_json([c.to_json() for c in found])
        else:
            for c in found:
                print(f"{c.event_id}  {c.escalation_id[:8]}  {c.author}: {c.words}\n    {c.reason}")
        return 0

    return _with_session(work, args)


def cmd_settle(args: argparse.Namespace) -> int:
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        again = escalations.settle_conflict(
            session, args.event_id, args.note, raise_again=args.raise_again
        )
        print("Settled." + (f" Raised again as {again.escalation_id}." if again else ""))
        return 0

    return _with_session(work, args)


def cmd_report(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from iro_desktop.domain.escalation import THEMES
    from iro_desktop.services import escalations

    def work(session: Any) -> int:
        report = escalations.quarterly_themes_report(session, args.year, args.quarter)
        if args.json:
            print_json(
                asdict(report)
                | {"resolved_within_limit_percent": report.resolved_within_limit_percent}
            )
            return 0
        print(
            f"Escalations {report.start:%d %b %Y} to {report.end:%d %b %Y}: {report.raised} "
            f"raised for {report.children} children; {report.resolved} resolved "
            f"({report.resolved_within_limit} within the limit), {report.withdrawn} withdrawn; "
            f"{report.partner_escalations} partner escalations; "
            f"{report.good_practice_notifications} good practice notifications."
        )
        for theme, n in report.by_theme.items():
            if n:
                print(f"  {THEMES[theme]:40} {n:4}  ({report.children_by_theme[theme]} children)")
        return 0

    return _with_session(work, args)


def cmd_outbox(args: argparse.Namespace) -> int:
    from iro_desktop.services import sync

    def work(session: Any) -> int:
        items = sync.outbox_items(session, args.status)
        if args.json:
            print_json([i.to_json() for i in items])
            return 0
        print(sync.status(session).words)
        for i in items:
            if i.status == "sent":
                continue
            why = f": {i.reason}" if i.reason else ""
            print(f"{i.item_id}  {i.created_at:%Y-%m-%d %H:%M}  {i.status:8} {i.what}{why}")
        return 0

    return _with_session(work, args)


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    from iro_desktop.services import sync

    def work(session: Any) -> int:
        sync.retry_set_aside(session, args.item_id)
        print("Queued again.")
        return 0

    return _with_session(work, args)


def cmd_outbox_correct(args: argparse.Namespace) -> int:
    from iro_desktop.services import sync

    changes = {}
    for pair in args.changes:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UserError(f"Write each change as FIELD=VALUE, not '{pair}'.")
        changes[name.strip()] = value

    def work(session: Any) -> int:
        sync.correct_set_aside(session, args.item_id, changes)
        print("Corrected and queued again.")
        return 0

    return _with_session(work, args)


def _password_source() -> Any:
    from_env = os.environ.get(SYNC_PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return None

    asked: list[str] = []

    def ask() -> str | None:
        # Asked only if the server wants a sign-in, and only once.
        if not asked:
            asked.append(getpass.getpass("Sync server password: "))
        return asked[0] or None

    return ask


def cmd_sync(args: argparse.Namespace) -> int:
    from iro_desktop.services import sync
    from iro_desktop.sync.client import check_server_url

    def work(session: Any) -> int:
        settings = session.settings
        server = args.server if args.server is not None else settings.server_url
        user = args.sync_user or settings.sync_user or session.username
        try:
            server = check_server_url(server, allow_insecure_http=settings.allow_insecure_http)
        except ValueError as error:
            raise UserError(str(error)) from None
        if (settings.server_url, settings.sync_user) != (server, user):
            settings.server_url, settings.sync_user = server, user
            session.save_settings()
        report = sync.sync_now(
            session, password=_password_source(), server_url=server, username=user
        )
        if report.error:
            hint = ""
            if report.sign_in_needed and not os.environ.get(SYNC_PASSWORD_ENV):
                hint = f" Set {SYNC_PASSWORD_ENV} or run in a terminal to be asked."
            print(f"iro-desktop: {report.summary()}{hint}", file=sys.stderr)
            return 1
        print(report.summary())
        return 0

    return _with_session(work, args)
