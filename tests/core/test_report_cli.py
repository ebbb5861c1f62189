"""`rectify import-report` through a real subprocess: preview, import under a source named from
the document, encodings and Word files, and refusals as one Chinese line."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, SourceKind, Status
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from tracker.services.reference import list_sources

RECTIFY = [sys.executable, "-m", "ui.launch"]
ZHONGWEI = Path(__file__).resolve().parents[3] / "shared" / "samples" / "report-zhongwei-2021.txt"

REPORT = """2022年某某县人民政府履行教育职责情况的自评报告

根据《关于开展2023年县级人民政府履行教育职责评价工作的通知》（某教督〔2023〕2号）要求，现将自评情况报告如下。

一、主要成效
一是教育投入持续增加。二是办学条件明显改善。

二、存在问题
1.城区学校大班额问题仍然存在。
2.乡村教师流失较多，队伍不够稳定。

三、整改措施
（一）针对“城区学校大班额问题仍然存在”的问题，一是年底前建成城北小学；二是调整学区划分。
（二）针对“乡村教师流失较多，队伍不够稳定”的问题，落实乡村教师生活补助。
（三）加强教育督导队伍建设。
"""


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    cmd = [*RECTIFY, *(["--db", str(db)] if db else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_with_one_problem(tmp_path: Path) -> Iterator[Path]:
    """A ledger file that already holds one problem (closed again before the subprocess)."""
    db = tmp_path / "ledger.sqlite"
    led = open_ledger(db, user="测试员")
    create_problem(led, ProblemInput("已有问题：食堂留样不规范", measures=(MeasureInput("规范留样"),)))
    led.close()
    yield db


def opened(db: Path) -> Ledger:
    return open_ledger(db, user="测试员")


def problem_count(db: Path) -> int:
    led = opened(db)
    try:
        return len(list_problems(led))
    finally:
        led.close()


def test_dry_run_json_lists_problems_measures_and_unassigned_and_touches_nothing(
        tmp_path: Path, db_with_one_problem: Path) -> None:
    report = write(tmp_path / "自评报告.txt", REPORT)
    before = digest(db_with_one_problem)
    out = run("import-report", str(report), "--dry-run", "--json", db=db_with_one_problem)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    brief = [
        {k: p[k] for k in ("description", "category", "status")} | {"measures": [m["text"] for m in p["measures"]]}
        for p in data["problems"]
    ]
    assert brief == [
        {"description": "城区学校大班额问题仍然存在。", "category": "学校布局与学位",
         "status": "not_started", "measures": ["年底前建成城北小学", "调整学区划分。"]},
        {"description": "乡村教师流失较多，队伍不够稳定。", "category": "教师队伍",
         "status": "not_started", "measures": ["落实乡村教师生活补助。"]},
    ]
    # Each measure states its unit, deadline and status; each item whether to check it first.
    measure = data["problems"][0]["measures"][0]
    assert set(measure) == {"text", "lead_unit", "deadline_text", "deadline", "status", "review"}
    assert measure["status"] == "not_started" and isinstance(data["problems"][0]["review"], bool)
    assert data["unassigned_measures"] == ["加强教育督导队伍建设。"]
    assert data["source"] == {"title": "2022年某某县人民政府履行教育职责情况的自评报告",
                              "kind": "self_check", "year": 2022, "doc_number": "某教督〔2023〕2号"}
    assert digest(db_with_one_problem) == before
    assert problem_count(db_with_one_problem) == 1


def test_dry_run_without_a_ledger_creates_none(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", REPORT)
    db = tmp_path / "absent.sqlite"
    out = run("import-report", str(report), "--dry-run", db=db)
    assert out.returncode == 0, out.stderr
    assert not db.exists()
    assert "识别出 2 个问题、3 项整改措施" in out.stdout
    assert "以下 1 项措施未能对应到问题" in out.stdout and "加强教育督导队伍建设。" in out.stdout
    assert out.stdout.rstrip().endswith("（--dry-run：未写入台账）")


def test_import_creates_a_source_named_from_title_and_year_with_problems_and_measures(
        tmp_path: Path, db_with_one_problem: Path) -> None:
    report = write(tmp_path / "自评报告.txt", REPORT)
    out = run("import-report", str(report), db=db_with_one_problem)
    assert out.returncode == 0, out.stderr
    assert "已导入 2 个问题、3 项整改措施" in out.stdout
    # The measure that matched no problem is named, not silently dropped, and not imported.
    assert "以下 1 项措施未能对应到问题（未导入）" in out.stdout
    assert "加强教育督导队伍建设。" in out.stdout
    led = opened(db_with_one_problem)
    try:
        sources = [s for s in list_sources(led) if s.problem_count]
        assert [(s.title, s.year, s.kind, s.doc_number, s.problem_count) for s in sources] == [
            ("2022年某某县人民政府履行教育职责情况的自评报告", 2022, SourceKind.SELF_CHECK,
             "某教督〔2023〕2号", 2)]
        rows = list_problems(led, ProblemFilter(source_id=sources[0].id))
        assert [(p.seq, p.description, p.category, [m.text for m in p.measures]) for p in rows] == [
            (1, "城区学校大班额问题仍然存在。", "学校布局与学位", ["年底前建成城北小学", "调整学区划分。"]),
            (2, "乡村教师流失较多，队伍不够稳定。", "教师队伍", ["落实乡村教师生活补助。"]),
        ]
        assert all(m.status is Status.NOT_STARTED for p in rows for m in p.measures)
        assert not any("督导队伍" in m.text for p in list_problems(led) for m in p.measures)
    finally:
        led.close()


def test_source_and_year_options_override_the_document(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", REPORT)
    db = tmp_path / "l.sqlite"
    out = run("import-report", str(report), "--source", "县级自评问题", "--year", "2023", db=db)
    assert out.returncode == 0, out.stderr
    led = opened(db)
    try:
        assert [(s.title, s.year) for s in list_sources(led)] == [("县级自评问题", 2023)]
    finally:
        led.close()


def test_json_import_adds_the_created_ids(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", REPORT)
    db = tmp_path / "l.sqlite"
    out = run("import-report", str(report), "--json", db=db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    led = opened(db)
    try:
        rows = list_problems(led)
        assert data["problem_ids"] == [p.id for p in rows]
        assert [p["id"] for p in data["problems"]] == [p.id for p in rows]
        assert data["source_id"] == rows[0].source_id
    finally:
        led.close()
    assert "以下 1 项措施未能对应到问题" in out.stderr


def test_importing_the_same_report_twice_is_refused_and_adds_nothing(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", REPORT)
    db = tmp_path / "l.sqlite"
    assert run("import-report", str(report), db=db).returncode == 0
    again = run("import-report", str(report), db=db)
    assert again.returncode == 1
    assert "可能已经导入过" in again.stderr and "--source" in again.stderr
    assert problem_count(db) == 2
    assert run("import-report", str(report), "--source", "再次导入", db=db).returncode == 0
    assert problem_count(db) == 4


def test_feedback_letter_in_gbk_becomes_an_evaluation_source(tmp_path: Path) -> None:
    letter = (Path(__file__).parent / "report_texts" / "feedback_letter.txt").read_text("utf-8")
    report = write(tmp_path / "反馈意见.txt", letter, encoding="gbk")
    out = run("import-report", str(report), "--dry-run", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["source"]["kind"] == "evaluation"
    assert data["source"]["title"] == "某某县人民政府履行教育职责评价反馈意见"
    assert [p["description"] for p in data["problems"]][1] == "教师队伍结构性缺编，音体美专任教师不足"
    assert len(data["problems"]) == 3


def test_word_report_is_read(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("2022年某县人民政府履行教育职责自评报告", 0)
    d.add_heading("二、存在问题", 1)
    d.add_paragraph("教师队伍结构性缺编，音体美教师不足。", style="List Number")
    d.add_paragraph("食堂从业人员健康证管理不规范。", style="List Number")
    path = tmp_path / "报告.docx"
    d.save(str(path))
    out = run("import-report", str(path), "--dry-run", "--json")
    assert out.returncode == 0, out.stderr
    assert [p["description"] for p in json.loads(out.stdout)["problems"]] == [
        "教师队伍结构性缺编，音体美教师不足。", "食堂从业人员健康证管理不规范。"]


def test_document_without_a_problem_list_exits_0_with_the_message(tmp_path: Path) -> None:
    notice = Path(__file__).parent / "report_texts" / "no_problems.txt"
    db = tmp_path / "l.sqlite"
    out = run("import-report", str(notice), db=db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "未在文档中找到“存在问题”部分，没有识别出问题。没有写入台账。"
    assert not db.exists()  # nothing to import: the ledger is not even opened
    as_json = json.loads(run("import-report", str(notice), "--json", db=db).stdout)
    assert as_json["problems"] == [] and as_json["unassigned_measures"] == []
    assert as_json["message"] == "未在文档中找到“存在问题”部分，没有识别出问题。"


@pytest.mark.parametrize("name", ["random.txt", "random.docx", "old.doc"])
def test_unreadable_input_is_one_chinese_line_exit_1(tmp_path: Path, name: str) -> None:
    rng = random.Random(name)
    data = bytes(rng.randrange(256) for _ in range(4096))
    if name.endswith(".doc"):
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data  # an old Word file's signature
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "l.sqlite"
    out = run("import-report", str(path), db=db)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert not db.exists()


def test_missing_file_and_bad_year_are_refused(tmp_path: Path) -> None:
    out = run("import-report", str(tmp_path / "nope.txt"))
    assert out.returncode == 1 and "找不到文件“nope.txt”" in out.stderr
    report = write(tmp_path / "r.txt", REPORT)
    out = run("import-report", str(report), "--year", "21", "--dry-run")
    assert out.returncode == 1 and "年份" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(not ZHONGWEI.exists(), reason="shared sample report not present")
def test_zhongwei_report_gives_its_12_problems(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    out = run("import-report", str(ZHONGWEI), db=db)
    assert out.returncode == 0, out.stderr
    assert "已导入 12 个问题" in out.stdout
    led = opened(db)
    try:
        (source,) = list_sources(led)
        assert source.title == "2021年中卫市人民政府履行教育职责情况的自评报告"
        assert source.year == 2021 and source.kind is SourceKind.SELF_CHECK
        rows = list_problems(led)
        assert len(rows) == 12
        assert all(p.measures for p in rows)
        # Last year's problems come with their 整改情况: work is under way.
        assert rows[0].status is Status.IN_PROGRESS
    finally:
        led.close()
