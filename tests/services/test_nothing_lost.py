"""Killing the program while the IRO types loses at most the last couple of seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import create_caseload, open_caseload
from iro_desktop.services import reviews as svc
from iro_desktop.store.engine import integrity_check
from tests.conftest import PASSPHRASE
from tests.services.review_helpers import add_child

# The review window's autosave: every half second, the whole draft through the service.
TYPIST = textwrap.dedent(
    """
    import sys, time
    from dataclasses import replace
    from tests.fast_kdf import install
    install()  # the caseload was made with the tests' cheap key derivation
    from iro_desktop.domain.review import PlanView
    from iro_desktop.paths import data_paths
    from iro_desktop.services import open_caseload
    from iro_desktop.services import reviews as svc

    session = open_caseload(data_paths(sys.argv[1]), "ada", sys.argv[2])
    opened = svc.get_review(session, sys.argv[3])
    review, version, n = opened.review, opened.version, 0
    while True:
        n += 1
        review = replace(review, plan_view=PlanView(view="word " * n))
        saved = svc.save_draft(session, review, expected_version=version)
        assert saved.saved, saved.refused
        version = saved.version
        print(n, time.monotonic(), flush=True)
        time.sleep(0.5)
    """
)


def test_a_killed_autosave_loses_at_most_two_seconds_and_the_file_is_intact(tmp_path):
    folder = tmp_path / "caseload"
    session, _ = create_caseload(
        data_paths(folder), "ada", PASSPHRASE, clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    )
    child = add_child(session, period_start=date(2026, 11, 2))
    review_id = svc.plan_next_review(session, child.id).review.id
    session.lock()

    env = dict(os.environ)
    typist = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(folder), PASSPHRASE, review_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    saves: list[tuple[int, float]] = []
    try:
        assert typist.stdout is not None
        while len(saves) < 6:
            line = typist.stdout.readline()
            assert line, typist.stderr.read() if typist.stderr else "typist stopped"
            n, at = line.split()
            saves.append((int(n), float(at)))
        time.sleep(0.3)  # mid-edit: between two autosaves, or during one
        killed_at = time.monotonic()
        typist.send_signal(signal.SIGKILL)
    finally:
        typist.kill()
        typist.wait(timeout=10)
    # Saves acknowledged before the kill (read any still in the pipe).
    assert typist.stdout is not None
    for line in typist.stdout.read().splitlines():
        n, at = line.split()
        saves.append((int(n), float(at)))

    reopened = open_caseload(data_paths(folder), "ada", PASSPHRASE)
    try:
        integrity_check(reopened.store.engine)
        kept = svc.get_review(reopened, review_id).review.plan_view.view.count("word")
    finally:
        reopened.lock()
    last_acknowledged = max(n for n, _ in saves)
    assert kept >= last_acknowledged  # nothing the program said was saved is missing
    saved_at = dict(saves).get(kept)
    lost_seconds = killed_at - saved_at if saved_at is not None else 0.0
    assert lost_seconds <= 2.0
