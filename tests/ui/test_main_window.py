"""The main window as a clerk meets it: filters with counts, a search that filters as you
type, the selected problem's detail, colours, warnings, and the keys a clerk uses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import (
    descriptions,
    open_window,
    select_text,
    show_active,
    wait_loaded,
    window,  # noqa: F401
)
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.services.problems import update_problem
from tracker.services.queries import get_problem
from ui import filters, settings
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_window_lists_every_problem_and_counts_each_filter(qtbot, window):
    assert window.windowTitle() == "整改台账 - small.sqlite"
    assert window.count_label.text() == "显示 5 个问题（共 5 个）"
    assert window.panel.tree.count_of(filters.OVERDUE) == 1
    assert window.legend.labels  # the colour legend is under the table
    assert [window.legend.labels[b].text() for b in window.legend.labels] == [
        "逾期", "7天内到期", "30天内到期", "已完成待销号", "已销号"]


def test_picking_a_filter_shows_only_its_problems(qtbot, window):
    window.panel.select_key(filters.OVERDUE)
    wait_loaded(qtbot, window, 1)
    assert descriptions(window) == ["学校食堂留样不规范"]
    window.panel.select_key("unit:市公安局")
    wait_loaded(qtbot, window, 1)
    assert descriptions(window) == ["校园视频监控存在盲区"]
    assert window.count_label.text() == "显示 1 个问题（共 5 个）"


def test_search_filters_as_you_type_after_a_short_pause(qtbot, window):
    with qtbot.waitSignal(window.rows_loaded, timeout=5000):
        window.search.setText("监控")  # a unit, a measure text or a person are found alike
    assert descriptions(window) == ["校园视频监控存在盲区"]
    with qtbot.waitSignal(window.rows_loaded, timeout=5000):
        window.search.setText("市财政局")
    assert descriptions(window) == ["公用经费未足额拨付"]
    with qtbot.waitSignal(window.rows_loaded, timeout=5000):
        window.search.clear()
    assert len(descriptions(window)) == 5


def test_an_empty_result_says_why(qtbot, window):
    window.search.setText("没有这个词")
    window.search.flush()
    wait_loaded(qtbot, window, 0)
    assert window.empty_label.isVisibleTo(window)
    assert window.empty_label.text().startswith("没有符合条件的问题")
    window.search.setText("")
    window.search.flush()
    wait_loaded(qtbot, window, 5)
    assert not window.empty_label.isVisibleTo(window)


def test_search_combines_with_the_side_panel_filter(qtbot, window):
    window.panel.select_key(filters.status_key(Status.CLOSED))
    wait_loaded(qtbot, window, 1)
    window.search.setText("食堂")
    window.search.flush()
    wait_loaded(qtbot, window, 0)
    assert window.current_filter().status is not None and window.current_filter().text == "食堂"


def test_selecting_a_row_shows_its_measures_and_history(qtbot, window):
    select_text(window, "缺编")
    html = window.detail.detail.toPlainText()
    assert "教师结构性缺编" in html and "整改措施（1）" in html and "市委编办" in html
    window.detail.tabs.setCurrentWidget(window.detail.history)
    assert "新增问题" in window.detail.history.toPlainText()
    assert window.menus.close_out.isEnabled() and window.menus.edit_problem.isEnabled()


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window):
    show_active(qtbot, window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()


def test_delete_key_asks_first_and_no_keeps_the_problem(qtbot, window, monkeypatch):
    asked: list[str] = []

    def answer(*args, **_kw):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    show_active(qtbot, window)
    select_text(window, "大班额")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert asked and "城区存在大班额" in asked[0] and "撤销" in asked[0]
    wait_loaded(qtbot, window)
    assert len(descriptions(window)) == 5


def test_enter_opens_the_editor_on_the_selected_problem(qtbot, window, monkeypatch):
    from ui.dialogs.problem_editor import ProblemEditor

    opened: list[str] = []
    monkeypatch.setattr(ProblemEditor, "exec",
                        lambda self: opened.append(self.description.toPlainText()) or 0)
    show_active(qtbot, window)
    select_text(window, "监控")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert opened == ["校园视频监控存在盲区"]


def test_read_only_ledger_shows_a_banner_and_disables_editing(qtbot, small_ledger, tmp_path):
    path = small_ledger.path
    small_ledger.close()
    ro = open_ledger(path, read_only=True)
    ro.warnings.append("台账文件是只读的：可以查看和导出，但不能修改。")
    w = open_window(qtbot, ro, 5)
    assert w.banner.isVisibleTo(w) and "只读" in w.banner.label.text()
    assert "（只读）" in w.windowTitle()
    select_text(w, "缺编")
    assert not w.menus.new_problem.isEnabled()
    assert not w.menus.delete_problem.isEnabled()
    assert not w.detail.edit_button.isEnabled()
    assert w.menus.edit_problem.text().startswith("查看问题")
    w.actions_.delete_selected()  # does nothing, asks nothing
    ro.close()


def test_stale_edit_is_refused_explained_and_reloaded(qtbot, window, monkeypatch):
    from ui.dialogs.problem_editor import ProblemEditor

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    pid = select_text(window, "缺编")
    stale = get_problem(window.ledger, pid)
    fresh = update_problem(window.ledger, pid, ProblemInput(
        "另一台电脑改过", source_id=stale.source_id,
        measures=(MeasureInput("另一台电脑写的措施"),)), stale.version)

    def edit_and_save(self):  # type: ignore[no-untyped-def]
        self.problem = stale  # the editor was opened before the other save
        self.description.setPlainText("我的修改")
        return self.try_save()

    monkeypatch.setattr(ProblemEditor, "exec", edit_and_save)
    window.actions_.edit_problem()
    assert warnings and "已在别处被修改" in warnings[0]
    assert get_problem(window.ledger, pid).description == fresh.description == "另一台电脑改过"
    assert window.stack.count() == 0


def test_window_remembers_filter_and_column_widths(qtbot, small_ledger):
    w = open_window(qtbot, small_ledger, 5)
    w.panel.select_key(filters.SOON)
    w.table.setColumnWidth(1, 333)
    w.table.horizontalHeader().setSortIndicator(6, Qt.SortOrder.DescendingOrder)
    w.close()
    assert settings.value_str(settings.KEY_LAST_FILTER) == filters.SOON
    again = MainWindow(small_ledger)
    qtbot.addWidget(again)
    again.restore_state()
    wait_loaded(qtbot, again, 1)
    assert again.panel.key == filters.SOON
    assert again.table.columnWidth(1) == 333
    assert again.model.query[1:] == ("deadline", True)  # sorted as it was left
    assert settings.recent_files() == [str(small_ledger.path)]


def test_ctrl_c_in_the_table_copies_rows_for_excel(qtbot, window):
    from PySide6.QtWidgets import QApplication

    show_active(qtbot, window)
    select_text(window, "食堂")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == ["序号", "问题来源", "类别", "存在问题", "牵头单位", "责任人",
                                     "整改时限", "状态", "进度"]
    assert lines[1].split("\t") == ["1", "2025年督导反馈", "食堂与食品安全", "学校食堂留样不规范",
                                     "市市场监管局", "王建国", "2026年11月13日", "整改中", "0/1"]
    assert len(lines) == 2
    QApplication.clipboard().setText("keep")
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "keep"  # Ctrl+C in the search box is not ours


def test_a_remembered_unit_filter_is_shown_at_the_next_start(qtbot, small_ledger):
    w = open_window(qtbot, small_ledger, 5)
    w.panel.select_key("unit:市公安局")
    wait_loaded(qtbot, w, 1)
    w.close()
    again = open_window(qtbot, small_ledger)
    wait_loaded(qtbot, again, 1)
    assert again.panel.key == "unit:市公安局"
    assert descriptions(again) == ["校园视频监控存在盲区"]
