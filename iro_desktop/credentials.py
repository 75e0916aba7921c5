"""'Remember on this device': the data key in the OS keyring. Fails closed.

If the keyring is missing, locked or broken, nothing is remembered and the IRO types the
passphrase as usual; a secret is never written anywhere else instead.
"""

from __future__ import annotations

import base64
import contextlib
from typing import Any

SERVICE = "IRO Desktop"


class KeyringUnavailable(Exception):
    pass


def _keyring() -> Any:  # the keyring module (imported late: it is slow to load)
    try:
        import keyring
        from keyring.backends import fail
    except Exception as exc:  # pragma: no cover - keyring is a dependency
        raise KeyringUnavailable(f"The system keyring is not available ({exc}).") from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "plaintext" in type(backend).__name__.lower():
        raise KeyringUnavailable(
            "This computer has no secure keyring, so the passphrase cannot be remembered."
        )
    return keyring


def _entry(caseload_id: str, login: str) -> str:
    return f"{caseload_id}:{login}"


def remember_key(caseload_id: str, login: str, data_key: bytes) -> None:
    kr = _keyring()
    try:
        kr.set_password(SERVICE, _entry(caseload_id, login), base64.b64encode(data_key).decode())
    except Exception as exc:
        raise KeyringUnavailable(f"The keyring refused to store the key ({exc}).") from None


def remembered_key(caseload_id: str, login: str) -> bytes | None:
    try:
        kr = _keyring()
        value = kr.get_password(SERVICE, _entry(caseload_id, login))
    except Exception:
        return None
    if not value:
        return None
    try:
        return base64.b64decode(value)
    except ValueError:
        return None


def forget_key(caseload_id: str, login: str) -> None:
    with contextlib.suppress(Exception):
        _keyring().delete_password(SERVICE, _entry(caseload_id, login))


def store_secret(name: str, value: str) -> None:
    """Other secrets (the sync token) under the same service."""
    kr = _keyring()
    try:
        kr.set_password(SERVICE, name, value)
    except Exception as exc:
        raise KeyringUnavailable(f"The keyring refused to store a secret ({exc}).") from None


def load_secret(name: str) -> str | None:
    try:
        return _keyring().get_password(SERVICE, name)  # type: ignore[no-any-return]
    except Exception:
        return None
