"""From an extracted report to the ledger's inputs: the source kind a title suggests, the
names and years chosen, refusals naming the problem, and pasted lists without a heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.domain import SourceKind, Status
from tracker.errors import ValidationError
from tracker.report import ExtractedMeasure, ExtractedProblem, ExtractedReport, parse_pasted_text
from tracker.report.import_inputs import (
    MAX_TEXT,
    guess_source_kind,
    problem_inputs,
    source_input,
)
from tracker.report.parser import NO_SECTION, PASTED_FALLBACK


@pytest.mark.parametrize(("title", "kind"), [
    ("2021年中卫市人民政府履行教育职责情况的自评报告", SourceKind.SELF_CHECK),
    ("某县教育局自查报告", SourceKind.SELF_CHECK),
    ("某某县人民政府履行教育职责评价反馈意见", SourceKind.EVALUATION),
    ("关于某县自评报告的反馈意见", SourceKind.EVALUATION),
    ("市委第三巡察组关于巡察市教育局党组的反馈意见", SourceKind.INSPECTION),
    ("关于2022年教育经费专项审计发现问题的通报", SourceKind.AUDIT),
    ("校园安全专项督导反馈意见", SourceKind.SPECIAL),
    ("", SourceKind.EVALUATION),
])
def test_source_kind_is_guessed_from_the_title(title: str, kind: SourceKind) -> None:
    assert guess_source_kind(title) is kind


def _report(title: str = "", year: int | None = None) -> ExtractedReport:
    return ExtractedReport(title, year, "某教督〔2022〕1号", (), ())


def test_source_name_prefers_option_then_title_then_file_name() -> None:
    titled = _report("2021年某县自评报告", 2021)
    assert source_input(titled, fallback_title="文件").title == "2021年某县自评报告"
    assert source_input(titled, title="  我的来源 ").title == "我的来源"
    assert source_input(_report(), fallback_title="反馈材料").title == "反馈材料"
    assert source_input(_report(year=2020)).title == "2020报告导入的问题"
    assert source_input(titled, year=2023).year == 2023
    assert source_input(titled).year == 2021
    assert source_input(titled).doc_number == "某教督〔2022〕1号"
    # The kind follows what the document is, even when the clerk renames the source.
    assert source_input(titled, title="2021年问题").kind is SourceKind.SELF_CHECK


def test_measures_take_the_problem_status_and_empty_ones_are_skipped() -> None:
    p = ExtractedProblem("教师缺编", "教师队伍", Status.IN_PROGRESS,
                         (ExtractedMeasure("招聘教师"), ExtractedMeasure("  ")))
    (item,) = problem_inputs([p])
    assert item.description == "教师缺编" and item.category == "教师队伍"
    assert [(m.text, m.status) for m in item.measures] == [("招聘教师", Status.IN_PROGRESS)]


def test_too_long_or_empty_text_is_refused_naming_the_problem() -> None:
    ok = ExtractedProblem("食堂留样不规范", "", Status.NOT_STARTED)
    long_measure = ExtractedProblem("校园监控存在盲区，需要整改", "", Status.NOT_STARTED,
                                    (ExtractedMeasure("装"), ExtractedMeasure("x" * (MAX_TEXT + 1))))
    with pytest.raises(ValidationError) as err:
        problem_inputs([ok, long_measure])
    assert "第2个问题“校园监控存在盲区，需要整改”的第2项措施" in err.value.message
    assert str(MAX_TEXT + 1) in err.value.message
    with pytest.raises(ValidationError, match="第1个问题没有填写问题描述"):
        problem_inputs([ExtractedProblem(" \x07 ", "", Status.NOT_STARTED)])


def test_pasted_list_without_heading_is_read_as_the_problem_section() -> None:
    r = parse_pasted_text("1. 学校食堂留样不规范\n2. 校园视频监控存在盲区\n3. 教师结构性缺编")
    assert [p.description for p in r.problems] == [
        "学校食堂留样不规范", "校园视频监控存在盲区", "教师结构性缺编"]
    assert r.message == PASTED_FALLBACK


def test_pasted_text_with_a_heading_is_parsed_as_usual() -> None:
    r = parse_pasted_text("二、存在问题\n1.教师结构性缺编。\n2.食堂管理不规范。")
    assert len(r.problems) == 2 and r.message == ""


@pytest.mark.parametrize("text", [
    "",
    "关于召开全县教育工作会议的通知\n\n请各单位负责同志准时参加。",
])
def test_pasted_text_with_nothing_listable_keeps_the_no_section_message(text: str) -> None:
    r = parse_pasted_text(text)
    assert r.problems == () and r.message == NO_SECTION


def test_meeting_notice_file_is_not_read_as_a_list() -> None:
    notice = (Path(__file__).parent / "report_texts" / "no_problems.txt").read_text("utf-8")
    assert parse_pasted_text(notice).message == NO_SECTION
