"""Bare-openpyxl baseline for the Excel ledger import: just read every cell of the same file
(read-only mode, values only), with nothing of ours in the timed part.

    python -m benchmarks.baselines_import [ROWS]     # builds a hand-made ledger, times both

``build_ledger(path, rows)`` writes a hand-made ledger of ``rows`` measure rows (merged title,
填报 line, header on row 3, problem cells merged over 1-4 measures, every date form and status
word, dated progress lines, 注 lines) — untimed. ``read_bare(path)`` is the baseline;
``import_once(path, db)`` is ours: the whole import (check the file, then write it) into a
fresh ledger. The import is held to 2x the baseline (issue: Excel import, point 7)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from benchmarks.harness import Result

HEADER = ["序号", "问题来源", "问题类别", "存在问题", "整改目标", "整改措施", "牵头单位", "配合单位",
          "责任领导", "责任人", "整改时限", "整改进展", "完成情况", "备注"]
PROBLEM_COLUMNS = (1, 2, 3, 4, 5, 9, 10)  # merged down over the problem's measure rows
UNITS = ["市教育局", "市财政局", "市人社局", "市委编办", "沙坡头区政府", "中宁县政府", "海原县政府"]
STATUSES = ["已完成", "已整改", "正在整改", "整改中", "推进中", "长期坚持", "持续整改", "已销号", "未启动",
            "未整改", None]
DEADLINES: list[object] = ["年底前", "2022.12.31", "2023年7月底前", "长期坚持", "2022年12月",
                           dt.datetime(2022, 9, 30), "明年6月", None]


def build_ledger(path: Path, rows: int, seed: int = 2022) -> Path:
    """Write a hand-made-looking ledger with ``rows`` measure rows."""
    rnd = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    ws.append(["XX市2021年履行教育职责评价反馈问题整改台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(["填报单位：XX市教育局  填报日期：2022年6月30日"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    ws.append(HEADER)
    seq, row = 0, 4
    while row < rows + 4:
        seq += 1
        n = min(rnd.randint(1, 4), rows + 4 - row)
        for k in range(n):
            first = k == 0
            ws.append([
                seq if first else None, "2021年评价反馈" if first else None,
                "教师队伍" if first else None,
                f"第{seq}个问题：教师结构性缺编，音体美和心理健康教师不足" if first else None,
                "按标准配齐配足学科教师" if first else None,
                f"措施{k + 1}：核定中小学教职工编制，空编即补，通过公开招聘补充紧缺学科教师",
                rnd.choice(UNITS), "市财政局", "分管副市长" if first else None,
                "王建国" if first else None, rnd.choice(DEADLINES),
                "2022年5月1日：已制定招聘计划\n2022年6月1日：已完成笔试" if rnd.random() < 0.6 else None,
                rnd.choice(STATUSES), None,
            ])
        if n > 1:
            for col in PROBLEM_COLUMNS:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + n - 1,
                               end_column=col)
        row += n
    ws.append([])
    ws.append(["注：1.完成情况填写已完成、整改中、未启动、长期坚持。"])
    ws.append(["填报人：张三", None, None, None, None, None, None, "联系电话：0955-7012345"])
    wb.save(path)
    return path


def read_bare(path: Path) -> int:
    """The baseline: openpyxl reads every cell of every sheet (read-only, values only)."""
    wb = load_workbook(path, read_only=True)
    cells = 0
    for ws in wb.worksheets:
        for values in ws.iter_rows(values_only=True):
            cells += len(values)
    wb.close()
    return cells


def empty_ledger(path: Path) -> Path:
    """A new, empty ledger file (schema created): the state an import starts from."""
    from tracker.db.engine import open_ledger

    open_ledger(path).close()
    return path


def import_once(path: Path, db: Path) -> int:
    """Ours: open the ledger, check the whole file and import it; returns problems added."""
    from tracker.db.engine import open_ledger
    from tracker.excel.import_plan import build_plan
    from tracker.services.imports import apply_plan

    ledger = open_ledger(db)
    try:
        plan = build_plan(ledger, path)
        if plan.errors:
            raise RuntimeError(plan.rejection().full_text())
        return apply_plan(ledger, plan).problems_added
    finally:
        ledger.close()


def measure(rows: int = 10_000, repeat: int = 3, folder: Path | None = None) -> Result:
    """The import beside the bare read of the same file, interleaved, best of ``repeat``.
    Each import goes into a fresh copy of an empty ledger; making the copy is not timed."""
    ours, base = float("inf"), float("inf")
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = build_ledger(Path(tmp) / "手工台账.xlsx", rows)
        template = empty_ledger(Path(tmp) / "empty.sqlite")
        for i in range(repeat):
            t = time.perf_counter()
            read_bare(path)
            base = min(base, time.perf_counter() - t)
            db = Path(tmp) / f"ledger{i}.sqlite"
            shutil.copyfile(template, db)
            t = time.perf_counter()
            import_once(path, db)
            ours = min(ours, time.perf_counter() - t)
    ratio = ours / base
    return Result("导入手工 Excel 台账（检查＋写入）", f"{rows:,} 行", ours, base, "s",
                  "≤ 2× openpyxl 只读取", ratio <= 2.0, f"{ratio:.2f}×")


def main(argv: list[str] | None = None) -> int:
    """Print the figure for ``ROWS`` rows (default 10,000)."""
    args = sys.argv[1:] if argv is None else argv
    rows = int(args[0]) if args else 10_000
    r = measure(rows)
    print(f"{r.name} {r.scale}: 导入 {r.ours:.2f} s，openpyxl 只读取 {r.baseline:.2f} s，"
          f"{r.note}（目标 {r.target}：{'达到' if r.met else '未达到'}）")
    return 0 if r.met else 1


if __name__ == "__main__":
    sys.exit(main())
