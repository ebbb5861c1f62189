"""Per-unit bar chart for the dashboard, painted with QPainter (QtCharts is not in
PySide6-Essentials): one bar per unit, done green, open blue, overdue red."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from tracker.summary import UnitCounts
from ui.colors import PALETTES, Band

ROW_HEIGHT = 26
BAR_HEIGHT = 16
LEGEND_HEIGHT = 30
SEGMENTS = (  # (what, colour): the three parts of a bar, left to right
    ("已完成", PALETTES[Band.DONE].swatch),
    ("未完成", PALETTES[Band.LATER].swatch),
    ("逾期", PALETTES[Band.OVERDUE].swatch),
)


def parts(u: UnitCounts) -> tuple[int, int, int]:
    """(done, open but not overdue, overdue) of a unit; they add up to its total."""
    return u.completed, u.open - u.overdue, u.overdue


def number_text(widget: QWidget, u: UnitCounts) -> str:
    """The figures after a bar. 配合 (problems the unit only co-operates on) is not part of the
    bar or of 共: a problem is counted once, under its lead unit."""
    text = widget.tr("共 {t} · 逾期 {o}").format(t=u.total, o=u.overdue)
    if u.cooperating:
        text += widget.tr(" · 配合 {c}").format(c=u.cooperating)
    return text


class UnitChart(QWidget):
    """Horizontal stacked bars, longest total = full width; numbers at the end of each bar."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.units: list[UnitCounts] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(420)

    def set_units(self, units: list[UnitCounts]) -> None:
        """Show these units (in the given order)."""
        self.units = list(units)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, LEGEND_HEIGHT + max(1, len(self.units)) * ROW_HEIGHT + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        self._legend(p, fm)
        if not self.units:
            p.setPen(QColor("#888888"))
            p.drawText(QRectF(0, LEGEND_HEIGHT, self.width(), ROW_HEIGHT),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.tr("没有按单位统计的数据。"))
            p.end()
            return
        name_w = min(max(fm.horizontalAdvance(u.unit) for u in self.units) + 12,
                     self.width() // 3)
        number_w = fm.horizontalAdvance(self.tr("共 00000 · 逾期 00000 · 配合 00000")) + 12
        bar_w = max(40, self.width() - name_w - number_w - 8)
        top = max(u.total for u in self.units) or 1
        for row, u in enumerate(self.units):
            y = LEGEND_HEIGHT + row * ROW_HEIGHT
            p.setPen(self.palette().text().color())
            name = fm.elidedText(u.unit, Qt.TextElideMode.ElideRight, name_w - 8)
            p.drawText(QRectF(0, y, name_w - 8, ROW_HEIGHT),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            x = float(name_w)
            bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
            for n, (_label, color) in zip(parts(u), SEGMENTS, strict=True):
                w = bar_w * n / top
                if w > 0:
                    p.fillRect(QRectF(x, bar_y, w, BAR_HEIGHT), color)
                    x += w
            p.setPen(PALETTES[Band.OVERDUE].foreground if u.overdue
                     else self.palette().text().color())
            text = number_text(self, u)
            p.drawText(QRectF(x + 6, y, number_w, ROW_HEIGHT),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetrics) -> None:
        x = 4.0
        for label, color in SEGMENTS:
            p.fillRect(QRectF(x, 8, 14, 14), color)
            x += 20
            text = self.tr(label)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(x, 0, fm.horizontalAdvance(text) + 4, LEGEND_HEIGHT),
                       Qt.AlignmentFlag.AlignVCenter, text)
            x += fm.horizontalAdvance(text) + 18
