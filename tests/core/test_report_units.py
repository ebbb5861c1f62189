"""The parser's parts one by one: markers, emphasis, page breaks, items, categories, header facts."""

from __future__ import annotations

import pytest

from tracker.domain import DEFAULT_CATEGORIES
from tracker.report import parse_report_text
from tracker.report import markers as mk
from tracker.report.categories import KEYWORDS, guess_category
from tracker.report.items import is_closing, is_intro, split_items
from tracker.report.normalize import _strip_emphasis, paragraphs

# ---------------------------------------------------------------- markers


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("３", 3), ("百", 0), ("", 0)]
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert mk.cn_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "kind", "number", "rest"),
    [
        ("一、存在问题", mk.CN_DUN, 1, "存在问题"),
        ("（三）教师", mk.PAREN_CN, 3, "教师"),
        ("(十一) 教师", mk.PAREN_CN, 11, "教师"),
        ("2.学位", mk.NUM, 2, "学位"),
        ("12、学位", mk.NUM, 12, "学位"),
        ("１．学位", mk.NUM, 1, "学位"),
        ("（4）经费", mk.PAREN_NUM, 4, "经费"),
        ("5）经费", mk.PAREN_NUM, 5, "经费"),
        ("⑵经费", mk.PAREN_NUM, 2, "经费"),
        ("③食堂", mk.CIRCLED, 3, "食堂"),
        ("二是加强", mk.SHI, 2, "加强"),
        ("第三，加强", mk.DI, 3, "加强"),
        ("第二部分 存在问题", mk.CHAPTER, 2, "存在问题"),
        ("• 要点", mk.BULLET, 0, "要点"),
    ],
)
def test_markers_at_start(text: str, kind: str, number: int, rest: str) -> None:
    m = mk.marker_at_start(text)
    assert m is not None and (m.kind, m.number) == (kind, number)
    assert text[m.end:] == rest


@pytest.mark.parametrize("text", ["1.54万元", "2021年", "一是否", "问题导向", "统一是", "（幼儿园）进一步", "*所学校"])
def test_not_markers(text: str) -> None:
    assert mk.marker_at_start(text) is None


def test_inline_markers_need_a_boundary() -> None:
    text = "主要是：一是经费不足；二是统一是非标准；三是教师短缺。"
    found = mk.inline_markers(text, mk.SHI)
    assert [m.number for m in found] == [1, 2, 3]


def test_problem_and_measure_labels() -> None:
    assert mk.PROBLEM_LABEL.match("存在问题 1: 学生")
    assert mk.PROBLEM_LABEL.match("问题一：学生")
    assert mk.PROBLEM_LABEL.match("存在问题（2）学生")
    assert not mk.PROBLEM_LABEL.match("问题导向不够鲜明")
    assert not mk.PROBLEM_LABEL.match("存在问题12个，已整改")
    done = mk.MEASURE_LABEL.match("整改情况：已完成")
    plan = mk.MEASURE_LABEL.match("整改措施:建立制度")
    assert done and done.group(1) and plan and not plan.group(1)


# ---------------------------------------------------------------- emphasis and anonymising stars


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**存在问题 1:** 学生", "存在问题 1: 学生"),
        ("三是**依法落实教**育经费", "三是依法落实教育经费"),
        ("**1.深化职业教育方面:**职业教育", "1.深化职业教育方面:职业教育"),
        ("**2.师德师风建设方面:**个别教师", "2.师德师风建设方面:个别教师"),
        ("共排查隐患**个，整改**个", "共排查隐患**个，整改**个"),
        ("全市**所学校中**名教师", "全市**所学校中**名教师"),
        ("缺口学位***个，教师*名", "缺口学位***个，教师*名"),
        ("**（二）**2023年8月前招聘教师**名。", "（二）2023年8月前招聘教师**名。"),
        ("**2021年**县人民政府", "2021年县人民政府"),
        ("增长**%，达2**人", "增长**%，达2**人"),
    ],
)
def test_bold_dropped_anonymised_kept(line: str, expected: str) -> None:
    assert _strip_emphasis(line)[0] == expected


