"""due: what is due for the caseload (or one IRO's children), as a list, JSON or a calendar."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from iro_desktop.cli import UserError, open_session, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("due", help="what is due: reviews, visits, recommendations, letters")
    p.add_argument(
        "--within-days",
        type=int,
        default=None,
        metavar="N",
        help="only what is overdue or due in the next N days (7: this week, 28: four weeks)",
    )
    p.add_argument("--iro", default=None, help="only the children allocated to this IRO")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--ics",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the due dates and booked "
        "review meetings as a calendar file (Outlook and others open it)",
    )
    p.set_defaults(handler=cmd_due)


def cmd_due(args: argparse.Namespace) -> int:
    from iro_desktop.services import due

    if args.within_days is not None and args.within_days < 0:
        raise UserError(f"--within-days cannot be negative ({args.within_days}).")
    session = open_session(args)
    try:
        if args.ics is not None:
            count = due.export_ics(session, args.ics, iro=args.iro, within_days=args.within_days)
            print(f"Wrote {count} calendar entries to {args.ics}.")
            return 0
        board = due.dashboard(session, iro=args.iro, within_days=args.within_days)
    finally:
        session.lock()
    if args.json:
        print_json(
            {
                "today": board.today,
                "children": board.children,
                "summary": board.summary,
                "items": [
                    {
                        "child_id": i.child_id,
                        "child_name": i.child_name,
                        "kind": i.kind.value,
                        "what": i.kind.label,
                        "due_date": i.due_date,
                        "working_days_left": i.working_days_left,
                        "overdue": i.overdue,
                        "status": i.status,
                    }
                    for i in board.items
                ],
                "problems": list(board.problems),
            }
        )
        return 0
    print(board.summary)
    for i in board.items:
        print(f"{i.due_date.isoformat()}  {i.child_name:32} {i.kind.label:42} {i.status}")
    for problem in board.problems:
        print(f"Dates need checking: {problem}")
    return 0
