"""Write one ledger sheet in openpyxl's streaming (write-only) mode: title, 填报单位 line,
header repeated on every page, one row per measure with the problem's cells merged, the hidden
round-trip id columns, the signature block, and A4-landscape print settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from tracker.excel.export_options import (
    GROUP_PREFIX,
    ID_HEADERS,
    NO_SOURCE,
    Column,
    ExportOptions,
    Level,
)
from tracker.excel.export_rows import LedgerBlock
from tracker.excel.layout import (
    MARGIN_BOTTOM_IN,
    MARGIN_FOOTER_IN,
    MARGIN_SIDE_IN,
    MARGIN_TOP_IN,
    HeightPlanner,
    PageFlow,
    grow,
    lines_height,
    page_room,
)
from tracker.excel.styles import LedgerStyles
from tracker.excel.sheet_xml import XmlSheet, number_xml, text_xml
from tracker.summary import cn_date
from tracker.text import clean_text

HEADER_ROW = 3  # title on 1, 填报单位/填报日期 on 2
FOOTER_TEXT = "第 &P 页 共 &N 页"
ID_WIDTH = 10
PAPER_A4 = "9"  # ECMA-376 paper size code


def text_cell(ws: Any, value: str, style: Any) -> WriteOnlyCell:
    """A styled cell that is always text: user text starting with = + - @ never becomes a
    formula (and #N/A never an error value); control characters, which no .xlsx can hold
    (lxml refuses the whole file), are removed."""
    cell = WriteOnlyCell(ws)
    if value and not value.isprintable():  # printable text has nothing to clean (the usual case)
        value = clean_text(value)
    cell._value = value if value else None
    cell.data_type = "s"
    if style is not None:
        cell._style = style
    return cell


def number_cell(ws: Any, value: int | None, style: Any) -> WriteOnlyCell:
    """A styled numeric cell (the hidden ids and versions)."""
    cell = WriteOnlyCell(ws)
    cell._value = value
    cell.data_type = "n"
    if style is not None:
        cell._style = style
    return cell


def setup_page(ws: Any, header_row: int | None, landscape: bool = True) -> None:
    """A4 landscape, one page wide, header row repeated, page numbers in the footer, panes
    frozen under the header. Must run before the first row is appended."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE_IN
    ws.page_margins.top = MARGIN_TOP_IN
    ws.page_margins.bottom = MARGIN_BOTTOM_IN
    ws.page_margins.header = MARGIN_FOOTER_IN
    ws.page_margins.footer = MARGIN_FOOTER_IN
    ws.oddFooter.center.text = FOOTER_TEXT
    ws.oddFooter.center.size = 10
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = f"A{header_row + 1}"


class LedgerSheetWriter:
    """Streams one ledger sheet; call ``write(blocks)`` once. The table's rows are written as
    XML text (sheet_xml), each column's cell style numbered once."""

    sheet_class: type[XmlSheet] = XmlSheet

    def __init__(
        self, wb: Workbook, name: str, title: str, columns: Sequence[Column],
        widths: Sequence[float], options: ExportOptions, styles: LedgerStyles,
        group_sources: bool = False,
    ) -> None:
        self.ws = self.sheet_class.add_to(wb, name)
        # 问题来源 as a full-width row above each source's problems instead of a column
        self.group_sources = group_sources
        self.last_source: str | None = None
        self.title = title
        self.columns = list(columns)
        self.options = options
        self.styles = styles
        self.n = len(columns)
        self.merged_cols = [i for i, c in enumerate(columns) if c.level is Level.PROBLEM]
        self.planner = HeightPlanner(widths, [c.level is Level.PROBLEM for c in columns],
                                     options.font_size)
        ws = self.ws
        self.body_ids = [ws.style_id(s) for s in styles.column_styles([c.key for c in columns])]
        self.plain_id = ws.style_id(styles.plain)
        self.status_ids = {st: ws.style_id(style) for st, style in styles.status.items()}
        self.overdue_id = ws.style_id(styles.overdue)
        self.status_col = next((i for i, c in enumerate(columns) if c.key == "status"), None)
        letters = [get_column_letter(i) for i in range(1, self.n + len(ID_HEADERS) + 1)]
        self.letters = letters[:self.n]
        self.id_letters = letters[self.n:]
        # Continuation lines leave a problem-level cell empty (the merge above shows it).
        self.keep_later = [c.level is Level.MEASURE for c in columns]
        self.merge_letters = [letters[i] for i in self.merged_cols]
        self.rows_written = 0
        self.room = page_room(widths)
        self.flow: PageFlow | None = None
        dims = ws.column_dimensions
        for i, w in enumerate(widths, start=1):
            dims[get_column_letter(i)].width = w
        for i in range(self.n + 1, self.n + 1 + len(ID_HEADERS)):
            dims[get_column_letter(i)].width = ID_WIDTH
            dims[get_column_letter(i)].hidden = True
        setup_page(ws, HEADER_ROW)

    @property
    def row(self) -> int:
        """The last row written."""
        return self.ws.rows_done

    def _append(self, cells: list[Any], height: float | None = None) -> None:
        self.ws.append(cells, height)

    def _merge(self, first_col: int, first_row: int, last_col: int, last_row: int) -> None:
        self.ws.merge(first_col, first_row, last_col, last_row)

    def _pair_line(self, left: str, right: str, right_style: Any) -> None:
        """Two texts on one row, each merged across half the table (one cell if too narrow)."""
        ws, st, n = self.ws, self.styles, self.n
        height = lines_height(1, self.options.font_size + 1) + 4
        if n < 2:
            self._append([text_cell(ws, f"{left}　　{right}", st.meta_left)], height)
            return
        half = n // 2
        row = [text_cell(ws, left, st.meta_left)] + [None] * (half - 1)
        self._append(row + [text_cell(ws, right, right_style)], height)
        if half > 1:
            self._merge(1, self.row, half, self.row)
        if n - half > 1:
            self._merge(half + 1, self.row, n, self.row)

    def write_head(self) -> None:
        """Title, 填报单位/填报日期 line and the bordered header (with the hidden id headers)."""
        st, ws, n = self.styles, self.ws, self.n
        self._append([text_cell(ws, self.title, st.title)], self.options.title_size * 2.0)
        self._merge(1, 1, n, 1)
        self._pair_line(f"填报单位：{self.options.org}", f"填报日期：{cn_date(self.options.day)}",
                        st.meta_right)
        head = [text_cell(ws, c.header, st.header) for c in self.columns]
        head += [text_cell(ws, h, st.plain) for h in ID_HEADERS]
        height = max(self.planner.heights([[c.header for c in self.columns]])[0],
                     lines_height(1, self.options.font_size + 0.5))
        self._append(head, height)
        used = self.options.title_size * 2.0 + lines_height(1, self.options.font_size + 1) + 4
        self.flow = PageFlow(self.room, height, used + height)

    def write_block(self, block: LedgerBlock) -> None:
        """The lines of one problem, its problem-level cells merged across them (across each
        part, when the page flow splits the problem between two pages)."""
        ws = self.ws
        own, shared = self.planner.parts([line.texts for line in block.lines])
        split: int | None = None
        if self.flow is None:
            heights = grow(own, shared)
        else:
            brk, split, heights = self.flow.place(own, shared)
            if brk:
                ws.page_break_after(self.row)
        first = self.row + 1
        letters, ids, keep_later = self.letters, self.body_ids, self.keep_later
        status_col, a, b, c, d = self.status_col, *self.id_letters
        plain = self.plain_id
        for k, (line, height) in enumerate(zip(block.lines, heights)):
            if k == split:
                ws.page_break_after(self.row)
            r = self.row + 1
            cells = [text_xml(f"{letter}{r}", sid, text if k == 0 or keep else "")
                     for letter, sid, text, keep in zip(letters, ids, line.texts, keep_later)]
            if status_col is not None:
                sid = self.overdue_id if line.overdue else self.status_ids[line.status]
                cells[status_col] = text_xml(f"{letters[status_col]}{r}", sid,
                                             line.texts[status_col])
            cells.append(number_xml(f"{a}{r}", plain, line.problem_id))
            cells.append(number_xml(f"{b}{r}", plain, line.measure_id))
            cells.append(number_xml(f"{c}{r}", plain, line.problem_version))
            cells.append(number_xml(f"{d}{r}", plain, line.measure_version))
            ws.append_xml("".join(cells), height)
        parts = [(first, self.row)] if split is None else [(first, first + split - 1),
                                                              (first + split, self.row)]
        refs = ws.merge_refs
        for top, bottom in parts:
            if bottom > top:
                refs.extend(f"{letter}{top}:{letter}{bottom}" for letter in self.merge_letters)
        self.rows_written += len(block.lines)

    def write_group(self, block: LedgerBlock) -> None:
        """The "问题来源：…" row merged across the table, before the first problem of a source
        (kept on the same page as that problem's first line)."""
        ws, n = self.ws, self.n
        label = GROUP_PREFIX + (block.source or NO_SOURCE)
        height = self.planner.group_height(label)
        if self.flow is not None:
            own, shared = self.planner.parts([line.texts for line in block.lines[:1]])
            if self.flow.keep_with_next(height, max(own[0], shared)):
                ws.page_break_after(self.row)
        style = self.styles.group
        self._append([text_cell(ws, label, style)] + [text_cell(ws, "", style)] * (n - 1),
                     height)
        if n > 1:
            self._merge(1, self.row, n, self.row)

    def write_foot(self) -> None:
        """The 填报人 / 联系电话 block under the table."""
        self._append([], lines_height(1, self.options.font_size))
        self._pair_line(f"填报人：{self.options.filler}", f"联系电话：{self.options.phone}",
                        self.styles.meta_left)

    def write(self, blocks: Iterable[LedgerBlock],
              tick: Callable[[int], None] | None = None) -> int:
        """Write the whole sheet; ``tick(problems_done)`` after each problem. Returns rows."""
        self.write_head()
        done = 0
        for block in blocks:
            if self.group_sources and block.source != self.last_source:
                self.last_source = block.source
                self.write_group(block)
            self.write_block(block)
            done += 1
            if tick is not None:
                tick(done)
        self.write_foot()
        return self.rows_written
