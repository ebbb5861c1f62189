"""Services: each call one transaction, frozen rows out, history recorded, stale saves refused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.core.closeout_helpers import with_evidence
from tracker import clock
from tracker.domain import (
    MeasureInput,
    ProblemFilter,
    ProblemInput,
    SourceInput,
    SourceKind,
    Status,
)
from tracker.errors import ConflictError, DeadlineError, ValidationError
from tracker.services import measures, problems, queries, reference
from tracker.services.history import list_history

TODAY = dt.date(2026, 11, 23)


def _source(ledger) -> int:
    return reference.create_source(ledger, SourceInput(
        "2021年履行教育职责评价反馈问题", SourceKind.EVALUATION, 2021, "督导委员会办公室",
        "宁政教督办〔2022〕8号", dt.date(2022, 6, 15))).id


def _canteen(source_id: int | None) -> ProblemInput:
    return ProblemInput(
        description="食堂食品留样不规范", source_id=source_id, category="食堂与食品安全",
        lead_unit="市教育局", owner="王建国",
        measures=(
            MeasureInput("开展食品安全专项检查", lead_unit="市市场监管局", deadline_text="年底前"),
            MeasureInput("落实陪餐制度", deadline_text="长期坚持", status=Status.ONGOING),
        ),
    )


def test_created_problem_comes_back_as_frozen_row_with_derived_values(ledger) -> None:
    sid = _source(ledger)
    row = problems.create_problem(ledger, _canteen(sid))
    assert row.seq == 1 and row.source == "2021年履行教育职责评价反馈问题"
    assert row.category == "食堂与食品安全" and row.lead_unit == "市教育局"
    # Typed 年底前 resolves against today (2026-11-23), not the source's date (2022-06-15).
    assert row.measures[0].deadline == dt.date(2026, 12, 31)
    assert row.measures[0].lead_unit == "市市场监管局"
    assert row.deadline == dt.date(2026, 12, 31)
    assert row.status is Status.IN_PROGRESS
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.description = "x"  # type: ignore[misc]


def test_unknown_units_and_categories_are_created_on_the_fly(ledger) -> None:
    problems.create_problem(ledger, dataclasses.replace(_canteen(None), category="课后服务"))
    assert {u.name for u in reference.list_units(ledger)} == {"市教育局", "市市场监管局"}
    assert reference.list_categories(ledger)[-1].name == "课后服务"


def test_impossible_deadline_is_refused_with_the_measure_named(ledger) -> None:
    data = ProblemInput("问题", measures=(MeasureInput("措施", deadline_text="2022年13月45日"),))
    with pytest.raises(DeadlineError) as err:
        problems.create_problem(ledger, data)
    assert "第1项措施" in err.value.message
    assert queries.list_problems(ledger) == []


def test_empty_description_is_refused(ledger) -> None:
    with pytest.raises(ValidationError) as err:
        problems.create_problem(ledger, ProblemInput("   "))
    assert err.value.field == "description"


def test_text_longer_than_an_excel_cell_is_refused_not_cut(ledger) -> None:
    with pytest.raises(ValidationError) as err:
        problems.create_problem(ledger, ProblemInput("长" * 40_000))
    assert "32767" in err.value.message


def test_update_replaces_measures_and_refuses_a_stale_version(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    edited = dataclasses.replace(_canteen(None), measures=(
        dataclasses.replace(_canteen(None).measures[0], id=row.measures[0].id,
                            status=Status.DONE),))
    new = problems.update_problem(ledger, row.id, edited, expected_version=row.version)
    assert [m.id for m in new.measures] == [row.measures[0].id]
    assert new.status is Status.DONE and new.measures[0].done_on is not None
    assert new.version > row.version
    with pytest.raises(ConflictError):
        problems.update_problem(ledger, row.id, edited, expected_version=row.version)


def test_delete_then_restore_brings_back_ids_measures_and_notes(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    measures.add_progress_note(ledger, row.measures[0].id, TODAY, "已检查12所学校")
    full = queries.get_problem(ledger, row.id)
    snapshot = problems.delete_problem(ledger, row.id)
    assert queries.list_problems(ledger) == []
    restored = problems.restore_problem(ledger, snapshot)
    assert restored.id == row.id
    assert [m.id for m in restored.measures] == [m.id for m in full.measures]
    again = queries.get_problem(ledger, row.id)
    assert again.measures[0].notes[0].text == "已检查12所学校"


def test_close_out_needs_every_measure_finished(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    with pytest.raises(ValidationError):
        problems.close_out(ledger, row.id, "督导室", TODAY)
    measures.set_measure_status(ledger, row.measures[0].id, Status.DONE)
    with_evidence(ledger, row.id)
    closed = problems.close_out(ledger, row.id, "市教育督导室", TODAY, "现场核查到位")
    assert closed.status is Status.CLOSED
    assert closed.closeout_by == "市教育督导室" and closed.closeout_on == TODAY


def test_bulk_update_sets_status_on_every_selected_problem(ledger) -> None:
    a = problems.create_problem(ledger, _canteen(None))
    b = problems.create_problem(ledger, ProblemInput("大班额", measures=(MeasureInput("扩学位"),)))
    out = problems.bulk_update(ledger, [a.id, b.id], status=Status.DONE, lead_unit="市住建局")
    assert {p.status for p in out} == {Status.DONE}
    assert {p.lead_unit for p in out} == {"市住建局"}


def test_filters_by_status_unit_overdue_due_soon_and_text(ledger) -> None:
    problems.create_problem(ledger, ProblemInput("逾期问题", lead_unit="中宁县政府", measures=(
        MeasureInput("m", deadline_text="2026年11月1日"),)))
    problems.create_problem(ledger, ProblemInput("近期问题", measures=(
        MeasureInput("m", deadline_text="2026年11月28日", lead_unit="海原县政府"),)))
    problems.create_problem(ledger, ProblemInput("已完成问题", measures=(
        MeasureInput("Canteen check", deadline_text="2026年11月1日", status=Status.DONE),)))

    def names(**kw: object) -> list[str]:
        flt = ProblemFilter(as_of=TODAY, **kw)  # type: ignore[arg-type]
        return [p.description for p in queries.list_problems(ledger, flt)]

    assert names(overdue=True) == ["逾期问题"]
    assert names(due_within_days=7) == ["近期问题"]
    assert names(unit="海原县政府") == ["近期问题"]
    assert names(unit="中宁县政府") == ["逾期问题"]
    assert names(status=Status.DONE) == ["已完成问题"]
    assert names(text="canteen") == ["已完成问题"]
    assert names(text="问题 近期") == ["近期问题"]
    assert names(text="100%_") == []


def test_ids_in_sql_order_then_rows_fetched_on_demand(demo_ledger) -> None:
    ids = queries.problem_ids(demo_ledger, sort="deadline", descending=True)
    rows = queries.get_problems(demo_ledger, ids[:10])
    assert [r.id for r in rows] == ids[:10]
    dated = [r.deadline for r in queries.get_problems(demo_ledger, ids) if r.deadline]
    assert dated == sorted(dated, reverse=True)


def test_every_change_is_in_the_history_with_user_field_old_and_new(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    measures.update_measure(ledger, row.measures[0].id, status=Status.DONE, progress="已整改")
    hist = list_history(ledger, row.id)
    status_change = [h for h in hist if h.field == "status"]
    assert status_change and status_change[0].old == "not_started"
    assert status_change[0].new == "done" and status_change[0].user == "测试员"
    assert any(h.entity == "note" and h.new == "已整改" for h in hist)
    assert any(h.entity == "problem" and h.action == "create" for h in hist)


def test_control_characters_are_removed_before_storing(ledger) -> None:
    row = problems.create_problem(ledger, ProblemInput("学位\x00不足\x1b", measures=()))
    assert row.description == "学位不足"


def test_many_problems_land_together_under_their_new_source_or_not_at_all(ledger) -> None:
    good = ProblemInput("学位不足", measures=(MeasureInput("扩建", deadline_text="年底前"),))
    bad = ProblemInput("食堂", measures=(MeasureInput("整改", deadline_text="2022年13月45日"),))
    src = SourceInput("2025年评价反馈", year=2025, issued_on=dt.date(2025, 6, 1))
    with pytest.raises(DeadlineError):
        problems.create_problems(ledger, [good, bad], src)
    assert queries.list_problems(ledger) == [] and reference.list_sources(ledger) == []
    rows = problems.create_problems(ledger, [good, good], src)
    assert [r.seq for r in rows] == [1, 2] and {r.source for r in rows} == {"2025年评价反馈"}
    assert rows[0].measures[0].deadline == dt.date(2025, 12, 31)


def test_undoing_a_delete_never_overwrites_a_problem_that_took_the_freed_id(ledger) -> None:
    problems.create_problem(ledger, ProblemInput("甲"))
    last = problems.create_problem(ledger, ProblemInput("乙"))
    snapshot = problems.delete_problem(ledger, last.id)
    newcomer = problems.create_problem(ledger, ProblemInput("丙"))
    if ledger.dialect == "postgresql":  # a sequence never hands out a freed id again
        assert newcomer.id != last.id
        problems.restore_problem(ledger, snapshot, expect_absent=True)
        assert queries.get_problem(ledger, last.id).description == "乙"
    else:
        assert newcomer.id == last.id  # SQLite hands out the freed highest id again
        with pytest.raises(ConflictError):
            problems.restore_problem(ledger, snapshot, expect_absent=True)
    assert queries.get_problem(ledger, newcomer.id).description == "丙"


def test_saving_again_keeps_the_date_a_relative_deadline_was_read_as(ledger) -> None:
    sid = reference.create_source(ledger, SourceInput("旧来源", issued_on=dt.date(2025, 3, 1))).id
    with clock.fixed_today(dt.date(2025, 5, 1)):  # typed in 2025: 年底前 is the end of 2025
        row = problems.create_problem(ledger, ProblemInput("问题", source_id=sid, measures=(
            MeasureInput("措施", deadline_text="年底前"),)))
    assert row.measures[0].deadline == dt.date(2025, 12, 31)
    reference.update_source(ledger, sid, SourceInput("旧来源"))  # the source loses its date
    edited = dataclasses.replace(
        ProblemInput("问题（改了错字）", source_id=sid, measures=(
            MeasureInput("措施", deadline_text="年底前", id=row.measures[0].id),)))
    again = problems.update_problem(ledger, row.id, edited, expected_version=row.version)
    assert again.measures[0].deadline == dt.date(2025, 12, 31)
    retyped = dataclasses.replace(edited, measures=(
        MeasureInput("措施", deadline_text="2027年6月", id=row.measures[0].id),))
    assert problems.update_problem(ledger, row.id, retyped).measures[0].deadline == dt.date(
        2027, 6, 30)


def test_closing_out_is_only_possible_through_close_out(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    with pytest.raises(ValidationError):
        problems.bulk_update(ledger, [row.id], status=Status.CLOSED)
    with pytest.raises(ValidationError):
        measures.update_measure(ledger, row.measures[0].id, status=Status.CLOSED)
    assert queries.get_problem(ledger, row.id).status is not Status.CLOSED


def test_deleting_a_category_is_in_the_history_and_moves_the_problem_version(ledger) -> None:
    row = problems.create_problem(ledger, _canteen(None))
    cat = next(c for c in reference.list_categories(ledger) if c.name == "食堂与食品安全")
    reference.delete_category(ledger, cat.id)
    after = queries.get_problem(ledger, row.id)
    assert after.category == "" and after.version > row.version
    assert any(h.field == "category_id" for h in list_history(ledger, row.id))


def test_text_limit_counts_like_excel_does(ledger) -> None:
    with pytest.raises(ValidationError):
        problems.create_problem(ledger, ProblemInput("𠮷" * 20_000))  # 40,000 UTF-16 units


def test_demo_refuses_a_ledger_that_already_holds_problems(ledger) -> None:
    from tracker.demo import build_demo

    problems.create_problem(ledger, ProblemInput("真实问题"))
    with pytest.raises(ValidationError):
        build_demo(ledger, 5)
    assert [p.description for p in queries.list_problems(ledger)] == ["真实问题"]
