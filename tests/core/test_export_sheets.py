"""More sheets: the 统计 sheet, one sheet per lead unit (分单位台账), and the filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.core.test_export_fixtures import (
    AS_OF,
    SmallBook,
    build_small,
    column_values,
    data_rows,
    open_sheet,
)
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.excel.export import export_ledger, sheet_name
from tracker.excel.export_options import ExportOptions
from tracker.summary import ledger_summary, sentence, unit_counts

OPTIONS = ExportOptions(org="XX市教育局", report_date=AS_OF)


@pytest.fixture
def book(ledger: Ledger) -> SmallBook:
    return build_small(ledger)


def test_by_unit_puts_each_lead_unit_on_its_own_sheet(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    result = export_ledger(ledger, path, ProblemFilter(),
                           ExportOptions(org="XX市教育局", report_date=AS_OF, by_unit=True))
    wb = load_workbook(path)
    assert wb.sheetnames == ["台账", "市市场监管局", "市教育局", "市教育督导室", "沙坡头区政府",
                             "统计", "_rectify"]
    assert result.sheets == tuple(wb.sheetnames[:-1])
    edu = wb["市教育局"]
    assert edu["A1"].value == "XX市教育局问题整改台账（市教育局）"
    # It leads both problems with measures: every one of their measures is on its sheet.
    assert column_values(edu, "整改措施") == [m.text for m in book.places.measures] + [
        book.canteen.measures[0].text]
    # A unit that only leads one measure sees that measure and nothing else.
    district = wb["沙坡头区政府"]
    assert column_values(district, "整改措施") == ["科学调整招生片区"]
    assert column_values(district, "存在问题") == [book.places.description]
    assert column_values(district, "序号") == ["1"]
    assert column_values(wb["市教育督导室"], "问题ID") == [book.bare.id]


def test_unit_filter_exports_only_that_units_rows_with_its_name_in_the_title(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "one.xlsx"
    export_ledger(ledger, path, ProblemFilter(unit="市市场监管局"), OPTIONS)
    ws = open_sheet(path)
    assert ws.title == "市市场监管局"
    assert ws["A1"].value == "XX市教育局问题整改台账（市市场监管局）"
    assert column_values(ws, "整改措施") == ["开展食品安全专项检查"]


def test_status_and_overdue_filters_select_problems(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "late.xlsx"
    export_ledger(ledger, path, ProblemFilter(overdue=True), OPTIONS)
    assert column_values(open_sheet(path), "问题ID") == [book.places.id] * 3
    export_ledger(ledger, path, ProblemFilter(status=Status.ONGOING), OPTIONS)
    assert column_values(open_sheet(path), "问题ID") == [book.canteen.id]


def test_source_filter_names_the_source_in_the_title(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "src.xlsx"
    export_ledger(ledger, path, ProblemFilter(source_id=book.places.source_id), OPTIONS)
    assert open_sheet(path)["A1"].value == "XX市教育局2021年履行教育职责评价反馈问题整改台账"


def test_stats_sheet_has_the_sentence_and_counts_per_status_and_unit(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    export_ledger(ledger, path, ProblemFilter(), OPTIONS)
    ws = load_workbook(path)["统计"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    flt = ProblemFilter(as_of=AS_OF)
    expected = sentence(ledger_summary(ledger, flt, AS_OF))
    assert expected in texts and expected.startswith("截至2026年11月23日，共梳理问题3个")
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    status_rows = {r[0]: r[1] for r in rows if r[0] in {s.label for s in Status} | {"合计"}}
    assert status_rows == {"整改中": 1, "长期坚持": 1, "未启动": 1, "合计": 3}
    for u in unit_counts(ledger, flt, AS_OF):
        assert [u.unit, u.total, u.completed, u.open, u.overdue, u.ongoing] in [
            r[:6] for r in rows], u.unit


def test_problems_are_numbered_from_one_in_ledger_order(
        demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    export_ledger(demo_ledger, path, ProblemFilter(), OPTIONS)
    ws = open_sheet(path)
    numbers = [v for v in column_values(ws, "序号") if v]
    assert numbers == [str(n) for n in range(1, 61)]
    assert len(data_rows(ws)) > 60  # several measures per problem on average


def test_sheet_names_are_legal_and_unique() -> None:
    taken = {"统计"}
    assert sheet_name("统计", taken) == "统计(2)"
    assert sheet_name("市教育局[办公室]/督导科:*?", taken) == "市教育局办公室督导科"
    long = "某某自治区某某市某某县人民政府教育督导委员会办公室综合科室"
    name = sheet_name(long, taken)
    assert len(name) <= 31 and name not in {"统计"}
    assert sheet_name(long, taken) != name
