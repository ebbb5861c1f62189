"""销号, 添加进展, 批量修改 and 偏好设置: each explains a refusal and stays open."""

from __future__ import annotations

import datetime as dt

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tracker import clock
from tracker.domain import ProblemFilter, Status
from tracker.errors import ValidationError
from tracker.services.problems import close_out
from tracker.services.queries import get_problem, problem_ids
from ui import settings
from ui.dialogs.preferences_dialog import PreferencesDialog
from ui.dialogs.small_edits import BulkEditDialog, CloseOutDialog, ProgressNoteDialog


def _problem(ledger, text: str):  # type: ignore[no-untyped-def]
    return get_problem(ledger, problem_ids(ledger, ProblemFilter(text=text))[0])


def test_closeout_of_an_open_problem_warns_and_shows_the_refusal(qtbot, small_ledger):
    p = _problem(small_ledger, "监控")
    d = CloseOutDialog(p, "李明", lambda v, on, n: close_out(small_ledger, p.id, v, on, n))
    qtbot.addWidget(d)
    assert d.verifier.text() == "李明"
    assert not d.try_save()
    assert "还有 1 项措施未完成，不能销号" in d.error.text()


def test_closeout_of_a_done_problem_records_verifier_date_and_note(qtbot, small_ledger):
    p = _problem(small_ledger, "经费")
    d = CloseOutDialog(p, "李明", lambda v, on, n: close_out(small_ledger, p.id, v, on, n))
    qtbot.addWidget(d)
    d.note.setPlainText("经现场核查，整改到位")
    assert d.try_save()
    done = get_problem(small_ledger, p.id)
    assert (done.status, done.closeout_by, done.closeout_note) == (
        Status.CLOSED, "李明", "经现场核查，整改到位")
    assert done.closeout_on == clock.today()


def test_empty_verifier_is_refused(qtbot, small_ledger):
    p = _problem(small_ledger, "经费")
    d = CloseOutDialog(p, "", lambda v, on, n: close_out(small_ledger, p.id, v, on, n))
    qtbot.addWidget(d)
    assert not d.try_save() and d.error.text() == "销号需要填写核验人。"


def test_progress_note_goes_to_the_chosen_measure(qtbot, small_ledger):
    from tracker.services.measures import add_progress_note

    p = _problem(small_ledger, "食堂")
    d = ProgressNoteDialog(p, p.measures[0].id,
                           lambda mid, on, text: add_progress_note(small_ledger, mid, on, text))
    qtbot.addWidget(d)
    assert not d.try_save()  # nothing written yet
    assert d.error.text() == "进展内容不能为空。"
    d.text.setPlainText("已开展专项检查")
    assert d.try_save()
    assert get_problem(small_ledger, p.id).measures[0].notes[0].text == "已开展专项检查"


def test_bulk_edit_needs_something_ticked_and_reads_the_deadline(qtbot):
    calls: list[tuple] = []
    d = BulkEditDialog(3, ["市教育局"], lambda *a: calls.append(a))
    qtbot.addWidget(d)
    assert d.windowTitle() == "批量修改 3 个问题"
    assert not d.try_save() and "至少勾选一项" in d.error.text()
    d.use_deadline.setChecked(True)
    d.deadline.setText("2027年6月底前")
    assert d.reading.text() == "→ 2027年6月30日（星期三）"
    d.use_unit.setChecked(True)
    d.unit.set_text("市教育局")
    assert d.try_save()
    assert calls == [(None, "市教育局", "2027年6月底前")]


def test_bulk_edit_shows_a_service_refusal(qtbot):
    def refuse(*_a):  # type: ignore[no-untyped-def]
        raise ValidationError("第1项措施：无法识别")

    d = BulkEditDialog(2, [], refuse)
    qtbot.addWidget(d)
    d.use_status.setChecked(True)
    assert not d.try_save() and d.error.text() == "第1项措施：无法识别"


def test_preferences_store_thresholds_and_name(qtbot):
    d = PreferencesDialog("clerk")
    qtbot.addWidget(d)
    assert (d.soon.value(), d.later.value()) == (7, 30)
    d.soon.setValue(40)
    assert not d.try_accept() and "应小于" in d.error.text()
    d.soon.setValue(10)
    d.later.setValue(45)
    d.user.setText("王建国")
    assert d.try_accept()
    assert settings.thresholds() == (10, 45) and settings.user_name() == "王建国"
