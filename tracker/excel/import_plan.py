"""build_plan(): read a whole Excel ledger and decide everything an import would do (new
problems, measures, sources and units; updates from a round-tripped ledger; every error and
warning with its cell) before anything is written. The plan is checked in full first, so an
import is all or nothing."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl.utils import get_column_letter

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemRow, SourceKind
from tracker.errors import CellProblem, ImportRejected
from tracker.excel.cells import MergeMap
from tracker.excel.column_guess import MapError, detect_mapping, parse_map, unused_columns
from tracker.excel.header_detect import ColumnMapping, SheetMeta, detect_meta, normalize_header
from tracker.excel.import_duplicates import duplicate_findings
from tracker.excel.import_marker import ExportMarker
from tracker.excel.import_report import Corrections as Corrections  # re-exported
from tracker.excel.import_report import ImportOptions as ImportOptions  # re-exported
from tracker.excel.import_report import SheetReport as SheetReport  # re-exported
from tracker.excel.import_report import reference_date
from tracker.excel.import_rows import ERROR, WARNING, Finding, RowGroup, SheetWalker
from tracker.excel.import_values import PlannedProblem, ValueReader
from tracker.excel.reading import SheetData, WorkbookData, open_workbook
from tracker.excel.roundtrip import RoundTripDiff, RowUpdate, merge_duplicates
from tracker.excel.roundtrip_seen import ExportHistory, SeenProblem, current_view
from tracker.import_model import PlannedSource as PlannedSource  # re-exported
from tracker.services.history import list_history
from tracker.services.identity import NewSince, new_since
from tracker.services.queries import list_problems
from tracker.services.reference import list_categories, list_sources, list_units

ProgressFn = Callable[[int, int, str], None]
SourceKey = tuple[str, int | None]  # (title, year)
_YEAR = re.compile(r"(?<![0-9])(19[9][0-9]|20[0-9]{2})(?![0-9])")
_KIND_WORDS = ((("巡视", "巡察"), SourceKind.INSPECTION), (("审计",), SourceKind.AUDIT),
               (("自查", "自评"), SourceKind.SELF_CHECK), (("履行教育职责", "评价"), SourceKind.EVALUATION),
               (("督导",), SourceKind.SPECIAL), (("交办",), SourceKind.ASSIGNED))


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will do, and every reason it cannot or should be checked."""

    path: Path
    sheets: tuple[SheetReport, ...]
    problems: tuple[PlannedProblem, ...]
    sources: tuple[PlannedSource, ...]
    new_units: tuple[str, ...]
    updates: tuple[RowUpdate, ...]
    findings: tuple[Finding, ...]
    duplicates: int = 0  # new problems whose text is already in the ledger

    @property
    def all_duplicates(self) -> bool:
        """True when every new problem of the file is already in the ledger (imported before)."""
        return bool(self.problems) and self.duplicates >= len(self.problems)

    @property
    def errors(self) -> list[Finding]:
        """Findings that block the import."""
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Doubtful rows: imported, but worth a look."""
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def conflicts(self) -> list[RowUpdate]:
        """Updates the clerk must decide (changed in the app since the export)."""
        return [u for u in self.updates if u.conflict]

    @property
    def measure_count(self) -> int:
        """Measures the new problems bring."""
        return sum(len(p.measures) for p in self.problems)

    @property
    def is_round_trip(self) -> bool:
        """True when any sheet carried this app's hidden ids."""
        return any(s.round_trip for s in self.sheets)

    def mapping_text(self) -> str:
        """Every sheet's column mapping (表头 → 字段), unused columns and reference date."""
        return "\n".join(line for s in self.sheets for line in s.mapping_lines())

    def rejection(self) -> ImportRejected:
        """The error listing every bad cell, in sheet and row order."""
        cells = [CellProblem(self.path.name, f.sheet, f.row, f.column, f.message)
                 for f in self.errors]
        return ImportRejected(f"“{self.path.name}”中有 {len(cells)} 处错误，没有导入任何内容。"
                              "请改正以下单元格后重新导入：", cells)

    def summary(self) -> str:
        """将导入 N 个问题、M 项措施；新建单位：… (what --dry-run and the wizard show)."""
        parts = []
        if self.problems or not self.updates:
            notes = sum(len(m.notes) for p in self.problems for m in p.measures)
            parts.append(f"将导入 {len(self.problems)} 个问题、{self.measure_count} 项措施"
                         + (f"、{notes} 条整改进展" if notes else ""))
        if self.updates:
            changed = len({u.problem_id for u in self.updates})
            count = sum(len(u.changes) for u in self.updates)
            parts.append(f"将更新 {changed} 个已有问题的 {count} 处内容")
        if self.conflicts:
            parts.append(f"其中 {len(self.conflicts)} 处与台账中导出后的修改冲突，需要选择保留哪一方")
        parts.append("新建单位：" + ("、".join(self.new_units) if self.new_units else "无"))
        new_sources = [s.title + (f"（{s.year}年）" if s.year and str(s.year) not in s.title
                                  else "") for s in self.sources if s.existing_id is None]
        if new_sources:
            parts.append("新建问题来源：" + "、".join(new_sources))
        if self.warnings:
            parts.append(f"另有 {len(self.warnings)} 处提醒请核对")
        return "；".join(parts) + "。"


