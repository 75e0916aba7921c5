"""Damaged or tampered keys.json and unlock-state.json get one line naming the file; weak key
derivation is refused; after lock nothing can reconnect to the caseload."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from iro_desktop.paths import data_paths
from iro_desktop.services import open_caseload
from iro_desktop.services import window as window_service
from iro_desktop.store import keys
from iro_desktop.store.engine import StoreError
from iro_desktop.store.keys import (
    KeyfileDamaged,
    UnlockStateDamaged,
    WrongPassphrase,
)
from tests.conftest import PASSPHRASE

Edit = Callable[[dict[str, Any]], Any]


def _ada(data: dict[str, Any]) -> dict[str, Any]:
    return data["logins"]["ada"]  # type: ignore[no-any-return]


KEYFILE_DAMAGE: dict[str, Edit] = {
    "a list, not a table": lambda d: [d],
    "logins a list": lambda d: {**d, "logins": list(d["logins"].values())},
    "a wrapping that is text": lambda d: {**d, "logins": {"ada": "wrapped"}},
    "no logins": lambda d: {**d, "logins": {}},
    "version as text": lambda d: {**d, "version": "1"},
    "caseload id a number": lambda d: {**d, "caseload_id": 12345},
    "key generation a table": lambda d: {**d, "key_generation": {"n": 1}},
    "salt not base64": lambda d: _ada(d).update(salt="not base64!") or d,
    "nonce too short": lambda d: _ada(d).update(nonce="AAAA") or d,
    "params as text": lambda d: _ada(d).update(params="n=1024") or d,
    "n not a power of two": lambda d: _ada(d)["params"].update(n=1000) or d,
    "n zero": lambda d: _ada(d)["params"].update(n=0) or d,
    "r negative": lambda d: _ada(d)["params"].update(r=-8) or d,
    "n as text": lambda d: _ada(d)["params"].update(n="1024") or d,
    "memory beyond reach": lambda d: _ada(d)["params"].update(n=2**40) or d,
    "p huge": lambda d: _ada(d)["params"].update(p=10**9) or d,
    "deeply nested": lambda d: {**d, "logins": json.loads("[" * 100000 + "]" * 100000)},
}


def _rewrite(path, edit: Edit) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(edit(data)), "utf-8")


def _one_line_naming(exc: BaseException, path) -> str:  # type: ignore[no-untyped-def]
    text = str(exc)
    assert "\n" not in text, text
    assert str(path) in text, text
    return text


@pytest.mark.parametrize("damage", sorted(KEYFILE_DAMAGE))
def test_a_damaged_key_file_gets_one_line_naming_it(session, data_dir, damage):
    session.lock()
    paths = data_paths(data_dir)
    try:
        _rewrite(paths.keyfile, KEYFILE_DAMAGE[damage])
    except RecursionError:  # json.dumps cannot write it: write the text by hand
        paths.keyfile.write_text('{"version": 1, "logins": ' + "[" * 100000 + "]" * 100000 + "}")
    before = paths.database.read_bytes()
    with pytest.raises(KeyfileDamaged) as refused:
        open_caseload(paths, "ada", PASSPHRASE)
    _one_line_naming(refused.value, paths.keyfile)
    # The window's first step (which logins are there) gets nothing, not an exception, and
    # the window then shows the message when unlocking is tried.
    assert window_service.known_logins(paths) == []
    assert not window_service.has_remembered_key(paths, "ada")
    assert paths.database.read_bytes() == before


def test_a_changed_caseload_id_is_named_as_such_not_a_wrong_passphrase(session, data_dir):
    session.lock()
    paths = data_paths(data_dir)
    _rewrite(paths.keyfile, lambda d: {**d, "caseload_id": "0123456789abcdef" * 2})
    with pytest.raises(KeyfileDamaged, match="caseload id") as refused:
        open_caseload(paths, "ada", PASSPHRASE)
    assert not isinstance(refused.value, WrongPassphrase)
    _one_line_naming(refused.value, paths.keyfile)
    # A wrong passphrase is still just that.
    with pytest.raises(WrongPassphrase):
        open_caseload(paths, "ada", "not the passphrase at all")
    # Not a hex id at all: named before any passphrase is tried.
    _rewrite(paths.keyfile, lambda d: {**d, "caseload_id": "../../etc"})
    with pytest.raises(KeyfileDamaged, match="caseload id"):
        open_caseload(paths, "ada", PASSPHRASE)


STATE_DAMAGE = {
    "a list": "[3, 1700000000]",
    "count as text": '{"failures": "many", "last_failure": 0}',
    "count negative": '{"failures": -5, "last_failure": 0}',
    "count infinite": '{"failures": 1e400, "last_failure": 0}',
    "time as text": '{"failures": 4, "last_failure": "yesterday"}',
    "time infinite": '{"failures": 4, "last_failure": 1e400}',
    "not JSON": "{failures: 4",
    "not UTF-8": b"\xff\xfe{}",
}


@pytest.mark.parametrize("damage", sorted(STATE_DAMAGE))
def test_a_damaged_unlock_record_is_named_then_started_afresh(session, data_dir, damage):
    session.lock()
    paths = data_paths(data_dir)
    content = STATE_DAMAGE[damage]
    if isinstance(content, bytes):
        paths.unlock_state.write_bytes(content)
    else:
        paths.unlock_state.write_text(content, "utf-8")
    with pytest.raises(UnlockStateDamaged) as refused:
        open_caseload(paths, "ada", PASSPHRASE)
    assert "started afresh" in _one_line_naming(refused.value, paths.unlock_state)
    assert window_service.unlock_wait_seconds(paths) == 0
    open_caseload(paths, "ada", PASSPHRASE).lock()


# --- 16: weak key derivation is refused at unlock ---------------------------------------


def test_a_key_file_with_weaker_key_derivation_than_the_minimum_is_refused(
    session, data_dir, monkeypatch
):
    """The tests' own cheap cost is below the shipped minimum: put the minimum back."""
    session.lock()
    paths = data_paths(data_dir)
    monkeypatch.setattr(keys, "minimum_scrypt", lambda: dict(keys.MINIMUM_SCRYPT))
    assert json.loads(paths.keyfile.read_text())["logins"]["ada"]["params"]["n"] < 2**15
    with pytest.raises(KeyfileDamaged, match="weaker key derivation") as refused:
        open_caseload(paths, "ada", PASSPHRASE)
    _one_line_naming(refused.value, paths.keyfile)
    # Made at the shipped cost, the same caseload opens.
    assert keys.minimum_scrypt()["n"] <= keys.DEFAULT_SCRYPT["n"]


