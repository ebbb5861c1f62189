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
from tracker.units import co_unit_named


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
    source: str = ""  # 问题来源, for the group row printed above each source's problems


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
    if value.isprintable() and len(value) * 2 <= EXCEL_CELL_LIMIT:
        return value  # nothing to clean, too short to be too long (the usual case)
    text = clean_text(value)
    if too_long_for_cell(text):
        raise CellTooLongError(
            f"{problem_label(problem)}的“{header}”有{excel_length(text)}个字符，超过 Excel 单元格上限"
            f"{EXCEL_CELL_LIMIT}个字符，无法导出（导出不会截断内容）。请精简这一栏后再导出。",
            header,
        )
    return text


def measures_for_unit(problem: ProblemRow, unit: str | None) -> tuple[MeasureRow, ...]:
    """The measures a unit's ledger shows: all of them when the unit leads the problem or
    co-operates on it as a whole (it answers for the whole problem), else the measures it leads
    or co-operates on itself — the same rule as `--unit` (query_filter.unit_clause)."""
    if not unit or problem.lead_unit == unit or co_unit_named(problem.co_units, unit):
        return problem.measures
    return tuple(m for m in problem.measures
                 if (m.lead_unit or problem.lead_unit) == unit or co_unit_named(m.co_units, unit))


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


def _measure_cells(problem: ProblemRow, m: MeasureRow | None, as_of: dt.date,
                   words: DeadlineWords) -> dict[str, str]:
    if m is None:
        overdue = problem.is_overdue(as_of)
        return {
            "measure": "", "lead_unit": problem.lead_unit, "progress": "",
            "co_units": problem.co_units, "owner": problem.owner,
            "deadline": words.problem(problem.deadline, problem.deadline_text),
            "status": status_words(problem.status, overdue), "percent": "",
        }
    return {
        "measure": m.text, "lead_unit": m.lead_unit or problem.lead_unit,
        # Each measure answers for itself; an empty one falls back to the problem's.
        "co_units": m.co_units or problem.co_units, "owner": m.owner or problem.owner,
        "deadline": words.measure(m),
        "progress": progress_words(m.notes) if m.notes else "",
        "status": status_words(m.status, m.is_overdue(as_of)),
        "percent": "" if m.percent is None else f"{m.percent}%",
    }


class DeadlineWords:
    """整改时限 as the rules write it on one day, each distinct deadline worked out once (the
    rule parses the typed text again, about 10 µs; a ledger has few distinct deadlines)."""

    LIMIT = 50_000  # distinct deadlines remembered before starting afresh

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._seen: dict[tuple[object, ...], str] = {}

    def problem(self, date: dt.date | None, text: str) -> str:
        """A problem's own deadline (rules.deadline_words)."""
        key = (date, text)
        got = self._seen.get(key)
        if got is None:
            got = self._keep(key, rules.deadline_words(date, text, self.as_of))
        return got

    def measure(self, m: MeasureRow) -> str:
        """A measure's deadline, with its original once extended (rules.measure_deadline_words)."""
        key = (m.deadline, m.deadline_text, m.original_deadline, m.original_deadline_text, 1)
        got = self._seen.get(key)
        if got is None:
            got = self._keep(key, rules.measure_deadline_words(m, self.as_of))
        return got

    def _keep(self, key: tuple[object, ...], words: str) -> str:
        if len(self._seen) >= self.LIMIT:
            self._seen.clear()
        self._seen[key] = words
        return words


class BlockBuilder:
    """The printed lines of each problem of one ledger (its columns, day and unit): the
    columns are sorted by level once and the deadline words shared across problems."""

    def __init__(self, columns: Sequence[Column], as_of: dt.date, unit: str | None = None
                 ) -> None:
        self.columns = tuple(columns)
        self.as_of = as_of
        self.unit = unit
        self.words = DeadlineWords(as_of)
        self.problem_cols = [(c.key, c.header) for c in columns if c.level is Level.PROBLEM]
        self.measure_cols = [(c.key, c.header) for c in columns if c.level is Level.MEASURE]
        self.keys = [c.key for c in columns]

    def block(self, problem: ProblemRow, number: int) -> LedgerBlock:
        """The printed lines of one problem, numbered ``number`` in this ledger."""
        values = _problem_cells(problem, number)
        shared = {k: safe_text(values[k], problem, h) for k, h in self.problem_cols}
        measures: Sequence[MeasureRow | None] = measures_for_unit(problem, self.unit) or (None,)
        lines = []
        as_of, keys = self.as_of, self.keys
        for m in measures:
            values = _measure_cells(problem, m, as_of, self.words)
            cells = dict(shared)
            for k, h in self.measure_cols:
                cells[k] = safe_text(values[k], problem, h)
            texts = tuple([cells[k] for k in keys])
            if m is None:
                lines.append(LedgerLine(texts, problem.status, problem.is_overdue(as_of),
                                        problem.id, None, problem.version, None))
            else:
                lines.append(LedgerLine(texts, m.status, m.is_overdue(as_of), problem.id, m.id,
                                        problem.version, m.version))
        return LedgerBlock(number, tuple(lines), safe_text(problem.source, problem, "问题来源"))


def build_block(
    problem: ProblemRow, number: int, columns: Sequence[Column], as_of: dt.date,
    unit: str | None = None,
) -> LedgerBlock:
    """The printed lines of one problem, numbered ``number`` in this ledger (a whole ledger:
    one BlockBuilder for all its problems)."""
    return BlockBuilder(columns, as_of, unit).block(problem, number)