def guess_kind(title: str) -> SourceKind:
    """The kind a source's name suggests (巡察 -> inspection, 审计 -> audit, …)."""
    for words, kind in _KIND_WORDS:
        if any(w in title for w in words):
            return kind
    return SourceKind.OTHER


def _corrected(data: SheetData, merges: MergeMap, fixes: Corrections) -> SheetData:
    mine = {(r, c): v for (s, r, c), v in fixes.items() if s == data.name}
    if not mine:
        return data
    rows = dict(data.rows)
    width = data.width
    for (r, c), value in mine.items():
        r, c = merges.origin(r, c)
        values = list(rows.get(r, ()))
        if c > len(values):
            values.extend([None] * (c - len(values)))
        values[c - 1] = value
        rows[r] = tuple(values)
        width = max(width, c)
    return replace(data, rows=rows, width=width)


class _Planner:
    """Carries the state of one build_plan call across its sheets."""

    def __init__(self, ledger: Ledger, book: WorkbookData, options: ImportOptions,
                 progress: ProgressFn | None) -> None:
        self.ledger = ledger
        self.book = book
        self.options = options
        self.progress = progress
        self.today = options.today or clock.today()
        self.findings: list[Finding] = []
        self.sources: dict[SourceKey, PlannedSource] = {}
        self.existing_sources = list_sources(ledger)
        self.marker = ExportMarker.read(book)
        self.round_trip_file = self.marker is not None
        if self.marker is not None and not options.as_new:
            self.marker.check_ledger(ledger, book.path.name)
        self.exported_at = self.marker.exported_at if self.marker else None
        self._history: ExportHistory | None = None
        self.new_since = NewSince()
        self._as_new: dict[int, PlannedProblem] = {}  # --as-new: each exported problem once
        try:
            self.overrides = parse_map(options.column_map)
        except MapError as exc:
            raise ImportRejected(str(exc)) from exc
        self.mapped_heads: set[str] = set()  # --map headers found in some sheet

    def sheet_names(self) -> list[str]:
        if self.options.sheet:
            return [self.options.sheet]
        return [n for n in self.book.sheet_names if not self.book.is_hidden(n)]

    def skip_plain(self, mapping: ColumnMapping | None) -> bool:
        """In a file this app exported, only sheets with the hidden ids are ledgers (not 统计)."""
        return (self.round_trip_file and not self.options.sheet and not self.options.as_new
                and (mapping is None or not mapping.is_round_trip))

    def read(self, name: str) -> tuple[SheetReport, list[RowGroup], ValueReader | None]:
        raw = self.book.sheet(name)
        if raw.cut_columns:
            self.findings.append(Finding(name, 0, "", "第256列以后的内容不属于台账，未读取。", WARNING))
        last_row = max(raw.rows, default=0)
        merges = MergeMap(raw.merged, last_row, raw.width, name)
        data = _corrected(raw, merges, self.options.corrections)
        mapping = self.options.mappings.get(name) or detect_mapping(data, merges, self.overrides)
        if self.skip_plain(mapping):
            return SheetReport(name, mapping, SheetMeta(), False, "不是台账工作表"), [], None
        if mapping is None or "description" not in mapping.columns:
            if self.options.sheet or self.options.mappings.get(name):
                self.findings.append(Finding(name, 0, "", "在前20行中找不到含“存在问题”（或问题描述、"
                                             "具体问题）的表头行，请在导入向导中指定表头行和各列。"))
            return SheetReport(name, mapping, SheetMeta(), False, "未找到台账表头"), [], None
        self.mapped_heads |= {normalize_header(h) for h in mapping.headers.values()}
        meta = detect_meta(data, merges, mapping.header_row)
        walker = SheetWalker(data, merges, mapping, self.options.blank_continues)
        groups = walker.walk()
        self.findings += walker.findings
        fill_date = self.options.date or meta.fill_date
        reference, said = reference_date(self.options.date, meta, self.today)
        reader = ValueReader(name, mapping, reference, fill_date, self.today)
        reader.reference_from = said if not fill_date else ""
        # --as-new: a first import (another ledger's export) keeps 已销号, as a hand-made one.
        reader.returned = self.round_trip_file and not self.options.as_new
        for note in mapping.notes:
            self.findings.append(Finding(name, mapping.header_row, note.split("列", 1)[0], note,
                                         WARNING))
        unused = tuple((get_column_letter(c), h, n) for c, h, n in unused_columns(
            data, merges, mapping, (c.row for g in groups for c in g.rows)))
        for letter, head, n in unused:
            self.findings.append(Finding(
                name, mapping.header_row, letter, f"{letter}列“{head}”有{n}个单元格有内容，但没有对应的"
                "台账字段，未导入。需要时用 --map 表头=字段（或在向导中）指定它是哪一列。", WARNING))
        report = SheetReport(name, mapping, meta, mapping.is_round_trip and not self.options.as_new,
                             "", walker.skipped_notes, unused, reference, said)
        return report, groups, reader

    def source_for(self, reader: ValueReader, group: RowGroup, meta: SheetMeta) -> SourceKey:
        year = meta.fill_date.year if meta.fill_date else None
        named = reader.text(group.first, "source") if reader.has("source") else ""
        named = named or group.first.source  # a "问题来源：…" group row above the problem
        if named:
            m = _YEAR.search(named)
            return self._source(named, int(m.group(1)) if m else year, by_title_only=True)
        if self.options.source:
            return self._source(self.options.source.strip(), year, by_title_only=True)
        return self._source(self.book.path.stem, year, by_title_only=False)

    def _source(self, title: str, year: int | None, by_title_only: bool) -> SourceKey:
        key = (title, year)
        if key in self.sources:
            return key
        found = None
        for s in self.existing_sources:
            if by_title_only and title in (s.title, s.display, s.doc_number):
                found = s
                break
            if not by_title_only and s.title == title and s.year == year:
                found = s
                break
        self.sources[key] = PlannedSource(
            key, found.title if found else title, found.year if found else year,
            found.kind if found else guess_kind(title), found.id if found else None, False)
        return key

    def seen_for(self, p: ProblemRow, stale: bool) -> SeenProblem:
        """The problem as exported: rebuilt from the history when it changed since."""
        if not stale or self.exported_at is None:
            return current_view(p)
        if self._history is None:
            self._history = ExportHistory(
                self.exported_at, {u.id: u.name for u in list_units(self.ledger)},
                {c.id: c.name for c in list_categories(self.ledger)})
        return self._history.seen(p, list_history(self.ledger, problem_id=p.id))

    def stored(self, groups: list[RowGroup]) -> dict[int, ProblemRow]:
        """The stored problems the file's rows refer to. A problem created after the export
        under a reused id is left out: the file's row refers to the deleted one."""
        ids = sorted({g.problem_id for g in groups if g.problem_id is not None})
        out: dict[int, ProblemRow] = {}
        if not ids or self.options.as_new:
            return out
        mark = self.marker.history_mark if self.marker else None
        self.new_since = new_since(self.ledger, mark, self.exported_at)
        ids = [i for i in ids if i not in self.new_since.problems]
        for start in range(0, len(ids), 900):
            chunk = tuple(ids[start:start + 900])
            for p in list_problems(self.ledger, ProblemFilter(ids=chunk), with_notes=True):
                out[p.id] = p
        return out

    def as_new(self, planned: PlannedProblem, problem_id: int) -> bool:
        """--as-new: True the first time an exported problem is met. The 分单位 sheets repeat
        the main sheet's problems: a repeat adds nothing, and one filled in differently is an
        error rather than a silent choice of one copy."""
        first = self._as_new.get(problem_id)
        if first is None:
            self._as_new[problem_id] = planned
            return True
        same = (_problem_texts(first) == _problem_texts(planned) and all(
            (m.data, m.notes) in {(f.data, f.notes) for f in first.measures}
            for m in planned.measures))
        if not same:
            self.findings.append(Finding(
                planned.sheet, planned.row, "", f"与工作表“{first.sheet}”第{first.row}行是同一个问题，"
                "但两处填写的内容不一致，请统一后再导入。"))
        return False


