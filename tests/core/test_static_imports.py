"""Every module of the app is imported by a literal name, so a freezer (PyInstaller, Nuitka)
sees it: no importlib.import_module, __import__ or import_module with a computed name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("tracker", "ui")
DYNAMIC = {"import_module", "__import__", "find_spec", "spec_from_file_location"}


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
                  # alembic's own migration scripts are loaded by alembic from files, on purpose
                  if "migrations" not in p.parts)


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def dynamic_imports(source: str) -> list[tuple[int, str]]:
    """(line, name) of each import call whose module name is not a string literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called_name(node) in DYNAMIC:
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                found.append((node.lineno, _called_name(node)))
    return sorted(found)


def test_the_check_finds_a_computed_import_and_passes_a_literal_one() -> None:
    code = ("import importlib\nfor n in NAMES:\n    importlib.import_module(n)\n"
            "__import__(name)\nimport_module('ui.dialogs.x')\n")
    assert dynamic_imports(code) == [(3, "import_module"), (4, "__import__")]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_imported_by_a_computed_name(path: Path) -> None:
    found = dynamic_imports(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: import by a computed name at {found}"
