"""The shape shared by the 问题来源 / 责任单位 / 问题类别 dialogs: a list on the left, the
selected entry's fields on the right, and 新建 / 保存 / 删除 buttons."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.db.engine import Ledger
from tracker.errors import TrackerError

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ListManagerDialog(QDialog):
    """Subclasses fill ``form``, and implement load_rows, show_row, save_row, delete_row."""

    def __init__(self, ledger: Ledger, title: str, parent: QWidget | None = None,
                 read_only: bool = False) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.read_only = read_only
        self.changed = False  # something was saved or deleted: the window reloads
        self.setWindowTitle(title)
        self.resize(860, 520)
        self.list = QListWidget(self)
        self.list.setMinimumWidth(280)
        self.form = QWidget(self)
        self.status = QLabel(self)
        self.new_button = QPushButton(self.tr("新建"), self)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        row = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addStretch(1)
        right.addWidget(self.status)
        right.addLayout(row)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.list.currentItemChanged.connect(lambda cur, _prev: self._select(cur))
        for b in (self.new_button, self.save_button, self.delete_button):
            b.setEnabled(not read_only)

    # ------------------------------------------------------------ for subclasses

    def load_rows(self) -> list[tuple[int, str]]:
        """(id, text shown in the list) of every entry."""
        raise NotImplementedError

    def show_row(self, row_id: int | None) -> None:
        """Fill the form with an entry (None: empty for a new one)."""
        raise NotImplementedError

    def save_row(self, row_id: int | None) -> int:
        """Store the form (create when None); returns the id. Raises TrackerError."""
        raise NotImplementedError

    def delete_row(self, row_id: int) -> None:
        """Delete an entry. Raises TrackerError when it is still used."""
        raise NotImplementedError

    def describe(self, row_id: int) -> str:
        """The entry's name for the delete question."""
        item = self._item(row_id)
        return item.text() if item else ""

    # ------------------------------------------------------------ shared behaviour

    def reload(self, select_id: int | None = None) -> None:
        """Read the list again and select an entry."""
        self.list.blockSignals(True)
        self.list.clear()
        for row_id, text in self.load_rows():
            item = QListWidgetItem(text, self.list)
            item.setData(ID_ROLE, row_id)
        self.list.blockSignals(False)
        chosen = self._item(select_id) if select_id is not None else self.list.item(0)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
            self._select(chosen)
        else:
            self.start_new()

    def current_id(self) -> int | None:
        """The id of the selected entry, None while typing a new one."""
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _item(self, row_id: int | None) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == row_id:
                return item
        return None

    def _select(self, item: QListWidgetItem | None) -> None:
        self.status.clear()
        self.show_row(None if item is None else int(item.data(ID_ROLE)))
        self.delete_button.setEnabled(item is not None and not self.read_only)

    def start_new(self) -> None:
        """Clear the selection and the form for a new entry."""
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.show_row(None)
        self.delete_button.setEnabled(False)
        self.status.setText(self.tr("正在新建，填写后点“保存”。") if not self.read_only else "")

    def save(self) -> bool:
        """Store the form; errors are shown and nothing typed is lost."""
        try:
            row_id = self.save_row(self.current_id())
        except TrackerError as exc:
            self.status.setText(f"<span style='color:#b3261e;'>{exc.message}</span>")
            return False
        self.changed = True
        self.reload(row_id)
        self.status.setText(self.tr("已保存。"))
        return True

    def delete(self) -> bool:
        """Delete the selected entry after asking."""
        row_id = self.current_id()
        if row_id is None:
            return False
        answer = QMessageBox.question(
            self, self.tr("删除"), self.tr("确定删除“{name}”吗？").format(name=self.describe(row_id)))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.delete_row(row_id)
        except TrackerError as exc:
            self.status.setText(f"<span style='color:#b3261e;'>{exc.message}</span>")
            return False
        self.changed = True
        self.reload()
        return True


