"""`rectify check` verifies each problem's stored search text against the one rule
(rules.problem_search_text), alongside the rollup cache: a unit renamed behind the services'
back, without rebuilding search text, fails the check."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import TODAY
from tests.core.import_books import standard_book, two_problem_rows
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.integrity import check_ledger
from tracker.services import problems
from tracker.services.checks import check_caches
from tracker.services.imports import apply_plan


def _two_problems(led: Ledger) -> list[int]:
    rows = problems.create_problems(led, [
        ProblemInput(description="食堂留样不规范", lead_unit="县教体局", co_units="县市场监管局",
                     goal="规范留样", remarks="重点", owner="王强", leader="李副县长",
                     measures=(MeasureInput(text="开展检查", lead_unit="县卫健委",
                                            owner="张伟", co_units="县财政局",
                                            deadline_text="年底前"),)),
        ProblemInput(description="校舍维修滞后", lead_unit="县财政局",
                     measures=(MeasureInput(text="拨付维修资金"),)),
    ])
    return [r.id for r in rows]


def test_a_ledger_written_by_the_services_passes(ledger: Ledger) -> None:
    _two_problems(ledger)
    report = check_ledger(ledger)
    assert report.ok, report.lines()
    assert report.search_texts == () and report.rollups == ()
    assert "检索文本" in report.lines()[0]


def test_bulk_import_stores_the_rules_search_text(ledger: Ledger, tmp_path: Path) -> None:
    plan = build_plan(ledger, standard_book(tmp_path / "a.xlsx", two_problem_rows()),
                      ImportOptions(today=TODAY))
    apply_plan(ledger, plan, today=TODAY)
    assert check_caches(ledger).search_texts == ()
    assert check_ledger(ledger).ok


def test_a_unit_renamed_without_rebuilding_is_reported(ledger: Ledger) -> None:
    first, second = _two_problems(ledger)
    with ledger.read() as s:
        seq = s.connection().exec_driver_sql(
            "SELECT seq FROM problem WHERE id = ?", (first,)).scalar_one()
    conn = ledger.raw_connection()
    try:
        # A measure's unit: the problem that names it through a measure goes stale too.
        conn.execute("UPDATE unit SET name = '县卫生健康委' WHERE name = '县卫健委'")
        conn.commit()
    finally:
        conn.close()
    report = check_ledger(ledger)
    assert not report.ok
    assert report.rollups == ()
    assert report.search_texts == (f"问题 {first}（序号 {seq}）",)
    text = "\n".join(report.lines())
    assert "1 个问题的检索文本已过期" in text
    assert f"问题 {first}（序号 {seq}）的检索文本已过期" in text
    assert f"问题 {second}" not in text


def test_an_edited_field_and_a_rollup_are_reported_separately(ledger: Ledger) -> None:
    first, second = _two_problems(ledger)
    conn = ledger.raw_connection()
    try:
        conn.execute("UPDATE problem SET goal = '另一个目标' WHERE id = ?", (first,))
        conn.execute("UPDATE problem SET status = 'done' WHERE id = ?", (second,))
        conn.commit()
    finally:
        conn.close()
    found = check_caches(ledger)
    assert [x.split("（")[0] for x in found.search_texts] == [f"问题 {first}"]
    assert [x.split("（")[0] for x in found.rollups] == [f"问题 {second}"]


def test_rectify_check_exits_1_on_stale_search_text(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    led = open_ledger(db, user="测试员")
    try:
        _two_problems(led)
    finally:
        led.close()
    with sqlite3.connect(db) as c:
        c.execute("UPDATE unit SET name = '县教育体育局' WHERE name = '县教体局'")
    c.close()
    env = {**os.environ}
    env.pop("DISPLAY", None)
    out = subprocess.run([sys.executable, "-m", "ui.launch", "--db", str(db), "check"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "检索文本已过期" in out.stdout
