"""Relative deadlines (年底前, 明年6月): typed ones mean the day they are typed (clock.today()),
whatever the source's date; read from an imported document they mean the document's date.
And 销号 is refused by tracker.rules.closeout_refusal alone, with its sentence."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tests.core.closeout_helpers import with_evidence
from tests.core.import_books import standard_book
from tracker import clock
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import MeasureInput, ProblemInput, ProblemRow, SourceInput, SourceKind, Status
from tracker.errors import ValidationError
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.rules import closeout_refusal
from tracker.services import measures, problems, queries, reference
from tracker.services.imports import apply_plan

TODAY = dt.date(2026, 11, 23)  # tests/conftest.py fixes the clock here
OLD_SOURCE = SourceInput("2021年履行教育职责评价反馈问题", SourceKind.EVALUATION, 2021,
                         "督导委员会办公室", "宁政教督办〔2022〕8号", dt.date(2022, 6, 15))


def _problem_of_2022(ledger: Ledger, deadline_text: str = "2022年9月30日") -> ProblemRow:
    sid = reference.create_source(ledger, OLD_SOURCE).id
    return problems.create_problem(ledger, ProblemInput(
        "食堂食品留样不规范", source_id=sid,
        measures=(MeasureInput("开展专项检查", deadline_text=deadline_text),)))


# ------------------------------------------------------------------ typed: today

def test_deadline_reference_is_today_unless_a_document_date_is_given() -> None:
    assert problems.deadline_reference() == TODAY
    assert problems.deadline_reference(dt.date(2023, 3, 1)) == dt.date(2023, 3, 1)
    with clock.fixed_today(dt.date(2027, 3, 1)):
        assert problems.deadline_reference() == dt.date(2027, 3, 1)


def test_update_measure_reads_year_end_as_this_year_not_the_sources(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger)
    mid = row.measures[0].id
    updated = measures.update_measure(ledger, mid, deadline_text="年底前")
    assert updated.measures[0].deadline == dt.date(2026, 12, 31)
    assert not updated.measures[0].is_overdue(TODAY)  # was four years overdue on saving
    with clock.fixed_today(dt.date(2027, 3, 1)):
        again = measures.update_measure(ledger, mid, deadline_text="年底前")
    assert again.measures[0].deadline == dt.date(2027, 12, 31)


def test_rectify_update_deadline_in_process(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli.main import main

    path = tmp_path / "l.sqlite"
    led = open_ledger(path, user="测试员")
    try:
        mid = _problem_of_2022(led).measures[0].id
    finally:
        led.close()
    assert main(["--db", str(path), "update", str(mid), "--deadline", "年底前"]) == 0
    assert "年底前（2026-12-31）" in capsys.readouterr().out
    with clock.fixed_today(dt.date(2027, 3, 1)):
        assert main(["--db", str(path), "update", str(mid), "--deadline", "年底前"]) == 0
    assert "年底前（2027-12-31）" in capsys.readouterr().out
    led = open_ledger(path, read_only=True)
    try:
        assert queries.get_problem(led, 1).measures[0].deadline == dt.date(2027, 12, 31)
    finally:
        led.close()


def test_bulk_edit_reads_year_end_as_this_year(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger)
    (done,) = problems.bulk_update(ledger, [row.id], deadline_text="年底前")
    assert done.measures[0].deadline == dt.date(2026, 12, 31)
    with clock.fixed_today(dt.date(2027, 3, 1)):
        (later,) = problems.bulk_update(ledger, [row.id], deadline_text="明年6月底前")
    assert later.measures[0].deadline == dt.date(2028, 6, 30)


def test_add_and_update_problem_read_typed_year_end_as_this_year(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger, "年底前")
    assert row.measures[0].deadline == dt.date(2026, 12, 31)
    retyped = ProblemInput("食堂食品留样不规范", source_id=row.source_id, measures=(
        MeasureInput("开展专项检查", deadline_text="6月底前", id=row.measures[0].id),))
    with clock.fixed_today(dt.date(2027, 3, 1)):
        again = problems.update_problem(ledger, row.id, retyped)
        added = problems.create_problem(ledger, dataclasses.replace(retyped, measures=(
            MeasureInput("另一项", deadline_text="年底前"),)))
    assert again.measures[0].deadline == dt.date(2027, 6, 30)
    assert added.measures[0].deadline == dt.date(2027, 12, 31)


def test_unchanged_text_keeps_its_date_when_saved_in_a_later_year(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger, "年底前")
    same = ProblemInput("食堂食品留样不规范（改了错字）", source_id=row.source_id, measures=(
        MeasureInput("开展专项检查", deadline_text="年底前", id=row.measures[0].id),))
    with clock.fixed_today(dt.date(2027, 3, 1)):
        again = problems.update_problem(ledger, row.id, same)
    assert again.measures[0].deadline == dt.date(2026, 12, 31)


# ------------------------------------------------------------------ imported: the document's date

def test_report_import_reads_year_end_against_the_documents_date(ledger: Ledger) -> None:
    item = ProblemInput("学位不足", measures=(MeasureInput("扩建", deadline_text="年底前"),))
    src = SourceInput("2023年评价反馈", year=2023, issued_on=dt.date(2023, 5, 1))
    (row,) = problems.create_problems(ledger, [item], src)
    assert row.measures[0].deadline == dt.date(2023, 12, 31)
    (other,) = problems.create_problems(ledger, [item], None, dt.date(2024, 2, 1))
    assert other.measures[0].deadline == dt.date(2024, 12, 31)


def test_excel_import_reads_year_end_against_the_fill_date(ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "台账.xlsx", [(
        {"序号": 1, "问题来源": "2022年评价反馈", "存在问题": "校园视频监控存在盲区"},
        [{"整改措施": "补装视频监控", "牵头单位": "县教育局", "整改时限": "年底前",
          "完成情况": "整改中"}])], fill="填报单位：XX县教育局  填报日期：2023年3月1日")
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == [], [str(e) for e in plan.errors]
    apply_plan(ledger, plan, today=TODAY)
    (p,) = queries.list_problems(ledger, with_measures=True)
    assert (p.measures[0].deadline_text, p.measures[0].deadline) == ("年底前",
                                                                    dt.date(2023, 12, 31))


# ------------------------------------------------------------------ 销号: one rule

def test_close_out_refuses_a_date_after_today(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger)
    measures.set_measure_status(ledger, row.measures[0].id, Status.DONE)
    tomorrow = TODAY + dt.timedelta(days=1)
    with_evidence(ledger, row.id)
    with pytest.raises(ValidationError) as err:
        problems.close_out(ledger, row.id, "督导室", tomorrow)
    assert err.value.message == closeout_refusal([Status.DONE], "督导室", tomorrow, TODAY)
    assert err.value.message == "销号日期不能晚于今天。" and err.value.field == "closeout_on"
    assert queries.get_problem(ledger, row.id).status is Status.DONE


def test_close_out_refuses_an_open_measure_with_the_rules_sentence(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger)
    with pytest.raises(ValidationError) as err:
        problems.close_out(ledger, row.id, "督导室", TODAY)
    assert err.value.message == closeout_refusal([Status.NOT_STARTED], "督导室", TODAY, TODAY)
    assert "还有 1 项措施未完成" in err.value.message and err.value.field == "status"


def test_close_out_refuses_a_missing_verifier_with_the_rules_sentence(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger)
    measures.set_measure_status(ledger, row.measures[0].id, Status.DONE)
    with_evidence(ledger, row.id)
    with pytest.raises(ValidationError) as err:
        problems.close_out(ledger, row.id, "  ", TODAY)
    assert err.value.message == "销号需要填写核验人。" and err.value.field == "closeout_by"


def test_close_out_allows_ongoing_measures(ledger: Ledger) -> None:
    row = _problem_of_2022(ledger, "长期坚持")
    measures.set_measure_status(ledger, row.measures[0].id, Status.ONGOING)
    with_evidence(ledger, row.id)
    closed = problems.close_out(ledger, row.id, "市教育督导室", TODAY, "长效机制已建立")
    assert closed.status is Status.CLOSED and closed.closeout_on == TODAY
