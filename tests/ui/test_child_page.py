"""A child's page: header, episodes, people by role, review history; opening is audited."""

from __future__ import annotations

from PySide6.QtCore import Qt

from iro_desktop.services import caseload as caseload_service

from .support import LOGIN


def open_first(window, search: str = ""):
    page = window.page("caseload")
    page.search.setText(search)
    page.open_current_or_first()
    return window.page("child")


def test_opening_a_child_shows_their_record(unlocked):
    caseload = unlocked.page("caseload")
    entry = next(e for e in caseload.model.rows if e.row.preferred_name)
    child = open_first(unlocked, entry.la_child_id)
    assert unlocked.current_page() is child
    assert child.child_id == entry.row.id
    assert child.name.text() == entry.row.name
    assert f"LA number {entry.la_child_id}" in child.subtitle.text()
    assert f"Age {entry.row.age}" in child.subtitle.text()
    assert child.facts["Legal status"].text().startswith(entry.row.legal_status)
    assert child.facts["UASC"].text() in ("Yes", "No")
    assert child.facts["Care leaver"].text() == ("Yes" if entry.row.care_leaver else "No")
    assert child.facts["Allocated IRO"].text() == entry.row.allocated_iro
    assert child.episodes.rowCount() >= 1
    assert child.people.rowCount() >= 4


def test_people_are_grouped_by_role_with_the_social_worker_first(unlocked):
    child = open_first(unlocked)
    roles = [child.people.index(r, 0).data() for r in range(child.people.rowCount())]
    assert roles[0] == "Social worker"
    order = [
        "Social worker",
        "Team manager",
        "Carer",
        "Parent",
        "Advocate",
        "Independent visitor",
        "Health",
        "Education",
        "Personal adviser",
    ]
    positions = [order.index(r) for r in roles]
    assert positions == sorted(positions)


def test_review_history_says_in_words_whether_each_review_was_in_timescale(unlocked):
    child = open_first(unlocked)
    model = child.reviews
    headers = [c.title for c in model.columns]
    rows = [
        [model.index(r, c).data() for c in range(len(headers))] for r in range(model.rowCount())
    ]
    assert rows
    verdicts = {row[headers.index("In timescale")] for row in rows}
    assert verdicts <= {"Yes", "No, held late", "Not held yet"}
    for row, review in zip(rows, model.rows, strict=True):
        if review.timeliness_date is None:
            assert row[headers.index("Date held")] == "Not held"
        else:
            assert row[headers.index("In timescale")] == (
                "Yes" if review.timeliness_date <= review.due_date else "No, held late"
            )
        if review.pn_code:
            assert row[headers.index("Participation")].startswith("PN")


def test_opening_a_child_is_recorded_in_the_audit_trail(unlocked):
    child = open_first(unlocked)
    trail = caseload_service.audit_trail(unlocked.session, child.child_id)
    assert any(
        e["action"] == "open" and e["entity"] == "child" and e["username"] == LOGIN for e in trail
    )


def test_back_returns_to_the_list_on_the_same_child(unlocked, qtbot):
    caseload = unlocked.page("caseload")
    caseload.search.setText("a")
    caseload._select_proxy_row(3)
    chosen = caseload.selected_id()
    caseload.open_current()
    assert unlocked.current_page() is unlocked.page("child")
    qtbot.keyClick(unlocked, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert unlocked.current_page() is caseload
    assert caseload.selected_id() == chosen
    assert caseload.search.text() == "a"


def test_enter_on_a_review_in_the_history_opens_that_review(unlocked, qtbot):
    from PySide6.QtCore import Qt as _Qt

    child = open_first(unlocked)
    child.tabs.setCurrentIndex(2)
    table = child.tables["Review history"]
    table.setFocus()
    table.setCurrentIndex(child.reviews.index(0, 0))
    wanted = child.reviews.row_at(0).id
    qtbot.keyClick(table, _Qt.Key.Key_Return)
    review_page = unlocked.page("review")
    qtbot.waitUntil(lambda: unlocked.current_page() is review_page, timeout=5000)
    assert review_page.current_arg() == wanted
