"""The services own the database: only tracker/db and tracker/services use the ORM, the services
never reach up into excel, report, summary or cli, and import-linter sees every package."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"
ORM_MODULES = ("sqlalchemy.orm", "tracker.db.orm")
ORM_HOMES = (TRACKER / "db", TRACKER / "services")
ORM_ALLOWED: set[str] = set()  # summary and demo read and write through services now
ABOVE_SERVICES = ("tracker.excel", "tracker.report", "tracker.summary", "tracker.cli")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, including those inside functions."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            # "from tracker.db import orm" names the module in the imported names.
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_every_package_directory_has_an_init() -> None:
    # A directory without __init__.py is a namespace package that import-linter never sees.
    missing = sorted(str(d.relative_to(ROOT)) for d in [TRACKER, *TRACKER.rglob("*")]
                     if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
                     and not (d / "__init__.py").exists())
    assert missing == []


def test_only_db_and_services_use_the_orm() -> None:
    offenders = []
    for path in TRACKER.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if any(home in path.parents for home in ORM_HOMES) or rel in ORM_ALLOWED:
            continue
        offenders += [f"{rel}:{line} {name}" for line, name in _imports(path)
                      if _within(name, ORM_MODULES)]
    assert offenders == [], "ask a service in tracker/services instead:\n" + "\n".join(offenders)


def test_services_never_import_the_layers_above_them() -> None:
    offenders = []
    for path in (TRACKER / "services").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        offenders += [f"{rel}:{line} {name}" for line, name in _imports(path)
                      if _within(name, ABOVE_SERVICES)]
    assert offenders == []


def test_the_layers_contract_names_every_module_of_the_core() -> None:
    # A module left out of every layer is not checked by the layers contract at all.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    named = {m for layer in layers["layers"] for m in re.split(r"[|:]", layer) if m.strip()}
    named = {m.strip() for m in named}
    present = {p.stem for p in TRACKER.glob("*.py") if p.stem != "__init__"} | {
        d.name for d in TRACKER.iterdir() if (d / "__init__.py").exists()}
    assert sorted(present - named) == []


def test_the_orm_check_sees_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy.orm\nfrom sqlalchemy.orm import Session\n"
                      "from sqlalchemy import orm\nfrom tracker.db import orm as o\n"
                      "def f():\n    from tracker.db.orm import Problem\n"
                      "from sqlalchemy import select\n", encoding="utf-8")
    hits = [name for _, name in _imports(sample) if _within(name, ORM_MODULES)]
    assert len({line for line, name in _imports(sample) if _within(name, ORM_MODULES)}) == 5
    assert "sqlalchemy.select" not in hits
