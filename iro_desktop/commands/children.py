"""child add|edit|show|remove|siblings; episode start|move|status|end; visit add|list;
import ssda903; export ssda903. The same services as the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from iro_desktop.cli import UserError, day_argument, open_session, print_json

_date = day_argument


def _yes_no(text: str) -> bool:
    if text.lower() in ("yes", "y", "true", "1"):
        return True
    if text.lower() in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"'{text}': say yes or no.")


def _placement_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--placement", required=True, help="placement type code (PLACE), e.g. U4")
    p.add_argument("--provider", default="", help="placement provider code, PR0-PR5")
    p.add_argument("--postcode", default="", help="the placement's postcode (PL_POST)")
    p.add_argument("--out-of-area", action="store_true", help="placed outside the council's area")
    p.add_argument("--carer", default="", help="the carer's or home's name")
    p.add_argument("--urn", default="", help="Ofsted URN where the placement has one")
    p.add_argument("--home-postcode", default="", help="the child's home postcode (HOME_POST)")
    p.add_argument(
        "--temporary-approval",
        action="store_true",
        help="a relative or friend approved temporarily as foster carer (reg 24): weekly visits",
    )


def register(sub: Any) -> None:
    child = sub.add_parser("child", help="add, change, show or remove a child")
    acts = child.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = acts.add_parser("add", help="add a child to the caseload")
    p.add_argument("--name", required=True, help="legal name: first names then surname")
    p.add_argument("--preferred-name", default="")
    p.add_argument("--dob", type=_date, required=True, help="date of birth, YYYY-MM-DD")
    p.add_argument("--sex", required=True, choices=["F", "M", "X"])
    p.add_argument("--child-id", required=True, help="the council's child id (903 CHILD)")
    p.add_argument("--ethnicity", default="", help="DfE ethnicity code, e.g. WBRI")
    p.add_argument("--upn", default="")
    p.add_argument("--language", default="", help="first language")
    p.add_argument("--interpreter", type=_yes_no, default=False)
    p.add_argument("--iro", default="", help="allocated IRO (default: you)")
    p.add_argument("--uasc", action="store_true")
    p.add_argument("--sibling", action="append", default=[], help="a sibling's child id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = acts.add_parser("edit", help="change a child's details")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--name", default=None)
    p.add_argument("--preferred-name", default=None)
    p.add_argument("--dob", type=_date, default=None)
    p.add_argument("--sex", default=None, choices=["F", "M", "X"])
    p.add_argument("--new-child-id", default=None)
    p.add_argument("--ethnicity", default=None)
    p.add_argument("--upn", default=None)
    p.add_argument("--language", default=None)
    p.add_argument("--interpreter", type=_yes_no, default=None)
    p.add_argument("--iro", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_edit)

    p = acts.add_parser("show", help="a child's record")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = acts.add_parser("remove", help="remove a child added by mistake")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--reason", required=True)
    p.add_argument("--yes", action="store_true", help="do not ask to confirm")
    p.set_defaults(handler=cmd_remove)

    p = acts.add_parser("siblings", help="link children as siblings")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("others", metavar="SIBLING_ID", nargs="+")
    p.set_defaults(handler=cmd_siblings)

    episode = sub.add_parser("episode", help="periods of care: start, move, legal status, end")
    acts = episode.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = acts.add_parser("start", help="the child starts to be looked after")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, required=True)
    p.add_argument("--legal-status", required=True, help="LS code, e.g. C1 or V2")
    p.add_argument("--need", required=True, help="category of need, N1-N8")
    _placement_args(p)
    p.set_defaults(handler=cmd_start)

    p = acts.add_parser("move", help="a placement move")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, required=True)
    p.add_argument("--reason", default="", help="reason for the move (REASON_PLACE_CHANGE)")
    p.add_argument("--legal-status", default=None, help="when the legal status changes too")
    p.add_argument("--same-carer", action="store_true")
    _placement_args(p)
    p.set_defaults(handler=cmd_move)

    p = acts.add_parser("status", help="a change of legal status, same placement")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, required=True)
    p.add_argument("--legal-status", required=True)
    p.set_defaults(handler=cmd_status)

    p = acts.add_parser("long-term", help="the foster placement is confirmed as long-term")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, required=True, help="the day it was confirmed")
    p.add_argument(
        "--child-agrees-6-monthly",
        type=_date,
        default=None,
        metavar="DATE",
        help="the day the child agreed to visits up to every 6 months after the first year",
    )
    p.set_defaults(handler=cmd_long_term)

    p = acts.add_parser("end", help="the child stops being looked after")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, required=True)
    p.add_argument("--reason", required=True, help="why care ended (REC), e.g. E4A")
    p.set_defaults(handler=cmd_end)

    visit = sub.add_parser("visit", help="social worker visits")
    acts = visit.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = acts.add_parser("add", help="record a social worker's statutory visit")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--seen-alone", type=_yes_no, default=None)
    p.add_argument("--by", default="")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_visit_add)
    p = acts.add_parser("list", help="a child's visits")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_visit_list)

    imp = sub.add_parser("import", help="import the council's files")
    acts = imp.add_subparsers(dest="kind", metavar="KIND", required=True)
    p = acts.add_parser("ssda903", help="the SSDA903 CSV files in a folder")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument("--names", type=Path, default=None, help="CSV with CHILD,NAME[,PREFERRED_NAME]")
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    p.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help="write the council's return")
    acts = exp.add_subparsers(dest="kind", metavar="KIND", required=True)
    p = acts.add_parser("ssda903", help="the SSDA903 return for a collection year")
    p.add_argument("--year", type=int, default=None, help="the year ending 31 March (e.g. 2027)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(handler=cmd_export)


def _run(args: argparse.Namespace, work: Callable[[Any], Any]) -> Any:
    """Open the caseload, do the work, lock; a refusal is one line, never a traceback."""
    from iro_desktop.services.children import RuleRefused

    session = open_session(args)
    try:
        return work(session)
    except RuleRefused as exc:
        raise UserError("; ".join(str(b) for b in exc.breaches) + " Nothing was changed.") from None
    except ValueError as exc:
        raise UserError(f"{exc} Nothing was changed.") from None
    finally:
        session.lock()


def _split(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) < 2:
        raise UserError("Give the child's legal name as first name(s) and surname.")
    return " ".join(parts[:-1]), parts[-1]


def _child_json(child: Any) -> dict[str, Any]:
    data = asdict(child)
    data.pop("reviews", None)
    return data


def cmd_add(args: argparse.Namespace) -> int:
    from iro_desktop.services import children

    first, last = _split(args.name)

    def work(session: Any) -> Any:
        iro = args.iro or session.user.get("display_name", "")
        siblings = [children.find(session, s).id for s in args.sibling]
        details = children.ChildDetails(
            legal_first_name=first,
            legal_last_name=last,
            preferred_name=args.preferred_name,
            date_of_birth=args.dob,
            sex=args.sex,
            la_child_id=args.child_id,
            ethnicity=args.ethnicity,
            upn=args.upn,
            first_language=args.language,
            interpreter_needed=args.interpreter,
            allocated_iro=iro,
            uasc=args.uasc,
        )
        return children.add_child(session, details, siblings=siblings)

    child = _run(args, work)
    if args.json:
        print_json(_child_json(child))
    else:
        print(f"Added {child.name} ({child.la_child_id}).")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from iro_desktop.services import children

    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["legal_first_name"], changes["legal_last_name"] = _split(args.name)
    for arg, name in (
        ("preferred_name", "preferred_name"),
        ("dob", "date_of_birth"),
        ("sex", "sex"),
        ("new_child_id", "la_child_id"),
        ("ethnicity", "ethnicity"),
        ("upn", "upn"),
        ("language", "first_language"),
        ("interpreter", "interpreter_needed"),
        ("iro", "allocated_iro"),
    ):
        value = getattr(args, arg)
        if value is not None:
            changes[name] = value
    if not changes:
        raise UserError("Say what to change, e.g. --preferred-name Mo.")
    child = _run(
        args,
        lambda s: children.edit_child(s, children.find(s, args.child_id).id, **changes),
    )
    if args.json:
        print_json(_child_json(child))
    else:
        print(f"Changed {child.name} ({child.la_child_id}).")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from iro_desktop.domain import codes
    from iro_desktop.services import children

    child = _run(args, lambda s: children.find(s, args.child_id))
    if args.json:
        print_json(_child_json(child))
        return 0
    print(f"{child.display_name}  ({child.la_child_id}), born {child.date_of_birth:%d/%m/%Y}")
    for period in child.periods:
        end = f"{period.end:%d/%m/%Y}" if period.end else "now"
        print(f"  Looked after {period.start:%d/%m/%Y} to {end}")
        for e in period.episodes:
            ended = f"{e.end:%d/%m/%Y} {e.reason_ended}" if e.end else ""
            place = codes.PLACEMENT_SHORT.get(e.placement_type, e.placement_type)
            print(
                f"    {e.start:%d/%m/%Y} {e.reason_new:1} {e.legal_status} "
                f"{e.placement_type:3} {place:24} {e.place_provider:3} {ended}"
            )
    if child.visits:
        print(
            f"  Last social worker visit {child.last_visit:%d/%m/%Y} ({len(child.visits)} recorded)"
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from iro_desktop.services import children

    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("Removing a child cannot be undone: add --yes to confirm.")
        answer = input(f"Remove {args.child_id} and everything recorded about them? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was removed.")
            return 1
    name = _run(
        args, lambda s: children.remove_child(s, children.find(s, args.child_id).id, args.reason)
    )
    print(f"Removed {name}.")
    return 0


def cmd_siblings(args: argparse.Namespace) -> int:
    from iro_desktop.services import children

    def work(session: Any) -> str:
        me = children.find(session, args.child_id).id
        others = [children.find(session, o).id for o in args.others]
        return children.link_siblings(session, me, others)

    _run(args, work)
    print(f"Linked {args.child_id} with {', '.join(args.others)} as siblings.")
    return 0


def _placement(args: argparse.Namespace) -> Any:
    from iro_desktop.services.children import Placement

    return Placement(
        placement_type=args.placement,
        place_provider=args.provider,
        postcode=args.postcode,
        in_area=not args.out_of_area,
        provider=args.carer,
        urn=args.urn,
        home_postcode=args.home_postcode,
        temporary_approval=args.temporary_approval,
    )


def _change(args: argparse.Namespace, action: str, done: str, **kwargs: Any) -> int:
    """One change to the record of the child named on the command line (the service
    function `action`), then a line saying what was done."""
    from iro_desktop.services import children

    change = getattr(children, action)
    _run(args, lambda s: change(s, children.find(s, args.child_id).id, **kwargs))
    print(done)
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    return _change(
        args,
        "start_period",
        f"{args.child_id} is looked after from {args.on:%d/%m/%Y}.",
        start=args.on,
        legal_status=args.legal_status,
        category_of_need=args.need,
        placement=_placement(args),
    )


def cmd_move(args: argparse.Namespace) -> int:
    return _change(
        args,
        "record_move",
        f"Recorded the move on {args.on:%d/%m/%Y}.",
        on=args.on,
        placement=_placement(args),
        reason_place_change=args.reason,
        legal_status=args.legal_status,
        same_carer=args.same_carer,
    )


def cmd_status(args: argparse.Namespace) -> int:
    return _change(
        args,
        "change_legal_status",
        f"Legal status {args.legal_status.upper()} from {args.on:%d/%m/%Y}.",
        on=args.on,
        legal_status=args.legal_status,
    )


def cmd_long_term(args: argparse.Namespace) -> int:
    agreed = args.child_agrees_6_monthly
    return _change(
        args,
        "confirm_long_term",
        f"The placement is long-term from {args.on:%d/%m/%Y}"
        + (f"; 6-monthly visits agreed on {agreed:%d/%m/%Y}." if agreed else "."),
        on=args.on,
        child_agrees_six_monthly_on=agreed,
    )


def cmd_end(args: argparse.Namespace) -> int:
    return _change(
        args,
        "end_period",
        f"The period of care ended on {args.on:%d/%m/%Y}.",
        on=args.on,
        reason_ended=args.reason,
    )


def cmd_visit_add(args: argparse.Namespace) -> int:
    return _change(
        args,
        "add_visit",
        f"Recorded the visit on {args.date:%d/%m/%Y}.",
        visited_on=args.date,
        seen_alone=args.seen_alone,
        by=args.by,
        note=args.note,
    )


def cmd_visit_list(args: argparse.Namespace) -> int:
    from iro_desktop.services import children

    child = _run(args, lambda s: children.find(s, args.child_id))
    if args.json:
        print_json([asdict(v) for v in child.visits])
        return 0
    for v in child.visits:
        alone = {True: "seen alone", False: "not seen alone", None: ""}[v.seen_alone]
        print(f"{v.visited_on:%d/%m/%Y}  {v.by:24} {alone}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from iro_desktop.services import ssda903_import

    def work(session: Any) -> Any:
        plan = ssda903_import.plan_import(session, args.folder, args.names)
        if not plan.ok or args.dry_run or not plan.changes_anything:
            return plan, None
        return plan, ssda903_import.apply_import(session, plan)

    plan, result = _run(args, work)
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not plan.ok:
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        print(
            f"iro-desktop: {len(plan.problems)} problem(s) in {args.folder}; nothing was imported.",
            file=sys.stderr,
        )
        return 1
    if result is None:
        print(("Dry run: nothing was changed. " if args.dry_run else "") + "The import would:")
        for line in plan.summary_lines():
            print(f"  {line}")
        return 0
    print(result.summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from iro_desktop.services import ssda903_export

    def work(session: Any) -> Any:
        year = args.year or ssda903_export.default_year(session.clock.today())
        return ssda903_export.export_return(session, year, args.out)

    result = _run(args, work)
    print(result.summary)
    return 0
