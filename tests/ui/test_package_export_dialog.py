"""导出 Excel 台账 › 材料包: the same dialog writes a unit's package (.zip) instead of the .xlsx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.ui_fixtures import isolated_settings  # noqa: F401 (autouse fixture)
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.excel.package import EVIDENCE_DIR, README
from tracker.services.queries import count_problems
from ui.dialogs.export_dialog import ExportDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_package_box_writes_a_zip_with_a_folder_per_problem(
        qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(demo_ledger, ProblemFilter())
    qtbot.addWidget(dialog)
    assert dialog.paper.path.text().endswith(".xlsx")
    dialog.package.setChecked(True)
    assert dialog.paper.path.text().endswith(".zip")  # the suggested name follows the choice
    dialog.paper.path.setText(str(tmp_path / "给单位"))
    dialog.paper.path_touched = True
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and dialog.message.text() != "正在导出…",
                    timeout=20000)
    assert "已导出材料包" in dialog.message.text(), dialog.message.text()
    with zipfile.ZipFile(tmp_path / "给单位.zip") as zf:
        names = zf.namelist()
    folders = [n for n in names if n.startswith(EVIDENCE_DIR + "/") and n.endswith("/")]
    assert README in names and "给单位.xlsx" in names
    assert len(folders) == count_problems(demo_ledger, ProblemFilter())
