"""The architecture's rules (docs/architecture.md) hold, and would catch a break.

The rules themselves are import-linter contracts in pyproject.toml; scripts/test runs
`lint-imports` on the real tree. These tests prove the contracts bite: a copy of the package
with one deliberate violation must fail them, and no two modules of one package import each
other in a circle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "iro_desktop",
        tmp_path / "iro_desktop",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return tmp_path / "iro_desktop"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_untouched_tree_keeps_every_contract(tmp_path):
    _copy_package(tmp_path)
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
    # Not vacuous: the whole package was analysed.
    analysed = int(result.stdout.split("Analyzed ")[1].split(" files")[0])
    assert analysed > 150


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("domain/timescales.py", "from PySide6 import QtCore\n", "The domain is plain Python"),
        ("store/outbox.py", "from iro_desktop.services import access\n", "Layers"),
        ("domain/letter.py", "from ..store import engine\n", "Layers"),  # a relative import
        ("services/caseload.py", "import sqlalchemy.orm\n", "Only the store and the server"),
        ("pdf/layout.py", "from PySide6.QtGui import QFont\n", "Only the window imports Qt"),
        ("services/due.py", "import fastapi\n", "A laptop never needs the server"),
        ("server/views.py", "from iro_desktop.store import engine\n", "The sync server holds"),
    ],
)
def test_a_deliberate_violation_breaks_a_contract(tmp_path, module, line, contract):
    package = _copy_package(tmp_path)
    target = package / module
    text = target.read_text("utf-8")
    marker = "from __future__ import annotations\n"
    target.write_text(text.replace(marker, marker + line, 1), "utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[1]
    assert contract in broken


def _cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Strongly connected groups of modules inside one package (Tarjan)."""
    modules = [m for m in graph.modules if m.startswith(package + ".")]
    inside = set(modules)
    edges = {m: graph.find_modules_directly_imported_by(m) & inside for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for m in modules:
        if m not in index:
            visit(m)
    return found


def test_no_two_modules_of_one_package_import_each_other_in_a_circle():
    graph = grimp.build_graph("iro_desktop", exclude_type_checking_imports=True)
    packages = sorted({m.rsplit(".", 1)[0] for m in graph.modules if m.count(".") >= 2})
    assert "iro_desktop.services" in packages
    cycles = [c for p in packages for c in _cycles(graph, p)]
    assert cycles == []


def test_the_cycle_finder_finds_a_circle(tmp_path):
    for name, body in {"a": "from pkg import b\n", "b": "from pkg import a\n", "c": ""}.items():
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"{name}.py").write_text(body)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("pkg")
    finally:
        sys.path.remove(str(tmp_path))
    assert _cycles(graph, "pkg") == [["pkg.a", "pkg.b"]]


def test_the_window_module_loads_without_the_services_so_the_unlock_screen_is_quick():
    """The services (SQLAlchemy, ReportLab, HarfBuzz: about a second) load after the unlock
    screen is up, never while a person waits for it (benchmarks/bench_startup.py)."""
    import subprocess
    import sys

    probe = (
        "import sys; import iro_desktop.ui.main_window, iro_desktop.ui.waiting_letters; "
        "print(sorted(m for m in sys.modules if m.startswith('iro_desktop.services.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
