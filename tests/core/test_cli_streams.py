"""Issue 12 item 10 and issue 18: output never crashes on a character outside GBK (a Chinese
Windows console or pipe), JSON stays lossless there, progress is drawn on a terminal only,
and the command modules are imported statically."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli.console import CliProgress
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.services.problems import create_problem

ROOT = Path(__file__).resolve().parents[2]
ODD = "𠮷野家食堂😀留样不规范"


def rectify(db: Path, *args: str, encoding: str | None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ}
    env.pop("PYTHONIOENCODING", None)
    env.pop("DISPLAY", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", "--db", str(db), *args],
                          capture_output=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("gbk") / "台账.sqlite"
    led = open_ledger(db)
    create_problem(led, ProblemInput(description=ODD, lead_unit="𠮷镇中心校",
                                     measures=(MeasureInput("每餐留样😀", lead_unit="𠮷镇中心校"),)))
    led.close()
    return db


@pytest.mark.parametrize("args", [["list"], ["show", "1"], ["units"], ["list", "--json"],
                                  ["history"], ["list", "--unit", "𠮷镇"]])
def test_a_gbk_console_never_crashes_on_characters_outside_gbk(odd_db: Path,
                                                               args: list[str]) -> None:
    out = rectify(odd_db, *args, encoding="gbk")
    expected = 1 if "--unit" in args else 0
    assert out.returncode == expected, out.stderr.decode("gbk", "replace")
    text = out.stdout.decode("gbk") + out.stderr.decode("gbk")  # valid GBK throughout
    assert "Traceback" not in text
    if "--json" in args:
        assert json.loads(out.stdout.decode("gbk"))[0]["lead_unit"] == "𠮷镇中心校"
    else:
        assert "镇中心校" in text
    if "--unit" in args:
        assert "是否指：?镇中心校" in out.stderr.decode("gbk")


def test_json_stays_lossless_on_a_gbk_pipe(odd_db: Path) -> None:
    out = rectify(odd_db, "show", "1", "--json", encoding="gbk")
    assert out.returncode == 0
    assert json.loads(out.stdout.decode("gbk"))["description"] == ODD  # \\u escapes
    utf8 = rectify(odd_db, "show", "1", "--json", encoding="utf-8")
    assert ODD in utf8.stdout.decode("utf-8")  # written as itself where it fits


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only() -> None:
    quiet = io.StringIO()
    with CliProgress("正在导出", quiet) as progress:
        progress(5, 10, "第 5 个")
    assert quiet.getvalue() == "" and not progress.enabled
    tty = FakeTerminal()
    with CliProgress("正在导出", tty) as progress:
        assert progress.enabled
        progress(5, 10, "第 5 个")
        progress.two()(10, 10)
    assert tty.getvalue()  # rich drew (and then cleared) its bar


def test_the_command_modules_are_imported_statically() -> None:
    tree = ast.parse((ROOT / "tracker" / "cli" / "main.py").read_text(encoding="utf-8"))
    dynamic = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
               and isinstance(n.func, ast.Attribute) and n.func.attr == "import_module"]
    assert dynamic == []
    from tracker.cli import main

    assert all(hasattr(m, "register") for m in main.COMMAND_MODULES)
