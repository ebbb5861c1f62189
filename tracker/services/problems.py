"""Create, edit, delete and restore problems with their measures; one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.db.engine import Ledger
from tracker.db.orm import Evidence, Measure, Problem, ProgressNote, Source
from tracker.deadlines import parse_deadline
from tracker.domain import (
    DeadlineKind,
    MeasureInput,
    ProblemInput,
    ProblemRow,
    SourceInput,
    Status,
)
from tracker.errors import ConflictError, DeadlineError, NotFoundError, ValidationError
from tracker.rollup import done_on_for
from tracker.rules import closeout_refusal
from tracker.units import canonical_co_units
from tracker.services.closeout_settings import closeout_settings
from tracker.services.records import (
    assign,
    category_by_name,
    checked_percent,
    checked_text,
    get_problem_obj,
    problem_row,
    record,
    refresh_problem,
    unit_by_name,
)

PROBLEM_LABELS = {
    "description": "存在问题",
    "goal": "整改目标",
    "co_units": "配合单位",
    "leader": "责任领导",
    "owner": "责任人",
    "remarks": "备注",
}


def deadline_reference(document_date: dt.date | None = None) -> dt.date:
    """The day relative deadlines (年底前) resolve against: the imported document's, else today."""
    # Typed text (editor, `rectify update`, bulk edit) passes nothing: 年底前 typed today on a
    # 2022 source means this year's end, not a date four years overdue on saving. Importers
    # pass their document's date (issued_on, 填报日期) because that is when it was written.
    return document_date if document_date is not None else clock.today()


def resolve_deadline(m: MeasureInput, ref: dt.date, where: str = "") -> tuple[
    dt.date | None, DeadlineKind, str
]:
    """The measure's (date, kind, text): as given by the caller, else parsed from the text."""
    text = checked_text(m.deadline_text, "deadline_text", "整改时限").strip()
    if m.deadline_kind is not None:
        return m.deadline, m.deadline_kind, text
    try:
        d = parse_deadline(text, ref)
    except DeadlineError as exc:
        raise DeadlineError(f"{where}{exc.message}", "deadline_text") from exc
    return d.date, d.kind, text


