"""A ledger this app exported, filled in by a unit and sent back: compare each row (found by its
hidden problem and measure ids) with what is stored now, and list the changes to apply. A row
changed in the app after the export (its version moved) and also changed in the file is a
conflict the clerk decides; nothing is ever overwritten silently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tracker.deadlines import Deadline, format_date_cn
from tracker.domain import MeasureRow, ProblemInput, ProblemRow, Status
from tracker.excel.cells import NoteLine, cell_text
from tracker.excel.export_rows import deadline_words, progress_words
from tracker.excel.cell_kinds import percent_of
from tracker.excel.import_rows import WARNING, Finding, RowCells, RowGroup, parse_id
from tracker.excel.import_values import ValueReader
from tracker.excel.roundtrip_seen import SeenMeasure, SeenProblem, current_view
from tracker.import_model import KEEP_LEDGER as KEEP_LEDGER  # re-exported, as are the next
from tracker.import_model import RESOLUTIONS as RESOLUTIONS
from tracker.import_model import TAKE_FILE as TAKE_FILE
from tracker.import_model import FieldChange, RowUpdate
from tracker.units import canonical_co_units

PROBLEM_FIELDS = {"description": "存在问题", "category": "问题类别", "goal": "整改目标",
                  "co_units": "配合单位", "leader": "责任领导", "owner": "责任人", "remarks": "备注"}
MEASURE_PEOPLE = ("owner", "co_units")  # problem columns a measure row may override
SeenFor = Callable[[ProblemRow, bool], SeenProblem]  # (problem, changed since export) -> seen


def _deadline_text(d: Deadline) -> str:
    if d.text:
        return d.text
    return format_date_cn(d.date) if d.date else ""


class RoundTripDiff:
    """Compares the groups of one sheet with the stored problems. A file value counts as the
    unit's edit when it differs from what the ledger held at export time (``seen_for``), so a
    value changed in the app after the export is not undone by the file's old copy."""

    def __init__(self, reader: ValueReader, stored: dict[int, ProblemRow], today: dt.date,
                 seen_for: SeenFor = lambda p, stale: current_view(p),
                 new_measures: frozenset[int] = frozenset()) -> None:
        self.reader = reader
        self.stored = stored
        self.today = today
        self.seen_for = seen_for
        # Measures created after the export: an id among them in the file is a deleted
        # measure's, reused (SQLite hands out max(id)+1 again), never this one.
        self.new_measures = new_measures
        self.updates: list[RowUpdate] = []

    @property
    def findings(self) -> list[Finding]:
        """Errors and warnings recorded while comparing."""
        return self.reader.findings

    def group(self, group: RowGroup, source: tuple[str, int | None]) -> None:
        """Add the updates one exported problem's rows make."""
        assert group.problem_id is not None
        first = group.first
        stored = self.stored.get(group.problem_id)
        if stored is None:
            planned = self.reader.problem(group, source)
            change = FieldChange("problem", "create", "问题", "", planned.data.description[:40])
            self.updates.append(RowUpdate(
                group.sheet, first.row, group.problem_id, None, (change,), None, None,
                "导出后已在台账中删除了这个问题", planned))
            return
        stale = parse_id(first.values.get("problem_version")) != stored.version
        by_id = {m.id: m for m in stored.measures if m.id not in self.new_measures}
        versions = {mid: m.version for mid, m in by_id.items()}
        # A measure can change without its problem's row changing (same rollup, same second).
        moved_any = any(parse_id(c.values.get("measure_version")) != versions.get(
            parse_id(c.values.get("measure_id")) or 0, -2) for c in group.rows
            if parse_id(c.values.get("measure_id")) in versions)
        seen = self.seen_for(stored, stale or moved_any)
        per_measure = self._per_measure(group)
        problem_changes = self._problem_changes(first, stored, seen, per_measure)
        if problem_changes:
            self._add(group.sheet, first.row, stored, None, problem_changes, stale)
        for cells in group.rows:
            mid = parse_id(cells.values.get("measure_id"))
            if mid == -1:
                self.reader.finding(cells.row, "measure_id", "措施ID不是数字（这一列由程序导出时填写，"
                                    "请勿修改）。", value=cells.values.get("measure_id"))
                continue
            if mid is None or mid not in by_id:
                self._new_measure(cells, stored, mid)
                continue
            m = by_id[mid]
            changes = self._measure_changes(cells, stored, m, seen.measures[mid], per_measure)
            if changes:
                moved = parse_id(cells.values.get("measure_version")) != m.version
                self._add(group.sheet, cells.row, stored, m, changes, stale or moved)

    def _add(self, sheet: str, row: int, p: ProblemRow, m: MeasureRow | None,
             changes: list[FieldChange], stale: bool) -> None:
        conflict = "导出后这一条已在台账中修改过" if stale else ""
        self.updates.append(RowUpdate(sheet, row, p.id, m.id if m else None, tuple(changes),
                                      p.version, m.version if m else None, conflict,
                                      None, *_after(p, m, changes)))

    def _per_measure(self, group: RowGroup) -> frozenset[str]:
        """责任人 / 配合单位 columns the file holds per measure row. Files exported before they
        became measure cells merge them over the problem: there they stay the problem's."""
        out = set()
        for fld in MEASURE_PEOPLE:
            merged = any(fld not in c.own and cell_text(c.values.get(fld)).strip()
                         for c in group.rows[1:])
            if self.reader.has(fld) and not merged:
                out.add(fld)
        return frozenset(out)

    def _problem_changes(self, cells: RowCells, p: ProblemRow, seen: SeenProblem,
                         per_measure: frozenset[str] = frozenset()) -> list[FieldChange]:
        out = []
        for fld, label in PROBLEM_FIELDS.items():
            if not self.reader.has(fld) or fld in per_measure:
                continue
            new = self.reader.text(cells, fld)
            if fld == "co_units":  # stored as folded names joined by "、"
                new = canonical_co_units(new)
            if fld == "description" and not new:
                self.reader.finding(cells.row, fld, "“存在问题”不能为空。")
                continue
            was = seen.fields[fld]
            # The ledger already holding the file's value is no change (a file applied twice).
            if new != was.strip() and new != str(getattr(p, fld) or "").strip():
                out.append(FieldChange("problem", fld, label, getattr(p, fld), new, new, was))
        return out

    def _measure_changes(self, cells: RowCells, p: ProblemRow, m: MeasureRow,
                         seen: SeenMeasure, per_measure: frozenset[str] = frozenset()
                         ) -> list[FieldChange]:
        r = self.reader
        out: list[FieldChange] = []
        # Each test also skips a value the ledger already holds: re-importing a file that was
        # applied before changes nothing and conflicts with nothing.
        if r.has("measure"):
            text = r.text(cells, "measure")
            if text and text != seen.text.strip() and text != m.text.strip():
                out.append(FieldChange("measure", "text", "整改措施", m.text, text, text,
                                       seen.text))
        if r.has("lead_unit"):
            unit = r.text(cells, "lead_unit")
            now = m.lead_unit or p.lead_unit
            if unit and unit != seen.lead_unit and unit != now:
                out.append(FieldChange("measure", "lead_unit", "牵头单位", now, unit, unit,
                                       seen.lead_unit))
        for fld in sorted(per_measure):
            value = r.text(cells, fld)
            if fld == "co_units":
                value = canonical_co_units(value)
            was, now = getattr(seen, fld), getattr(m, fld) or getattr(p, fld)
            if value and value != was.strip() and value != now.strip():
                out.append(FieldChange("measure", fld, PROBLEM_FIELDS[fld], now, value, value, was))
        if r.has("deadline"):
            out += self._deadline_change(cells, m, seen)
        if r.has("percent"):
            out += self._percent_change(cells, m, seen)
        extra = ""
        if r.has("status"):
            status, extra = r.status(cells)
            if status is Status.CLOSED and Status.CLOSED not in (seen.status, m.status):
                status = r.returned_status(cells.row, status)
            if status is not None and status is not seen.status and status is not m.status:
                out.append(FieldChange("measure", "status", "完成情况", m.status.label,
                                       status.label, status, seen.status.label))
        if r.has("progress"):
            out += self._note_changes(cells, m)
        if extra:
            note = NoteLine(self.today, extra, False)
            out.append(FieldChange("note", "note", "整改进展", "", f"{format_date_cn(note.noted_on)}："
                                   f"{note.text}", note))
        return out

    def _deadline_change(self, cells: RowCells, m: MeasureRow, seen: SeenMeasure
                         ) -> list[FieldChange]:
        value = cells.values.get("deadline")
        text = cell_text(value).strip()
        was = deadline_words(seen.deadline, seen.deadline_text)
        now = deadline_words(m.deadline, m.deadline_text)
        if not text or text in (was, now, seen.deadline_text.strip(), m.deadline_text.strip()):
            return []
        d = self.reader.deadline(cells)
        if d is None or (d.date, d.kind) in ((seen.deadline, seen.deadline_kind),
                                             (m.deadline, m.deadline_kind)):
            return []
        return [FieldChange("measure", "deadline", "整改时限", deadline_words(m.deadline,
                            m.deadline_text), _deadline_text(d), d, was)]

    def _percent_change(self, cells: RowCells, m: MeasureRow, seen: SeenMeasure
                        ) -> list[FieldChange]:
        """完成进度 ("60%" or 0.6): an empty cell changes nothing, as with the other fields."""
        value = cells.values.get("percent")
        if not cell_text(value).strip():
            return []
        pct = percent_of(value)
        if pct is None:
            self.reader.finding(cells.row, "percent", f"完成进度“{cell_text(value)[:30]}”不是百分比"
                                "（如 60% 或 0.6），未导入。", WARNING, value)
            return []
        if pct in (seen.percent, m.percent):
            return []
        return [FieldChange("measure", "percent", "完成进度", _pct(m.percent), _pct(pct), pct,
                            _pct(seen.percent))]

    def _note_changes(self, cells: RowCells, m: MeasureRow) -> list[FieldChange]:
        text = cell_text(cells.values.get("progress")).strip()
        if not text or text == progress_words(m.notes).strip():
            return []
        known = {(n.noted_on, n.text.strip()) for n in m.notes}
        out = []
        for note in self.reader.notes(cells, self.today):
            if (note.noted_on, note.text) not in known:
                shown = f"{format_date_cn(note.noted_on)}：{note.text}"
                out.append(FieldChange("note", "note", "整改进展", "", shown, note))
        return out

    def _new_measure(self, cells: RowCells, p: ProblemRow, mid: int | None) -> None:
        planned = self.reader.measure(cells, _problem_input(p), self.reader.has("measure"))
        if planned is None:
            return
        change = FieldChange("measure", "create", "整改措施", "", planned.data.text or "（无文字）",
                             planned)
        conflict = "导出后已在台账中删除了这项措施" if mid is not None else ""
        self.updates.append(RowUpdate(self.reader.sheet, cells.row, p.id, None, (change,),
                                      p.version, None, conflict))


