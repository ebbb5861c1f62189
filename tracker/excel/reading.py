"""Open an Excel file for import without trusting it: size checks and tracker.zipguard before
openpyxl sees it, clear messages for .xls, WPS .et, password-protected and non-Excel files, and one
streaming pass per sheet that yields both the cell values and the merged ranges."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml.common import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from tracker import zipguard
from tracker.errors import ImportRejected

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 256  # a ledger has ~20 columns; cells further right are not read
MAX_ROWS = 300_000

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, .et, encrypted .xlsx
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")

Grid = dict[int, tuple[Any, ...]]  # sheet row number (1-based) -> values from column A


class FormulaText(str):
    """A cell that holds a real formula, read as the text typed (=问题清单!B2), never
    evaluated: still a str everywhere, but the importer can tell the clerk that Excel shows
    the computed result instead."""

    __slots__ = ()


def _formula(value: Any) -> FormulaText:
    """The formula's text, whatever kind openpyxl parsed (plain, shared, array, data table)."""
    if isinstance(value, ArrayFormula):
        return FormulaText(value.text or "=")
    if isinstance(value, DataTableFormula):
        return FormulaText("=TABLE(" + ",".join(v for v in (value.r1, value.r2) if v) + ")")
    return FormulaText(value)


@dataclass(frozen=True)
class MergedRange:
    """One merged block, 1-based and inclusive."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass(frozen=True)
class SheetData:
    """Everything the importer needs from one sheet: values by row and the merged blocks."""

    name: str
    rows: Grid
    merged: tuple[MergedRange, ...]
    hidden: bool
    width: int  # number of columns read
    cut_columns: bool = False  # cells beyond MAX_COLUMNS existed and were not read


class WorkbookData:
    """An opened workbook: sheet names, and each sheet read once on demand."""

    def __init__(self, path: Path, book: Any) -> None:
        self.path = path
        self._book = book
        self._cache: dict[str, SheetData] = {}

    @property
    def sheet_names(self) -> list[str]:
        """Every sheet, visible or not, in workbook order."""
        return list(self._book.sheetnames)

    def is_hidden(self, name: str) -> bool:
        """True for hidden and very hidden sheets."""
        return str(self._book[name].sheet_state) != "visible"

    def cell(self, sheet: str, coordinate: str) -> Any:
        """One cell's value (for small marker sheets)."""
        data = self.sheet(sheet)
        col, row, _, _ = range_boundaries(coordinate)
        values = data.rows.get(row, ())
        return values[col - 1] if col - 1 < len(values) else None

    def sheet(self, name: str) -> SheetData:
        """The named sheet's values and merged ranges (read once, then cached)."""
        if name not in self._cache:
            if name not in self._book.sheetnames:
                raise ImportRejected(
                    f"文件“{self.path.name}”中没有名为“{name}”的工作表。"
                    f"现有工作表：{'、'.join(self._book.sheetnames)}")
            with _reading_guard(self.path, name):
                self._cache[name] = _read_sheet(self._book, name)
        return self._cache[name]

    def close(self) -> None:
        """Release the zip file."""
        self._book.close()


def _reject(path: Path, message: str) -> ImportRejected:
    # The whole file is refused: no cell to point at, so the message says it all.
    return ImportRejected(f"无法导入“{path.name}”：{message}")


def check_file(path: Path) -> None:
    """Refuse, with a message a clerk can act on, anything that is not a sane .xlsx file."""
    if not path.exists():
        raise _reject(path, "文件不存在。")
    if path.is_dir():
        raise _reject(path, "这是一个文件夹，不是 Excel 文件。")
    size = path.stat().st_size
    if size == 0:
        raise _reject(path, "文件是空的（0 字节）。")
    if size > MAX_FILE_BYTES:
        raise _reject(path, f"文件有 {size // (1024 * 1024)} MB，超过导入上限 "
                            f"{MAX_FILE_BYTES // (1024 * 1024)} MB。请拆分后分别导入。")
    with path.open("rb") as fh:
        head = fh.read(8)
        if head.startswith(CFB_MAGIC):
            fh.seek(0)
            if _ENCRYPTED_MARK in fh.read(min(size, 4 * 1024 * 1024)):
                raise _reject(path, "文件设置了打开密码（已加密），程序无法读取。请在 Excel 或 WPS 中"
                                    "打开它，取消密码后另存为 .xlsx 文件，再导入。")
            raise _reject(path, "这是旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式，程序只能读取 "
                                ".xlsx。请在 Excel 或 WPS 中打开它，选择“另存为”→“Excel 工作簿"
                                "（*.xlsx）”，再导入新文件。")
    # Zip and XML bombs, lying sizes, path tricks, non-zips: the one guard shared with .docx.
    _check_parts(path, set(zipguard.check_container(path, "xlsx")))


