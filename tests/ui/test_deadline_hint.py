"""The deadline hint names the day a relative deadline (年底前) is read against: the day it is
typed, not the source's date; a stored one shows the date it was saved as. And the 销号 dialog
explains, in tracker.rules.closeout_refusal's words, why OK is disabled."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput
from tracker.services.problems import close_out, create_problem, update_problem
from tracker.services.queries import get_problem, problem_ids
from ui.dialogs.problem_editor import ProblemEditor
from ui.dialogs.small_edits import BulkEditDialog, CloseOutDialog, qdate


def _new_editor(qtbot, ledger: Ledger) -> ProblemEditor:  # type: ignore[no-untyped-def]
    editor = ProblemEditor(ledger, None, lambda data, _v: create_problem(ledger, data))
    qtbot.addWidget(editor)
    return editor


def test_measure_editor_hint_names_the_day_year_end_is_read_against(qtbot, small_ledger):
    editor = _new_editor(qtbot, small_ledger)
    assert editor.source.currentText() == "2025年督导反馈"  # issued 2025-06-01: not used
    m = editor.measures
    m.text_edit.setPlainText("丰富课后服务课程")
    m.deadline.setText("年底前")
    assert m.reading.text() == "按2026年11月23日理解：2026年12月31日（星期四）"
    m.deadline.setText("2027年7月底前")  # a written date needs no reference day
    assert m.reading.text() == "→ 2027年7月31日（星期六）"
    m.deadline.setText("年底前")
    editor.description.setPlainText("课后服务内容单一")
    assert editor.try_save() and editor.saved is not None
    assert get_problem(small_ledger, editor.saved.id).measures[0].deadline == dt.date(2026, 12, 31)


def test_hint_follows_the_clock_on_another_day(qtbot, small_ledger):
    with clock.fixed_today(dt.date(2027, 3, 1)):
        editor = _new_editor(qtbot, small_ledger)
        editor.measures.deadline.setText("年底前")
        assert editor.measures.reading.text() == "按2027年3月1日理解：2027年12月31日（星期五）"


def test_stored_relative_deadline_shows_the_date_it_was_saved_as(qtbot, small_ledger):
    with clock.fixed_today(dt.date(2025, 7, 1)):
        row = create_problem(small_ledger, ProblemInput(
            "教师培训不足", measures=(MeasureInput("开展全员培训", deadline_text="年底前"),)))
    editor = ProblemEditor(small_ledger, row,
                           lambda data, v: update_problem(small_ledger, row.id, data, v))
    qtbot.addWidget(editor)
    m = editor.measures
    assert m.reading.text().startswith("→ 2025年12月31日（星期三）（已保存的时限")
    m.deadline.setText("年底前 ")  # retyped (a space is stripped, so still unchanged)
    assert m.reading.text().startswith("→ 2025年12月31日")
    m.deadline.setText("明年6月底前")
    assert m.reading.text() == "按2026年11月23日理解：2027年6月30日（星期三）"


def test_bulk_edit_hint_names_today(qtbot):
    d = BulkEditDialog(2, [], lambda *a: None)
    qtbot.addWidget(d)
    d.deadline.setText("年底前")
    assert d.reading.text() == "按2026年11月23日理解：2026年12月31日（星期四）"


def test_closeout_dialog_disables_ok_with_the_rules_sentence(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="经费"))[0]  # its measure is done
    p = get_problem(small_ledger, pid)
    d = CloseOutDialog(p, "李明", lambda v, on, n: close_out(small_ledger, p.id, v, on, n))
    qtbot.addWidget(d)
    ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and d.why.isHidden()
    d.on.setDate(qdate(dt.date(2026, 11, 24)))
    assert not ok.isEnabled() and d.why.text() == "销号日期不能晚于今天。"
    assert not d.try_save() and d.error.text() == "销号日期不能晚于今天。"
    d.on.setDate(qdate(dt.date(2026, 11, 23)))
    d.verifier.clear()
    assert not ok.isEnabled() and d.why.text() == "销号需要填写核验人。"
    d.verifier.setText("李明")
    assert ok.isEnabled() and d.try_save()


def test_closeout_dialog_of_an_open_problem_says_why(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="监控"))[0]  # not started
    p = get_problem(small_ledger, pid)
    d = CloseOutDialog(p, "李明", lambda v, on, n: close_out(small_ledger, p.id, v, on, n))
    qtbot.addWidget(d)
    assert not d.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert d.why.text().startswith("还有 1 项措施未完成，不能销号。")


def test_closeout_dialog_asks_for_evidence_when_the_ledger_does(qtbot, small_ledger):
    pid = problem_ids(small_ledger, ProblemFilter(text="经费"))[0]
    p = get_problem(small_ledger, pid)
    d = CloseOutDialog(p, "李明", lambda v, on, n: None, None, 0, True)
    qtbot.addWidget(d)
    assert not d.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "还没有佐证材料" in d.why.text()
