"""Issue 14's complaints, one test each, plus the shapes of the report generator (issue 16)."""

from __future__ import annotations

import datetime as dt

from tracker.domain import DeadlineKind, Status
from tracker.report import parse_report_text, report_to_json
from tracker.report.facts import pull_facts, status_in, status_sentence
from tracker.report.import_inputs import problem_inputs, source_input
from tracker.report.normalize import paragraphs
from tracker.report.outline import build


def brief(text: str) -> list[tuple[str, list[str], str]]:
    r = parse_report_text(text)
    return [(p.description, [m.text for m in p.measures], p.status.value) for p in r.problems]


def test_tongbao_quoted_titles_are_the_problems_and_the_phone_line_is_nothing() -> None:
    r = parse_report_text(
        "关于巡察整改进展情况的通报\n"
        "一、关于“干部选拔任用工作不规范”的问题\n"
        "整改情况：一是修订干部选拔任用办法；二是开展专项检查。该问题已完成整改。\n"
        "二、关于“经费管理存在漏洞”的问题\n"
        "整改情况：一是建立经费审批台账；二是开展内部审计。目前正在整改。\n"
        "联系电话：0000-1234567\n"
    )
    assert [(p.description, [m.text for m in p.measures], p.status) for p in r.problems] == [
        ("干部选拔任用工作不规范", ["修订干部选拔任用办法", "开展专项检查。"], Status.DONE),
        ("经费管理存在漏洞", ["建立经费审批台账", "开展内部审计。"], Status.IN_PROGRESS),
    ]
    assert r.unassigned_measures == ()


def test_self_report_problem_then_measure_label_then_numbered_measures() -> None:
    got = brief(
        "三、存在问题及整改措施\n"
        "（一）学校布局不够合理。部分农村学校规模过小，办学效益不高。\n"
        "整改措施：\n1．编制学校布局专项规划。\n2．稳妥推进小规模学校撤并。\n"
        "（二）教师培训实效不强。\n"
        "整改措施：\n1．开展培训需求调研。\n"
        "我县将以此次自评为契机，推动教育高质量发展。\n"
    )
    assert got == [
        ("学校布局不够合理。部分农村学校规模过小，办学效益不高。",
         ["编制学校布局专项规划。", "稳妥推进小规模学校撤并。"], "not_started"),
        ("教师培训实效不强。", ["开展培训需求调研。"], "not_started"),
    ]


def test_progress_lines_give_status_and_fields_stay_on_the_measures() -> None:
    r = parse_report_text(
        "问题1：食堂管理不规范。\n整改措施：\n1．建立陪餐制度。\n2．开展专项检查。\n"
        "责任单位：县教育局\n整改时限：2023年6月底前\n整改进展：已完成整改。\n2023年3月1日\n"
    )
    (p,) = r.problems
    assert p.status is Status.DONE
    assert [(m.text, m.lead_unit, m.deadline_text, m.deadline) for m in p.measures] == [
        ("建立陪餐制度。", "县教育局", "2023年6月底前", dt.date(2023, 6, 30)),
        ("开展专项检查。", "县教育局", "2023年6月底前", dt.date(2023, 6, 30)),
    ]


def test_relative_deadline_resolves_against_the_document_date() -> None:
    r = parse_report_text(
        "问题1：校舍老化。\n整改措施：\n1．维修校舍。\n责任单位：县教育局\n整改时限：年底前\n\n2021年5月6日\n"
    )
    assert r.issued_on == dt.date(2021, 5, 6)
    (m,) = r.problems[0].measures
    assert (m.deadline, m.deadline_kind) == (dt.date(2021, 12, 31), DeadlineKind.DATED)
    (pi,) = problem_inputs(r.problems)
    assert pi.measures[0].deadline == dt.date(2021, 12, 31) and pi.measures[0].lead_unit == "县教育局"
    assert source_input(r, title="x").issued_on == dt.date(2021, 5, 6)


