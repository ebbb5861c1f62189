"""A hand-made ledger fills problem-level columns (备注, 整改目标, 责任领导) on each row of a merged
problem: no row's value is silently lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from tracker.db.engine import Ledger
from tracker.excel.import_plan import ImportOptions, build_plan

OPTIONS = ImportOptions(today=dt.date(2026, 11, 23))


def _book(path: Path, column: str, values: list[str | None]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "存在问题", "整改措施", column])
    for i, v in enumerate(values):
        ws.append([1 if i == 0 else None, "校舍维修滞后" if i == 0 else None, f"措施{i + 1}", v])
    ws.merge_cells(f"A2:A{len(values) + 1}")
    ws.merge_cells(f"B2:B{len(values) + 1}")
    wb.save(path)
    return path


def test_a_remark_written_on_each_measure_row_stays_on_that_measure(ledger: Ledger,
                                                                   tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", "备注", ["已列入预算", None, "需追加资金", "已列入预算"])
    plan = build_plan(ledger, path, OPTIONS)
    assert plan.errors == []
    (p,) = plan.problems
    assert p.data.remarks == ""  # issue 13: a 备注 on a measure row does not move up
    assert [[n.text for n in m.notes] for m in p.measures] == [
        ["备注：已列入预算"], [], ["备注：需追加资金"], ["备注：已列入预算"]]
    assert any("备注写在措施行上" in f.message and f.column == "D" for f in plan.warnings)


def test_a_remark_only_on_the_first_row_or_merged_is_the_problems(ledger: Ledger,
                                                                  tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", "备注", ["重点", None, None])
    (p,) = build_plan(ledger, path, OPTIONS).problems
    assert p.data.remarks == "重点" and all(not m.notes for m in p.measures)


def test_differing_goals_on_one_problems_rows_are_joined_with_a_warning_at_the_cell(
        ledger: Ledger, tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", "整改目标", ["年底前完成维修", "建立长效机制"])
    plan = build_plan(ledger, path, OPTIONS)
    (p,) = plan.problems
    assert p.data.goal == "年底前完成维修；建立长效机制"
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "D")]
    assert "整改目标" in plan.warnings[0].message


def test_differing_leaders_are_kept_too(ledger: Ledger, tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", "责任领导", ["张局长", "李副局长"])
    (p,) = build_plan(ledger, path, OPTIONS).problems
    assert p.data.leader == "张局长；李副局长"
