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
