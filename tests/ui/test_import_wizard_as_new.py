"""The import wizard with a file exported from another ledger: the check page says so in red
and imports nothing; ticking 全部作为新问题导入 on the first page brings its problems in new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from ui.dialogs.import_wizard import ImportWizard

TIMEOUT = 20_000
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _foreign_file(tmp_path: Path) -> Path:
    """A file exported from another ledger, whose problem 1 is not ours."""
    (tmp_path / "county").mkdir()
    other = open_ledger(tmp_path / "county" / "县台账.sqlite", user="测试员")
    try:
        create_problem(other, ProblemInput(description="县里的问题", lead_unit="县教育局",
                                           measures=(MeasureInput("县里的措施"),)))
        path = tmp_path / "县台账导出.xlsx"
        export_ledger(other, path, options=ExportOptions(report_date=TODAY))
    finally:
        other.close()
    return path


def test_a_file_from_another_ledger_is_refused_until_imported_as_new(  # type: ignore[no-untyped-def]
        qtbot, ledger: Ledger, tmp_path: Path) -> None:
    create_problem(ledger, ProblemInput(description="市里的问题", measures=(MeasureInput("市里的措施"),)))
    wizard = ImportWizard(ledger)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.open_file(_foreign_file(tmp_path))
    page = wizard.file_page
    qtbot.waitUntil(page.isComplete, timeout=TIMEOUT)
    assert page.as_new_box.isEnabled() and not page.as_new_box.isChecked()

    wizard.next()
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: "另一个台账“县台账.sqlite”" in check.summary.text(), timeout=TIMEOUT)
    assert wizard.state.plan is None and not check.isComplete()

    wizard.back()
    wizard.back()
    page.as_new_box.setChecked(True)
    assert "将全部作为新问题导入" in page.status.text()
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.plan is not None, timeout=TIMEOUT)
    assert check.summary.text().startswith("将导入 1 个问题、1 项措施")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=TIMEOUT)
    assert sorted(p.description for p in list_problems(ledger)) == ["县里的问题", "市里的问题"]
