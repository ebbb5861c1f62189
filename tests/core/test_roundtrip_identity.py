"""A returned file updates only the records it was exported from: never a problem of another
ledger with the same number, never a problem or measure created later under a reused id; and
the usual return (a problem cell and two measure rows of one problem edited) applies cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tests.core.test_roundtrip_excel import OPTIONS, TODAY, edit, export, small  # noqa: F401
from tracker import clock
from tracker.db.engine import Ledger, open_ledger
from tracker.db.orm import ChangeLog
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.errors import ImportRejected
from tracker.excel.export_options import MARKER_SHEET
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.roundtrip import KEEP_LEDGER, TAKE_FILE
from tracker.services.identity import ledger_identity
from tracker.services.imports import apply_plan
from tracker.services.problems import (
    create_problem,
    delete_problem,
    restore_problem,
    update_problem,
)
from tracker.services.queries import count_problems, get_problem, list_problems
from tracker.services.reference import get_setting, list_sources


def _inputs(problem_id: int, ledger: Ledger) -> ProblemInput:
    p = get_problem(ledger, problem_id)
    return ProblemInput(description=p.description, lead_unit=p.lead_unit, owner=p.owner,
                        measures=tuple(MeasureInput(m.text, id=m.id, deadline_text=m.deadline_text,
                                                    status=m.status) for m in p.measures))


def _as_older_export(path: Path, out: Path) -> Path:
    """The file as a version before ledger ids wrote it: the marker sheet's first four rows."""
    wb = load_workbook(path)
    wb[MARKER_SHEET].delete_rows(5, 10)
    wb.save(out)
    return out


def test_a_problem_cell_and_two_measure_rows_of_one_problem_import_without_a_false_conflict(
        small: Ledger, tmp_path: Path) -> None:
    m1, m2 = get_problem(small, 1).measures
    edited = edit(export(small, tmp_path / "a.xlsx"), tmp_path / "b.xlsx", **{
        f"m{m1.id}": {"责任领导": "李明", "整改进展": "2026年11月10日：编制已核定"},
        f"m{m2.id}": {"完成情况": "已完成"}})
    plan = build_plan(small, edited, OPTIONS)
    assert plan.errors == [] and plan.conflicts == []

    result = apply_plan(small, plan, today=TODAY)

    assert (result.problems_updated, result.changes_applied) == (1, 3)
    assert result.sources_created == () and "新建问题来源" not in plan.summary()
    assert [s.title for s in list_sources(small)] == []  # a return files nothing anew
    after = get_problem(small, 1)
    assert after.leader == "李明"
    assert [n.text for n in after.measures[0].notes] == ["编制已核定"]
    assert after.measures[1].status is Status.DONE


def test_every_export_names_the_same_ledger_and_keeps_the_first_marker_rows(
        small: Ledger, tmp_path: Path) -> None:
    first = load_workbook(export(small, tmp_path / "a.xlsx"))[MARKER_SHEET]
    second = load_workbook(export(small, tmp_path / "b.xlsx"))[MARKER_SHEET]
    assert [first.cell(r, 1).value for r in range(1, 6)] == [
        "rectify-ledger", "format", "exported_at", "ledger", "ledger_id"]
    assert first["B4"].value == small.path.name  # ledger.sqlite, or the server stand-in
    stored = get_setting(small, "ledger_id")
    assert len(stored) == 32 and first["B5"].value == second["B5"].value == stored
    assert ledger_identity(small) == stored


def test_a_file_exported_from_another_ledger_is_refused_and_changes_nothing(
        small: Ledger, tmp_path: Path) -> None:
    sent = export(small, tmp_path / "a.xlsx")
    (tmp_path / "other").mkdir()
    other = open_ledger(tmp_path / "other" / "县台账.sqlite", user="测试员")
    try:
        create_problem(other, ProblemInput(description="另一台账的问题",
                                           measures=(MeasureInput("另一台账的措施"),)))
        with pytest.raises(ImportRejected) as err:
            build_plan(other, sent, OPTIONS)
        message = err.value.message
        assert f"另一个台账“{small.path.name}”" in message and "县台账.sqlite" in message
        assert "--as-new" in message
        assert [p.description for p in list_problems(other)] == ["另一台账的问题"]
    finally:
        other.close()


def test_as_new_brings_another_ledgers_file_in_as_new_problems_once(
        small: Ledger, tmp_path: Path) -> None:
    sent = export(small, tmp_path / "a.xlsx", by_unit=True)  # unit sheets repeat the problems
    (tmp_path / "other").mkdir()
    other = open_ledger(tmp_path / "other" / "ledger.sqlite", user="测试员")
    try:
        create_problem(other, ProblemInput(description="另一台账的问题"))
        plan = build_plan(other, sent, ImportOptions(today=TODAY, as_new=True))
        assert plan.errors == [] and plan.updates == ()
        assert [p.data.description for p in plan.problems] == ["教师结构性缺编", "监控存在盲区"]
        apply_plan(other, plan, today=TODAY)
        assert sorted(p.description for p in list_problems(other)) == [
            "另一台账的问题", "教师结构性缺编", "监控存在盲区"]
        assert [len(p.measures) for p in list_problems(other, with_notes=True)
                if p.description == "教师结构性缺编"] == [2]
    finally:
        other.close()


def test_a_unit_sheet_filled_in_differently_is_an_error_when_importing_as_new(
        small: Ledger, tmp_path: Path) -> None:
    sent = export(small, tmp_path / "a.xlsx", by_unit=True)
    m3 = get_problem(small, 2).measures[0]
    edited = edit(sent, tmp_path / "b.xlsx", sheet="市公安局", **{f"m{m3.id}": {"整改措施": "另写"}})
    plan = build_plan(small, edited, ImportOptions(today=TODAY, as_new=True))
    assert [(e.sheet, "内容不一致" in e.message) for e in plan.errors] == [("市公安局", True)]


