"""Builders for the export tests: a small ledger whose every cell the tests know, and helpers
to read an exported workbook back the way a clerk would see it. (No tests in this module.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tracker.db.engine import Ledger
from tracker.domain import (
    DeadlineKind,
    MeasureInput,
    ProblemInput,
    ProblemRow,
    SourceInput,
    SourceKind,
    Status,
)
from tracker.services import measures, problems, queries, reference

AS_OF = dt.date(2026, 11, 23)
HEADER_ROW = 3


def dated(deadline_text: str, day: dt.date, **kw: object) -> MeasureInput:
    """A measure whose deadline date is given, so the test does not depend on today."""
    return MeasureInput(deadline_text=deadline_text, deadline=day,  # type: ignore[arg-type]
                        deadline_kind=DeadlineKind.DATED, **kw)


@dataclass(frozen=True)
class SmallBook:
    """Three problems: school places (3 measures, one overdue, notes), canteen (1 measure led
    by another unit than the problem), and a problem with no measures yet."""

    places: ProblemRow
    canteen: ProblemRow
    bare: ProblemRow


def build_small(ledger: Ledger) -> SmallBook:
    """Create the small ledger and return its problems as stored (with measure ids)."""
    src = reference.create_source(ledger, SourceInput(
        "2021年履行教育职责评价反馈问题", SourceKind.EVALUATION, 2021, "督导委员会办公室",
        "宁政教督办〔2022〕8号", dt.date(2022, 6, 15))).id
    places = problems.create_problem(ledger, ProblemInput(
        description="城区学位紧张，沙坡头区第九幼儿园存在大班额", source_id=src,
        category="学校布局与学位", goal="全面消除大班额", lead_unit="市教育局",
        co_units="市财政局、市人社局", leader="分管副市长", owner="王建国", remarks="重点督办",
        measures=(
            dated("年底前", dt.date(2026, 12, 31), text="加快新建学校建设进度",
                  status=Status.IN_PROGRESS),
            dated("", dt.date(2026, 10, 31), text="科学调整招生片区", lead_unit="沙坡头区政府",
                  status=Status.IN_PROGRESS),
            dated("2026年6月底前", dt.date(2026, 6, 30), text="通过教师走教扩充学位",
                  status=Status.DONE, done_on=dt.date(2026, 6, 1)),
        )))
    first = places.measures[0].id
    measures.add_progress_note(ledger, first, dt.date(2026, 9, 20), "已完成选址论证")
    measures.add_progress_note(ledger, first, dt.date(2026, 11, 1), "主体工程开工")
    canteen = problems.create_problem(ledger, ProblemInput(
        description="食堂食品留样不规范", source_id=src, category="食堂与食品安全",
        lead_unit="市教育局", owner="李红梅",
        measures=(MeasureInput("开展食品安全专项检查", lead_unit="市市场监管局",
                               deadline_text="长期坚持", status=Status.ONGOING),)))
    bare = problems.create_problem(ledger, ProblemInput(
        description="督导结果运用不充分", source_id=src, category="教育督导",
        lead_unit="市教育督导室"))
    return SmallBook(queries.get_problem(ledger, places.id), queries.get_problem(ledger, canteen.id),
                     queries.get_problem(ledger, bare.id))


def open_sheet(path: Path, name: str | None = None) -> Worksheet:
    """A sheet of an exported file (the first one when no name is given)."""
    wb = load_workbook(path)
    return wb[name] if name else wb.worksheets[0]


def header(ws: Worksheet) -> list[str]:
    """The header row's labels, hidden id columns included."""
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def column_of(ws: Worksheet, label: str) -> int:
    """1-based column index of a header label."""
    return header(ws).index(label) + 1


def data_rows(ws: Worksheet) -> list[int]:
    """Row numbers of the table body: rows under the header with a 问题ID."""
    pid = column_of(ws, "问题ID")
    return [r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, pid).value]


def column_values(ws: Worksheet, label: str) -> list[object]:
    """One column's values over the table body."""
    col = column_of(ws, label)
    return [ws.cell(r, col).value for r in data_rows(ws)]


def merged_refs(ws: Worksheet) -> set[str]:
    """Every merged range as text, e.g. 'A4:A6'."""
    return {str(r) for r in ws.merged_cells.ranges}
