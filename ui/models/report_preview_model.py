"""The problems a report yielded, as the clerk confirms them: a tree of problems (checkbox,
description and category editable) with their measures as children, and a last group of
measures that matched no problem, which can be dragged or assigned to a problem."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from tracker.report import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.model import measure_status
from ui.models.report_preview_rows import (
    KIND_GROUP,
    KIND_MEASURE,
    KIND_PROBLEM,
    MEASURE_MIME,
    AnyIndex,
    MeasureTreeModel,
    ProblemDraft,
)

__all__ = ["KIND_GROUP", "KIND_MEASURE", "KIND_PROBLEM", "MEASURE_MIME", "PreviewColumn", "ProblemDraft",
           "ReportPreviewModel"]


class PreviewColumn(IntEnum):
    """Columns of the preview tree."""

    TEXT = 0
    CATEGORY = 1
    STATUS = 2


HEADERS = {PreviewColumn.TEXT: "问题 / 整改措施", PreviewColumn.CATEGORY: "类别",
           PreviewColumn.STATUS: "状态"}
ROW_KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # one of the KIND_* values below
UNCHECKED_COLOR = QColor("#8a8a8a")
REVIEW_COLOR = QColor("#fff4c2")  # read by a weak rule: the clerk checks these first
REVIEW_MARK = "【待核对】"
REVIEW_TIP = "此项由较弱的规则识别（如按顺序配对、无编号段落），请先核对。"
WAITING_COLOR = QColor("#9a5b00")  # unassigned measures: they will not be imported


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPreviewModel", text)


class ReportPreviewModel(MeasureTreeModel):
    """Problems (top level), then one group of unassigned measures; measures are children."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._next_key = 2
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

    def set_all_checked(self, checked: bool) -> None:
        """Check or uncheck every problem."""
        for d in self._problems:
            d.checked = checked
        if self._problems:
            self.edited = True
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._problems) - 1,
                                                               len(PreviewColumn) - 1))

    # ------------------------------------------------------------------ Qt: structure

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
