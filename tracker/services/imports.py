"""Apply a checked import plan (an ImportRequest: tracker.excel's ImportPlan) in ONE write
transaction: new sources, units and problems, and the updates of a round-tripped ledger with
their history. Cancelling (progress raising) or any error rolls the whole import back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.rollup import done_on_for
from tracker.db.engine import Ledger
from tracker.db.orm import ChangeLog, Measure, Problem, ProgressNote, Source
from tracker.deadlines import Deadline
from tracker.domain import Status
from tracker.errors import ConflictError
from tracker.import_model import (
    KEEP_LEDGER,
    RESOLUTIONS,
    TAKE_FILE,
    ImportRequest,
    NoteLine,
    PlannedMeasure,
    PlannedSource,
    RowUpdate,
)
from tracker.services.evidence import PendingFile, store_pending
from tracker.services.import_bulk import BulkProblemWriter
from tracker.services.records import (
    assign,
    category_by_name,
    checked_text,
    get_measure_obj,
    get_problem_obj,
    record,
    refresh_problem,
    unit_by_name,
)

ProgressFn = Callable[[int, int, str], None]
Resolutions = Mapping[str, str] | str | None  # per RowUpdate.key, or one choice for all
PROGRESS_EVERY = 250
CHUNK = 900  # ids per IN (...): under SQLite's 999 bound parameters


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    problems_added: int
    measures_added: int
    notes_added: int
    problems_updated: int
    changes_applied: int
    conflicts_kept: int  # conflicts resolved by keeping the ledger's version
    units_created: tuple[str, ...]
    sources_created: tuple[str, ...]
    problem_ids: tuple[int, ...]  # new and updated problems, for the window to select
    evidence_attached: int = 0  # files of a returned package attached (identical ones skipped)

    def summary(self) -> str:
        """已导入 N 个问题、M 项措施… — the line the CLI prints and the wizard shows."""
        parts = [f"已导入 {self.problems_added} 个问题、{self.measures_added} 项措施"
                 + (f"、{self.notes_added} 条整改进展" if self.notes_added else "")]
        if self.problems_updated or self.changes_applied:
            parts.append(f"更新了 {self.problems_updated} 个问题的 {self.changes_applied} 处内容")
        if self.conflicts_kept:
            parts.append(f"{self.conflicts_kept} 处冲突保留了台账中的内容")
        if self.units_created:
            parts.append("新建单位：" + "、".join(self.units_created))
        if self.sources_created:
            parts.append("新建问题来源：" + "、".join(self.sources_created))
        if self.evidence_attached:
            parts.append(f"上传佐证材料 {self.evidence_attached} 个")
        return "；".join(parts) + "。"


def choice_for(update: RowUpdate, resolutions: Resolutions) -> str:
    """keep-ledger / take-file for a conflicting row ("" when the clerk has not chosen)."""
    if isinstance(resolutions, str):
        return resolutions if resolutions in RESOLUTIONS else ""
    if resolutions is None:
        return ""
    return resolutions.get(update.key, "")


def unresolved(plan: ImportRequest, resolutions: Resolutions) -> list[RowUpdate]:
    """Conflicts still waiting for the clerk's choice."""
    return [u for u in plan.conflicts if not choice_for(u, resolutions)]


def _sources(s: Session, plan: ImportRequest) -> tuple[dict[Any, PlannedSource], dict[Any, int],
                                                       list[str]]:
    ids: dict[Any, int] = {}
    created = []
    for src in plan.sources:
        if src.existing_id is not None and s.get(Source, src.existing_id) is not None:
            ids[src.key] = src.existing_id
            continue
        title = checked_text(src.title, "title", "来源名称").strip()
        row = Source(kind=src.kind.value, title=title, year=src.year, issuer="", doc_number="")
        s.add(row)
        s.flush()
        record(s, "source", row.id, None, "create", "title", "", row.title)
        ids[src.key] = row.id
        created.append(title)
    return {src.key: src for src in plan.sources}, ids, created


def _add_note(s: Session, m: Measure, note: NoteLine, problem_id: int) -> None:
    text = checked_text(note.text, "progress", "整改进展").strip()
    row = ProgressNote(measure=m, noted_on=note.noted_on, text=text)
    s.add(row)
    s.flush()
    record(s, "note", row.id, problem_id, "create", "text", "", text)


