"""Hostile files given to the importers (Excel ledgers, Word reports): zip bombs, XML bombs,
wrong formats, truncation. Each is refused with a Chinese message naming the file, within
bounded time and memory, and the ledger is left exactly as it was."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.hostile_files import HOSTILE, HOSTILE_REPORTS, good_xlsx_bytes
from tracker.db.engine import open_ledger
from tracker.domain import ProblemInput
from tracker.services.problems import create_problem

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 10.0  # per file, on a loaded two-core machine; most take milliseconds
MAX_PEAK_MB = 400  # the whole importing process; a bomb that inflated would need gigabytes
_CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_AS to protect the machine")

# The row limit is worded per sheet; the file's name is not in it yet (told the importer's author).
NAMES_ONLY_THE_SHEET = {"huge_dimension"}


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("source", "problem", "measure", "progress_note", "change_log", "unit")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """Every hostile file imported once, in one separate process (one JSON line per file)."""
    folder = tmp_path_factory.mktemp("hostile")
    ledger = folder / "台账.sqlite"
    led = open_ledger(ledger, user="测试员", auto_backup=False)
    create_problem(led, ProblemInput("导入前已有的问题"))
    led.close()
    before = _snapshot(ledger)
    files = {key: make(folder) for key, make in {**HOSTILE, **HOSTILE_REPORTS}.items()}
    by_name = {line["file"]: line for line in _import(ledger, *files.values())}
    result = {key: {**by_name[path.name], "path": path} for key, path in files.items()}
    result["_ledger_unchanged"] = {"same": _snapshot(ledger) == before}
    # The same process imports a sound workbook: refusals above are not a broken harness.
    good = folder / "正常台账.xlsx"
    good.write_bytes(good_xlsx_bytes())
    result["_good"] = {**_import(ledger, good)[0], "problems": len(_snapshot(ledger)["problem"])}
    return result


def _import(ledger: Path, *files: Path) -> list[dict[str, object]]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.core.ledger_worker", "import-files", str(ledger),
         *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.mark.parametrize("kind", sorted({**HOSTILE, **HOSTILE_REPORTS}))
def test_hostile_file_is_refused_quickly_by_name(outcomes, kind: str) -> None:
    got = outcomes[kind]
    name = Path(str(got["path"])).name
    assert got["refused"] is True, got
    message = str(got["message"])
    assert _CJK.search(message), message
    if kind in NAMES_ONLY_THE_SHEET:
        assert "超过" in message
    else:
        assert name in message, f"{kind}: the message must name the file: {message}"
    assert float(str(got["seconds"])) < MAX_SECONDS, got
    assert int(str(got["peak_mb"])) < MAX_PEAK_MB, got


def test_the_ledger_is_unchanged_after_every_refusal(outcomes) -> None:
    assert outcomes["_ledger_unchanged"]["same"]


@pytest.mark.parametrize("kind,words", [
    ("zip_bomb", "压缩比异常"), ("lying_zip", "已损坏"), ("billion_laughs", "实体定义"),
    ("external_entity", "实体定义"), ("billion_laughs_hidden", "实体定义"),
    ("old_xls", "另存为"), ("encrypted_xlsx", "打开密码"), ("empty_file", "0 字节"),
    ("docx_named_xlsx", "这是 Word 文档"), ("truncated_zip", "已损坏"),
    ("random_bytes", "不是 Excel 工作簿"), ("text_named_xlsx", "不是 Excel 工作簿"),
    ("docx_bomb", "解压后过大"), ("docx_laughs", "不安全的 XML"), ("old_doc", "旧版 Word"),
])
def test_the_refusal_says_what_is_wrong(outcomes, kind: str, words: str) -> None:
    assert words in str(outcomes[kind]["message"])


def test_a_sound_workbook_imports_through_the_same_path(outcomes) -> None:
    assert outcomes["_good"]["refused"] is False, outcomes["_good"]
    assert outcomes["_good"]["problems"] == 21  # the one already there and the file's twenty
