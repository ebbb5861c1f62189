"""The last ledger at start-up: a location that does not answer (a share whose server is gone,
where os.path.exists blocks for a minute on Windows) holds the start up for at most
LAST_LEDGER_TIMEOUT; the default ledger opens instead, the status bar says why and offers
重试, which looks again without freezing the window and opens the ledger once it answers."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import open_window
from tracker.db.engine import open_ledger
from tracker.services.reference import set_setting
from ui import app as app_module
from ui import ledger_files, settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Share:
    """A path check like os.path.exists on a network share: it hangs until the share is back
    (or the test ends), then answers from the real disk; it counts the looks."""

    def __init__(self) -> None:
        self.back = threading.Event()
        self.asked: list[str] = []

    def exists(self, path: str) -> bool:
        """Hang while the share is down (the way Windows waits on a gone server)."""
        self.asked.append(path)
        self.back.wait(60)
        return os.path.exists(path)


@pytest.fixture
def share() -> Iterator[Share]:
    """A share that is down; brought back at the end so no look thread outlives the test."""
    s = Share()
    yield s
    s.back.set()
    settings._unanswered = None  # noqa: SLF001 - a start-up's state, not the next test's
    settings._looks.clear()  # noqa: SLF001


def remember(path: Path | str) -> None:
    """Remember ``path`` as the ledger opened last time."""
    settings.set_value(settings.KEY_LAST_LEDGER, str(path))


def notices(window: object) -> list[settings.LastLedgerNotice]:
    """The last-ledger notices in the window's status bar."""
    return window.statusBar().findChildren(settings.LastLedgerNotice)  # type: ignore[attr-defined]


def test_a_ledger_that_is_there_is_opened_and_one_deleted_is_not_announced(tmp_path):
    ledger = tmp_path / "台账.sqlite"
    ledger.write_bytes(b"")
    remember(ledger)
    assert settings.last_ledger() == str(ledger)
    assert settings._unanswered is None  # noqa: SLF001
    ledger.unlink()  # its folder answers: moved or deleted, the default opens as before
    assert settings.last_ledger() is None
    assert settings._unanswered is None  # noqa: SLF001


def test_a_location_that_does_not_answer_holds_the_start_only_the_timeout(tmp_path, share):
    remember(tmp_path / "共享" / "台账.sqlite")
    began = time.monotonic()
    assert settings.last_ledger(timeout=0.5, exists=share.exists) is None
    first = time.monotonic() - began
    assert 0.45 <= first < 5, first  # the look hangs for 60 s: the start does not wait for it
    # The start asks again (the first-paint path, then first_ledger): no second wait.
    began = time.monotonic()
    assert settings.last_ledger(timeout=0.5, exists=share.exists) is None
    assert time.monotonic() - began < 0.4
    assert len(share.asked) == 1
    assert settings._unanswered == (str(tmp_path / "共享" / "台账.sqlite"),  # noqa: SLF001
                                    settings.Reach.NO_ANSWER)


def test_a_share_that_answers_late_at_start_is_opened_after_all(tmp_path, share):
    ledger = tmp_path / "台账.sqlite"
    ledger.write_bytes(b"")
    remember(ledger)
    assert settings.last_ledger(timeout=0.3, exists=share.exists) is None
    share.back.set()  # between the first-paint look and first_ledger's
    time.sleep(0.2)
    assert settings.last_ledger(timeout=0.3, exists=share.exists) == str(ledger)
    assert settings._unanswered is None  # noqa: SLF001


def test_the_start_opens_the_default_ledger_and_the_status_bar_offers_retry(
        qtbot, tmp_path, share, monkeypatch):
    away = tmp_path / "服务器" / "教育局 台账.sqlite"
    remember(away)
    monkeypatch.setattr(settings, "path_exists", share.exists)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    began = time.monotonic()
    ledger = app_module.first_ledger(None)
    assert time.monotonic() - began < settings.LAST_LEDGER_TIMEOUT + 5
    assert ledger is not None and ledger.path != away  # the default ledger
    window = open_window(qtbot, ledger)
    assert settings.tell_if_last_ledger_unreached(window)
    assert not settings.tell_if_last_ledger_unreached(window)  # told once
    [notice] = notices(window)
    assert "没有响应" in notice.label.text() and str(away) in notice.label.text()
    assert notice.button.text() == "重试" and notice.button.isEnabled()

    # 重试 while the share is still down: the window keeps answering, the notice says so.
    notice.timeout = 0.5
    began = time.monotonic()
    notice.button.click()
    assert time.monotonic() - began < 0.4  # the click returns at once: the look is elsewhere
    assert not notice.button.isEnabled() and "正在连接" in notice.label.text()
    qtbot.waitUntil(lambda: notice.button.isEnabled(), timeout=5_000)
    assert "仍然没有响应" in notice.label.text()

    # The share is back with the ledger on it: 重试 opens it and the notice goes.
    away.parent.mkdir()
    on_share = open_ledger(away, user="测试员")
    set_setting(on_share, ledger_files.DEMO_OFFERED, "1")  # no sample-ledger question
    on_share.close()
    share.back.set()
    notice.button.click()
    qtbot.waitUntil(lambda: window.ledger.path == away, timeout=10_000)
    qtbot.waitUntil(lambda: not notices(window), timeout=5_000)
    assert said == []
    window.ledger.close()


def test_a_folder_that_is_not_there_is_announced_as_unreachable(qtbot, small_ledger, tmp_path):
    remember(tmp_path / "U盘" / "台账.sqlite")  # a USB stick that is not plugged in
    assert settings.last_ledger() is None
    window = open_window(qtbot, small_ledger)
    assert settings.tell_if_last_ledger_unreached(window)
    [notice] = notices(window)
    assert "连不上" in notice.label.text() and "U盘" in notice.label.text()


def test_a_recent_ledger_on_a_share_that_hangs_does_not_freeze_the_menu(
        qtbot, tmp_path, share, monkeypatch, small_ledger):  # noqa: F811
    window = open_window(qtbot, small_ledger)
    monkeypatch.setattr(settings, "path_exists", share.exists)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    away = str(tmp_path / "共享" / "台账.sqlite")
    settings.settings().setValue(settings.KEY_RECENT, [away])
    began = time.monotonic()
    assert not ledger_files.open_recent(window, away, timeout=0.3)
    assert time.monotonic() - began < 2
    assert "没有响应" in said[0] and away in said[0]
    assert settings.recent_files() == [away]  # kept for when the share is back
    assert window.ledger is small_ledger
