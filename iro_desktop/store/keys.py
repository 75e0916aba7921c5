"""The data key and its wrappings.

A random 256-bit data key encrypts the database. On disk it exists only wrapped (AES-256-GCM)
by a key derived from a person's passphrase with scrypt, one wrapping per local login (the IRO,
and a manager who signs off on this laptop), plus a recovery-code wrapping made at set-up.
Changing a passphrase re-wraps the key (instant, the database is untouched); rekeying replaces
the data key and re-encrypts the file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import secrets
import time
import unicodedata
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
# The least cost unlock accepts from a key file: a file asking for less was not written by
# IRO Desktop (or was tampered with to make guessing cheap). Tests lower it from the test side.
MINIMUM_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
# The most: hashlib.scrypt's memory limit (it needs 128 * r * (n + p + 2) bytes) and a sane
# bound on p, the parallel cost.
SCRYPT_MAXMEM = 256 * 1024 * 1024
MAX_SCRYPT_P = 4


class KeyError_(Exception):
    """Base for key problems shown to the user."""


class WrongPassphrase(KeyError_):
    MESSAGE = "The passphrase is wrong. The caseload was not opened and nothing changed."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class WrongCurrentPassphrase(WrongPassphrase):
    MESSAGE = "The current passphrase is not right, so the passphrase was not changed."


class WrongRecoveryCode(WrongPassphrase):
    MESSAGE = (
        "The recovery code is not right, so no passphrase was set. Check it against the "
        "copy you wrote down."
    )


class UnknownLogin(KeyError_):
    pass


class KeyfileDamaged(KeyError_):
    """keys.json cannot be used. The message names the file once it is known."""

    def __init__(self, problem: str, where: str = "The key file") -> None:
        self.problem = problem
        super().__init__(f"{where} {problem}")

    def naming(self, path: Path) -> KeyfileDamaged:
        return type(self)(self.problem, f"The key file {path}")


class UnlockStateDamaged(KeyError_):
    """unlock-state.json (the count of wrong tries) could not be read."""


_NOT_OPENED = "The caseload was not opened and nothing was changed"


def _damaged(why: str) -> KeyfileDamaged:
    return KeyfileDamaged(f"is damaged ({why}). {_NOT_OPENED}; restore keys.json from a backup.")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def scrypt_params() -> dict[str, int]:
    """The cost for new wrappings (an existing wrapping keeps the cost it was made with)."""
    return dict(DEFAULT_SCRYPT)


def minimum_scrypt() -> dict[str, int]:
    """The least cost accepted from a key file (tests swap in their own from the test side)."""
    return dict(MINIMUM_SCRYPT)


def check_scrypt_params(params: dict[str, int]) -> None:
    """Refuse parameters scrypt cannot use, or that would make guessing cheap."""
    n, r, p = params["n"], params["r"], params["p"]
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or p > MAX_SCRYPT_P:
        raise _damaged(f"its key derivation settings are not valid: scrypt n={n}, r={r}, p={p}")
    if 128 * r * (n + p + 2) > SCRYPT_MAXMEM:
        raise _damaged(f"its key derivation asks for too much memory: scrypt n={n}, r={r}")
    least = minimum_scrypt()
    if n < least["n"] or r < least["r"] or p < least["p"]:
        raise KeyfileDamaged(
            f"asks for weaker key derivation than IRO Desktop accepts (scrypt n={n}, r={r}; "
            f"at least n={least['n']}, r={least['r']}), so it was not written by this program "
            f"or has been tampered with. {_NOT_OPENED}; restore keys.json from a backup."
        )


def normalise_passphrase(passphrase: str) -> str:
    """NFC: the same passphrase typed on any keyboard or system gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase)


