"""The data key and its wrappings.

A random 256-bit data key encrypts the database. On disk it exists only wrapped (AES-256-GCM)
by a key derived from a person's passphrase with scrypt, one wrapping per local login (the IRO,
and a manager who signs off on this laptop), plus a recovery-code wrapping made at set-up.
Changing a passphrase re-wraps the key (instant, the database is untouched); rekeying replaces
the data key and re-encrypts the file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEYFILE_VERSION = 1
DATA_KEY_BYTES = 32
RECOVERY_LOGIN = "__recovery__"

# scrypt n=2**16, r=8 costs about 0.3 s and 64 MiB here: slow enough to make guessing a
# stolen laptop's passphrase expensive, quick enough not to annoy an IRO at every unlock.
DEFAULT_SCRYPT = {"n": 2**16, "r": 8, "p": 1}


class KeyError_(Exception):
    """Base for key problems shown to the user."""


class WrongPassphrase(KeyError_):
    def __init__(self) -> None:
        super().__init__(
            "The passphrase is wrong. The caseload was not opened and nothing changed."
        )


class UnknownLogin(KeyError_):
    pass


class KeyfileDamaged(KeyError_):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def scrypt_params() -> dict[str, int]:
    """The cost for new wrappings (an existing wrapping keeps the cost it was made with)."""
    return dict(DEFAULT_SCRYPT)


def derive_wrapping_key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def sqlcipher_raw_key(data_key: bytes) -> bytes:
    """The blob SQLCipher's sqlite3_key() reads as a raw key (no SQLCipher KDF)."""
    return b"x'" + data_key.hex().encode("ascii") + b"'"


def new_recovery_code() -> str:
    # 25 characters in 5 groups from an alphabet without look-alikes: easy to write down.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(25))
    return "-".join(raw[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))


@dataclass
class Wrapping:
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    params: dict[str, int]

    @classmethod
    def make(cls, data_key: bytes, passphrase: str, aad: bytes) -> Wrapping:
        params = scrypt_params()
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        kek = derive_wrapping_key(passphrase, salt, params)
        ciphertext = AESGCM(kek).encrypt(nonce, data_key, aad)
        return cls(salt, nonce, ciphertext, params)

    def open(self, passphrase: str, aad: bytes) -> bytes:
        kek = derive_wrapping_key(passphrase, self.salt, self.params)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.ciphertext, aad)
        except InvalidTag:
            raise WrongPassphrase() from None

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": "scrypt",
            "params": self.params,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Wrapping:
        if data.get("kdf") != "scrypt":
            raise KeyfileDamaged("The key file uses a key derivation this version does not know.")
        return cls(
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            ciphertext=_unb64(data["wrapped_key"]),
            params={k: int(v) for k, v in data["params"].items()},
        )


@dataclass
class Keyfile:
    """keys.json: the caseload's id and the wrapped copies of its data key. No secrets in clear."""

    caseload_id: str
    logins: dict[str, Wrapping] = field(default_factory=dict)
    key_generation: int = 1

    def aad(self, login: str) -> bytes:
        # Binding each wrapping to its caseload and login stops a wrapping being moved.
        return f"iro-desktop:{self.caseload_id}:{self.key_generation}:{login}".encode()

    def add_login(self, login: str, passphrase: str, data_key: bytes) -> None:
        self.logins[login] = Wrapping.make(data_key, passphrase, self.aad(login))

    def unwrap(self, login: str, passphrase: str) -> bytes:
        wrapping = self.logins.get(login)
        if wrapping is None:
            raise UnknownLogin(f"There is no login called '{login}' for this caseload.")
        return wrapping.open(passphrase, self.aad(login))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": KEYFILE_VERSION,
            "caseload_id": self.caseload_id,
            "key_generation": self.key_generation,
            "logins": {name: w.to_json() for name, w in self.logins.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Keyfile:
        try:
            if int(data["version"]) > KEYFILE_VERSION:
                raise KeyfileDamaged(
                    "The key file was written by a newer version of IRO Desktop. "
                    "Update the program to open this caseload."
                )
            return cls(
                caseload_id=str(data["caseload_id"]),
                key_generation=int(data.get("key_generation", 1)),
                logins={k: Wrapping.from_json(v) for k, v in data["logins"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyfileDamaged(f"The key file is damaged ({exc}).") from None

    def save(self, path: Path) -> None:
        atomic_write(path, json.dumps(self.to_json(), indent=2).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> Keyfile:
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise KeyfileDamaged(f"No caseload key file at {path}.") from None
        except (OSError, ValueError) as exc:
            raise KeyfileDamaged(f"The key file {path} cannot be read ({exc}).") from None
        if not isinstance(data, dict):
            raise KeyfileDamaged(f"The key file {path} is damaged.")
        return cls.from_json(data)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a small file so that a crash leaves either the old or the new version."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass
class UnlockThrottle:
    """A growing delay after repeated wrong passphrases (3 free tries, then 2, 4, 8... s, max 60)."""

    path: Path
    failures: int = 0
    last_failure: float = 0.0

    @classmethod
    def load(cls, path: Path) -> UnlockThrottle:
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(path, int(data.get("failures", 0)), float(data.get("last_failure", 0.0)))
        except (OSError, ValueError, TypeError):
            return cls(path)

    def wait_seconds(self, now: float | None = None) -> float:
        if self.failures < 3:
            return 0.0
        delay = min(2.0 ** (self.failures - 2), 60.0)
        now = time.time() if now is None else now
        return max(0.0, self.last_failure + delay - now)

    def record_failure(self) -> None:
        self.failures += 1
        self.last_failure = time.time()
        self._save()

    def record_success(self) -> None:
        if self.failures:
            self.failures = 0
            self.last_failure = 0.0
            self._save()

    def _save(self) -> None:
        # The throttle is a courtesy; never block an unlock because it cannot be written.
        with contextlib.suppress(OSError):
            atomic_write(
                self.path,
                json.dumps({"failures": self.failures, "last_failure": self.last_failure}).encode(),
            )
