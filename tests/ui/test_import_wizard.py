"""The import wizard: file -> detected header and columns -> preview with doubtful rows
marked -> import off the GUI thread; errors corrected in place; conflicts decided per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QWizard

from tests.conftest import TODAY
from tests.core.import_books import standard_book, two_problem_rows
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.roundtrip import TAKE_FILE
from tracker.services.measures import update_measure
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem, list_problems
from ui.dialogs.import_check_page import TAB_CONFLICTS, TAB_ERRORS
from ui.dialogs.import_models import CHOICE_COLUMN, CORRECTION_COLUMN
from ui.dialogs.import_wizard import ImportWizard

TIMEOUT = 20_000
# The offscreen platform says this whenever a window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def wizard(qtbot, ledger: Ledger) -> ImportWizard:  # type: ignore[no-untyped-def]
    w = ImportWizard(ledger)
    qtbot.addWidget(w)
    w.show()
    return w


def opened(qtbot, w: ImportWizard, path: Path) -> None:  # type: ignore[no-untyped-def]
    w.open_file(path)
    qtbot.waitUntil(lambda: w.file_page.isComplete(), timeout=TIMEOUT)


def to_check_page(qtbot, w: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    w.next()
    assert w.currentPage() is w.mapping_page
    w.next()
    assert w.currentPage() is w.check_page
    qtbot.waitUntil(lambda: w.state.plan is not None, timeout=TIMEOUT)


def test_hand_made_ledger_is_previewed_then_imported(qtbot, wizard: ImportWizard,  # type: ignore[no-untyped-def]
                                                    ledger: Ledger, tmp_path: Path, qtmodeltester) -> None:
    rows = two_problem_rows() + [({"存在问题": "校园视频监控存在盲区", "序号": 2},
                                  [{"整改措施": "配齐保安", "牵头单位": "县公安局"}])]
    opened(qtbot, wizard, standard_book(tmp_path / "台账.xlsx", rows))
    assert "表头在第 3 行，填报日期 2022年6月30日" in wizard.file_page.status.text()
    wizard.next()
    page = wizard.mapping_page
    assert page.header_spin.value() == 3
    assert page.combos["description"].currentText() == "C：存在问题"
    assert page.combos["deadline"].currentText() == "H：整改时限"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.plan is not None, timeout=TIMEOUT)
    check = wizard.check_page
    qtmodeltester.check(check.preview)
    assert check.summary.text().startswith("将导入 2 个问题、5 项措施")
    assert check.preview.rowCount() == 5
    warned = [r for r in range(5)
              if check.preview.data(check.preview.index(r, 0), Qt.ItemDataRole.DecorationRole)]
    assert warned == [4]  # the repeated, unmerged problem text is a doubtful row
    assert check.isComplete()

    wizard.next()  # 导入: runs in the background, then moves on by itself
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=TIMEOUT)
    assert wizard.done_page.label.text().startswith("已导入 2 个问题、5 项措施")
    assert [len(p.measures) for p in list_problems(ledger)] == [3, 2]


def test_mapping_change_is_used_by_the_check(qtbot, wizard: ImportWizard, ledger: Ledger,  # type: ignore[no-untyped-def]
                                            tmp_path: Path) -> None:
    opened(qtbot, wizard, standard_book(tmp_path / "a.xlsx", two_problem_rows()))
    wizard.next()
    combo = wizard.mapping_page.combos["status"]
    combo.setCurrentIndex(0)  # （不导入）
    assert "status" not in wizard.state.mapping("台账").columns
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.plan is not None, timeout=TIMEOUT)
    statuses = {m.data.status for p in wizard.state.plan.problems for m in p.measures}
    assert statuses == {Status.NOT_STARTED}


def test_errors_are_corrected_in_the_wizard_and_the_import_goes_on(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, ledger: Ledger, tmp_path: Path, qtmodeltester) -> None:
    rows = [({"存在问题": "甲"}, [{"整改措施": "a", "整改时限": "某天"}])]
    opened(qtbot, wizard, standard_book(tmp_path / "bad.xlsx", rows))
    to_check_page(qtbot, wizard)
    check = wizard.check_page
    assert not check.isComplete() and check.tabs.currentIndex() == TAB_ERRORS
    assert check.errors.rowCount() == 1
    qtmodeltester.check(check.errors)
    fix = check.errors.index(0, CORRECTION_COLUMN)
    assert check.errors.setData(fix, "2022年12月31日")
    check.recheck()
    qtbot.waitUntil(lambda: wizard.state.plan is not None and check.isComplete(), timeout=TIMEOUT)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=TIMEOUT)
    assert list_problems(ledger)[0].measures[0].deadline == dt.date(2022, 12, 31)


def test_a_file_that_is_not_excel_is_explained_on_the_first_page(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, tmp_path: Path) -> None:
    path = tmp_path / "旧台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    wizard.open_file(path)
    qtbot.waitUntil(lambda: "另存为" in wizard.file_page.status.text(), timeout=TIMEOUT)
    assert not wizard.file_page.isComplete()


def test_conflicts_wait_for_the_clerks_choice(qtbot, wizard: ImportWizard, ledger: Ledger,  # type: ignore[no-untyped-def]
                                             tmp_path: Path, qtmodeltester) -> None:
    row = create_problem(ledger, ProblemInput(description="缺编", measures=(
        MeasureInput(text="核定编制", status=Status.IN_PROGRESS),)))
    path = tmp_path / "导出.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=TODAY))
    update_measure(ledger, row.measures[0].id, status=Status.ONGOING)
    wb = load_workbook(path)
    wb["台账"]["M4"] = "已完成"
    wb.save(path)

    opened(qtbot, wizard, path)
    assert "将按编号更新原有问题" in wizard.file_page.status.text()
    to_check_page(qtbot, wizard)
    check = wizard.check_page
    assert check.tabs.currentIndex() == TAB_CONFLICTS
    qtmodeltester.check(check.conflicts)
    assert check.conflicts.rowCount() == 1 and not check.isComplete()
    assert check.conflicts.setData(check.conflicts.index(0, CHOICE_COLUMN), TAKE_FILE)
    assert check.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=TIMEOUT)
    assert get_problem(ledger, row.id).measures[0].status is Status.DONE
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()


def test_pointing_at_another_header_row_maps_that_rows_words(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, tmp_path: Path) -> None:
    opened(qtbot, wizard, standard_book(tmp_path / "a.xlsx", two_problem_rows()))
    wizard.next()
    page = wizard.mapping_page
    page.header_spin.setValue(1)  # the title line: no column names there
    assert wizard.state.mapping("台账").columns == {}
    assert not page.isComplete()
    page.header_spin.setValue(3)
    assert page.combos["measure"].currentText() == "D：整改措施"
    assert page.isComplete()
    spans = {(page.rows.rowSpan(0, 0), page.rows.columnSpan(0, 0))}
    assert spans == {(1, 11)}  # the merged title shows as one cell, as in Excel


def test_round_trip_preview_shows_the_rows_as_they_will_read(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, ledger: Ledger, tmp_path: Path, qtmodeltester) -> None:
    create_problem(ledger, ProblemInput(description="缺编", measures=(
        MeasureInput(text="核定编制", deadline_text="年底前"),)))
    path = tmp_path / "导出.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=TODAY))
    wb = load_workbook(path)
    wb["台账"]["M4"] = "整改中"
    wb.save(path)
    opened(qtbot, wizard, path)
    to_check_page(qtbot, wizard)
    preview = wizard.check_page.preview
    qtmodeltester.check(preview)
    texts = [preview.data(preview.index(0, c)) for c in range(6)]
    assert texts == ["台账!4（更新）", "缺编", "核定编制", "", "年底前", "整改中"]
    assert preview.data(preview.index(0, 5), Qt.ItemDataRole.FontRole).bold()
    assert preview.data(preview.index(0, 4), Qt.ItemDataRole.FontRole) is None


def test_closing_the_wizard_during_the_import_leaves_the_ledger_untouched(  # type: ignore[no-untyped-def]
        qtbot, wizard: ImportWizard, ledger: Ledger, tmp_path: Path) -> None:
    rows = [({"存在问题": f"问题{i}"}, [{"整改措施": "措施"}]) for i in range(2000)]
    opened(qtbot, wizard, standard_book(tmp_path / "big.xlsx", rows))
    to_check_page(qtbot, wizard)
    wizard.next()  # starts the import in the background
    wizard.reject()
    QThreadPool.globalInstance().waitForDone(TIMEOUT)
    assert list_problems(ledger) == []