def derive_wrapping_key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    try:
        return hashlib.scrypt(
            passphrase.encode("utf-8", "surrogatepass"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=SCRYPT_MAXMEM,
            dklen=32,
        )
    except (ValueError, MemoryError) as exc:  # checked on reading; this is the last guard
        raise _damaged(f"scrypt refused its settings n={n}, r={r}, p={p}: {exc}") from None


def _key_check(kek: bytes) -> bytes:
    # Tells a right passphrase from a wrong one without the binding (caseload id, login), so a
    # changed caseload id is reported as such. It costs a guesser the same scrypt as the
    # wrapped key itself, so it gives nothing away.
    return hashlib.sha256(b"iro-desktop key check\0" + kek).digest()[:16]


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
    check: bytes | None = None  # absent in key files written before it existed

    @classmethod
    def make(cls, data_key: bytes, passphrase: str, aad: bytes) -> Wrapping:
        params = scrypt_params()
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        kek = derive_wrapping_key(normalise_passphrase(passphrase), salt, params)
        ciphertext = AESGCM(kek).encrypt(nonce, data_key, aad)
        return cls(salt, nonce, ciphertext, params, _key_check(kek))

    def open(self, passphrase: str, aad: bytes) -> bytes:
        typed = normalise_passphrase(passphrase)
        # A wrapping made before passphrases were normalised holds the bytes as typed then.
        for form in dict.fromkeys([typed, passphrase]):
            kek = derive_wrapping_key(form, self.salt, self.params)
            try:
                return AESGCM(kek).decrypt(self.nonce, self.ciphertext, aad)
            except InvalidTag:
                if self.check is not None and secrets.compare_digest(self.check, _key_check(kek)):
                    raise _damaged(
                        "the caseload id, key generation or login name in it has been changed, "
                        "so the passphrase, though right, cannot open it"
                    ) from None
        raise WrongPassphrase()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kdf": "scrypt",
            "params": self.params,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.ciphertext),
        }
        if self.check is not None:
            data["check"] = _b64(self.check)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Wrapping:
        if not isinstance(data, dict):
            raise _damaged("a wrapped key is not a table")
        if data.get("kdf") != "scrypt":
            raise KeyfileDamaged(
                f"uses a key derivation this version does not know. {_NOT_OPENED}."
            )
        params = data.get("params")
        if not isinstance(params, dict) or set(params) != {"n", "r", "p"}:
            raise _damaged("the key derivation settings should be n, r and p")
        if not all(type(v) is int for v in params.values()):
            raise _damaged("the key derivation settings should be whole numbers")
        check_scrypt_params(params)
        salt = _field_bytes(data, "salt", 16, 64)
        nonce = _field_bytes(data, "nonce", 12, 12)
        ciphertext = _field_bytes(data, "wrapped_key", DATA_KEY_BYTES + 16, DATA_KEY_BYTES + 16)
        check = _field_bytes(data, "check", 16, 16) if "check" in data else None
        return cls(salt, nonce, ciphertext, dict(params), check)


def _field_bytes(data: dict[str, Any], name: str, least: int, most: int) -> bytes:
    value = data.get(name)
    try:
        raw = _unb64(value) if isinstance(value, str) else None
    except ValueError:
        raw = None
    if raw is None or not least <= len(raw) <= most:
        raise _damaged(f"'{name}' is missing or not the right length")
    return raw


