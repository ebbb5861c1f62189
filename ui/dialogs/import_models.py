"""Table models of the import wizard: the preview of what will be imported (doubtful rows
marked), the errors with a column to type a corrected value, and the conflicts with a choice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import column_index_from_string
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from tracker.deadlines import format_date_cn
from tracker.domain import MeasureInput
from tracker.excel.cells import NoteLine
from tracker.excel.import_plan import ImportPlan
from tracker.excel.import_rows import Finding
from tracker.excel.roundtrip import KEEP_LEDGER, TAKE_FILE, RowUpdate

Index = QModelIndex | QPersistentModelIndex
WARN_BRUSH = QBrush(QColor("#fff4ce"))
PREVIEW_HEADERS = ("位置", "存在问题", "整改措施", "牵头单位", "整改时限", "完成情况", "整改进展", "提醒")
ERROR_HEADERS = ("工作表", "行", "列", "原内容", "问题", "改为")
CONFLICT_HEADERS = ("位置", "文件中的修改", "冲突原因", "处理")
CHOICE_LABELS = {KEEP_LEDGER: "保留台账", TAKE_FILE: "采用文件"}
CORRECTION_COLUMN = 5
# Which preview column shows a field a round-trip update changes.
UPDATE_COLUMNS = {"description": 1, "text": 2, "lead_unit": 3, "deadline": 4, "status": 5,
                  "progress": 6, "goal": 6, "co_units": 6, "leader": 6, "owner": 6,
                  "remarks": 6, "category": 6}
CHANGED_BRUSH = QBrush(QColor("#dcebfb"))
CHOICE_COLUMN = 3


@dataclass(frozen=True)
class PreviewLine:
    """One line of the preview table: a new measure (or problem) or a change to a stored one."""

    where: str
    texts: tuple[str, ...]  # 存在问题 … 整改进展
    warnings: tuple[str, ...]
    changed: frozenset[int] = frozenset()  # columns a round-trip update changes
    detail: str = ""  # the update's changes, for the tooltip


def _deadline(m: MeasureInput) -> str:
    """整改时限 as written, with the date it was read as when the words are relative."""
    if m.deadline is None or m.deadline_text == format_date_cn(m.deadline):
        return m.deadline_text
    return f"{m.deadline_text}（{format_date_cn(m.deadline)}）"


def preview_lines(plan: ImportPlan) -> list[PreviewLine]:
    """The plan flattened into table lines, warnings attached to the rows they are about."""
    warned: dict[tuple[str, int], list[str]] = defaultdict(list)
    for f in plan.warnings:
        warned[(f.sheet, f.row)].append(f.message)
    lines = []
    for p in plan.problems:
        rows: list[tuple[int, MeasureInput | None, tuple[NoteLine, ...]]] = [
            (m.row, m.data, m.notes) for m in p.measures] or [(p.row, None, ())]
        for k, (row, m, notes) in enumerate(rows):
            first = k == 0
            texts: tuple[str, ...] = (
                p.data.description if first else "〃",
                m.text if m else "",
                (m.lead_unit if m else p.data.lead_unit),
                _deadline(m) if m else "",
                m.status.label if m else "",
                "\n".join(f"{format_date_cn(n.noted_on)}：{n.text}" for n in notes),
            )
            found = warned.get((p.sheet, row), [])
            if first:
                for r in range(p.row, p.last_row + 1):
                    if r != row and not any(mm.row == r for mm in p.measures):
                        found = found + warned.get((p.sheet, r), [])
            lines.append(PreviewLine(f"{p.sheet}!{row}", texts, tuple(found)))
    for u in plan.updates:
        texts = u.after or ("", "；".join(c.describe() for c in u.changes), "", "", "", "")
        if u.recreate is not None or u.is_new_measure:
            texts = (u.recreate.data.description if u.recreate else "",
                     "；".join(c.describe() for c in u.changes), "", "", "", "")
        cols = frozenset(UPDATE_COLUMNS[f] for f in u.changed if f in UPDATE_COLUMNS)
        lines.append(PreviewLine(f"{u.key}（更新）", texts,
                                 tuple(warned.get((u.sheet, u.row), [])), cols, u.describe()))
    return lines


class PreviewModel(QAbstractTableModel):
    """Read-only table of PreviewLine; doubtful rows get a warning icon and a yellow row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[PreviewLine] = []

    def set_lines(self, lines: list[PreviewLine]) -> None:
        """Replace every line."""
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(PREVIEW_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(PREVIEW_HEADERS)):
            return QApplication.translate("ImportWizard", PREVIEW_HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line, col = self._lines[index.row()], index.column()
        last = len(PREVIEW_HEADERS) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return line.where
            if col == last:
                return "；".join(line.warnings)
            return line.texts[col - 1][:200]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = [*line.warnings, *([line.detail] if line.detail else [])]
            if tips:
                return "\n".join(tips)
            return line.texts[col - 1] if 0 < col < last else None
        if role == Qt.ItemDataRole.FontRole and col in line.changed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and line.warnings:
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.warnings:
                return WARN_BRUSH
            if col in line.changed:
                return CHANGED_BRUSH
        return None

    def warned_rows(self) -> int:
        """How many lines carry a warning."""
        return sum(1 for line in self._lines if line.warnings)


class ErrorsModel(QAbstractTableModel):
    """Every error of the plan; the last column takes the value the clerk types instead."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._errors: list[Finding] = []
        self._fixes: dict[int, str] = {}

    def set_errors(self, errors: list[Finding]) -> None:
        """Show these errors; typed corrections are cleared."""
        self.beginResetModel()
        self._errors = list(errors)
        self._fixes = {}
        self.endResetModel()

    def corrections(self) -> dict[tuple[str, int, int], str]:
        """(sheet, row, column number) -> typed value, for the cells the clerk corrected."""
        out = {}
        for i, text in self._fixes.items():
            f = self._errors[i]
            out[(f.sheet, f.row, column_index_from_string(f.column))] = text
        return out

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._errors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ERROR_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ERROR_HEADERS)):
            return QApplication.translate("ImportWizard", ERROR_HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (index.isValid() and index.column() == CORRECTION_COLUMN
                and 0 <= index.row() < len(self._errors) and self._errors[index.row()].column
                and self._errors[index.row()].row):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._errors):
            return None
        f, col = self._errors[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (f.sheet, str(f.row) if f.row else "", f.column, f.value[:100], f.message,
                      self._fixes.get(index.row(), ""))
            return values[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (3, 4):
            return f.value if col == 3 else f.message
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index)
                                                    & Qt.ItemFlag.ItemIsEditable):
            return False
        text = str(value or "").strip()
        if text:
            self._fixes[index.row()] = text
        else:
            self._fixes.pop(index.row(), None)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


class ConflictsModel(QAbstractTableModel):
    """Rows changed both in the app after the export and in the file; one choice per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RowUpdate] = []
        self._choices: dict[str, str] = {}

    def set_conflicts(self, rows: list[RowUpdate], choices: dict[str, str]) -> None:
        """Show these conflicts with the choices made so far."""
        self.beginResetModel()
        self._rows = list(rows)
        self._choices = {u.key: choices[u.key] for u in rows if u.key in choices}
        self.endResetModel()

    def choices(self) -> dict[str, str]:
        """RowUpdate.key -> keep-ledger / take-file."""
        return dict(self._choices)

    def undecided(self) -> int:
        """Conflicts without a choice yet."""
        return sum(1 for u in self._rows if u.key not in self._choices)

    def choose_all(self, choice: str) -> None:
        """The same choice for every conflict."""
        self._choices = {u.key: choice for u in self._rows}
        if self._rows:
            self.dataChanged.emit(self.index(0, CHOICE_COLUMN),
                                  self.index(len(self._rows) - 1, CHOICE_COLUMN))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(CONFLICT_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(CONFLICT_HEADERS)):
            return QApplication.translate("ImportWizard", CONFLICT_HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == CHOICE_COLUMN:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        u, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            choice = CHOICE_LABELS.get(self._choices.get(u.key, ""), "（请选择）")
            return (u.key, "；".join(c.describe() for c in u.changes), u.conflict, choice)[col]
        if role == Qt.ItemDataRole.EditRole and col == CHOICE_COLUMN:
            return self._choices.get(u.key, "")
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return u.describe()
        if role == Qt.ItemDataRole.BackgroundRole and u.key not in self._choices:
            return WARN_BRUSH
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != CHOICE_COLUMN or value not in CHOICE_LABELS):
            return False
        self._choices[self._rows[index.row()].key] = str(value)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), CHOICE_COLUMN))
        return True
