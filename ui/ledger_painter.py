"""The printed ledger drawn with QPainter by the same rules as the Excel ledger (title, header
repeated on every page, a problem's cells merged across its measure rows, status colours,
第 N 页 共 M 页): the job read from the ledger, the painter, and the PDF writer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPagedPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.errors import TrackerError
from tracker.excel.export import default_title
from tracker.excel.export_data import column_extents, iter_problems, select_problems
from tracker.excel.export_options import (
    DEFAULT_COLUMNS,
    DEFAULT_TABLE_FONT,
    DEFAULT_TITLE_FONT,
    ORG_SETTING,
    Column,
    Level,
    check_columns,
)
from tracker.excel.export_rows import LedgerBlock, build_block
from tracker.excel.layout import HEADER_SPARE, fit_widths
from tracker.excel.styles import CENTRED_KEYS, HEADER_FILL, OVERDUE_FILL, OVERDUE_FONT, STATUS_FILLS
from tracker.services.reference import get_setting
from tracker.summary import cn_date

ProgressFn = Callable[[int, int, str], None]
MARGINS_MM = QMarginsF(10, 12, 10, 10)
PDF_DPI = 300
PAD_PT = 3.0  # text inset above and below, inside a cell
SIDE_PAD_PT = 2.0  # and left and right: within the 6 px Excel allows, so headers never wrap
FOOTER_PT = 16.0
PREVIEW_WARN_PROBLEMS = 3000  # a preview keeps every page in memory
FALLBACK_FAMILIES = ["SimSun", "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


def _argb(hex_argb: str) -> QColor:
    return QColor("#" + hex_argb[-6:])


@dataclass
class PrintJob:
    """Everything a printout needs, read from the ledger beforehand (in a worker thread)."""

    title: str
    org: str
    day: dt.date
    columns: tuple[Column, ...]
    widths: list[float]
    blocks: list[LedgerBlock] = field(default_factory=list)
    table_font: str = DEFAULT_TABLE_FONT
    title_font: str = DEFAULT_TITLE_FONT
    font_size: float = 10.0


def load_job(
    ledger: Ledger, flt: ProblemFilter, title: str = "", *, org: str | None = None,
    day: dt.date | None = None, columns: tuple[str, ...] = DEFAULT_COLUMNS,
    progress: ProgressFn | None = None,
) -> PrintJob:
    """Read the filtered problems into printable blocks (safe to run off the GUI thread)."""
    day = day or clock.today()
    flt = dataclasses.replace(flt, as_of=flt.as_of or day)
    cols = check_columns(columns)
    org = get_setting(ledger, ORG_SETTING) if org is None else org
    job = PrintJob(title.strip() or default_title(ledger, flt, org), org, day, cols,
                   fit_widths(cols, column_extents(ledger, flt, day), 10.0,
                              header_spare=HEADER_SPARE))
    selection = select_problems(ledger, flt)
    for n, problem in enumerate(iter_problems(ledger, selection), start=1):
        job.blocks.append(build_block(problem, n, cols, day, flt.unit))
        if progress is not None and n % 200 == 0:
            progress(n, len(selection), _tr("正在读取问题…"))
    return job


def _font(family: str, size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies([family, *FALLBACK_FAMILIES])
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


@dataclass
class _Piece:
    """A run of one block's lines placed on one page."""

    block: LedgerBlock
    first: int
    last: int  # exclusive
    y: float
    heights: list[float]
    shared: float  # height the problem's own cells need to show their text whole


