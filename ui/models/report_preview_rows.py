"""The storage of the report preview tree and the moves between its rows: problems at the top,
one group of unassigned measures last, measures as children; a measure moves to another problem
by drag and drop or by ``move_measure``. ``ReportPreviewModel`` adds what the rows show."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from tracker.domain import Status
from tracker.report import ExtractedMeasure, ExtractedProblem

MEASURE_MIME = "application/x-rectify-report-measure"
KIND_PROBLEM, KIND_GROUP, KIND_MEASURE = "problem", "group", "measure"
_TOP = 0  # internalId of top-level rows; a child's internalId is its parent's key

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class ProblemDraft:
    """One problem as the clerk is confirming it; ``key`` is fixed for the model's lifetime."""

    description: str
    category: str = ""
    status: Status = Status.NOT_STARTED
    measures: list[str] = field(default_factory=list)
    checked: bool = True
    key: int = 0
    review: bool = False  # placed by a weak rule: marked until the clerk edits it

    def frozen(self, details: dict[str, ExtractedMeasure] | None = None) -> ExtractedProblem:
        """The problem as the import takes it (empty measures left out); a measure whose text
        is unchanged keeps the unit, deadline and status the report gave it."""
        found = details or {}
        return ExtractedProblem(
            self.description.strip(), self.category.strip(), self.status,
            tuple(replace(found[m], text=m.strip()) if m in found else ExtractedMeasure(m.strip())
                  for m in self.measures if m.strip()),
            self.review,
        )


class MeasureTreeModel(QAbstractItemModel):
    """Problems and the unassigned group as top rows, measures as children, and moving measures."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[ProblemDraft] = []
        self._group = ProblemDraft("", key=1)
        self._by_key: dict[int, ProblemDraft] = {}
        self.edited = False  # True once the clerk changed anything since the last report

    def group_index(self) -> QModelIndex:
        """The index of the unassigned-measures group, or invalid when nothing is shown."""
        return self.index(len(self._problems), 0) if self._problems or self._group.measures \
            else QModelIndex()

    def kind_of(self, index: AnyIndex) -> str:
        """KIND_PROBLEM, KIND_GROUP or KIND_MEASURE (empty for the root)."""
        if not index.isValid():
            return ""
        if index.internalId() != _TOP:
            return KIND_MEASURE
        return KIND_GROUP if index.row() == len(self._problems) else KIND_PROBLEM

    def _node_at(self, top_row: int) -> ProblemDraft:
        return self._problems[top_row] if top_row < len(self._problems) else self._group

    def _owner(self, index: AnyIndex) -> ProblemDraft | None:
        """The problem (or group) holding the measure at ``index``."""
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._by_key.get(int(index.internalId()))

    def _top_row(self, node: ProblemDraft) -> int:
        return len(self._problems) if node is self._group else self._problems.index(node)

    def move_measure(self, measure: AnyIndex, problem_row: int) -> bool:
        """Move a measure to the end of the problem at ``problem_row`` (or, for the group's
        row, back among the unassigned ones)."""
        src = self._owner(measure)
        if src is None or not 0 <= problem_row <= len(self._problems):
            return False
        dst = self._node_at(problem_row)
        if dst is src:
            return False
        src_parent = self.parent(measure)
        dst_parent = self.index(problem_row, 0)
        row = measure.row()
        if not self.beginMoveRows(src_parent, row, row, dst_parent, len(dst.measures)):
            return False
        dst.measures.append(src.measures.pop(row))
        self.endMoveRows()
        self._group_changed()
        self.edited = True
        return True

    def _group_changed(self) -> None:
        """The group's title counts its measures: repaint it."""
        group = self.group_index()
        if group.isValid():
            self.dataChanged.emit(group, group, [Qt.ItemDataRole.DisplayRole])

    # ------------------------------------------------------------------ Qt: structure

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, self._node_at(parent.row()).key)

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        owner = self._owner(child)
        if owner is None:
            return QModelIndex()
        return self.createIndex(self._top_row(owner), 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._problems) + 1 if self._problems or self._group.measures else 0
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._node_at(parent.row()).measures)

    # ------------------------------------------------------------------ Qt: drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MEASURE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        """The dragged measures as "key:row" lines (the view removes them after the drop)."""
        rows = sorted({(int(i.internalId()), i.row()) for i in indexes
                       if self.kind_of(i) == KIND_MEASURE})
        mime = QMimeData()
        mime.setData(MEASURE_MIME, QByteArray("\n".join(f"{k}:{r}" for k, r in rows).encode()))
        mime.setText("\n".join(self._by_key[k].measures[r] for k, r in rows))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return (data.hasFormat(MEASURE_MIME) and action == Qt.DropAction.MoveAction
                and self.kind_of(parent) in (KIND_PROBLEM, KIND_GROUP))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """Insert copies of the dragged measures under ``parent``; as Qt's item views do for a
        move, the view then removes the originals with ``removeRows``."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        texts = []
        for line in bytes(data.data(MEASURE_MIME).data()).decode().splitlines():
            key, _, pos = line.partition(":")
            node = self._by_key.get(int(key)) if key.isdigit() else None
            if node is None or not pos.isdigit() or int(pos) >= len(node.measures):
                return False
            texts.append(node.measures[int(pos)])
        dst = self._node_at(parent.row())
        at = len(dst.measures) if row < 0 else min(row, len(dst.measures))
        if not texts:
            return False
        self.beginInsertRows(self.index(parent.row(), 0), at, at + len(texts) - 1)
        dst.measures[at:at] = texts
        self.endInsertRows()
        self._group_changed()
        self.edited = True
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:
        """Remove measures (never problems: a problem is left out by unchecking it)."""
        if self.kind_of(parent) not in (KIND_PROBLEM, KIND_GROUP) or parent.column() != 0:
            return False
        node = self._node_at(parent.row())
        if count <= 0 or row < 0 or row + count > len(node.measures):
            return False
        self.beginRemoveRows(parent, row, row + count - 1)
        del node.measures[row:row + count]
        self.endRemoveRows()
        self._group_changed()
        self.edited = True
        return True
