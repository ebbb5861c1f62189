"""The problem editor's list of measures as typed (not yet saved): add, remove, reorder,
edit in place; each deadline is read back at once so a mistyped one shows before saving."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from tracker import clock
from tracker.deadlines import Deadline, describe, parse_deadline
from tracker.domain import MeasureInput, MeasureRow, Status
from tracker.errors import DeadlineError


class MeasureColumn(IntEnum):
    """Columns of the measure list."""

    TEXT = 0
    LEAD_UNIT = 1
    CO_UNITS = 2
    OWNER = 3
    DEADLINE = 4
    READING = 5
    STATUS = 6
    PERCENT = 7


HEADERS = {
    MeasureColumn.TEXT: "整改措施",
    MeasureColumn.LEAD_UNIT: "牵头单位", MeasureColumn.CO_UNITS: "配合单位",
    MeasureColumn.OWNER: "责任人", MeasureColumn.DEADLINE: "整改时限",
    MeasureColumn.READING: "时限解读", MeasureColumn.STATUS: "状态",
    MeasureColumn.PERCENT: "完成进度",
}
FIELDS = {
    MeasureColumn.TEXT: "text", MeasureColumn.LEAD_UNIT: "lead_unit",
    MeasureColumn.CO_UNITS: "co_units", MeasureColumn.OWNER: "owner",
    MeasureColumn.DEADLINE: "deadline_text",
}
STATUS_VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the Status of a row (status column)
ERROR_COLOR = QColor("#b3261e")


@dataclass
class MeasureDraft:
    """One measure as the clerk is typing it; ``id`` is set for a stored measure."""

    text: str = ""
    lead_unit: str = ""
    co_units: str = ""
    owner: str = ""
    deadline_text: str = ""
    status: Status = Status.NOT_STARTED
    id: int | None = None
    done_on: dt.date | None = None
    # The stored reading: a saved 年底前 keeps the year it was typed in until retyped.
    saved: Deadline | None = None
    percent: int | None = None  # 完成进度 0–100; None: not stated

    @classmethod
    def from_row(cls, m: MeasureRow) -> MeasureDraft:
        """A draft holding a stored measure's values."""
        return cls(m.text, m.lead_unit, m.co_units, m.owner, m.deadline_text, m.status, m.id,
                   m.done_on, Deadline(m.deadline, m.deadline_kind, m.deadline_text), m.percent)

    def reading(self, reference: dt.date) -> tuple[str, str | None]:
        """(what the deadline means, error or None): the stored date while the text is the
        stored text, else the text read against ``reference`` (the day it is typed)."""
        if self.saved is not None and self.deadline_text.strip() == self.saved.text.strip():
            return describe(self.saved), None
        return read_deadline(self.deadline_text, reference)

    def to_input(self) -> MeasureInput:
        """What the service is given."""
        return MeasureInput(text=self.text, lead_unit=self.lead_unit, co_units=self.co_units,
                            owner=self.owner, deadline_text=self.deadline_text,
                            status=self.status, done_on=self.done_on, id=self.id,
                            percent=self.percent)


def percent_value(value: Any) -> int | None:
    """A typed 完成进度 (60, "60", "60%", "" or None) as 0–100 or None; ValueError otherwise."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().rstrip("%％").strip()
    if not text:
        return None
    number = int(text)
    if not 0 <= number <= 100:
        raise ValueError(text)
    return number


def read_deadline(text: str, reference: dt.date) -> tuple[str, str | None]:
    """(what the deadline means, error message or None) for text as typed."""
    try:
        return describe(parse_deadline(text, reference)), None
    except DeadlineError as exc:
        return exc.message, exc.message


class MeasureListModel(QAbstractTableModel):
    """Editable rows of MeasureDraft; the deadline reading follows every keystroke."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MeasureDraft] = []
        self.reference = clock.today()

    def set_drafts(self, drafts: list[MeasureDraft]) -> None:
        """Show these measures."""
        self.beginResetModel()
        self._rows = [dataclasses.replace(d) for d in drafts]
        self.endResetModel()

    def drafts(self) -> list[MeasureDraft]:
        """Copies of the measures in their order."""
        return [dataclasses.replace(d) for d in self._rows]

    def draft(self, row: int) -> MeasureDraft:
        """The measure on a row (a copy)."""
        return dataclasses.replace(self._rows[row])

    def set_reference(self, day: dt.date) -> None:
        """The day relative deadlines (年底前) resolve against; readings are redone."""
        self.reference = day
        if self._rows:
            self.dataChanged.emit(self.index(0, MeasureColumn.READING),
                                  self.index(len(self._rows) - 1, MeasureColumn.READING))

    def errors(self) -> list[tuple[int, str]]:
        """(row, message) for every measure that cannot be saved as typed."""
        out = []
        for i, d in enumerate(self._rows):
            if not d.text.strip():
                out.append((i, QCoreApplication.translate("MeasureList", "第{n}项措施没有填写内容。")
                            .format(n=i + 1)))
            _, err = d.reading(self.reference)
            if err:
                out.append((i, QCoreApplication.translate("MeasureList", "第{n}项措施：{msg}")
                            .format(n=i + 1, msg=err)))
        return out

    def add_draft(self, draft: MeasureDraft | None = None) -> int:
        """Append a measure; returns its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(draft or MeasureDraft())
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        """Remove the measure on a row."""
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def move(self, row: int, delta: int) -> int:
        """Move a measure up (-1) or down (+1); returns its new row."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)) or delta == 0:
            return row
        # beginMoveRows wants the destination as "insert before" in the old numbering.
        dest = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(MeasureColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(MeasureColumn):
            return QCoreApplication.translate("MeasureList", HEADERS[MeasureColumn(section)])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)  # the measure's number, which follows its place
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = MeasureColumn(index.column())
        if col in FIELDS or col in (MeasureColumn.STATUS, MeasureColumn.PERCENT):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        col = MeasureColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col in FIELDS:
                return getattr(d, FIELDS[col])
            if col is MeasureColumn.READING:
                return d.reading(self.reference)[0]
            if col is MeasureColumn.PERCENT:
                if role == Qt.ItemDataRole.EditRole:
                    return d.percent
                return "" if d.percent is None else f"{d.percent}%"
            return d.status.label
        if role == STATUS_VALUE_ROLE and col is MeasureColumn.STATUS:
            return d.status.value
        if role == Qt.ItemDataRole.ForegroundRole and col is MeasureColumn.READING:
            return ERROR_COLOR if d.reading(self.reference)[1] else None
        if role == Qt.ItemDataRole.ToolTipRole and col in (MeasureColumn.TEXT,
                                                           MeasureColumn.READING):
            return self.data(index, Qt.ItemDataRole.DisplayRole) or None
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        d = self._rows[index.row()]
        col = MeasureColumn(index.column())
        if col in FIELDS:
            setattr(d, FIELDS[col], "" if value is None else str(value))
            changed = [index]
            if col is MeasureColumn.DEADLINE:
                changed.append(self.index(index.row(), MeasureColumn.READING))
        elif col is MeasureColumn.STATUS:
            try:
                d.status = value if isinstance(value, Status) else Status.from_label(str(value))
            except ValueError:
                return False
            changed = [index]
        elif col is MeasureColumn.PERCENT:
            try:
                d.percent = percent_value(value)
            except ValueError:
                return False
            changed = [index]
        else:
            return False
        for i in changed:
            self.dataChanged.emit(i, i)
        return True
