"""The check page shows the column mapping and the unused columns, and asks for the ledger's
date when the file has none (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate

from tests.ui.test_import_wizard import TIMEOUT, opened, to_check_page, wizard  # noqa: F401
from tracker.db.engine import Ledger
from ui.dialogs.import_check_page import TAB_COLUMNS
from ui.dialogs.import_wizard import ImportWizard

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _undated(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["教育督导反馈问题整改台账"])
    ws.append(["序号", "存在问题", "整改措施", "责任科室", "整改时限", "整改进展", "联系人"])
    ws.append([1, "校舍维修滞后", "列入预算", "计财股", "年底前", "已完成", "王强"])
    ws.append([2, "课后服务不足", "制定方案", "基教股", "年底前", "整改中", "李明"])
    wb.save(path)
    return path


def test_check_page_lists_the_mapping_and_asks_for_the_date(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, ledger: Ledger, tmp_path: Path) -> None:  # noqa: F811
    opened(qtbot, wizard, _undated(tmp_path / "a.xlsx"))
    to_check_page(qtbot, wizard)
    page = wizard.check_page
    plan = wizard.state.plan
    assert plan is not None and plan.errors == []
    text = page.columns_text.toPlainText()
    assert "D“责任科室” → 牵头单位" in text and "F“整改进展” → 完成情况" in text
    assert "未导入的列：G“联系人”（2个单元格）" in text
    assert "1 列未导入" in page.tabs.tabText(TAB_COLUMNS)
    assert not page.date_row.isHidden() and "没有填报日期" in page.date_label.text()
    guessed = plan.sheets[0].reference
    assert guessed is not None
    assert plan.problems[0].measures[0].data.deadline == dt.date(guessed.year, 12, 31)
    page.date_edit.setDate(QDate(2022, 3, 1))
    page.use_date()
    qtbot.waitUntil(lambda: wizard.state.plan is not None, timeout=TIMEOUT)
    again = wizard.state.plan
    assert again is not None
    assert again.problems[0].measures[0].data.deadline == dt.date(2022, 12, 31)
    assert [m.data.status.label for p in again.problems for m in p.measures] == ["已完成", "整改中"]