class _Updater:
    """Applies round-trip row updates through the ORM so every change lands in the history."""

    def __init__(self, s: Session, today: dt.date) -> None:
        self.s = s
        self.today = today
        self.changes = 0

    def problem(self, p: Problem, u: RowUpdate) -> None:
        """Apply one row's changes (versions were checked once, before anything changed)."""
        m = get_measure_obj(self.s, u.measure_id) if u.measure_id is not None else None
        for c in u.changes:
            if c.entity == "problem":
                self._problem_field(p, c.field, c.value)
            elif c.entity == "note" and m is not None:
                _add_note(self.s, m, c.value, p.id)
            elif c.field == "create":
                self._new_measure(p, c.value)
            elif m is not None:
                self._measure_field(p, m, c.field, c.value)
            self.changes += 1

    def _problem_field(self, p: Problem, fld: str, value: str) -> None:
        if fld == "category":
            cat = category_by_name(self.s, value)
            assign(self.s, p, "problem", p.id, category_id=cat.id if cat else None)
            p.category = cat
        else:
            assign(self.s, p, "problem", p.id, **{fld: checked_text(value, fld, fld).strip()})

    def _measure_field(self, p: Problem, m: Measure, fld: str, value: Any) -> None:
        from tracker.services.records import checked_percent  # here: the rest is another's
        from tracker.units import canonical_co_units

        if fld == "text":
            assign(self.s, m, "measure", p.id, text=checked_text(value, "text", "整改措施"))
        elif fld == "lead_unit":
            unit = unit_by_name(self.s, value)
            assign(self.s, m, "measure", p.id, lead_unit_id=unit.id if unit else None)
            m.lead_unit = unit
        elif fld == "deadline":
            d: Deadline = value
            assign(self.s, m, "measure", p.id, deadline=d.date, deadline_kind=d.kind.value,
                   deadline_text=d.text)
        elif fld == "owner":
            assign(self.s, m, "measure", p.id, owner=checked_text(value, fld, "责任人").strip())
        elif fld == "co_units":
            assign(self.s, m, "measure", p.id,
                   co_units=canonical_co_units(checked_text(value, fld, "配合单位")))
        elif fld == "percent":
            assign(self.s, m, "measure", p.id, percent=checked_percent(value))
        elif fld == "status":
            st: Status = value
            done = done_on_for(st, m.done_on, today=self.today)
            assign(self.s, m, "measure", p.id, status=st.value, done_on=done)

    def _new_measure(self, p: Problem, planned: PlannedMeasure) -> None:
        from tracker.services.records import checked_percent
        from tracker.units import canonical_co_units

        d = planned.data
        unit = unit_by_name(self.s, d.lead_unit)
        m = Measure(problem=p, position=len(p.measures) + 1, text=d.text,
                    lead_unit_id=unit.id if unit else None,
                    co_units=canonical_co_units(checked_text(d.co_units, "co_units", "配合单位")),
                    owner=d.owner, percent=checked_percent(d.percent),
                    deadline=d.deadline, deadline_text=d.deadline_text,
                    deadline_kind=(d.deadline_kind.value if d.deadline_kind else "none"),
                    status=d.status.value,
                    done_on=done_on_for(d.status, d.done_on, today=self.today))
        m.lead_unit = unit
        self.s.add(m)
        self.s.flush()
        record(self.s, "measure", m.id, p.id, "create", "text", "", d.text)
        for note in planned.notes:
            _add_note(self.s, m, note, p.id)


