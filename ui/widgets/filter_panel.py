"""The side panel: ready filters with counts; clicking one shows its problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from ui import filters
from ui.models.filter_tree import KEY_ROLE, FilterTreeModel

if TYPE_CHECKING:  # the panel is built before the services (SQLAlchemy) load: ui.first_paint
    from tracker.services.counts import FilterCounts


class FilterPanel(QTreeView):
    """Tree of filters; emits the key of the one picked (a group heading picks 全部)."""

    filter_selected = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tree = FilterTreeModel(self)
        self.setModel(self.tree)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._key = filters.ALL
        self._counted = False  # groups (sources, units, categories) are filled by set_counts
        self.selectionModel().currentRowChanged.connect(self._on_current)
        self.select_key(filters.ALL)

    @property
    def key(self) -> str:
        """The key of the filter shown."""
        return self._key

    def set_counts(self, counts: FilterCounts) -> None:
        """Show new counts and keep the same filter selected (if it still exists)."""
        self.tree.set_counts(counts)
        self._counted = True
        if self.tree.find_key(self._key) is None:
            self.select_key(filters.ALL)
        else:
            self._highlight(self._key)

    def set_thresholds(self, soon_days: int, later_days: int) -> None:
        """Rename the due-soon filters."""
        self.tree.set_thresholds(soon_days, later_days)

    def select_key(self, key: str) -> None:
        """Select a filter by key and report it; unknown keys select 全部. Before the first
        counts a unit or source key is kept as it is (the remembered filter at start-up)."""
        if self.tree.find_key(key) is None and (self._counted or not key.startswith(
                (filters.SOURCE_PREFIX, filters.UNIT_PREFIX, filters.CATEGORY_PREFIX))):
            key = filters.ALL
        self._highlight(key)
        if key != self._key:
            self._key = key
        self.filter_selected.emit(key)

    def _highlight(self, key: str) -> None:
        item = self.tree.find_key(key)
        if item is None:
            return
        index = item.index()
        if index.parent().isValid():
            self.expand(index.parent())
        self.selectionModel().blockSignals(True)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.selectionModel().blockSignals(False)
        self.viewport().update()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        key = str(current.siblingAtColumn(0).data(KEY_ROLE) or filters.ALL)
        if key.startswith(filters.GROUP_PREFIX):
            self.setExpanded(current.siblingAtColumn(0), True)
            return  # a heading only opens its list
        self._key = key
        self.filter_selected.emit(key)
