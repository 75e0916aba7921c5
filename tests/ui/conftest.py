"""Window tests: a real encrypted caseload in tmp_path, the real window, offscreen.

Set before Qt is imported: the offscreen platform, quick key derivation, and a keyring that
always refuses (so no test ever touches the real keyring of the machine it runs on).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from iro_desktop.paths import DataPaths, data_paths  # noqa: E402
from iro_desktop.ui import dialogs  # noqa: E402
from iro_desktop.ui.main_window import MainWindow  # noqa: E402

from .support import AS_OF, LOGIN, NAME, PASSPHRASE, fixed_clock, make_window, unlock  # noqa: E402


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo caseload (70 invented children) made once; each test works on a copy."""
    from iro_desktop.services import create_caseload
    from iro_desktop.services.demo import load_demo

    folder = tmp_path_factory.mktemp("template") / "caseload"
    session, _code = create_caseload(
        data_paths(folder), LOGIN, PASSPHRASE, display_name=NAME, clock=fixed_clock()
    )
    load_demo(session, 70, 1, AS_OF)
    session.lock()
    return folder


@pytest.fixture
def paths(tmp_path: Path, demo_template: Path) -> DataPaths:
    folder = tmp_path / "caseload"
    shutil.copytree(demo_template, folder, ignore=shutil.ignore_patterns("caseload.lock"))
    return data_paths(folder)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new IRO's caseload: created, and nothing in it yet."""
    from iro_desktop.services import create_caseload

    folder = tmp_path_factory.mktemp("empty") / "caseload"
    session, _code = create_caseload(
        data_paths(folder), LOGIN, PASSPHRASE, display_name=NAME, clock=fixed_clock()
    )
    session.lock()
    return folder


@pytest.fixture
def empty_paths(tmp_path: Path, empty_template: Path) -> DataPaths:
    folder = tmp_path / "empty-caseload"
    shutil.copytree(empty_template, folder, ignore=shutil.ignore_patterns("caseload.lock"))
    return data_paths(folder)


@pytest.fixture
def empty(qtbot, empty_paths: DataPaths) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on an empty caseload, unlocked."""
    window = make_window(qtbot, empty_paths)
    window.start()
    unlock(window)
    assert window.session is not None and window.session.is_open
    return window


@pytest.fixture(autouse=True)
def quiet_dialogs() -> Iterator[None]:
    dialogs.reset()
    dialogs.non_interactive(True)
    yield
    dialogs.reset()


@pytest.fixture
def window(qtbot, paths: DataPaths) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths)
    window.start()
    return window


@pytest.fixture
def unlocked(window: MainWindow) -> MainWindow:
    unlock(window)
    assert window.session is not None and window.session.is_open
    return window
