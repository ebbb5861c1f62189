"""The ledger as it stood on an earlier day: what it knew then, rebuilt from the stored dates
(created, done, closed out) and the change history, so a back-dated summary, list or export
says only what the ledger could have printed that day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from tracker import rules
from tracker.clock import is_past as is_past  # re-exported: callers ask this module
from tracker.db.engine import Ledger
from tracker.db.orm import ChangeLog, Measure, Problem
from tracker.domain import DeadlineKind, MeasureRow, ProblemFilter, ProblemRow, Status
from tracker.rollup import MeasureFacts, roll_up
from tracker.services.queries import list_problems

# Fields whose later changes are undone to see the day: a measure's state (with its 完成进度)
# and deadline, a problem's close-out. Texts (description, measures' wording) are shown as they are now.
MEASURE_FIELDS = ("status", "done_on", "deadline", "deadline_text", "deadline_kind", "percent")
PROBLEM_FIELDS = ("closeout_by", "closeout_on", "closeout_note")
CHUNK = 900


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _values_then(ledger: Ledger, day: dt.date, ids: Sequence[int] | None = None
                 ) -> dict[tuple[str, int], dict[str, str]]:
    """For each entity changed after ``day``: the value each field had on that day (the
    "old" side of its first later change). ``ids``: only these problems' history."""
    after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    then: dict[tuple[str, int], dict[str, str]] = {}
    chunks: list[Sequence[int] | None] = (
        [None] if ids is None else [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)])
    with ledger.read() as s:
        for chunk in chunks:
            q = (select(ChangeLog.entity, ChangeLog.entity_id, ChangeLog.field, ChangeLog.old)
                 .where(ChangeLog.at >= after, ChangeLog.action == "update",
                        ChangeLog.entity.in_(("measure", "problem")),
                        ChangeLog.field.in_(MEASURE_FIELDS + PROBLEM_FIELDS))
                 .order_by(ChangeLog.at, ChangeLog.id))
            if chunk is not None:
                q = q.where(ChangeLog.problem_id.in_(chunk))
            for entity, eid, field, old in s.execute(q):
                then.setdefault((entity, eid), {}).setdefault(field, old)
    return then


def _created(ledger: Ledger, ids: Sequence[int]) -> tuple[dict[int, dt.date], dict[int, dt.date]]:
    """Creation days of the problems and of their measures."""
    problems: dict[int, dt.date] = {}
    measures: dict[int, dt.date] = {}
    with ledger.read() as s:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for pid, at in s.execute(select(Problem.id, Problem.created_at)
                                     .where(Problem.id.in_(chunk))):
                problems[pid] = at.date()
            for mid, at in s.execute(select(Measure.id, Measure.created_at)
                                     .where(Measure.problem_id.in_(chunk))):
                measures[mid] = at.date()
    return problems, measures


def _measure_then(m: MeasureRow, old: dict[str, str], day: dt.date,
                  closed_then: bool) -> MeasureRow:
    """A measure with later changes undone, done only if done by ``day``, closed only if
    its problem was closed out by then."""
    status = Status(old["status"]) if "status" in old else m.status
    done_on = _date(old["done_on"]) if "done_on" in old else m.done_on
    deadline = _date(old["deadline"]) if "deadline" in old else m.deadline
    text = old.get("deadline_text", m.deadline_text)
    kind = DeadlineKind(old["deadline_kind"]) if "deadline_kind" in old else m.deadline_kind
    percent = (int(old["percent"]) if old["percent"] else None) if "percent" in old else m.percent
    if not status.is_open and done_on is not None and done_on > day:
        status, done_on = Status.IN_PROGRESS, None
    if status is Status.CLOSED and not closed_then:
        status = Status.DONE
    notes = tuple(n for n in m.notes if n.noted_on <= day)
    return dataclasses.replace(m, status=status, done_on=done_on, deadline=deadline,
                               deadline_text=text, deadline_kind=kind, notes=notes,
                               percent=percent)


def problem_then(p: ProblemRow, day: dt.date, created: dt.date | None,
                 measures_created: dict[int, dt.date],
                 then: dict[tuple[str, int], dict[str, str]]) -> ProblemRow | None:
    """One problem as it stood on ``day``; None when it did not exist yet."""
    if created is not None and created > day:
        return None
    old = then.get(("problem", p.id), {})
    closed_on = _date(old["closeout_on"]) if "closeout_on" in old else p.closeout_on
    # A problem imported already closed has no close-out date: it was closed when it came in.
    closed_then = (closed_on or created or day) <= day
    measures = tuple(
        _measure_then(m, then.get(("measure", m.id), {}), day, closed_then)
        for m in p.measures if measures_created.get(m.id, day) <= day)
    r = roll_up([MeasureFacts(m.status, m.deadline, m.deadline_kind, m.deadline_text)
                 for m in measures])
    verifier = old.get("closeout_by", p.closeout_by)
    note = old.get("closeout_note", p.closeout_note)
    if r.status is not Status.CLOSED:
        closed_on, verifier, note = None, "", ""
    return dataclasses.replace(
        p, status=r.status, deadline=r.deadline, open_deadline=r.open_deadline,
        deadline_text=r.deadline_text, measures_total=r.total, measures_done=r.done,
        closeout_on=closed_on, closeout_by=verifier, closeout_note=note, measures=measures,
        created_on=created)


def _keeps(p: ProblemRow, flt: ProblemFilter, day: dt.date) -> bool:
    """The state-dependent parts of a filter, applied to the rebuilt row."""
    if flt.status is not None and p.status is not flt.status:
        return False
    if flt.overdue and not rules.overdue(p.open_deadline, day):
        return False
    if flt.due_within_days is not None:
        left = rules.days_left(p.open_deadline, day)
        if left is None or not 0 <= left <= flt.due_within_days:
            return False
    return True


def problems_as_of(ledger: Ledger, flt: ProblemFilter, day: dt.date, sort: str = "seq",
                   descending: bool = False, with_notes: bool = False) -> list[ProblemRow]:
    """The problems a filter selects as they stood on ``day`` (today or later: as they are
    now), with their measures, in display order."""
    if not is_past(day):
        rows = list_problems(ledger, flt, sort, descending, with_notes=with_notes)
        return rows
    # Status, overdue and due-soon are what changed since: select on the rest in SQL.
    loose = dataclasses.replace(flt, status=None, overdue=False, due_within_days=None)
    rows = list_problems(ledger, loose, sort, descending, with_notes=with_notes)
    created, measures_created = _created(ledger, [p.id for p in rows])
    # A chunk of an export asks for a few ids: read only their history.
    then = _values_then(ledger, day, [p.id for p in rows] if flt.ids is not None else None)
    out = []
    for p in rows:
        past = problem_then(p, day, created.get(p.id), measures_created, then)
        if past is not None and _keeps(past, flt, day):
            out.append(past)
    return out
