"""The side panel's model: ready filters with their counts, then groups by source, unit and
category. Rows keep their place when counts change so the view keeps expansion and scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel

from tracker.domain import Status
from ui import filters
from ui.colors import PALETTES, Band

if TYPE_CHECKING:  # the panel is built before the services (SQLAlchemy) load: ui.first_paint
    from tracker.services.counts import FilterCounts, NamedCount

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_BANDS = {Status.DONE: Band.DONE, Status.CLOSED: Band.CLOSED}
GROUPS = (("source", "按问题来源"), ("unit", "按单位"), ("category", "按问题类别"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("FilterTree", text)


def swatch(color: QColor, size: int = 12) -> QIcon:
    """A small round colour dot for a filter's icon."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


class FilterTreeModel(QStandardItemModel):
    """Two columns (filter, count); every selectable row carries its filter key."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([_tr("筛选"), _tr("数量")])
        self._fixed: dict[str, QStandardItem] = {}
        self._groups: dict[str, QStandardItem] = {}
        self._add_fixed(filters.ALL, _tr("全部问题"), None)
        self._add_fixed(filters.OVERDUE, _tr("逾期"), PALETTES[Band.OVERDUE].swatch)
        self._add_fixed(filters.SOON, _tr("7天内到期"), PALETTES[Band.SOON].swatch)
        self._add_fixed(filters.LATER, _tr("30天内到期"), PALETTES[Band.LATER].swatch)
        for status in filters.STATUS_FILTERS:
            band = STATUS_BANDS.get(status)
            label = _tr("已完成待销号") if status is Status.DONE else status.label
            self._add_fixed(filters.status_key(status), label,
                            PALETTES[band].swatch if band else None)
        self._add_fixed(filters.RECHECK, _tr("待回头看"), None)
        for name, label in GROUPS:
            item = QStandardItem(_tr(label))
            item.setData(filters.GROUP_PREFIX + name, KEY_ROLE)
            item.setEditable(False)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            count = QStandardItem("")
            count.setEditable(False)
            self.appendRow([item, count])
            self._groups[name] = item

    def _add_fixed(self, key: str, label: str, color: QColor | None) -> None:
        item = QStandardItem(label)
        item.setData(key, KEY_ROLE)
        item.setEditable(False)
        # Every fixed row gets an icon (transparent when it has no colour) so labels line up.
        item.setIcon(swatch(color if color is not None else QColor(0, 0, 0, 0)))
        count = QStandardItem("")
        count.setEditable(False)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.appendRow([item, count])
        self._fixed[key] = item

    def set_thresholds(self, soon_days: int, later_days: int) -> None:
        """Name the due-soon filters after the horizons in the preferences."""
        self._fixed[filters.SOON].setText(_tr("{n}天内到期").format(n=soon_days))
        self._fixed[filters.LATER].setText(_tr("{n}天内到期").format(n=later_days))

    def set_counts(self, counts: FilterCounts) -> None:
        """Show new counts; the groups' children are rebuilt, fixed rows keep their place."""
        values = {
            filters.ALL: counts.total, filters.OVERDUE: counts.overdue,
            filters.SOON: counts.due_soon, filters.LATER: counts.due_later,
            filters.RECHECK: counts.recheck_due,
        }
        for status, n in counts.by_status:
            values[filters.status_key(status)] = n
        for key, item in self._fixed.items():
            self._set_count(item, values.get(key, 0))
        self._fill("source", filters.SOURCE_PREFIX, counts.by_source)
        self._fill("unit", filters.UNIT_PREFIX, counts.by_unit)
        self._fill("category", filters.CATEGORY_PREFIX, counts.by_category)

    def _set_count(self, item: QStandardItem, n: int) -> None:
        sibling = self.itemFromIndex(item.index().siblingAtColumn(1))
        if sibling is not None:
            sibling.setText(str(n))
            sibling.setData(n, COUNT_ROLE)
        item.setData(n, COUNT_ROLE)
        # An overdue count other than zero is the one number a clerk must not miss.
        if item.data(KEY_ROLE) == filters.OVERDUE and sibling is not None:
            sibling.setForeground(PALETTES[Band.OVERDUE].foreground if n else QColor())
            font = sibling.font()
            font.setBold(n > 0)
            sibling.setFont(font)

    def _fill(self, group: str, prefix: str, entries: tuple[NamedCount, ...]) -> None:
        parent = self._groups[group]
        if parent.rowCount():
            parent.removeRows(0, parent.rowCount())
        for entry in entries:
            item = QStandardItem(entry.name)
            item.setData(f"{prefix}{entry.key}", KEY_ROLE)
            item.setData(entry.count, COUNT_ROLE)
            item.setToolTip(entry.name)
            item.setEditable(False)
            count = QStandardItem(str(entry.count))
            count.setEditable(False)
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.count == 0:
                grey = QColor("#888888")
                item.setForeground(grey)
                count.setForeground(grey)
            parent.appendRow([item, count])
        total = sum(e.count for e in entries)
        sibling = self.itemFromIndex(parent.index().siblingAtColumn(1))
        if sibling is not None:
            sibling.setText("")
        parent.setData(total, COUNT_ROLE)

    def find_key(self, key: str) -> QStandardItem | None:
        """The item for a filter key, anywhere in the tree."""
        if key in self._fixed:
            return self._fixed[key]
        for parent in self._groups.values():
            if parent.data(KEY_ROLE) == key:
                return parent
            for r in range(parent.rowCount()):
                child = parent.child(r, 0)
                if child is not None and child.data(KEY_ROLE) == key:
                    return child
        return None

    def count_of(self, key: str) -> int | None:
        """The count shown for a key, or None when the key is not in the tree."""
        item = self.find_key(key)
        return None if item is None else item.data(COUNT_ROLE)