def test_unreadable_deadline_stays_in_the_text_and_is_marked() -> None:
    r = parse_report_text("问题1：校舍老化。\n整改措施：\n1．维修校舍。\n整改时限：待定后再议\n")
    (m,) = r.problems[0].measures
    assert m.review and "待定后再议" in m.text and m.deadline_kind is None
    (pi,) = problem_inputs(r.problems)
    assert pi.measures[0].deadline_text == ""  # the service would refuse it; the text keeps it


def test_table_with_result_column_sub_items_and_note() -> None:
    t = "\t"
    r = parse_report_text(
        f"序号{t}存在问题{t}整改措施{t}责任单位{t}整改结果\n"
        f"1{t}大班额突出{t}（1）新建学校；（2）调整学区{t}县教育局{t}已完成整改\n"
        f"2{t}教师流失{t}落实补助{t}县财政局{t}正在推进\n"
        "注：本表截至2023年9月底。\n"
    )
    assert [(p.description, [m.text for m in p.measures], p.status) for p in r.problems] == [
        ("大班额突出", ["新建学校", "调整学区"], Status.DONE),
        ("教师流失", ["落实补助"], Status.IN_PROGRESS),
    ]
    assert r.problems[0].measures[1].lead_unit == "县教育局"


def test_problems_first_then_measures_in_same_order_are_paired_and_marked() -> None:
    r = parse_report_text(
        "一、督导发现的问题\n1．学位不足。\n2．教师缺编。\n二、整改措施\n1．新建学校。\n2．招聘教师。\n"
    )
    assert [(p.description, [m.text for m in p.measures]) for p in r.problems] == [
        ("学位不足。", ["新建学校。"]), ("教师缺编。", ["招聘教师。"])]
    assert all(p.review and all(m.review for m in p.measures) for p in r.problems)
    data = report_to_json(r)
    assert data["problems"][0]["review"] is True and data["problems"][0]["measures"][0]["review"] is True


def test_status_phrases() -> None:
    assert status_in("该问题已完成整改") is Status.DONE
    assert status_in("整改到位") is Status.DONE
    assert status_in("正在推进") is Status.IN_PROGRESS
    assert status_in("此项工作需长期坚持") is Status.ONGOING
    assert status_in("前两项已完成，第三项正在推进") is Status.IN_PROGRESS
    # A long sentence of work done, or a measure that builds a 常态化 mechanism, states no status.
    assert status_sentence("建立常态化防范学生欺凌工作机制。") is None
    assert status_sentence("全年已完成招聘新教师28名，增加外聘教师25名，进一步充实了全县职业教育师资队伍力量。") is None
    f = pull_facts("完善制度（牵头单位：市教育局；整改时限：长期坚持）")
    assert (f.text, f.lead_unit, f.deadline_text) == ("完善制度", "市教育局", "长期坚持")


def test_outline_nests_by_numbering() -> None:
    root = build(paragraphs("一、问题\n（一）甲\n1．子一\n（1）细一\n2．子二\n（二）乙\n二、措施\n"))
    assert [c.text for c in root.children] == ["问题", "措施"]
    first = root.children[0]
    assert [c.text for c in first.children] == ["甲", "乙"]
    assert [c.text for c in first.children[0].children] == ["子一", "子二"]
    assert [c.text for c in first.children[0].children[0].children] == ["细一"]


def test_generator_report_shape_round_trips() -> None:
    # Issue 16's 整改情况报告: （一）问题 + 整改措施及进展 + measures with their status sentences.
    r = parse_report_text(
        "关于反馈问题整改情况的报告\n一、2024年督导反馈问题\n（一）学校食堂管理不规范\n整改措施及进展\n"
        "1．建立陪餐制度。已于2024年3月完成。\n2．开展专项检查。正在推进，计划2024年9月底前完成。\n"
        "目前正在整改，计划2024年9月底前完成。\n（二）校舍维修滞后\n整改措施及进展\n1．维修校舍。已完成。\n"
        "该问题已完成整改。\n二、下一步工作打算\n"
    )
    assert [(p.description, p.status) for p in r.problems] == [
        ("学校食堂管理不规范", Status.IN_PROGRESS), ("校舍维修滞后", Status.DONE)]
    m1, m2 = r.problems[0].measures
    assert (m1.text, m1.status) == ("建立陪餐制度。", Status.DONE)
    assert (m2.text, m2.status, m2.deadline_text) == ("开展专项检查。", Status.IN_PROGRESS, "2024年9月底前")
    assert r.unassigned_measures == ()


