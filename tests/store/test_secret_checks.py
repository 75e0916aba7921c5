"""Every check of a secret: one growing delay that cannot overflow or be stretched by the
clock, each in its own words; passphrases normalised; only existing logins reset."""

from __future__ import annotations

import json
import time
import unicodedata

import pytest

from iro_desktop.paths import data_paths
from iro_desktop.services import access, open_caseload
from iro_desktop.services import caseload as caseload_service
from iro_desktop.store import vault
from iro_desktop.store.keys import (
    MAX_WAIT_SECONDS,
    Keyfile,
    UnknownLogin,
    UnlockThrottle,
    Wrapping,
    WrongCurrentPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
    derive_wrapping_key,
)
from tests.conftest import PASSPHRASE

NEW = "a brand new passphrase"


def _wait_over(paths) -> None:  # type: ignore[no-untyped-def]
    """Let the current wait run out, as if its seconds had passed."""
    throttle = UnlockThrottle.load(paths.unlock_state)
    throttle.last_failure -= MAX_WAIT_SECONDS + 1
    throttle._save()


# --- 10: the counter cannot overflow; a clock moved back cannot stretch the wait ----------


def test_a_thousand_wrong_passphrases_then_the_right_one_opens_after_the_capped_wait(
    session, data_dir
):
    session.lock()
    paths = data_paths(data_dir)
    throttle = UnlockThrottle.load(paths.unlock_state)
    for _ in range(1100):  # what a guessing script leaves behind
        throttle.record_failure()
    with pytest.raises(vault.UnlockThrottled) as waited:
        open_caseload(paths, "ada", PASSPHRASE)
    assert 0 < waited.value.seconds <= MAX_WAIT_SECONDS
    assert "Wait" in str(waited.value)
    _wait_over(paths)
    with pytest.raises(WrongPassphrase):  # still counted, still no traceback
        open_caseload(paths, "ada", "still not the passphrase")
    _wait_over(paths)
    again = open_caseload(paths, "ada", PASSPHRASE)
    again.lock()
    assert UnlockThrottle.load(paths.unlock_state).failures == 0


def test_a_clock_moved_back_a_month_cannot_make_the_wait_longer_than_the_cap(session, data_dir):
    session.lock()
    paths = data_paths(data_dir)
    now = time.time()
    month = 30 * 24 * 3600
    # The last wrong try was recorded while the clock said a month later than it says now.
    UnlockThrottle(paths.unlock_state, failures=8, last_failure=now + month)._save()
    with pytest.raises(vault.UnlockThrottled) as waited:
        open_caseload(paths, "ada", PASSPHRASE)
    assert waited.value.seconds <= MAX_WAIT_SECONDS
    # A minute later (the clock still a month behind that record) the wait is over.
    assert UnlockThrottle.load(paths.unlock_state).wait_seconds(now + MAX_WAIT_SECONDS + 1) == 0
    _wait_over(paths)
    open_caseload(paths, "ada", PASSPHRASE).lock()


# --- 11: every secret check throttled the same way, in its own words -----------------------


def test_a_wrong_current_passphrase_when_changing_it_is_throttled_and_says_so(session, data_dir):
    session.lock()
    paths = data_paths(data_dir)
    for _ in range(3):
        with pytest.raises(WrongCurrentPassphrase, match="current passphrase is not right"):
            access.change_passphrase(paths, "ada", "guess guess guess", NEW)
    with pytest.raises(vault.UnlockThrottled, match="passphrase was not changed"):
        access.change_passphrase(paths, "ada", PASSPHRASE, NEW)
    # The same count guards unlocking: switching to another check buys no free tries.
    with pytest.raises(vault.UnlockThrottled, match="Too many wrong passphrases"):
        open_caseload(paths, "ada", PASSPHRASE)
    _wait_over(paths)
    access.change_passphrase(paths, "ada", PASSPHRASE, NEW)
    open_caseload(paths, "ada", NEW).lock()


