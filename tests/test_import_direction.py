"""The architecture's import rules, checked on the source (../shared/design.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "iro_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(sub: str = "") -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


def _package_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else ""


def test_domain_imports_only_the_standard_library_and_pure_helpers():
    allowed_third_party = {"holidays", "dateutil"}
    for path in _modules("domain"):
        for name in _imports(path):
            top = _top(name)
            if top == "iro_desktop":
                assert name.startswith("iro_desktop.domain"), f"{path.name} imports {name}"
                continue
            assert top not in {
                "PySide6",
                "sqlalchemy",
                "sqlcipher3",
                "httpx",
                "reportlab",
                "fastapi",
                "alembic",
                "keyring",
            }, f"{path.name} imports {name}"
            if top in allowed_third_party:
                continue
            import sys

            assert top in sys.stdlib_module_names, f"{path.name} imports third-party {name}"


def test_only_ui_imports_qt():
    for path in _modules():
        if _package_of(path) == "ui":
            continue
        for name in _imports(path):
            assert _top(name) != "PySide6", f"{path.relative_to(PACKAGE)} imports {name}"


def test_only_store_and_server_import_sqlalchemy():
    for path in _modules():
        if _package_of(path) in {"store", "server"}:
            continue
        for name in _imports(path):
            assert _top(name) not in {"sqlalchemy", "sqlcipher3", "alembic"}, (
                f"{path.relative_to(PACKAGE)} imports {name}"
            )


def test_ui_goes_through_services_never_store():
    for path in _modules("ui"):
        for name in _imports(path):
            assert not name.startswith("iro_desktop.store"), f"{path.name} imports {name}"


def test_the_rules_would_catch_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6 import QtWidgets\nimport sqlalchemy.orm\n")
    assert {_top(n) for n in _imports(bad)} == {"PySide6", "sqlalchemy"}
