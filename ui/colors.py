"""三色预警: which warning a problem shows (overdue, due soon, due later, done, closed) and
the colours for it, shared by the table, the side panel, the detail pane and the legend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from tracker import rules
from tracker.domain import ProblemRow


# The bands themselves are a core rule (tracker.rules), shared with the exports.
Band = rules.Band


@dataclass(frozen=True)
class Palette:
    """Row background, strong text colour and the swatch for one warning band."""

    background: QColor
    foreground: QColor
    swatch: QColor


PALETTES: dict[Band, Palette] = {
    Band.OVERDUE: Palette(QColor("#fbd3d0"), QColor("#b3261e"), QColor("#d93025")),
    Band.SOON: Palette(QColor("#ffe7b3"), QColor("#8a5300"), QColor("#f29900")),
    Band.LATER: Palette(QColor("#d6e6fb"), QColor("#174ea6"), QColor("#1a73e8")),
    Band.DONE: Palette(QColor("#d4eed8"), QColor("#146c2e"), QColor("#1e8e3e")),
    Band.CLOSED: Palette(QColor("#ececec"), QColor("#6b6b6b"), QColor("#9aa0a6")),
}


def warning_of(row: ProblemRow, as_of: dt.date, soon_days: int, later_days: int) -> Band:
    """The band of a problem on ``as_of`` (tracker.rules.band)."""
    return rules.band(row.status, row.open_deadline, as_of, soon_days, later_days)


def warning_label(band: Band, soon_days: int, later_days: int) -> str:
    """The legend's words for a band."""
    tr = QCoreApplication.translate
    labels = {
        Band.OVERDUE: tr("colors", "逾期"),
        Band.SOON: tr("colors", "{n}天内到期").format(n=soon_days),
        Band.LATER: tr("colors", "{n}天内到期").format(n=later_days),
        Band.DONE: tr("colors", "已完成待销号"),
        Band.CLOSED: tr("colors", "已销号"),
        Band.NONE: tr("colors", "正常推进"),
    }
    return labels[band]


def deadline_hint(row: ProblemRow, as_of: dt.date) -> str:
    """A few words after the deadline: 逾期12天, 还剩3天, 今天到期 (empty when not open).
    When the earliest open measure is due before the problem's last deadline, the words say
    it is a measure, so "2027年7月底前（措施逾期12天）" does not read as a contradiction."""
    if not row.status.is_open:
        return ""
    left = row.days_left(as_of)
    tr = QCoreApplication.translate
    if left is None:
        return ""
    if left < 0:
        text = tr("colors", "逾期{n}天").format(n=-left)
    elif left == 0:
        text = tr("colors", "今天到期")
    else:
        text = tr("colors", "还剩{n}天").format(n=left)
    if row.deadline is not None and row.open_deadline != row.deadline:
        return tr("colors", "措施{text}").format(text=text)
    return text
