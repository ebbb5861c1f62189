"""The evidence list of one problem (佐证材料): a dumb table model fed with frozen rows."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from tracker.closeout_model import EvidenceRow, size_words


class EvidenceColumn(IntEnum):
    """Columns of the evidence list."""

    NAME = 0
    SIZE = 1
    ADDED = 2
    NOTE = 3


HEADERS = {EvidenceColumn.NAME: "文件名", EvidenceColumn.SIZE: "大小",
           EvidenceColumn.ADDED: "上传日期", EvidenceColumn.NOTE: "说明"}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class EvidenceModel(QAbstractTableModel):
    """Rows of EvidenceRow; replaced whole by set_rows (a problem has a handful of files)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EvidenceRow] = []

    def set_rows(self, rows: list[EvidenceRow]) -> None:
        """Show these files."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> EvidenceRow | None:
        """The file on a row, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(EvidenceColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(EvidenceColumn):
            return QCoreApplication.translate("EvidenceModel", HEADERS[EvidenceColumn(section)])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        col = EvidenceColumn(index.column())
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.DisplayRole:
            return {EvidenceColumn.NAME: r.name, EvidenceColumn.SIZE: size_words(r.size),
                    EvidenceColumn.ADDED: r.added_on.isoformat(),
                    EvidenceColumn.NOTE: r.note}[col]
        if role == Qt.ItemDataRole.ToolTipRole and col is EvidenceColumn.NAME:
            return QCoreApplication.translate("EvidenceModel", "{name}\nSHA-256：{sha}\n上传人：{who}") \
                .format(name=r.name, sha=r.sha256, who=r.added_by or "—")
        return None
