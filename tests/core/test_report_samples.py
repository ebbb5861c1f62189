"""The two real self-evaluation reports in ../shared/samples (skipped when the folder is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.domain import Status
from tracker.report import ExtractedReport, parse_report_text, read_report_file, report_to_json

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
ZHONGWEI = SAMPLES / "report-zhongwei-2021.txt"
GAOPING = SAMPLES / "report-gaoping-2021.txt"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not here")


@pytest.fixture(scope="module")
def zhongwei() -> ExtractedReport:
    return parse_report_text(read_report_file(ZHONGWEI))


@pytest.fixture(scope="module")
def gaoping() -> ExtractedReport:
    return parse_report_text(read_report_file(GAOPING))


def _texts(problem: object) -> list[str]:
    return [m.text for m in problem.measures]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- zhongwei


def test_zhongwei_header(zhongwei: ExtractedReport) -> None:
    assert zhongwei.title == "2021年中卫市人民政府履行教育职责情况的自评报告"
    assert zhongwei.year == 2021
    assert zhongwei.doc_number == "宁政教督办〔2022〕8号"
    assert zhongwei.message == ""


def test_zhongwei_counts(zhongwei: ExtractedReport) -> None:
    # 7 problems of 2020 with their 整改情况, 5 of 2021 paired with 下步整改措施 (一)…(五);
    # the 36 rows of the indicator table are not problems.
    assert len(zhongwei.problems) == 12
    assert [len(p.measures) for p in zhongwei.problems] == [1, 3, 2, 3, 3, 1, 3, 1, 1, 1, 1, 1]
    assert zhongwei.unassigned_measures == ()


def test_zhongwei_2020_problems_carry_their_rectification(zhongwei: ExtractedReport) -> None:
    first = zhongwei.problems[0]
    assert first.description == (
        "学生课业负担问题还没有从根本上解决，发展素质教育的评价还不够深入、不够广泛，学生综合素质还需要全面提高。"
    )
    assert _texts(first) == [
        "严格落实教育部最新出台的考试改革评价机制，小学一二年级不进行纸笔考试，其他年级每学期只进行一次考试，"
        "严格落实等级评价，全面落实发展素质教育的综合评价，从根本上解决学生课业负担过重的问题。"
    ]
    assert all(p.status is Status.IN_PROGRESS for p in zhongwei.problems[:7])
    assert _texts(zhongwei.problems[1]) == [
        "全面落实《中卫市贯彻落实〈自治区深化产教融合推进职业教育改革发展实施方案〉重点任务暨分工方案》，"
        "建立与办学规模、培养成本、办学质量等相适应的财政投入制度。",
        "招聘新教师 28 名，增加外聘教师 25 名。",
        "与光明乳业、中国移动等企业“产学研教用”全方位的合作，在校内实训基地建成具有企业真实生产环境的“校中厂”。",
    ]
    # Problem 5 lists three shortcomings with ；but is one numbered problem: kept whole.
    assert zhongwei.problems[4].description == (
        "教师负担需要继续减轻；教师结构需要进一步完善；师德师风专项治理仍然需要强化。"
    )
    assert zhongwei.problems[6].description == "“五项管理”的落实有待提高。"


def test_zhongwei_page_breaks_are_joined(zhongwei: ExtractedReport) -> None:
    assert zhongwei.problems[2].description == (
        "智能化教学环境建设不全，思想观念还跟不上变革需要，信息素养有待进一步提升。"
    )
    # 整改情况 of problem 6 runs over a page break ("各学校" / "(幼儿园)进一步…").
    (measure,) = _texts(zhongwei.problems[5])
    assert "各学校(幼儿园)进一步健全预防学生欺凌工作机制" in measure
    assert measure.endswith("建立常态化下防范中小學生欺凌事件发生的工作机制。")


def test_zhongwei_2021_problems_pair_with_next_steps_in_order(zhongwei: ExtractedReport) -> None:
    new = zhongwei.problems[7:]
    assert new[0].description == "深化职业教育方面:职业教育产教融合运行机制不完善,产教融合企业建设推动缓慢。"
    assert [p.category for p in new] == ["职业教育", "教师队伍", "教育信息化", "普通高中", "立德树人与素质教育"]
    assert all(p.status is Status.NOT_STARTED for p in new)
    assert _texts(new[0])[0].startswith("完善产教融合运行机制")
    assert _texts(new[1])[0].startswith("制定印发《中卫市教师思想政治和师德师风教育培训学时登记制度》")
    # (三) crosses a page break after "重要内容，".
    assert "绩效考核的重要内容，在评优评先中向信息技术应用水平高的教师倾斜。" in _texts(new[2])[0]
    # The closing paragraphs after (五) are not part of it.
    assert _texts(new[4])[0].endswith("不断加强中小學生思想道德建设。")


def test_zhongwei_categories(zhongwei: ExtractedReport) -> None:
    assert [p.category for p in zhongwei.problems[:7]] == [
        "双减与五项管理", "职业教育", "教育信息化", "立德树人与素质教育", "教师队伍", "平安校园", "双减与五项管理",
    ]


def test_zhongwei_achievements_are_not_problems(zhongwei: ExtractedReport) -> None:
    for p in zhongwei.problems:
        assert "高度重视，专题研究" not in p.description
        assert "完成" != p.description


# ---------------------------------------------------------------- gaoping


def test_gaoping_header(gaoping: ExtractedReport) -> None:
    assert gaoping.title == "高平市人民政府办公室关于高平市人民政府2021年履行教育职责情况的自评报告"
    assert gaoping.year == 2021
    assert gaoping.doc_number == "晋政教督〔2021〕1号"


def test_gaoping_four_problems(gaoping: ExtractedReport) -> None:
    assert [p.description.split("。")[0] for p in gaoping.problems] == [
        "教育发展不平衡不充分仍然存在",
        "教育质量不均衡现象依然存在",
        "城内学校学位仍需进一步扩充",
        "教育内涵还需不断丰富完善",
    ]
    assert gaoping.problems[0].description.endswith("教育优质均衡发展任务仍需努力。")
    assert gaoping.problems[2].category == "学校布局与学位"
    # The "主要表现在：" introduction is not a problem.
    assert not any("主要表现在" in p.description for p in gaoping.problems)
    assert all(p.status is Status.NOT_STARTED and not p.measures for p in gaoping.problems)


def test_gaoping_measures_unassigned_when_counts_differ(gaoping: ExtractedReport) -> None:
    # 4 problems, 7 改进措施: the clerk places them.
    assert len(gaoping.unassigned_measures) == 7
    assert gaoping.unassigned_measures[0].startswith("加强党的全面领导,全方位推进教育高质量发展。")
    # (三) crosses a page break in "“黑\n\n机构”".
    assert "对“黑机构”进行彻底整治" in gaoping.unassigned_measures[2]
    # (七) keeps its 一是…二是…三是 whole; the signature and date after it are dropped.
    assert gaoping.unassigned_measures[6].startswith("坚持“五育”并举，全面提高教育质量。一是完善评价体系")
    assert gaoping.unassigned_measures[6].endswith("努力办好人民满意的教育。")
    # The introduction "下一步，我市将…" is not a measure.
    assert not any(m.startswith("下一步") for m in gaoping.unassigned_measures)


def test_gaoping_achievement_items_are_not_problems(gaoping: ExtractedReport) -> None:
    assert not any("加强党对教育工作的领导" in p.description for p in gaoping.problems)


def test_samples_json_shape(zhongwei: ExtractedReport) -> None:
    data = report_to_json(zhongwei)
    assert set(data) >= {"problems", "unassigned_measures"}
    first = data["problems"][0]
    assert set(first) == {"description", "category", "status", "review", "measures"}
    assert first["status"] == "in_progress"
    assert [m["text"] for m in first["measures"]] == [zhongwei.problems[0].measures[0].text]
    assert set(first["measures"][0]) == {"text", "lead_unit", "deadline_text", "deadline", "status", "review"}
