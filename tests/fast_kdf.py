"""Cheap key derivation for tests: set up many caseloads without paying scrypt's real cost.

The shipped program never reads a test switch; tests swap the cost in here, in-process
(`install`) or for a child process (`python -m tests.fast_kdf ARGS...` runs `iro-desktop`).
A keys file records the cost it was made with, so such caseloads still open normally.
"""

from __future__ import annotations

import sys

TEST_SCRYPT = {"n": 2**10, "r": 8, "p": 1}


def install() -> None:
    from iro_desktop.store import keys

    keys.scrypt_params = lambda: dict(TEST_SCRYPT)  # type: ignore[assignment]
    # Unlock refuses key files cheaper than the shipped minimum; these tests' files are.
    keys.minimum_scrypt = lambda: dict(TEST_SCRYPT)  # type: ignore[assignment]


if __name__ == "__main__":
    install()
    from iro_desktop.cli import main

    sys.exit(main(sys.argv[1:]))
