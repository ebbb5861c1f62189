"""问题来源 as a group row: the default export prints "问题来源：<source>" merged across the table
above each source's problems instead of a column, and the importer files the problems under
it (returned ledgers, --as-new re-imports and hand-made ledgers alike)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from tests.conftest import TODAY
from tracker.db.engine import Ledger, open_ledger
from tracker.excel.export import export_ledger
from tracker.excel.export_options import GROUP_PREFIX, ID_HEADERS, ExportOptions
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.styles import GROUP_FILL
from tracker.excel.writer import HEADER_ROW
from tracker.services.imports import apply_plan
from tracker.services.queries import list_problems

OPTIONS = ExportOptions(report_date=TODAY, stats=False)


def _group_rows(ws) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Row number -> text of every 问题来源 group row under the header."""
    return {r: ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if str(ws.cell(r, 1).value or "").startswith(GROUP_PREFIX)}


def test_default_export_prints_sources_as_group_rows_not_a_column(
        demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_ledger(demo_ledger, path, options=OPTIONS)
    ws = load_workbook(path)["台账"]
    heads = [c.value for c in ws[HEADER_ROW] if c.value]
    assert "问题来源" not in heads and "存在问题" in heads
    groups = _group_rows(ws)
    stored = list_problems(demo_ledger)
    # one row per source, in ledger order (the ledger is sorted by source)
    order = list(dict.fromkeys(p.source for p in stored))
    assert len(order) > 1
    assert list(groups.values()) == [GROUP_PREFIX + s for s in order]
    last = get_column_letter(len(heads) - len(ID_HEADERS))  # the visible columns
    merges = {str(m) for m in ws.merged_cells.ranges}
    for r in groups:
        assert f"A{r}:{last}{r}" in merges
        assert ws.cell(r, 1).font.bold and ws.cell(r, 1).fill.fgColor.rgb == GROUP_FILL
    # 序号 runs on across the groups: 1..N with the group rows in between
    numbers = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)
               if str(ws.cell(r, 1).value or "").isdigit()]
    assert numbers == [str(n) for n in range(1, len(stored) + 1)]


def test_columns_chosen_with_source_keep_the_column(demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_ledger(demo_ledger, path, options=ExportOptions(
        report_date=TODAY, columns=("number", "source", "description", "measure")))
    ws = load_workbook(path)["台账"]
    assert [c.value for c in ws[HEADER_ROW]][:4] == ["序号", "问题来源", "存在问题", "整改措施"]
    assert _group_rows(ws) == {}


def test_as_new_reimport_keeps_every_problems_source(demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_ledger(demo_ledger, path, options=OPTIONS)
    other = open_ledger(tmp_path / "other.sqlite", user="测试员")
    try:
        plan = build_plan(other, path, ImportOptions(today=TODAY, as_new=True))
        assert plan.errors == []
        apply_plan(other, plan, today=TODAY)
        before = Counter((p.description, p.source) for p in list_problems(demo_ledger))
        after = Counter((p.description, p.source) for p in list_problems(other))
        assert after == before
    finally:
        other.close()


def test_a_returned_ledger_without_changes_plans_no_updates(
        demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_ledger(demo_ledger, path, options=OPTIONS)
    plan = build_plan(demo_ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == [] and plan.updates == () and plan.problems == ()


def test_a_handmade_ledger_with_source_and_category_rows(ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年整改台账"])
    ws.append(["序号", "问题类别", "存在问题", "整改措施", "牵头单位", "整改时限"])
    rows = [
        ["问题来源：2023年省级督导评估反馈"],
        ["一、省督导反馈问题"],
        [1, None, "学位紧张", "新建学校", "市教育局", "2025年6月底前"],
        [2, None, "食堂不规范", "专项检查", "市市场监管局", "长期坚持"],
        ["问题来源：2024年市人大调研"],
        [3, None, "教师缺编", "核定编制", "市委编办", "年底前"],
    ]
    for row in rows:
        ws.append(row)
    for r in (3, 4, 7):  # spanning the table, as a clerk merges them
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    path = tmp_path / "手工台账.xlsx"
    wb.save(path)
    plan = build_plan(ledger, path, ImportOptions(today=dt.date(2024, 12, 1)))
    assert plan.errors == []
    titles = {s.key: s.title for s in plan.sources}
    got = [(p.data.description, titles[p.source], p.data.category) for p in plan.problems]
    assert got == [("学位紧张", "2023年省级督导评估反馈", "省督导反馈问题"),
                   ("食堂不规范", "2023年省级督导评估反馈", "省督导反馈问题"),
                   ("教师缺编", "2024年市人大调研", "")]


def test_a_problem_without_source_is_not_filed_under_the_source_above(
        ledger: Ledger, tmp_path: Path) -> None:
    from tracker.domain import ProblemInput, SourceInput, SourceKind
    from tracker.excel.export_options import NO_SOURCE
    from tracker.services.problems import create_problem
    from tracker.services.reference import create_source

    src = create_source(ledger, SourceInput("市委巡察反馈", SourceKind.EVALUATION, 2025, "", "",
                                            None)).id
    create_problem(ledger, ProblemInput(description="有来源的问题", source_id=src))
    create_problem(ledger, ProblemInput(description="没有来源的问题"))
    path = tmp_path / "混合.xlsx"
    export_ledger(ledger, path, options=OPTIONS)
    ws = load_workbook(path)["台账"]
    assert sorted(_group_rows(ws).values()) == sorted(
        [GROUP_PREFIX + "市委巡察反馈", GROUP_PREFIX + NO_SOURCE])
    plan = build_plan(ledger, path, ImportOptions(today=TODAY, as_new=True))
    titles = {s.key: s.title for s in plan.sources}
    got = {p.data.description: titles[p.source] for p in plan.problems}
    # as with an empty 问题来源 cell: the file's name, never the source of the row above
    assert got == {"有来源的问题": "市委巡察反馈", "没有来源的问题": "混合"}
