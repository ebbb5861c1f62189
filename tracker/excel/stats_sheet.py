"""The 统计 sheet: the report sentence, then counts by status, by planned finish and by lead
unit, as bordered tables that print on A4."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from tracker.excel.export_options import ExportOptions
from tracker.excel.layout import HeightPlanner, lines_height
from tracker.excel.styles import LedgerStyles
from tracker.excel.writer import number_cell, setup_page, text_cell
from tracker.excel.writer_stream import StreamSheet
from tracker.services.period import UNIT_HEADERS as PERIOD_UNIT_HEADERS
from tracker.services.period import PeriodChanges, kind_rows, unit_periods, unit_rows
from tracker.summary import LedgerSummary, UnitCounts, cn_date, percent

STATS_SHEET = "统计"
WIDTHS = (22, 10, 10, 10, 10, 10, 10, 8)
UNIT_HEADERS = ("牵头单位", "问题数", "已完成", "未完成", "逾期", "长期坚持", "完成率", "配合")


class StatsSheetWriter:
    """Writes the 统计 sheet of one export."""

    def __init__(self, wb: Workbook, options: ExportOptions, styles: LedgerStyles) -> None:
        self.ws = StreamSheet.add_to(wb, STATS_SHEET)
        self.options = options
        self.st = styles
        self.row = 0
        for i, w in enumerate(WIDTHS, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        setup_page(self.ws, None, landscape=False)

    def _append(self, cells: Sequence[Any], height: float | None = None) -> None:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(list(cells))

    def _wide(self, text: str, style: Any, height: float) -> None:
        """One text across the whole width of the sheet."""
        self._append([text_cell(self.ws, text, style)] + [None] * (len(WIDTHS) - 1), height)
        self.ws.merge(1, self.row, len(WIDTHS), self.row)

    def _table(self, headers: Sequence[str], rows: Sequence[Sequence[str | int]]) -> None:
        ws, st = self.ws, self.st
        size = self.options.font_size
        self._append([text_cell(ws, h, st.header) for h in headers], lines_height(1, size + 1))
        for values in rows:
            cells = [text_cell(ws, v, st.text if i == 0 else st.centred) if isinstance(v, str)
                     else number_cell(ws, v, st.number) for i, v in enumerate(values)]
            self._append(cells, lines_height(1, size))
        self._append([], lines_height(1, size))

    def write(self, title: str, summary: LedgerSummary, sentence: str,
              units: Sequence[UnitCounts]) -> None:
        """The whole sheet."""
        size = self.options.font_size
        self._wide(f"{title}统计", self.st.title, self.options.title_size * 2.0)
        planner = HeightPlanner([sum(WIDTHS)], [False], size + 1)
        self._wide(sentence, self.st.wrapped, planner.heights([[sentence]])[0])
        self._append([], lines_height(1, size))
        self._wide("一、按整改状态", self.st.meta_left, lines_height(1, size + 1))
        status_rows: list[Sequence[str | int]] = [
            [st.label, n, percent(100.0 * n / summary.total) if summary.total else "0%"]
            for st, n in summary.by_status]
        status_rows.append(["合计", summary.total, "100%" if summary.total else "0%"])
        self._table(["整改状态", "问题数", "占比"], status_rows)
        self._wide("二、按计划完成时间", self.st.meta_left, lines_height(1, size + 1))
        plan: list[Sequence[str | int]] = [["已整改完成", summary.completed]]
        plan += [[f"计划{g.label}完成", g.count] for g in summary.groups]
        for label, n in (("长期坚持", summary.ongoing), ("尚未明确整改时限", summary.undated),
                         ("逾期未完成", summary.overdue)):
            if n:
                plan.append([label, n])
        self._table(["计划完成时间", "问题数"], plan)
        self._wide("三、按牵头单位", self.st.meta_left, lines_height(1, size + 1))
        self._table(UNIT_HEADERS, [[u.unit, u.total, u.completed, u.open, u.overdue, u.ongoing,
                                    percent(u.rate), u.cooperating] for u in units])
        if units:
            self._wide("注：一个问题按牵头单位计数（问题和措施的牵头单位不同时各计一次）；“配合”为该单位"
                       "仅作为配合单位的问题数，不计入问题数。",
                       self.st.wrapped, lines_height(1, size))

    def write_period(self, changes: PeriodChanges, before: str, now: str) -> None:
        """The 调度 comparison under the statistics: the two dates' sentences side by side,
        what changed in the period, and by unit (the same tables as the 调度通报)."""
        size = self.options.font_size
        span = f"{cn_date(changes.since)}至{cn_date(changes.until)}"
        self._wide(f"四、本期与上期对比（{span}）", self.st.meta_left, lines_height(1, size + 1))
        planner = HeightPlanner([WIDTHS[0], sum(WIDTHS[1:])], [False, False], size)
        for day, text in ((changes.since, before), (changes.until, now)):
            self._append([text_cell(self.ws, f"上期（{cn_date(day)}）" if day == changes.since
                                    else f"本期（{cn_date(day)}）", self.st.header),
                          text_cell(self.ws, text, self.st.text)] + [None] * (len(WIDTHS) - 2),
                         planner.heights([["", text]])[0])
            self.ws.merge(2, self.row, len(WIDTHS), self.row)
        self._append([], lines_height(1, size))
        self._table(["本期变化", "问题数"], [list(r) for r in kind_rows(changes)])
        self._wide("五、本期变化（按牵头单位）", self.st.meta_left, lines_height(1, size + 1))
        self._table(PERIOD_UNIT_HEADERS, [list(r) for r in unit_rows(unit_periods(changes))])
