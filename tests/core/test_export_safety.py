"""Safe output: user text never becomes a formula or an error value, control characters are
removed, nothing is cut at Excel's cell limit, and a failed or cancelled export leaves no file."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tests.core.test_export_fixtures import AS_OF, column_of, column_values, data_rows, open_sheet
from tracker.db.engine import Ledger
from tracker.db.orm import Problem
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput
from tracker.errors import StorageError
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.export_rows import CellTooLongError
from tracker.excel.reminder import export_reminder
from tracker.services.measures import add_progress_note
from tracker.services.problems import create_problem

OPTIONS = ExportOptions(report_date=AS_OF)
FORMULA_LIKE = ["=SUM(A1:A9)", "+86 0955 7012345", "-1 个问题", "@所有人", "=cmd|' /C calc'!A0",
                "#N/A"]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_text_that_looks_like_a_formula_stays_text(ledger: Ledger, tmp_path: Path) -> None:
    for text in FORMULA_LIKE:
        create_problem(ledger, ProblemInput(description=text, owner=text,
                                            measures=(MeasureInput(text, lead_unit="市教育局"),)))
    path = tmp_path / "f.xlsx"
    export_ledger(ledger, path, options=OPTIONS)
    ws = open_sheet(path)
    assert column_values(ws, "存在问题") == FORMULA_LIKE
    assert column_values(ws, "整改措施") == FORMULA_LIKE
    for label in ("存在问题", "整改措施", "责任人"):
        col = column_of(ws, label)
        assert {ws.cell(r, col).data_type for r in data_rows(ws)} == {"s"}
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml  # not one formula element in the sheet
    assert 't="e"' not in xml  # and no error cell either


def test_control_characters_are_removed(ledger: Ledger, tmp_path: Path) -> None:
    p = create_problem(ledger, ProblemInput(description="正常", measures=(MeasureInput("措施"),)))
    with ledger.write() as s:  # as an older program or a hand-edited file might have stored it
        s.execute(update(Problem).where(Problem.id == p.id)
                  .values(description="食堂\x07留样\x1b不规范\x00", goal="第一行\n第二行\t完"))
    path = tmp_path / "c.xlsx"
    export_ledger(ledger, path, options=OPTIONS)
    ws = open_sheet(path)
    assert column_values(ws, "存在问题") == ["食堂留样不规范"]
    assert column_values(ws, "整改目标") == ["第一行\n第二行\t完"]


def test_text_over_the_cell_limit_is_an_error_naming_the_problem(
        ledger: Ledger, tmp_path: Path) -> None:
    p = create_problem(ledger, ProblemInput(description="学位紧张问题", lead_unit="市教育局",
                                            measures=(MeasureInput("新建学校"),)))
    mid = p.measures[0].id
    add_progress_note(ledger, mid, dt.date(2026, 9, 1), "甲" * 20000)
    add_progress_note(ledger, mid, dt.date(2026, 10, 1), "乙" * 20000)
    path = tmp_path / "long.xlsx"
    path.write_bytes(b"the clerk's earlier export")
    with pytest.raises(CellTooLongError) as err:
        export_ledger(ledger, path, options=OPTIONS)
    message = err.value.message
    assert "学位紧张问题" in message and "整改进展" in message and "32767" in message
    assert path.read_bytes() == b"the clerk's earlier export"  # the old file is untouched
    assert [f.name for f in tmp_path.iterdir() if "xlsx" in f.name] == ["long.xlsx"]


def test_text_at_the_cell_limit_is_exported_whole(ledger: Ledger, tmp_path: Path) -> None:
    create_problem(ledger, ProblemInput(description="长" * 32767, measures=(MeasureInput("措施"),)))
    path = tmp_path / "limit.xlsx"
    export_ledger(ledger, path, options=OPTIONS)
    assert column_values(open_sheet(path), "存在问题") == ["长" * 32767]


def test_cancelled_export_leaves_no_file(demo_ledger: Ledger, tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def cancel(done: int, total: int, text: str) -> None:
        raise Stop()

    path = tmp_path / "cancelled.xlsx"
    with pytest.raises(Stop):
        export_ledger(demo_ledger, path, ProblemFilter(), OPTIONS, progress=cancel)
    assert not path.exists()
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_export_replaces_an_older_file_and_reports_progress(
        demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"old")
    seen: list[tuple[int, int]] = []
    result = export_ledger(demo_ledger, path, ProblemFilter(), OPTIONS,
                           progress=lambda d, t, _: seen.append((d, t)))
    assert result.problems == 60 and path.stat().st_size > 10_000
    assert seen[-1] == (60, 60)
    assert all(d <= t for d, t in seen)


def test_missing_folder_is_a_clear_error(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="不存在"):
        export_ledger(ledger, tmp_path / "无此文件夹" / "a.xlsx", options=OPTIONS)


TYPED = ExportOptions(report_date=AS_OF, title="XX市\x0b整改台账\ufffe", org="XX市\x0b教育局",
                      filler="王\x07强", phone="0955-\x0b7011111", by_unit=True)


def test_control_characters_typed_into_title_and_signature_lines_are_removed(
        ledger: Ledger, tmp_path: Path) -> None:
    # \x0b is what Word's Shift+Enter leaves in pasted text; an .xlsx cannot hold it at all.
    create_problem(ledger, ProblemInput(description="学位紧张", lead_unit="市教育局",
                                        measures=(MeasureInput("新建学校"),)))
    path = tmp_path / "t.xlsx"
    export_ledger(ledger, path, options=TYPED)
    book = load_workbook(path)
    main, unit, stats = book["台账"], book["市教育局"], book["统计"]
    assert main["A1"].value == "XX市整改台账" and unit["A1"].value == "XX市整改台账（市教育局）"
    texts = [c.value for row in main.iter_rows() for c in row if isinstance(c.value, str)]
    assert "填报单位：XX市教育局" in texts and "填报人：王强" in texts
    assert "联系电话：0955-7011111" in texts
    assert stats["A1"].value == "XX市整改台账统计"
    assert book.properties.title == "XX市整改台账"


def test_control_characters_in_a_reminder_are_removed(ledger: Ledger, tmp_path: Path) -> None:
    create_problem(ledger, ProblemInput(description="学位紧张", lead_unit="市教育局",
                                        measures=(MeasureInput("新建学校"),)))
    path = tmp_path / "r.xlsx"
    export_reminder(ledger, "市教育局", path, TYPED)
    texts = [c.value for row in open_sheet(path).iter_rows() for c in row if c.value]
    assert "XX市整改台账" in texts and "联系人：王强　　联系电话：0955-7011111" in texts


def test_characters_excel_counts_twice_count_twice_against_the_cell_limit(
        ledger: Ledger, tmp_path: Path) -> None:
    p = create_problem(ledger, ProblemInput(description="正常", measures=(MeasureInput("措施"),)))
    with ledger.write() as s:  # 16,384 characters, 32,768 as Excel counts: stored by older code
        s.execute(update(Problem).where(Problem.id == p.id).values(description="𠮷" * 16_384))
    with pytest.raises(CellTooLongError) as err:
        export_ledger(ledger, tmp_path / "u.xlsx", options=OPTIONS)
    assert "32768个字符" in err.value.message


def test_a_unit_typed_with_a_control_character_exports_that_units_ledger(
        ledger: Ledger, tmp_path: Path) -> None:
    create_problem(ledger, ProblemInput(description="学位紧张", lead_unit="市教育局",
                                        measures=(MeasureInput("新建学校"),)))
    path = tmp_path / "unit.xlsx"
    result = export_ledger(ledger, path, ProblemFilter(unit="市教育局\x0b"), OPTIONS)
    assert result.problems == 1 and result.sheets == ("市教育局", "统计")
    assert open_sheet(path)["A1"].value == "问题整改台账（市教育局）"
