"""letter, record, letters (draft, submit, issue, sent, deadlines, versions, batch, my-details)
and signoff (list, approve, return): the letter to the child from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from iro_desktop.cli import UserError, open_session, print_json

METHODS = ["post", "email", "hand", "secure_email"]
BANDS = ["under_8", "8_to_12", "13_to_17", "care_leaver"]


def register(sub: Any) -> None:
    p = sub.add_parser("letter", help="the letter to the child as a PDF")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    p.add_argument("--large-print", action="store_true", help="print in large type")
    p.add_argument("--version-id", default=None, help="a particular version (default: latest)")
    p.set_defaults(handler=cmd_letter)

    p = sub.add_parser("record", help="the record of the review as a PDF")
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    p.set_defaults(handler=cmd_record)

    p = sub.add_parser("letters", help="draft, submit, issue and send letters to children")
    ls = p.add_subparsers(dest="letters_command", metavar="STEP", required=True)

    q = ls.add_parser("draft", help="draft the review's letter from the record")
    q.add_argument("review_id", metavar="REVIEW_ID")
    q.add_argument("--age-band", choices=BANDS, default=None, help="simpler wording if needed")
    q.set_defaults(handler=cmd_draft)

    q = ls.add_parser("submit", help="send the review's letter to a manager for sign-off")
    q.add_argument("review_id", metavar="REVIEW_ID")
    q.set_defaults(handler=cmd_submit)

    q = ls.add_parser("issue", help="issue an approved letter")
    q.add_argument("version_id", metavar="VERSION_ID")
    q.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD (today)")
    q.add_argument("--to", default=None, help="who it was sent to")
    q.add_argument("--method", choices=METHODS, default=None)
    q.add_argument("--role", default="", help="e.g. child, carer, social worker")
    q.set_defaults(handler=cmd_issue)

    q = ls.add_parser("sent", help="log that an issued letter was sent to someone")
    q.add_argument("version_id", metavar="VERSION_ID")
    q.add_argument("--to", required=True, help="who it was sent to")
    q.add_argument("--method", choices=METHODS, required=True)
    q.add_argument("--role", default="")
    q.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD (today)")
    q.add_argument("--note", default="")
    q.set_defaults(handler=cmd_sent)

    q = ls.add_parser("deadlines", help="recommendations and letter deadlines of a review")
    q.add_argument("review_id", metavar="REVIEW_ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_deadlines)

    q = ls.add_parser("versions", help="every version of a review's letter")
    q.add_argument("review_id", metavar="REVIEW_ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_versions)

    q = ls.add_parser("batch", help="print every approved letter not yet issued")
    q.add_argument("--out-dir", type=Path, required=True)
    q.add_argument("--large-print", action="store_true")
    q.set_defaults(handler=cmd_batch)

    q = ls.add_parser("my-details", help="the work phone and email printed on your letters")
    q.add_argument("--phone", default="")
    q.add_argument("--email", default="")
    q.set_defaults(handler=cmd_my_details)

    p = sub.add_parser("signoff", help="a manager's sign-off of letters")
    ss = p.add_subparsers(dest="signoff_command", metavar="STEP", required=True)

    q = ss.add_parser("list", help="letters waiting for sign-off, longest-waiting first")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_signoff_list)

    q = ss.add_parser("approve", help="approve a letter version for issue")
    q.add_argument("version_id", metavar="VERSION_ID")
    q.add_argument("--comment", default="")
    q.set_defaults(handler=cmd_approve)

    q = ss.add_parser("return", help="return a letter to the IRO with what to change")
    q.add_argument("version_id", metavar="VERSION_ID")
    q.add_argument("--comment", required=True)
    q.set_defaults(handler=cmd_return)


def _out(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise UserError(f"The output file should end in .pdf, not '{path.name}'.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    return path


def cmd_letter(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    out = _out(args.out)
    session = open_session(args)
    try:
        done = letters.render_letter_pdf(
            session,
            args.review_id,
            out,
            version_id=args.version_id,
            large_print=True if args.large_print else None,
        )
    finally:
        session.lock()
    print(done.path)
    print(f"This is {done.words}.")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    out = _out(args.out)
    session = open_session(args)
    try:
        done = letters.render_record_pdf(session, args.review_id, out)
    finally:
        session.lock()
    print(done.path)
    what = f"approved with version {done.version} of the letter" if done.approved else "a draft"
    print(f"This record is {what}.")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        opened = letters.start_letter(session, args.review_id, age_band=args.age_band)
    finally:
        session.lock()
    print(f"Drafted version {opened.letter.version} of the letter: {opened.letter.id}")
    for note in opened.notes:
        print(f"Check: {note.message}")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        version = letters.submit_review_letter(session, args.review_id)
    finally:
        session.lock()
    print(f"Version {version.version} submitted for sign-off: {version.id}")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    if (args.to is None) != (args.method is None):
        raise UserError("Give both --to and --method to log who the letter went to.")
    sent_to = [letters.Recipient(args.to, args.method, args.role)] if args.to else []
    session = open_session(args)
    try:
        version = letters.issue(session, args.version_id, on=args.on, sent_to=sent_to)
    finally:
        session.lock()
    when = version.issued_on.isoformat() if version.issued_on else "today"
    print(f"Version {version.version} issued on {when}.")
    return 0


def cmd_sent(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        entry = letters.record_distribution(
            session,
            args.version_id,
            recipient=args.to,
            method=args.method,
            sent_on=args.on,
            role=args.role,
            note=args.note,
        )
    finally:
        session.lock()
    print(entry.words)
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        found = letters.deadlines(session, args.review_id)
    finally:
        session.lock()
    if args.json:
        print_json(found.to_json())
    else:
        for line in found.words:
            print(line)
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        versions = letters.list_versions(session, args.review_id)
    finally:
        session.lock()
    if args.json:
        print_json([v.to_json() for v in versions])
    else:
        if not versions:
            print("No letter has been written for this review yet.")
        for v in versions:
            print(f"{v.version:>3}  {v.status.label:30} {v.id}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        end = "\r" if tty and done < total else "\n"
        print(f"Printing approved letters: {done} of {total}", end=end, file=sys.stderr)
        sys.stderr.flush()

    session = open_session(args)
    try:
        lines = letters.render_batch(
            session, args.out_dir, progress, large_print=True if args.large_print else None
        )
    finally:
        session.lock()
    failed = [line for line in lines if line.path is None]
    for line in lines:
        if line.path is not None:
            print(line.path)
    for line in failed:
        print(
            f"iro-desktop: not printed: {line.child_name} (version {line.version}): {line.error}",
            file=sys.stderr,
        )
    print(f"{len(lines) - len(failed)} letters printed to {args.out_dir}.")
    return 1 if failed else 0


def cmd_my_details(args: argparse.Namespace) -> int:
    from iro_desktop.services import letters

    session = open_session(args)
    try:
        letters.set_contact_details(session, phone=args.phone, email=args.email)
    finally:
        session.lock()
    print("Your contact details for letters are saved.")
    return 0


def cmd_signoff_list(args: argparse.Namespace) -> int:
    from iro_desktop.services import signoff

    session = open_session(args)
    try:
        items = signoff.inbox(session)
    finally:
        session.lock()
    if args.json:
        print_json([i.to_json() for i in items])
    else:
        if not items:
            print("No letters are waiting for sign-off.")
        for i in items:
            print(
                f"{i.version_id}  {i.child_name} (version {i.version}, by {i.written_by}, "
                f"waiting {i.waiting_working_days} working days). {i.deadline.words}"
            )
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from iro_desktop.services import signoff

    session = open_session(args)
    try:
        version = signoff.approve(session, args.version_id, comment=args.comment)
    finally:
        session.lock()
    print(f"Version {version.version} approved (ref {version.content_hash[:12]}).")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    from iro_desktop.services import signoff

    session = open_session(args)
    try:
        version = signoff.return_letter(session, args.version_id, args.comment)
    finally:
        session.lock()
    print(f"Version {version.version} returned to the IRO.")
    return 0
