"""Turn grouped ledger rows into checked inputs: texts (kept whole, formulas as typed), deadlines
through the core parser relative to 填报日期, status words, dated progress notes. Every bad
value becomes a finding naming its sheet, row and column instead of an exception."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from tracker.deadlines import Deadline, deadline_from_cell
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.errors import DeadlineError
from tracker.excel.cells import (
    STATUS_HINT,
    NoteLine,
    cell_text,
    parse_seq,
    split_progress,
    status_from_text,
)
from tracker.excel.export_options import excel_length, too_long_for_cell
from tracker.excel.header_detect import ColumnMapping
from tracker.excel.import_rows import ERROR, WARNING, Finding, RowCells, RowGroup
from tracker.import_model import PlannedMeasure as PlannedMeasure  # re-exported
from tracker.import_model import PlannedProblem as PlannedProblem  # re-exported
from tracker.services.records import MAX_TEXT

PROBLEM_TEXT_FIELDS = ("description", "goal", "co_units", "leader", "owner", "remarks")
# Problem-level columns whose differing values across a problem's rows are all kept.
JOINED_FIELDS = ("goal", "leader", "remarks")


CLOSED_IN_RETURN = ("文件中的“已销号”按“已完成”导入：销号须由督导室核验后在台账中办理"
                    "（填写核验人和销号日期）。")


class ValueReader:
    """Reads typed values out of one sheet's rows, collecting findings as it goes."""

    def __init__(self, sheet: str, mapping: ColumnMapping, reference: dt.date,
                 fill_date: dt.date | None, today: dt.date) -> None:
        self.sheet = sheet
        self.mapping = mapping
        self.reference = reference  # what 年底前 / 明年 resolve against
        self.fill_date = fill_date
        self.today = today
        # A file exported by this app and sent back by a unit: close-out is the office's
        # verification in the ledger, never a cell a unit fills in.
        self.returned = False
        self.findings: list[Finding] = []
        # Ledgers repeat the same few deadlines and status words thousands of times.
        self._deadlines: dict[str, Deadline | DeadlineError] = {}
        self._statuses: dict[str, tuple[Status | None, bool] | None] = {}

    def finding(self, row: int, fld: str, message: str, severity: str = ERROR,
                value: Any = None) -> None:
        """Record an error or warning at the field's cell."""
        self.findings.append(Finding(self.sheet, row, self.mapping.letter(fld), message, severity,
                                     cell_text(value)))

    def has(self, fld: str) -> bool:
        """True when the sheet has a column for ``fld``."""
        return fld in self.mapping.columns

    def text(self, cells: RowCells, fld: str) -> str:
        """The field's text, stripped, control characters removed; never cut short."""
        text = cell_text(cells.values.get(fld)).strip()
        if too_long_for_cell(text):  # as Excel counts: 𠮷 or an emoji is 2
            label = self.mapping.headers.get(self.mapping.columns.get(fld, 0), fld)
            self.finding(cells.row, fld, f"“{label}”有 {excel_length(text)} 个字符，超过 Excel 单元格上限 "
                         f"{MAX_TEXT} 个，无法完整保存。请精简后再导入。")
        return text

    def deadline(self, cells: RowCells, base: dt.date | None = None) -> Deadline | None:
        """The 整改时限 cell resolved; None (with an error recorded) when unreadable."""
        value = cells.values.get("deadline")
        if isinstance(value, str) and too_long_for_cell(value):
            self.text(cells, "deadline")
            return None
        cached = self._deadlines.get(value) if isinstance(value, str) and base is None else None
        if cached is None:
            try:
                cached = deadline_from_cell(value, base or self.reference)
            except DeadlineError as exc:
                cached = exc
            if isinstance(value, str) and base is None:
                self._deadlines[value] = cached
        if isinstance(cached, DeadlineError):
            self.finding(cells.row, "deadline", cached.message, value=value)
            return None
        return cached

    def status(self, cells: RowCells) -> tuple[Status | None, str]:
        """(status or None when empty, extra note text when the cell says more than a word)."""
        text = self.text(cells, "status")
        if text not in self._statuses:
            try:
                self._statuses[text] = status_from_text(text)
            except ValueError:
                self._statuses[text] = None
        known = self._statuses[text]
        if known is None:
            self.finding(cells.row, "status", f"无法识别完成情况“{text[:30]}”，应为：{STATUS_HINT}。",
                         value=text)
            return None, ""
        status, exact = known
        if exact:
            return status, ""
        assert status is not None
        self.finding(cells.row, "status", f"完成情况“{text[:30]}”按“{status.label}”导入，"
                     "全文另存为一条整改进展。", WARNING, text)
        return status, text

    def returned_status(self, row: int, status: Status | None) -> Status | None:
        """已销号 in a returned file comes in as 已完成, with a warning at its cell: close-out
        needs the office's verifier and date, recorded in the ledger (销号)."""
        if status is not Status.CLOSED or not self.returned:
            return status
        self.finding(row, "status", CLOSED_IN_RETURN, WARNING, Status.CLOSED.label)
        return Status.DONE

    def notes(self, cells: RowCells, default_day: dt.date) -> tuple[NoteLine, ...]:
        """The 整改进展 cell as dated notes (undated text gets ``default_day``)."""
        text = self.text(cells, "progress")
        return split_progress(text, default_day) if text else ()

    def measure(self, cells: RowCells, problem: ProblemInput, ask_text: bool) -> PlannedMeasure | None:
        """The measure a row holds, or None when the row has no measure-level value."""
        # Only cells of this row count: a measure cell merged down over two rows is one measure.
        if not cells.own & {"measure", "lead_unit", "deadline", "status", "progress"}:
            return None
        text = self.text(cells, "measure")
        if ask_text and not text:
            self.finding(cells.row, "measure", "这一行有时限或完成情况，但“整改措施”为空，"
                         "已导入为一项没有文字的措施，请补充。", WARNING)
        deadline = self.deadline(cells)
        status, extra = self.status(cells)
        status = self.returned_status(cells.row, status) or Status.NOT_STARTED
        notes = self.notes(cells, self.fill_date or self.today)
        if extra:
            notes += (NoteLine(self.fill_date or self.today, extra, False),)
        co = self.text(cells, "co_units")
        owner = self.text(cells, "owner")
        data = MeasureInput(
            text=text, lead_unit=self.text(cells, "lead_unit"),
            co_units=co if co != problem.co_units else "",
            owner=owner if owner != problem.owner else "",
            deadline_text=deadline.text if deadline else "",
            deadline=deadline.date if deadline else None,
            deadline_kind=deadline.kind if deadline else None,
            status=status,
            done_on=None if status.is_open else self.fill_date,
        )
        return PlannedMeasure(cells.row, data, notes)

    def _joined(self, group: RowGroup, fld: str, first: str) -> str:
        """A problem-level column filled per row: every distinct value is kept, joined with
        "；" (备注 silently; 整改目标 / 责任领导 with a warning, since one was expected)."""
        parts = [first] if first else []
        for cells in group.rows[1:]:
            text = self.text(cells, fld) if fld in cells.own else ""
            if not text or text in parts:
                continue
            parts.append(text)
            if fld != "remarks":
                label = self.mapping.headers.get(self.mapping.columns.get(fld, 0), fld)
                self.finding(cells.row, fld, f"同一问题各行的“{label}”不同，已合并为“{'；'.join(parts)[:60]}”，"
                             "请核对。", WARNING, text)
        return "；".join(parts)

    def problem(self, group: RowGroup, source: tuple[str, int | None]) -> PlannedProblem:
        """The problem a group of rows describes, with one measure per row that has one."""
        first = group.first
        before = len(self.findings)
        values = {f: self.text(first, f) for f in PROBLEM_TEXT_FIELDS}
        for fld in JOINED_FIELDS:
            values[fld] = self._joined(group, fld, values[fld])
        category = self.text(first, "category") or first.category
        data = ProblemInput(
            description=values["description"], category=category, goal=values["goal"],
            lead_unit=self.text(first, "lead_unit"), co_units=values["co_units"],
            leader=values["leader"], owner=values["owner"], remarks=values["remarks"],
        )
        measures = []
        ask_text = self.has("measure")
        for cells in group.rows:
            m = self.measure(cells, data, ask_text)
            if m is not None:
                measures.append(m)
        data = replace(data, measures=tuple(m.data for m in measures))
        warned = any(f.severity == WARNING for f in self.findings[before:]) or bool(group.joined)
        return PlannedProblem(self.sheet, first.row, group.rows[-1].row, source,
                              parse_seq(first.values.get("seq")), data, tuple(measures), warned)
