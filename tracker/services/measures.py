"""Changes to one measure: status, deadline, progress notes. One transaction each."""

from __future__ import annotations

import datetime as dt

from tracker import clock
from tracker.db.engine import Ledger
from tracker.db.orm import ProgressNote
from tracker.domain import MeasureInput, ProblemRow, ProgressNoteRow, Status
from tracker.errors import ConflictError, NotFoundError, ValidationError
from tracker.rollup import done_on_for
from tracker.services.problems import (
    deadline_reference,
    refuse_unverified_close,
    resolve_deadline,
)
from tracker.services.records import (
    assign,
    checked_text,
    get_measure_obj,
    note_row,
    problem_row,
    record,
    refresh_problem,
)


def update_measure(
    ledger: Ledger,
    measure_id: int,
    *,
    status: Status | None = None,
    deadline_text: str | None = None,
    progress: str | None = None,
    progress_on: dt.date | None = None,
    done_on: dt.date | None = None,
    expected_version: int | None = None,
) -> ProblemRow:
    """Change a measure's status and/or deadline and/or add a progress note, all at once."""
    refuse_unverified_close(status)
    with ledger.write() as s:
        m = get_measure_obj(s, measure_id)
        if expected_version is not None and m.version != expected_version:
            raise ConflictError("这项整改措施已在别处被修改。已重新载入最新内容，请核对后再保存。")
        p = m.problem
        if status is not None:
            new_done = done_on_for(status, done_on, m.done_on)
            assign(s, m, "measure", p.id, status=status.value, done_on=new_done)
        if deadline_text is not None:
            # Typed (window or `rectify update`): 年底前 is this year's end, whatever the source.
            date, kind, text = resolve_deadline(
                MeasureInput(text="", deadline_text=deadline_text), deadline_reference()
            )
            assign(s, m, "measure", p.id, deadline=date, deadline_kind=kind.value,
                   deadline_text=text)
        if progress is not None and progress.strip():
            text = checked_text(progress, "progress", "整改进展").strip()
            note = ProgressNote(measure=m, noted_on=progress_on or clock.today(), text=text)
            s.add(note)
            s.flush()
            record(s, "note", note.id, p.id, "create", "text", "", text)
        refresh_problem(p)
        s.flush()
        return problem_row(p)


def set_measure_status(
    ledger: Ledger, measure_id: int, status: Status, done_on: dt.date | None = None
) -> ProblemRow:
    """Change only the status of a measure."""
    return update_measure(ledger, measure_id, status=status, done_on=done_on)


def add_progress_note(
    ledger: Ledger, measure_id: int, noted_on: dt.date, text: str
) -> ProgressNoteRow:
    """Add a dated 整改进展 note to a measure."""
    clean = checked_text(text, "progress", "整改进展").strip()
    if not clean:
        raise ValidationError("进展内容不能为空。", "progress")
    with ledger.write() as s:
        m = get_measure_obj(s, measure_id)
        note = ProgressNote(measure=m, noted_on=noted_on, text=clean)
        s.add(note)
        s.flush()
        record(s, "note", note.id, m.problem_id, "create", "text", "", clean)
        refresh_problem(m.problem)
        return note_row(note)


def delete_progress_note(ledger: Ledger, note_id: int) -> ProgressNoteRow:
    """Remove a progress note; returns it so the UI can undo."""
    with ledger.write() as s:
        note = s.get(ProgressNote, note_id)
        if note is None:
            raise NotFoundError("这条进展记录不存在，可能已被删除。")
        row = note_row(note)
        record(s, "note", note.id, note.measure.problem_id, "delete", "text", note.text, "")
        refresh_problem(note.measure.problem)
        s.delete(note)
        return row


def restore_progress_note(ledger: Ledger, row: ProgressNoteRow) -> ProgressNoteRow:
    """Put back a deleted progress note with its original id (undo)."""
    with ledger.write() as s:
        m = get_measure_obj(s, row.measure_id)
        note = ProgressNote(id=row.id, measure=m, noted_on=row.noted_on, text=row.text)
        s.add(note)
        s.flush()
        record(s, "note", note.id, m.problem_id, "restore", "text", "", row.text)
        refresh_problem(m.problem)
        return note_row(note)