@dataclass
class Keyfile:
    """keys.json: the caseload's id and the wrapped copies of its data key. No secrets in clear."""

    caseload_id: str
    logins: dict[str, Wrapping] = field(default_factory=dict)
    key_generation: int = 1
    source: Path | None = field(default=None, compare=False)  # the file it was read from

    def aad(self, login: str) -> bytes:
        # Binding each wrapping to its caseload and login stops a wrapping being moved.
        return f"iro-desktop:{self.caseload_id}:{self.key_generation}:{login}".encode()

    def add_login(self, login: str, passphrase: str, data_key: bytes) -> None:
        self.logins[login] = Wrapping.make(data_key, passphrase, self.aad(login))

    def unwrap(self, login: str, passphrase: str) -> bytes:
        wrapping = self.logins.get(login)
        if wrapping is None:
            raise UnknownLogin(f"There is no login called '{login}' for this caseload.")
        try:
            return wrapping.open(passphrase, self.aad(login))
        except KeyfileDamaged as exc:
            raise (exc.naming(self.source) if self.source else exc) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": KEYFILE_VERSION,
            "caseload_id": self.caseload_id,
            "key_generation": self.key_generation,
            "logins": {name: w.to_json() for name, w in self.logins.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Keyfile:
        """Every field checked for type and range: a damaged file gets a message, never a
        traceback."""
        if not isinstance(data, dict):
            raise _damaged("it is not a table of keys")
        version, generation = data.get("version"), data.get("key_generation", 1)
        if type(version) is not int or version < 1:
            raise _damaged("its version is missing")
        if version > KEYFILE_VERSION:
            raise KeyfileDamaged(
                "was written by a newer version of IRO Desktop. "
                "Update the program to open this caseload."
            )
        caseload_id = data.get("caseload_id")
        if not isinstance(caseload_id, str) or not _CASELOAD_ID.fullmatch(caseload_id):
            raise _damaged("its caseload id is missing or not one this program writes")
        if type(generation) is not int or generation < 1:
            raise _damaged("its key generation is not a positive whole number")
        logins = data.get("logins")
        if not isinstance(logins, dict) or not logins:
            raise _damaged("it holds no wrapped keys")
        if not all(isinstance(name, str) and name for name in logins):
            raise _damaged("a login name is empty")
        return cls(
            caseload_id=caseload_id,
            key_generation=generation,
            logins={name: Wrapping.from_json(w) for name, w in logins.items()},
        )

    def save(self, path: Path) -> None:
        atomic_write(path, json.dumps(self.to_json(), indent=2).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> Keyfile:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise KeyfileDamaged(
                f"is missing. {_NOT_OPENED}; restore keys.json from a backup.",
                f"The key file {path}",
            ) from None
        except (OSError, ValueError, RecursionError) as exc:
            raise _damaged(f"it cannot be read: {exc}").naming(path) from None
        try:
            keyfile = cls.from_json(data)
        except KeyfileDamaged as exc:
            raise exc.naming(path) from None
        keyfile.source = path
        return keyfile


# Every caseload id this program writes is uuid4().hex; anything else was edited by hand.
_CASELOAD_ID = re.compile(r"[0-9a-f]{32}")


def atomic_write(path: Path, data: bytes) -> None:
    """Write a small file so that a crash leaves either the old or the new version."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        if os.name == "posix":
            os.fchmod(fh.fileno(), 0o600)  # wrapped keys: owner-only, whatever the umask
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


FREE_TRIES = 3
MAX_WAIT_SECONDS = 60.0
# Saturates the stored count: the delay stopped growing long before, and a count that grows
# without bound once overflowed the delay's arithmetic.
MAX_COUNTED_FAILURES = 1_000_000


@dataclass
class UnlockThrottle:
    """A growing delay after repeated wrong secrets (3 free tries, then 2, 4, 8... s, max 60).

    One count for every secret check (unlock, the current passphrase when changing it, the
    recovery code), so moving from one to another buys no extra tries.
    """

    path: Path
    failures: int = 0
    last_failure: float = 0.0
    problem: str = ""  # set when the file could not be read; the count starts afresh

    @classmethod
    def load(cls, path: Path) -> UnlockThrottle:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, RecursionError) as exc:
            return cls(path, problem=f"cannot be read ({exc})")
        failures = data.get("failures") if isinstance(data, dict) else None
        last = data.get("last_failure") if isinstance(data, dict) else None
        if type(failures) is not int or failures < 0:
            return cls(path, problem="has no count of wrong tries")
        if not isinstance(last, int | float) or isinstance(last, bool) or not math.isfinite(last):
            return cls(path, problem="has no time of the last wrong try")
        return cls(path, min(failures, MAX_COUNTED_FAILURES), float(last))

    def wait_seconds(self, now: float | None = None) -> float:
        if self.failures < FREE_TRIES:
            return 0.0
        # The exponent is capped, not just the result: 2.0 ** 1024 overflows.
        delay = min(2.0 ** min(self.failures - 2, 16), MAX_WAIT_SECONDS)
        now = time.time() if now is None else now
        if self.last_failure > now:
            # The clock was moved back: count the wait from now, never from the future.
            self.last_failure = now
            self._save()
        return max(0.0, self.last_failure + delay - now)

    def record_failure(self, now: float | None = None) -> None:
        self.failures = min(self.failures + 1, MAX_COUNTED_FAILURES)
        self.last_failure = time.time() if now is None else now
        self._save()

    def record_success(self) -> None:
        if self.failures:
            self.failures = 0
            self.last_failure = 0.0
            self._save()

    def start_afresh(self) -> bool:
        """After a damaged file: write a clean one. False if it cannot be written."""
        self.failures, self.last_failure, self.problem = 0, 0.0, ""
        return self._save()

    def _save(self) -> bool:
        # The throttle is a courtesy; never block an unlock because it cannot be written.
        try:
            atomic_write(
                self.path,
                json.dumps({"failures": self.failures, "last_failure": self.last_failure}).encode(),
            )
        except OSError:
            return False
        return True
