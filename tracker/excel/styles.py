"""The ledger's cell styles, registered once per workbook and then copied onto cells as
ready-made style arrays (assigning Font/Border objects per cell costs a hash each time)."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook

from tracker.domain import Status
from tracker.excel.export_options import ExportOptions

# Fill colours readable on screen and still light on a colour printer; the words carry the
# meaning on a black-and-white one.
STATUS_FILLS: dict[Status, str] = {
    Status.NOT_STARTED: "FFF2F2F2",
    Status.IN_PROGRESS: "FFFFF2CC",
    Status.DONE: "FFE2EFDA",
    Status.CLOSED: "FFC6E0B4",
    Status.ONGOING: "FFDDEBF7",
}
OVERDUE_FILL = "FFFFC7CE"
OVERDUE_FONT = "FFC00000"
HEADER_FILL = "FFD9D9D9"
GROUP_FILL = "FFF2F2F2"  # the 问题来源 group row: lighter than the header

THIN = Side(style="thin", color="FF000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Which columns are centred (short values) rather than left-aligned running text.
CENTRED_KEYS = frozenset({"number", "category", "lead_unit", "co_units", "leader", "owner",
                          "deadline", "status", "percent"})


# The workbook's default font sets the unit column widths are measured in (its digit width).
# openpyxl's Calibri is missing on Linux, where LibreOffice measures with DejaVu Sans's wider
# digit and every column grows by a third; Arial (Liberation Sans there) is 7 px everywhere.
DEFAULT_FONT = Font(name="Arial", size=10, family=2)


def set_default_font(wb: Workbook) -> None:
    """Make DEFAULT_FONT the workbook's default (Normal style) font before any cell style."""
    wb._fonts = IndexedList([DEFAULT_FONT])
    wb._named_styles["Normal"].font = DEFAULT_FONT


class LedgerStyles:
    """Style arrays for every kind of cell in the ledger, bound to one workbook."""

    def __init__(self, wb: Workbook, options: ExportOptions) -> None:
        set_default_font(wb)
        self._ws = wb.create_sheet("_styles")  # a scratch sheet to register styles through
        size = options.font_size
        body = Font(name=options.table_font, size=size)
        heading = Font(name=options.title_font, size=size + 0.5, bold=True)
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.title = self._make(font=Font(name=options.title_font, size=options.title_size),
                                alignment=Alignment(horizontal="center", vertical="center",
                                                    wrap_text=True))
        self.meta_left = self._make(font=Font(name=options.table_font, size=size + 1),
                                    alignment=Alignment(horizontal="left", vertical="center"))
        self.meta_right = self._make(font=Font(name=options.table_font, size=size + 1),
                                     alignment=Alignment(horizontal="right", vertical="center"))
        self.header = self._make(font=heading, alignment=centre, border=GRID,
                                 fill=PatternFill("solid", fgColor=HEADER_FILL))
        self.text = self._make(font=body, alignment=left, border=GRID)
        self.group = self._make(font=Font(name=options.table_font, size=size, bold=True),
                                alignment=left, border=GRID,
                                fill=PatternFill("solid", fgColor=GROUP_FILL))
        self.centred = self._make(font=body, alignment=centre, border=GRID)
        self.status = {
            st: self._make(font=body, alignment=centre, border=GRID,
                           fill=PatternFill("solid", fgColor=colour))
            for st, colour in STATUS_FILLS.items()
        }
        self.overdue = self._make(
            font=Font(name=options.table_font, size=size, bold=True, color=OVERDUE_FONT),
            alignment=centre, border=GRID, fill=PatternFill("solid", fgColor=OVERDUE_FILL))
        self.plain = self._make(font=body)
        self.wrapped = self._make(font=body, alignment=left)
        self.number = self._make(font=body, alignment=centre, border=GRID)

    def _make(self, **attrs: Any) -> Any:
        cell = WriteOnlyCell(self._ws)
        for name, value in attrs.items():
            setattr(cell, name, value)
        return cell._style

    def column_styles(self, keys: list[str]) -> list[Any]:
        """The body style of each column, by its key."""
        return [self.centred if k in CENTRED_KEYS else self.text for k in keys]

    def status_style(self, status: Status, overdue: bool) -> Any:
        """The 完成情况 cell: its status colour, or red when overdue."""
        return self.overdue if overdue else self.status[status]

    def discard_scratch(self, wb: Workbook) -> None:
        """Remove the scratch sheet before saving (its styles stay registered)."""
        wb.remove(self._ws)
