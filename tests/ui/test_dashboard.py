"""统计: counts for a chosen date, the report sentence with a copy button, the overdue and
due-soon lists, and one bar per unit."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from tests.ui.ui_fixtures import TODAY, isolated_settings, small_ledger  # noqa: F401
from tracker.domain import Status
from tracker.summary import UnitCounts
from ui.dialogs.dashboard import Dashboard
from ui.dialogs.small_edits import qdate
from ui.models.problem_table import Column
from ui.widgets.unit_chart import UnitChart, parts


def _dashboard(qtbot, ledger, day=TODAY) -> Dashboard:  # type: ignore[no-untyped-def]
    d = Dashboard(ledger, 7, 30, as_of=day)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.summary is not None and d.summary.as_of == day, timeout=10_000)
    return d


def test_numbers_and_sentence_for_the_chosen_date(qtbot, small_ledger):
    d = _dashboard(qtbot, small_ledger)
    assert d.cards["total"].number.text() == "5"
    assert d.cards["completed"].number.text() == "2"
    assert d.cards["closed"].number.text() == "1"
    assert d.cards["overdue"].number.text() == "1"
    assert d.cards["rate"].number.text() == "40%"
    text = d.sentence.toPlainText()
    assert text.startswith("截至2026年11月23日，共梳理问题5个（整改措施5项），已整改完成2个（其中已销号1个）")
    assert "逾期未完成1个" in text
    d.copy_sentence()
    assert QApplication.clipboard().text() == text


def test_lists_show_overdue_and_due_soon_problems(qtbot, small_ledger):
    d = _dashboard(qtbot, small_ledger)
    rows = [d.overdue_model.index(r, Column.DESCRIPTION).data()
            for r in range(d.overdue_model.rowCount())]
    assert rows == ["学校食堂留样不规范"]
    soon = [d.soon_model.index(r, Column.DESCRIPTION).data()
            for r in range(d.soon_model.rowCount())]
    assert soon == ["校园视频监控存在盲区", "教师结构性缺编"]  # nearest deadline first
    assert d.lists.tabText(0) == "逾期问题（1）"


def test_a_later_date_makes_more_problems_overdue(qtbot, small_ledger):
    d = _dashboard(qtbot, small_ledger)
    later = TODAY + dt.timedelta(days=25)
    d.as_of.setDate(qdate(later))
    qtbot.waitUntil(lambda: d.summary is not None and d.summary.as_of == later, timeout=10_000)
    assert d.cards["overdue"].number.text() == "3"
    assert "截至2026年12月18日" in d.sentence.toPlainText()
    assert d.overdue_model.rowCount() == 3
    QThreadPool.globalInstance().waitForDone(5000)


def test_chart_has_a_bar_per_unit_whose_parts_add_up(qtbot, small_ledger):
    d = _dashboard(qtbot, small_ledger)
    names = [u.unit for u in d.chart.units]
    assert names[0] == "市市场监管局"  # the unit with an overdue problem comes first
    assert sorted(names) == sorted(["市市场监管局", "市公安局", "市委编办", "市财政局", "市教育局"])
    for u in d.chart.units:
        assert sum(parts(u)) == u.total
    image = d.chart.grab().toImage()
    assert image.height() == d.chart.sizeHint().height()


def test_chart_paints_red_for_overdue_and_says_when_empty(qtbot):
    chart = UnitChart()
    qtbot.addWidget(chart)
    chart.resize(600, 100)
    chart.set_units([UnitCounts("市教育局", 4, 1, 3, 3, 0)])
    image = chart.grab().toImage()
    colors = {image.pixelColor(x, 45).name() for x in range(image.width())}
    assert "#d93025" in colors and "#1e8e3e" in colors  # overdue red and done green drawn
    chart.set_units([])
    assert chart.grab().toImage().height() > 0


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_double_click_in_a_list_shows_the_problem_in_the_window(qtbot, small_ledger):
    from tests.ui.window_helpers import open_window, wait_loaded
    from ui import external_dialogs, filters

    w = open_window(qtbot, small_ledger, 5)
    w.panel.select_key(filters.status_key(Status.CLOSED))
    wait_loaded(qtbot, w, 1)
    external_dialogs.dashboard(w)
    d = w.dashboard_window
    qtbot.waitUntil(lambda: d.summary is not None, timeout=10_000)
    overdue_id = d.overdue_model.ids()[0]
    d.problem_activated.emit(overdue_id)  # as a double-click on the row does
    wait_loaded(qtbot, w, 5)  # the filter hid it, so the window shows 全部 and selects it
    assert w.panel.key == filters.ALL and w.current_id() == overdue_id
    d.close()
