"""A laptop install carries the desktop program only: the sync server's packages are an extra.

`pip install iro-desktop` must not pull FastAPI, uvicorn or argon2 (they are the server's), and
the program must work end to end without them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import requires

from packaging.requirements import Requirement

SERVER_ONLY = {"fastapi", "uvicorn", "argon2-cffi", "starlette"}


def _requirements(extra: str | None) -> set[str]:
    names = set()
    for line in requires("iro-desktop") or []:
        req = Requirement(line)
        wanted = (
            req.marker is None
            if extra is None
            else (req.marker is not None and req.marker.evaluate({"extra": extra}))
        )
        if wanted:
            names.add(req.name.lower())
    return names


def test_the_laptop_install_pulls_no_server_package():
    laptop = _requirements(None)
    assert "pyside6-essentials" in laptop  # not vacuous: these are the program's own
    assert not laptop & SERVER_ONLY
    assert {"fastapi", "uvicorn", "argon2-cffi"} <= _requirements("server")


BLOCK_SERVER = (
    "import sys\n"
    "for name in ('fastapi', 'starlette', 'uvicorn', 'argon2', 'pydantic'):\n"
    "    sys.modules[name] = None  # importing it now fails, as on a laptop without the extra\n"
    "from tests.fast_kdf import install\n"
    "install()\n"
    "from iro_desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_the_program_works_without_the_server_packages(tmp_path):
    env = {**os.environ, "IRO_DESKTOP_PASSPHRASE": "a laptop without the server extra"}
    base = [sys.executable, "-c", BLOCK_SERVER, "--data-dir", str(tmp_path), "--user", "lean"]

    def run(*args: str) -> str:
        done = subprocess.run([*base, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("init", "--name", "Lee Lean")
    run("demo-data", "--children", "3")
    assert "Due in" in run("caseload")
    run("export", "ssda903", "--out", str(tmp_path / "return"))
    assert any((tmp_path / "return").glob("*.csv"))
