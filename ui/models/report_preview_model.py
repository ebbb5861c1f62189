"""The problems a report yielded, as the clerk confirms them: a tree of problems (checkbox,
description and category editable) with their measures as children, and a last group of
measures that matched no problem, which can be dragged or assigned to a problem."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from tracker.domain import Status
from tracker.report import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.model import measure_status


class PreviewColumn(IntEnum):
    """Columns of the preview tree."""

    TEXT = 0
    CATEGORY = 1
    STATUS = 2


HEADERS = {PreviewColumn.TEXT: "问题 / 整改措施", PreviewColumn.CATEGORY: "类别",
           PreviewColumn.STATUS: "状态"}
MEASURE_MIME = "application/x-rectify-report-measure"
ROW_KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # one of the KIND_* values below
KIND_PROBLEM, KIND_GROUP, KIND_MEASURE = "problem", "group", "measure"
UNCHECKED_COLOR = QColor("#8a8a8a")
REVIEW_COLOR = QColor("#fff4c2")  # read by a weak rule: the clerk checks these first
REVIEW_MARK = "【待核对】"
REVIEW_TIP = "此项由较弱的规则识别（如按顺序配对、无编号段落），请先核对。"
WAITING_COLOR = QColor("#9a5b00")  # unassigned measures: they will not be imported
_TOP = 0  # internalId of top-level rows; a child's internalId is its parent's key

AnyIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPreviewModel", text)


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


class ReportPreviewModel(QAbstractItemModel):
    """Problems (top level), then one group of unassigned measures; measures are children."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[ProblemDraft] = []
        self._group = ProblemDraft("", key=1)
        self._by_key: dict[int, ProblemDraft] = {}
        self._next_key = 2
        self.edited = False  # True once the clerk changed anything since the last report
        # What the report said of each measure (unit, deadline, status, review), by its text.
        self._details: dict[str, ExtractedMeasure] = {}

    # ------------------------------------------------------------------ our API

    def set_report(self, report: ExtractedReport) -> None:
        """Show a freshly parsed report; the clerk's edits to the previous one are dropped."""
        self.beginResetModel()
        self._problems = []
        self._details = {}
        for p in report.problems:
            self._problems.append(ProblemDraft(p.description, p.category, p.status,
                                               [m.text for m in p.measures], True, self._next_key,
                                               p.review))
            self._details.update({m.text: replace(m, status=measure_status(p, m)) for m in p.measures})
            self._next_key += 1
        self._group = ProblemDraft("", measures=list(report.unassigned_measures), key=1)
        self._by_key = {d.key: d for d in [*self._problems, self._group]}
        self.edited = False
        self.endResetModel()

    def problems(self) -> list[ProblemDraft]:
        """Every problem shown, checked or not."""
        return list(self._problems)

    def checked_problems(self) -> list[ExtractedProblem]:
        """The checked problems with the clerk's edits, in order."""
        return [d.frozen(self._details) for d in self._problems if d.checked]

    def review_count(self) -> int:
        """How many problems and measures shown are marked 待核对."""
        marked = sum(1 for d in self._problems if d.review)
        return marked + sum(1 for d in self._problems for m in d.measures
                            if (x := self._details.get(m)) is not None and x.review)

    def unassigned(self) -> list[str]:
        """Measures still in the unassigned group (these are not imported)."""
        return list(self._group.measures)

    def group_index(self) -> QModelIndex:
        """The index of the unassigned-measures group, or invalid when nothing is shown."""
        return self.index(len(self._problems), 0) if self._problems or self._group.measures \
            else QModelIndex()

    def set_all_checked(self, checked: bool) -> None:
        """Check or uncheck every problem."""
        for d in self._problems:
            d.checked = checked
        if self._problems:
            self.edited = True
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._problems) - 1,
                                                               len(PreviewColumn) - 1))

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

    def kind_of(self, index: AnyIndex) -> str:
        """KIND_PROBLEM, KIND_GROUP or KIND_MEASURE (empty for the root)."""
        if not index.isValid():
            return ""
        if index.internalId() != _TOP:
            return KIND_MEASURE
        return KIND_GROUP if index.row() == len(self._problems) else KIND_PROBLEM

    # ------------------------------------------------------------------ helpers

    def _node_at(self, top_row: int) -> ProblemDraft:
        return self._problems[top_row] if top_row < len(self._problems) else self._group

    def _owner(self, index: AnyIndex) -> ProblemDraft | None:
        """The problem (or group) holding the measure at ``index``."""
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._by_key.get(int(index.internalId()))

    def _top_row(self, node: ProblemDraft) -> int:
        return len(self._problems) if node is self._group else self._problems.index(node)

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

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(PreviewColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(PreviewColumn):
            return _tr(HEADERS[PreviewColumn(section)])
        return None

    # ------------------------------------------------------------------ Qt: data

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kind = self.kind_of(index)
        if role == ROW_KIND_ROLE:
            return kind
        if kind == KIND_MEASURE:
            return self._measure_data(index, role)
        if kind == KIND_GROUP:
            return self._group_data(index, role)
        return self._problem_data(index, role)

    def _problem_data(self, index: AnyIndex, role: int) -> Any:
        d = self._problems[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == PreviewColumn.TEXT:
            return Qt.CheckState.Checked if d.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not d.checked:
            return UNCHECKED_COLOR
        if role == Qt.ItemDataRole.BackgroundRole and d.review:
            return REVIEW_COLOR
        if col == PreviewColumn.TEXT:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{index.row() + 1}. {REVIEW_MARK if d.review else ''}{d.description}"
            if role == Qt.ItemDataRole.EditRole:
                return d.description
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{_tr(REVIEW_TIP)}\n{d.description}" if d.review else d.description
        elif col == PreviewColumn.CATEGORY:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return d.category
        elif col == PreviewColumn.STATUS and role == Qt.ItemDataRole.DisplayRole:
            return d.status.label
        return None

    def _group_data(self, index: AnyIndex, role: int) -> Any:
        n = len(self._group.measures)
        if index.column() != PreviewColumn.TEXT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if not n:
                return _tr("未对应到问题的措施：无")
            return _tr("未对应到问题的措施（{n} 项，不导入；拖到问题上或右键分配）").format(n=n)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and n:
            return WAITING_COLOR
        return None

    def _measure_data(self, index: AnyIndex, role: int) -> Any:
        owner = self._owner(index)
        if owner is None:
            return None
        text = owner.measures[index.row()]
        said = self._details.get(text) if owner is not self._group else None
        if index.column() == PreviewColumn.STATUS and said is not None:
            return said.status.label if role == Qt.ItemDataRole.DisplayRole and said.status else None
        if index.column() != PreviewColumn.TEXT:
            return None
        if role == Qt.ItemDataRole.BackgroundRole and said is not None and said.review:
            return REVIEW_COLOR
        if role == Qt.ItemDataRole.DisplayRole:
            if owner is self._group:
                return text
            mark = REVIEW_MARK if said is not None and said.review else ""
            return f"措施{index.row() + 1}：{mark}{text}{said.facts_note() if said is not None else ''}"
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{_tr(REVIEW_TIP)}\n{text}" if said is not None and said.review else text
        if role == Qt.ItemDataRole.ForegroundRole:
            if owner is self._group:
                return WAITING_COLOR
            if not owner.checked:
                return UNCHECKED_COLOR
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        kind = self.kind_of(index)
        col = index.column()
        if kind == KIND_PROBLEM:
            d = self._problems[index.row()]
            if role == Qt.ItemDataRole.CheckStateRole and col == PreviewColumn.TEXT:
                d.checked = Qt.CheckState(value) == Qt.CheckState.Checked
                # The whole row (and its measures) turn grey or back.
                self.dataChanged.emit(index, self.index(index.row(), len(PreviewColumn) - 1))
                if d.measures:
                    first, last = self.index(0, 0, index), self.index(len(d.measures) - 1, 0, index)
                    self.dataChanged.emit(first, last)
            elif role == Qt.ItemDataRole.EditRole and col == PreviewColumn.TEXT:
                text = str(value or "").strip()
                if not text:
                    return False  # a problem needs words: uncheck it instead
                d.description = text
                self.dataChanged.emit(index, index)
            elif role == Qt.ItemDataRole.EditRole and col == PreviewColumn.CATEGORY:
                d.category = str(value or "").strip()
                self.dataChanged.emit(index, index)
            else:
                return False
        elif kind == KIND_MEASURE and role == Qt.ItemDataRole.EditRole and col == PreviewColumn.TEXT:
            owner = self._owner(index)
            text = str(value or "").strip()
            if owner is None or not text:
                return False
            owner.measures[index.row()] = text
            self.dataChanged.emit(index, index)
        else:
            return False
        self.edited = True
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = self.kind_of(index)
        col = index.column()
        if kind == KIND_MEASURE:
            base |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren
            return base | Qt.ItemFlag.ItemIsEditable if col == PreviewColumn.TEXT else base
        base |= Qt.ItemFlag.ItemIsDropEnabled
        if kind == KIND_PROBLEM and col == PreviewColumn.TEXT:
            return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        if kind == KIND_PROBLEM and col == PreviewColumn.CATEGORY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

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
