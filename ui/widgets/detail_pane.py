"""The detail pane beside the table: the selected problem with its measures, progress notes
and change history, and the buttons a clerk uses on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.domain import ProblemRow
from tracker.services.history import ChangeRow
from ui.widgets.evidence_tab import EvidenceTab
from ui.widgets.detail_html import ADD_NOTE, DELETE_NOTE, history_html, problem_html


class DetailPane(QWidget):
    """Shows one problem (or a hint when none is selected) in two tabs: 详情 and 修改记录."""

    edit_requested = Signal()
    closeout_requested = Signal()
    add_note_requested = Signal(int)  # measure id, 0 = let the clerk pick
    delete_note_requested = Signal(int)  # note id
    history_wanted = Signal(int)  # problem id whose history the pane needs

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        self.note_button = QPushButton(self.tr("添加进展…"), self)
        self.closeout_button = QPushButton(self.tr("销号…"), self)
        for b in (self.edit_button, self.note_button, self.closeout_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.tabs = QTabWidget(self)
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._on_link)
        self.history = QTextBrowser(self)
        self.evidence = EvidenceTab(self)
        self.tabs.addTab(self.detail, self.tr("详情"))
        self.tabs.addTab(self.evidence, self.tr("佐证材料"))
        self.tabs.addTab(self.history, self.tr("修改记录"))
        self.evidence.model.modelReset.connect(self._count_evidence)
        self.tabs.currentChanged.connect(lambda _i: self._want_history())
        layout.addWidget(self.tabs, 1)
        self.edit_button.clicked.connect(self.edit_requested)
        self.note_button.clicked.connect(lambda: self.add_note_requested.emit(0))
        self.closeout_button.clicked.connect(self.closeout_requested)
        self.problem: ProblemRow | None = None
        self.editable = True
        self._history_for: int | None = None
        self.show_problem(None, clock.today(), 7, 30)

    def show_problem(self, p: ProblemRow | None, as_of: dt.date, soon: int, later: int) -> None:
        """Show a problem with its measures and notes, or the empty hint."""
        self.problem = p
        self._history_for = None
        self.evidence.set_problem(p.id if p is not None else 0, self.editable)
        for b in (self.edit_button, self.note_button, self.closeout_button):
            b.setEnabled(p is not None and self.editable)
        if p is None:
            self.detail.setHtml(
                "<p style='color:#888;'>" + self.tr("在左侧表格中选中一个问题，这里显示它的整改措施、"
                                                   "进展和修改记录。") + "</p>")
            self.history.clear()
            return
        self.detail.setHtml(problem_html(p, as_of, soon, later, self.editable))
        self.history.clear()
        self._want_history()

    def _count_evidence(self) -> None:
        n = self.evidence.model.rowCount()
        label = self.tr("佐证材料（{n}）").format(n=n) if n else self.tr("佐证材料")
        self.tabs.setTabText(self.tabs.indexOf(self.evidence), label)

    def set_history(self, problem_id: int, changes: list[ChangeRow]) -> None:
        """Fill the history tab (when it still belongs to the problem shown)."""
        if self.problem is not None and self.problem.id == problem_id:
            self._history_for = problem_id
            self.history.setHtml(history_html(changes))

    def _want_history(self) -> None:
        if (self.problem is not None and self.tabs.currentWidget() is self.history
                and self._history_for != self.problem.id):
            self.history_wanted.emit(self.problem.id)

    def _on_link(self, url: QUrl) -> None:
        scheme, _, value = url.toString().partition(":")
        if not value.isdigit():
            return
        if scheme == ADD_NOTE:
            self.add_note_requested.emit(int(value))
        elif scheme == DELETE_NOTE:
            self.delete_note_requested.emit(int(value))
