"""完成进度 is a field of the measure: read from a ledger's 完成进度 column (0.6, "60%",
"完成60%"; 100 % means 已完成), saved by the editor with its history, undone for a past day,
and updated by a returned ledger like the other fields. Never a progress note."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.core.test_roundtrip_excel import OPTIONS, columns, export, row_of
from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.errors import ValidationError
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.services.as_of import problems_as_of
from tracker.services.history import list_history
from tracker.services.imports import apply_plan
from tracker.services.problems import create_problem, update_problem
from tracker.services.queries import get_problem, list_problems

TODAY = dt.date(2026, 11, 23)
HEADER = ["序号", "存在问题", "整改措施", "牵头单位", "整改时限"]


def _ledger_file(path: Path, header: list[str], cells: list[list[Any]]) -> Path:
    """A hand-made ledger: one problem, one measure per row of ``cells`` (the extra columns)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["XX县2026年教育督导反馈问题整改台账"])
    ws.append(HEADER + header)
    for i, extra in enumerate(cells, start=1):
        ws.append([1, "校舍维修滞后", f"措施{i}", "县教育局", "2027年6月底前", *extra])
    wb.save(path)
    return path


def _imported(ledger: Ledger, path: Path) -> list[tuple[int | None, Status, tuple[str, ...]]]:
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == [], [f"{e.row}{e.column}:{e.message}" for e in plan.errors]
    apply_plan(ledger, plan, today=TODAY)
    (p,) = list_problems(ledger, with_notes=True)
    return [(m.percent, m.status, tuple(n.text for n in m.notes)) for m in p.measures]


# ------------------------------------------------------------------ import, field by field


def test_a_percent_column_is_stored_on_each_measure(ledger: Ledger, tmp_path: Path) -> None:
    path = _ledger_file(tmp_path / "a.xlsx", ["完成进度"],
                        [[0.6], ["60%"], ["完成60%"], [1.0], ["100%"], [0], [None]])
    assert _imported(ledger, path) == [
        (60, Status.IN_PROGRESS, ()),   # 0.6 shown as 60 %
        (60, Status.IN_PROGRESS, ()),   # "60%" as text
        (60, Status.IN_PROGRESS, ()),   # "完成60%"
        (100, Status.DONE, ()),         # 100 % is done
        (100, Status.DONE, ()),
        (0, Status.NOT_STARTED, ()),    # 0 % is stated: kept as 0, not as "not stated"
        (None, Status.NOT_STARTED, ()),  # an empty cell states nothing
    ]


def test_a_stated_status_wins_over_the_percent(ledger: Ledger, tmp_path: Path) -> None:
    path = _ledger_file(tmp_path / "a.xlsx", ["完成情况", "完成比例"],
                        [["长期坚持", "50%"], ["已完成", 0.8], [None, 0.3]])
    assert _imported(ledger, path) == [
        (50, Status.ONGOING, ()), (80, Status.DONE, ()), (30, Status.IN_PROGRESS, ())]


def test_a_percentage_in_the_status_column_is_the_percent(ledger: Ledger, tmp_path: Path) -> None:
    # Mostly status words: a 完成情况 column, where "60%" states the percent (and 整改中).
    path = _ledger_file(tmp_path / "a.xlsx", ["完成情况"],
                        [["60%"], ["已完成"], ["整改中"], ["100%"], ["长期坚持"], ["已完成"]])
    assert _imported(ledger, path) == [
        (60, Status.IN_PROGRESS, ()), (None, Status.DONE, ()), (None, Status.IN_PROGRESS, ()),
        (100, Status.DONE, ()), (None, Status.ONGOING, ()), (None, Status.DONE, ())]


def test_a_percent_cell_that_is_no_percentage_is_kept_as_a_note(ledger: Ledger,
                                                               tmp_path: Path) -> None:
    path = _ledger_file(tmp_path / "a.xlsx", ["完成进度"], [["过半"], ["60%"]])
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert any("不是百分比" in w.message for w in plan.warnings)
    apply_plan(ledger, plan, today=TODAY)
    (p,) = list_problems(ledger, with_notes=True)
    assert [(m.percent, [n.text for n in m.notes]) for m in p.measures] == [
        (None, ["过半"]), (60, [])]


# ------------------------------------------------------------------ the editor's service


def _problem(ledger: Ledger, percent: int | None) -> int:
    return create_problem(ledger, ProblemInput(
        description="食堂管理不规范", lead_unit="市教育局",
        measures=(MeasureInput(text="制定制度", deadline_text="2027年6月底前", percent=percent),
                  MeasureInput(text="开展检查", deadline_text="2027年6月底前")))).id