def _check_parts(path: Path, names: set[str]) -> None:
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise _reject(path, "这是 Excel 二进制工作簿（.xlsb），请另存为“Excel 工作簿（*.xlsx）”后再导入。")
    if "content.xml" in names:
        raise _reject(path, "这是 OpenDocument 表格（.ods），请另存为“Excel 工作簿（*.xlsx）”后再导入。")
    if "word/document.xml" in names:
        raise _reject(path, "这是 Word 文档，不是 Excel 台账。")
    raise _reject(path, "这是一个压缩包，但不是 Excel 工作簿（.xlsx）。")


@contextmanager
def _reading_guard(path: Path, sheet: str = "") -> Iterator[None]:
    """Whatever openpyxl or the XML parser raise on a broken file becomes one clear message."""
    try:
        yield
    except ImportRejected:
        raise
    except MemoryError as exc:
        raise _reject(path, "文件太大，内存不足，无法读取。") from exc
    except Exception as exc:  # openpyxl raises many types on a damaged file
        where = f"工作表“{sheet}”" if sheet else "文件"
        if _is_xml_attack(exc):
            raise _reject(path, f"{where}含有 DTD/实体定义（疑似“XML 炸弹”），已拒绝读取。") from exc
        raise _reject(path, f"{where}已损坏或格式不受支持，无法读取（{type(exc).__name__}）。"
                            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。") from exc


def _is_xml_attack(exc: BaseException | None) -> bool:
    """True when defusedxml refused the XML, even wrapped by openpyxl in a ValueError."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def open_workbook(path: str | os.PathLike[str]) -> WorkbookData:
    """Check and open ``path``; formulas come back as their text, never evaluated."""
    p = Path(path)
    check_file(p)
    with _reading_guard(p):
        # data_only=False: a cell holding =SUM(…) reads as the text "=SUM(…)", kept as typed.
        book = load_workbook(p, read_only=True, data_only=False, keep_links=False)
    return WorkbookData(p, book)


def _read_sheet(book: Any, name: str) -> SheetData:
    # openpyxl's read-only sheets do not expose merged cells, and a full load is 2-3x slower;
    # driving its own streaming parser gives both in one pass (tested in test_import_reading).
    from openpyxl.worksheet._reader import WorkSheetParser

    ws = book[name]
    rows: Grid = {}
    width = 0
    cut = False
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src, ws._shared_strings, data_only=False, epoch=book.epoch,
            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for index, cells in parser.parse():
            if not cells:
                continue
            if index > MAX_ROWS:
                raise ImportRejected(f"工作表“{name}”超过 {MAX_ROWS} 行，请拆分后分别导入。")
            last = 0
            values: list[Any] = []
            for cell in cells:
                col = cell["column"]
                if col > MAX_COLUMNS:
                    cut = cut or cell["value"] is not None
                    continue
                value = cell["value"]
                if value is None or value == "":
                    continue
                if cell["data_type"] == "f":
                    value = _formula(value)
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values[col - 1] = value
                last = col
            if last:
                rows[index] = tuple(values[:last])
                width = max(width, last)
        merged = _merged(parser.merged_cells)
    hidden = str(ws.sheet_state) != "visible"
    return SheetData(name, rows, merged, hidden, width, cut)


def _merged(cells: Any) -> tuple[MergedRange, ...]:
    if cells is None:
        return ()
    out = []
    for item in cells.mergeCell:
        min_col, min_row, max_col, max_row = range_boundaries(item.ref)
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue  # whole-row or whole-column references are not cell merges
        if min_col > MAX_COLUMNS:
            continue
        out.append(MergedRange(min_row, min_col, max_row, min(max_col, MAX_COLUMNS)))
    return tuple(out)
