"""File menu and hooks: opening another ledger, recent files, the sample-ledger offer on an
empty one, every dialog imported by a literal name, preferences applied at once."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import open_window, wait_loaded, window  # noqa: F401
from tracker.db.engine import open_ledger
from tracker.services.queries import count_problems
from ui import external_dialogs, filters, ledger_files, settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_opening_another_ledger_clears_undo_and_lists_it_in_recent_files(
        qtbot, window, tmp_path, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    window.stack.push(__import__("PySide6.QtGui").QtGui.QUndoCommand("x"))
    other = tmp_path / "other.sqlite"
    open_ledger(other).close()
    assert ledger_files.open_path(window, other)
    wait_loaded(qtbot, window, 0)
    assert window.stack.count() == 0
    assert window.windowTitle() == "整改台账 - other.sqlite"
    assert settings.recent_files()[:2] == [str(other), str(tmp_path / "small.sqlite")]
    assert [a.text() for a in window.menus.recent_menu.actions()] == ["other.sqlite",
                                                                      "small.sqlite"]
    assert len(asked) == 1 and "示例台账" in asked[0]  # the empty ledger offered the sample
    QThreadPool.globalInstance().waitForDone(10_000)


def test_a_file_that_is_not_a_ledger_is_explained_and_the_old_one_kept(
        qtbot, window, tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    bad = tmp_path / "notes.sqlite"
    bad.write_text("这不是数据库")
    assert not ledger_files.open_path(window, bad)
    assert said and "不是整改台账文件" in said[0]
    assert window.ledger.path.name == "small.sqlite"


def test_empty_ledger_offers_the_sample_once(qtbot, tmp_path):
    led = ledger_files.open_at(tmp_path / "empty.sqlite")
    w = open_window(qtbot, led, 0)
    asked: list[int] = []
    assert ledger_files.offer_demo(w, ask=lambda: asked.append(1) or True)
    qtbot.waitUntil(lambda: w.model.rowCount() == ledger_files.DEMO_PROBLEMS, timeout=20_000)
    assert count_problems(w.ledger) == ledger_files.DEMO_PROBLEMS and asked == [1]
    assert not ledger_files.offer_demo(w, ask=lambda: asked.append(2) or True)
    assert asked == [1]
    QThreadPool.globalInstance().waitForDone(10_000)
    w.ledger.close()


def test_declined_sample_is_not_offered_again(qtbot, tmp_path):
    led = ledger_files.open_at(tmp_path / "empty.sqlite")
    w = open_window(qtbot, led, 0)
    assert not ledger_files.offer_demo(w, ask=lambda: False)
    assert not ledger_files.offer_demo(w, ask=lambda: pytest.fail("asked twice"))
    assert count_problems(led) == 0
    assert w.empty_label.text().startswith("台账里还没有问题")
    led.close()


def test_every_dialog_the_menus_open_is_imported_by_a_literal_name():
    # A frozen build carries only what it sees imported: no "此功能尚未安装" in a packaged app.
    import ast
    import importlib.util

    tree = ast.parse(Path(external_dialogs.__file__).read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {"ui.dialogs.import_wizard", "ui.dialogs.export_dialog", "ui.printing",
            "ui.dialogs.backup_dialog", "ui.dialogs.report_import_dialog"} <= names
    assert all(importlib.util.find_spec(name) is not None for name in names)


def test_hooks_pass_the_current_filter_and_unit(qtbot, window, monkeypatch):
    seen: dict[str, object] = {}

    class Reminder:
        def __init__(self, ledger, unit, parent, more_units=()):  # type: ignore[no-untyped-def]
            seen["unit"], seen["more"] = unit, list(more_units)

        def exec(self) -> int:
            return 0

    class Export(Reminder):
        def __init__(self, ledger, flt, parent):  # type: ignore[no-untyped-def]
            seen["filter"] = flt

    fake = types.ModuleType("ui.dialogs.export_dialog")
    fake.ReminderDialog = Reminder  # type: ignore[attr-defined]
    fake.ExportDialog = Export  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.dialogs.export_dialog", fake)
    window.panel.select_key("unit:市财政局")
    wait_loaded(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.last_counts is not None, timeout=10_000)  # side panel
    window.menus.reminder.trigger()
    window.menus.export_excel.trigger()
    assert seen["unit"] == "市财政局"
    # The side panel's 按单位 names, units that only co-operate included, reach the dialog.
    assert window.last_counts is not None
    assert seen["more"] == [c.name for c in window.last_counts.by_unit] and seen["more"]
    assert getattr(seen["filter"], "unit") == "市财政局"


def test_restored_backup_reopens_the_ledger(qtbot, window, monkeypatch):
    class Backup:
        restored = True

        def __init__(self, ledger, parent):  # type: ignore[no-untyped-def]
            pass

        def exec(self) -> int:
            return 1

    fake = types.ModuleType("ui.dialogs.backup_dialog")
    fake.BackupDialog = Backup  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.dialogs.backup_dialog", fake)
    old = window.ledger
    window.menus.backup.trigger()
    assert window.ledger is not old and window.ledger.path == old.path
    wait_loaded(qtbot, window, 5)


def test_new_thresholds_recolour_and_rename_at_once(qtbot, window):
    settings.set_thresholds(21, 40)
    window.set_thresholds(*settings.thresholds())
    wait_loaded(qtbot, window, 5)
    assert window.legend.labels[next(iter(window.legend.labels))].text() == "逾期"
    assert window.panel.tree.find_key(filters.SOON).text() == "21天内到期"
    qtbot.waitUntil(lambda: window.panel.tree.count_of(filters.SOON) == 2, timeout=5000)


def test_new_ledger_starts_empty_without_offering_the_sample(qtbot, window, tmp_path,
                                                             monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "2027年台账.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    window.menus.new_ledger.trigger()
    wait_loaded(qtbot, window, 0)
    assert window.ledger.path == target and count_problems(window.ledger) == 0
    assert window.panel.tree.count_of("category:1") == 0  # default categories are there