def test_a_wrong_recovery_code_says_so_and_is_throttled(session, data_dir):
    session.lock()
    paths = data_paths(data_dir)
    for _ in range(3):
        with pytest.raises(WrongRecoveryCode, match="recovery code is not right") as wrong:
            access.reset_passphrase(paths, "ada", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", NEW)
        assert "passphrase is wrong" not in str(wrong.value)
    with pytest.raises(vault.UnlockThrottled, match="recovery code again"):
        access.reset_passphrase(paths, "ada", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", NEW)
    with pytest.raises(vault.UnlockThrottled):
        open_caseload(paths, "ada", PASSPHRASE)


def test_the_window_change_of_passphrase_is_throttled_too(session, data_dir):
    for _ in range(3):
        with pytest.raises(WrongCurrentPassphrase):
            session.change_passphrase("guess guess guess", NEW)
    with pytest.raises(vault.UnlockThrottled):
        session.change_passphrase(PASSPHRASE, NEW)


# --- 12: passphrases normalised (NFC); spaces alone refused -------------------------------

CAFE = "café crème brûlée"


def test_a_passphrase_typed_decomposed_opens_a_caseload_made_composed(data_dir, fixed_clock):
    from iro_desktop.services import create_caseload

    paths = data_paths(data_dir)
    composed = unicodedata.normalize("NFC", CAFE)
    decomposed = unicodedata.normalize("NFD", CAFE)
    assert composed != decomposed
    s, _code = create_caseload(paths, "ada", composed, clock=fixed_clock)
    s.lock()
    open_caseload(paths, "ada", decomposed).lock()
    # And the other way round, after a change made with the decomposed form.
    access.change_passphrase(paths, "ada", decomposed, decomposed + " au lait")
    open_caseload(paths, "ada", composed + " au lait").lock()


def test_a_wrapping_made_before_normalisation_still_opens(session, data_dir):
    """Earlier versions wrapped the bytes as typed; such a key file must keep opening."""
    paths = data_paths(data_dir)
    data_key = session.store.data_key
    session.lock()
    keyfile = Keyfile.load(paths.keyfile)
    decomposed = unicodedata.normalize("NFD", CAFE)
    old = Wrapping.make(data_key, "placeholder passphrase", keyfile.aad("ada"))
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = derive_wrapping_key(decomposed, old.salt, old.params)  # no normalisation
    old.ciphertext = AESGCM(kek).encrypt(old.nonce, data_key, keyfile.aad("ada"))
    old.check = None
    keyfile.logins["ada"] = old
    keyfile.save(paths.keyfile)
    open_caseload(paths, "ada", decomposed).lock()


@pytest.mark.parametrize("passphrase", ["            ", "\t\u3000 \n  \u00a0    ", "  a         "])
def test_a_passphrase_of_spaces_is_refused_and_nothing_is_made(data_dir, passphrase):
    from iro_desktop.services import create_caseload

    paths = data_paths(data_dir)
    with pytest.raises(ValueError, match="passphrase"):
        create_caseload(paths, "ada", passphrase)
    assert not paths.keyfile.exists() and not paths.database.exists()


def test_changing_to_a_passphrase_of_spaces_is_refused(session, data_dir):
    paths = data_paths(data_dir)
    session.lock()
    before = paths.keyfile.read_bytes()
    with pytest.raises(ValueError, match="only spaces"):
        access.change_passphrase(paths, "ada", PASSPHRASE, " " * 20)
    assert paths.keyfile.read_bytes() == before


# --- 13: the recovery route resets an existing login, and creates none ---------------------


def test_reset_for_an_unknown_login_is_refused_and_creates_nothing(data_dir, fixed_clock):
    from iro_desktop.services import create_caseload

    paths = data_paths(data_dir)
    s, code = create_caseload(paths, "ada", PASSPHRASE, clock=fixed_clock)
    s.lock()
    before = paths.keyfile.read_bytes()
    for who in ("mallory", "__recovery__"):
        with pytest.raises(UnknownLogin, match=f"no login called '{who}'"):
            access.reset_passphrase(paths, who, code, NEW)
        with pytest.raises(UnknownLogin):
            vault.reset_passphrase_with_recovery_code(paths, who, code, NEW)
    assert paths.keyfile.read_bytes() == before
    assert vault.logins(paths) == ["ada"]
    with pytest.raises(UnknownLogin):
        open_caseload(paths, "mallory", NEW)
    # The recovery code's own wrapping is not a login either.
    with pytest.raises(UnknownLogin):
        open_caseload(paths, "__recovery__", code)


# --- 19: changes of passphrase are in the audit trail, from either way in -------------------


def _audit(paths, passphrase: str) -> list[dict]:  # type: ignore[type-arg]
    s = open_caseload(paths, "ada", passphrase)
    try:
        return [e for e in caseload_service.audit_trail(s, None) if e["entity"] == "login"]
    finally:
        s.lock()


def test_changes_and_resets_of_passphrase_are_audited(data_dir, fixed_clock):
    from iro_desktop.services import create_caseload

    paths = data_paths(data_dir)
    s, code = create_caseload(paths, "ada", PASSPHRASE, clock=fixed_clock)
    s.change_passphrase(PASSPHRASE, "the window's new passphrase")  # the window's way
    s.lock()
    access.change_passphrase(paths, "ada", "the window's new passphrase", NEW)  # command line
    access.reset_passphrase(paths, "ada", code, "after the recovery code")
    entries = _audit(paths, "after the recovery code")
    details = [(e["username"], e["action"], e["entity_id"], e["detail"]) for e in entries]
    assert details.count(("ada", "update", "ada", "passphrase changed")) == 2
    resets = [d for d in details if "recovery code" in d[3]]
    assert len(resets) == 1 and "none created" in resets[0][3]
    assert vault.logins(paths) == ["ada"]


def test_a_change_refused_because_the_caseload_is_open_elsewhere_changes_nothing(session, data_dir):
    paths = data_paths(data_dir)
    before = paths.keyfile.read_bytes()
    from iro_desktop.store.engine import CaseloadInUse

    with pytest.raises(CaseloadInUse):
        access.change_passphrase(paths, "ada", PASSPHRASE, NEW)
    assert paths.keyfile.read_bytes() == before
    assert json.loads(before)["logins"]


# --- re-encrypting and restoring check the passphrase under the same count -----------------


def test_guessing_through_re_encryption_is_throttled_like_an_unlock(session, data_dir):
    paths = data_paths(data_dir)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            session.rekey("guess guess guess")
    with pytest.raises(vault.UnlockThrottled, match="passphrase was not changed"):
        session.rekey(PASSPHRASE)
    _wait_over(paths)
    assert session.rekey(PASSPHRASE)  # a new recovery code once the wait is over


def test_guessing_a_backups_passphrase_is_throttled_and_restores_nothing(
    session, data_dir, tmp_path
):
    paths = data_paths(data_dir)
    backup_file = tmp_path / "caseload.irobackup"
    session.backup(backup_file)
    session.lock()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            access.restore_backup(paths, backup_file, "ada", "guess guess guess")
    with pytest.raises(vault.UnlockThrottled, match="Too many wrong passphrases"):
        access.restore_backup(paths, backup_file, "ada", PASSPHRASE)
    _wait_over(paths)
    access.restore_backup(paths, backup_file, "ada", PASSPHRASE)
    open_caseload(paths, "ada", PASSPHRASE).lock()
