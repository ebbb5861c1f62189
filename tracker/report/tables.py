"""Problem tables inside a report (序号 | 存在问题 | 整改措施 | …): one problem per row.

Only a table whose header names a problem column counts; an indicator table (评价重点 ·
主要观测点 · 指标完成情况) does not. Rows repeating the previous problem (a cell merged down
across several measure rows) add measures to that problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.report.normalize import Paragraph

# Header cells are short names; a long cell that mentions 问题 is data, not a header.
_PROBLEM_HEADER = re.compile(
    r"(?:存在的?|主要|具体|反馈的?|发现的?|突出|整改)?问题(?:描述|内容|表现|清单|名称|事项|及表现)?"
)
_MEASURE_HEADER = re.compile(r"(?:具体|主要)?(?:整改|改进|落实)?(?:措施|举措|整改情况|整改建议|整改意见|整改要求)")
_CATEGORY_HEADER = re.compile(r"(?:问题)?(?:类别|类型|评价重点|领域|方面)")
_BLANKS = re.compile(r"\s+")


@dataclass(slots=True)
class TableProblem:
    """A problem read from one or more table rows."""

    description: str
    category_hint: str
    measures: list[str] = field(default_factory=list)


def _column(header: list[str], want: re.Pattern[str]) -> int:
    """Index of the first header cell that is exactly one of the names ``want`` allows; -1 if none."""
    for i, cell in enumerate(header):
        if want.fullmatch(_BLANKS.sub("", cell)):
            return i
    return -1


def _tables(paras: list[Paragraph]) -> list[list[list[str]]]:
    """Runs of consecutive table rows, each row split into cells."""
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    for p in paras:
        if p.table:
            current.append(p.text.split("\t"))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def problems_from_tables(paras: list[Paragraph]) -> list[TableProblem]:
    """Problems from every table with a problem column, in document order."""
    found: list[TableProblem] = []
    for rows in _tables(paras):
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
        last: TableProblem | None = None
        for row in rows[h + 1:]:
            text = row[col].strip() if col < len(row) else ""
            measure = row[m_col].strip() if 0 <= m_col < len(row) else ""
            if not text or text == header[col].strip():
                if last is not None and measure:
                    last.measures.append(measure)
                continue
            if last is not None and text == last.description:
                if measure and measure not in last.measures:
                    last.measures.append(measure)
                continue
            hint = row[c_col].strip() if 0 <= c_col < len(row) and c_col != col else ""
            last = TableProblem(text, hint, [measure] if measure else [])
            found.append(last)
    return found
