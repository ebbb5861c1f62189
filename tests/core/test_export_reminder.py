"""催办单: one unit's open items, overdue first, with deadlines and days left or late."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.core.test_export_fixtures import AS_OF, build_small, dated, open_sheet
from tracker.db.engine import Ledger
from tracker.domain import ProblemInput, Status
from tracker.errors import NotFoundError
from tracker.excel.export_options import ExportOptions
from tracker.excel.export_options import ID_HEADERS
from tracker.excel.reminder import HEADERS, due_words, export_reminder
from tracker.services.problems import create_problem

OPTIONS = ExportOptions(org="XX市教育督导室", report_date=AS_OF, filler="李四", phone="0955-7011111")
HEADER_ROW = 5


def _table(path: Path) -> list[list[object]]:
    ws = open_sheet(path)
    # Issue 12: the hidden ids follow, so a filled-in notice imports like a returned ledger.
    assert [c.value for c in ws[HEADER_ROW]] == [*HEADERS, *ID_HEADERS]
    rows = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, len(HEADERS) + 1)]
        if ws.cell(r, 4).value or ws.cell(r, 5).value:
            rows.append(values)
    return rows


def test_reminder_lists_open_items_overdue_first(ledger: Ledger, tmp_path: Path) -> None:
    build_small(ledger)
    create_problem(ledger, ProblemInput(
        description="校园安保力量不足", lead_unit="市教育局",
        measures=(dated("", dt.date(2026, 3, 1), text="配齐专职保安", status=Status.NOT_STARTED),
                  dated("", dt.date(2026, 1, 1), text="已配齐器械", status=Status.CLOSED))))
    path = tmp_path / "催办.xlsx"
    result = export_reminder(ledger, "市教育局", path, OPTIONS, reply_by=dt.date(2026, 12, 10))
    rows = _table(path)
    measures = [r[3] for r in rows]
    # Most overdue first; finished measures and other units' measures are not chased here.
    assert measures[0] == "配齐专职保安"
    assert "已配齐器械" not in measures and "通过教师走教扩充学位" not in measures
    assert rows[0][4:7] == ["2026年3月1日", "未启动（逾期）", "逾期267天"]
    assert "加快新建学校建设进度" in measures
    assert (result.items, result.overdue) == (len(rows), 2)
    ws = open_sheet(path)
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "市教育局：" in texts
    assert any("请于2026年12月10日前" in str(t) and "XX市教育督导室" in str(t) for t in texts)
    assert "联系人：李四　　联系电话：0955-7011111" in texts
    assert ws.page_setup.orientation == "portrait" and ws.print_title_rows == "$5:$5"


def test_unit_without_open_items_gets_a_notice_saying_so(ledger: Ledger, tmp_path: Path) -> None:
    create_problem(ledger, ProblemInput(
        description="已整改", lead_unit="市财政局",
        measures=(dated("", dt.date(2026, 1, 1), text="拨付经费", status=Status.DONE),)))
    path = tmp_path / "无.xlsx"
    result = export_reminder(ledger, "市财政局", path, OPTIONS)
    assert result.items == 0
    texts = [c.value for row in open_sheet(path).iter_rows() for c in row if c.value]
    assert "（该单位目前没有未完成的整改事项。）" in texts


def test_unknown_unit_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="没有单位“市体育局”"):
        export_reminder(ledger, "市体育局", tmp_path / "x.xlsx", OPTIONS)
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("deadline, words", [
    (dt.date(2026, 11, 20), "逾期3天"), (AS_OF, "今天到期"), (dt.date(2026, 12, 3), "剩余10天"),
    (None, ""),
])
def test_due_words(deadline: dt.date | None, words: str) -> None:
    assert due_words(deadline, AS_OF) == words


def test_ongoing_work_with_an_old_date_is_not_chased_as_overdue(ledger: Ledger,
                                                                tmp_path: Path) -> None:
    """The 催办单 and the window answer alike: 长期坚持 is never overdue."""
    from tracker.domain import MeasureInput
    from tracker.excel.export_rows import OVERDUE_SUFFIX

    row = create_problem(ledger, ProblemInput(
        description="师德师风建设需常抓不懈", lead_unit="市教育局",
        measures=(MeasureInput("开展师德专题教育", deadline_text="2025年6月30日",
                               status=Status.ONGOING),)))
    assert not row.is_overdue(AS_OF) and not row.measures[0].is_overdue(AS_OF)
    path = tmp_path / "催办.xlsx"
    result = export_reminder(ledger, "市教育局", path, OPTIONS, reply_by=dt.date(2026, 12, 10))
    rows = _table(path)
    assert rows[0][3] == "开展师德专题教育"
    assert rows[0][5] == "长期坚持" and OVERDUE_SUFFIX not in str(rows[0][5])
    assert rows[0][6] in ("", None)
    assert result.overdue == 0


def test_a_co_unit_is_chased_for_the_measures_it_co_operates_on(ledger: Ledger,
                                                                 tmp_path: Path) -> None:
    # `--unit` lists what a unit leads or co-operates on; its notice shows those measures.
    create_problem(ledger, ProblemInput(
        description="食堂从业人员健康证过期", lead_unit="市教育局",
        measures=(dated("", dt.date(2026, 3, 1), text="组织补办健康证", co_units="市卫健委",
                        status=Status.IN_PROGRESS),
                  dated("", dt.date(2026, 3, 1), text="修订食堂管理制度",
                        status=Status.IN_PROGRESS))))
    create_problem(ledger, ProblemInput(
        description="校车安全管理薄弱", lead_unit="市交通运输局", co_units="市卫健委、市公安局",
        measures=(dated("", dt.date(2026, 3, 1), text="开展校车安全检查",
                        status=Status.NOT_STARTED),)))
    path = tmp_path / "配合.xlsx"
    result = export_reminder(ledger, "市卫健委", path, OPTIONS)
    measures = sorted(r[3] for r in _table(path))
    # Its own measure of the first problem (not the other one), and the whole second problem,
    # on which it co-operates as a whole.
    assert measures == ["开展校车安全检查", "组织补办健康证"]
    assert result.items == 2
