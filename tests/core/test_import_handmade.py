"""Importing hand-made Excel ledgers: header anywhere under merged titles, merged problem cells,
notes under the table, every date form and status word, checked field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.core.import_books import (
    HEADER,
    add_problem,
    replace_in_sheet,
    standard_book,
    title_rows,
    two_problem_rows,
)
from tracker.db.engine import Ledger
from tracker.domain import DeadlineKind, Status
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.services.history import list_history
from tracker.services.imports import apply_plan
from tracker.services.queries import list_problems
from tracker.services.reference import list_sources, list_units

TODAY = dt.date(2026, 11, 23)
OPTIONS = ImportOptions(today=TODAY)


def imported(ledger: Ledger, path: Path, options: ImportOptions = OPTIONS) -> list:
    plan = build_plan(ledger, path, options)
    assert plan.errors == [], [str(e) for e in plan.errors]
    apply_plan(ledger, plan, today=TODAY)
    return list_problems(ledger, with_notes=True)


def test_merged_problem_cells_become_one_problem_with_its_measures(ledger: Ledger,
                                                                   tmp_path: Path) -> None:
    path = standard_book(tmp_path / "中卫台账.xlsx", two_problem_rows())
    problems = imported(ledger, path)

    assert [p.description for p in problems] == ["教师结构性缺编，音体美教师不足", "校园视频监控存在盲区"]
    first = problems[0]
    assert [m.text for m in first.measures] == ["核定编制，空编即补", "公开招聘紧缺学科教师", "推进县管校聘"]
    assert first.seq == 1 and first.remarks == "重点" and first.source == "2021年履行教育职责评价反馈问题"
    assert first.lead_unit == "县委编办" and first.co_units == "县财政局" and first.owner == "王强"
    m1, m2, m3 = first.measures
    assert (m1.lead_unit, m1.status, m1.deadline, m1.deadline_text) == (
        "县委编办", Status.DONE, dt.date(2022, 12, 31), "年底前")  # 年底前 of the 填报日期's year
    assert m1.done_on == dt.date(2022, 6, 30)
    assert [(n.noted_on, n.text) for n in m1.notes] == [
        (dt.date(2022, 5, 1), "已核定编制"), (dt.date(2022, 6, 1), "已完成招聘")]
    assert (m2.lead_unit, m2.status, m2.deadline, m2.deadline_text) == (
        "县教育局", Status.IN_PROGRESS, dt.date(2022, 9, 30), "2022年9月30日")
    assert (m3.status, m3.deadline, m3.deadline_kind) == (Status.ONGOING, None,
                                                          DeadlineKind.ONGOING)
    second = problems[1]
    assert [(m.text, m.deadline, m.status) for m in second.measures] == [
        ("补装视频监控", dt.date(2022, 12, 31), Status.NOT_STARTED)]
    assert first.status is Status.IN_PROGRESS  # rolled up from its measures


def test_notes_signatures_and_empty_rows_under_the_table_are_not_problems(
        ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "a.xlsx", two_problem_rows(),
                         notes=("注：1.本表由各单位填报。", "2.完成情况填写已完成、整改中。", "说明：时限写到日。"))
    plan = build_plan(ledger, path, OPTIONS)
    assert len(plan.problems) == 2 and plan.errors == []
    assert plan.sheets[0].notes_skipped == 4  # three note lines and the 填报人 line


def test_header_on_a_later_row_with_other_column_names_is_found(ledger: Ledger,
                                                                  tmp_path: Path) -> None:
    header = ["编号", "问题描述", "具体整改措施", "责任单位", "完成时限（年月日）", "整改状态", "进展情况"]
    wb = Workbook()
    ws = wb.active
    ws.append([])
    title_rows(ws, len(header), fill="填报单位：县教育局　填报日期：2023年3月1日")
    ws.append(["（单位：个）"])
    ws.append(header)
    add_problem(ws, header, {"编号": "1", "问题描述": "食堂留样不规范"},
                [{"具体整改措施": "专项检查", "责任单位": "县市场监管局", "完成时限（年月日）": "明年6月底前",
                  "整改状态": "整改中", "进展情况": "已检查12所学校"}])
    wb.save(tmp_path / "b.xlsx")

    plan = build_plan(ledger, tmp_path / "b.xlsx", OPTIONS)
    sheet = plan.sheets[0]
    assert sheet.mapping is not None and sheet.mapping.header_row == 5
    assert sheet.meta.fill_date == dt.date(2023, 3, 1)
    (problem,) = plan.problems
    (m,) = problem.measures
    assert problem.data.description == "食堂留样不规范"
    assert (m.data.text, m.data.lead_unit, m.data.deadline, m.data.status) == (
        "专项检查", "县市场监管局", dt.date(2024, 6, 30), Status.IN_PROGRESS)
    assert [(n.noted_on, n.text) for n in m.notes] == [(dt.date(2023, 3, 1), "已检查12所学校")]


@pytest.mark.parametrize(("cell", "expected", "kind"), [
    (dt.datetime(2022, 11, 15), dt.date(2022, 11, 15), DeadlineKind.DATED),
    ("2022.12.31", dt.date(2022, 12, 31), DeadlineKind.DATED),
    ("2022-10-08", dt.date(2022, 10, 8), DeadlineKind.DATED),
    ("2022年12月", dt.date(2022, 12, 31), DeadlineKind.DATED),
    ("2023年7月底前", dt.date(2023, 7, 31), DeadlineKind.DATED),
    ("年底前", dt.date(2022, 12, 31), DeadlineKind.DATED),
    ("明年6月", dt.date(2023, 6, 30), DeadlineKind.DATED),
    ("长期坚持", None, DeadlineKind.ONGOING),
    (None, None, DeadlineKind.NONE),
])
def test_every_deadline_form_resolves_against_the_fill_date(
        ledger: Ledger, tmp_path: Path, cell: object, expected: dt.date | None,
        kind: DeadlineKind) -> None:
    rows = [({"存在问题": "问题甲"}, [{"整改措施": "措施", "整改时限": cell}])]
    problems = imported(ledger, standard_book(tmp_path / "d.xlsx", rows))
    m = problems[0].measures[0]
    assert (m.deadline, m.deadline_kind) == (expected, kind)


@pytest.mark.parametrize(("word", "status"), [
    ("已完成", Status.DONE), ("已整改", Status.DONE), ("完成", Status.DONE),
    ("正在整改", Status.IN_PROGRESS), ("整改中", Status.IN_PROGRESS), ("推进中", Status.IN_PROGRESS),
    ("长期坚持", Status.ONGOING), ("持续整改", Status.ONGOING), ("已销号", Status.CLOSED),
    ("未启动", Status.NOT_STARTED), ("未整改", Status.NOT_STARTED), ("整改中（逾期）", Status.IN_PROGRESS),
    (None, Status.NOT_STARTED),
])
def test_every_status_word_maps_to_its_status(ledger: Ledger, tmp_path: Path, word: str | None,
                                              status: Status) -> None:
    rows = [({"存在问题": "问题乙"}, [{"整改措施": "措施", "完成情况": word}])]
    problems = imported(ledger, standard_book(tmp_path / "s.xlsx", rows))
    assert problems[0].measures[0].status is status


def test_a_status_sentence_keeps_its_word_and_the_whole_text_as_progress(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = [({"存在问题": "问题丙"}, [{"整改措施": "措施", "完成情况": "已完成。已于5月底前全部到位"}])]
    plan = build_plan(ledger, standard_book(tmp_path / "w.xlsx", rows), OPTIONS)
    assert [w.message[:12] for w in plan.warnings] == ["完成情况“已完成。已于5"]
    apply_plan(ledger, plan, today=TODAY)
    m = list_problems(ledger, with_notes=True)[0].measures[0]
    assert m.status is Status.DONE
    assert [n.text for n in m.notes] == ["已完成。已于5月底前全部到位"]


def test_section_rows_name_the_category_of_the_problems_under_them(ledger: Ledger,
                                                                     tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    title_rows(ws, len(HEADER))
    ws.append(HEADER)
    ws.append(["一、教师队伍"])
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(HEADER))
    add_problem(ws, HEADER, {"序号": 1, "存在问题": "缺编"}, [{"整改措施": "补充"}])
    ws.append(["二、平安校园"])
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=len(HEADER))
    add_problem(ws, HEADER, {"序号": 1, "存在问题": "监控盲区"}, [{"整改措施": "补装"}])
    wb.save(tmp_path / "c.xlsx")

    problems = imported(ledger, tmp_path / "c.xlsx")
    assert [(p.category, p.description) for p in problems] == [("教师队伍", "缺编"),
                                                                ("平安校园", "监控盲区")]
    # 序号 restarts per section, so the file's numbers cannot be kept: numbered in order.
    assert [p.seq for p in problems] == [1, 2]


def test_blank_unmerged_problem_cell_is_an_error_naming_the_cell(ledger: Ledger,
                                                                 tmp_path: Path) -> None:
    rows = [({"存在问题": "问题丁"}, [{"整改措施": "措施一"}]),
            ({}, [{"整改措施": "措施二", "完成情况": "已完成"}])]
    plan = build_plan(ledger, standard_book(tmp_path / "e.xlsx", rows), OPTIONS)
    (error,) = plan.errors
    assert (error.sheet, error.row, error.column) == ("台账", 5, "C")
    assert "没有与上方合并" in error.message


def test_blank_problem_cell_continues_the_problem_when_the_clerk_says_so(ledger: Ledger,
                                                                          tmp_path: Path) -> None:
    rows = [({"存在问题": "问题丁"}, [{"整改措施": "措施一"}]),
            ({}, [{"整改措施": "措施二", "完成情况": "已完成"}])]
    options = ImportOptions(today=TODAY, blank_continues=True)
    plan = build_plan(ledger, standard_book(tmp_path / "e.xlsx", rows), options)
    assert plan.errors == [] and [w.row for w in plan.warnings] == [5]
    (problem,) = plan.problems
    assert [m.data.text for m in problem.measures] == ["措施一", "措施二"]


def test_repeated_problem_text_without_merging_is_one_problem_with_a_warning(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = [({"序号": 1, "存在问题": "问题戊"}, [{"整改措施": "措施一"}]),
            ({"存在问题": "问题戊"}, [{"整改措施": "措施二"}])]
    plan = build_plan(ledger, standard_book(tmp_path / "r.xlsx", rows), OPTIONS)
    assert len(plan.problems) == 1 and len(plan.problems[0].measures) == 2
    assert [w.row for w in plan.warnings] == [5]


def test_one_bad_value_rejects_the_whole_file_and_every_error_is_listed(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = two_problem_rows() + [
        ({"存在问题": "问题己"}, [{"整改措施": "措施", "整改时限": "下下下个世纪", "完成情况": "差不多了"}])]
    plan = build_plan(ledger, standard_book(tmp_path / "bad.xlsx", rows), OPTIONS)
    assert [(e.row, e.column) for e in plan.errors] == [(8, "H"), (8, "J")]
    rejected = plan.rejection()
    text = rejected.full_text()
    assert "bad.xlsx，工作表“台账”，第8行，H列：无法识别整改时限“下下下个世纪”" in text
    assert "第8行，J列：无法识别完成情况“差不多了”" in text
    with pytest.raises(type(rejected)):
        apply_plan(ledger, plan)
    assert list_problems(ledger) == [] and list_units(ledger) == []


def test_unknown_units_and_sources_are_created_and_named_in_the_summary(
        ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "u.xlsx", two_problem_rows())
    plan = build_plan(ledger, path, OPTIONS)
    assert plan.new_units == ("县委编办", "县教育局", "县公安局")
    assert plan.summary() == ("将导入 2 个问题、4 项措施、2 条整改进展；新建单位：县委编办、县教育局、县公安局；"
                              "新建问题来源：2021年履行教育职责评价反馈问题。")
    apply_plan(ledger, plan)
    assert {u.name for u in list_units(ledger)} == {"县委编办", "县教育局", "县公安局"}
    (source,) = list_sources(ledger)
    assert (source.title, source.year) == ("2021年履行教育职责评价反馈问题", 2021)


def test_without_a_source_column_the_file_name_and_fill_year_name_the_source(
        ledger: Ledger, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "问题来源"]
    rows = [({"存在问题": "问题庚"}, [{"整改措施": "措施"}])]
    path = standard_book(tmp_path / "巡察反馈台账.xlsx", rows, header=header)
    assert "新建问题来源：巡察反馈台账（2022年）" in build_plan(ledger, path, OPTIONS).summary()
    imported(ledger, path)
    (source,) = list_sources(ledger)
    assert (source.title, source.year, source.kind.value) == ("巡察反馈台账", 2022, "inspection")
    imported(ledger, standard_book(tmp_path / "x.xlsx", rows, header=header),
             ImportOptions(today=TODAY, source="巡察反馈台账"))
    assert [s.problem_count for s in list_sources(ledger)] == [2]


def test_formula_looking_and_long_text_is_kept_exactly(ledger: Ledger, tmp_path: Path) -> None:
    long_text = "很长的问题描述。" * 4000  # 32,000 characters: near Excel's cell limit
    rows = [({"存在问题": "=SUM(A1:A3)", "备注": "+86 0955"},
             [{"整改措施": "-先自查，再整改", "牵头单位": "@县教育局"}]),
            ({"存在问题": long_text}, [{"整改措施": "措施"}])]
    path = standard_book(tmp_path / "f.xlsx", rows)
    problems = imported(ledger, path)
    assert problems[0].description == "=SUM(A1:A3)" and problems[0].remarks == "+86 0955"
    assert problems[0].measures[0].text == "-先自查，再整改"
    assert problems[0].lead_unit == "@县教育局"
    assert problems[1].description == long_text


def test_text_longer_than_an_excel_cell_is_an_error_not_a_cut(ledger: Ledger,
                                                              tmp_path: Path) -> None:
    rows = [({"存在问题": "LONGCELL"}, [{"整改措施": "措施"}])]
    path = standard_book(tmp_path / "g.xlsx", rows)
    replace_in_sheet(path, "LONGCELL", "x" * 40_000)
    plan = build_plan(ledger, path, OPTIONS)
    (error,) = plan.errors
    assert (error.row, error.column) == (4, "C") and "40000 个字符" in error.message


def test_file_sequence_numbers_are_kept_when_they_are_unique(ledger: Ledger,
                                                             tmp_path: Path) -> None:
    rows = [({"序号": 7, "存在问题": "甲"}, [{"整改措施": "a"}]),
            ({"序号": "（9）", "存在问题": "乙"}, [{"整改措施": "b"}])]
    problems = imported(ledger, standard_book(tmp_path / "h.xlsx", rows))
    assert [p.seq for p in problems] == [7, 9]


def test_import_writes_history_lines_for_what_it_creates(ledger: Ledger, tmp_path: Path) -> None:
    imported(ledger, standard_book(tmp_path / "i.xlsx", two_problem_rows()))
    actions = [(c.entity, c.action) for c in list_history(ledger)]
    assert actions.count(("problem", "create")) == 2
    assert actions.count(("measure", "create")) == 4
    assert actions.count(("note", "create")) == 2
    assert actions.count(("unit", "create")) == 3
