"""Errors leave a trace in the window: an exception in a Qt slot, a Python thread or a
background task is logged with its traceback, and the clerk sees one Chinese sentence."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tracker import logs
from tracker.errors import ValidationError
from ui import app as ui_app
from ui.tasks import Cancelled, ProgressFn, run_in_background

Shown = list[tuple[str, str]]


class _Emitter(QObject):
    fired = Signal()


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Logging into a temporary folder, as run() sets it up; stopped after the test."""
    monkeypatch.setenv(logs.ENV, str(tmp_path / "logs"))
    path = logs.setup_logging("window")
    assert path is not None
    yield path
    logs.stop_logging()


@pytest.fixture
def shown(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Shown:
    """The texts of critical message boxes (recorded, never shown) with the thread they were
    asked for on; the error hooks installed, and the previous ones restored after the test."""
    boxes: Shown = []

    def fake_critical(parent: QWidget | None, title: str, text: str) -> None:
        boxes.append((text, threading.current_thread().name))

    monkeypatch.setattr(QMessageBox, "critical", fake_critical)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    ui_app.install_error_hooks()
    return boxes


def _sentence(name: str, path: Path) -> str:
    return f"程序出现意外错误（{name}），已记录到日志文件：{path}。请把该文件发给技术支持。"


def _broken_slot() -> None:
    raise ValueError("槽函数坏了")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown(qtbot: QtBot, log_file: Path,
                                                    shown: Shown) -> None:
    emitter = _Emitter()
    emitter.fired.connect(_broken_slot)
    emitter.fired.emit()
    assert shown == [(_sentence("ValueError", log_file), threading.main_thread().name)]
    text = log_file.read_text(encoding="utf-8")
    assert "窗口中的意外错误" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: 槽函数坏了" in text and "_broken_slot" in text


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_timer_slot_is_shown_from_the_event_loop(
        qtbot: QtBot, log_file: Path, shown: Shown) -> None:
    QTimer.singleShot(0, _broken_slot)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert shown[0][0] == _sentence("ValueError", log_file)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_python_thread_is_shown_on_the_gui_thread(
        qtbot: QtBot, log_file: Path, shown: Shown) -> None:
    worker = threading.Thread(target=_broken_slot, name="测试线程")
    worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert shown == [(_sentence("ValueError", log_file), threading.main_thread().name)]
    text = log_file.read_text(encoding="utf-8")
    assert "线程 测试线程 中的意外错误" in text and "ValueError: 槽函数坏了" in text


@pytest.mark.qt_no_exception_capture
def test_an_unhandled_known_error_shows_its_own_words(qtbot: QtBot, log_file: Path,
                                                      shown: Shown) -> None:
    def refuse() -> None:
        raise ValidationError("名称不能为空。")

    emitter = _Emitter()
    emitter.fired.connect(refuse)
    emitter.fired.emit()
    assert [text for text, _ in shown] == ["名称不能为空。"]
    assert "名称不能为空。" in log_file.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_errors_while_a_box_is_open_do_not_stack_boxes(qtbot: QtBot, log_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       shown: Shown) -> None:
    calls: list[str] = []

    def critical_that_fails_again(parent: QWidget | None, title: str, text: str) -> None:
        calls.append(text)
        ui_app.report_unexpected(KeyError("又错了"), "在消息框里")  # e.g. a repaint that raises

    monkeypatch.setattr(QMessageBox, "critical", critical_that_fails_again)
    emitter = _Emitter()
    emitter.fired.connect(_broken_slot)
    emitter.fired.emit()
    assert calls == [_sentence("ValueError", log_file)]
    assert "KeyError" in log_file.read_text(encoding="utf-8")  # logged, though not shown


def test_without_a_log_file_the_sentence_says_so(qapp: Any, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(logs.ENV, str(blocker / "logs"))
    try:
        assert logs.setup_logging("window") is None
        assert ui_app.unexpected_error_text(OSError()) == (
            "程序出现意外错误（OSError），未能写入日志文件。请记下刚才的操作并告知技术支持。")
    finally:
        logs.stop_logging()


def _run_task(qtbot: QtBot, fn: Callable[[ProgressFn], object]) -> BaseException:
    errors: list[BaseException] = []
    task = run_in_background(fn, lambda result: None, errors.append)  # kept, as dialogs do
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    del task
    return errors[0]


def test_a_background_task_failure_is_logged_and_still_reported(qtbot: QtBot,
                                                                 log_file: Path) -> None:
    def work(progress: ProgressFn) -> None:
        raise RuntimeError("后台坏了")

    exc = _run_task(qtbot, work)
    assert isinstance(exc, RuntimeError)  # the failed signal carries the exception as before
    assert "后台坏了" in exc.__dict__["traceback_text"]
    text = log_file.read_text(encoding="utf-8")
    assert "后台任务出现意外错误" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: 后台坏了" in text
    assert "in work" in text


def test_a_background_known_error_or_cancel_leaves_no_traceback(qtbot: QtBot,
                                                                log_file: Path) -> None:
    def invalid(progress: ProgressFn) -> None:
        raise ValidationError("日期不对。")

    def cancelled(progress: ProgressFn) -> None:
        raise Cancelled()

    assert isinstance(_run_task(qtbot, invalid), ValidationError)
    assert isinstance(_run_task(qtbot, cancelled), Cancelled)
    text = log_file.read_text(encoding="utf-8")
    assert "后台任务失败：日期不对。（ValidationError）" in text
    assert "Traceback" not in text and "Cancelled" not in text


def test_a_failure_outside_any_slot_ends_run_with_the_sentence(
        qapp: Any, log_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: boxes.append(text))
    monkeypatch.setattr(ui_app, "make_app", lambda: qapp)  # keep the shared app's font, locale

    def broken_window(app: Any, db: str | None) -> int:
        raise RuntimeError("窗口打不开")

    monkeypatch.setattr(ui_app, "_run_window", broken_window)
    hooks = (sys.excepthook, threading.excepthook)
    assert ui_app.run("whatever.sqlite") == 1
    assert (sys.excepthook, threading.excepthook) == hooks  # run() puts the hooks back
    assert boxes == [_sentence("RuntimeError", log_file)]
    text = log_file.read_text(encoding="utf-8")
    assert "窗口启动" in text and "RuntimeError: 窗口打不开" in text and "in broken_window" in text
