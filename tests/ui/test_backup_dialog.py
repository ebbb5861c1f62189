"""备份与恢复 dialog: lists backups, backs up now and restores off the GUI thread, asks first,
and tells the main window to reopen the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.db import backup as bk
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import ProblemInput
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems
from ui.dialogs.backup_dialog import COL_FILE, COL_KIND, COL_SIZE, BackupDialog

# The offscreen platform says this whenever a message box is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def ledger_with_backup(tmp_path: Path) -> Iterator[tuple[Ledger, bk.BackupInfo]]:
    """A ledger whose manual backup holds one problem; a second was added after it."""
    led = open_ledger(tmp_path / "台账.sqlite", user="王芳", auto_backup=False)
    create_problem(led, ProblemInput("备份前录入的问题"))
    info = bk.backup_now(led)
    create_problem(led, ProblemInput("备份后录入的问题"))
    yield led, info
    led.close()


def _descriptions(path: Path) -> list[str]:
    led = open_ledger(path, auto_backup=False)
    try:
        return sorted(p.description for p in list_problems(led))
    finally:
        led.close()


def _answer_confirmation(yes: bool) -> None:
    """Click 恢复 or 取消 on the confirmation box once it is up."""
    def click() -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.objectName() == "confirmRestore"
                    and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, click)
            return
        box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, click)


def test_backups_are_listed_newest_first_with_kind_and_size(qtbot, qtmodeltester,
                                                            ledger_with_backup) -> None:
    led, manual = ledger_with_backup
    auto = bk.auto_backup(led)
    assert auto is not None
    dialog = BackupDialog(led)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.table.model())
    assert dialog.table.rowCount() == 2
    kinds = [dialog.table.item(r, COL_KIND).text() for r in range(2)]
    files = [dialog.table.item(r, COL_FILE).text() for r in range(2)]
    assert set(kinds) == {"手动", "自动"} and manual.path.name in files
    assert dialog.table.item(0, COL_SIZE).text().endswith("KB")
    assert str(led.path.parent / "backups") in dialog.intro.text()
    assert dialog.selected_backup() is not None and dialog.restore_button.isEnabled()


def test_backup_now_adds_a_row_when_the_background_task_finishes(qtbot, ledger_with_backup) -> None:
    led, _ = ledger_with_backup
    dialog = BackupDialog(led)
    qtbot.addWidget(dialog)
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    assert "已备份到" in dialog.status.text()
    assert len([b for b in bk.list_backups(led.path) if b.kind == "手动"]) == 2
    assert dialog.backup_button.isEnabled()


def test_restoring_the_selected_backup_asks_then_replaces_and_keeps_a_copy(
        qtbot, ledger_with_backup) -> None:
    led, manual = ledger_with_backup
    dialog = BackupDialog(led)
    qtbot.addWidget(dialog)
    assert dialog.selected_backup() == manual.path
    _answer_confirmation(yes=True)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.restore_button.click()
    assert dialog.restored is True
    assert _descriptions(led.path) == ["备份前录入的问题"]
    result = dialog.restore_result
    assert result is not None and result.safety_copy is not None
    assert _descriptions(result.safety_copy) == ["备份前录入的问题", "备份后录入的问题"]


def test_cancelling_the_confirmation_changes_nothing(qtbot, ledger_with_backup) -> None:
    led, _ = ledger_with_backup
    dialog = BackupDialog(led)
    qtbot.addWidget(dialog)
    _answer_confirmation(yes=False)
    dialog.restore_button.click()
    assert dialog.restored is False
    assert sorted(p.description for p in list_problems(led)) == ["备份前录入的问题", "备份后录入的问题"]


def test_a_damaged_backup_is_refused_with_its_name_and_the_window_keeps_working(
        qtbot, ledger_with_backup) -> None:
    led, _ = ledger_with_backup
    bad = led.path.parent / "backups" / "台账-手动-20300101-120000.sqlite"
    bad.write_bytes(b"\x00" * 4096)
    dialog = BackupDialog(led)
    qtbot.addWidget(dialog)
    assert dialog.selected_backup() == bad  # the newest row
    _answer_confirmation(yes=True)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: bad.name in dialog.status.text(), timeout=15_000)
    assert "不能用来恢复" in dialog.status.text() or "不是" in dialog.status.text()
    assert dialog.restored is False and dialog.restore_button.isEnabled()
    # The window's ledger reconnects as it is used: nothing was replaced.
    assert sorted(p.description for p in list_problems(led)) == ["备份前录入的问题", "备份后录入的问题"]


def test_a_read_only_ledger_can_be_backed_up_but_not_overwritten(qtbot, ledger_with_backup) -> None:
    led, _ = ledger_with_backup
    ro = open_ledger(led.path, read_only=True, auto_backup=False)
    try:
        dialog = BackupDialog(ro)
        qtbot.addWidget(dialog)
        assert dialog.backup_button.isEnabled()
        assert not dialog.restore_button.isEnabled()
        assert not dialog.restore_file_button.isEnabled()
        assert "只读" in dialog.status.text()
    finally:
        ro.close()
