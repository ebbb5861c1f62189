"""Every edit is undone and redone through the stack, and the database says so each time."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QUndoStack

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.errors import ConflictError, TrackerError
from tracker.services.measures import add_progress_note, update_measure
from tracker.services.evidence import attach_bytes
from tracker.services.problems import bulk_update, close_out, create_problem, update_problem
from tracker.services.queries import count_problems, get_problem, problem_ids
from ui.edits import EditController


def _controller(ledger: Ledger) -> tuple[EditController, QUndoStack, list[TrackerError]]:
    stack = QUndoStack()
    ctl = EditController(ledger, stack, None)
    errors: list[TrackerError] = []
    ctl.undo_failed.connect(errors.append)
    return ctl, stack, errors


def _id_of(ledger: Ledger, text: str) -> int:
    return problem_ids(ledger, ProblemFilter(text=text))[0]


def test_edit_then_undo_then_redo_changes_the_stored_problem_each_time(qtbot, small_ledger):
    ctl, stack, errors = _controller(small_ledger)
    pid = _id_of(small_ledger, "大班额")
    old = get_problem(small_ledger, pid)
    data = ProblemInput(description="城区学校大班额问题突出", lead_unit="市住建局",
                        source_id=old.source_id, category=old.category,
                        measures=(MeasureInput("新建学校两所", deadline_text="2027年8月底前",
                                               id=old.measures[0].id),
                                  MeasureInput("调整招生片区", deadline_text="长期坚持")))
    ctl.perform("修改问题", [pid], lambda: update_problem(small_ledger, pid, data, old.version))
    edited = get_problem(small_ledger, pid)
    assert edited.description == "城区学校大班额问题突出"
    assert [m.text for m in edited.measures] == ["新建学校两所", "调整招生片区"]

    stack.undo()
    back = get_problem(small_ledger, pid)
    assert back.description == "城区存在大班额"
    assert back.lead_unit == "市教育局"
    assert [m.text for m in back.measures] == [old.measures[0].text]
    assert back.status is Status.CLOSED

    stack.redo()
    again = get_problem(small_ledger, pid)
    assert again.description == "城区学校大班额问题突出"
    assert again.lead_unit == "市住建局"
    assert [m.deadline_text for m in again.measures] == ["2027年8月底前", "长期坚持"]
    assert errors == []


def test_create_undo_removes_and_redo_brings_back_the_same_problem(qtbot, small_ledger):
    ctl, stack, _ = _controller(small_ledger)
    row = ctl.perform("新建问题", [], lambda: create_problem(small_ledger, ProblemInput(
        "课后服务内容单一", measures=(MeasureInput("丰富课程", deadline_text="年底前"),))))
    assert count_problems(small_ledger) == 6
    stack.undo()
    assert count_problems(small_ledger) == 5
    stack.redo()
    assert get_problem(small_ledger, row.id).description == "课后服务内容单一"


def test_delete_with_notes_is_undone_whole(qtbot, small_ledger):
    ctl, stack, _ = _controller(small_ledger)
    pid = _id_of(small_ledger, "食堂")
    mid = get_problem(small_ledger, pid).measures[0].id
    add_progress_note(small_ledger, mid, dt.date(2026, 10, 1), "已约谈校长")
    ctl.delete("删除问题", [pid, _id_of(small_ledger, "监控")])
    assert count_problems(small_ledger) == 3
    stack.undo()
    restored = get_problem(small_ledger, pid)
    assert [n.text for n in restored.measures[0].notes] == ["已约谈校长"]
    assert count_problems(small_ledger) == 5
    stack.redo()
    assert count_problems(small_ledger) == 3


def test_progress_note_status_closeout_and_bulk_edits_undo_in_order(qtbot, small_ledger):
    ctl, stack, _ = _controller(small_ledger)
    pid = _id_of(small_ledger, "监控")
    mid = get_problem(small_ledger, pid).measures[0].id
    ctl.perform("添加进展", [pid], lambda: add_progress_note(
        small_ledger, mid, dt.date(2026, 11, 20), "已补装摄像头12个"))
    ctl.perform("改状态", [pid], lambda: update_measure(small_ledger, mid, status=Status.DONE))
    attach_bytes(small_ledger, pid, [("补装照片.jpg", b"jpeg")])  # the evidence 销号 needs
    ctl.perform("销号", [pid], lambda: close_out(small_ledger, pid, "督导室", dt.date(2026, 11, 22)))
    two = [pid, _id_of(small_ledger, "缺编")]
    ctl.perform("批量修改", two, lambda: bulk_update(small_ledger, two, lead_unit="市教育局"))
    assert get_problem(small_ledger, pid).lead_unit == "市教育局"

    stack.undo()
    assert get_problem(small_ledger, pid).lead_unit == "市公安局"
    assert get_problem(small_ledger, two[1]).lead_unit == "市委编办"
    stack.undo()
    p = get_problem(small_ledger, pid)
    assert p.status is Status.DONE and p.closeout_by == ""
    stack.undo()
    assert get_problem(small_ledger, pid).status is Status.NOT_STARTED
    stack.undo()
    assert get_problem(small_ledger, pid).measures[0].notes == ()
    for _ in range(4):
        stack.redo()
    p = get_problem(small_ledger, pid)
    assert (p.status, p.closeout_by, p.lead_unit) == (Status.CLOSED, "督导室", "市教育局")
    assert [n.text for n in p.measures[0].notes] == ["已补装摄像头12个"]


def test_undo_after_a_change_elsewhere_refuses_and_leaves_the_newer_text(qtbot, small_ledger):
    ctl, stack, errors = _controller(small_ledger)
    pid = _id_of(small_ledger, "缺编")
    p = get_problem(small_ledger, pid)
    data = ProblemInput("教师结构性缺编严重", source_id=p.source_id,
                        measures=(MeasureInput(p.measures[0].text, id=p.measures[0].id,
                                               deadline_text=p.measures[0].deadline_text),))
    ctl.perform("修改问题", [pid], lambda: update_problem(small_ledger, pid, data, p.version))
    now = get_problem(small_ledger, pid)
    # Another window saves on top of our edit.
    update_problem(small_ledger, pid, ProblemInput(
        "另一窗口改过", source_id=p.source_id,
        measures=(MeasureInput("x", id=now.measures[0].id),)), now.version)
    stack.undo()
    assert get_problem(small_ledger, pid).description == "另一窗口改过"
    assert len(errors) == 1 and isinstance(errors[0], ConflictError)
    assert stack.count() == 0  # the stale step left the stack


def test_failed_edit_pushes_nothing(qtbot, small_ledger):
    ctl, stack, _ = _controller(small_ledger)
    pid = _id_of(small_ledger, "缺编")
    with pytest.raises(TrackerError):
        ctl.perform("修改问题", [pid], lambda: update_problem(
            small_ledger, pid, ProblemInput("  "), None))
    assert stack.count() == 0
