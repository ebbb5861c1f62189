"""Run long work (import, export, backup) on QThreadPool; progress and results come back by
signal to the GUI thread, so the window never freezes. Modelled on Anki's QueryOp."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from tracker.errors import TrackerError
from tracker.logs import log_exception, log_known_error

# What background work receives: progress(done, total, text); raising Cancelled from it
# (the user pressed 取消) aborts the work, whose transaction then rolls back whole.
ProgressFn = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The user cancelled a background task."""


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancelled = False
        self.setAutoDelete(True)

    def _progress(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progressed.emit(int(done), int(total), text)

    def run(self) -> None:
        try:
            result = self.fn(self._progress)
        except BaseException as exc:  # reported to the GUI thread, never lost in a thread
            # Logged here, while the traceback is at hand: the GUI side words it for the clerk
            # but only the log keeps what a developer needs to find the bug.
            if isinstance(exc, TrackerError):
                log_known_error("后台任务失败", exc)
            elif not isinstance(exc, Cancelled):
                log_exception("后台任务出现意外错误", exc)
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.succeeded.emit(result)


_alive: set[_Signals] = set()  # keeps signal objects alive until their task reports back


class BackgroundTask(QObject):
    """One piece of work on the global thread pool, with an optional progress dialog."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        fn: Callable[[ProgressFn], Any],
        parent: QWidget | None = None,
        label: str | None = None,
        cancellable: bool = True,
    ) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._runnable = _Runnable(fn, self._signals)
        self._dialog: QProgressDialog | None = None
        if label is not None:
            dialog = QProgressDialog(label, self.tr("取消"), 0, 0, parent)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # quick jobs never flash a dialog
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            if not cancellable:  # one transaction that cannot stop halfway: no false promise
                dialog.setCancelButton(None)
            self._dialog = dialog
        self._signals.progressed.connect(self._on_progress)
        self._signals.succeeded.connect(self._on_success)
        self._signals.failed.connect(self._on_failure)

    def start(self) -> BackgroundTask:
        """Queue the work; returns self for chaining."""
        _alive.add(self._signals)
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._runnable.cancelled = True

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total else 0)
            if text:
                self._dialog.setLabelText(text)

    def _close(self) -> None:
        _alive.discard(self._signals)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_success(self, result: object) -> None:
        self._close()
        self.finished.emit(result)

    def _on_failure(self, exc: object, tb: str) -> None:
        self._close()
        if not isinstance(exc, Cancelled):
            exc_obj = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
            exc_obj.__dict__.setdefault("traceback_text", tb)
        self.failed.emit(exc)


def run_in_background(
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    parent: QWidget | None = None,
    label: str | None = None,
    cancellable: bool = True,
) -> BackgroundTask:
    """Start ``fn(progress)`` off the GUI thread; ``on_done``/``on_error`` run on the GUI thread."""
    task = BackgroundTask(fn, parent, label, cancellable)
    task.finished.connect(on_done)
    task.failed.connect(on_error)
    return task.start()
