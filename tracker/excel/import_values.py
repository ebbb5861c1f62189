"""Turn grouped ledger rows into checked inputs: texts (kept whole, formulas as typed), deadlines
through the core parser relative to 填报日期, status words, dated progress notes. Every bad
value becomes a finding naming its sheet, row and column instead of an exception."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import re
from collections import defaultdict

from tracker.deadlines import Deadline, deadline_from_cell, format_date_cn
from tracker.domain import DeadlineKind, MeasureInput, ProblemInput, Status
from tracker.errors import DeadlineError
from tracker.excel.cell_kinds import (
    exact_status,
    percent_of,
    sentence_status,
    split_numbered,
    status_for_percent,
    yes_no_status,
)
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
from tracker.excel.import_rows import ERROR, WARNING, Finding, RowCells, RowGroup, seq_major
from tracker.excel.units_split import merged_co, split_co_units, split_units
from tracker.import_model import PlannedMeasure as PlannedMeasure  # re-exported
from tracker.import_model import PlannedProblem as PlannedProblem  # re-exported
from tracker.services.records import MAX_TEXT

PROBLEM_TEXT_FIELDS = ("description", "goal", "co_units", "leader", "owner", "remarks")
# Problem-level columns whose differing values across a problem's rows are all kept.
JOINED_FIELDS = ("goal", "leader")
_HAS_YEAR = re.compile(r"(?:19|20)\d{2}")
# What each kind of inferred cell is counted as, in the warning that lists them.
INFERRED = {
    "yesno": ("status", "个是/否单元格按“已完成”（是）或“整改中”（否）读取"),
    "sentence": ("status", "个单元格是一段说明，完成情况从句中的词读取，全文另存为整改进展"),
    "progress_status": ("progress", "个整改进展单元格只写了状态词，按完成情况读取"),
    "progress_sentence": ("progress", "个整改进展单元格中的完成情况从句中的词读取（表中没有完成情况列）"),
    "percent": ("percent", "个完成进度按百分比读取，记为措施的完成进度（100%即已完成）"),
    "unit": ("lead_unit", "个单位单元格写了几个单位或“牵头/配合”，第一个（或标“牵头”的）作牵头单位，"
                          "其余作配合单位"),
    "numbered": ("measure", "个整改措施单元格内编了号（1.…2.…），已拆为多项措施"),
    "remark": ("remarks", "个备注写在措施行上，已作为该措施的整改进展“备注：…”保存，而不是问题的备注"),
}


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
        self.reference_from = ""  # set when 年底前 is read against a guessed date: says which
        self.relative_rows: list[int] = []
        self.inferred: dict[str, list[int]] = defaultdict(list)
        self._inferred_rows: set[int] = set()

    def infer(self, kind: str, row: int) -> None:
        """Count a cell whose meaning was inferred (one warning per kind lists them)."""
        self.inferred[kind].append(row)
        self._inferred_rows.add(row)

    def inferred_findings(self) -> list[Finding]:
        """One warning per kind of inferred cell, and one for relative deadlines read against a
        date that is not the sheet's 填报日期."""
        out = []
        for kind, rows in self.inferred.items():
            fld, what = INFERRED[kind]
            shown = "、".join(str(r) for r in rows[:8]) + ("…" if len(rows) > 8 else "")
            out.append(Finding(self.sheet, rows[0], self.mapping.letter(fld),
                               f"{len(rows)}{what}（第{shown}行），请核对。", WARNING))
        if self.relative_rows and self.reference_from:
            rows = self.relative_rows
            shown = "、".join(str(r) for r in rows[:8]) + ("…" if len(rows) > 8 else "")
            out.append(Finding(self.sheet, rows[0], self.mapping.letter("deadline"),
                               f"{len(rows)}个相对时限（如“年底前”“6月底前”，第{shown}行）按"
                               f"{format_date_cn(self.reference)}解读：{self.reference_from}。",
                               WARNING))
        return out

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
        if (isinstance(value, str) and cached.kind is DeadlineKind.DATED
                and not _HAS_YEAR.search(value)):
            self.relative_rows.append(cells.row)  # 年底前: which year depends on the reference
        return cached

    def status(self, cells: RowCells) -> tuple[Status | None, str]:
        """(status or None when empty, extra note text when the cell says more than a word)."""
        status, extra, _ = self.status_parts(cells)
        return status, extra

    def status_parts(self, cells: RowCells) -> tuple[Status | None, str, int | None]:
        """status() and the 完成进度 a percentage written in the 完成情况 column states."""
        text = self.text(cells, "status")
        if text not in self._statuses:
            try:
                self._statuses[text] = status_from_text(text)
            except ValueError:
                self._statuses[text] = None
        known = self._statuses[text]
        if known is None:
            yes_no = yes_no_status(text)
            if yes_no is not None:
                self.infer("yesno", cells.row)
                return yes_no, "", None
            said = sentence_status(text)
            if said is not None:
                self.infer("sentence", cells.row)
                return said, text, None
            pct = percent_of(text)
            if pct is not None:  # "60%" in a 完成情况 column: the measure's 完成进度
                self.infer("percent", cells.row)
                return status_for_percent(pct), "", pct
            self.finding(cells.row, "status", f"无法识别完成情况“{text[:30]}”，应为：{STATUS_HINT}。",
                         value=text)
            return None, "", None
        status, exact = known
        if exact:
            return status, "", None
        assert status is not None
        self.finding(cells.row, "status", f"完成情况“{text[:30]}”按“{status.label}”导入，"
                     "全文另存为一条整改进展。", WARNING, text)
        return status, text, None

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

    def percent(self, cells: RowCells) -> tuple[int | None, str]:
        """(完成进度 as 0-100 or None, the cell's text when it is no percentage)."""
        value = cells.values.get("percent")
        text = self.text(cells, "percent") if self.has("percent") else ""
        if not text:
            return None, ""
        pct = percent_of(value)
        if pct is None:
            self.finding(cells.row, "percent", f"完成进度“{text[:30]}”不是百分比（如 60% 或 0.6），"
                         "已另存为一条整改进展，请核对。", WARNING, value)
            return None, text
        self.infer("percent", cells.row)
        return pct, ""

    def _progress(self, cells: RowCells, status: Status | None
                  ) -> tuple[Status | None, tuple[NoteLine, ...]]:
        """The 整改进展 notes; without a 完成情况 column, also the status they state."""
        text = self.text(cells, "progress") if self.has("progress") else ""
        day = self.fill_date or self.today
        if text and status is None and not self.has("status"):
            word = exact_status(text) or yes_no_status(text)
            if word is not None:  # a bare status word is the status, not a note dated today
                self.infer("progress_status", cells.row)
                return word, ()
            notes = split_progress(text, day)
            # Dated lines are a history of progress, not the measure's state: read a status
            # only from a plain sentence ("已完成编制核定，形成制度").
            said = None if any(n.dated for n in notes) else sentence_status(text)
            if said is not None:
                self.infer("progress_sentence", cells.row)
            return said, notes
        return status, (split_progress(text, day) if text else ())

    def measure(self, cells: RowCells, problem: ProblemInput, ask_text: bool) -> PlannedMeasure | None:
        """The measure a row holds, or None when the row has no measure-level value."""
        # Only cells of this row count: a measure cell merged down over two rows is one measure.
        if not cells.own & {"measure", "lead_unit", "deadline", "status", "progress", "percent"}:
            return None
        text = self.text(cells, "measure")
        if ask_text and not text:
            self.finding(cells.row, "measure", "这一行有时限或完成情况，但“整改措施”为空，"
                         "已导入为一项没有文字的措施，请补充。", WARNING)
        deadline = self.deadline(cells)
        status, extra, status_pct = self.status_parts(cells)
        status, notes = self._progress(cells, status)
        day = self.fill_date or self.today
        if extra:
            notes += (NoteLine(day, extra, False),)
        # 完成进度 is kept on the measure; 100 % with no status is 已完成, more than 0 % 整改中.
        pct, pct_text = self.percent(cells)
        if pct is not None:
            status = status or status_for_percent(pct)
        elif pct_text:  # not a percentage: kept as a note rather than dropped
            notes += (NoteLine(day, pct_text, False),)
        pct = pct if pct is not None else status_pct
        status = self.returned_status(cells.row, status) or Status.NOT_STARTED
        unit = split_units(self.text(cells, "lead_unit"))
        if unit.split:
            self.infer("unit", cells.row)
        co = merged_co(unit.co, split_co_units(self.text(cells, "co_units")), lead=unit.lead)
        owner = self.text(cells, "owner")
        data = MeasureInput(
            text=text, lead_unit=unit.lead,
            co_units=co if co != problem.co_units else "",
            owner=owner if owner != problem.owner else "",
            deadline_text=deadline.text if deadline else "",
            deadline=deadline.date if deadline else None,
            deadline_kind=deadline.kind if deadline else None,
            status=status,
            done_on=None if status.is_open else self.fill_date,
            percent=pct,
        )
        return PlannedMeasure(cells.row, data, notes)

    def _numbered(self, m: PlannedMeasure) -> list[PlannedMeasure]:
        """A measure cell numbering several measures becomes one measure each (same unit,
        deadline and status; the row's notes stay with the first)."""
        parts = split_numbered(m.data.text)
        if len(parts) < 2:
            return [m]
        self.infer("numbered", m.row)
        return [replace(m, data=replace(m.data, text=part), notes=m.notes if i == 0 else ())
                for i, part in enumerate(parts)]

    def _row_remarks(self, group: RowGroup) -> dict[int, str]:
        """备注 written per measure row (not merged over the problem, and some row after the
        first has its own): row -> text. Empty when 备注 belongs to the problem."""
        if not self.has("remarks") or len(group.rows) < 2:
            return {}
        rows = group.rows
        if any("remarks" not in c.own and c.text("remarks") for c in rows[1:]):
            return {}  # merged down over the problem's rows: the problem's 备注
        texts = {c.row: self.text(c, "remarks") for c in rows if "remarks" in c.own}
        later = [t for r, t in texts.items() if r != rows[0].row and t]
        if not later or len(set(texts.values())) == 1 and len(texts) == len(rows):
            return {}  # only the first row, or the same on every row: the problem's
        return {r: t for r, t in texts.items() if t}

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
        per_row = self._row_remarks(group)
        values["remarks"] = "" if per_row else self._joined_remarks(group, values["remarks"])
        unit = split_units(self.text(first, "lead_unit"))
        co = merged_co(unit.co, split_co_units(values["co_units"]), lead=unit.lead)
        category = self.text(first, "category") or first.category
        data = ProblemInput(
            description=values["description"], category=category, goal=values["goal"],
            lead_unit=unit.lead, co_units=co,
            leader=values["leader"], owner=values["owner"], remarks=values["remarks"],
        )
        measures: list[PlannedMeasure] = []
        ask_text = self.has("measure")
        orphan: list[str] = []
        for cells in group.rows:
            m = self.measure(cells, data, ask_text)
            remark = per_row.get(cells.row, "")
            if remark and m is None:
                orphan.append(remark)
            elif remark and m is not None:
                self.infer("remark", cells.row)
                m = replace(m, notes=m.notes + (NoteLine(self.fill_date or self.today,
                                                         f"备注：{remark}", False),))
            if m is not None:
                measures += self._numbered(m)
        if orphan:
            data = replace(data, remarks="；".join(orphan))
        data = replace(data, measures=tuple(m.data for m in measures))
        warned = any(f.severity == WARNING for f in self.findings[before:]) or bool(group.joined)
        warned = warned or any(c.row in self._inferred_rows for c in group.rows)
        return PlannedProblem(self.sheet, first.row, group.rows[-1].row, source,
                              parse_seq(first.values.get("seq")) or parse_seq(seq_major(first.text("seq"))),
                              data, tuple(measures), warned)

    def _joined_remarks(self, group: RowGroup, first: str) -> str:
        """备注 repeated on every row (or merged): every distinct value, joined, no warning."""
        parts = [first] if first else []
        for cells in group.rows[1:]:
            text = self.text(cells, "remarks") if "remarks" in cells.own else ""
            if text and text not in parts:
                parts.append(text)
        return "；".join(parts)
