"""What the import wizard shows before a plan: each sheet's detected header row and column
mapping, and the first rows of the sheet so the clerk can check (and change) them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from tracker.excel.cells import MergeMap, cell_text, grid_value
from tracker.excel.column_guess import detect_mapping
from tracker.excel.header_detect import ColumnMapping, SheetMeta, detect_meta, field_for
from tracker.excel.reading import SheetData, WorkbookData

PREVIEW_ROWS = 12
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class SheetGuess:
    """One sheet as first read: its mapping (None when no header was found) and top rows."""

    name: str
    hidden: bool
    mapping: ColumnMapping | None
    meta: SheetMeta
    width: int
    column_titles: tuple[str, ...]  # "A：序号" per column, for the mapping combo boxes
    top_rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cell texts) from the top
    spans: tuple[tuple[int, int, int, int], ...] = ()  # merged blocks there: (line, col, rows, cols)

    @property
    def is_ledger(self) -> bool:
        """True when a header with a problem column was found."""
        return self.mapping is not None and "description" in self.mapping.columns


def _texts(sheet: SheetData, row: int, width: int) -> tuple[str, ...]:
    values = sheet.rows.get(row, ())
    return tuple(cell_text(values[c] if c < len(values) else None).replace("\n", " ")[:80]
                 for c in range(width))


def _spans(sheet: SheetData, rows: list[int], width: int) -> tuple[tuple[int, int, int, int], ...]:
    """Merged blocks that start on a shown row, cut to the shown lines and columns."""
    line = {r: i for i, r in enumerate(rows)}
    out = []
    for m in sheet.merged:
        if m.min_row in line and m.min_col <= width:
            last = max(i for r, i in line.items() if r <= m.max_row)
            out.append((line[m.min_row], m.min_col - 1, last - line[m.min_row] + 1,
                        min(m.max_col, width) - m.min_col + 1))
    return tuple(s for s in out if s[2] > 1 or s[3] > 1)


def guess_sheet(sheet: SheetData, mapping: ColumnMapping | None = None) -> SheetGuess:
    """Detect (or take) the mapping of one read sheet and collect what the wizard shows; the
    detected mapping is confirmed by the columns' cells (a 整改进展 column of status words
    maps to 完成情况)."""
    merges = MergeMap(sheet.merged, max(sheet.rows, default=0), sheet.width, sheet.name)
    found = mapping or detect_mapping(sheet, merges)
    meta = detect_meta(sheet, merges, found.header_row) if found else SheetMeta()
    width = min(sheet.width, 60)
    header_row = found.header_row if found else 1
    titles = []
    for col in range(1, width + 1):
        head = cell_text(grid_value(sheet.rows, merges, header_row, col)).strip()
        titles.append(f"{get_column_letter(col)}：{head}" if head else get_column_letter(col))
    start = max(1, header_row - 2)
    rows = [r for r in sorted(sheet.rows) if r >= start][:PREVIEW_ROWS]
    top = tuple((r, _texts(sheet, r, width)) for r in rows)
    return SheetGuess(sheet.name, sheet.hidden, found, meta, width, tuple(titles), top,
                      _spans(sheet, rows, width))


def with_header_row(sheet: SheetData, row: int) -> ColumnMapping:
    """The mapping the clerk gets by pointing at another header row: its known words mapped."""
    merges = MergeMap(sheet.merged, max(sheet.rows, default=0), sheet.width, sheet.name)
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    for col in range(1, sheet.width + 1):
        text = cell_text(grid_value(sheet.rows, merges, row, col))
        fld = field_for(text)
        if fld is not None and fld not in columns:
            columns[fld] = col
            headers[col] = text
    return ColumnMapping(row, row + 1, columns, headers)


def remapped(mapping: ColumnMapping, field: str, column: int | None) -> ColumnMapping:
    """The mapping with one field moved to ``column`` (None: not imported)."""
    columns = {f: c for f, c in mapping.columns.items() if f != field and c != column}
    if column is not None:
        columns[field] = column
    return ColumnMapping(mapping.header_row, mapping.data_row, columns, dict(mapping.headers))


def analyse_workbook(book: WorkbookData, progress: ProgressFn | None = None
                     ) -> list[SheetGuess]:
    """Read every visible sheet once (cached in ``book``) and guess its mapping."""
    names = [n for n in book.sheet_names if not book.is_hidden(n)]
    out = []
    for i, name in enumerate(names):
        if progress is not None:
            progress(i, len(names), f"正在读取工作表“{name}”…")
        out.append(guess_sheet(book.sheet(name)))
    if progress is not None:
        progress(len(names), len(names), "")
    return out
