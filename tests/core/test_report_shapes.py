"""Report texts in the shapes real reports take (tests/core/report_texts/), one test per shape."""

from __future__ import annotations

from pathlib import Path

from tracker.domain import Status
from tracker.report import ExtractedReport, parse_report_text, report_to_json
from tracker.report.parser import EMPTY_SECTION, NO_SECTION

TEXTS = Path(__file__).parent / "report_texts"


def parse(name: str) -> ExtractedReport:
    return parse_report_text((TEXTS / name).read_text(encoding="utf-8"))


def descriptions(report: ExtractedReport) -> list[str]:
    return [p.description for p in report.problems]


def measures(report: ExtractedReport) -> list[list[str]]:
    return [[m.text for m in p.measures] for p in report.problems]


def test_feedback_letter_quoted_problems_take_what_follows() -> None:
    r = parse("feedback_letter.txt")
    assert r.title == "某某县人民政府履行教育职责评价反馈意见"
    assert r.doc_number == "某政教督〔2022〕5号"
    assert descriptions(r) == [
        "义务教育阶段大班额问题仍然突出，城区小学平均班额达**人",
        "教师队伍结构性缺编，音体美专任教师不足",
        "学校食堂食品安全管理制度落实不到位",
    ]
    assert measures(r) == [
        ["年底前建成第三小学", "合理调整招生片区。"],
        ["县编办要会同教育局核定编制，2023年秋季学期前补充音体美教师。"],
        ["建立食堂负责人陪餐制度", "每学期开展一次专项检查", "落实食品留样制度。"],
    ]
    assert [p.category for p in r.problems] == ["义务教育", "教师队伍", "食堂与食品安全"]
    # "针对“入园难”问题新建幼儿园" in the general assessment is praise, not a problem;
    # the 工作要求 section and the signature are not measures.
    assert r.unassigned_measures == ()


def test_feedback_item_joins_the_problem_it_quotes() -> None:
    text = (
        "二、存在问题\n"
        "1.农村学校教师结构性缺编。\n"
        "2.校园安全隐患排查不彻底。\n"
        "三、整改措施\n"
        "（一）针对“校园安全隐患排查不彻底”的问题，开展拉网式排查。\n"
        "（二）针对“农村学校教师结构性缺编”的问题，一是招聘特岗教师；二是推进县管校聘。\n"
    )
    r = parse_report_text(text)
    assert descriptions(r) == ["农村学校教师结构性缺编。", "校园安全隐患排查不彻底。"]
    assert measures(r) == [["招聘特岗教师", "推进县管校聘。"], ["开展拉网式排查。"]]


def test_inline_yishi_erishi_in_one_paragraph() -> None:
    r = parse("inline_shi.txt")
    assert descriptions(r) == [
        "学前教育普惠率偏低，距离目标还有差距",
        "乡村教师流失较多，队伍不稳定",
        "学校安全隐患排查不够彻底，部分校舍存在隐患。",
    ]
    # 一是…二是… of the 主要成绩 section are achievements, not problems.
    assert not any("教育投入" in d for d in descriptions(r))
    # Three measures for three problems: paired in order.
    assert measures(r) == [["扩大普惠性学前教育资源。"], ["完善乡村教师补贴制度。"], ["开展校舍安全专项排查。"]]
    assert [p.category for p in r.problems] == ["学前教育", "教师队伍", "平安校园"]


def test_one_sentence_split_at_semicolons_after_lead_in() -> None:
    r = parse("semicolon_list.txt")
    assert descriptions(r) == [
        "城区学位供给不足，大班额现象仍有反弹",
        "职业教育产教融合不够深入，校企合作流于形式",
        "学校食堂管理不够规范，部分食堂从业人员无健康证。",
    ]
    assert [p.category for p in r.problems] == ["学校布局与学位", "职业教育", "食堂与食品安全"]
    # The one paragraph under 整改措施 is a closing remark ("下一步，我区将…"): not a measure.
    assert r.unassigned_measures == ()
    assert all(not p.measures for p in r.problems)


def test_circled_numbers() -> None:
    r = parse("circled.txt")
    assert descriptions(r) == [
        "教育信息化应用水平不高，智慧校园建设滞后",
        "“双减”政策落实不够到位，部分学校作业总量偏多",
        "特殊教育资源不足，残疾儿童随班就读支持保障体系不健全。",
    ]
    assert measures(r) == [["加快“互联网+教育”示范校建设。"], ["加强作业管理督导检查。"], ["建设县特殊教育资源中心。"]]
    assert [p.category for p in r.problems] == ["教育信息化", "双减与五项管理", "特殊教育"]


