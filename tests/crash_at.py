"""Run the `iro-desktop` command and kill it with SIGKILL (as a flat battery would) the moment
it reaches a named step of a multi-step file change (iro_desktop/store/files.crash_point):

    python -m tests.crash_at STEP ARGS...     # ARGS as for iro-desktop

Exits by the signal (return code -9) if the step was reached, normally if it was not.
"""

from __future__ import annotations

import os
import signal
import sys

from tests.fast_kdf import install


def main(argv: list[str]) -> int:
    step, args = argv[0], argv[1:]
    install()
    from iro_desktop.store import files

    def reached(name: str) -> None:
        if name == step:
            sys.stdout.flush()
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    files.reached = reached
    from iro_desktop.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
