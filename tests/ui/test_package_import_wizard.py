"""The import wizard with a unit's returned package (.zip): its ledger read like any returned
ledger, its files listed on their own tab, and both imported in one transaction."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.core.test_package import PDF, PHOTO, returned_package
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.excel.package import EVIDENCE_DIR, write_package
from tracker.services.evidence import list_evidence
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem
from ui.dialogs.import_wizard import ImportWizard

TIMEOUT = 20_000
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _package(ledger: Ledger, tmp_path: Path, status: str = "") -> Path:
    create_problem(ledger, ProblemInput("食堂留样不规范", lead_unit="县教体局", measures=(
        MeasureInput("开展检查", deadline_text="2026-12-31"),)))
    package = write_package(ledger, tmp_path / "教体局.zip").path
    with zipfile.ZipFile(package) as zf:
        folder = next(n for n in zf.namelist() if n.startswith(f"{EVIDENCE_DIR}/1-"))
    return returned_package(package, tmp_path / "交回.zip", {
        folder + "整改报告.pdf": PDF, folder + "现场.jpg": PHOTO,
        f"{EVIDENCE_DIR}/无编号/a.pdf": b"stray"}, status=status)


def _to_check(qtbot, w: ImportWizard, path: Path) -> None:  # type: ignore[no-untyped-def]
    w.open_file(path)
    qtbot.waitUntil(lambda: w.file_page.isComplete(), timeout=TIMEOUT)
    assert "材料包：台账“教体局.xlsx”，2 个问题文件夹" in w.file_page.status.text()
    w.next()
    w.next()
    assert w.currentPage() is w.check_page
    qtbot.waitUntil(lambda: w.state.plan is not None, timeout=TIMEOUT)


def test_a_returned_package_is_checked_listed_and_imported_whole(
        qtbot, ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _package(ledger, tmp_path, status="已完成")
    w = ImportWizard(ledger)
    qtbot.addWidget(w)
    w.show()
    _to_check(qtbot, w, path)
    page = w.check_page
    listed = page.files_text.toPlainText()
    assert "将上传 2 个：整改报告.pdf" in listed and "“无编号”：文件夹名开头没有问题编号" in listed
    assert page.tabs.isTabVisible(page.files_tab) and "将上传 2 个" in page.tabs.tabText(page.files_tab)
    assert "材料包中将上传 2 个佐证材料" in page.summary.text()
    assert list_evidence(ledger, 1) == []  # checking wrote nothing
    assert page.isComplete()

    w.next()  # 导入
    qtbot.waitUntil(lambda: w.currentPage() is w.done_page, timeout=TIMEOUT)
    assert "上传佐证材料 2 个" in w.done_page.label.text()
    assert sorted(e.name for e in list_evidence(ledger, 1)) == ["整改报告.pdf", "现场.jpg"]
    assert get_problem(ledger, 1).measures[0].status is Status.DONE
    workdir = Path(w.state.workdir.name) if w.state.workdir else None
    w.done(0)
    assert workdir is None or not workdir.exists()  # the ledger taken out is cleaned up


def test_a_package_bringing_only_evidence_can_be_imported(
        qtbot, ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _package(ledger, tmp_path)
    w = ImportWizard(ledger)
    qtbot.addWidget(w)
    w.show()
    _to_check(qtbot, w, path)
    assert w.state.plan is not None and not w.state.plan.updates
    assert w.check_page.isComplete()
    w.next()
    qtbot.waitUntil(lambda: w.currentPage() is w.done_page, timeout=TIMEOUT)
    assert len(list_evidence(ledger, 1)) == 2


def test_a_hostile_package_is_refused_on_the_first_page(
        qtbot, ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "恶意.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("台账.xlsx", b"PK")
        zf.writestr("../../越界.pdf", PDF)
    w = ImportWizard(ledger)
    qtbot.addWidget(w)
    w.show()
    w.open_file(path)
    qtbot.waitUntil(lambda: "指向文件以外" in w.file_page.status.text(), timeout=TIMEOUT)
    assert "恶意.zip" in w.file_page.status.text() and not w.file_page.isComplete()