def test_numbered_with_dun_and_count_mismatch() -> None:
    r = parse("numbered_dun.txt")
    assert descriptions(r) == [
        "教育经费保障不足，生均公用经费拨付不及时。",
        "部分学校教师师德失范问题时有发生。",
        "校园周边安全环境有待改善，学生欺凌事件仍有发生。",
        "中小学生近视率居高不下。",
    ]
    # 4 problems, 3 measures: not paired; the closing "以上报告，请审阅。" is not a measure.
    assert r.unassigned_measures == (
        "足额按时拨付生均公用经费。",
        "开展师德师风专项整治。",
        "联合公安部门开展校园周边环境整治。",
    )
    assert [p.category for p in r.problems] == ["教育经费保障", "教师队伍", "平安校园", "立德树人与素质教育"]


def test_anonymised_stars_kept_and_bold_dropped() -> None:
    r = parse("anonymised.md")
    assert r.title == "2021年县人民政府履行教育职责情况的自评报告"
    assert descriptions(r) == [
        "学位供给不足。全县**所小学中有**所存在大班额，缺口学位***个。",
        "教师配备不足。按标准测算缺编**名，其中音体美教师*名。",
    ]
    assert measures(r) == [["年底前新增学位**个。"], ["2023年8月前招聘教师**名。"]]


def test_problem_and_measure_subsections_of_one_section() -> None:
    r = parse("mixed_sections.txt")
    assert descriptions(r) == ["学校布局不够合理，城区学位紧张，农村学校空心化。", "普通高中多样化有特色发展推进缓慢。"]
    assert measures(r) == [["修订学校布局规划，新建城区学校2所。"], ["推进普通高中特色发展。"]]
    assert [p.category for p in r.problems] == ["学校布局与学位", "普通高中"]


def test_problem_labels_with_their_own_measures() -> None:
    r = parse("own_measure.txt")
    assert r.title == "某县督导反馈问题整改情况报告"
    assert descriptions(r) == [
        "控辍保学工作机制不健全，个别学生长期旷课。",
        "学校安全管理制度落实不到位。",
        "教育督导人员配备不足。",
    ]
    assert measures(r) == [["建立“一生一案”台账，落实联控联保责任。"], ["修订学校安全管理制度", "开展安全隐患大排查。"], []]
    # 整改措施 is a plan; 整改情况 reports work done.
    assert [p.status for p in r.problems] == [Status.NOT_STARTED, Status.IN_PROGRESS, Status.NOT_STARTED]


def test_hard_wrapped_paste_is_joined() -> None:
    r = parse("pdf_paste.txt")
    assert descriptions(r) == [
        "教师队伍结构不合理。乡村学校音体美教师缺乏，教师年龄结构老化，部分学科教师短缺。",
        "学校食堂管理有待加强。部分学校食堂设施陈旧，食品留样制度落实不严格。",
    ]
    assert measures(r) == [
        ["补充乡村学校音体美教师，优化教师年龄结构。"],
        ["改造学校食堂设施，严格落实食品留样制度。"],
    ]


def test_area_subheadings_give_the_category() -> None:
    r = parse("area_headings.txt")
    assert descriptions(r) == ["中职学校实训设备陈旧。", "专业设置与本地产业需求不匹配。", "责任督学挂牌督导流于形式。"]
    assert [p.category for p in r.problems] == ["职业教育", "职业教育", "教育督导"]


def test_heading_written_inline_with_its_list() -> None:
    r = parse("inline_heading.txt")
    assert descriptions(r) == ["义务教育优质均衡发展不够充分", "学前教育公办率偏低", "课后服务质量不高。"]
    assert measures(r) == [["推进优质均衡创建"], ["新建公办幼儿园"], ["提升课后服务水平。"]]


def test_document_without_problems_says_so() -> None:
    r = parse("no_problems.txt")
    assert r.problems == ()
    assert r.unassigned_measures == ()
    assert r.message == NO_SECTION == "未在文档中找到“存在问题”部分，没有识别出问题。"
    assert report_to_json(r)["problems"] == []


def test_empty_problem_section_says_so() -> None:
    r = parse_report_text("三、存在问题\n\n四、整改措施\n")
    assert r.problems == ()
    assert r.message == EMPTY_SECTION


def test_empty_and_whitespace_text() -> None:
    for text in ("", "   \n\n\t", "\ufeff"):
        r = parse_report_text(text)
        assert r.problems == () and r.message == NO_SECTION


def test_markdown_bold_headings_and_numbering_variants() -> None:
    text = (
        "## **三、存在的问题**\n\n"
        "**（1）**农村学校寄宿条件差。\n\n"
        "**（2）**学生体质健康达标率偏低。\n\n"
        "## **四、下一步工作打算**\n\n"
        "(1) 改善寄宿条件。\n\n"
        "(2) 落实每天校内体育活动1小时。\n"
    )
    r = parse_report_text(text)
    assert descriptions(r) == ["农村学校寄宿条件差。", "学生体质健康达标率偏低。"]
    assert measures(r) == [["改善寄宿条件。"], ["落实每天校内体育活动1小时。"]]
    assert r.problems[1].category == "立德树人与素质教育"


