"""整改时限 holds "2026年11月30日" and 完成情况 "整改中（逾期）" on one line in the ledger and the
催办单; the PDF keeps room beside its two-character headers (序号, 备注)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.core.test_roundtrip_excel import columns
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import COLUMNS, ExportOptions, check_columns
from tracker.excel.layout import HEADER_SPARE, capacity, fit_widths, text_width
from tracker.excel.reminder import export_reminder
from tracker.services.problems import create_problem

DAY = dt.date(2026, 12, 5)


def _dated(ledger: Ledger) -> None:
    create_problem(ledger, ProblemInput(
        description="校舍维修滞后", lead_unit="市教育局", measures=(
            MeasureInput(text="完成维修", deadline_text="2026年11月30日",
                         status=Status.IN_PROGRESS),)))


def _fits(width: float, text: str) -> bool:
    return capacity(width, 10) >= text_width(text)


def test_ledger_dates_and_overdue_status_fit_on_one_line(ledger: Ledger, tmp_path: Path) -> None:
    _dated(ledger)
    path = tmp_path / "a.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=DAY))
    ws = load_workbook(path)["台账"]
    cols = columns(ws)
    width = {h: ws.column_dimensions[get_column_letter(c)].width for h, c in cols.items()}
    assert _fits(width["整改时限"], "2026年11月30日")
    assert _fits(width["完成情况"], "整改中（逾期）")


def test_reminder_dates_fit_on_one_line(ledger: Ledger, tmp_path: Path) -> None:
    _dated(ledger)
    path = tmp_path / "催办单.xlsx"
    export_reminder(ledger, "市教育局", path, ExportOptions(report_date=DAY))
    ws = load_workbook(path)["催办单"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=8) if any(
        c.value == "整改时限" for c in r))
    at = {c.value: c.column_letter for c in header if c.value}
    assert _fits(ws.column_dimensions[at["整改时限"]].width, "2026年11月30日")
    assert _fits(ws.column_dimensions[at["完成情况"]].width, "整改中（逾期）")


def test_pdf_widths_leave_room_beside_two_character_headers() -> None:
    cols = check_columns(tuple(COLUMNS))
    widths = dict(zip([c.key for c in cols], fit_widths(cols, {"number": 2, "remarks": 0}, 10,
                                                        header_spare=HEADER_SPARE)))
    assert capacity(widths["number"], 10) >= text_width("序号") + HEADER_SPARE
    assert capacity(widths["remarks"], 10) >= text_width("备注") + HEADER_SPARE