def test_generator_tongbao_shape_round_trips() -> None:
    r = parse_report_text(
        "巡察整改进展通报\n巡察反馈的2个问题，已完成整改1个，需长期坚持1个。\n"
        "一、关于“作风建设不实”的问题\n整改情况：一是开展作风整顿；二是建立督查通报制度。该问题已完成整改。\n"
        "二、关于“安全责任落实不到位”的问题\n整改情况：一是签订安全责任书。此项工作需长期坚持。\n"
    )
    assert [(p.description, len(p.measures), p.status) for p in r.problems] == [
        ("作风建设不实", 2, Status.DONE), ("安全责任落实不到位", 1, Status.ONGOING)]


def test_word_report_with_heading_styles_and_a_result_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    from tracker.report import read_report_file

    d = docx.Document()
    d.add_heading("某某县关于督导反馈问题整改情况的报告", 0)
    d.add_heading("一、2024年督导反馈问题", 1)
    d.add_heading("（一）学校食堂管理不规范", 2)
    d.add_paragraph("整改措施及进展")
    d.add_paragraph("1．建立陪餐制度。已完成。")
    d.add_paragraph("该问题已完成整改。")
    d.add_heading("二、问题整改台账", 1)
    table = d.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [("存在问题", "整改措施", "责任单位", "整改结果"),
                                       ("校舍维修滞后", "（1）维修校舍；（2）建立巡查制度", "县教育局", "正在整改"),
                                       ("课后服务单一", "引入社会资源", "县教育局", "已完成整改")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    d.add_paragraph("注：整改结果截至2024年6月底。")
    d.add_paragraph("2024年7月1日")
    path = tmp_path / "整改报告.docx"
    d.save(str(path))
    r = parse_report_text(read_report_file(path))
    assert [(p.description, [m.text for m in p.measures], p.status) for p in r.problems] == [
        ("学校食堂管理不规范", ["建立陪餐制度。"], Status.DONE),
        ("校舍维修滞后", ["维修校舍", "建立巡查制度"], Status.IN_PROGRESS),
        ("课后服务单一", ["引入社会资源"], Status.DONE),
    ]
    assert r.problems[1].measures[0].lead_unit == "县教育局"
    assert r.issued_on == dt.date(2024, 7, 1)


def test_unquoted_about_heading_and_work_sentence_that_mentions_progress() -> None:
    got = brief(
        "关于整改情况的报告\n（一）关于教师编制不足的问题\n整改情况：统筹调剂编制120名。已完成。\n"
        "（二）关于校舍安全的问题\n整改情况：完成危房改造3处，剩余2处正在施工。\n"
    )
    # The second item's only measure says how far it is, but it is the work itself: kept.
    assert got == [("教师编制不足", ["统筹调剂编制120名。"], "done"),
                   ("校舍安全", ["完成危房改造3处，剩余2处正在施工。"], "in_progress")]


def test_about_items_with_planned_measures_are_not_reported_as_under_way() -> None:
    got = brief("一、关于“党建工作薄弱”的问题\n整改措施：\n1．建立党建工作责任清单；\n2．开展支部规范化建设。\n")
    assert got == [("党建工作薄弱", ["建立党建工作责任清单", "开展支部规范化建设。"], "not_started")]


def test_problem_items_written_with_a_problem_label_inside_the_numbering() -> None:
    got = brief(
        "整改情况报告\n一、反馈问题整改情况\n（一）问题：学校食堂管理不规范。\n整改措施及进展\n"
        "1．建立陪餐制度。已完成。\n该问题已完成整改。\n（二）存在问题：校舍老化。\n整改措施及进展\n1．维修校舍。正在推进。\n"
    )
    assert got == [("学校食堂管理不规范。", ["建立陪餐制度。"], "done"), ("校舍老化。", ["维修校舍。"], "in_progress")]


def test_outline_reads_sections_and_line_kinds_for_any_document() -> None:
    # No label, no 关于: the outline is still read, and it is what the section reading uses.
    from tracker.report import classify as cl
    from tracker.report import headings as hd
    from tracker.report.outline import read

    text = (
        "某某区落实督导反馈问题整改方案\n"
        "一、工作成效\n全区新建学校3所。\n"
        "二、存在问题\n（一）学位供给不足。\n（二）教师缺编。\n"
        "注：数据截至2023年底。\n"
        "联系人：张某，联系电话：0000-1234567\n"
        "某某区教育局\n2024年1月5日\n"
    )
    o = read(paragraphs(text))
    by_text = {p.text: i for i, p in enumerate(o.paras)}
    assert o.kind[by_text["某某区落实督导反馈问题整改方案"]] == cl.TITLE
    assert not o.heading[by_text["某某区落实督导反馈问题整改方案"]]
    assert o.section[by_text["全区新建学校3所。"]] == hd.OTHER
    assert o.section[by_text["（二）教师缺编。"]] == hd.PROBLEM
    assert o.kind[by_text["注：数据截至2023年底。"]] == cl.NOTE
    assert o.kind[by_text["联系人：张某，联系电话：0000-1234567"]] == cl.CONTACT
    assert o.kind[by_text["某某区教育局"]] == cl.SIGNATURE
    assert o.kind[by_text["2024年1月5日"]] == cl.DATE
    assert [c.text for c in o.root.children] == ["工作成效", "存在问题"]
    r = parse_report_text(text)
    assert [p.description for p in r.problems] == ["学位供给不足。", "教师缺编。"]
    assert r.unassigned_measures == ()


def test_a_problem_sentence_holding_a_section_word_is_an_item_not_a_heading() -> None:
    # "…存在薄弱环节，…" names a problem; only a short title like "存在问题" opens a section.
    got = brief(
        "二、反馈问题整改落实情况\n（一）教育管理方面\n"
        "1．控辍保学工作存在薄弱环节，个别学生长期请假未跟踪。\n"
        "整改措施：\n（1）落实控辍保学责任制。\n（2）建立监测台账。\n整改进展：已完成整改。\n"
    )
    assert got == [("控辍保学工作存在薄弱环节，个别学生长期请假未跟踪。", ["落实控辍保学责任制。", "建立监测台账。"], "done")]


def test_a_closing_remark_under_next_steps_is_no_measure_to_pair() -> None:
    # Three problems, three 整改情况 items and a 下一步 sentence: paired in order, marked.
    r = parse_report_text(
        "一、存在的问题\n第一，采购索证不全。\n第二，健康证过期。\n"
        "二、整改情况\n第一，规范采购管理。已完成整改。\n第二，组织集中体检。已完成整改。\n"
        "三、下一步工作\n我局将持续加强监管，建立长效机制。\n"
    )
    assert [(p.description, [m.text for m in p.measures], p.review) for p in r.problems] == [
        ("采购索证不全。", ["规范采购管理。已完成整改。"], True),
        ("健康证过期。", ["组织集中体检。已完成整改。"], True),
    ]
    assert [p.status for p in r.problems] == [Status.DONE, Status.DONE]
    assert r.unassigned_measures == ()


def test_inline_di_items_in_one_paragraph_and_a_status_in_the_last_clause() -> None:
    # 第一，…；第二，… inside one paragraph; "…，正在推进。" ends a measure that opens with a verb.
    r = parse_report_text(
        "一、存在的问题\n"
        "对照评估标准，我县还存在一些不足。第一，城区学位供给紧张，大班额现象仍有反弹；"
        "第二，乡村教师补充渠道单一，年龄结构老化。\n"
        "二、整改情况\n"
        "第一，新建城区小学2所，新增学位2700个，已完成整改。第二，实施乡村教师定向培养计划，正在推进。\n"
    )
    assert [(p.description, p.status, p.review) for p in r.problems] == [
        ("城区学位供给紧张，大班额现象仍有反弹", Status.DONE, True),
        ("乡村教师补充渠道单一，年龄结构老化。", Status.IN_PROGRESS, True),
    ]
    assert [m.status for p in r.problems for m in p.measures] == [Status.DONE, Status.IN_PROGRESS]
