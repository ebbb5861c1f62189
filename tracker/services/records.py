"""Helpers every service shares inside its transaction: lookups, history records, rollups,
and turning ORM objects into the frozen rows that leave the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from tracker import clock
from tracker.db.orm import Category, ChangeLog, Extension, Measure, Problem, ProgressNote, Source, Unit
from tracker.domain import (
    DeadlineKind,
    MeasureRow,
    ProblemRow,
    ProgressNoteRow,
    SourceKind,
    SourceRow,
    Status,
)
from tracker.errors import NotFoundError, ValidationError
from tracker.rollup import MeasureFacts, roll_up
from tracker.rules import MeasureWords, problem_search_text, source_label
from tracker.text import clean_text

MAX_TEXT = 32_767  # Excel's cell limit: longer text could never be exported whole


def checked_text(value: str, field: str, label: str) -> str:
    """Clean control characters and refuse text longer than a spreadsheet cell can hold."""
    text = clean_text(value)
    # Excel counts UTF-16 code units: a rare character such as 𠮷 counts twice.
    units = len(text.encode("utf-16-le")) // 2
    if units > MAX_TEXT:
        raise ValidationError(
            f"“{label}”有 {units} 个字符，超过 Excel 单元格上限 {MAX_TEXT} 个，请精简后再保存。",
            field,
        )
    return text


def checked_percent(value: int | None) -> int | None:
    """A 完成进度 to store: a whole number 0–100, or None when not stated."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(f"“完成进度”应为 0 到 100 之间的整数（现为“{value}”）。", "measures")
    return value


def unit_by_name(session: Session, name: str) -> Unit | None:
    """The unit called ``name`` (created on the fly when new), or None for empty input."""
    name = clean_text(name).strip()
    if not name:
        return None
    unit = session.scalars(select(Unit).where(Unit.name == name)).first()
    if unit is None:
        unit = Unit(name=name, contact="", phone="")
        session.add(unit)
        session.flush()
        record(session, "unit", unit.id, None, "create", "name", "", name)
    return unit


def category_by_name(session: Session, name: str) -> Category | None:
    """The category called ``name`` (created at the end of the list when new)."""
    name = clean_text(name).strip()
    if not name:
        return None
    cat = session.scalars(select(Category).where(Category.name == name)).first()
    if cat is None:
        last = session.scalar(select(func.max(Category.position))) or 0
        cat = Category(name=name, position=last + 1)
        session.add(cat)
        session.flush()
    return cat


def get_problem_obj(session: Session, problem_id: int) -> Problem:
    """Load a problem or raise NotFoundError."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise NotFoundError(f"问题（编号 {problem_id}）不存在，可能已被删除。")
    return problem


def get_measure_obj(session: Session, measure_id: int) -> Measure:
    """Load a measure or raise NotFoundError."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFoundError(f"整改措施（编号 {measure_id}）不存在，可能已被删除。")
    return measure


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def record(
    session: Session,
    entity: str,
    entity_id: int,
    problem_id: int | None,
    action: str,
    field: str = "",
    old: Any = "",
    new: Any = "",
) -> None:
    """Append one line to the change history, in the caller's transaction."""
    session.add(
        ChangeLog(
            at=clock.now().replace(microsecond=0),
            user=str(session.info.get("user", "")),
            entity=entity,
            entity_id=entity_id,
            problem_id=problem_id,
            action=action,
            field=field,
            old=_fmt(old),
            new=_fmt(new),
        )
    )


def assign(
    session: Session, obj: Any, entity: str, problem_id: int | None, **values: Any
) -> bool:
    """Set attributes that differ and record each change; True when anything changed."""
    changed = False
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            if obj.id is not None:
                record(session, entity, obj.id, problem_id, "update", name, old, value)
            changed = True
    return changed


