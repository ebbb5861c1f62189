"""The close-out cycle after a measure is reported done: 退回 (sent back when the evidence does
not hold), 延期 (a later deadline, the original kept on record) and 回头看 (a recheck months
after close-out; a failed one reopens the problem). Each is one transaction, in the history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from tracker import clock
from tracker.closeout_model import ExtensionRow, RecheckRow
from tracker.db.engine import Ledger
from tracker.db.orm import Extension, Measure, ProgressNote, Recheck
from tracker.deadlines import parse_deadline
from tracker.domain import DeadlineKind, ProblemRow, Status
from tracker.errors import DeadlineError, ValidationError
from tracker.services.records import (
    assign,
    checked_text,
    get_measure_obj,
    get_problem_obj,
    problem_row,
    record,
    refresh_problem,
)

CHUNK = 900


def _reason(text: str, what: str) -> str:
    reason = checked_text(text, "reason", f"{what}理由").strip()
    if not reason:
        raise ValidationError(f"请填写{what}理由。", "reason")
    return reason


def send_back(ledger: Ledger, measure_id: int, reason: str) -> ProblemRow:
    """退回: a measure reported done goes back to 整改中, the reason kept as a progress note."""
    why = _reason(reason, "退回")
    with ledger.write() as s:
        m = get_measure_obj(s, measure_id)
        if m.status != Status.DONE.value:
            raise ValidationError(
                f"只有“已完成”的措施可以退回；这项措施现在是“{Status(m.status).label}”。", "status")
        p = m.problem
        record(s, "measure", m.id, p.id, "return", "status", Status.DONE.value, why)
        assign(s, m, "measure", p.id, status=Status.IN_PROGRESS.value, done_on=None)
        note = ProgressNote(measure=m, noted_on=clock.today(), text=f"退回：{why}")
        s.add(note)
        s.flush()
        record(s, "note", note.id, p.id, "create", "text", "", note.text)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def extend(ledger: Ledger, measure_id: int, to_text: str, reason: str, approved_by: str = "",
           on: dt.date | None = None) -> ProblemRow:
    """延期: move an open measure's deadline later; the earlier deadline stays on record."""
    why = _reason(reason, "延期")
    day = on or clock.today()
    if day > clock.today():
        raise ValidationError("批准延期的日期不能晚于今天。", "on")
    text = checked_text(to_text, "deadline_text", "新的整改时限").strip()
    try:
        new = parse_deadline(text, clock.today())  # typed today: 年底前 means this year's
    except DeadlineError as exc:
        raise DeadlineError(exc.message, "deadline_text") from exc
    if new.kind is not DeadlineKind.DATED or new.date is None:
        raise ValidationError("延期须给出新的截止日期（例如“2027年6月底前”）。", "deadline_text")
    with ledger.write() as s:
        m = get_measure_obj(s, measure_id)
        if not Status(m.status).is_open:
            raise ValidationError("这项措施已完成，不需要延期。", "status")
        if m.deadline is not None and new.date <= m.deadline:
            raise ValidationError(
                f"新的时限（{new.date.isoformat()}）应晚于现在的时限（{m.deadline.isoformat()}）。",
                "deadline_text")
        p = m.problem
        ext = Extension(measure_id=m.id, from_date=m.deadline, from_text=m.deadline_text or "",
                        to_date=new.date, to_text=text, reason=why,
                        approved_by=checked_text(approved_by, "approved_by", "批准人").strip(),
                        on=day)
        s.add(ext)
        s.flush()
        record(s, "measure", m.id, p.id, "extend", "deadline_text", m.deadline_text, text)
        assign(s, m, "measure", p.id, deadline=new.date, deadline_kind=new.kind.value,
               deadline_text=text)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def recheck(ledger: Ledger, problem_id: int, passed: bool, note: str = "",
            on: dt.date | None = None, by: str = "") -> ProblemRow:
    """回头看 of a closed-out problem; 不合格 reopens it (measures back to 整改中)."""
    day = on or clock.today()
    if day > clock.today():
        raise ValidationError("回头看的日期不能晚于今天。", "on")
    text = checked_text(note, "note", "回头看情况").strip()
    if not passed and not text:
        raise ValidationError("回头看不合格时请写明发现的问题。", "note")
    with ledger.write() as s:
        p = get_problem_obj(s, problem_id)
        if p.status != Status.CLOSED.value:
            raise ValidationError("只有已销号的问题才需要回头看。", "status")
        if p.closeout_on is not None and day < p.closeout_on:
            raise ValidationError("回头看的日期不能早于销号日期。", "on")
        check = Recheck(problem_id=p.id, on=day, passed=passed, note=text,
                        by=checked_text(by, "by", "检查人").strip() or str(s.info.get("user", "")))
        s.add(check)
        s.flush()
        record(s, "problem", p.id, p.id, "recheck", "status", "合格" if passed else "不合格", text)
        if not passed:
            for m in p.measures:
                if m.status == Status.CLOSED.value:
                    assign(s, m, "measure", p.id, status=Status.IN_PROGRESS.value, done_on=None)
            first = min(p.measures, key=lambda m: m.position, default=None)
            if first is not None:
                reopened = ProgressNote(measure=first, noted_on=day, text=f"回头看不合格：{text}")
                s.add(reopened)
                s.flush()
                record(s, "note", reopened.id, p.id, "create", "text", "", reopened.text)
            assign(s, p, "problem", p.id, closeout_by="", closeout_on=None, closeout_note="")
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def extensions_by_measure(ledger: Ledger, measure_ids: Iterable[int]
                          ) -> dict[int, list[ExtensionRow]]:
    """Each measure's extensions, oldest first."""
    ids = list(measure_ids)
    out: dict[int, list[ExtensionRow]] = defaultdict(list)
    with ledger.read() as s:
        for start in range(0, len(ids), CHUNK):
            q = (select(Extension).where(Extension.measure_id.in_(ids[start:start + CHUNK]))
                 .order_by(Extension.measure_id, Extension.id))
            for e in s.scalars(q):
                out[e.measure_id].append(ExtensionRow(
                    e.id, e.measure_id, e.from_date, e.from_text, e.to_date, e.to_text,
                    e.reason, e.approved_by, e.on))
    return dict(out)