def _after(p: ProblemRow, m: MeasureRow | None, changes: list[FieldChange]
           ) -> tuple[tuple[str, ...], frozenset[str]]:
    new = {c.field: c.new for c in changes if c.entity != "note"}
    notes = "\n".join(c.new for c in changes if c.entity == "note")
    if m is None:
        others = "；".join(c.describe() for c in changes if c.field != "description")
        return (new.get("description", p.description), "", "", "", "", others), frozenset(new)
    after = (p.description, new.get("text", m.text), new.get("lead_unit", m.lead_unit or p.lead_unit),
             new.get("deadline", deadline_words(m.deadline, m.deadline_text)),
             new.get("status", m.status.label), notes)
    return after, frozenset(new) | ({"progress"} if notes else frozenset())


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _problem_input(p: ProblemRow) -> ProblemInput:
    return ProblemInput(description=p.description, co_units=p.co_units, owner=p.owner)


def merge_duplicates(updates: list[RowUpdate]) -> tuple[list[RowUpdate], list[Finding]]:
    """The same problem or measure on several sheets (the 分单位 sheets repeat the main one):
    identical changes count once; different changes to the same item are an error."""
    seen: dict[tuple[int, int | None, str], RowUpdate] = {}
    out: list[RowUpdate] = []
    findings: list[Finding] = []
    for u in updates:
        if u.recreate is not None:
            key: tuple[int, int | None, str] = (u.problem_id, None, "recreate")
        elif u.is_new_measure:
            key = (u.problem_id, None, f"new{_signature(u)}")
        else:
            key = (u.problem_id, u.measure_id, "edit")
        before = seen.get(key)
        if before is None:
            seen[key] = u
            out.append(u)
        elif _signature(before) != _signature(u):
            findings.append(Finding(u.sheet, u.row, "", f"与工作表“{before.sheet}”第{before.row}行是同一"
                                    "条记录，但两处填写的内容不一致，请统一后再导入。"))
    return out, findings


def _signature(u: RowUpdate) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted((c.entity, c.field, c.new) for c in u.changes))
