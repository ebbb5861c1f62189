"""The 佐证材料 tab of the detail pane: the problem's files, buttons to upload, open, save and
remove them, and files dropped from the desktop or a mail's attachments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.closeout_model import EvidenceRow
from ui.models.evidence_model import EvidenceColumn, EvidenceModel


def local_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """The local files a drag carries (folders and web links are not evidence)."""
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return [u.toLocalFile() for u in data.urls() if u.isLocalFile() and u.toLocalFile()]


class EvidenceTab(QWidget):
    """A problem's evidence files; what the clerk asks for goes out as signals."""

    attach_requested = Signal(list)  # file paths; empty = ask with a file dialog
    open_requested = Signal(int)  # evidence id
    save_requested = Signal(int)
    remove_requested = Signal(int)
    problem_changed = Signal(int)  # the problem now shown (0: none), whose files to load

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.model = EvidenceModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for col in EvidenceColumn:  # the file name takes what the short columns leave
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch
                                        if col is EvidenceColumn.NAME
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the extension
        self.view.doubleClicked.connect(lambda _i: self._emit(self.open_requested))
        self.hint = QLabel(self.tr("把文件拖到这里即可上传；材料保存在台账文件中，备份台账即备份材料。"), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")
        self.upload = QPushButton(self.tr("上传…"), self)
        self.open_button = QPushButton(self.tr("打开"), self)
        self.save_button = QPushButton(self.tr("另存为…"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        buttons = QHBoxLayout()
        for b in (self.upload, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self.upload.clicked.connect(lambda: self.attach_requested.emit([]))
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.save_button.clicked.connect(lambda: self._emit(self.save_requested))
        self.remove_button.clicked.connect(lambda: self._emit(self.remove_requested))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.problem_id = 0
        self.editable = True
        self._enable()

    def set_problem(self, problem_id: int, editable: bool) -> None:
        """Show another problem's files (loaded by whoever listens to problem_changed)."""
        self.problem_id, self.editable = problem_id, editable
        self.model.set_rows([])
        self._enable()
        self.problem_changed.emit(problem_id)

    def set_rows(self, problem_id: int, rows: list[EvidenceRow]) -> None:
        """The files of ``problem_id`` (ignored when another problem is shown by now)."""
        if problem_id == self.problem_id:
            self.model.set_rows(rows)
            self._enable()

    def selected_id(self) -> int | None:
        """The selected file's evidence id."""
        rows = self.view.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    def _emit(self, signal: Any) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            signal.emit(chosen)

    def _enable(self) -> None:
        picked = self.selected_id() is not None
        self.upload.setEnabled(bool(self.problem_id) and self.editable)
        self.open_button.setEnabled(picked)
        self.save_button.setEnabled(picked)
        self.remove_button.setEnabled(picked and self.editable)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.problem_id and self.editable and local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event)
        if files and self.problem_id and self.editable:
            event.acceptProposedAction()
            self.attach_requested.emit(files)
