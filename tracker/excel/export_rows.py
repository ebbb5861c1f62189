"""From ProblemRows to the printed table: one block per problem, one line per measure, every
cell's text cleaned and checked. Shared by the Excel writer and the PDF painter, so paper and
spreadsheet say the same thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.domain import MeasureRow, ProblemRow, ProgressNoteRow, Status
from tracker.errors import ValidationError
from tracker.excel.export_options import (
    EXCEL_CELL_LIMIT,
    OVERDUE_SUFFIX,
    Column,
    Level,
    excel_length,
    too_long_for_cell,
)
from tracker import rules
from tracker.summary import cn_date
from tracker.text import clean_text


class CellTooLongError(ValidationError):
    """A cell's text is longer than Excel can hold; exporting it would cut it silently."""

    code = "cell_too_long"


@dataclass(frozen=True)
class LedgerLine:
    """One printed row: a measure (or a problem without measures) with its ids for round-trip."""

    texts: tuple[str, ...]  # visible cells in column order; problem-level texts on every line
    status: Status
    overdue: bool
    problem_id: int
    measure_id: int | None
    problem_version: int
    measure_version: int | None


@dataclass(frozen=True)
class LedgerBlock:
    """One problem: its lines, whose problem-level cells are merged vertically."""

    number: int
    lines: tuple[LedgerLine, ...]


def deadline_words(date: dt.date | None, text: str) -> str:
    """整改时限 as the clerk typed it (tracker.rules.deadline_words)."""
    return rules.deadline_words(date, text)


measure_deadline_words = rules.measure_deadline_words


def progress_words(notes: Sequence[ProgressNoteRow]) -> str:
    """整改进展: one "2026年11月1日：…" line per note, oldest first."""
    ordered = sorted(notes, key=lambda n: (n.noted_on, n.id))
    return "\n".join(f"{cn_date(n.noted_on)}：{n.text.strip()}" for n in ordered)


def status_words(status: Status, overdue: bool) -> str:
    """完成情况: the status word, with （逾期） appended when overdue (the importer strips it)."""
    return status.label + (OVERDUE_SUFFIX if overdue else "")


def problem_label(problem: ProblemRow) -> str:
    """How an error message names a problem: source, number and the start of its text."""
    head = problem.description.strip().replace("\n", " ")
    head = head[:20] + ("…" if len(head) > 20 else "")
    where = f"{problem.source}第{problem.seq}号问题" if problem.source else f"第{problem.seq}号问题"
    return f"{where}“{head}”"


def safe_text(value: str, problem: ProblemRow, header: str) -> str:
    """Text cleaned of control characters; longer than an Excel cell holds is an error."""
    text = clean_text(value)
    if too_long_for_cell(text):
        raise CellTooLongError(
            f"{problem_label(problem)}的“{header}”有{excel_length(text)}个字符，超过 Excel 单元格上限"
            f"{EXCEL_CELL_LIMIT}个字符，无法导出（导出不会截断内容）。请精简这一栏后再导出。",
            header,
        )
    return text


def measures_for_unit(problem: ProblemRow, unit: str | None) -> tuple[MeasureRow, ...]:
    """The measures a unit's ledger shows: all of them when the unit leads the problem (it
    answers for the whole problem), else only the measures it leads itself."""
    if not unit or problem.lead_unit == unit:
        return problem.measures
    return tuple(m for m in problem.measures if (m.lead_unit or problem.lead_unit) == unit)


def _problem_cells(problem: ProblemRow, number: int) -> dict[str, str]:
    return {
        "number": str(number), "source": problem.source, "category": problem.category,
        "description": problem.description, "goal": problem.goal,
        "leader": problem.leader, "remarks": problem.remarks,
        "evidence": evidence_words(problem.evidence_names),
    }


def evidence_words(names: Sequence[str]) -> str:
    """佐证材料: how many files and their names (3个：整改报告.pdf、现场照片.jpg、纪要.docx)."""
    return f"{len(names)}个：" + "、".join(names) if names else ""


def _measure_cells(problem: ProblemRow, m: MeasureRow | None, as_of: dt.date) -> dict[str, str]:
    if m is None:
        overdue = problem.is_overdue(as_of)
        return {
            "measure": "", "lead_unit": problem.lead_unit, "progress": "",
            "co_units": problem.co_units, "owner": problem.owner,
            "deadline": rules.deadline_words(problem.deadline, problem.deadline_text, as_of),
            "status": status_words(problem.status, overdue),
        }
    return {
        "measure": m.text, "lead_unit": m.lead_unit or problem.lead_unit,
        # Each measure answers for itself; an empty one falls back to the problem's.
        "co_units": m.co_units or problem.co_units, "owner": m.owner or problem.owner,
        "deadline": rules.measure_deadline_words(m, as_of),
        "progress": progress_words(m.notes),
        "status": status_words(m.status, m.is_overdue(as_of)),
    }


def build_block(
    problem: ProblemRow, number: int, columns: Sequence[Column], as_of: dt.date,
    unit: str | None = None,
) -> LedgerBlock:
    """The printed lines of one problem, numbered ``number`` in this ledger."""
    shared = {c.key: safe_text(v, problem, c.header)
              for c, v in _pick(columns, _problem_cells(problem, number), Level.PROBLEM)}
    measures: Sequence[MeasureRow | None] = measures_for_unit(problem, unit) or (None,)
    lines = []
    for m in measures:
        own = {c.key: safe_text(v, problem, c.header)
               for c, v in _pick(columns, _measure_cells(problem, m, as_of), Level.MEASURE)}
        cells = {**shared, **own}
        texts = tuple(cells[c.key] for c in columns)
        if m is None:
            lines.append(LedgerLine(texts, problem.status, problem.is_overdue(as_of),
                                    problem.id, None, problem.version, None))
        else:
            lines.append(LedgerLine(texts, m.status, m.is_overdue(as_of), problem.id, m.id,
                                    problem.version, m.version))
    return LedgerBlock(number, tuple(lines))


def _pick(columns: Sequence[Column], values: dict[str, str], level: Level
          ) -> list[tuple[Column, str]]:
    return [(c, values[c.key]) for c in columns if c.level is level]