def _save_percents(ledger: Ledger, pid: int, *percents: int | None) -> None:
    p = get_problem(ledger, pid)
    measures = tuple(MeasureInput(text=m.text, id=m.id, deadline_text=m.deadline_text,
                                  status=m.status, percent=pct)
                     for m, pct in zip(p.measures, percents, strict=True))
    update_problem(ledger, pid, ProblemInput(description=p.description, lead_unit=p.lead_unit,
                                             measures=measures), p.version)


def test_the_editor_saves_the_percent_with_its_history(ledger: Ledger) -> None:
    pid = _problem(ledger, 30)
    assert [m.percent for m in get_problem(ledger, pid).measures] == [30, None]
    _save_percents(ledger, pid, 70, 0)
    assert [m.percent for m in get_problem(ledger, pid).measures] == [70, 0]
    lines = [c.description for c in list_history(ledger, pid) if c.field == "percent"]
    assert sorted(lines) == sorted([
        f"修改措施（编号{get_problem(ledger, pid).measures[0].id}）完成进度：“30%” → “70%”",
        f"修改措施（编号{get_problem(ledger, pid).measures[1].id}）完成进度：“” → “0%”"])
    _save_percents(ledger, pid, None, 0)  # cleared: not stated any more
    assert [m.percent for m in get_problem(ledger, pid).measures] == [None, 0]


@pytest.mark.parametrize("bad", [-1, 101, True])
def test_a_percent_outside_0_to_100_is_refused(ledger: Ledger, bad: int) -> None:
    with pytest.raises(ValidationError, match="完成进度"):
        _problem(ledger, bad)


def test_a_past_day_shows_the_percent_it_had_then(ledger: Ledger) -> None:
    with clock.fixed_today(dt.date(2026, 11, 1)):
        pid = _problem(ledger, 20)
    _save_percents(ledger, pid, 90, 40)  # on the test's today, 2026-11-23
    (then,) = problems_as_of(ledger, ProblemFilter(), dt.date(2026, 11, 10))
    assert [m.percent for m in then.measures] == [20, None]
    (now,) = problems_as_of(ledger, ProblemFilter(), TODAY)
    assert [m.percent for m in now.measures] == [90, 40]


# ------------------------------------------------------------------ a returned ledger


def _with_percent_column(path: Path, out: Path, values: dict[int, object]) -> Path:
    """The exported ledger with its 完成进度 column (added by the unit when the export had none)
    filled in, by measure id."""
    wb = load_workbook(path)
    ws = wb["台账"]
    cols = columns(ws)
    head = next(c for c in ws[min(r for r in range(1, 7) if ws.cell(r, cols["存在问题"]).value
                                  == "存在问题")] if c.value == "存在问题")
    col = cols.get("完成进度") or ws.max_column + 1
    ws.cell(head.row, col).value = "完成进度"
    for mid, value in values.items():
        ws.cell(row_of(ws, mid), col).value = value
    wb.save(out)
    return out


def test_a_returned_ledger_updates_the_percent(ledger: Ledger, tmp_path: Path) -> None:
    pid = _problem(ledger, 30)
    m1, m2 = get_problem(ledger, pid).measures
    returned = _with_percent_column(export(ledger, tmp_path / "a.xlsx"), tmp_path / "b.xlsx",
                                    {m1.id: 0.6, m2.id: "30%"})
    plan = build_plan(ledger, returned, OPTIONS)
    assert plan.errors == [] and plan.conflicts == []
    assert {c.describe() for u in plan.updates for c in u.changes} == {
        "完成进度：“” → “30%”", "完成进度：“30%” → “60%”"}
    apply_plan(ledger, plan, today=TODAY)
    assert [m.percent for m in get_problem(ledger, pid).measures] == [60, 30]
    # The same file again changes nothing.
    again = build_plan(ledger, returned, OPTIONS)
    assert again.updates == ()


def test_rectify_copy_carries_the_percent(ledger: Ledger, tmp_path: Path) -> None:
    from tracker.db import copy as ledger_copy
    from tracker.db.engine import open_ledger

    pid = _problem(ledger, 45)
    dest = open_ledger(tmp_path / "副本.sqlite", user="测试员")
    try:
        ledger_copy.copy_ledger(ledger, dest)
        assert [m.percent for m in get_problem(dest, pid).measures] == [45, None]
    finally:
        dest.close()