class LedgerPainter:
    """Lays a PrintJob out on pages of a paint device and draws them."""

    def __init__(self, job: PrintJob, device: QPagedPaintDevice) -> None:
        self.job = job
        self.device = device
        dpi = device.logicalDpiX()  # a printer's or PDF writer's resolution
        rect = device.pageLayout().paintRectPixels(dpi)
        self.page_w, self.page_h = float(rect.width()), float(rect.height())
        self.px = dpi / 72.0  # device pixels per point
        # Shrink like Excel's "one page wide" so paper looks the same from both.
        sheet_pt = sum(w * 7 + 5 for w in job.widths) * 0.75
        self.scale = min(1.0, self.page_w / (sheet_pt * self.px))
        size = job.font_size * self.scale
        self.body = _font(job.table_font, size)
        self.bold = _font(job.title_font, size + 0.5, bold=True)
        self.title_font = _font(job.title_font, 18 * self.scale)
        self.meta_font = _font(job.table_font, size + 1)
        total = sum(job.widths)
        self.col_w = [self.page_w * w / total for w in job.widths]
        self.col_x = [sum(self.col_w[:i]) for i in range(len(self.col_w))]
        self.merged = [c.level is Level.PROBLEM for c in job.columns]
        self.pad = PAD_PT * self.px
        self.side = SIDE_PAD_PT * self.px
        self.status_col = next((i for i, c in enumerate(job.columns) if c.key == "status"), -1)

    # ------------------------------------------------------------- measuring

    def _text_h(self, font: QFont, text: str, width: float) -> float:
        fm = QFontMetricsF(font, self.device)
        if not text:
            return fm.height()
        box = fm.boundingRect(QRectF(0, 0, max(1.0, width - 2 * self.side), 1e9),
                              int(Qt.TextFlag.TextWordWrap), text)
        return box.height()

    def _line_heights(self, block: LedgerBlock) -> tuple[list[float], float]:
        """Each line's height, and the height the problem's own (merged) cells need."""
        own = []
        for line in block.lines:
            own.append(max(self._text_h(self.body, t, w) for t, w, m in
                           zip(line.texts, self.col_w, self.merged)
                           if not m or len(block.lines) == 1) + 2 * self.pad)
        shared = max((self._text_h(self.body, t, w) for t, w, m in
                      zip(block.lines[0].texts, self.col_w, self.merged) if m),
                     default=0.0) + 2 * self.pad
        extra = shared - sum(own)
        if extra > 0:
            own = [h + extra / len(own) for h in own]
        return own, shared

    def _header_h(self) -> float:
        return max(self._text_h(self.bold, c.header, w)
                   for c, w in zip(self.job.columns, self.col_w)) + 2 * self.pad

    def _top_h(self) -> float:
        return (self._text_h(self.title_font, self.job.title, self.page_w) * 1.6
                + self._text_h(self.meta_font, "填报", self.page_w) * 1.5)

    def paginate(self) -> list[list[_Piece]]:
        """Blocks placed on pages. A block that does not fit the rest of a page is split
        between measure rows when the first part can show the problem's text whole (the
        problem cells are drawn again on the next page); otherwise it moves to the next page."""
        head = self._header_h()
        bottom = self.page_h - FOOTER_PT * self.px
        pages: list[list[_Piece]] = [[]]
        top = y = self._top_h() + head
        for block in self.job.blocks:
            hs, shared = self._line_heights(block)
            if y + sum(hs) > bottom and y > top and sum(hs) <= bottom - head:
                fits = 0.0
                for h in hs:
                    if y + fits + h > bottom:
                        break
                    fits += h
                if fits < shared or fits == 0:
                    pages.append([])
                    top = y = head
            k = 0
            while k < len(hs):
                first, start_y = k, y
                # A single line taller than a whole page still goes on a fresh page (clipped).
                while k < len(hs) and (y + hs[k] <= bottom or (k == first and y == top)):
                    y += hs[k]
                    k += 1
                if k > first:
                    pages[-1].append(_Piece(block, first, k, start_y, hs, shared))
                if k < len(hs):
                    pages.append([])
                    top = y = head
        return pages

    # ------------------------------------------------------------- drawing

    def _cell(self, p: QPainter, rect: QRectF, text: str, font: QFont, centred: bool,
              fill: QColor | None = None, colour: QColor | None = None) -> None:
        if fill is not None:
            p.fillRect(rect, fill)
        p.drawRect(rect)
        if text:
            p.save()
            p.setFont(font)
            if colour is not None:
                p.setPen(colour)
            inner = rect.adjusted(self.side, self.pad, -self.side, -self.pad)
            align = (Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignLeft)
            p.setClipRect(rect)
            p.drawText(inner, int(align | Qt.AlignmentFlag.AlignVCenter
                                  | Qt.TextFlag.TextWordWrap), text)
            p.restore()

    def _draw_header(self, p: QPainter, y: float) -> float:
        h = self._header_h()
        for c, x, w in zip(self.job.columns, self.col_x, self.col_w):
            self._cell(p, QRectF(x, y, w, h), c.header, self.bold, True, _argb(HEADER_FILL))
        return y + h

    def _draw_piece(self, p: QPainter, piece: _Piece) -> None:
        lines = piece.block.lines
        hs = piece.heights
        total = sum(hs[piece.first:piece.last])
        y = piece.y
        carried = piece.first > 0 and total < piece.shared  # the text is on the page before
        for i, (c, x, w) in enumerate(zip(self.job.columns, self.col_x, self.col_w)):
            if self.merged[i]:
                text = lines[0].texts[i]
                if carried and text:
                    text = _tr("（续上页）")
                self._cell(p, QRectF(x, y, w, total), text, self.body, c.key in CENTRED_KEYS)
        for k in range(piece.first, piece.last):
            line = lines[k]
            for i, (c, x, w) in enumerate(zip(self.job.columns, self.col_x, self.col_w)):
                if self.merged[i]:
                    continue
                fill = colour = None
                font = self.body
                if i == self.status_col:
                    fill = _argb(OVERDUE_FILL if line.overdue else STATUS_FILLS[line.status])
                    if line.overdue:
                        colour, font = _argb(OVERDUE_FONT), self.bold
                self._cell(p, QRectF(x, y, w, hs[k]), line.texts[i], font,
                           c.key in CENTRED_KEYS, fill, colour)
            y += hs[k]

    def paint(self, progress: ProgressFn | None = None) -> int:
        """Draw every page; returns how many."""
        pages = self.paginate()
        p = QPainter()
        if not p.begin(self.device):
            raise TrackerError(_tr("无法开始打印：打印机或文件不可用。"))
        try:
            p.setPen(QPen(QColor("black"), max(1.0, 0.5 * self.px)))
            for n, pieces in enumerate(pages, start=1):
                if n > 1:
                    self.device.newPage()
                y = 0.0
                if n == 1:
                    y = self._draw_top(p)
                self._draw_header(p, y)
                for piece in pieces:
                    self._draw_piece(p, piece)
                p.setFont(self.meta_font)
                p.drawText(QRectF(0, self.page_h - FOOTER_PT * self.px, self.page_w,
                                  FOOTER_PT * self.px), int(Qt.AlignmentFlag.AlignCenter),
                           _tr("第 {n} 页 共 {m} 页").format(n=n, m=len(pages)))
                if progress is not None:
                    progress(n, len(pages), _tr("正在生成页面…"))
        finally:
            p.end()
        return len(pages)

    def _draw_top(self, p: QPainter) -> float:
        title_h = self._text_h(self.title_font, self.job.title, self.page_w) * 1.6
        p.setFont(self.title_font)
        p.drawText(QRectF(0, 0, self.page_w, title_h),
                   int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.job.title)
        meta_h = self._text_h(self.meta_font, "填报", self.page_w) * 1.5
        p.setFont(self.meta_font)
        row = QRectF(0, title_h, self.page_w, meta_h)
        p.drawText(row, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   _tr("填报单位：{org}").format(org=self.job.org))
        p.drawText(row, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   _tr("填报日期：{day}").format(day=cn_date(self.job.day)))
        return title_h + meta_h


def page_layout() -> QPageLayout:
    """A4 landscape with the ledger's margins."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                       MARGINS_MM, QPageLayout.Unit.Millimeter)


def render_pdf(
    ledger: Ledger, flt: ProblemFilter, path: str | os.PathLike[str], title: str = "", *,
    org: str | None = None, day: dt.date | None = None,
    columns: tuple[str, ...] = DEFAULT_COLUMNS, progress: ProgressFn | None = None,
) -> int:
    """Write the filtered ledger as a PDF; returns the number of pages."""
    job = load_job(ledger, flt, title, org=org, day=day, columns=columns, progress=progress)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    writer.setTitle(job.title)
    writer.setCreator("整改台账")
    return LedgerPainter(job, writer).paint(progress)
