"""从报告导入问题: pasted or opened text -> problems to confirm -> edits, unchecking and measure
assignment -> exactly the checked problems, as edited, in the ledger under a new source."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, SourceKind, Status
from tracker.report import parse_report_text
from tracker.report.parser import NO_SECTION, PASTED_FALLBACK
from tracker.services.queries import list_problems
from tracker.services.reference import ensure_default_categories, list_sources
from ui.dialogs.report_import_dialog import ReportImportDialog
from ui.models.report_preview_model import (
    KIND_GROUP,
    KIND_MEASURE,
    KIND_PROBLEM,
    PreviewColumn,
    ReportPreviewModel,
)

TIMEOUT = 10_000
ZHONGWEI = Path(__file__).resolve().parents[3] / "shared" / "samples" / "report-zhongwei-2021.txt"
# The offscreen platform says this whenever a window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

REPORT = """2022年某某县人民政府履行教育职责情况的自评报告

根据《关于开展评价工作的通知》（某教督〔2023〕2号）要求，现将自评情况报告如下。

二、存在问题
1.城区学校大班额问题仍然存在。
2.乡村教师流失较多，队伍不够稳定。
3.学校食堂食品安全管理不够规范。

三、整改措施
（一）针对“城区学校大班额问题仍然存在”的问题，一是年底前建成城北小学；二是调整学区划分。
（二）针对“乡村教师流失较多，队伍不够稳定”的问题，落实乡村教师生活补助。
（三）建立食堂负责人陪餐制度。
（四）完善督学责任区制度。
"""


@pytest.fixture
def dialog(qtbot, ledger: Ledger) -> ReportImportDialog:  # type: ignore[no-untyped-def]
    ensure_default_categories(ledger)
    d = ReportImportDialog(ledger)
    qtbot.addWidget(d)
    d.show()
    return d


def pasted(qtbot, d: ReportImportDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste ``text`` and wait for the debounced parse to show its result."""
    d.text.setPlainText(text)
    qtbot.waitUntil(lambda: d.report is not None and d.report.title == parse_report_text(text).title
                    and d.model.rowCount() == _shown_rows(text), timeout=TIMEOUT)


def _shown_rows(text: str) -> int:
    r = parse_report_text(text)
    return len(r.problems) + 1 if r.problems or r.unassigned_measures else 0


def problem_index(model: ReportPreviewModel, row: int, col: int = 0) -> QModelIndex:
    return model.index(row, col)


def measure_texts(model: ReportPreviewModel, row: int) -> list[str]:
    parent = model.index(row, 0)
    return [model.index(i, 0, parent).data(Qt.ItemDataRole.EditRole)
            for i in range(model.rowCount(parent))]


def test_pasted_report_shows_its_problems_measures_and_source(qtbot, dialog: ReportImportDialog,  # type: ignore[no-untyped-def]
                                                             qtmodeltester) -> None:
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    assert [m.index(r, 0).data() for r in range(3)] == [
        "1. 城区学校大班额问题仍然存在。", "2. 乡村教师流失较多，队伍不够稳定。", "3. 学校食堂食品安全管理不够规范。"]
    assert m.index(0, PreviewColumn.CATEGORY).data() == "学校布局与学位"
    assert m.index(0, PreviewColumn.STATUS).data() == "未启动"
    assert measure_texts(m, 0) == ["年底前建成城北小学", "调整学区划分。"]
    assert m.index(0, 0, m.index(0, 0)).data() == "措施1：年底前建成城北小学"
    group = m.group_index()
    assert m.kind_of(group) == KIND_GROUP
    assert group.data() == "未对应到问题的措施（2 项，不导入；拖到问题上或右键分配）"
    assert m.index(0, 0, group).data() == "建立食堂负责人陪餐制度。"
    assert measure_texts(m, 2) == []
    form = dialog.source_form
    assert form.title.text() == "2022年某某县人民政府履行教育职责情况的自评报告"
    assert form.kind.currentData() == SourceKind.SELF_CHECK.value
    assert form.year.value() == 2022 and form.doc_number.text() == "某教督〔2023〕2号"
    assert dialog.summary.text() == "将导入 3 个问题、3 项整改措施；2 项措施未对应到问题，不会导入。"
    assert dialog.tree.isExpanded(m.index(0, 0))
    qtmodeltester.check(m)


