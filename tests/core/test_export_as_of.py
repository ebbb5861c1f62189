"""An export dated before today (`rectify export --date D`, the dialog's 填报日期) is the
ledger of that day: problems entered since are not on it, work finished since is still open,
and its 统计 sheet says the same sentence as `rectify summary --as-of D`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.core.test_export_fixtures import open_sheet
from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.stats_sheet import STATS_SHEET
from tracker.services import measures, problems
from tracker.summary import ledger_summary, sentence

DAY = dt.date(2026, 9, 1)


def _texts(path: Path, sheet: str | None = None) -> list[str]:
    ws = open_sheet(path, sheet)
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _two_problems(ledger: Ledger) -> None:
    """One problem entered in May and finished in October, one entered in October."""
    with clock.fixed_today(dt.date(2026, 5, 1)):
        early = problems.create_problem(ledger, ProblemInput(
            "食堂留样不规范", lead_unit="县教体局",
            measures=(MeasureInput("开展食品安全检查", deadline_text="2026-12-31"),)))
    with clock.fixed_today(dt.date(2026, 10, 8)):
        problems.create_problem(ledger, ProblemInput(
            "校舍维修滞后", lead_unit="县财政局",
            measures=(MeasureInput("拨付维修资金", deadline_text="2027-06-30"),)))
        measures.set_measure_status(ledger, early.measures[0].id, Status.DONE)


def test_an_export_dated_in_the_past_shows_the_ledger_of_that_day(ledger: Ledger,
                                                                   tmp_path: Path) -> None:
    _two_problems(ledger)
    path = tmp_path / "九月.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=DAY, stats=True, by_unit=True))
    texts = _texts(path)
    assert "食堂留样不规范" in texts and "校舍维修滞后" not in texts
    assert "整改中" in "".join(texts) or "未启动" in "".join(texts)
    assert "已完成" not in texts
    then = sentence(ledger_summary(ledger, ProblemFilter(), DAY))
    assert "共梳理问题1个" in then
    assert then in _texts(path, STATS_SHEET)
    import openpyxl
    assert "县财政局" not in openpyxl.load_workbook(path).sheetnames

    today = tmp_path / "今天.xlsx"
    export_ledger(ledger, today, options=ExportOptions(report_date=clock.today(), stats=True))
    now = _texts(today)
    assert "校舍维修滞后" in now and "已完成" in now


def test_export_since_compares_the_two_dates_on_the_stats_sheet(ledger: Ledger,
                                                                  tmp_path: Path) -> None:
    from tracker.cli.main import main

    _two_problems(ledger)
    path = tmp_path / "调度.xlsx"
    code = main(["--db", str(ledger.path), "export", str(path), "--since", "2026-09-01"])
    assert code == 0
    stats = _texts(path, STATS_SHEET)
    before = sentence(ledger_summary(ledger, ProblemFilter(), DAY))
    now = sentence(ledger_summary(ledger, ProblemFilter(), clock.today()))
    assert before in stats and now in stats
    assert any(t.startswith("四、本期与上期对比") for t in stats)
    assert "新增" in "".join(stats) and "县财政局" in stats