def refresh_problem(problem: Problem) -> None:
    """Recompute the problem's cached status, deadlines, counts and search text."""
    facts = [
        MeasureFacts(
            Status(m.status), m.deadline, DeadlineKind(m.deadline_kind), m.deadline_text or ""
        )
        for m in problem.measures
    ]
    r = roll_up(facts)
    problem.status = r.status.value
    problem.deadline = r.deadline
    problem.open_deadline = r.open_deadline
    problem.deadline_text = r.deadline_text
    problem.measures_total = r.total
    problem.measures_done = r.done
    problem.search_text = problem_search_text(
        problem.description, problem.goal, problem.remarks, problem.owner, problem.leader,
        problem.co_units, problem.lead_unit.name if problem.lead_unit else "",
        [MeasureWords(m.text, m.owner, m.co_units, m.deadline_text,
                      m.lead_unit.name if m.lead_unit else "") for m in problem.measures])
    # Touching updated_at bumps the version even when only a measure changed: the problem's
    # version guards the whole problem with its measures against stale saves.
    problem.updated_at = clock.now().replace(microsecond=0)


def note_row(note: ProgressNote) -> ProgressNoteRow:
    """Frozen row for a progress note."""
    return ProgressNoteRow(note.id, note.measure_id, note.noted_on, note.text)


def _original_deadline(m: Measure) -> tuple[dt.date | None, str]:
    """The deadline before the first extension (延期), or (None, "") when never extended."""
    session = object_session(m)
    if session is None or m.id is None:
        return None, ""
    first = session.execute(select(Extension.from_date, Extension.from_text)
                            .where(Extension.measure_id == m.id).order_by(Extension.id)
                            .limit(1)).first()
    if first is None:
        return None, ""
    return first[0], first[1] or ("" if first[0] else "未明确时限")


def measure_row(m: Measure, with_notes: bool = True) -> MeasureRow:
    """Frozen row for a measure (with its notes unless asked not to)."""
    original, original_text = _original_deadline(m)
    return MeasureRow(
        id=m.id,
        problem_id=m.problem_id,
        position=m.position,
        text=m.text,
        lead_unit=m.lead_unit.name if m.lead_unit else "",
        co_units=m.co_units,
        owner=m.owner,
        deadline=m.deadline,
        deadline_text=m.deadline_text,
        deadline_kind=DeadlineKind(m.deadline_kind),
        status=Status(m.status),
        done_on=m.done_on,
        version=m.version,
        notes=tuple(note_row(n) for n in m.notes) if with_notes else (),
        original_deadline=original,
        original_deadline_text=original_text,
        percent=m.percent,
    )


def source_name(source: Source | None) -> str:
    """The display name of a source."""
    if source is None:
        return ""
    return source_label(source.title, source.kind, source.year)


def problem_row(p: Problem, with_measures: bool = True, with_notes: bool = True) -> ProblemRow:
    """Frozen row for a problem loaded through the ORM."""
    return ProblemRow(
        id=p.id,
        seq=p.seq,
        source_id=p.source_id,
        source=source_name(p.source),
        category_id=p.category_id,
        category=p.category.name if p.category else "",
        description=p.description,
        goal=p.goal,
        lead_unit=p.lead_unit.name if p.lead_unit else "",
        co_units=p.co_units,
        leader=p.leader,
        owner=p.owner,
        remarks=p.remarks,
        status=Status(p.status),
        deadline=p.deadline,
        open_deadline=p.open_deadline,
        deadline_text=p.deadline_text,
        measures_total=p.measures_total,
        measures_done=p.measures_done,
        closeout_by=p.closeout_by,
        closeout_on=p.closeout_on,
        closeout_note=p.closeout_note,
        version=p.version,
        updated_at=p.updated_at,
        measures=tuple(measure_row(m, with_notes) for m in p.measures) if with_measures else (),
        created_on=p.created_at.date() if p.created_at else None,
    )


def source_row(s: Source, count: int = 0) -> SourceRow:
    """Frozen row for a source."""
    return SourceRow(
        s.id, SourceKind(s.kind), s.title, s.year, s.issuer, s.doc_number, s.issued_on, count
    )
