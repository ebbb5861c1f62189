"""备份与恢复: the ledger's backups with their dates and sizes, 立即备份, and restoring one
(checked first; the replaced ledger is kept). The work runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.db.backup import KEEP_AUTO, BackupInfo, backup_dir, backup_now, list_backups
from tracker.db.engine import Ledger
from tracker.db.restore import RestoreResult, restore
from tracker.errors import TrackerError
from ui.tasks import run_in_background

COL_TIME, COL_KIND, COL_SIZE, COL_FILE = range(4)
PATH_ROLE = Qt.ItemDataRole.UserRole


class BackupDialog(QDialog):
    """Lists the ledger's backups; backs up now or restores one. ``restored`` tells the
    main window to reopen the ledger (its connections were closed for the restore)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.restored = False
        self.restore_result: RestoreResult | None = None
        self._task: Any = None
        self.setWindowTitle(self.tr("备份与恢复"))
        self.resize(760, 440)

        folder = backup_dir(ledger.path)
        self.intro = QLabel(self.tr(
            "打开台账时每天自动备份一次，保留最近 {n} 份；手动备份和恢复前的备份不会被删除。\n"
            "备份文件夹：{folder}").format(n=KEEP_AUTO, folder=folder), self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("备份时间"), self.tr("类型"), self.tr("大小"), self.tr("文件名")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in (COL_TIME, COL_KIND, COL_SIZE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._restore_selected())

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("backupStatus")

        self.backup_button = QPushButton(self.tr("立即备份"), self)
        self.restore_button = QPushButton(self.tr("恢复所选…"), self)
        self.restore_file_button = QPushButton(self.tr("从其他文件恢复…"), self)
        self.folder_button = QPushButton(self.tr("打开备份文件夹"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.backup_button.clicked.connect(self._backup_now)
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file_button.clicked.connect(self._restore_other_file)
        self.folder_button.clicked.connect(self._open_folder)
        close.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.restore_file_button,
                  self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        if ledger.read_only:
            self._say(self.tr("台账以只读方式打开：可以备份，不能用备份覆盖它。"))
        self.refresh()

    # ------------------------------------------------------------------ list

    def refresh(self) -> None:
        """Re-read the backups folder."""
        backups = list_backups(self.ledger.path)
        self.table.setRowCount(len(backups))
        for row, b in enumerate(backups):
            self._set_row(row, b)
        if backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _set_row(self, row: int, b: BackupInfo) -> None:
        cells = [b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.kind, b.size_text,
                 b.path.name]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(PATH_ROLE, str(b.path))
            if col == COL_SIZE:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)

    def selected_backup(self) -> Path | None:
        """The backup file of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), COL_FILE)
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def _update_buttons(self) -> None:
        idle = self._task is None
        can_restore = idle and not self.ledger.read_only
        self.backup_button.setEnabled(idle)
        self.restore_button.setEnabled(can_restore and self.selected_backup() is not None)
        self.restore_file_button.setEnabled(can_restore)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)

    # ------------------------------------------------------------------ actions

    def _start(self, fn: Any, on_done: Any, label: str) -> None:
        def done(result: object) -> None:
            self._task = None
            on_done(result)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self._task = None
            message = exc.message if isinstance(exc, TrackerError) else str(exc)
            self._say(message, error=True)
            self._update_buttons()

        self._task = run_in_background(fn, done, failed, parent=self, label=label)
        self._update_buttons()

    def _backup_now(self) -> None:
        ledger = self.ledger
        self._say(self.tr("正在备份…"))
        self._start(lambda _progress: backup_now(ledger), self._backed_up, self.tr("正在备份台账…"))

    def _backed_up(self, info: object) -> None:
        assert isinstance(info, BackupInfo)
        self.refresh()
        self._say(self.tr("已备份到 {name}（{size}）。").format(name=info.path.name, size=info.size_text))

    def _restore_selected(self) -> None:
        path = self.selected_backup()
        if path is not None and self.restore_button.isEnabled():
            self._restore(path)

    def _restore_other_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择备份文件"), str(backup_dir(self.ledger.path)),
            self.tr("台账文件 (*.sqlite *.db);;所有文件 (*)"))
        if name:
            self._restore(Path(name))

    def _confirm(self, path: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("恢复备份"), self.tr(
            "用备份“{name}”替换当前台账的全部内容？\n\n"
            "替换前，当前台账会先另存为一份“恢复前”备份，需要时可以再恢复回来。"
            "请先关闭其他打开此台账的窗口。").format(name=path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmRestore")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("恢复"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _restore(self, path: Path) -> None:
        if not self._confirm(path):
            return
        # Every connection of this window must be closed for the restore to take the file.
        self.ledger.close()
        ledger_path, user = self.ledger.path, self.ledger.user
        self._say(self.tr("正在检查并恢复备份…"))
        self._start(lambda _progress: restore(ledger_path, path, user=user), self._restored_done,
                    self.tr("正在恢复台账…"))

    def _restored_done(self, result: object) -> None:
        assert isinstance(result, RestoreResult)
        self.restored = True
        self.restore_result = result
        kept = result.safety_copy.name if result.safety_copy else self.tr("（原台账不存在）")
        self._say(self.tr("已恢复“{name}”。恢复前的台账保存为 {kept}。").format(
            name=result.backup_file.name, kept=kept))
        self.accept()

    def _open_folder(self) -> None:
        folder = backup_dir(self.ledger.path)
        if not folder.is_dir():
            self._say(self.tr("还没有备份文件夹：点“立即备份”会创建它。"))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
