"""Small widgets: the debounced search box, the detail pane's links, the banner, the
completing combo and the colour bands."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QUrl

from tests.ui.ui_fixtures import TODAY, isolated_settings, small_ledger  # noqa: F401
from tracker.domain import ProblemFilter
from tracker.services.queries import get_problem, list_problems, problem_ids
from ui.colors import Band, deadline_hint, warning_of
from ui.widgets.banner import Banner
from ui.widgets.completing_combo import CompletingCombo
from ui.widgets.detail_pane import DetailPane
from ui.widgets.search_box import DEBOUNCE_MS, SearchBox


def test_search_box_reports_once_after_typing_stops(qtbot):
    box = SearchBox()
    qtbot.addWidget(box)
    seen: list[str] = []
    box.search_changed.connect(seen.append)
    for text in ("中", "中卫", "中卫一中"):
        box.setText(text)
    assert seen == []  # nothing while typing
    qtbot.wait(DEBOUNCE_MS + 100)
    assert seen == ["中卫一中"]
    box.setText(" 中卫一中 ")  # the same search again after trimming: no new query
    qtbot.wait(DEBOUNCE_MS + 100)
    assert seen == ["中卫一中"]


def test_detail_links_ask_for_a_note_or_its_deletion(qtbot, small_ledger):
    from tracker.services.measures import add_progress_note

    pid = problem_ids(small_ledger, ProblemFilter(text="食堂"))[0]
    mid = get_problem(small_ledger, pid).measures[0].id
    note = add_progress_note(small_ledger, mid, dt.date(2026, 11, 2), "已约谈校长")
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_problem(get_problem(small_ledger, pid), TODAY, 7, 30)
    text = pane.detail.toPlainText()
    assert "2026-11-02" in text and "已约谈校长" in text and "逾期10天" in text
    adds: list[int] = []
    deletes: list[int] = []
    pane.add_note_requested.connect(adds.append)
    pane.delete_note_requested.connect(deletes.append)
    pane.detail.anchorClicked.emit(QUrl(f"note-add:{mid}"))
    pane.detail.anchorClicked.emit(QUrl(f"note-del:{note.id}"))
    pane.detail.anchorClicked.emit(QUrl("https://example.org"))
    assert adds == [mid] and deletes == [note.id]


def test_detail_pane_without_selection_explains_itself(qtbot):
    pane = DetailPane()
    qtbot.addWidget(pane)
    assert "选中一个问题" in pane.detail.toPlainText()
    assert not pane.edit_button.isEnabled()


def test_read_only_detail_has_no_edit_links(qtbot, small_ledger):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.editable = False
    pid = problem_ids(small_ledger)[0]
    pane.show_problem(get_problem(small_ledger, pid), TODAY, 7, 30)
    assert "添加进展" not in pane.detail.toHtml().replace("添加进展…", "")


def test_banner_hides_when_there_is_nothing_to_say(qtbot):
    from PySide6.QtWidgets import QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    banner = Banner(holder)
    assert not banner.isVisibleTo(holder)
    banner.set_messages(["台账位于网络盘，多人同时编辑可能冲突。", ""])
    assert banner.isVisibleTo(holder)
    assert banner.label.text() == "⚠ 台账位于网络盘，多人同时编辑可能冲突。"
    banner.set_messages([])
    assert not banner.isVisibleTo(holder)


def test_completing_combo_keeps_typed_new_names(qtbot):
    combo = CompletingCombo()
    qtbot.addWidget(combo)
    combo.set_names(["市财政局", "市教育局", "市财政局"])
    assert combo.count() == 2
    combo.set_text("市民政局")
    assert combo.is_new() and combo.text() == "市民政局"
    combo.set_names(["市民政局"])
    assert combo.text() == "市民政局" and not combo.is_new()
    combo.completer().setCompletionPrefix("财政")
    assert combo.completer().completionCount() == 0  # the list now holds 市民政局 only


def test_bands_and_hints_follow_deadlines(small_ledger):
    rows = {p.description: p for p in list_problems(small_ledger, with_measures=False)}
    bands = {d[:4]: warning_of(p, TODAY, 7, 30) for d, p in rows.items()}
    assert bands == {"学校食堂": Band.OVERDUE, "校园视频": Band.SOON, "教师结构": Band.LATER,
                     "公用经费": Band.DONE, "城区存在": Band.CLOSED}
    assert deadline_hint(rows["校园视频监控存在盲区"], TODAY) == "还剩3天"
    assert deadline_hint(rows["公用经费未足额拨付"], TODAY) == ""
    assert deadline_hint(rows["校园视频监控存在盲区"], TODAY + dt.timedelta(days=3)) == "今天到期"