def test_whole_bold_line_is_flagged() -> None:
    assert _strip_emphasis("**存在问题**") == ("存在问题", True)
    assert _strip_emphasis("**（一）**学位")[1] is False


# ---------------------------------------------------------------- paragraphs


def test_page_break_mid_sentence_is_joined() -> None:
    ps = paragraphs("存在问题 3: 智能化教学环境建设不全，思想观念还跟不上\n\n变革需要，信息素养有待提升。\n\n下一段。")
    assert [p.text for p in ps] == ["存在问题 3: 智能化教学环境建设不全，思想观念还跟不上变革需要，信息素养有待提升。", "下一段。"]


def test_complete_sentences_headings_and_items_are_not_joined() -> None:
    ps = paragraphs("第一段结束了。\n\n第二段。\n\n三、存在问题\n\n（一）城区学位不足，大班额\n\n（二）教师缺编")
    assert [p.text for p in ps] == ["第一段结束了。", "第二段。", "三、存在问题", "（一）城区学位不足，大班额", "（二）教师缺编"]


def test_signature_date_and_letterhead_are_not_joined() -> None:
    ps = paragraphs("高平市人民政府办公室\n\n关于自评情况的报告\n\n省教育督导委员会办公室：\n\n正文。\n\n某某市人民政府教育督导委员会办公室\n\n2022年10月20日")
    assert [p.text for p in ps] == [
        "高平市人民政府办公室", "关于自评情况的报告", "省教育督导委员会办公室：", "正文。",
        "某某市人民政府教育督导委员会办公室", "2022年10月20日",
    ]


def test_hard_wrapped_lines_joined_when_paragraphs_are_blank_separated() -> None:
    ps = paragraphs("第一段第一行，\n第一段第二行。\n第一段第三行。\n\n第二段。\n\n第三段。")
    assert [p.text for p in ps] == ["第一段第一行，第一段第二行。第一段第三行。", "第二段。", "第三段。"]


def test_one_paragraph_per_line_kept_apart() -> None:
    ps = paragraphs("第一段。\n第二段。\n第三段。")
    assert [p.text for p in ps] == ["第一段。", "第二段。", "第三段。"]


def test_latin_words_split_by_a_break_get_a_space() -> None:
    ps = paragraphs("为提升信息化水平，推进智慧校园平台与 Office\n\n365 对接，实现统一登录。")
    assert ps[0].text == "为提升信息化水平，推进智慧校园平台与 Office 365 对接，实现统一登录。"


def test_table_rows_keep_their_columns() -> None:
    ps = paragraphs("评价重点\t主要观测点\t完成情况\n\t2.推进工作情况。\t完成")
    assert all(p.table for p in ps)
    assert ps[1].text.split("\t") == ["", "2.推进工作情况。", "完成"]


# ---------------------------------------------------------------- items


def test_intro_before_items_and_closing_after_them_dropped() -> None:
    items = split_items(["仍存在一些不足。主要表现在：", "(一)经费不足。", "(二)教师短缺。", "以上报告，请审阅。", "某县教育局"])
    assert items == ["经费不足。", "教师短缺。"]


def test_outermost_enumeration_wins_and_nested_list_stays_inside() -> None:
    items = split_items(["（一）加强领导。一是健全制度；二是压实责任。", "（二）加大投入。", "1.新建学校。", "2.改造校舍。"])
    assert items == ["加强领导。一是健全制度；二是压实责任。", "加大投入。\n1.新建学校。\n2.改造校舍。"]


def test_continuation_paragraph_belongs_to_its_item() -> None:
    items = split_items(["1.经费不足。", "生均公用经费未足额拨付。", "2.教师短缺。"])
    assert items == ["经费不足。\n生均公用经费未足额拨付。", "教师短缺。"]


def test_inline_list_must_run_in_sequence() -> None:
    # A lone "三是" is not a list.
    assert split_items(["学校三是指小学、初中和高中。"]) == ["学校三是指小学、初中和高中。"]
    assert split_items(["一是A；二是B；三是C。"]) == ["A", "B", "C。"]


def test_lead_in_semicolon_list_variants() -> None:
    assert split_items(["存在短板，如，A；B。"]) == ["A", "B。"]
    assert split_items(["主要表现为：A;B;C"]) == ["A", "B", "C"]
    assert split_items(["如期完成；按时上报。"]) == ["如期完成；按时上报。"]  # 如期 is no lead-in