def _problem_texts(p: PlannedProblem) -> tuple[str, ...]:
    # Not lead_unit: a unit's sheet may start the problem on a measure another unit leads.
    d = p.data
    return (d.description, d.category, d.goal, d.co_units, d.leader, d.owner, d.remarks)


def _file_seq_sources(problems: list[PlannedProblem], sources: dict[SourceKey, PlannedSource],
                      counts: dict[int, int]) -> dict[SourceKey, PlannedSource]:
    out = {}
    for key, src in sources.items():
        seqs = [p.file_seq for p in problems if p.source == key]
        empty = src.existing_id is None or counts.get(src.existing_id, 0) == 0
        ok = bool(seqs) and None not in seqs and len(set(seqs)) == len(seqs) and empty
        out[key] = replace(src, use_file_seq=ok)
    return out


def build_plan(
    ledger: Ledger, path: str | os.PathLike[str] | WorkbookData,
    options: ImportOptions = ImportOptions(), progress: ProgressFn | None = None,
) -> ImportPlan:
    """Read and check the whole file; nothing is written. Errors are in ``plan.errors``."""
    book = path if isinstance(path, WorkbookData) else open_workbook(path)
    try:
        return _build(ledger, book, options, progress)
    finally:
        if not isinstance(path, WorkbookData):
            book.close()


