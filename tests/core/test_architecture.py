"""The core never imports Qt: checked by import-linter's contract in pyproject.toml and by AST."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_in_tracker_imports_pyside6_or_ui() -> None:
    offenders = []
    for path in (ROOT / "tracker").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"PySide6", "shiboken6", "ui", "PyQt5", "PyQt6"}:
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_import_linter_contract_holds() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_importing_the_core_loads_no_qt() -> None:
    code = ("import sys, tracker.cli.main, tracker.services.problems, tracker.summary; "
            "tracker.cli.main.build_parser(); "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "today"),
               ("datetime", "utcnow"), ("time", "time"), ("time", "localtime")}


def _clock_calls(path: Path) -> list[str]:
    """Calls like dt.date.today() / datetime.now() / time.time(): the attribute chain's last two
    names, so any import alias (dt.date, datetime.date, date) is caught."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if (owner_name, node.func.attr) in CLOCK_CALLS:
            found.append(f"{path}:{node.lineno} {owner_name}.{node.func.attr}()")
    return found


def test_today_and_now_come_only_from_the_one_clock() -> None:
    offenders = []
    for package in ("tracker", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            if path != ROOT / "tracker" / "clock.py":
                offenders += _clock_calls(path)
    assert offenders == [], "ask tracker.clock instead:\n" + "\n".join(offenders)


def test_the_clock_check_catches_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\nimport time\nfrom datetime import date, datetime\n"
                      "a = dt.date.today()\nb = datetime.now()\nc = date.today()\n"
                      "d = time.time()\ne = dt.datetime.utcnow()\n", encoding="utf-8")
    assert len(_clock_calls(sample)) == 5