def _check_version(obj: Problem, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise ConflictError(
            f"问题“{obj.description[:20]}”已在别处被修改（您看到的是旧版本）。"
            "已为您重新载入最新内容，请核对后再保存。"
        )


def _problem_values(session: Session, data: ProblemInput) -> dict[str, object]:
    description = checked_text(data.description, "description", "存在问题").strip()
    if not description:
        raise ValidationError("请填写“存在问题”。", "description")
    values: dict[str, object] = {"description": description}
    for name, label in PROBLEM_LABELS.items():
        if name != "description":
            values[name] = checked_text(getattr(data, name), name, label).strip()
    # One spelling of the co-units ("A、B", names folded): `--unit` matches them by exact name.
    values["co_units"] = canonical_co_units(str(values["co_units"]))
    cat = category_by_name(session, data.category)
    values["category_id"] = cat.id if cat else None
    unit = unit_by_name(session, data.lead_unit)
    values["lead_unit_id"] = unit.id if unit else None
    values["source_id"] = data.source_id
    return values


def refuse_unverified_close(status: Status | None) -> None:
    """已销号 is set only by close_out, which records who verified it and when."""
    if status is Status.CLOSED:
        raise ValidationError(
            "“已销号”需经核验后办理：请先把措施标为“已完成”，再用“销号”填写核验人和日期。", "status"
        )


def apply_measures(
    session: Session, problem: Problem, inputs: Sequence[MeasureInput], ref: dt.date
) -> None:
    """Make the problem's measures match ``inputs``: update by id, add new, delete missing."""
    existing = {m.id: m for m in problem.measures}
    keep: set[int] = set()
    for pos, mi in enumerate(inputs, start=1):
        text = checked_text(mi.text, "measures", "整改措施").strip()
        m = existing.get(mi.id) if mi.id is not None else None
        if (m is not None and mi.deadline_kind is None
                and mi.deadline_text.strip() == (m.deadline_text or "")):
            # Unchanged text keeps the date it was read as: 年底前 typed in 2025 must not
            # become 2026-12-31 because the problem was saved again in 2026.
            date, kind, dtext = m.deadline, DeadlineKind(m.deadline_kind), m.deadline_text
        else:
            date, kind, dtext = resolve_deadline(mi, ref, f"第{pos}项措施：")
        unit = unit_by_name(session, mi.lead_unit)
        values = dict(
            position=pos,
            text=text,
            lead_unit_id=unit.id if unit else None,
            co_units=canonical_co_units(checked_text(mi.co_units, "measures", "配合单位")),
            owner=checked_text(mi.owner, "measures", "责任人").strip(),
            deadline=date,
            deadline_text=dtext,
            deadline_kind=kind.value,
            status=mi.status.value,
            done_on=done_on_for(mi.status, mi.done_on),
            percent=checked_percent(mi.percent),
        )
        if m is not None:
            keep.add(m.id)
            assign(session, m, "measure", problem.id, **values)
            m.lead_unit = unit  # keep the relationship in step with lead_unit_id
        else:
            m = Measure(problem=problem, **values)
            m.lead_unit = unit
            session.add(m)
            session.flush()
            record(session, "measure", m.id, problem.id, "create", "text", "", text)
    for mid, m in existing.items():
        if mid not in keep:
            for n in m.notes:  # the cascade deletes them too; the history must say so
                record(session, "note", n.id, problem.id, "delete", "text", n.text, "")
            record(session, "measure", mid, problem.id, "delete", "text", m.text, "")
            problem.measures.remove(m)
    session.flush()


def next_seq(session: Session, source_id: int | None) -> int:
    """The next 序号 within a source."""
    same = Problem.source_id.is_(None) if source_id is None else Problem.source_id == source_id
    q = select(func.max(Problem.seq)).where(same)
    return int(session.scalar(q) or 0) + 1


def add_problem(session: Session, data: ProblemInput,
                document_date: dt.date | None = None) -> Problem:
    """Insert a problem with its measures in the caller's transaction (imports: document date)."""
    if data.source_id is not None and session.get(Source, data.source_id) is None:
        raise NotFoundError("所选问题来源不存在，可能已被删除。")
    values = _problem_values(session, data)
    seq = data.seq if data.seq is not None else next_seq(session, data.source_id)
    problem = Problem(seq=seq, **values)
    session.add(problem)
    session.flush()
    record(session, "problem", problem.id, problem.id, "create", "description", "",
           problem.description)
    apply_measures(session, problem, data.measures, deadline_reference(document_date))
    refresh_problem(problem)
    session.flush()
    return problem


def create_problem(ledger: Ledger, data: ProblemInput) -> ProblemRow:
    """Add one problem with its measures."""
    with ledger.write() as s:
        return problem_row(add_problem(s, data))


def update_problem(
    ledger: Ledger, problem_id: int, data: ProblemInput, expected_version: int | None = None
) -> ProblemRow:
    """Save an edited problem and its measures; refuses a save based on a stale version."""
    with ledger.write() as s:
        p = get_problem_obj(s, problem_id)
        _check_version(p, expected_version)
        values = _problem_values(s, data)
        if data.seq is not None:
            values["seq"] = data.seq
        assign(s, p, "problem", p.id, **values)
        s.flush()
        s.refresh(p, ["lead_unit", "category", "source"])
        apply_measures(s, p, data.measures, deadline_reference())
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def delete_problem(
    ledger: Ledger, problem_id: int, expected_version: int | None = None
) -> ProblemRow:
    """Delete a problem with its measures and notes; returns everything needed to restore it."""
    with ledger.write() as s:
        p = get_problem_obj(s, problem_id)
        _check_version(p, expected_version)
        snapshot = problem_row(p)
        record(s, "problem", p.id, p.id, "delete", "description", p.description, "")
        for m in p.measures:  # the cascade deletes them too; the history must say so
            for n in m.notes:
                record(s, "note", n.id, p.id, "delete", "text", n.text, "")
            record(s, "measure", m.id, p.id, "delete", "text", m.text, "")
        s.delete(p)
        return snapshot


def restore_problem(
    ledger: Ledger, snapshot: ProblemRow, expected_version: int | None = None,
    expect_absent: bool = False,
) -> ProblemRow:
    """Make the stored problem equal to ``snapshot`` (re-creating it if deleted): undo/redo.
    ``expect_absent``: the caller deleted it, so a problem now under that id is another one
    (SQLite reuses the highest id after a delete) and must not be overwritten."""
    with ledger.write() as s:
        p = s.get(Problem, snapshot.id)
        if p is not None and expect_absent:
            raise ConflictError(
                f"无法恢复已删除的问题“{snapshot.description[:20]}”：它的编号已被之后新建或导入的问题使用。"
                "请重新录入该问题，或从备份中查找。"
            )
        if p is None:
            p = Problem(id=snapshot.id, seq=snapshot.seq, description=snapshot.description)
            s.add(p)
            s.flush()
            record(s, "problem", p.id, p.id, "restore", "description", "", p.description)
        else:
            _check_version(p, expected_version)
        data = ProblemInput(
            description=snapshot.description, source_id=snapshot.source_id,
            category=snapshot.category, goal=snapshot.goal, lead_unit=snapshot.lead_unit,
            co_units=snapshot.co_units, leader=snapshot.leader, owner=snapshot.owner,
            remarks=snapshot.remarks, seq=snapshot.seq,
        )
        values = _problem_values(s, data)
        values.update(seq=snapshot.seq, closeout_by=snapshot.closeout_by,
                      closeout_on=snapshot.closeout_on, closeout_note=snapshot.closeout_note)
        assign(s, p, "problem", p.id, **values)
        s.flush()
        s.refresh(p, ["lead_unit", "category", "source", "measures"])
        inputs = []
        for m in snapshot.measures:
            if s.get(Measure, m.id) is None:
                s.add(Measure(id=m.id, problem_id=p.id, position=m.position, text=m.text))
                s.flush()
            inputs.append(MeasureInput(
                id=m.id, text=m.text, lead_unit=m.lead_unit, co_units=m.co_units, owner=m.owner,
                deadline_text=m.deadline_text, deadline=m.deadline, deadline_kind=m.deadline_kind,
                status=m.status, done_on=m.done_on, percent=m.percent,
            ))
        s.refresh(p, ["measures"])
        # The snapshot carries each measure's resolved date, so the reference is never used.
        apply_measures(s, p, inputs, deadline_reference())
        for m in snapshot.measures:
            wanted = {n.id for n in m.notes}
            for note in s.scalars(select(ProgressNote).where(ProgressNote.measure_id == m.id)):
                if note.id not in wanted:
                    s.delete(note)
            for n in m.notes:
                if s.get(ProgressNote, n.id) is None:
                    s.add(ProgressNote(id=n.id, measure_id=m.id, noted_on=n.noted_on, text=n.text))
        s.flush()
        s.expire(p)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def _closeout_field(statuses: Sequence[Status], verifier: str) -> str:
    """The field a close-out refusal points at, checked in closeout_refusal's order."""
    if not statuses or any(st in (Status.NOT_STARTED, Status.IN_PROGRESS) for st in statuses):
        return "status"
    if not verifier.strip():
        return "closeout_by"
    return "closeout_on"


def close_out(
    ledger: Ledger, problem_id: int, verifier: str, on: dt.date, note: str = "",
    expected_version: int | None = None,
) -> ProblemRow:
    """销号: close every measure and record who verified it and when, if closeout_refusal allows
    (with the ledger's rule on evidence)."""
    needs_evidence = closeout_settings(ledger).needs_evidence
    with ledger.write() as s:
        p = get_problem_obj(s, problem_id)
        _check_version(p, expected_version)
        statuses = [Status(m.status) for m in p.measures]
        files = s.scalar(select(func.count()).where(Evidence.problem_id == p.id)) or 0
        refusal = closeout_refusal(statuses, verifier, on, clock.today(), files, needs_evidence)
        if refusal is not None:
            field = "evidence" if "佐证材料" in refusal else _closeout_field(statuses, verifier)
            raise ValidationError(refusal, field)
        assign(s, p, "problem", p.id, closeout_by=checked_text(verifier, "closeout_by", "核验人"),
               closeout_on=on, closeout_note=checked_text(note, "closeout_note", "销号说明"))
        for m in p.measures:
            assign(s, m, "measure", p.id, status=Status.CLOSED.value, done_on=m.done_on or on)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def bulk_update(
    ledger: Ledger, problem_ids: Sequence[int], *, status: Status | None = None,
    lead_unit: str | None = None, deadline_text: str | None = None,
) -> list[ProblemRow]:
    """Apply one status, lead unit or deadline to every measure of several problems at once."""
    refuse_unverified_close(status)
    ref = deadline_reference()  # typed in the bulk-edit dialog: today
    with ledger.write() as s:
        out = []
        unit = unit_by_name(s, lead_unit) if lead_unit else None
        for pid in problem_ids:
            p = get_problem_obj(s, pid)
            if unit is not None:
                assign(s, p, "problem", p.id, lead_unit_id=unit.id)
                p.lead_unit = unit
            for m in p.measures:
                if status is not None:
                    assign(s, m, "measure", p.id, status=status.value,
                           done_on=done_on_for(status, m.done_on))
                if deadline_text is not None:
                    date, kind, text = resolve_deadline(MeasureInput(text="", deadline_text=deadline_text), ref)
                    assign(s, m, "measure", p.id, deadline=date, deadline_kind=kind.value,
                           deadline_text=text)
            refresh_problem(p)
            s.flush()
            out.append(problem_row(p))
        return out


def create_problems(
    ledger: Ledger, items: Sequence[ProblemInput], source: SourceInput | None = None,
    document_date: dt.date | None = None,
) -> list[ProblemRow]:
    """Add many problems (and their new source) in one transaction: all land or none."""
    # The report import: relative deadlines mean the document's time, not the import day.
    if document_date is None and source is not None:
        document_date = source.issued_on
    with ledger.write() as s:
        source_id = None
        if source is not None:
            from tracker.services.reference import source_values

            src = Source(**source_values(source))
            s.add(src)
            s.flush()
            record(s, "source", src.id, None, "create", "title", "", src.title)
            source_id = src.id
        out = []
        for item in items:
            if source_id is not None:
                item = replace(item, source_id=source_id)
            out.append(problem_row(add_problem(s, item, document_date)))
        return out