def _build(ledger: Ledger, book: WorkbookData, options: ImportOptions,
           progress: ProgressFn | None) -> ImportPlan:
    planner = _Planner(ledger, book, options, progress)
    names = planner.sheet_names()
    read = []
    for i, name in enumerate(names):
        if progress is not None:
            progress(i, len(names), f"正在读取工作表“{name}”…")
        read.append((name, *planner.read(name)))
    reports = [r for _, r, _, _ in read]
    if (planner.round_trip_file and not any(r.round_trip for r in reports) and not options.sheet
            and not options.as_new):
        raise ImportRejected(
            f"“{book.path.name}”是本程序导出的台账，但隐藏的“问题ID”“措施ID”列已被删除，无法对应到原有问题。"
            "为免重复导入，没有导入任何内容。请让填报单位在原文件上填写（不要删除列），"
            "或确要作为新问题导入时，用 --sheet（或在向导中选定工作表）指定工作表。")
    if not any(not r.skipped for r in reports) and not planner.findings:
        raise ImportRejected(
            f"“{book.path.name}”中没有找到台账：任何工作表的前20行都没有含“存在问题”（或问题描述、"
            "具体问题）的表头行。", [CellProblem(book.path.name, n, 0, "", "未找到台账表头")
                               for n in names])
    stored = planner.stored([g for _, _, groups, _ in read for g in groups])
    problems: list[PlannedProblem] = []
    updates: list[RowUpdate] = []
    for name, report, groups, reader in read:
        if reader is None:
            continue
        diff = RoundTripDiff(reader, stored, planner.today, planner.seen_for,
                             planner.new_since.measures)
        for group in groups:
            key = planner.source_for(reader, group, report.meta)
            if group.problem_id is not None and not options.as_new:
                diff.group(group, key)
            elif group.problem_id is not None:
                planned = reader.problem(group, key)
                if planner.as_new(planned, group.problem_id):
                    problems.append(planned)
            else:
                problems.append(reader.problem(group, key))
        updates += diff.updates
        planner.findings += reader.findings + reader.inferred_findings()
    for head in set(planner.overrides) - planner.mapped_heads:
        if planner.overrides[head]:
            planner.findings.append(Finding(names[0] if names else "", 0, "",
                                            f"--map 指定的表头“{head}”在表头行中没有找到。"))
    updates, dup_findings = merge_duplicates(updates)
    planner.findings += dup_findings
    desc_col = {r.name: r.mapping.letter("description") for r in reports if r.mapping}
    repeated = duplicate_findings(ledger, problems, desc_col)
    planner.findings += repeated
    counts = {s.id: s.problem_count for s in planner.existing_sources}
    # Only sources something is filed under: a return that only updates creates none.
    used = {p.source for p in problems} | {u.recreate.source for u in updates if u.recreate}
    sources = _file_seq_sources(problems, {k: v for k, v in planner.sources.items() if k in used},
                                counts)
    known = {u.name for u in list_units(ledger)}
    wanted: dict[str, None] = {}
    for p in problems + [u.recreate for u in updates if u.recreate is not None]:
        for name in [p.data.lead_unit, *(m.data.lead_unit for m in p.measures)]:
            if name and name not in known:
                wanted[name] = None
    for u in updates:
        for c in u.changes:
            name = c.new if c.field == "lead_unit" else ""
            if c.field == "create" and c.entity == "measure":
                name = c.value.data.lead_unit
            if name and name not in known:
                wanted[name] = None
    findings = sorted(planner.findings, key=lambda f: (names.index(f.sheet) if f.sheet in names
                                                       else -1, f.row, f.column))
    return ImportPlan(book.path, tuple(reports), tuple(problems),
                      tuple(sources[k] for k in sources), tuple(wanted), tuple(updates),
                      tuple(findings), len(repeated))
