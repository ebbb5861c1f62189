"""The close-out cycle in the window: 退回, 批准延期 and 回头看 for the selected problem, each one
undo step through the same services as `rectify return | extend | recheck`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand

from tracker.domain import ProblemRow, Status
from tracker.errors import TrackerError
from tracker.services import cycle
from tracker.services.problems import restore_problem
from tracker.services.queries import get_problem
from ui import settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class CycleCommand(QUndoCommand):
    """A step whose undo is a service call of its own (a record to take back, not only a
    snapshot to restore); the first redo is skipped, as the step already happened."""

    def __init__(self, w: MainWindow, text: str, problem_id: int, redo: Callable[[], object],
                 undo: Callable[[], object]) -> None:
        super().__init__(text)
        self.w, self.problem_id, self._redo, self._undo, self._first = w, problem_id, redo, undo, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], object]) -> None:
        try:
            step()
        except TrackerError as exc:
            self.w.edits.undo_failed.emit(exc)
        self.w.edits.changed.emit([self.problem_id])


class CycleActions(QObject):
    """退回 / 批准延期 / 回头看 of the window's current problem."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def _current(self) -> ProblemRow | None:
        if self.w.ledger.read_only:
            return None
        return self.w.actions_._current()  # the same current problem the other edits use

    def send_back(self) -> None:
        """退回 a done measure of the current problem."""
        problem = self._current()
        if problem is None:
            return
        from ui.dialogs.cycle_dialogs import SendBackDialog

        ledger = self.w.ledger

        def save(mid: int, reason: str) -> object:
            # The snapshot restores status, completion date and notes: a plain undo step.
            return self.w.edits.perform(self.tr("退回措施 {mid}").format(mid=mid), [problem.id],
                                        lambda: cycle.send_back(ledger, mid, reason))

        SendBackDialog(problem, save, self.w).exec()

    def extend(self) -> None:
        """批准延期 of an open measure of the current problem."""
        problem = self._current()
        if problem is None:
            return
        from ui.dialogs.cycle_dialogs import ExtendDialog

        ledger = self.w.ledger

        def save(mid: int, to: str, reason: str, by: str, on: dt.date) -> object:
            row = cycle.extend(ledger, mid, to, reason, by, on)
            self.w.stack.push(CycleCommand(
                self.w, self.tr("延期措施 {mid}").format(mid=mid), problem.id,
                lambda: cycle.extend(ledger, mid, to, reason, by, on),
                lambda: cycle.undo_extension(ledger, mid)))
            self.w.edits.changed.emit([problem.id])
            return row

        ExtendDialog(problem, settings.user_name() or ledger.user, save, self.w).exec()

    def recheck(self) -> None:
        """Record a 回头看 of the current (closed-out) problem."""
        problem = self._current()
        if problem is None:
            return
        from ui.dialogs.cycle_dialogs import RecheckDialog

        ledger = self.w.ledger
        before = get_problem(ledger, problem.id)

        def take_back() -> None:
            cycle.drop_latest_recheck(ledger, before.id)
            if get_problem(ledger, before.id).status is not Status.CLOSED:
                restore_problem(ledger, before)  # a failed check had reopened it

        def save(passed: bool, note: str, on: dt.date) -> object:
            row = cycle.recheck(ledger, problem.id, passed, note, on)
            self.w.stack.push(CycleCommand(
                self.w, self.tr("回头看 问题 {seq}").format(seq=problem.seq), problem.id,
                lambda: cycle.recheck(ledger, before.id, passed, note, on), take_back))
            self.w.edits.changed.emit([problem.id])
            return row

        RecheckDialog(problem, save, self.w).exec()

    def closeout_forms(self) -> None:
        """整改销号单 of the selected problems, one page each, saved as .xlsx or .pdf."""
        ids = self.w.selected_ids()
        if not ids:
            return
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from tracker.excel.closeout_form import export_closeout_forms
        from ui.tasks import run_in_background

        excel, pdf = self.tr("Excel 文件 (*.xlsx)"), self.tr("PDF 文件（需要 LibreOffice） (*.pdf)")
        name, chosen = QFileDialog.getSaveFileName(self.w, self.tr("保存整改销号单"),
                                                   self.tr("整改销号单.xlsx"), f"{excel};;{pdf}")
        if not name:
            return
        if not name.lower().endswith((".xlsx", ".pdf")):
            name += ".pdf" if chosen == pdf else ".xlsx"
        ledger = self.w.ledger

        def done(n: object) -> None:
            QMessageBox.information(self.w, self.tr("整改销号单"),
                                    self.tr("已生成 {n} 张整改销号单：{path}").format(n=n, path=name))

        run_in_background(lambda progress: export_closeout_forms(ledger, ids, name,
                                                                progress=progress),
                          done, self.w.show_error, self.w, self.tr("正在生成整改销号单…"))