def _check_versions(s: Session, updates: list[RowUpdate]) -> None:
    """Every problem and measure the updates touch is still as the plan saw it. Checked once,
    before any change: the import's own writes (a note flushed for one row, a unit created
    for another) move the versions of the very problems it is updating."""
    problems: dict[int, int] = {}
    measures: dict[int, tuple[int, int | None]] = {}
    for u in updates:
        if u.recreate is not None:
            continue
        if u.seen_problem_version is not None:
            problems[u.problem_id] = u.seen_problem_version
        if u.measure_id is not None:
            measures[u.measure_id] = (u.problem_id, u.seen_measure_version)
    now_p: dict[int, int] = {}
    now_m: dict[int, tuple[int, int | None]] = {}
    pids, mids = sorted(problems), sorted(measures)
    for start in range(0, max(len(pids), len(mids)), CHUNK):
        chunk = pids[start:start + CHUNK]
        now_p.update((i, v) for i, v in s.execute(
            select(Problem.id, Problem.version).where(Problem.id.in_(chunk))))
        chunk = mids[start:start + CHUNK]
        now_m.update((i, (p, v)) for i, p, v in s.execute(
            select(Measure.id, Measure.problem_id, Measure.version).where(Measure.id.in_(chunk))))
    if any(now_p.get(i) != v for i, v in problems.items()) or any(
            now_m.get(i) != pv for i, pv in measures.items()):
        raise ConflictError("台账在检查文件之后又被修改了（另一个窗口或他人），为免覆盖，"
                            "本次导入没有保存。请重新检查文件后再导入。")


def apply_plan(
    ledger: Ledger, plan: ImportRequest, resolutions: Resolutions = None,
    progress: ProgressFn | None = None, today: dt.date | None = None,
    attachments: Sequence[PendingFile] = (),
) -> ImportResult:
    """Write the plan in one transaction; refuses a plan with errors or undecided conflicts."""
    if plan.errors:
        raise plan.rejection()
    waiting = unresolved(plan, resolutions)
    if waiting:
        lines = "\n".join(u.describe() for u in waiting)
        raise ConflictError(f"有 {len(waiting)} 处导出后在台账中修改过、文件里也改了的内容，需要选择保留"
                            f"台账（{KEEP_LEDGER}）还是采用文件（{TAKE_FILE}）：\n{lines}")
    today = today or clock.today()
    taken = [u for u in plan.updates if not u.conflict or choice_for(u, resolutions) == TAKE_FILE]
    recreate = [u.recreate for u in taken if u.recreate is not None]
    total = len(plan.problems) + len(recreate) + len(taken) + len(attachments)
    done = 0

    def tick(text: str, force: bool = False) -> None:
        if progress is not None and (force or done % PROGRESS_EVERY == 0):
            progress(done, total, text)

    with ledger.write() as s:
        _check_versions(s, taken)
        mark = s.scalar(select(func.max(ChangeLog.id))) or 0
        planned_sources, source_ids, sources_created = _sources(s, plan)
        writer = BulkProblemWriter(s, today)
        tick("正在导入问题…", force=True)
        for planned in [*plan.problems, *recreate]:
            src = planned_sources[planned.source]
            writer.add(planned, source_ids[planned.source], src.use_file_seq)
            done += 1
            tick(f"正在导入问题（{done}/{total}）…")
        writer.flush()
        updater = _Updater(s, today)
        by_problem: dict[int, list[RowUpdate]] = defaultdict(list)
        for u in taken:
            if u.recreate is None:
                by_problem[u.problem_id].append(u)
        for pid, updates in by_problem.items():
            p = get_problem_obj(s, pid)
            for u in updates:
                updater.problem(p, u)
                done += 1
                tick(f"正在更新已有问题（{done}/{total}）…")
            s.flush()
            s.refresh(p, ["measures"])
            refresh_problem(p)
            s.flush()
        # In the same transaction: a unit's package lands whole (ledger and files) or not at all.
        def attached() -> None:
            nonlocal done
            done += 1
            tick(f"正在上传佐证材料（{done}/{total}）…", force=True)

        evidence_attached = store_pending(s, attachments, attached) if attachments else 0
        tick("正在保存…", force=True)
        units = tuple(s.scalars(select(ChangeLog.new).where(
            ChangeLog.id > mark, ChangeLog.entity == "unit", ChangeLog.action == "create")))
    return ImportResult(
        problems_added=writer.problems, measures_added=writer.measures, notes_added=writer.notes,
        problems_updated=len(by_problem), changes_applied=updater.changes,
        conflicts_kept=sum(1 for u in plan.conflicts if choice_for(u, resolutions) == KEEP_LEDGER),
        units_created=units, sources_created=tuple(sources_created),
        problem_ids=tuple(writer.problem_ids) + tuple(by_problem),
        evidence_attached=evidence_attached,
    )