def rechecks_of(ledger: Ledger, problem_id: int) -> list[RecheckRow]:
    """A problem's rechecks, oldest first."""
    with ledger.read() as s:
        q = select(Recheck).where(Recheck.problem_id == problem_id).order_by(Recheck.on,
                                                                             Recheck.id)
        return [RecheckRow(r.id, r.problem_id, r.on, r.passed, r.note, r.by) for r in s.scalars(q)]


def measure_ids_of(ledger: Ledger, problem_ids: Iterable[int]) -> list[int]:
    """The measure ids of some problems (to look up their extensions)."""
    ids = list(problem_ids)
    out: list[int] = []
    with ledger.read() as s:
        for start in range(0, len(ids), CHUNK):
            out += s.scalars(select(Measure.id).where(
                Measure.problem_id.in_(ids[start:start + CHUNK]))).all()
    return out


def undo_extension(ledger: Ledger, measure_id: int) -> ProblemRow:
    """Take back a measure's latest extension: its deadline returns to what it was before."""
    with ledger.write() as s:
        m = get_measure_obj(s, measure_id)
        ext = s.scalars(select(Extension).where(Extension.measure_id == m.id)
                        .order_by(Extension.id.desc()).limit(1)).first()
        if ext is None:
            raise ValidationError("这项措施没有延期记录。", "deadline_text")
        p = m.problem
        kind = DeadlineKind.DATED if ext.from_date else (
            DeadlineKind.ONGOING if ext.from_text == "长期坚持" else DeadlineKind.NONE)
        assign(s, m, "measure", p.id, deadline=ext.from_date, deadline_text=ext.from_text,
               deadline_kind=kind.value)
        s.delete(ext)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def drop_latest_recheck(ledger: Ledger, problem_id: int) -> None:
    """Take back a problem's latest 回头看 record (the window's undo restores the problem)."""
    with ledger.write() as s:
        check = s.scalars(select(Recheck).where(Recheck.problem_id == problem_id)
                          .order_by(Recheck.id.desc()).limit(1)).first()
        if check is not None:
            record(s, "problem", problem_id, problem_id, "delete", "recheck",
                   "合格" if check.passed else "不合格", "")
            s.delete(check)
