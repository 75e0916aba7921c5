"""Text that is not valid Unicode (a byte typed in a Latin-1 terminal arrives in Python as a
lone surrogate): refused where it is typed, and, where an older version queued it, set aside
with its reason without stopping the items behind it. Real caseloads, a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from server_testkit import PASSWORD

from iro_desktop.services import escalations, sync
from iro_desktop.store import outbox
from iro_desktop.sync.client import SyncClient
from iro_desktop.sync.protocol import item_to_wire
from tests.conftest import PASSPHRASE


def _raise(session: Any, child: str, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "child_ids": [child],
        "category": "dispute",
        "issues": ["no_casework_activity"],
        "outcome_wanted": "Casework recorded on the file.",
        "send_to": "Tess Teamlead",
    }
    fields.update(overrides)
    return escalations.raise_escalation(session, **fields)


def _cli(root: str, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "IRO_DESKTOP_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "tests.fast_kdf", "--data-dir", root, "--user", "amber", *args],
        capture_output=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_comment_typed_in_a_latin1_terminal_is_refused_in_one_line_and_nothing_is_saved(
    laptop, add_child
) -> None:
    amber = laptop("amber.iro")
    raised = _raise(amber, add_child(amber, "Ffion", "Latimer"))
    root = str(amber.paths.root)
    amber.lock()
    before = json.loads(_cli(root, "outbox", "--json").stdout)

    # "Café" typed where the terminal sends Latin-1: the byte 0xE9 is not UTF-8.
    typed = _cli(root, "escalations", "comment", raised.escalation_id, b"--text", b"Caf\xe9 visit")

    assert typed.returncode != 0
    message = typed.stderr.decode("utf-8", "replace").strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "has a character that is not valid text at character 4" in message
    assert json.loads(_cli(root, "outbox", "--json").stdout) == before  # nothing was saved


def test_an_item_that_cannot_be_encoded_is_set_aside_and_the_items_behind_it_go(
    shared_server, laptop, add_child, monkeypatch
) -> None:
    amber = laptop("amber.iro", shared_server.url)
    child = add_child(amber, "Gwen", "Holloway")
    first = _raise(amber, child)
    # Queued as an older version did, without the check at input.
    with monkeypatch.context() as older:
        older.setattr(outbox, "checked_wire", item_to_wire)
        escalations.add_comment(amber, first.escalation_id, "Caf\udce9 visit on Monday")
    second = _raise(amber, child, issues=["no_pathway_plan"])
    (bad,) = [i for i in sync.outbox_items(amber) if i.kind == "comment"]

    with SyncClient(amber, password=PASSWORD) as client:
        report = client.sync_once()

    assert report.ok, report.error  # the sync completed: one item's text did not stop it
    assert (report.pushed, report.rejected, report.unsent) == (4, 1, 1)
    (set_aside,) = sync.outbox_items(amber, "rejected")
    assert set_aside.item_id == bad.item_id
    assert set_aside.reason.startswith("Not sent from this laptop: Field 'text' has a character")
    assert escalations.get_escalation(amber, second.escalation_id).unsent == 0
    assert escalations.get_escalation(amber, first.escalation_id).unsent == 1

    # Corrected, it goes on the next sync.
    sync.correct_set_aside(amber, bad.item_id, {"text": "Café visit on Monday"})
    with SyncClient(amber, password=PASSWORD) as client:
        report = client.sync_once()
    assert (report.pushed, report.rejected, report.unsent) == (1, 0, 0)