def test_unchecked_edited_and_assigned_problems_are_imported_as_confirmed(  # type: ignore[no-untyped-def]
        qtbot, dialog: ReportImportDialog, ledger: Ledger) -> None:
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    assert m.setData(m.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert m.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed out
    assert m.setData(m.index(0, 0), "城区小学大班额问题仍然存在")
    assert m.setData(m.index(2, PreviewColumn.CATEGORY), "平安校园")
    # The unassigned measure goes to the canteen problem, chosen as the clerk would.
    dialog.tree.setCurrentIndex(m.index(0, 0, m.group_index()))
    assert dialog.assign_button.isEnabled()
    assert dialog.assign_selected(2)
    assert measure_texts(m, 2) == ["建立食堂负责人陪餐制度。"]
    assert m.unassigned() == ["完善督学责任区制度。"]
    assert dialog.summary.text() == "将导入 2 个问题、3 项整改措施；1 项措施未对应到问题，不会导入。"

    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=TIMEOUT)
    (source,) = list_sources(ledger)
    assert (source.title, source.year, source.kind, source.problem_count) == (
        "2022年某某县人民政府履行教育职责情况的自评报告", 2022, SourceKind.SELF_CHECK, 2)
    rows = list_problems(ledger, ProblemFilter(source_id=source.id))
    assert [(p.description, p.category, [x.text for x in p.measures]) for p in rows] == [
        ("城区小学大班额问题仍然存在", "学校布局与学位", ["年底前建成城北小学", "调整学区划分。"]),
        ("学校食堂食品安全管理不够规范。", "平安校园", ["建立食堂负责人陪餐制度。"]),
    ]
    assert [p.id for p in dialog.created] == [p.id for p in rows]
    assert len(list_problems(ledger)) == 2


def test_measure_dragged_between_problems_moves(qtbot, dialog: ReportImportDialog) -> None:  # type: ignore[no-untyped-def]
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    source = m.index(1, 0, m.index(0, 0))  # 调整学区划分。
    mime = m.mimeData([source, m.index(1, PreviewColumn.CATEGORY, m.index(0, 0))])
    assert not m.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert m.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, m.index(1, 0))
    # As an item view does after a move: the original row is removed.
    assert m.removeRows(1, 1, m.index(0, 0))
    assert measure_texts(m, 0) == ["年底前建成城北小学"]
    assert measure_texts(m, 1) == ["落实乡村教师生活补助。", "调整学区划分。"]
    # Back to the unassigned group, then deleted: neither is imported.
    assert m.move_measure(m.index(1, 0, m.index(1, 0)), m.group_index().row())
    assert m.unassigned() == ["建立食堂负责人陪餐制度。", "完善督学责任区制度。", "调整学区划分。"]
    assert m.removeRows(0, 2, m.group_index())
    assert m.unassigned() == ["调整学区划分。"]
    assert m.group_index().data() == "未对应到问题的措施（1 项，不导入；拖到问题上或右键分配）"
    assert m.removeRows(0, 1, m.group_index())
    assert m.group_index().data() == "未对应到问题的措施：无"
    assert not m.removeRows(0, 1)  # a problem is unchecked, never removed
    assert [p.description for p in m.checked_problems()] == [
        "城区学校大班额问题仍然存在。", "乡村教师流失较多，队伍不够稳定。", "学校食堂食品安全管理不够规范。"]


def test_empty_description_is_refused_in_place(qtbot, dialog: ReportImportDialog) -> None:  # type: ignore[no-untyped-def]
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    assert not m.setData(m.index(0, 0), "   ")
    assert not m.setData(m.index(0, 0, m.index(0, 0)), "")
    assert m.index(0, 0).data(Qt.ItemDataRole.EditRole) == "城区学校大班额问题仍然存在。"


def test_pasted_list_without_heading_is_offered_with_a_warning(qtbot, dialog: ReportImportDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.text.setPlainText("1. 学校食堂留样不规范\n2. 校园视频监控存在盲区")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=TIMEOUT)
    assert dialog.message.text() == PASTED_FALLBACK
    assert [p.description for p in dialog.model.checked_problems()] == [
        "学校食堂留样不规范", "校园视频监控存在盲区"]
    assert dialog.source_form.title.text() == ""  # nothing to name it from: the clerk types it


