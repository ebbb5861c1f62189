"""How a problem looks in the ledger table: its columns, the text, tooltip, colours and font
of each cell. The colours follow ui.colors (tracker.rules underneath), so the first rows
painted before the ledger opens (ui.first_paint) look exactly as the rows read after."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont

from tracker.domain import ProblemRow
from ui.colors import PALETTES, Band, deadline_hint, warning_of


class Column(IntEnum):
    """The table's columns, in order."""

    SEQ = 0
    SOURCE = 1
    CATEGORY = 2
    DESCRIPTION = 3
    LEAD_UNIT = 4
    OWNER = 5
    DEADLINE = 6
    STATUS = 7
    PROGRESS = 8


HEADERS = {
    Column.SEQ: "序号", Column.SOURCE: "问题来源", Column.CATEGORY: "类别",
    Column.DESCRIPTION: "存在问题", Column.LEAD_UNIT: "牵头单位", Column.OWNER: "责任人",
    Column.DEADLINE: "整改时限", Column.STATUS: "状态", Column.PROGRESS: "进度",
}
SORT_KEYS = {
    Column.SEQ: "seq", Column.SOURCE: "source", Column.CATEGORY: "category",
    Column.DESCRIPTION: "description", Column.LEAD_UNIT: "lead_unit", Column.OWNER: "owner",
    Column.DEADLINE: "deadline", Column.STATUS: "status", Column.PROGRESS: "progress",
}
PROBLEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BAND_ROLE = Qt.ItemDataRole.UserRole + 2
CENTERED = {Column.SEQ, Column.STATUS, Column.PROGRESS}
STRONG = {Column.DEADLINE, Column.STATUS}
_BAND_ROLES = {int(r) for r in (BAND_ROLE, Qt.ItemDataRole.BackgroundRole,
                                Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)}

_BOLD = QFont()
_BOLD.setBold(True)


def cell_data(p: ProblemRow, col: Column, role: int, as_of: dt.date, soon_days: int,
              later_days: int) -> Any:
    """The value of one cell of ``p`` for a Qt item role (None when the role has none)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return cell_text(p, col, as_of)
    if role == Qt.ItemDataRole.ToolTipRole:
        return cell_tooltip(p, col, as_of)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter) if col in CENTERED else None
    if int(role) not in _BAND_ROLES or (role == Qt.ItemDataRole.FontRole and col not in STRONG):
        return None  # Qt asks for a dozen roles per cell: the band only for these
    band = warning_of(p, as_of, soon_days, later_days)
    if role == BAND_ROLE:
        return band.value
    if role == Qt.ItemDataRole.BackgroundRole:
        return PALETTES[band].background if band in PALETTES else None
    if role == Qt.ItemDataRole.ForegroundRole:
        if band in PALETTES and (col in STRONG or band is Band.CLOSED):
            return PALETTES[band].foreground
        return None
    return _BOLD if band is Band.OVERDUE else None  # FontRole of a STRONG column


def cell_text(p: ProblemRow, col: Column, as_of: dt.date) -> str:
    """The text a cell shows."""
    if col is Column.SEQ:
        return str(p.seq)
    if col is Column.SOURCE:
        return p.source
    if col is Column.CATEGORY:
        return p.category
    if col is Column.DESCRIPTION:
        return " ".join(p.description.split())
    if col is Column.LEAD_UNIT:
        return p.lead_unit
    if col is Column.OWNER:
        return p.owner
    if col is Column.DEADLINE:
        hint = deadline_hint(p, as_of)
        # The days first: in a narrow column "逾期652天" is what must stay readable.
        return f"{hint} · {p.deadline_text}" if hint and p.deadline_text else p.deadline_text
    if col is Column.STATUS:
        return p.status.label
    return f"{p.measures_done}/{p.measures_total}"


def cell_tooltip(p: ProblemRow, col: Column, as_of: dt.date) -> str | None:
    """The tooltip of a cell, if it has one."""
    if col is Column.DESCRIPTION:
        return p.description
    if col is Column.SOURCE:
        return p.source or None
    if col is Column.DEADLINE:
        return deadline_hint(p, as_of) or p.deadline_text or None
    if col is Column.PROGRESS:
        return QCoreApplication.translate("ProblemTable", "已完成措施 {done} 项，共 {total} 项").format(
            done=p.measures_done, total=p.measures_total)
    return None
