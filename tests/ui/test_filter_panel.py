"""The side panel: every ready filter with its count; picking one reports its key."""

from __future__ import annotations

from tests.ui.ui_fixtures import TODAY, isolated_settings, small_ledger  # noqa: F401
from tracker.domain import Status
from tracker.services.counts import filter_counts
from ui import filters
from ui.models.filter_tree import COUNT_ROLE, KEY_ROLE
from ui.widgets.filter_panel import FilterPanel


def _labels(panel: FilterPanel) -> dict[str, str]:
    model = panel.tree
    out = {}
    for r in range(model.rowCount()):
        out[model.index(r, 0).data()] = model.index(r, 1).data()
    return out


def test_panel_lists_ready_filters_with_counts(qtbot, qtmodeltester, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30))
    qtmodeltester.check(panel.tree)
    assert _labels(panel) == {
        "全部问题": "5", "逾期": "1", "7天内到期": "1", "30天内到期": "2", "未启动": "1",
        "整改中": "2", "已完成待销号": "1", "已销号": "1", "长期坚持": "0", "待回头看": "0",
        "按问题来源": "", "按单位": "", "按问题类别": "",
    }


def test_closed_problems_due_a_recheck_are_a_ready_filter(qtbot, small_ledger):
    import datetime as dt

    from tracker import clock
    from tracker.services.closeout_settings import set_closeout_setting
    from tracker.services.problems import close_out, create_problem
    from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
    from tracker.services.queries import problem_ids
    from ui.filters import RECHECK, problem_filter

    set_closeout_setting(small_ledger, "closeout.needs_evidence", "否")
    with clock.fixed_today(dt.date(2026, 1, 10)):
        old = create_problem(small_ledger, ProblemInput("去年销号的问题", measures=(
            MeasureInput("已整改", deadline_text="2025-12-31", status=Status.DONE),))).id
        close_out(small_ledger, old, "督导室", dt.date(2026, 1, 10))
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30, recheck_months=6))
    assert _labels(panel)["待回头看"] == "1"
    assert problem_ids(small_ledger, problem_filter(RECHECK, TODAY, 7, 30)) == [old]
    assert problem_ids(small_ledger, problem_filter(RECHECK, TODAY, 7, 30,
                                                    recheck_months=12)) == []


def test_groups_list_each_source_unit_and_category(qtbot, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30))
    unit_group = panel.tree.find_key(filters.GROUP_PREFIX + "unit")
    assert unit_group is not None
    units = {unit_group.child(r, 0).text(): unit_group.child(r, 0).data(COUNT_ROLE)
             for r in range(unit_group.rowCount())}
    assert units == {"市公安局": 1, "市委编办": 1, "市市场监管局": 1, "市教育局": 1, "市财政局": 1}
    assert panel.tree.count_of("unit:市公安局") == 1
    assert panel.tree.find_key("category:999") is None


def test_clicking_a_filter_reports_its_key_and_group_headings_do_not(qtbot, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30))
    seen: list[str] = []
    panel.filter_selected.connect(seen.append)
    item = panel.tree.find_key(filters.status_key(Status.DONE))
    assert item is not None
    panel.setCurrentIndex(item.index())
    heading = panel.tree.find_key(filters.GROUP_PREFIX + "source")
    assert heading is not None
    panel.setCurrentIndex(heading.index())
    assert seen == ["status:done"]
    assert panel.key == "status:done"
    assert panel.isExpanded(heading.index())


def test_selection_survives_new_counts_and_unknown_keys_fall_back_to_all(qtbot, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    counts = filter_counts(small_ledger, TODAY, 7, 30)
    panel.set_counts(counts)
    panel.select_key("unit:市财政局")
    panel.set_counts(counts)
    assert panel.key == "unit:市财政局"
    assert panel.currentIndex().data() == "市财政局"
    assert panel.currentIndex().data(KEY_ROLE) == "unit:市财政局"
    panel.select_key("unit:不存在的单位")
    assert panel.key == filters.ALL


def test_thresholds_rename_the_due_soon_filters(qtbot):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_thresholds(5, 15)
    assert panel.tree.find_key(filters.SOON).text() == "5天内到期"
    assert panel.tree.find_key(filters.LATER).text() == "15天内到期"


def test_filter_keys_select_the_right_problems(small_ledger):
    from tracker.services.queries import count_problems

    def n(key: str) -> int:
        return count_problems(small_ledger, filters.problem_filter(key, TODAY, 7, 30))

    assert (n(filters.ALL), n(filters.OVERDUE), n(filters.SOON), n(filters.LATER)) == (5, 1, 1, 2)
    assert n("status:closed") == 1
    assert n("unit:市教育局") == 1
    assert n("source:not-a-number") == 5  # a stale remembered key shows everything
    assert filters.unit_of("unit:市教育局") == "市教育局" and filters.unit_of("overdue") is None


def test_a_remembered_unit_filter_is_kept_until_the_counts_arrive(qtbot, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    seen: list[str] = []
    panel.filter_selected.connect(seen.append)
    panel.select_key("unit:市财政局")  # at start-up, before any count
    assert panel.key == "unit:市财政局" and seen == ["unit:市财政局"]
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30))
    assert panel.currentIndex().data() == "市财政局"
    assert seen == ["unit:市财政局"]  # no second query


def test_a_remembered_unit_that_no_longer_exists_falls_back_to_all(qtbot, small_ledger):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.select_key("unit:已撤销的单位")
    panel.set_counts(filter_counts(small_ledger, TODAY, 7, 30))
    assert panel.key == filters.ALL