def test_text_without_problems_says_so_and_imports_nothing(qtbot, dialog: ReportImportDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.text.setPlainText("关于召开全县教育工作会议的通知\n\n请各单位负责同志准时参加。")
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=TIMEOUT)
    assert dialog.message.text() == NO_SECTION
    assert dialog.model.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_refused_file_is_a_message_in_the_dialog(qtbot, dialog: ReportImportDialog,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    old = tmp_path / "报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    dialog.open_file(old)
    qtbot.waitUntil(lambda: "旧版 Word/WPS 格式" in dialog.message.text(), timeout=TIMEOUT)
    assert "“报告.doc”" in dialog.message.text()
    assert dialog.model.rowCount() == 0 and dialog.open_button.isEnabled()


def test_gbk_file_is_read_and_named_from_its_title(qtbot, dialog: ReportImportDialog,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    path = tmp_path / "自评.txt"
    path.write_bytes(REPORT.encode("gbk"))
    dialog.open_file(path)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4, timeout=TIMEOUT)
    assert dialog.text.toPlainText() == REPORT
    assert dialog.source_form.title.text() == "2022年某某县人民政府履行教育职责情况的自评报告"


def test_file_without_title_is_named_after_the_file(qtbot, dialog: ReportImportDialog,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    path = tmp_path / "督导反馈问题清单.txt"
    path.write_text("二、存在问题\n1.教师结构性缺编。\n2.食堂管理不规范。\n", encoding="utf-8")
    dialog.open_file(path)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=TIMEOUT)
    assert dialog.source_form.title.text() == "督导反馈问题清单"


def test_edits_survive_further_typing_and_typed_source_title_survives_reparse(  # type: ignore[no-untyped-def]
        qtbot, dialog: ReportImportDialog) -> None:
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    m.setData(m.index(0, 0), "已改过的问题")
    dialog.text.appendPlainText("四、其他\n（略）")
    qtbot.wait(800)  # longer than the parse delay: nothing is re-read behind the clerk's back
    assert m.index(0, 0).data(Qt.ItemDataRole.EditRole) == "已改过的问题"
    assert "点“识别”重新识别" in dialog.message.text()
    dialog.source_form.title.setText("我定的来源名称")
    dialog.reparse()
    qtbot.waitUntil(lambda: not m.edited, timeout=TIMEOUT)
    assert m.index(0, 0).data(Qt.ItemDataRole.EditRole) == "城区学校大班额问题仍然存在。"
    assert dialog.source_form.title.text() == "我定的来源名称"
    assert dialog.source_form.year.value() == 2022


def test_import_refused_by_the_ledger_keeps_the_dialog_open(qtbot, dialog: ReportImportDialog,  # type: ignore[no-untyped-def]
                                                           ledger: Ledger) -> None:
    pasted(qtbot, dialog, REPORT)
    dialog.source_form.title.setText("")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.message.text() == "请填写问题来源的名称。", timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.import_button.isEnabled()
    assert list_problems(ledger) == [] and list_sources(ledger) == []


def test_nothing_checked_imports_nothing(qtbot, dialog: ReportImportDialog, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    pasted(qtbot, dialog, REPORT)
    dialog.model.set_all_checked(False)
    assert not dialog.import_button.isEnabled()
    dialog.import_checked()
    assert dialog.message.text() == "没有勾选任何问题，没有可导入的内容。"
    assert list_problems(ledger) == []


def test_model_kinds_and_flags(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    m = ReportPreviewModel()
    qtmodeltester.check(m)  # empty
    m.set_report(parse_report_text(REPORT))
    qtmodeltester.check(m)
    assert m.kind_of(m.index(0, 0)) == KIND_PROBLEM
    assert m.kind_of(m.index(0, 0, m.index(0, 0))) == KIND_MEASURE
    assert m.flags(m.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not m.flags(m.index(0, PreviewColumn.STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert m.flags(m.index(0, 0, m.index(0, 0))) & Qt.ItemFlag.ItemIsDragEnabled
    assert not m.flags(m.group_index()) & Qt.ItemFlag.ItemIsUserCheckable


@pytest.mark.skipif(not ZHONGWEI.exists(), reason="shared sample report not present")
def test_zhongwei_sample_pasted_gives_12_problems_ready_to_import(  # type: ignore[no-untyped-def]
        qtbot, dialog: ReportImportDialog, ledger: Ledger, qtmodeltester) -> None:
    pasted(qtbot, dialog, ZHONGWEI.read_text(encoding="utf-8"))
    assert len(dialog.model.problems()) == 12
    assert dialog.model.unassigned() == []
    assert dialog.model.index(0, PreviewColumn.STATUS).data() == Status.IN_PROGRESS.label
    qtmodeltester.check(dialog.model)
    dialog.import_checked()
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=TIMEOUT)
    assert len(list_problems(ledger)) == 12


def test_assign_menu_lists_the_other_problems_and_moves_the_measure(  # type: ignore[no-untyped-def]
        qtbot, dialog: ReportImportDialog) -> None:
    pasted(qtbot, dialog, REPORT)
    m = dialog.model
    measure = m.index(0, 0, m.index(0, 0))  # 年底前建成城北小学, under problem 1
    dialog.tree.setCurrentIndex(measure)
    menu = dialog._assign_menu(measure)
    labels = [a.text() for a in menu.actions()]
    assert labels == ["2. 乡村教师流失较多，队伍不够稳定。", "3. 学校食堂食品安全管理不够规范。"]
    menu.actions()[0].trigger()
    assert measure_texts(m, 0) == ["调整学区划分。"]
    assert measure_texts(m, 1) == ["落实乡村教师生活补助。", "年底前建成城北小学"]
    assert m.edited


def test_a_report_already_imported_is_pointed_out(qtbot, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    from tracker.domain import ProblemInput, SourceInput
    from tracker.services.problems import create_problems

    create_problems(ledger, [ProblemInput("旧问题")],
                    SourceInput("2022年某某县人民政府履行教育职责情况的自评报告", year=2022))
    d = ReportImportDialog(ledger)
    qtbot.addWidget(d)
    pasted(qtbot, d, REPORT)
    assert d.summary.text().endswith("台账中已有同名问题来源，这份报告可能已经导入过。")
    d.source_form.year.setValue(2023)
    assert "已经导入过" not in d.summary.text()


PLAN = """某某县2023年评价反馈问题整改方案

一、存在问题
1．学前教育公办园在园幼儿占比偏低。
2．校园安全防范设施配备不足。

二、整改措施
1．新建公办园3所。
2．配齐一键报警装置。

三、巡察反馈问题
（一）关于“政府采购管理不规范”的问题
整改措施：
1．制定政府采购内部控制办法。
责任单位：县教育局、县财政局
整改时限：年底前
整改进展：已完成整改。

2023年10月8日
"""


def test_weak_items_are_marked_and_stated_facts_reach_the_ledger(  # type: ignore[no-untyped-def]
        qtbot, dialog: ReportImportDialog, ledger: Ledger) -> None:
    pasted(qtbot, dialog, PLAN)
    m = dialog.model
    shown = [m.index(r, 0).data() for r in range(3)]
    # Problems 1-2 got their measures only by order: marked, and counted in the summary.
    assert shown[0].startswith("1. 【待核对】") and shown[1].startswith("2. 【待核对】")
    assert shown[2] == "3. 政府采购管理不规范"
    assert m.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert m.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "4 项标为【待核对】" in dialog.summary.text()  # two problems and their two measures
    measure = m.index(0, 0, m.index(2, 0))
    assert measure.data() == "措施1：制定政府采购内部控制办法。（责任单位：县教育局、县财政局；整改时限：年底前）"
    assert m.index(2, PreviewColumn.STATUS).data() == Status.DONE.label
    dialog.import_checked()
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=TIMEOUT)
    rows = {p.description: p for p in list_problems(ledger)}
    (done,) = rows["政府采购管理不规范"].measures
    assert (done.lead_unit, done.co_units, done.status) == ("县教育局", "县财政局", Status.DONE)
    # 年底前 reads against the document's date (2023-10-08), not today.
    assert done.deadline is not None and done.deadline.isoformat() == "2023-12-31"
    assert dialog.source_form.has_date.isChecked()
    assert dialog.source_form.issued_on.date().toString("yyyy-MM-dd") == "2023-10-08"
