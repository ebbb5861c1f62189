"""完成进度 in the problem editor: a spin box whose lowest step is 未填写 (not stated, unlike
0 %), saved through the service, shown in the measure list and in the detail pane."""

from __future__ import annotations

import datetime as dt

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.services.history import list_history
from tracker.services.problems import update_problem
from tracker.services.queries import get_problem, problem_ids
from ui.dialogs.problem_editor import ProblemEditor
from ui.models.measure_list import MeasureColumn, MeasureListModel, percent_value
from ui.widgets.detail_html import problem_html
from ui.widgets.measure_editor import NO_PERCENT


def _editor(qtbot, ledger: Ledger, pid: int) -> ProblemEditor:  # type: ignore[no-untyped-def]
    editor = ProblemEditor(ledger, get_problem(ledger, pid),
                           lambda data, v: update_problem(ledger, pid, data, v))
    qtbot.addWidget(editor)
    return editor


def test_the_percent_is_typed_saved_and_read_back(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="缺编"))[0]
    editor = _editor(qtbot, small_ledger, pid)
    m = editor.measures
    assert m.percent.value() == NO_PERCENT and m.percent.text() == "未填写"
    m.percent.setValue(60)
    assert m.model.index(0, MeasureColumn.PERCENT).data() == "60%"
    assert editor.try_save()
    saved = get_problem(small_ledger, pid)
    assert saved.measures[0].percent == 60
    assert any(c.field == "percent" and c.new == "60" for c in list_history(small_ledger, pid))

    again = _editor(qtbot, small_ledger, pid)  # reopened: the stored value is shown
    assert again.measures.percent.value() == 60
    again.measures.percent.setValue(NO_PERCENT)  # back to 未填写: no percent stated
    assert again.try_save()
    assert get_problem(small_ledger, pid).measures[0].percent is None


def test_zero_percent_is_stated_not_empty(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="缺编"))[0]
    editor = _editor(qtbot, small_ledger, pid)
    editor.measures.percent.setValue(0)
    assert editor.try_save()
    assert get_problem(small_ledger, pid).measures[0].percent == 0


def test_the_list_model_takes_typed_percents(qtbot):
    model = MeasureListModel()
    model.add_draft()
    idx = model.index(0, MeasureColumn.PERCENT)
    assert model.setData(idx, "45%") and model.draft(0).percent == 45
    assert not model.setData(idx, "120") and model.draft(0).percent == 45
    assert model.setData(idx, "") and model.draft(0).percent is None
    assert model.draft(0).to_input().percent is None
    assert [percent_value(v) for v in (None, "", 0, "100", "7 %")] == [None, None, 0, 100, 7]


def test_the_detail_pane_shows_the_percent(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="缺编"))[0]
    editor = _editor(qtbot, small_ledger, pid)
    editor.measures.percent.setValue(35)
    assert editor.try_save()
    p = get_problem(small_ledger, pid)
    html = problem_html(p, dt.date(2026, 11, 23), 7, 30, editable=False)
    assert "完成进度：35%" in html
