"""What an import asks the ledger to write, as plain frozen data: planned problems, measures,
notes and sources, and the row updates of a round-tripped ledger. tracker.excel builds these
from a workbook; tracker.services applies them. Neither openpyxl nor the database is known here,
so the services never need to import tracker.excel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.domain import MeasureInput, ProblemInput, SourceKind

KEEP_LEDGER, TAKE_FILE = "keep-ledger", "take-file"
RESOLUTIONS = (KEEP_LEDGER, TAKE_FILE)


@dataclass(frozen=True)
class NoteLine:
    """One dated progress note read from a 整改进展 cell."""

    noted_on: dt.date
    text: str
    dated: bool  # True when the line carried its own date


@dataclass(frozen=True)
class PlannedMeasure:
    """One measure to create, with the progress notes read from its row."""

    row: int
    data: MeasureInput
    notes: tuple[NoteLine, ...] = ()

    @property
    def percent(self) -> int | None:
        """完成进度 read from the row (0-100), stored on the measure (100 % also means 已完成)."""
        return self.data.percent


@dataclass(frozen=True)
class PlannedProblem:
    """One problem to create: where it is in the file, its source's name and its measures."""

    sheet: str
    row: int
    last_row: int
    source: tuple[str, int | None]  # the source's (title, year); resolved to an id when applied
    file_seq: int | None
    data: ProblemInput
    measures: tuple[PlannedMeasure, ...]
    warned: bool = False  # some row of it carries a warning


@dataclass(frozen=True)
class PlannedSource:
    """A source the import files problems under: an existing one (id) or a new one."""

    key: tuple[str, int | None]  # what PlannedProblem.source names: (title, year) as read
    title: str
    year: int | None
    kind: SourceKind
    existing_id: int | None
    use_file_seq: bool  # keep the file's 序号 (unique numbers, source empty before)


@dataclass(frozen=True)
class FieldChange:
    """One value the file changes: entity (problem / measure / note), field, old and new."""

    entity: str
    field: str
    label: str
    old: str
    new: str
    value: Any = None  # the typed new value: str, Status, Deadline, NoteLine or PlannedMeasure
    exported: str | None = None  # the value at export time, when the ledger has moved since

    def describe(self) -> str:
        """“完成情况：“整改中” → “已完成”” / “新增进展：2026年11月1日：…”."""
        if self.entity == "note":
            return f"新增进展：{self.new}"
        if self.exported is not None and self.exported != self.old:
            return (f"{self.label}：导出时“{self.exported}”，台账中现为“{self.old}”，"
                    f"文件改为“{self.new}”")
        return f"{self.label}：“{self.old}” → “{self.new}”"


@dataclass(frozen=True)
class RowUpdate:
    """The changes one file row makes to a stored problem or measure."""

    sheet: str
    row: int
    problem_id: int
    measure_id: int | None  # None: changes to the problem itself, or a measure the unit added
    changes: tuple[FieldChange, ...]
    seen_problem_version: int | None  # stored versions when the plan was made: re-checked on apply
    seen_measure_version: int | None
    conflict: str = ""  # why the clerk must choose (empty: no conflict)
    recreate: PlannedProblem | None = None  # a problem deleted in the app since the export
    # The row as it will read after the import: 存在问题, 整改措施, 牵头单位, 整改时限, 完成情况,
    # new 整改进展; and which of those the file changes.
    after: tuple[str, ...] = ()
    changed: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """Stable name of the row for resolutions: 工作表!行."""
        return f"{self.sheet}!{self.row}"

    @property
    def is_new_measure(self) -> bool:
        """True when the row adds a measure to a stored problem."""
        return any(c.entity == "measure" and c.field == "create" for c in self.changes)

    def describe(self) -> str:
        """One line per change, prefixed with where the row is."""
        what = f"问题{self.problem_id}" + (f" 措施{self.measure_id}" if self.measure_id else "")
        if self.recreate is not None:  # the number may be another problem's by now
            what = f"导出时的问题{self.problem_id}"
        head = f"工作表“{self.sheet}”第{self.row}行（{what}）"
        if self.conflict:
            head += f"【冲突：{self.conflict}】"
        return "\n".join([head, *("  " + c.describe() for c in self.changes)])


class ImportRequest(Protocol):
    """What applying an import reads of a checked plan (tracker.excel's ImportPlan is one)."""

    @property
    def problems(self) -> Sequence[PlannedProblem]:
        """New problems to add."""

    @property
    def sources(self) -> Sequence[PlannedSource]:
        """Sources the new problems are filed under."""

    @property
    def updates(self) -> Sequence[RowUpdate]:
        """Changes to stored problems and measures."""

    @property
    def conflicts(self) -> Sequence[RowUpdate]:
        """Updates the clerk must decide."""

    @property
    def errors(self) -> Sequence[object]:
        """Findings that block the import (non-empty refuses it)."""

    def rejection(self) -> Exception:
        """The error to raise when ``errors`` is not empty."""
