"""The editor's measure list: valid for Qt, edited in place, reordered, and every deadline
read back at once (tracker.deadlines.describe) with mistakes shown before saving."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.ui_fixtures import isolated_settings  # noqa: F401
from tracker.domain import Status
from ui.models.measure_list import (
    ERROR_COLOR,
    STATUS_VALUE_ROLE,
    MeasureColumn,
    MeasureDraft,
    MeasureListModel,
)

REF = dt.date(2022, 6, 15)


def _model() -> MeasureListModel:
    model = MeasureListModel()
    model.set_reference(REF)
    model.set_drafts([MeasureDraft("核定编制", "市委编办", deadline_text="年底前"),
                      MeasureDraft("公开招聘", "市人社局", deadline_text="2023年7月底前"),
                      MeasureDraft("县管校聘", deadline_text="长期坚持")])
    return model


def test_model_passes_qt_model_tester(qtmodeltester):
    model = _model()
    qtmodeltester.check(model)
    model.move(0, 1)
    model.add_draft()
    model.remove(1)
    qtmodeltester.check(model)


def test_deadlines_are_read_as_the_clerk_types(qtbot):
    model = _model()
    readings = [model.index(r, MeasureColumn.READING).data() for r in range(3)]
    assert readings == ["2022年12月31日（星期六）", "2023年7月31日（星期一）", "长期坚持（无截止日期）"]
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(model.index(0, MeasureColumn.DEADLINE), "2022.9.30")
    assert model.index(0, MeasureColumn.READING).data() == "2022年9月30日（星期五）"
    model.setData(model.index(0, MeasureColumn.DEADLINE), "2022年13月")
    bad = model.index(0, MeasureColumn.READING)
    assert "13" in bad.data() and bad.data(Qt.ItemDataRole.ForegroundRole) == ERROR_COLOR
    assert model.draft(0).deadline_text == "2022年13月"  # what was typed is kept
    assert model.errors()[0][0] == 0


def test_reference_date_changes_what_year_end_means(qtbot):
    model = _model()
    model.set_reference(dt.date(2024, 3, 1))
    assert model.index(0, MeasureColumn.READING).data().startswith("2024年12月31日")


def test_moving_and_removing_keeps_the_typed_values(qtbot):
    model = _model()
    assert model.move(2, -1) == 1
    assert [d.text for d in model.drafts()] == ["核定编制", "县管校聘", "公开招聘"]
    assert model.move(0, -1) == 0  # already first
    model.remove(0)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == ["1", "2"]
    assert [d.text for d in model.drafts()] == ["县管校聘", "公开招聘"]


def test_status_is_edited_by_label_and_empty_text_is_an_error(qtbot):
    model = _model()
    idx = model.index(1, MeasureColumn.STATUS)
    assert model.setData(idx, "已完成")
    assert idx.data() == "已完成" and idx.data(STATUS_VALUE_ROLE) == "done"
    assert not model.setData(idx, "不存在的状态")
    assert model.setData(idx, Status.ONGOING) and model.draft(1).status is Status.ONGOING
    model.add_draft()
    assert model.errors() == [(3, "第4项措施没有填写内容。")]
    assert not model.flags(model.index(0, MeasureColumn.READING)) & Qt.ItemFlag.ItemIsEditable


def test_a_saved_relative_deadline_keeps_its_year_until_retyped(qtmodeltester):
    from tracker.domain import DeadlineKind, MeasureRow

    stored = MeasureRow(id=7, problem_id=1, position=1, text="核定编制", lead_unit="", co_units="",
                        owner="", deadline=dt.date(2025, 12, 31), deadline_text="年底前",
                        deadline_kind=DeadlineKind.DATED, status=Status.IN_PROGRESS,
                        done_on=None, version=1)
    model = MeasureListModel()
    model.set_reference(dt.date(2026, 11, 23))
    model.set_drafts([MeasureDraft.from_row(stored)])
    qtmodeltester.check(model)
    reading = model.index(0, MeasureColumn.READING)
    assert reading.data() == "2025年12月31日（星期三）"
    model.setData(model.index(0, MeasureColumn.DEADLINE), "年底前 ")
    assert reading.data() == "2025年12月31日（星期三）"
    model.setData(model.index(0, MeasureColumn.DEADLINE), "2026年底前")
    assert reading.data() == "2026年12月31日（星期四）"