def test_without_enumeration_paragraphs_or_whole() -> None:
    assert split_items(["甲问题。", "乙问题。"]) == ["甲问题。", "乙问题。"]
    assert split_items(["甲措施。", "乙措施。"], paragraph_items=False) == ["甲措施。\n乙措施。"]


def test_intro_and_closing_detection() -> None:
    assert is_intro("主要表现在：")
    assert is_intro("虽然我市取得了一定成绩，但仍存在一些差距和不足。")
    assert not is_intro("城区学位不足。")
    assert is_closing("2021年11月5日") and is_closing("(此件公开发布)") and is_closing("以上报告，请审阅。")
    assert not is_closing("教师队伍结构不合理，音体美教师短缺。")


# ---------------------------------------------------------------- categories


def test_keyword_table_only_names_default_categories() -> None:
    assert set(KEYWORDS) <= set(DEFAULT_CATEGORIES)
    assert "其他" not in KEYWORDS


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("部分教师师德失范。", "教师队伍"),
        ("学校食堂食品安全管理不到位。", "食堂与食品安全"),
        ("校园欺凌事件时有发生。", "平安校园"),
        ("产教融合不深入。", "职业教育"),
        ("“互联网+教育”应用水平不高。", "教育信息化"),
        ("学生课业负担较重，五项管理落实不到位。", "双减与五项管理"),
        ("城区学位紧张，大班额问题突出。", "学校布局与学位"),
        ("天气晴朗。", ""),
    ],
)
def test_category_by_keywords(text: str, category: str) -> None:
    assert guess_category(text) == category


def test_heading_named_area_wins() -> None:
    assert guess_category("个别教师评上职称后工作劲头减弱。", "深化职业教育") == "职业教育"
    assert guess_category("载体不够丰富。", "平安校园") == "平安校园"
    # A hint naming nothing falls back to the text.
    assert guess_category("食堂管理不规范。", "其他方面") == "食堂与食品安全"


# ---------------------------------------------------------------- header facts


def test_year_prefers_the_evaluated_year() -> None:
    text = "某县评价反馈意见\n\n根据《关于开展2022年评价工作的通知》，评价组对你县2021年履行教育职责情况进行了评价。\n"
    assert parse_report_text(text).year == 2021


def test_doc_number_normalised() -> None:
    text = "自评报告\n\n根据《通知》（晋政教督[2021] 1 号）要求，报告如下。\n"
    assert parse_report_text(text).doc_number == "晋政教督〔2021〕1号"
    assert parse_report_text("报告\n\n正文。\n").doc_number == ""


def test_bare_measure_label_inside_problem_section() -> None:
    r = parse_report_text("三、存在问题\n1.学位不足。\n2.教师缺编。\n整改措施：\n1.新建学校。\n2.招聘教师。\n")
    assert [(p.description, [m.text for m in p.measures]) for p in r.problems] == [
        ("学位不足。", ["新建学校。"]),
        ("教师缺编。", ["招聘教师。"]),
    ]


def test_unnumbered_problem_label_splits_its_list() -> None:
    r = parse_report_text("存在问题：\n1.学位不足。\n2.教师缺编。\n整改措施：\n1.新建学校。\n2.招聘教师。\n")
    assert [(p.description, [m.text for m in p.measures]) for p in r.problems] == [
        ("学位不足。", ["新建学校。"]),
        ("教师缺编。", ["招聘教师。"]),
    ]


def test_achievement_sentence_mentioning_problems_is_not_a_section() -> None:
    text = "二、工作成效\n（一）着力解决存在的问题。一是新建学校；二是招聘教师。\n"
    r = parse_report_text(text)
    assert r.problems == ()


def test_markdown_heading_needs_a_title_not_a_number() -> None:
    ps = paragraphs("## 存在问题\n\n##整改措施\n\n#3教学楼墙体开裂。")
    assert [(p.md_level, p.text) for p in ps] == [(2, "存在问题"), (2, "整改措施"), (0, "#3教学楼墙体开裂。")]
