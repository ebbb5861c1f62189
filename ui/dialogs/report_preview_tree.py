"""The tree of problems found in a report: long descriptions wrap (the clerk must read them
whole to confirm them), the category is edited in a combo of the ledger's categories, and
measures are dragged between problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ui.models.report_preview_model import KIND_GROUP, PreviewColumn, ReportPreviewModel
from ui.widgets.completing_combo import CompletingCombo

CATEGORY_WIDTH = 130
_TEXT_PADDING = 8  # the style's text margins left and right, and a little air

AnyIndex = QModelIndex | QPersistentModelIndex


class PreviewDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text; the category column edited in a combo."""

    def __init__(self, names: list[str], view: QTreeView) -> None:
        super().__init__(view)
        self.names = names
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() == PreviewColumn.STATUS:
            return size
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self.view.header().sectionSize(index.column())
        if self.view.isFirstColumnSpanned(index.row(), index.parent()):
            width = self.view.viewport().width()
        if index.column() == PreviewColumn.TEXT:
            depth = 1 if index.parent().isValid() else 0
            width -= self.view.indentation() * (depth + 1)
        opt.rect = QRect(0, 0, max(width, 60), 10_000)
        text_rect = self.view.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemText, opt, self.view)
        bound = opt.fontMetrics.boundingRect(
            QRect(0, 0, max(text_rect.width() - _TEXT_PADDING, 20), 100_000),
            int(Qt.TextFlag.TextWordWrap), opt.text)
        # Not the base hint's height: it wraps against a width the tree never gives it.
        line = max(opt.fontMetrics.height(),
                   self.view.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight))
        return QSize(size.width(), max(line, bound.height()) + 8)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        if index.column() != PreviewColumn.CATEGORY:
            return super().createEditor(parent, option, index)
        combo = CompletingCombo(parent, self.tr("输入或选择类别"))
        combo.set_names(self.names)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, CompletingCombo):
            editor.setEditText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, CompletingCombo):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ReportPreviewTree(QTreeView):
    """The preview tree: single row selection, in-place editing, measures dragged to move."""

    def __init__(self, model: ReportPreviewModel, categories: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(PreviewDelegate(categories, self))
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PreviewColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PreviewColumn.CATEGORY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PreviewColumn.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.setColumnWidth(PreviewColumn.CATEGORY, CATEGORY_WIDTH)
        # Wrapped rows change height with their column: lay the rows out again once the
        # resizing settles.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(50)
        self._relayout.timeout.connect(self.doItemsLayout)
        header.sectionResized.connect(lambda *_: self._relayout.start())
        self._model = model
        for signal in (model.modelReset, model.rowsInserted, model.rowsMoved):
            signal.connect(self._span_rows)
        model.modelReset.connect(self.expandAll)
        model.rowsInserted.connect(lambda parent, *_: self.expand(parent))
        model.rowsMoved.connect(lambda _src, _first, _last, dest, *_: self.expand(dest))

    def _span_rows(self, *_args: Any) -> None:
        """Measures and the group title have no category or status: their text takes the
        whole width."""
        model = self._model
        root = QModelIndex()
        for top in range(model.rowCount(root)):
            parent = model.index(top, 0)
            self.setFirstColumnSpanned(top, root, model.kind_of(parent) == KIND_GROUP)
            for row in range(model.rowCount(parent)):
                self.setFirstColumnSpanned(row, parent, True)
