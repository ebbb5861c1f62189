"""A write-only worksheet whose rows are written as XML text, for the ledger sheet's hundreds of
thousands of rows. openpyxl's streaming writer builds a cell object and an lxml element per
cell (about 20 µs: two thirds of a 100,000-problem export); here a cell is one f-string with
a style id looked up once per workbook. The sheet's other parts (columns, panes, print setup,
footer) are still openpyxl's own objects, serialised by openpyxl, so they stay as they were.

The file is UTF-8 (openpyxl writes ASCII with a character reference per CJK character: a
third larger). What a reader sees is the same: values, styles, heights, merges, breaks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from openpyxl.cell import Cell
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

from tracker.excel.writer_stream import MAX_COLUMN_INDEX, StreamSheet
from tracker.text import clean_text

_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         f'<worksheet xmlns="{SHEET_MAIN_NS}">')
_FLUSH_CHARS = 1 << 20  # buffered text written to the file in pieces of about this size


def xml_text(text: str) -> str:
    """``text`` escaped for an XML text node (no control characters: callers clean them)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def text_xml(ref: str, style: int, text: str) -> str:
    """One inline-string cell, as openpyxl writes it (leading or trailing blanks preserved)."""
    if not text:
        return f'<c r="{ref}" s="{style}" t="inlineStr"/>'
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>'


def number_xml(ref: str, style: int, value: int | None) -> str:
    """One numeric cell (None: an empty cell that keeps its style)."""
    if value is None:
        return f'<c r="{ref}" s="{style}" t="n"/>'
    return f'<c r="{ref}" s="{style}" t="n"><v>{value}</v></c>'


def row_xml(row: int, cells: str, height: float | None) -> str:
    """A whole row: its cells' XML inside, its height when set."""
    if height is None:
        return f'<row r="{row}">{cells}</row>'
    return f'<row r="{row}" ht="{height:.16g}" customHeight="1">{cells}</row>'


class _Sink:
    """Stands where openpyxl's lxml stream was: serialises the elements it is sent."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def send(self, el: Any) -> None:
        if el is not None and el is not True:
            self.out.write(tostring(el).decode("utf-8"))


class _TextWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its element stream replaced by a text file; merges
    and row breaks are written as text too (a 100,000-problem sheet has 500,000 merges)."""

    ws: XmlSheet

    def __init__(self, ws: XmlSheet) -> None:  # no super(): it would open an lxml stream
        self.ws = ws
        ws._hyperlinks = []
        ws._comments = []
        self.out = create_temporary_file()
        self._rels = RelationshipList()
        self.file: IO[str] = open(self.out, "w", encoding="utf-8", newline="")
        self.file.write(_HEAD)
        self.xf = _Sink(self.file)

    def write_merged_cells(self) -> None:
        refs = self.ws.merge_refs
        if refs:
            self.file.write(f'<mergeCells count="{len(refs)}">')
            self.file.writelines(f'<mergeCell ref="{ref}"/>' for ref in refs)
            self.file.write("</mergeCells>")

    def write_breaks(self) -> None:
        rows = self.ws.break_rows
        if rows:
            self.file.write(f'<rowBreaks count="{len(rows)}" manualBreakCount="{len(rows)}">')
            self.file.writelines(f'<brk id="{r}" max="{MAX_COLUMN_INDEX}" man="1"/>'
                                 for r in rows)
            self.file.write("</rowBreaks>")

    def close(self) -> None:
        if not self.file.closed:
            self.file.write("</worksheet>")
            self.file.close()

    def cleanup(self) -> None:
        """Close (on cancel, unfinished) and remove the temporary file."""
        if not self.file.closed:
            self.file.close()
        super().cleanup()


class XmlSheet(StreamSheet):
    """A streaming sheet fed whole rows of XML text (``append_xml``); ``append`` still takes
    a list of styled cells (or None for a gap) for the few rows around the table."""

    _writer: _TextWriter | None  # type: ignore[assignment]

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self.rows_done = 0
        self._buffer: list[str] = []
        self._buffered = 0
        self._finished = False
        self._letters = [get_column_letter(i) for i in range(1, 65)]

    @classmethod
    def add_to(cls, wb: Workbook, title: str) -> XmlSheet:
        """Create the sheet as the workbook's last sheet."""
        ws = cls(wb, title)
        wb._add_sheet(ws)
        return ws

    @property
    def closed(self) -> bool:
        """True once the sheet is written out (openpyxl asks before saving)."""
        return self._finished

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _TextWriter(self)
            self._writer.write_top()
            self._writer.file.write("<sheetData>")

    def append_xml(self, cells: str, height: float | None = None) -> int:
        """Add the next row from its cells' XML; returns the row's number."""
        if self._writer is None:
            self._get_writer()
        self.rows_done += 1
        text = row_xml(self.rows_done, cells, height)
        self._buffer.append(text)
        self._buffered += len(text)
        if self._buffered > _FLUSH_CHARS:
            self._flush()
        return self.rows_done

    def append(self, row: Iterable[Any], height: float | None = None) -> None:  # type: ignore[override]
        """Add the next row from styled cells (text or numbers) or None for a gap."""
        parts = []
        letters, r = self._letters, self.rows_done + 1
        for col, cell in enumerate(row):
            if cell is not None:
                letter = letters[col] if col < len(letters) else get_column_letter(col + 1)
                parts.append(self._cell_xml(f"{letter}{r}", cell))
        self.append_xml("".join(parts), height)

    def _cell_xml(self, ref: str, cell: Cell) -> str:
        # An unstyled cell: style 0, the workbook's default (what a missing s="" means too)
        style = 0 if cell._style is None else self.style_id(cell._style)
        if cell.data_type == "n":
            return number_xml(ref, style, cell._value)
        value = cell._value or ""
        if not value.isprintable():
            value = clean_text(value)
        return text_xml(ref, style, value)

    def _flush(self) -> None:
        if self._writer is not None and self._buffer:
            self._writer.file.write("".join(self._buffer))
        self._buffer.clear()
        self._buffered = 0

    def close(self) -> None:
        """Finish the file: the rows, then merges, print setup, footer and breaks."""
        if self._finished:
            return
        self._get_writer()
        assert self._writer is not None
        self._flush()
        self._writer.file.write("</sheetData>")
        self._writer.write_tail()
        self._writer.close()
        self._finished = True