def test_full_width_and_half_width_punctuation_alike() -> None:
    full = "三、存在问题\n（一）学位不足。\n（二）教师缺编。\n四、整改措施\n１．新建学校。\n２．招聘教师。\n"
    half = "三、存在问题\n(一)学位不足。\n(二)教师缺编。\n四、整改措施\n1.新建学校。\n2.招聘教师。\n"
    for text in (full, half):
        r = parse_report_text(text)
        assert descriptions(r) == ["学位不足。", "教师缺编。"]
        assert measures(r) == [["新建学校。"], ["招聘教师。"]]


def test_problem_item_with_inline_measure_label() -> None:
    text = (
        "二、主要问题\n"
        "1.学校食堂未落实陪餐制度。整改措施：建立校领导陪餐制度。\n"
        "2.部分学校课后服务内容单一。\n"
    )
    r = parse_report_text(text)
    assert descriptions(r) == ["学校食堂未落实陪餐制度。", "部分学校课后服务内容单一。"]
    assert measures(r) == [["建立校领导陪餐制度。"], []]


def test_numbers_in_text_are_not_markers() -> None:
    text = "三、存在问题\n生均经费1.54万元，低于全省平均水平；2021年增长0.5%。\n"
    r = parse_report_text(text)
    assert descriptions(r) == ["生均经费1.54万元，低于全省平均水平；2021年增长0.5%。"]


def test_problem_list_before_headings_found_by_labels() -> None:
    # Pasted text without any section heading: the labels are enough.
    text = "存在问题1：幼儿园保教质量不高。\n整改措施：开展保教质量评估。\n存在问题2：校车管理不规范。\n"
    r = parse_report_text(text)
    assert descriptions(r) == ["幼儿园保教质量不高。", "校车管理不规范。"]
    assert measures(r) == [["开展保教质量评估。"], []]


def test_problem_table_in_the_document() -> None:
    text = (
        "反馈问题清单\n"
        "序号\t问题类别\t存在问题\t整改措施\t责任单位\n"
        "1\t食堂\t学校食堂进货台账不全\t建立进货查验制度\t教育局\n"
        "1\t食堂\t学校食堂进货台账不全\t开展专项检查\t市场监管局\n"
        "2\t安全\t部分学校监控设备损坏\t维修监控设备\t教育局\n"
    )
    r = parse_report_text(text)
    assert descriptions(r) == ["学校食堂进货台账不全", "部分学校监控设备损坏"]
    assert measures(r) == [["建立进货查验制度", "开展专项检查"], ["维修监控设备"]]
    assert [p.category for p in r.problems] == ["食堂与食品安全", "平安校园"]


def test_indicator_table_is_not_problems() -> None:
    text = (
        "附件\n"
        "评价重点\t主要观测点\t指标完成情况\n"
        "一、党的领导\t1.研究教育工作，教育重点难点热点问题得到及时有效解决。\t完成\n"
    )
    r = parse_report_text(text)
    assert r.problems == ()


def test_problem_running_over_several_paragraphs_stays_whole() -> None:
    r = parse_report_text("三、存在问题\n1.学位不足。\n城区小学平均班额超过55人。\n2.教师缺编。\n")
    assert descriptions(r) == ["学位不足。\n城区小学平均班额超过55人。", "教师缺编。"]


def test_area_named_inside_the_item() -> None:
    r = parse_report_text(
        "二、存在的主要问题\n（一）党的领导方面。个别乡镇党委对教育工作研究不够。\n（二）教育经费方面。生均公用经费拨付不及时。\n"
    )
    assert [p.category for p in r.problems] == ["党的领导", "教育经费保障"]


def test_feedback_without_heading_and_quote_inside_the_phrase() -> None:
    r = parse_report_text(
        "针对督导反馈的“学校食堂管理不规范”问题，我局立即开展专项整治，完善食堂管理制度。\n"
        "针对“校园安保力量不足”问题，一是增配保安；二是安装一键报警。\n"
    )
    assert descriptions(r) == ["学校食堂管理不规范", "校园安保力量不足"]
    assert measures(r) == [["我局立即开展专项整治，完善食堂管理制度。"], ["增配保安", "安装一键报警。"]]


def test_chapter_parts_and_dun_items() -> None:
    r = parse_report_text(
        "第一部分 基本情况\n我县教育发展良好。\n第三部分 存在的问题\n"
        "一、学前教育资源不足，公办园占比低，部分乡镇没有公办中心园。\n二、教师队伍老化严重，乡村教师平均年龄超过50岁。\n"
        "第四部分 下一步工作打算\n一、新建公办幼儿园。\n二、招聘年轻教师。\n"
    )
    assert measures(r) == [["新建公办幼儿园。"], ["招聘年轻教师。"]]
    assert [p.category for p in r.problems] == ["学前教育", "教师队伍"]


def test_mentions_of_problems_in_body_text_are_not_a_section() -> None:
    r = parse_report_text("一、工作情况\n我县针对存在问题开展了整改，存在问题已基本解决。\n")
    assert r.problems == () and r.message == NO_SECTION