def test_the_shipped_minimum_is_not_below_a_sensible_cost():
    least = keys.MINIMUM_SCRYPT
    assert least["n"] >= 2**15 and least["r"] >= 8 and least["p"] >= 1
    assert keys.DEFAULT_SCRYPT["n"] >= least["n"]


# --- 17: after lock, nothing can reconnect ------------------------------------------------


def test_after_lock_no_path_can_reconnect_to_the_caseload(session):
    store = session.store
    engine = store.engine
    pool = engine.pool
    with store.session() as s:  # open a pooled connection, so there is one to keep
        s.execute(__import__("sqlalchemy").text("SELECT 1"))
    session.lock()
    assert store.data_key is None
    with pytest.raises(StoreError, match="locked"), store.session():
        pass
    with pytest.raises(StoreError, match="locked"):
        _ = store.engine
    # Whoever kept the old engine, its pool or its connect function gets nothing.
    with pytest.raises(StoreError, match="locked"):
        engine.connect()
    with pytest.raises(StoreError, match="locked"):
        engine.raw_connection()
    with pytest.raises(StoreError, match="locked"):
        pool.connect()
    with pytest.raises(StoreError, match="locked"):
        pool._creator()  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match="locked"), session.unit_of_work():
        pass
    # No key bytes left in the connect function's reach.
    found = _key_material_reachable(pool._creator)  # type: ignore[attr-defined]
    assert not found, found


def _key_material_reachable(fn: Any, depth: int = 0) -> list[str]:
    """Walk closures (and objects they hold) for bytes that could be a raw SQLCipher key."""
    found: list[str] = []
    if depth > 4:
        return found
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if isinstance(value, bytes | bytearray) and len(value) >= 32 and any(value):
            found.append(repr(value[:8]))
        elif callable(value):
            found += _key_material_reachable(value, depth + 1)
        elif hasattr(value, "__dict__"):
            for attr in vars(value).values():
                if isinstance(attr, bytes | bytearray) and len(attr) >= 32 and any(attr):
                    found.append(repr(attr[:8]))
    return found
