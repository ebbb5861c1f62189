"""One rule, one answer: overdue as the list filter, the side-panel counts, the summary, the
exported ledger, the 催办单 and the rows themselves say it, for a ledger holding every case
(open and late, 长期坚持 with an old date, done late, closed late, due today, undated)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.core.test_export_fixtures import open_sheet
from tracker import clock, rules
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.excel.export import export_ledger
from tracker.excel.export_options import OVERDUE_SUFFIX, ExportOptions
from tracker.excel.reminder import export_reminder
from tracker.services import problems
from tracker.services.counts import filter_counts
from tracker.services.queries import list_problems, problem_ids, problem_lines
from tracker.summary import ledger_summary

UNIT = "县教体局"
CASES = {
    "逾期未完成": [("2026-10-31", Status.IN_PROGRESS)],
    "长期坚持写了旧日期": [("2025-06-30", Status.ONGOING)],
    "逾期后完成": [("2026-09-30", Status.DONE)],
    "今天到期": [("2026-11-23", Status.NOT_STARTED)],
    "未明确时限": [("", Status.IN_PROGRESS)],
    "一项逾期一项未到期": [("2026-11-01", Status.IN_PROGRESS), ("2027-06-30", Status.NOT_STARTED)],
    "逾期措施已完成另一项长期": [("2026-08-31", Status.DONE), ("2024-12-31", Status.ONGOING)],
}
LATE = {"逾期未完成", "一项逾期一项未到期"}


def _build(ledger: Ledger) -> None:
    for text, measures in CASES.items():
        problems.create_problem(ledger, ProblemInput(text, lead_unit=UNIT, measures=tuple(
            MeasureInput(f"{text}的措施{i}", deadline_text=d, status=s)
            for i, (d, s) in enumerate(measures, start=1))))


def test_every_place_names_the_same_overdue_problems(ledger: Ledger, tmp_path: Path) -> None:
    _build(ledger)
    day = clock.today()
    rows = list_problems(ledger, ProblemFilter())
    by_row = {p.description for p in rows if p.is_overdue(day)}
    assert by_row == LATE
    assert by_row == {p.description for p in rows if rules.overdue(p.open_deadline, day)}
    by_filter = {p.description for p in list_problems(ledger, ProblemFilter(overdue=True))}
    assert by_filter == LATE
    assert len(problem_ids(ledger, ProblemFilter(overdue=True))) == len(LATE)
    assert {p.description for p in problem_lines(ledger) if p.overdue} == LATE
    assert filter_counts(ledger, day).overdue == len(LATE)
    assert ledger_summary(ledger, ProblemFilter(), day).overdue == len(LATE)
    assert {p.description for p in rows
            if rules.band(p.status, p.open_deadline, day, 7, 30) is rules.Band.OVERDUE} == LATE

    path = tmp_path / "台账.xlsx"
    export_ledger(ledger, path, options=ExportOptions(report_date=day))
    ws = open_sheet(path)
    late_cells = [str(c.value) for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and c.value.endswith(OVERDUE_SUFFIX)]
    late_measures = [m for p in rows for m in p.measures if m.is_overdue(day)]
    assert len(late_cells) == len(late_measures) == 2
    assert all(rules.measure_overdue(m.status, m.deadline, day) for m in late_measures)

    notice = export_reminder(ledger, UNIT, tmp_path / "催办.xlsx", ExportOptions(report_date=day),
                             reply_by=day + dt.timedelta(days=7))
    assert notice.overdue == len(late_measures)


def test_the_rules_at_their_edges() -> None:
    day = dt.date(2026, 11, 23)
    assert not rules.measure_overdue(Status.IN_PROGRESS, day, day)  # due today is not late
    assert rules.measure_overdue(Status.IN_PROGRESS, day - dt.timedelta(days=1), day)
    assert not rules.measure_overdue(Status.ONGOING, dt.date(2020, 1, 1), day)
    assert not rules.measure_overdue(Status.DONE, dt.date(2020, 1, 1), day)
    assert not rules.measure_overdue(Status.NOT_STARTED, None, day)
    assert rules.open_deadline_of([(Status.ONGOING, dt.date(2020, 1, 1)),
                                   (Status.NOT_STARTED, dt.date(2027, 1, 1)),
                                   (Status.CLOSED, dt.date(2019, 1, 1))]) == dt.date(2027, 1, 1)
    assert rules.band(Status.IN_PROGRESS, day + dt.timedelta(days=7), day, 7, 30) is rules.Band.SOON
    assert rules.band(Status.IN_PROGRESS, day + dt.timedelta(days=8), day, 7, 30) is rules.Band.LATER
    assert rules.band(Status.DONE, day - dt.timedelta(days=8), day, 7, 30) is rules.Band.DONE
    assert rules.source_label("", "audit", 2024) == "2024专项审计"
    assert rules.source_label("", "", None) == ""
    assert rules.source_label("巡察反馈", "audit", 2024) == "巡察反馈"
    assert rules.closeout_refusal([Status.DONE, Status.ONGOING], "督导室", day, day) is None
    assert "1 项措施未完成" in (rules.closeout_refusal([Status.DONE, Status.IN_PROGRESS], "督导室",
                                                    day, day) or "")
    assert rules.closeout_refusal([Status.DONE], " ", day, day) == "销号需要填写核验人。"
    assert rules.closeout_refusal([Status.DONE], "督导室", day + dt.timedelta(days=1), day)
