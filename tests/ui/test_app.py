"""Starting the program: the ledger given on the command line opens in the main window,
an unreadable one is explained and another can be chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from ui import app as app_module
from ui import ledger_files, settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def untouched_application(qapp, monkeypatch):  # type: ignore[no-untyped-def]
    """run() sets the font, locale and Qt's Chinese texts on the one QApplication the whole
    test session shares: put them back so later tests see what they expect."""
    from PySide6.QtCore import QLocale

    font, locale = qapp.font(), QLocale()
    monkeypatch.setattr(app_module, "_install_translators", lambda _app: None)
    yield
    qapp.setFont(font)
    QLocale.setDefault(locale)


def test_run_opens_the_given_ledger_and_returns_when_the_window_closes(
        qtbot, small_ledger, monkeypatch):
    path = str(small_ledger.path)
    small_ledger.close()
    monkeypatch.setattr(ledger_files, "offer_demo", lambda w, ask=None: False)
    seen: list[str] = []

    def close_soon() -> None:
        for w in QApplication.topLevelWidgets():
            if w.windowTitle().startswith("整改台账 - "):
                seen.append(w.windowTitle())
                w.close()

    QTimer.singleShot(800, close_soon)
    # If the window never showed, end the event loop anyway: a failure, never a hang.
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.closeAllWindows() or QApplication.quit())
    guard.start(15_000)
    assert app_module.run(path) == 0
    guard.stop()
    assert seen == ["整改台账 - small.sqlite"]
    assert settings.last_ledger() == path


def test_unreadable_ledger_is_explained_then_another_can_be_picked(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    good = tmp_path / "good.sqlite"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    ledger = app_module.first_ledger(str(bad))
    assert ledger is not None and ledger.path == good
    assert said and "不是整改台账文件" in said[0]
    ledger.close()


def test_giving_up_on_the_file_dialog_ends_the_start(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert app_module.first_ledger(str(bad)) is None
