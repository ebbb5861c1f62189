"""导出 Excel 台账 and 生成催办单 dialogs: preset from the window's filter, columns chosen and
ordered, the export run off the GUI thread, and the file offered for opening."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from tests.core.test_export_fixtures import column_values, header
from tests.ui.ui_fixtures import TODAY, isolated_settings  # noqa: F401 (autouse fixture)
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.excel.export_options import ID_HEADERS, ORG_SETTING
from tracker.services.queries import count_problems
from tracker.services.reference import get_setting, set_setting
from ui.dialogs.export_dialog import ExportDialog, ReminderDialog

# The offscreen platform says this about every shown window; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
WINDOW_FILTER = ProblemFilter(unit="市教育局", overdue=True, text="学校", as_of=TODAY)


def _export(qtbot, dialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.paper.path.setText(str(path))
    dialog.paper.path_touched = True
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and dialog.message.text() != "正在导出…",
                    timeout=20000)


def test_dialog_starts_from_the_windows_filter(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(demo_ledger, WINDOW_FILTER)
    qtbot.addWidget(dialog)
    assert dialog.unit.currentText() == "市教育局"
    assert dialog.overdue.isChecked()
    assert dialog.keep_other.isChecked() and "搜索“学校”" in dialog.keep_other.text()
    flt = dialog.chosen_filter()
    assert (flt.unit, flt.overdue, flt.text) == ("市教育局", True, "学校")
    n = count_problems(demo_ledger, flt)
    assert dialog.count.text() == f"将导出 {n} 个问题"
    assert dialog.paper.title.placeholderText() == "问题整改台账（市教育局）"
    dialog.keep_other.setChecked(False)
    assert dialog.chosen_filter().text == ""


def test_columns_are_chosen_and_ordered(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(demo_ledger, ProblemFilter())
    qtbot.addWidget(dialog)
    dialog.columns.item(dialog.columns.count() - 1).setCheckState(Qt.CheckState.Unchecked)  # 备注
    status_row = [dialog.columns.item(i).text() for i in range(dialog.columns.count())
                  ].index("完成情况")
    dialog.columns.setCurrentRow(status_row)
    dialog.move_column(-1)
    keys = dialog.chosen_columns()
    assert "remarks" not in keys
    assert keys.index("status") == keys.index("progress") - 1
    dialog.table_font.setCurrentText("仿宋")
    options = dialog.options()
    assert options.columns == keys and options.table_font == "仿宋"


def test_export_runs_in_the_background_and_offers_the_file(
        qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(demo_ledger, ProblemFilter(unit="市教育局", as_of=TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.paper.org.setText("XX市教育局")
    dialog.paper.day.setDate(dialog.paper.day.date().fromString("2026-11-23", "yyyy-MM-dd"))
    dialog.columns.item(0).setCheckState(Qt.CheckState.Unchecked)  # 序号
    path = tmp_path / "导出.xlsx"
    assert not dialog.open_file.isVisible()
    _export(qtbot, dialog, path)
    assert dialog.message.text().startswith("已导出 ")
    assert str(path) in dialog.message.text()
    assert dialog.open_file.isVisible() and dialog.open_folder.isVisible()
    wb = load_workbook(path)
    ws = wb["市教育局"]
    assert ws["A1"].value == "XX市教育局问题整改台账（市教育局）"
    assert header(ws)[0] == "问题来源" and header(ws)[-4:] == list(ID_HEADERS)
    assert len(set(column_values(ws, "问题ID"))) == dialog.result_info.problems
    assert get_setting(demo_ledger, ORG_SETTING) == "XX市教育局"  # remembered for next time


def test_export_error_is_shown_in_the_dialog(qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(demo_ledger, ProblemFilter())
    qtbot.addWidget(dialog)
    dialog.paper.path.setText(str(tmp_path / "没有的文件夹" / "a.xlsx"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "不存在" in dialog.message.text()
    assert dialog.task is None and dialog.export_button.isEnabled()
    for i in range(dialog.columns.count()):
        dialog.columns.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.paper.path.setText(str(tmp_path / "a.xlsx"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "请至少勾选一列。"
    assert not (tmp_path / "a.xlsx").exists()


def test_reminder_dialog_counts_and_writes_the_units_notice(
        qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_setting(demo_ledger, ORG_SETTING, "XX市教育督导室")
    dialog = ReminderDialog(demo_ledger, "市教育局")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.unit.currentText() == "市教育局"
    assert dialog.paper.org.text() == "XX市教育督导室"
    assert dialog.summary.text().startswith("“市教育局”尚有 ")
    assert dialog.paper.path.text().endswith("市教育局催办单.xlsx")
    path = tmp_path / "催办.xlsx"
    _export(qtbot, dialog, path)
    assert dialog.message.text().startswith("已生成催办单：")
    wb = load_workbook(path)
    # The hidden _rectify sheet lets the filled-in notice come back through import-excel.
    assert [n for n in wb.sheetnames if wb[n].sheet_state == "visible"] == ["催办单"]
    texts = [c.value for row in wb["催办单"].iter_rows() for c in row if c.value]
    assert "市教育局：" in texts


@pytest.mark.parametrize("unit", [None, "不存在的单位"])
def test_reminder_dialog_without_a_unit_picks_the_first(qtbot, demo_ledger: Ledger, unit) -> None:  # type: ignore[no-untyped-def]
    dialog = ReminderDialog(demo_ledger, unit)
    qtbot.addWidget(dialog)
    assert dialog.unit.currentIndex() == 0 and dialog.unit.currentText()


def test_read_only_ledger_exports_without_remembering(qtbot, tmp_path: Path, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    from tracker.db.engine import open_ledger

    ro = open_ledger(demo_ledger.path, read_only=True)
    try:
        dialog = ExportDialog(ro, dataclasses.replace(ProblemFilter(), as_of=TODAY))
        qtbot.addWidget(dialog)
        dialog.paper.org.setText("临时单位")
        _export(qtbot, dialog, tmp_path / "ro.xlsx")
        assert dialog.message.text().startswith("已导出 ")
        assert get_setting(ro, ORG_SETTING) == ""
    finally:
        ro.close()


def test_reminder_dialog_lists_a_unit_that_only_co_operates(
        qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    from tracker.domain import MeasureInput, ProblemInput
    from tracker.services.problems import create_problem

    create_problem(demo_ledger, ProblemInput(
        description="校车安全管理不到位", lead_unit="市教育局", co_units="市交警支队",
        measures=(MeasureInput("开展校车安全检查", deadline_text="2027年3月底前"),)))
    alone = ReminderDialog(demo_ledger, "市交警支队")
    qtbot.addWidget(alone)
    assert alone.unit.findData("市交警支队") == -1  # no unit-table row: the window's names add it
    dialog = ReminderDialog(demo_ledger, "市交警支队", more_units=["市交警支队", "市教育局"])
    qtbot.addWidget(dialog)
    assert dialog.unit.currentText() == "市交警支队"
    assert dialog.unit.count() == alone.unit.count() + 1
    assert dialog.summary.text().startswith("“市交警支队”尚有 1 ")
