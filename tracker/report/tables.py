"""Problem tables inside a report (序号 | 存在问题 | 整改措施 | …): one problem per row.

Only a table whose header names a problem column counts; an indicator table (评价重点 ·
主要观测点 · 指标完成情况) does not. Rows repeating the previous problem (a cell merged down
across several measure rows) add measures to that problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.domain import Status
from tracker.report import facts as fx

# Header cells are short names; a long cell that mentions 问题 is data, not a header.
_PROBLEM_HEADER = re.compile(
    r"(?:存在的?|主要|具体|反馈的?|发现的?|突出|整改)?问题(?:描述|内容|表现|清单|名称|事项|及表现)?"
)
_MEASURE_HEADER = re.compile(r"(?:具体|主要)?(?:整改|改进|落实)?(?:措施|举措|整改情况|整改建议|整改意见|整改要求)")
_CATEGORY_HEADER = re.compile(r"(?:问题)?(?:类别|类型|评价重点|领域|方面)")
_STATUS_HEADER = re.compile(r"整改结果|完成情况|整改进展|整改状态|进展情况|整改进度|目前进展|整改完成情况|状态")
_UNIT_HEADER = re.compile(rf"(?:{fx.UNIT_LABELS})")
_DEADLINE_HEADER = re.compile(rf"(?:{fx.DEADLINE_LABELS})")
_BLANKS = re.compile(r"\s+")


@dataclass(slots=True)
class TableProblem:
    """A problem read from one or more table rows."""

    description: str
    category_hint: str
    measures: list[str] = field(default_factory=list)
    facts: list[fx.Facts] = field(default_factory=list)
    status: Status | None = None  # from the 整改结果 column


def _column(header: list[str], want: re.Pattern[str]) -> int:
    """Index of the first header cell that is exactly one of the names ``want`` allows; -1 if none."""
    for i, cell in enumerate(header):
        if want.fullmatch(_BLANKS.sub("", cell)):
            return i
    return -1


def problems_from_tables(tables: list[list[list[str]]]) -> list[TableProblem]:
    """Problems from every table (the outline's runs of rows, split into cells) with a problem
    column, in document order."""
    found: list[TableProblem] = []
    for rows in tables:
        # The header may sit under a merged title row: look at the first three rows.
        for h in range(min(3, len(rows))):
            col = _column(rows[h], _PROBLEM_HEADER)
            if col >= 0:
                break
        else:
            continue
        header = rows[h]
        m_col = _column(header, _MEASURE_HEADER)
        c_col = _column(header, _CATEGORY_HEADER)
        cols = (_column(header, _STATUS_HEADER), _column(header, _UNIT_HEADER), _column(header, _DEADLINE_HEADER))
        last: TableProblem | None = None
        for row in rows[h + 1:]:
            text = _cell(row, col)
            measure = _cell(row, m_col)
            if not text or text == header[col].strip():
                if last is not None and measure:
                    _add(last, measure, row, cols)
                continue
            if last is not None and text == last.description:
                if measure and measure not in last.measures:
                    _add(last, measure, row, cols)
                continue
            hint = _cell(row, c_col) if c_col != col else ""
            last = TableProblem(text, hint)
            _add(last, measure, row, cols)
            found.append(last)
    return found


def _cell(row: list[str], i: int) -> str:
    """The stripped cell ``i`` of ``row``, "" when absent."""
    return row[i].strip() if 0 <= i < len(row) else ""


def _add(tp: TableProblem, cell: str, row: list[str], cols: tuple[int, int, int]) -> None:
    """One row's measures: "（1）…；（2）…" in one cell are several, sharing the row's unit and date."""
    status_text, unit, deadline = (_cell(row, c) for c in cols)
    status = fx.status_sentence(status_text) or fx.status_in(status_text[:30]) if status_text else None
    if status is not None:
        tp.status = status if tp.status is None or tp.status == status else _mixed()
    if not cell:
        return
    for piece in fx.split_cell(cell):
        f = fx.pull_facts(piece)
        tp.measures.append(f.text)
        tp.facts.append(fx.Facts(f.text, f.lead_unit or unit, f.deadline_text or deadline, f.status))


def _mixed() -> Status:
    """Rows of one problem disagreeing: still under way."""
    return Status.IN_PROGRESS
