"""The problem editor: a new problem with measures is stored; mistakes are explained next to
the field and nothing typed is lost; a stale save is refused and the newer text reloaded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemInput, ProblemRow, Status
from tracker.services.problems import create_problem, update_problem
from tracker.services.queries import get_problem, problem_ids
from tracker.services.reference import list_categories, list_units
from ui.dialogs.problem_editor import ProblemEditor
from ui.models.measure_list import MeasureColumn


def _creator(ledger: Ledger):  # type: ignore[no-untyped-def]
    return lambda data, _v: create_problem(ledger, data)


def _updater(ledger: Ledger, pid: int):  # type: ignore[no-untyped-def]
    return lambda data, v: update_problem(ledger, pid, data, v)


def _new_editor(qtbot, ledger: Ledger) -> ProblemEditor:  # type: ignore[no-untyped-def]
    editor = ProblemEditor(ledger, None, _creator(ledger))
    qtbot.addWidget(editor)
    return editor


def test_new_problem_with_two_measures_is_stored(qtbot, small_ledger):
    editor = _new_editor(qtbot, small_ledger)
    assert editor.source.currentText() == "2025年督导反馈"  # the newest source by default
    editor.description.setPlainText("课后服务内容单一，学生参与率低")
    editor.category.set_text("课后服务")  # a new category, added on save
    editor.lead_unit.set_text("市教育局")
    m = editor.measures
    m.text_edit.setPlainText("丰富课后服务课程")
    m.lead_unit.set_text("市教育局")
    m.deadline.insert("2025年13")  # the reading follows every change of the text
    assert "13" in m.reading.text() and not m.reading.text().startswith("→")
    m.deadline.clear()
    m.deadline.insert("年底前")
    # Typed today, 年底前 means this year's end whatever the source's date; the hint says so.
    assert m.reading.text() == "按2026年11月23日理解：2026年12月31日（星期四）"
    qtbot.mouseClick(m.add_button, Qt.MouseButton.LeftButton)
    assert m.lead_unit.text() == "市教育局"  # carried over from the previous measure
    m.text_edit.setPlainText("引进社会资源")
    m.lead_unit.set_text("团市委")
    m.deadline.setText("长期坚持")
    m.status.setCurrentIndex(m.status.findData(Status.ONGOING.value))
    assert editor.try_save()
    saved = get_problem(small_ledger, editor.saved.id)
    assert saved.description == "课后服务内容单一，学生参与率低"
    assert saved.category == "课后服务" and saved.lead_unit == "市教育局"
    assert [(x.text, x.lead_unit, x.deadline_text, x.status) for x in saved.measures] == [
        ("丰富课后服务课程", "市教育局", "年底前", Status.NOT_STARTED),
        ("引进社会资源", "团市委", "长期坚持", Status.ONGOING)]
    assert "课后服务" in [c.name for c in list_categories(small_ledger)]
    assert "团市委" in [u.name for u in list_units(small_ledger)]


def test_missing_description_is_explained_and_typed_measures_are_kept(qtbot, small_ledger):
    editor = _new_editor(qtbot, small_ledger)
    editor.measures.text_edit.setPlainText("补装监控")
    editor.measures.deadline.setText("2022年13月31日")
    assert not editor.try_save()
    assert editor.errors["description"].isVisibleTo(editor)
    assert editor.errors["description"].text() == "请填写“存在问题”。"
    assert "13" in editor.measures.list_error.text()
    assert editor.measures.reading.styleSheet() == "color: #b3261e;"
    assert editor.measures.text_edit.toPlainText() == "补装监控"
    assert editor.saved is None and editor.result() == 0


def test_service_refusal_is_shown_next_to_its_field(qtbot, small_ledger):
    editor = _new_editor(qtbot, small_ledger)
    editor.description.setPlainText("问题")
    editor.goal.setPlainText("长" * 40_000)  # longer than an Excel cell
    editor.measures.text_edit.setPlainText("措施")
    assert not editor.try_save()
    assert "32767" in editor.errors["goal"].text() and editor.errors["goal"].isVisibleTo(editor)
    assert len(editor.goal.toPlainText()) == 40_000


def test_editing_changes_reorders_and_removes_measures(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="缺编"))[0]
    problem = get_problem(small_ledger, pid)
    editor = ProblemEditor(small_ledger, problem, _updater(small_ledger, pid))
    qtbot.addWidget(editor)
    assert editor.description.toPlainText() == "教师结构性缺编"
    m = editor.measures
    m.add_measure()
    m.text_edit.setPlainText("县管校聘")
    m.deadline.setText("2027年6月底前")
    m.move_current(-1)
    assert [d.text for d in m.model.drafts()] == ["县管校聘", "教师结构性缺整改"]
    m.select_row(1)
    m.remove_current()
    assert editor.try_save()
    saved = get_problem(small_ledger, pid)
    assert [x.text for x in saved.measures] == ["县管校聘"]
    assert saved.measures[0].deadline_text == "2027年6月底前"


def test_stale_save_reloads_newer_version_and_keeps_typed_text_on_clipboard(
        qtbot, small_ledger, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    pid = problem_ids(small_ledger, ProblemFilter(text="监控"))[0]
    problem = get_problem(small_ledger, pid)
    editor = ProblemEditor(small_ledger, problem, _updater(small_ledger, pid))
    qtbot.addWidget(editor)
    update_problem(small_ledger, pid, ProblemInput(
        "另一窗口改过的描述", source_id=problem.source_id,
        measures=tuple(editor.measures.model.drafts()[0].to_input() for _ in range(1))),
        problem.version)
    editor.description.setPlainText("我的修改")
    assert not editor.try_save()
    assert warnings and "已在别处被修改" in warnings[0]
    assert get_problem(small_ledger, pid).description == "另一窗口改过的描述"  # not overwritten
    assert editor.description.toPlainText() == "另一窗口改过的描述"
    assert "我的修改" in QApplication.clipboard().text()
    assert editor.try_save()  # the reloaded version can be saved again


def test_read_only_editor_cannot_save(qtbot, small_ledger):
    pid = problem_ids(small_ledger)[0]
    editor = ProblemEditor(small_ledger, get_problem(small_ledger, pid),
                           _updater(small_ledger, pid), read_only=True)
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "查看问题（只读）"
    assert editor.description.isReadOnly()
    assert not editor.measures.add_button.isEnabled()
    assert not editor.buttons.buttons()[0].isEnabled()


def test_measure_table_shows_the_reading_column(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="食堂"))[0]
    editor = ProblemEditor(small_ledger, get_problem(small_ledger, pid), _updater(small_ledger, pid))
    qtbot.addWidget(editor)
    idx = editor.measures.model.index(0, MeasureColumn.READING)
    assert idx.data() == "2026年11月13日（星期五）"
    assert isinstance(editor.problem, ProblemRow)


def test_new_source_typed_in_the_editor_is_picked_and_undoable(qtbot, small_ledger, monkeypatch):
    from PySide6.QtGui import QUndoStack

    from tracker.services.reference import list_sources
    from ui.dialogs.source_form import SourceFormDialog
    from ui.edits import EditController

    stack = QUndoStack()
    edits = EditController(small_ledger, stack, None)

    def fill(self):  # type: ignore[no-untyped-def]
        self.form.title.setText("市委第三巡察组反馈问题")
        return self.try_save()

    monkeypatch.setattr(SourceFormDialog, "exec", fill)
    editor = ProblemEditor(small_ledger, None, _creator(small_ledger), edits=edits)
    qtbot.addWidget(editor)
    editor._new_source()
    assert editor.source.currentText() == "市委第三巡察组反馈问题"
    assert stack.count() == 1
    stack.undo()
    assert "市委第三巡察组反馈问题" not in [s.title for s in list_sources(small_ledger)]
