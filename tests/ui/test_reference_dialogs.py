"""问题来源 / 责任单位 / 问题类别 are managed in their own dialogs; a refusal is explained."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker.domain import SourceKind
from tracker.services.reference import list_categories, list_sources, list_units
from ui.dialogs.reference_dialogs import CategoriesDialog, SourcesDialog, UnitsDialog
from ui.dialogs.small_edits import qdate
from ui.dialogs.source_form import SourceFormDialog


def _yes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def test_unit_gets_contact_and_phone(qtbot, small_ledger):
    d = UnitsDialog(small_ledger)
    qtbot.addWidget(d)
    d.start_new()
    d.name.setText("市民政局")
    d.contact.setText("马科长")
    d.phone.setText("0955-7012345")
    assert d.save()
    unit = next(u for u in list_units(small_ledger) if u.name == "市民政局")
    assert (unit.contact, unit.phone) == ("马科长", "0955-7012345")
    assert d.list.currentItem().text() == "市民政局" and d.changed


def test_unit_still_leading_problems_cannot_be_deleted(qtbot, small_ledger, monkeypatch):
    _yes(monkeypatch)
    d = UnitsDialog(small_ledger)
    qtbot.addWidget(d)
    d.list.setCurrentRow([d.list.item(i).text() for i in range(d.list.count())].index("市财政局"))
    assert not d.delete()
    assert "不能删除" in d.status.text()
    assert "市财政局" in [u.name for u in list_units(small_ledger)]


def test_duplicate_unit_name_is_refused_and_the_form_keeps_it(qtbot, small_ledger):
    d = UnitsDialog(small_ledger)
    qtbot.addWidget(d)
    d.start_new()
    d.name.setText("市财政局")
    assert not d.save()
    assert "已有名为“市财政局”的单位" in d.status.text()
    assert d.name.text() == "市财政局"


def test_source_is_created_renamed_and_deleted_when_empty(qtbot, small_ledger, monkeypatch):
    _yes(monkeypatch)
    d = SourcesDialog(small_ledger)
    qtbot.addWidget(d)
    assert d.list.item(0).text() == "2025年督导反馈（5个问题）"
    d.start_new()
    f = d.source_form
    f.title.setText("市委第三巡察组反馈问题")
    f.kind.setCurrentIndex(f.kind.findData(SourceKind.INSPECTION.value))
    f.year.setValue(2026)
    f.doc_number.setText("卫巡反〔2026〕3号")
    f.has_date.setChecked(True)
    f.issued_on.setDate(qdate(dt.date(2026, 9, 20)))
    assert d.save()
    src = next(s for s in list_sources(small_ledger) if s.title.startswith("市委第三"))
    assert (src.kind, src.year, src.issued_on) == (SourceKind.INSPECTION, 2026,
                                                    dt.date(2026, 9, 20))
    assert d.delete()
    assert [s.title for s in list_sources(small_ledger)] == ["2025年督导反馈"]
    d.list.setCurrentRow(0)
    assert not d.delete() and "不能删除" in d.status.text()


def test_new_source_from_the_editor_needs_a_title(qtbot, small_ledger):
    d = SourceFormDialog(small_ledger, None)
    qtbot.addWidget(d)
    assert not d.try_save()
    assert d.form.error.text() == "请填写问题来源的名称。"
    d.form.title.setText("2026年专项督导")
    assert d.try_save() and d.saved is not None and d.saved.title == "2026年专项督导"


def test_category_added_renamed_and_deleted(qtbot, small_ledger, monkeypatch):
    _yes(monkeypatch)
    d = CategoriesDialog(small_ledger)
    qtbot.addWidget(d)
    d.start_new()
    d.name.setText("课后服务")
    assert d.save()
    d.name.setText("课后服务与托管")
    assert d.save()
    assert list_categories(small_ledger)[-1].name == "课后服务与托管"
    assert d.delete()
    assert "课后服务与托管" not in [c.name for c in list_categories(small_ledger)]


def test_read_only_dialogs_only_show(qtbot, small_ledger):
    d = UnitsDialog(small_ledger, read_only=True)
    qtbot.addWidget(d)
    assert not d.new_button.isEnabled() and not d.save_button.isEnabled()
    assert not d.delete_button.isEnabled()


def _undoable(ledger):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QUndoStack

    from ui.edits import EditController

    stack = QUndoStack()
    return EditController(ledger, stack, None), stack


def test_unit_edits_undo_and_redo(qtbot, small_ledger):
    edits, stack = _undoable(small_ledger)
    d = UnitsDialog(small_ledger, edits=edits)
    qtbot.addWidget(d)
    d.start_new()
    d.name.setText("市民政局")
    d.phone.setText("0955-7011111")
    assert d.save()
    d.name.setText("中卫市民政局")
    assert d.save()

    def names() -> list[str]:
        return [u.name for u in list_units(small_ledger)]

    assert "中卫市民政局" in names()
    stack.undo()
    assert "市民政局" in names() and "中卫市民政局" not in names()
    stack.undo()
    assert "市民政局" not in names()
    stack.redo()
    stack.redo()
    unit = next(u for u in list_units(small_ledger) if u.name == "中卫市民政局")
    assert unit.phone == "0955-7011111"


def test_deleted_category_comes_back_on_its_problems(qtbot, small_ledger, monkeypatch):
    from tracker.domain import ProblemFilter
    from tracker.services.queries import list_problems

    _yes(monkeypatch)
    edits, stack = _undoable(small_ledger)
    d = CategoriesDialog(small_ledger, edits=edits)
    qtbot.addWidget(d)
    names = [d.list.item(i).text() for i in range(d.list.count())]
    d.list.setCurrentRow(names.index("平安校园"))
    assert d.delete()

    def category_of(text: str) -> str:
        return list_problems(small_ledger, ProblemFilter(text=text))[0].category

    assert category_of("监控") == ""
    stack.undo()
    assert category_of("监控") == "平安校园"
    stack.redo()
    assert category_of("监控") == ""
    assert "平安校园" not in [c.name for c in list_categories(small_ledger)]


def test_deleted_source_is_recreated_by_undo(qtbot, small_ledger, monkeypatch):
    _yes(monkeypatch)
    edits, stack = _undoable(small_ledger)
    d = SourcesDialog(small_ledger, edits=edits)
    qtbot.addWidget(d)
    d.start_new()
    d.source_form.title.setText("临时来源")
    d.source_form.doc_number.setText("卫教〔2026〕1号")
    assert d.save()
    assert d.delete()
    assert "临时来源" not in [s.title for s in list_sources(small_ledger)]
    stack.undo()
    back = next(s for s in list_sources(small_ledger) if s.title == "临时来源")
    assert back.doc_number == "卫教〔2026〕1号"
    stack.undo()
    assert "临时来源" not in [s.title for s in list_sources(small_ledger)]
    assert stack.index() == 0
