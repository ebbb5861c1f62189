"""Every edit the window makes goes through here: snapshot the problems, call the service,
snapshot again and push an undoable command. Long edits show progress between problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from tracker.db.engine import Ledger
from tracker.domain import ProblemRow
from tracker.errors import TrackerError
from tracker.services.problems import delete_problem
from tracker.services.queries import get_problems
from ui.commands import CallbackCommand, Pair, SnapshotCommand, Versions
from ui.tasks import BackgroundTask, run_in_background

SHOW_PROGRESS_FROM = 20  # problems; fewer finish before a dialog could be read
BACKGROUND_FROM = 100  # problems in one bulk edit: more take seconds, so not on the GUI thread


class EditController(QObject):
    """Runs edits as undoable commands on one ledger's undo stack."""

    changed = Signal(list)  # ids of problems changed by an edit, undo or redo
    undo_failed = Signal(object)  # the TrackerError that stopped an undo or redo

    def __init__(self, ledger: Ledger, stack: QUndoStack, parent_widget: QWidget | None) -> None:
        super().__init__(parent_widget)
        self.ledger = ledger
        self.stack = stack
        self._widget = parent_widget
        self.versions: Versions = {}

    def snapshots(self, ids: Sequence[int]) -> dict[int, ProblemRow]:
        """Whole rows (measures and notes) of these problems, by id."""
        rows = get_problems(self.ledger, ids, with_measures=True, with_notes=True)
        return {r.id: r for r in rows}

    def perform(self, text: str, ids: Sequence[int], action: Callable[[], Any]) -> Any:
        """Run ``action`` (a service call) on problems ``ids`` and push it as one undo step.
        A returned ProblemRow not among ``ids`` counts as created. TrackerError propagates
        with nothing pushed, so the caller can show it next to the field."""
        before = self.snapshots(ids)
        result = action()
        touched = list(ids)
        if isinstance(result, ProblemRow) and result.id not in before:
            touched.append(result.id)
        self._push(text, touched, before)
        return result

    def perform_in_background(self, text: str, ids: Sequence[int], action: Callable[[], Any],
                              on_error: Callable[[BaseException], None]) -> BackgroundTask:
        """Like perform, for an edit of many problems in one transaction (seconds long): it
        runs off the GUI thread behind a progress dialog, and the undo step is pushed when it
        has finished. Errors go to ``on_error``."""
        before = self.snapshots(ids)
        ledger, wanted = self.ledger, list(ids)

        def work(_progress: Any) -> list[ProblemRow]:
            action()
            return get_problems(ledger, wanted, with_measures=True, with_notes=True)

        def done(rows: object) -> None:
            if ledger is self.ledger and isinstance(rows, list):
                self._push(text, wanted, before, {r.id: r for r in rows})

        return run_in_background(work, done, on_error, self._widget, text + "…",
                                 cancellable=False)

    def delete(self, text: str, ids: Sequence[int]) -> None:
        """Delete problems one transaction each, with progress; what was deleted before an
        error is still one undo step, and the error is raised after it is pushed."""
        before = self.snapshots(ids)
        done: list[int] = []
        error: TrackerError | None = None
        with self.stepper(text, len(ids)) as step:
            for i, pid in enumerate(ids):
                row = before.get(pid)
                try:
                    delete_problem(self.ledger, pid,
                                   expected_version=row.version if row else None)
                except TrackerError as exc:
                    error = exc
                    break
                done.append(pid)
                step(i + 1)
        if done:
            self._push(text, done, before)
        if error is not None:
            raise error

    def _push(self, text: str, ids: list[int], before: dict[int, ProblemRow],
              after: dict[int, ProblemRow] | None = None) -> None:
        if after is None:
            after = self.snapshots(ids)
        pairs: list[Pair] = [(before.get(i), after.get(i)) for i in ids
                             if before.get(i) is not None or after.get(i) is not None]
        for pid in ids:
            row = after.get(pid)
            self.versions[pid] = row.version if row is not None else None
        if pairs:
            self.stack.push(SnapshotCommand(self.ledger, text, pairs, self.versions,
                                            self._notify, self.stepper))
        self.changed.emit(ids)

    def record(self, text: str, undo_fn: Callable[[], object],
               redo_fn: Callable[[], object]) -> None:
        """Push an edit already made elsewhere (a managed list) with its undo and redo."""
        self.stack.push(CallbackCommand(text, undo_fn, redo_fn, self._notify))
        self.changed.emit([])

    def _notify(self, ids: list[int], error: TrackerError | None) -> None:
        self.changed.emit(ids)
        if error is not None:
            self.undo_failed.emit(error)

    def stepper(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]:
        """A progress dialog for ``total`` steps (none for a few); the window stays painted."""
        return _progress(self._widget, label, total)


@contextmanager
def _progress(parent: QWidget | None, label: str, total: int
              ) -> Iterator[Callable[[int], None]]:
    if total < SHOW_PROGRESS_FROM or QApplication.instance() is None:
        yield lambda _i: None
        return
    dialog = QProgressDialog(label, "", 0, total, parent)
    dialog.setCancelButton(None)  # half a deletion is worse than waiting a few seconds
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setWindowTitle(QCoreApplication.translate("EditController", "请稍候"))

    def step(i: int) -> None:
        dialog.setValue(i)
        QCoreApplication.processEvents()

    try:
        yield step
    finally:
        dialog.close()
        dialog.deleteLater()
