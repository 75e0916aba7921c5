"""The Letters list and the manager's sign-off inbox from one query each: on the demo caseload
they say exactly what the per-review reading (load every child, then each review's letter
versions, distributions and record) said, line for line and in the same order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event

from iro_desktop.services import caseload, letters, signoff
from iro_desktop.services.due import display_name
from iro_desktop.services.letter_model import deadline_check, letter_sent_on
from iro_desktop.store import letter_repository as letters_repo
from iro_desktop.store import repositories as repo
from tests.services import letters_kit as kit

STAGES = ("completed", "recommendations_issued", "letter_drafted", "submitted", "approved")


@dataclass(frozen=True)
class OldLine:
    review_id: str
    child_id: str
    child_name: str
    completed_on: date | None
    version: int | None
    status: str | None
    deadline: letters.DeadlineCheck | None


def old_letter_lines(session: Any) -> list[OldLine]:
    """The Letters list as the page built it before `letters.worklist`: per review."""
    lines = []
    for child in caseload.children(session):
        name = display_name(child.legal_first_name, child.legal_last_name, child.preferred_name)
        for review in child.reviews:
            if review.status not in STAGES:
                continue
            versions = letters.list_versions(session, review.id)
            latest = versions[-1] if versions else None
            if latest is not None and latest.status is letters.LetterStatus.ISSUED:
                continue
            deadline = letters.deadlines(session, review.id).letter
            lines.append(
                OldLine(
                    review.id,
                    child.id,
                    name,
                    review.completed_date,
                    latest.version if latest else None,
                    latest.status.value if latest else None,
                    deadline,
                )
            )

    def urgency(line: OldLine) -> tuple[int, str]:
        due = line.deadline.due_on if line.deadline is not None else None
        return (due.toordinal() if due else 10**9, line.child_name)

    lines.sort(key=urgency)
    return lines


def old_inbox(session: Any) -> list[signoff.InboxItem]:
    """The sign-off inbox as it was read before: full letter rows, then per letter its
    review's versions and distributions and the writer's login."""
    today = session.clock.today()
    profile = session.profile
    items = []
    with session.unit_of_work() as s:
        for row in letters_repo.versions_with_status(s, "submitted"):
            letter = row.letter
            versions = letters_repo.versions_for_review(s, letter.review_id)
            dists = letters_repo.distributions_for_review(s, letter.review_id)
            writer = letter.submitted_by or letter.created_by
            user = repo.get_user(s, writer)
            submitted_at = letter.submitted_at or letter.updated_at
            items.append(
                signoff.InboxItem(
                    version_id=letter.id,
                    review_id=letter.review_id,
                    child_id=row.child_id,
                    child_name=display_name(
                        row.child_first_name, row.child_last_name, row.child_preferred_name
                    ),
                    version=letter.version,
                    corrects_version=letter.corrects_version,
                    written_by=(user or {}).get("display_name") or writer,
                    submitted_at=submitted_at,
                    waiting_working_days=max(
                        0, profile.calendar.working_days_between(submitted_at.date(), today)
                    ),
                    held_on=row.first_meeting_on,
                    completed_on=row.completed_date,
                    deadline=deadline_check(
                        "Letter to the child",
                        row.completed_date,
                        profile.minutes_working_days,
                        letter_sent_on(versions, dists),
                        today,
                        profile,
                    ),
                    content_hash=letter.content_hash,
                )
            )
    items.sort(key=lambda i: (i.submitted_at, i.version_id))
    return items


def as_old(item: letters.WorkItem) -> OldLine:
    brief = item.letter
    return OldLine(
        item.review_id,
        item.child_id,
        item.child_name,
        item.completed_on,
        brief.version if brief else None,
        brief.status.value if brief else None,
        item.deadline,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A demo caseload with letters at every stage, a manager's login, and a correction of an
    issued letter waiting for sign-off (its deadline was met by the first sending)."""
    from iro_desktop.clock import FixedClock
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo
    from tests.conftest import PASSPHRASE, TODAY

    folder = tmp_path_factory.mktemp("worklist") / "caseload"
    session, _ = create_caseload(
        data_paths(folder), "ada", PASSPHRASE, display_name="Ada Example", clock=FixedClock(TODAY)
    )
    load_demo(session, 60, seed=5, letters=True)
    kit.ready(session)
    manager = kit.manager_login(session)
    # A letter issued and logged as sent, then corrected: the review is back on the list
    # with a new draft, and its deadline counts from the first sending.
    child = kit.make_child(session, first="Corin", last="Ashdown", preferred="")
    review_id = kit.completed_review(session, child, child_name="Corin Ashdown")
    approved = signoff.approve(manager, letters.submit_review_letter(session, review_id).id)
    letters.issue(session, approved.id, sent_to=[letters.Recipient("Corin", "post")])
    correction = letters.correct_letter(session, approved.id)
    letters.submit(session, correction.letter.id)
    yield session, manager
    session.lock()


def test_the_letters_list_says_what_the_per_review_reading_said(demo):  # type: ignore[no-untyped-def]
    session, _manager = demo
    old = old_letter_lines(session)
    new = letters.worklist(session)
    assert [as_old(item) for item in new] == old
    stages = {item.stage for item in new}
    assert {"to_write", "draft", "submitted", "approved"} <= stages, stages
    assert len(new) > 10


def test_the_sign_off_inbox_says_what_the_per_letter_reading_said(demo):  # type: ignore[no-untyped-def]
    _session, manager = demo
    old = old_inbox(manager)
    new = signoff.inbox(manager)
    assert new == old
    assert len(new) >= 3
    corrected = [i for i in new if i.child_name == "Corin Ashdown"]
    assert corrected and corrected[0].deadline.done_on == date(2026, 11, 23)
    assert signoff.letters_waiting(manager) == len(
        [i for i in new if i.written_by != "Morgan Manager"]
    )


def test_each_list_is_one_query_whatever_the_caseload_size(demo):  # type: ignore[no-untyped-def]
    session, manager = demo
    engine = session.store.engine
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        letters.worklist(session)
        on_list = len(seen)
        seen.clear()
        signoff.inbox(manager)
        in_inbox = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert on_list == 1
    assert in_inbox == 2  # the manager check, then the inbox itself


def test_submitted_at_orders_the_inbox_longest_waiting_first(demo):  # type: ignore[no-untyped-def]
    _session, manager = demo
    waited = [i.submitted_at for i in signoff.inbox(manager)]
    assert waited == sorted(waited)
    assert all(isinstance(w, datetime) for w in waited)
