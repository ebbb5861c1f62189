"""Edits made in the window go onto the undo stack: Ctrl+Z and Ctrl+Y (编辑 menu) take each
back and forth, and the database says so after every step."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import descriptions, select_text, wait_loaded, window  # noqa: F401
from tracker.services.evidence import attach_bytes
from tracker import clock
from tracker.domain import ProblemFilter, Status
from tracker.services.queries import count_problems, get_problem, problem_ids
from ui.dialogs.problem_editor import ProblemEditor
from ui.dialogs.small_edits import BulkEditDialog, CloseOutDialog, ProgressNoteDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _stored(window, text: str):  # type: ignore[no-untyped-def]
    ids = problem_ids(window.ledger, ProblemFilter(text=text))
    return get_problem(window.ledger, ids[0]) if ids else None


def test_new_problem_undo_redo_through_the_edit_menu(qtbot, window, monkeypatch):
    def fill(self):  # type: ignore[no-untyped-def]
        self.description.setPlainText("课后服务内容单一")
        self.measures.text_edit.setPlainText("丰富课后服务")
        self.measures.deadline.setText("年底前")
        return self.try_save()

    monkeypatch.setattr(ProblemEditor, "exec", fill)
    window.menus.new_problem.trigger()
    wait_loaded(qtbot, window, 6)
    assert _stored(window, "课后服务") is not None
    assert window.current_id() == _stored(window, "课后服务").id  # the new row is selected
    assert window.menus.undo.text() == "撤销 新建问题"

    window.menus.undo.trigger()
    wait_loaded(qtbot, window, 5)
    assert _stored(window, "课后服务") is None and count_problems(window.ledger) == 5

    window.menus.redo.trigger()
    wait_loaded(qtbot, window, 6)
    assert _stored(window, "课后服务").measures[0].deadline_text == "年底前"


def test_edit_then_undo_and_redo_restore_each_version(qtbot, window, monkeypatch):
    def change(self):  # type: ignore[no-untyped-def]
        self.description.setPlainText("教师结构性缺编，音体美教师不足")
        self.measures.deadline.setText("2027年8月底前")
        return self.try_save()

    monkeypatch.setattr(ProblemEditor, "exec", change)
    pid = select_text(window, "缺编")
    window.actions_.edit_problem()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).measures[0].deadline_text == "2027年8月底前"
    assert "音体美" in window.detail.detail.toPlainText()
    window.stack.undo()
    wait_loaded(qtbot, window, 5)
    p = get_problem(window.ledger, pid)
    assert p.description == "教师结构性缺编" and p.measures[0].deadline_text != "2027年8月底前"
    window.stack.redo()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).description == "教师结构性缺编，音体美教师不足"


def test_delete_asks_then_undo_brings_the_problem_back(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    pid = select_text(window, "大班额")
    window.menus.delete_problem.trigger()
    wait_loaded(qtbot, window, 4)
    assert "城区存在大班额" not in descriptions(window)
    assert count_problems(window.ledger) == 4
    window.menus.undo.trigger()
    wait_loaded(qtbot, window, 5)
    restored = get_problem(window.ledger, pid)
    assert restored.status is Status.CLOSED and restored.description == "城区存在大班额"
    window.menus.redo.trigger()
    wait_loaded(qtbot, window, 4)
    assert count_problems(window.ledger) == 4


def test_note_closeout_and_bulk_edit_each_undo(qtbot, window, monkeypatch):
    pid = select_text(window, "监控")

    def note(self):  # type: ignore[no-untyped-def]
        self.text.setPlainText("已补装摄像头12个")
        return self.try_save()

    monkeypatch.setattr(ProgressNoteDialog, "exec", note)
    window.actions_.add_note()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).measures[0].notes[0].text == "已补装摄像头12个"
    assert "已补装摄像头12个" in window.detail.detail.toPlainText()

    def closeout(self):  # type: ignore[no-untyped-def]
        self.verifier.setText("督导室 李明")
        return self.try_save()

    monkeypatch.setattr(CloseOutDialog, "exec", closeout)
    window.actions_.close_out()  # refused: the measure is not done yet
    assert get_problem(window.ledger, pid).status is Status.NOT_STARTED

    def bulk_done(self):  # type: ignore[no-untyped-def]
        self.use_status.setChecked(True)
        self.status.setCurrentIndex(self.status.findData(Status.DONE.value))
        return self.try_save()

    monkeypatch.setattr(BulkEditDialog, "exec", bulk_done)
    select_text(window, "监控")
    window.actions_.bulk_edit()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).status is Status.DONE
    attach_bytes(window.ledger, pid, [("补装照片.jpg", b"jpeg")])  # the evidence 销号 needs
    select_text(window, "监控")
    window.actions_.close_out()
    wait_loaded(qtbot, window, 5)
    closed = get_problem(window.ledger, pid)
    assert (closed.status, closed.closeout_by) == (Status.CLOSED, "督导室 李明")
    assert closed.closeout_on == clock.today()

    window.stack.undo()  # close-out
    assert get_problem(window.ledger, pid).status is Status.DONE
    window.stack.undo()  # bulk status
    assert get_problem(window.ledger, pid).status is Status.NOT_STARTED
    window.stack.undo()  # note
    assert get_problem(window.ledger, pid).measures[0].notes == ()
    assert not window.stack.canUndo()
    for _ in range(3):
        window.stack.redo()
    final = get_problem(window.ledger, pid)
    assert final.status is Status.CLOSED and final.measures[0].notes[0].text == "已补装摄像头12个"
    wait_loaded(qtbot, window, 5)


def test_deleting_a_note_asks_and_can_be_undone(qtbot, window, monkeypatch):
    from tracker.services.measures import add_progress_note

    pid = select_text(window, "食堂")
    mid = get_problem(window.ledger, pid).measures[0].id
    note = add_progress_note(window.ledger, mid, dt.date(2026, 11, 1), "已约谈")
    window.reload()
    wait_loaded(qtbot, window, 5)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.detail.delete_note_requested.emit(note.id)
    assert get_problem(window.ledger, pid).measures[0].notes == ()
    window.stack.undo()
    assert [n.text for n in get_problem(window.ledger, pid).measures[0].notes] == ["已约谈"]
    wait_loaded(qtbot, window, 5)


def test_undo_of_a_problem_changed_elsewhere_is_refused_with_a_message(
        qtbot, window, monkeypatch):
    from tracker.domain import MeasureInput, ProblemInput
    from tracker.services.problems import update_problem

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))

    def change(self):  # type: ignore[no-untyped-def]
        self.description.setPlainText("我改过的描述")
        return self.try_save()

    monkeypatch.setattr(ProblemEditor, "exec", change)
    pid = select_text(window, "缺编")
    window.actions_.edit_problem()
    now = get_problem(window.ledger, pid)
    update_problem(window.ledger, pid, ProblemInput(  # another computer saves on top
        "另一台电脑的描述", source_id=now.source_id,
        measures=(MeasureInput("另一台电脑的措施"),)), now.version)
    window.menus.undo.trigger()
    assert said and "已在别处被修改" in said[0]
    assert get_problem(window.ledger, pid).description == "另一台电脑的描述"
    assert not window.stack.canUndo()
    wait_loaded(qtbot, window, 5)


def test_right_click_menu_offers_the_edit_actions(qtbot, window):
    texts = [a.text() for a in window.table.actions() if not a.isSeparator()]
    assert texts == ["编辑问题…\tEnter", "添加进展…", "销号…", "批量修改…", "删除问题\tDel",
                     "复制所选行"]


def test_new_problem_from_a_unit_list_starts_with_that_unit(qtbot, window, monkeypatch):
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(ProblemEditor, "exec", lambda self: seen.append(
        (self.lead_unit.text(), self.measures.model.draft(0).lead_unit)) or 0)
    window.panel.select_key("unit:市财政局")
    wait_loaded(qtbot, window, 1)
    window.menus.new_problem.trigger()
    assert seen == [("市财政局", "市财政局")]


def test_bulk_edit_of_many_problems_runs_in_the_background_and_undoes(qtbot, tmp_path,
                                                                    monkeypatch):
    from collections import Counter

    from tests.ui.ui_fixtures import TODAY
    from tests.ui.window_helpers import open_window
    from tracker.db.engine import open_ledger
    from tracker.demo import build_demo
    from tracker.services.queries import list_problems

    led = open_ledger(tmp_path / "many.sqlite")
    build_demo(led, 150, today=TODAY)
    before = Counter(p.status for p in list_problems(led, with_measures=False))
    w = open_window(qtbot, led, 150)
    w.table.selectAll()

    def all_done(self):  # type: ignore[no-untyped-def]
        self.use_status.setChecked(True)
        self.status.setCurrentIndex(self.status.findData(Status.DONE.value))
        return self.try_save()

    monkeypatch.setattr(BulkEditDialog, "exec", all_done)
    w.actions_.bulk_edit()
    qtbot.waitUntil(lambda: w.stack.count() == 1, timeout=30_000)
    assert {p.status for p in list_problems(led, with_measures=False)} == {Status.DONE}
    w.stack.undo()
    assert Counter(p.status for p in list_problems(led, with_measures=False)) == before
    wait_loaded(qtbot, w, 150)
    led.close()


def test_bulk_edit_refuses_an_unreadable_deadline_before_starting(qtbot):
    calls: list[tuple] = []
    d = BulkEditDialog(500, [], lambda *a: calls.append(a))
    qtbot.addWidget(d)
    d.use_deadline.setChecked(True)
    d.deadline.setText("2026年13月")
    assert not d.try_save()
    assert "13" in d.error.text() and calls == []
