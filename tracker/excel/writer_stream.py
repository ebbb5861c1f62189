"""A write-only worksheet tuned for the ledger: it takes ready-made styled cells as they are
(openpyxl's append first tries each cell as a value and fails with an exception, per cell) and
writes tens of thousands of merges and page breaks as plain elements at the end (openpyxl's
own MultiCellRange.add and RowBreak.append are quadratic)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml.etree import Element, SubElement
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter

MAX_COLUMN_INDEX = 16383


class _BulkTailWriter(WorksheetWriter):
    """Writes the sheet's merges and row breaks from plain lists."""

    ws: StreamSheet

    def write_merged_cells(self) -> None:
        refs = self.ws.merge_refs
        if refs:
            el = Element("mergeCells", count=str(len(refs)))
            for ref in refs:
                SubElement(el, "mergeCell", ref=ref)
            self.xf.send(el)

    def write_breaks(self) -> None:
        rows = self.ws.break_rows
        if rows:
            el = Element("rowBreaks", count=str(len(rows)), manualBreakCount=str(len(rows)))
            for row in rows:
                SubElement(el, "brk", id=str(row), max=str(MAX_COLUMN_INDEX), man="1")
            self.xf.send(el)


class StreamSheet(WriteOnlyWorksheet):
    """Streaming sheet whose rows are lists of Cell objects (or None for a gap)."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self.merge_refs: list[str] = []
        self.break_rows: list[int] = []
        self.rows_done = 0

    @classmethod
    def add_to(cls, wb: Workbook, title: str) -> StreamSheet:
        """Create the sheet as the workbook's last sheet."""
        ws = cls(wb, title)
        wb._add_sheet(ws)
        return ws

    def append(self, row: Iterable[Any], height: float | None = None) -> None:  # type: ignore[override]
        """Add the next row (cells or None for a gap), ``height`` points tall when given."""
        self.rows_done += 1
        if height is not None:
            self.row_dimensions[self.rows_done].height = height
        super().append(row)
        if height is not None:  # streamed rows need not keep their dimension object
            del self.row_dimensions[self.rows_done]

    def style_id(self, style: Any) -> int:
        """The workbook's number for a cell style array (registered on first use)."""
        return int(self.parent._cell_styles.add(style))

    def merge(self, first_col: int, first_row: int, last_col: int, last_row: int) -> None:
        """Merge a rectangle (the caller never overlaps merges)."""
        self.merge_refs.append(f"{get_column_letter(first_col)}{first_row}:"
                               f"{get_column_letter(last_col)}{last_row}")

    def page_break_after(self, row: int) -> None:
        """Start a new printed page after ``row``."""
        self.break_rows.append(row)

    def _get_writer(self) -> None:
        if self._writer is None:  # type: ignore[has-type]
            writer = _BulkTailWriter(self)
            writer.write_top()
            self._writer = writer

    def _values_to_row(self, values: Iterable[Any], row_idx: int) -> Iterator[Cell]:
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.column = col_idx
            cell.row = row_idx
            yield cell
