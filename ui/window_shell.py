"""The main window's shell: its widgets laid out (side panel, table, the detail pane's place,
status bar) and what it remembers between runs (size, splitter, columns, sort). Built before
the ledger is open (ui.first_paint), so it imports no service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui import settings
from ui.models.problem_table import Column

if TYPE_CHECKING:
    from ui.main_window import MainWindow

COLUMN_WIDTHS = {
    Column.SEQ: 46, Column.SOURCE: 120, Column.CATEGORY: 88, Column.DESCRIPTION: 320,
    Column.LEAD_UNIT: 100, Column.OWNER: 56, Column.DEADLINE: 196, Column.STATUS: 64,
    Column.PROGRESS: 46,
}


def build_layout(w: MainWindow) -> None:
    """Lay out the window's widgets; the detail pane goes into ``w.detail_slot`` when the
    ledger opens (it reads the change history, a service)."""
    table = w.table
    table.setModel(w.model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(28)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(Column.SEQ, Qt.SortOrder.AscendingOrder)
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    for col, width in COLUMN_WIDTHS.items():
        table.setColumnWidth(col, width)
    # 存在问题 takes whatever width is left, so every column fits without scrolling.
    header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
    w.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.empty_label.setWordWrap(True)
    w.empty_label.setStyleSheet("color: #777; font-size: 11pt;")
    w.empty_label.hide()
    w.panel.setMinimumWidth(180)
    center = QWidget(w)
    cv = QVBoxLayout(center)
    cv.setContentsMargins(0, 0, 0, 0)
    cv.setSpacing(2)
    cv.addWidget(table, 1)
    cv.addWidget(w.legend)
    w.detail_slot = QWidget(w)
    slot = QVBoxLayout(w.detail_slot)
    slot.setContentsMargins(0, 0, 0, 0)
    w.splitter = QSplitter(Qt.Orientation.Horizontal, w)
    w.splitter.addWidget(w.panel)
    w.splitter.addWidget(center)
    w.splitter.addWidget(w.detail_slot)
    w.splitter.setStretchFactor(1, 1)
    w.splitter.setSizes([200, 1000, 380])
    w.splitter.setChildrenCollapsible(False)
    root = QWidget(w)
    rv = QVBoxLayout(root)
    rv.setContentsMargins(6, 4, 6, 4)
    rv.addWidget(w.banner)
    rv.addWidget(w.splitter, 1)
    w.setCentralWidget(root)
    w.statusBar().addPermanentWidget(w.count_label)
    w.resize(1500, 900)


def restore_state(w: MainWindow) -> None:
    """Window size, splitter, column widths and sort from the last run."""
    for key, restore in ((settings.KEY_GEOMETRY, w.restoreGeometry),
                         (settings.KEY_STATE, w.restoreState),
                         (settings.KEY_SPLITTER, w.splitter.restoreState),
                         (settings.KEY_HEADER, w.table.horizontalHeader().restoreState)):
        value = settings.value_bytes(key)
        if value is not None:
            restore(value)
    header = w.table.horizontalHeader()
    # The header remembers its sort arrow; the query must follow it (ui.first_paint reads
    # the first page in this order before the ledger is open).
    w.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())


def save_state(w: MainWindow) -> None:
    """Remember window size, splitter, column widths, sort and the filter."""
    settings.set_value(settings.KEY_GEOMETRY, w.saveGeometry())
    settings.set_value(settings.KEY_STATE, w.saveState())
    settings.set_value(settings.KEY_SPLITTER, w.splitter.saveState())
    settings.set_value(settings.KEY_HEADER, w.table.horizontalHeader().saveState())
    settings.set_value(settings.KEY_LAST_FILTER, w.panel.key)
