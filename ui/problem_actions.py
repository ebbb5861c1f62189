"""What the clerk does to problems from the window: new, edit, delete, close out, bulk edit,
progress notes. Each opens its dialog and saves through the undoable EditController."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from tracker.domain import ProblemInput, ProblemRow, Status
from tracker.errors import NotFoundError, TrackerError
from tracker.services.measures import add_progress_note, delete_progress_note
from tracker.services.problems import bulk_update, close_out, create_problem, update_problem
from tracker.services.queries import get_problem, get_problems
from tracker.services.reference import list_units
from ui import filters, settings
from ui.edits import BACKGROUND_FROM

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class ProblemActions(QObject):
    """The window's edit commands; every save becomes one undo step."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def _current(self) -> ProblemRow | None:
        pid = self.w.current_id()
        if pid is None:
            return None
        try:
            return get_problem(self.w.ledger, pid)
        except TrackerError as exc:
            self.w.show_error(exc)
            return None

    def _editable(self) -> bool:
        return not self.w.ledger.read_only

    # ------------------------------------------------------------ problem editor

    def new_problem(self) -> None:
        """Ctrl+N: an empty problem under the source being viewed (or the newest)."""
        if not self._editable():
            return
        from ui.dialogs.problem_editor import ProblemEditor

        key = self.w.panel.key
        source_id = (int(key[len(filters.SOURCE_PREFIX):])
                     if key.startswith(filters.SOURCE_PREFIX) else None)
        ledger = self.w.ledger

        def save(data: ProblemInput, _version: int | None) -> ProblemRow:
            row: ProblemRow = self.w.edits.perform(
                self.tr("新建问题"), [], lambda: create_problem(ledger, data))
            self.w.select_after_reload(row.id)
            return row

        editor = ProblemEditor(ledger, None, save, self.w, default_source_id=source_id,
                               edits=self.w.edits)
        # A clerk looking at one unit's or one category's list is adding to that list.
        unit = filters.unit_of(key)
        if unit:
            editor.lead_unit.set_text(unit)
            editor.measures.lead_unit.set_text(unit)
        if key.startswith(filters.CATEGORY_PREFIX):
            item = self.w.panel.tree.find_key(key)
            if item is not None:
                editor.category.set_text(item.text())
        editor.exec()

    def edit_problem(self) -> None:
        """Enter or double-click: edit the current problem (view only when read-only)."""
        problem = self._current()
        if problem is None:
            return
        from ui.dialogs.problem_editor import ProblemEditor

        ledger = self.w.ledger

        def save(data: ProblemInput, version: int | None) -> ProblemRow:
            row: ProblemRow = self.w.edits.perform(
                self.tr("修改问题 {seq}").format(seq=problem.seq), [problem.id],
                lambda: update_problem(ledger, problem.id, data, version))
            return row

        editor = ProblemEditor(ledger, problem, save, self.w, read_only=not self._editable(),
                               edits=self.w.edits)
        editor.exec()

    # ------------------------------------------------------------ delete

    def delete_selected(self) -> None:
        """Delete: ask first, then delete the selected problems (one undo step)."""
        ids = self.w.selected_ids()
        if not ids or not self._editable():
            return
        if len(ids) == 1:
            row = self.w.model.problem_at(self.w.model.row_of(ids[0]) or 0)
            what = self.tr("问题“{d}”").format(d=_short(row.description) if row else ids[0])
        else:
            what = self.tr("所选的 {n} 个问题").format(n=len(ids))
        answer = QMessageBox.question(
            self.w, self.tr("删除问题"),
            self.tr("确定删除{what}吗？\n问题的整改措施和进展记录会一并删除。删除后可用“撤销”（Ctrl+Z）恢复。")
            .format(what=what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.w.edits.delete(self.tr("删除 {n} 个问题").format(n=len(ids)), ids)
        except TrackerError as exc:
            self.w.show_error(exc)

    # ------------------------------------------------------------ close-out and bulk

    def close_out(self) -> None:
        """销号 the current problem."""
        problem = self._current()
        if problem is None or not self._editable():
            return
        from ui.dialogs.small_edits import CloseOutDialog

        ledger = self.w.ledger

        def save(verifier: str, on: dt.date, note: str) -> object:
            return self.w.edits.perform(
                self.tr("销号 问题 {seq}").format(seq=problem.seq), [problem.id],
                lambda: close_out(ledger, problem.id, verifier, on, note,
                                  expected_version=problem.version))

        verifier = settings.user_name() or ledger.user
        from tracker.services.closeout_settings import closeout_settings
        from tracker.services.evidence import evidence_counts

        files = evidence_counts(ledger, [problem.id]).get(problem.id, 0)
        CloseOutDialog(problem, verifier, save, self.w, files,
                       closeout_settings(ledger).needs_evidence).exec()

    def bulk_edit(self) -> None:
        """批量修改 the selected problems."""
        ids = self.w.selected_ids()
        if not ids or not self._editable():
            return
        from ui.dialogs.small_edits import BulkEditDialog

        ledger = self.w.ledger

        def save(status: Status | None, unit: str | None, deadline: str | None) -> object:
            text = self.tr("批量修改 {n} 个问题").format(n=len(ids))

            def action() -> object:
                return bulk_update(ledger, ids, status=status, lead_unit=unit,
                                   deadline_text=deadline)

            if len(ids) >= BACKGROUND_FROM:
                return self.w.edits.perform_in_background(text, ids, action, self.w.show_error)
            return self.w.edits.perform(text, ids, action)

        try:
            units = [u.name for u in list_units(ledger)]
        except TrackerError as exc:
            self.w.show_error(exc)
            return
        BulkEditDialog(len(ids), units, save, self.w).exec()

    # ------------------------------------------------------------ clipboard

    def copy_rows(self) -> None:
        """Ctrl+C: the selected rows as a small table to paste into Excel or a report."""
        from PySide6.QtWidgets import QApplication

        ids = self.w.selected_ids()[:COPY_LIMIT]
        if not ids:
            return
        try:
            rows = get_problems(self.w.ledger, ids)
        except TrackerError as exc:
            self.w.show_error(exc)
            return
        QApplication.clipboard().setText(rows_as_text(rows))
        self.w.statusBar().showMessage(
            self.tr("已复制 {n} 行，可粘贴到 Excel 或 WPS。").format(n=len(rows)), 5000)

    # ------------------------------------------------------------ progress notes

    def add_note(self, measure_id: int = 0) -> None:
        """添加进展 on a measure of the current problem."""
        problem = self._current()
        if problem is None or not self._editable():
            return
        from ui.dialogs.small_edits import ProgressNoteDialog

        ledger = self.w.ledger

        def save(mid: int, on: dt.date, text: str) -> object:
            return self.w.edits.perform(
                self.tr("添加进展"), [problem.id],
                lambda: add_progress_note(ledger, mid, on, text))

        ProgressNoteDialog(problem, measure_id, save, self.w).exec()

    def delete_note(self, note_id: int) -> None:
        """Delete one progress note of the current problem, after asking."""
        problem = self._current()
        if problem is None or not self._editable():
            return
        note = next((n for m in problem.measures for n in m.notes if n.id == note_id), None)
        if note is None:
            return
        answer = QMessageBox.question(
            self.w, self.tr("删除进展"),
            self.tr("确定删除 {d} 的进展“{t}”吗？可用“撤销”恢复。").format(
                d=note.noted_on.isoformat(), t=_short(note.text)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.w.edits.perform(self.tr("删除进展"), [problem.id],
                                 lambda: delete_progress_note(self.w.ledger, note_id))
        except NotFoundError:
            self.w.reload()
        except TrackerError as exc:
            self.w.show_error(exc)


COPY_LIMIT = 10_000  # rows; a clipboard of the whole 100,000-problem ledger helps no one


def rows_as_text(rows: list[ProblemRow]) -> str:
    """Tab-separated lines with a header, as Excel and WPS paste them into cells."""
    from ui.models.problem_table import HEADERS, Column

    def cell(text: object) -> str:
        return " ".join(str(text).split())  # a tab or newline would split the cell

    lines = ["\t".join(HEADERS[c] for c in Column)]
    for p in rows:
        lines.append("\t".join(cell(v) for v in (
            p.seq, p.source, p.category, p.description, p.lead_unit, p.owner, p.deadline_text,
            p.status.label, f"{p.measures_done}/{p.measures_total}")))
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 30) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
