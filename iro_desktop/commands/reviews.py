"""reviews CHILD_ID; review show | plan | stand-down | rearrange | move | no-meeting |
recommendations | midpoint | visit."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from iro_desktop.cli import day_argument, open_session, print_json

_date = day_argument


def register(sub: Any) -> None:
    p = sub.add_parser("reviews", help="list a child's reviews")
    p.add_argument("child_id", metavar="CHILD_ID", help="the child's id or LA child identifier")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_reviews)

    review = sub.add_parser("review", help="show, plan or move one review")
    actions = review.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("show", help="one review's full record and its problems")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = actions.add_parser("plan", help="book the child's next review")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument(
        "--date", type=_date, default=None, help="meeting date (default: by the due date)"
    )
    p.add_argument("--extra", metavar="REASON", default=None, help="an extra review, and why")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan)

    p = actions.add_parser("stand-down", help="stand a review down before its first meeting")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--reason", required=True)
    p.add_argument("--on", type=_date, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stand_down)

    p = actions.add_parser("rearrange", help="move a review to a new date (the due date stays)")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("new_date", metavar="NEW_DATE", type=_date)
    p.add_argument("--reason", required=True)
    p.add_argument("--on", type=_date, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rearrange)

    p = actions.add_parser("move", help="the review's next step (e.g. preparing, completed)")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("status", metavar="STATUS")
    p.add_argument("--reason", default=None)
    p.add_argument("--on", type=_date, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_move)

    p = actions.add_parser(
        "no-meeting",
        help="record a review held without a meeting (long-term foster placement, 12+ months)",
    )
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument(
        "--on", type=_date, default=None, help="the day you completed it (default: today)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_no_meeting)

    p = actions.add_parser(
        "recommendations", help="a child's recommendations and where each stands"
    )
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_recommendations)

    # The IRO's oversight between reviews: a mid-point review, a visit to the child.
    p = actions.add_parser(
        "midpoint", help="record a mid-point review of progress against a review"
    )
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--on", type=_date, default=None, help="when it was held (default: today)")
    p.add_argument("--notes", default="")
    p.add_argument(
        "--progress",
        action="append",
        default=[],
        metavar="REC_ID=PROGRESS",
        help="a recommendation's progress: on_track, done, delayed, not_started or dropped",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_midpoint)

    p = actions.add_parser("visit", help="record your visit to the child between reviews")
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--on", type=_date, default=None, help="the day of the visit (default: today)")
    p.add_argument("--seen-alone", choices=("yes", "no"), default=None)
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_visit)


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "-"


def cmd_reviews(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        lines = reviews.list_reviews(session, args.child_id)
    finally:
        session.lock()
    if args.json:
        print_json([line.to_json() for line in lines])
        return 0
    for line in lines:
        timely = {True: "in timescale", False: "late", None: ""}[line.in_timescale]
        print(
            f"{line.id[:8]}  {line.kind:12} {line.sequence or '-':>2}  due {_iso(line.due_date)}  "
            f"held {_iso(line.timeliness_date)}  {line.status_label:24} {line.pn_code or '':3} "
            f"{line.meetings_held} meeting(s) {timely}".rstrip()
        )
    return 0


def _update_json(update: Any) -> dict[str, Any]:
    return {
        "review": update.review.to_dict(),
        "version": update.version,
        "events": [e.to_dict() for e in update.events],
        "problems": [
            {"field": p.field, "severity": p.severity.value, "message": p.message}
            for p in update.problems
        ],
    }


def _print_update(args: argparse.Namespace, update: Any) -> int:
    if args.json:
        print_json(_update_json(update))
    else:
        for event in update.events:
            print(event.summary)
        review = update.review
        print(
            f"Review {review.id}: {review.status.label}, planned for "
            f"{review.planned_on.isoformat()}, due {review.due_on.isoformat()}."
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        opened = reviews.get_review(session, args.review_id)
    finally:
        session.lock()
    problems = [
        {"field": p.field, "severity": p.severity.value, "message": p.message}
        for p in opened.problems
    ]
    if args.json:
        print_json(
            {
                "review": opened.review.to_dict(),
                "version": opened.version,
                "child": {"id": opened.child_id, "name": opened.child_name},
                "period_start": opened.period_start,
                "allowed_next": [s.value for s in opened.allowed],
                "basis": opened.basis.value,
                "rebuilt_from_summary": opened.rebuilt_from_summary,
                "problems": problems,
            }
        )
        return 0
    r = opened.review
    print(f"{opened.child_name}: {r.kind.value} review {r.sequence or ''}".rstrip())
    print(f"  status     {r.status.label}")
    print(f"  due        {r.due_on.isoformat()}   planned {r.planned_on.isoformat()}")
    for i, m in enumerate(r.meetings, start=1):
        state = "held" if m.held else "arranged"
        print(f"  meeting {i}  {m.on.isoformat()} ({state}) {m.venue}".rstrip())
    for rec in r.recommendations:
        print(
            f"  {rec.id:3} [{rec.status.value}] {rec.action} ({rec.owner}, by {_iso(rec.due_on)})"
        )
    for p in opened.problems:
        print(f"  {p.severity.value:7} {p.field}: {p.message}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        update = reviews.plan_next_review(
            session, args.child_id, planned_on=args.date, extra_reason=args.extra
        )
    finally:
        session.lock()
    return _print_update(args, update)


def cmd_stand_down(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        update = reviews.stand_down(session, args.review_id, args.reason, on=args.on)
    finally:
        session.lock()
    return _print_update(args, update)


def cmd_rearrange(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        update = reviews.rearrange(session, args.review_id, args.new_date, args.reason, on=args.on)
    finally:
        session.lock()
    return _print_update(args, update)


def cmd_move(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        update = reviews.move(session, args.review_id, args.status, on=args.on, reason=args.reason)
    finally:
        session.lock()
    return _print_update(args, update)


def cmd_no_meeting(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        update = reviews.complete_without_meeting(session, args.review_id, on=args.on)
    finally:
        session.lock()
    return _print_update(args, update)


def cmd_recommendations(args: argparse.Namespace) -> int:
    from iro_desktop.services import reviews

    session = open_session(args)
    try:
        board = reviews.child_recommendations(session, args.child_id)
    finally:
        session.lock()
    if args.json:
        print_json(
            {
                "summary": {
                    "open": board.summary.open,
                    "overdue": board.summary.overdue,
                    "done": board.summary.done,
                    "done_late": board.summary.done_late,
                    "dropped": board.summary.dropped,
                },
                "recommendations": [
                    {
                        "review_id": i.review_id,
                        "review_date": i.review_date,
                        "tracking": i.tracking.value,
                        **i.recommendation.to_dict(),
                    }
                    for i in board.items
                ],
            }
        )
        return 0
    s = board.summary
    print(
        f"{s.total} recommendations: {s.open} open, {s.overdue} overdue, "
        f"{s.done + s.done_late} done ({s.done_late} late), {s.dropped} dropped"
    )
    for i in board.items:
        rec = i.recommendation
        print(
            f"  {i.review_date.isoformat()} {rec.id:3} {i.tracking.value:9} {rec.action} ({rec.owner})"
        )
    return 0


def cmd_midpoint(args: argparse.Namespace) -> int:
    from iro_desktop.services import oversight, reviews

    pairs = []
    for item in args.progress:
        rec_id, sep, said = item.partition("=")
        if not sep or not rec_id.strip():
            raise ValueError(f"--progress '{item}' should be REC_ID=PROGRESS, e.g. 3f2a=done.")
        pairs.append((rec_id.strip(), said))
    progress = oversight.progress_from_words(pairs)
    session = open_session(args)
    try:
        recorded = reviews.record_midpoint(
            session, args.review_id, held_on=args.on, notes=args.notes, progress=progress
        )
    finally:
        session.lock()
    midpoint = recorded.midpoint
    if args.json:
        print_json({"midpoint": midpoint.to_dict(), **_update_json(recorded.update)})
    else:
        print(
            f"Mid-point review on {midpoint.held_on.isoformat()} recorded against review "
            f"{midpoint.review_id} ({len(midpoint.progress)} recommendation(s) checked)."
        )
    return 0


def cmd_visit(args: argparse.Namespace) -> int:
    from iro_desktop.services import oversight

    alone = {"yes": True, "no": False, None: None}[args.seen_alone]
    session = open_session(args)
    try:
        visit = oversight.record_iro_visit(
            session, args.child_id, visited_on=args.on, seen_alone=alone, note=args.note
        )
    finally:
        session.lock()
    if args.json:
        print_json(visit.to_dict())
    else:
        print(f"Your visit on {visit.visited_on.isoformat()} was recorded ({visit.author}).")
    return 0
