"""Windows realities in the window: the recent-files menu never touches the disk (a share that
is down would hang the start), a gone file is explained when picked; a newer installer at
IT's update location is announced in the status bar and once in a message box."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import wait_loaded, window  # noqa: F401
from tracker.updates import Update
from ui import ledger_files, settings, update_notice

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_recent_menu_lists_files_without_looking_at_them(qtbot, window, monkeypatch):
    unreachable = r"\\fileserver\教育局\台账.sqlite"
    settings.settings().setValue(settings.KEY_RECENT, [unreachable, str(window.ledger.path)])
    looked: list[str] = []
    real_exists = Path.exists

    def spy(self: Path, *a: object, **k: object) -> bool:
        looked.append(str(self))
        return real_exists(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "exists", spy)
    monkeypatch.setattr(Path, "is_file", spy)
    window.menus.fill_recent()
    assert [a.toolTip() for a in window.menus.recent_menu.actions()] == [
        unreachable, str(window.ledger.path)]
    assert looked == []


def test_a_recent_file_that_is_gone_is_explained_and_dropped(qtbot, window, tmp_path,
                                                             monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    gone = str(tmp_path / "已删除.sqlite")
    settings.settings().setValue(settings.KEY_RECENT, [gone, str(window.ledger.path)])
    assert not ledger_files.open_recent(window, gone)
    assert "找不到" in said[0] and gone in said[0]
    assert settings.recent_files() == [str(window.ledger.path)]


def test_a_recent_file_on_a_folder_that_is_down_is_kept(qtbot, window, tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    away = str(tmp_path / "U盘" / "台账.sqlite")
    settings.settings().setValue(settings.KEY_RECENT, [away])
    assert not ledger_files.open_recent(window, away)
    assert "连不上" in said[0]
    assert settings.recent_files() == [away]


def test_a_newer_version_is_announced_once(qtbot, window, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    update = Update("9.0", r"\\fileserver\软件\rectify-setup-9.0.exe", "导出加了页码")
    update_notice.show(window, update)
    update_notice.show(window, update)
    assert len(told) == 1 and "9.0" in told[0] and "rectify-setup-9.0.exe" in told[0]
    assert "导出加了页码" in told[0]
    labels = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert labels.count("有新版本 9.0") == 2


def test_the_check_runs_in_the_background_on_a_folder(qtbot, window, tmp_path, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    (tmp_path / "rectify-setup-99.0.exe").write_bytes(b"")
    (tmp_path / "org.rectify.tracker_99.0_amd64.deb").write_bytes(b"")
    update_notice.start(window, str(tmp_path))
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "99.0" in told[0]
    QThreadPool.globalInstance().waitForDone(5000)


def test_no_location_says_nothing(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: pytest.fail("told"))
    task = update_notice.start(window, "")
    done: list[object] = []
    task.finished.connect(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [None]
    wait_loaded(qtbot, window, 5)
