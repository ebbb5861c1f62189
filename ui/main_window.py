"""The main window: filters on the left, the ledger table in the middle, the selected
problem on the right. It owns the open ledger, its undo stack and the refresh cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QMainWindow, QMessageBox, QSplitter,
                               QTableView, QWidget)

from tracker import clock
from tracker.domain import ProblemFilter, ProblemRow
from tracker.errors import ConflictError, NotFoundError, TrackerError
from ui import filters, settings
from ui.models.problem_table import PROBLEM_ID_ROLE, ProblemTableModel
from ui.tasks import BackgroundTask, run_in_background
from ui.widgets.banner import Banner
from ui.widgets.filter_panel import FilterPanel
from ui.widgets.legend import Legend
from ui.widgets.search_box import SearchBox
from ui.window_menus import build_menus
from ui.window_shell import build_layout, restore_state, save_state

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from tracker.services.counts import FilterCounts
    from ui.widgets.detail_pane import DetailPane

# What needs the ledger (services, hence SQLAlchemy; the detail pane, the edit commands) is
# imported in attach() and where it runs: ui.first_paint shows this window's first rows
# before those modules load. The imports stay literal so a frozen build sees them.


class MainWindow(QMainWindow):
    """One open ledger: side panel, table, detail pane, menus, undo stack."""

    counts_updated = Signal(object)  # FilterCounts shown in the side panel
    rows_loaded = Signal(int)  # the table shows this many problems after a query

    def __init__(self, ledger: Ledger | None = None) -> None:
        """The window on ``ledger``; with None, only its shell (ui.first_paint paints the
        first rows into it, then calls attach)."""
        super().__init__()
        self.ledger: Ledger = ledger  # type: ignore[assignment]  # set by attach() when None
        self.attached = False
        self.soon_days, self.later_days = settings.thresholds()
        self.stack = QUndoStack(self)
        self.model = ProblemTableModel(ledger, self)
        self.model.async_queries = True
        self.search = SearchBox(self)
        self.panel = FilterPanel(self)
        self.table = QTableView(self)
        self.banner = Banner(self)
        self.legend = Legend(self)
        self.count_label = QLabel(self)
        self.empty_label = QLabel(self.table.viewport())
        self.detail: DetailPane
        self.detail_slot: QWidget  # build_layout makes these two
        self.splitter: QSplitter
        self._keep_ids: list[int] = []
        self._keep_current: int | None = None
        self._pending_select: int | None = None  # a new problem to select once it is listed
        self._pending_retried = False
        self._counts_task: BackgroundTask | None = None
        self._counts_generation = 0
        self.last_counts: FilterCounts | None = None  # what the side panel shows
        self.dashboard_window: QWidget | None = None
        build_layout(self)
        self.menus = build_menus(self)
        self.menus.set_editable(False)  # until the ledger is open
        self._connect_view()
        if ledger is not None:
            self.attach(ledger)

    def attach(self, ledger: Ledger) -> None:
        """Open the window on ``ledger``: the detail pane, edit commands and services join
        the shell, and a first page painted before keeps its rows and selection."""
        from ui.cycle_actions import CycleActions
        from ui.edits import EditController
        from ui.evidence_actions import EvidenceActions
        from ui.problem_actions import ProblemActions
        from ui.server_changes import ServerChanges
        from ui.widgets.detail_pane import DetailPane

        self.ledger = ledger
        self.edits = EditController(ledger, self.stack, self)
        self.detail = DetailPane(self)
        layout = self.detail_slot.layout()
        assert layout is not None
        layout.addWidget(self.detail)
        self.actions_ = ProblemActions(self)
        self.cycle_actions = CycleActions(self)
        self.table.doubleClicked.connect(lambda _i: self.actions_.edit_problem())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.actions_.edit_problem)
        self.edits.changed.connect(self._after_edit)
        self.edits.undo_failed.connect(self._undo_failed)
        self.detail.edit_requested.connect(self.actions_.edit_problem)
        self.detail.closeout_requested.connect(self.actions_.close_out)
        self.detail.add_note_requested.connect(self.actions_.add_note)
        self.detail.delete_note_requested.connect(self.actions_.delete_note)
        self.detail.history_wanted.connect(self._load_history)
        self.evidence_actions = EvidenceActions(self.ledger, self.detail.evidence, self.stack, self)
        self.evidence_actions.failed.connect(self.show_error)
        self.server_changes = ServerChanges(self)
        self.server_changes.changed.connect(self._changed_elsewhere)
        self.attached = True
        self.set_ledger(ledger, first=True)

    def _connect_view(self) -> None:
        self.panel.filter_selected.connect(lambda _k: self.apply_filter())
        self.search.search_changed.connect(lambda _t: self.apply_filter())
        self.model.loaded.connect(self._on_loaded)
        self.model.query_failed.connect(self.show_error)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self.model.sort)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_moved())

    # ------------------------------------------------------------ ledger

    def set_ledger(self, ledger: Ledger, first: bool = False) -> None:
        """Show another ledger; the undo stack starts empty (its steps belong to the old one)."""
        from tracker.services.closeout_settings import closeout_settings

        if not first and ledger is not self.ledger:
            self.ledger.close()
        self.last_counts = None  # the old ledger's; the new one's are counted below
        if self.dashboard_window is not None:
            self.dashboard_window.close()  # it counted the old ledger
            self.dashboard_window = None
        self._pending_select = None
        self.ledger = ledger
        self.stack.clear()
        self.edits.ledger = ledger
        self.server_changes.watch(ledger)
        self.recheck_months = closeout_settings(ledger).recheck_months
        self.evidence_actions.ledger = ledger
        self.edits.versions.clear()
        self.model.set_ledger(ledger)
        editable = not ledger.read_only
        self.detail.editable = editable
        self.menus.set_editable(editable)
        self.banner.set_messages(list(ledger.warnings))
        # A server ledger's stand-in file is named "db（user@host，port）.server": show its stem.
        name = ledger.path.stem if ledger.is_server else ledger.path.name
        self.setWindowTitle(self.tr("整改台账 - {name}").format(name=name)
                            + (self.tr("（只读）") if ledger.read_only else ""))
        settings.add_recent_file(ledger.path)
        self.menus.fill_recent()
        key = settings.value_str(settings.KEY_LAST_FILTER, filters.ALL) if first else filters.ALL
        self.refresh_counts()
        self.panel.select_key(key)

    def is_empty(self) -> bool:
        """True when the ledger holds no problem."""
        from tracker.services.queries import count_problems

        return count_problems(self.ledger) == 0

    # ------------------------------------------------------------ filtering and refresh

    def current_filter(self) -> ProblemFilter:
        """The ProblemFilter the table shows (side panel plus search text)."""
        return filters.problem_filter(self.panel.key, clock.today(), self.soon_days,
                                      self.later_days, self.search.text().strip(),
                                      self.recheck_months)

    def apply_filter(self) -> None:
        """Query the table again for the side panel's filter and the search text."""
        if not self.attached:
            return  # the shell: the first query runs when the ledger is attached
        self._remember_selection()
        self.model.set_bands(clock.today(), self.soon_days, self.later_days)
        self.model.set_query(self.current_filter())

    def reload(self) -> None:
        """Read everything again (after an import, a restore, a conflict)."""
        self._remember_selection()
        self.model.refresh()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Count every side-panel filter again, off the GUI thread."""
        from tracker.services.counts import FilterCounts, filter_counts

        self._counts_generation += 1
        gen, ledger = self._counts_generation, self.ledger
        soon, later, months = self.soon_days, self.later_days, self.recheck_months

        def done(counts: object) -> None:
            if gen == self._counts_generation and isinstance(counts, FilterCounts):
                self.last_counts = counts
                self.panel.set_counts(counts)
                self._show_count()
                self.counts_updated.emit(counts)

        self._counts_task = run_in_background(
            lambda _p: filter_counts(ledger, clock.today(), soon, later, months), done,
            lambda exc: self.show_error(exc) if gen == self._counts_generation else None)

    def set_thresholds(self, soon: int, later: int) -> None:
        """New warning horizons from the preferences."""
        self.soon_days, self.later_days = soon, later
        self.legend.set_thresholds(soon, later)
        self.panel.set_thresholds(soon, later)
        self.apply_filter()
        self.refresh_counts()
        self._show_current()

    def select_after_reload(self, problem_id: int) -> None:
        """Select this problem when the table next loads (a problem just created)."""
        self._pending_select = problem_id
        self._pending_retried = False

    def _remember_selection(self) -> None:
        if self._pending_select is not None:
            self._keep_ids = [self._pending_select]
            self._keep_current = self._pending_select
            return
        self._keep_ids = self.selected_ids()
        self._keep_current = self.current_id()

    def _show_count(self) -> None:
        n = self.model.rowCount()
        total = self.panel.tree.count_of(filters.ALL)
        self.count_label.setText(self.tr("显示 {n} 个问题").format(n=n) if total is None else
                                 self.tr("显示 {n} 个问题（共 {t} 个）").format(n=n, t=total))
        if n:
            self.empty_label.hide()
            return
        # An empty table must say why: a new ledger, or a filter that matches nothing.
        if total == 0 and not self.search.text().strip():
            text = self.tr("台账里还没有问题。\n点“新建问题”（Ctrl+N）登记，"
                           "或用“文件 > 导入 Excel 台账…”导入已有台账。")
        else:
            text = self.tr("没有符合条件的问题。\n可以换一个筛选，或清空搜索框。")
        self.empty_label.setText(text)
        self.empty_label.setGeometry(self.table.viewport().rect())
        self.empty_label.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.empty_label.setGeometry(self.table.viewport().rect())

    def _on_loaded(self, n: int) -> None:
        self._show_count()
        self._restore_selection()
        self.rows_loaded.emit(n)

    def _restore_selection(self) -> None:
        pending = self._pending_select
        if pending is not None:
            if self.model.row_of(pending) is None and not self._pending_retried:
                # The new problem is hidden by the filter: show everything rather than let
                # the clerk think it was lost.
                self._pending_retried = True
                self.statusBar().showMessage(
                    self.tr("新问题不在当前筛选中，已切换到“全部问题”。"), 8000)
                self.search.clear_silently()
                self.panel.select_key(filters.ALL)
                return
            self._pending_select = None
            if self.model.row_of(pending) is not None:
                self._keep_ids, self._keep_current = [pending], pending
        sel = self.table.selectionModel()
        sel.blockSignals(True)
        sel.clearSelection()
        current_row = self.model.row_of(self._keep_current) if self._keep_current else None
        for pid in self._keep_ids[:500]:  # reselecting thousands row by row would stall
            row = self.model.row_of(pid)
            if row is not None:
                sel.select(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        if current_row is not None:
            sel.setCurrentIndex(self.model.index(current_row, 0),
                                QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(self.model.index(current_row, 0))
        sel.blockSignals(False)
        self.table.viewport().update()
        self._selection_moved()

    # ------------------------------------------------------------ selection and detail

    def selected_ids(self) -> list[int]:
        """Ids of the selected problems, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = self.model.ids()
        return [ids[r] for r in rows if r < len(ids)]

    def current_id(self) -> int | None:
        """The problem the detail pane shows: the current row if selected, else the first."""
        selected = self.selected_ids()
        index = self.table.selectionModel().currentIndex()
        if index.isValid():
            pid = index.data(PROBLEM_ID_ROLE)
            if pid in selected:
                return int(pid)
        return selected[0] if selected else None

    def select_problem(self, problem_id: int) -> bool:
        """Select one problem in the table (clearing the filter if it is hidden by it)."""
        row = self.model.row_of(problem_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def show_problem(self, problem_id: int) -> None:
        """Bring a problem into view and select it (showing 全部 if the filter hides it)."""
        if not self.select_problem(problem_id):
            self.select_after_reload(problem_id)
            self._pending_retried = True
            self.search.clear_silently()
            self.panel.select_key(filters.ALL)
        self.raise_()
        self.activateWindow()

    def _selection_moved(self) -> None:
        if not self.attached:
            return
        self.menus.set_selection(len(self.selected_ids()))
        self._show_current()

    def _show_current(self) -> None:
        from tracker.services.queries import get_problem

        pid = self.current_id()
        problem: ProblemRow | None = None
        if pid is not None:
            try:
                problem = get_problem(self.ledger, pid)
            except NotFoundError:
                problem = None
            except TrackerError as exc:
                self.show_error(exc)
        self.detail.show_problem(problem, clock.today(), self.soon_days, self.later_days)

    def _load_history(self, problem_id: int) -> None:
        from tracker.services.history import list_history

        try:
            self.detail.set_history(problem_id, list_history(self.ledger, problem_id))
        except TrackerError as exc:
            self.show_error(exc)

    # ------------------------------------------------------------ after edits

    def _changed_elsewhere(self, ids: list[int]) -> None:
        """Another clerk saved on the server: show it (an empty list means everything)."""
        self._after_edit(ids or self.model.ids())

    def _after_edit(self, ids: list[int]) -> None:
        self.model.forget(ids)
        self._show_current()
        self.reload()

    def _undo_failed(self, exc: TrackerError) -> None:
        self.show_error(exc)
        self.reload()

    def show_error(self, exc: object) -> None:
        """Say what went wrong in the clerk's words; a stale version also reloads."""
        message = getattr(exc, "message", None) or str(exc)
        QMessageBox.warning(self, self.tr("整改台账"), message)
        if isinstance(exc, ConflictError):
            self.reload()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------ remembering

    def restore_state(self) -> None:
        """Window size, splitter, column widths and sort from the last run."""
        restore_state(self)

    def save_state(self) -> None:
        """Remember window size, splitter, column widths, sort and the filter."""
        save_state(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        if self.attached:
            self.server_changes.stop()
        super().closeEvent(event)