def test_an_older_file_without_a_ledger_id_is_still_imported(small: Ledger,
                                                            tmp_path: Path) -> None:
    m1 = get_problem(small, 1).measures[0]
    edited = edit(export(small, tmp_path / "a.xlsx"), tmp_path / "b.xlsx",
                  **{f"m{m1.id}": {"完成情况": "已完成"}})
    plan = build_plan(small, _as_older_export(edited, tmp_path / "old.xlsx"), OPTIONS)
    assert plan.conflicts == [] and len(plan.updates) == 1
    apply_plan(small, plan, today=TODAY)
    assert get_problem(small, 1).measures[0].status is Status.DONE


def test_a_problem_made_under_a_deleted_problems_id_is_never_updated_by_the_file(
        small: Ledger, tmp_path: Path) -> None:
    _sqlite_reuses_ids(small)
    sent = export(small, tmp_path / "a.xlsx")
    delete_problem(small, 2)
    c = create_problem(small, ProblemInput(description="课后服务收费", measures=(
        MeasureInput("清退费用", deadline_text="2026年12月底前", status=Status.IN_PROGRESS),)))
    assert c.id == 2  # SQLite reused the deleted problem's id

    plan = build_plan(small, sent, OPTIONS)  # the unit sent the file back unchanged
    (conflict,) = plan.conflicts
    assert conflict.recreate is not None and "删除" in conflict.conflict
    apply_plan(small, plan, KEEP_LEDGER, today=TODAY)
    assert [(p.description, p.measures[0].text, p.measures[0].status)
            for p in list_problems(small, with_notes=True) if p.id == 2] == [
        ("课后服务收费", "清退费用", Status.IN_PROGRESS)]

    apply_plan(small, build_plan(small, sent, OPTIONS), TAKE_FILE, today=TODAY)
    assert sorted(p.description for p in list_problems(small)) == [
        "教师结构性缺编", "监控存在盲区", "课后服务收费"]
    assert get_problem(small, 2).description == "课后服务收费"


def test_a_measure_id_reused_under_the_same_problem_is_a_deleted_measure_conflict(
        small: Ledger, tmp_path: Path) -> None:
    _sqlite_reuses_ids(small)
    delete_problem(small, 2)  # so the first problem's second measure holds the highest id
    m1, m2 = get_problem(small, 1).measures
    sent = export(small, tmp_path / "a.xlsx")
    edited = edit(sent, tmp_path / "b.xlsx", **{f"m{m2.id}": {"完成情况": "已完成"}})
    kept = _inputs(1, small)
    for measures in (kept.measures[:1],  # the clerk deletes the measure, then adds another
                     (kept.measures[0], MeasureInput("改为派遣教师", status=Status.IN_PROGRESS))):
        update_problem(small, 1, ProblemInput(description=kept.description,
                                              lead_unit=kept.lead_unit, owner=kept.owner,
                                              measures=measures))
    assert get_problem(small, 1).measures[1].id == m2.id  # SQLite reused the deleted one's id

    plan = build_plan(small, edited, OPTIONS)
    (conflict,) = plan.conflicts
    assert conflict.is_new_measure and "删除了这项措施" in conflict.conflict
    apply_plan(small, plan, KEEP_LEDGER, today=TODAY)
    after = get_problem(small, 1).measures[1]
    assert (after.text, after.status) == ("改为派遣教师", Status.IN_PROGRESS)


def test_a_problem_deleted_and_restored_after_the_export_still_takes_the_units_changes(
        small: Ledger, tmp_path: Path) -> None:
    m3 = get_problem(small, 2).measures[0]
    sent = export(small, tmp_path / "a.xlsx")
    restore_problem(small, delete_problem(small, 2), expect_absent=True)  # deleted, then undone
    edited = edit(sent, tmp_path / "b.xlsx", **{f"m{m3.id}": {"完成情况": "已完成"}})
    plan = build_plan(small, edited, OPTIONS)
    assert [u.problem_id for u in plan.updates] == [2]
    assert all(u.recreate is None for u in plan.updates)


def test_an_older_file_treats_problems_created_after_its_export_time_as_others(
        small: Ledger, tmp_path: Path) -> None:
    sent = _as_older_export(export(small, tmp_path / "a.xlsx"), tmp_path / "old.xlsx")
    delete_problem(small, 2)
    c = create_problem(small, ProblemInput(description="课后服务收费",
                                           measures=(MeasureInput("清退费用"),)))
    later = clock.now().replace(microsecond=0) + dt.timedelta(minutes=5)
    with small.write() as s:  # made five minutes after the export (the file says seconds only)
        s.execute(update(ChangeLog).where(ChangeLog.entity == "problem",
                                          ChangeLog.entity_id == c.id).values(at=later))
    plan = build_plan(small, sent, OPTIONS)
    (conflict,) = plan.conflicts
    assert conflict.recreate is not None and conflict.recreate.data.description == "监控存在盲区"
    assert count_problems(small) == 2


def _sqlite_reuses_ids(ledger: Ledger) -> None:
    """Skip on PostgreSQL: its sequences never hand a deleted record's id to a new one, so
    there is no reused id for the file to be mistaken about."""
    if ledger.dialect == "postgresql":
        pytest.skip("PostgreSQL 的序列从不重用已删除记录的 ID（仅 SQLite 会重用）")
