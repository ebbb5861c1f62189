"""Corpus part 4: shapes that stress the outline (issue 14, item 1).

Deep nesting 一、→（一）→1．→（1）; Word list numbering with no typed numbers (a real .docx is
written and read back); bold run-in titles; a 整改方案 with a 任务分工 table; a 督导反馈意见
with 问题清单 and 整改要求; 第一/第二 paragraphs. Same conventions as report_corpus.py: the
structure follows public documents of each family, the sentences are written for these tests.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
import docx.document

from tests.core.report_corpus import DONE, NEW, WIP, Doc, M, P
from tracker.report import read_report_file

T = "\t"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _two_level_list(d: docx.document.Document) -> str:
    """Make "List Number" a two-level Chinese list (（一） then 1．); its numId."""
    num_id = d.styles["List Number"].element.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    root = d.part.numbering_part.element
    num = next(n for n in root.findall(f"{W}num") if n.get(f"{W}numId") == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in root.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    for lvl in abstract.findall(f"{W}lvl"):
        level = lvl.get(f"{W}ilvl")
        if level == "0":
            lvl.find(f"{W}numFmt").set(f"{W}val", "chineseCounting")
            lvl.find(f"{W}lvlText").set(f"{W}val", "（%1）")
        elif level == "1":
            lvl.find(f"{W}numFmt").set(f"{W}val", "decimal")
            lvl.find(f"{W}lvlText").set(f"{W}val", "%2．")
    return str(num_id)


def _list_item(d: docx.document.Document, text: str, num_id: str, level: int) -> None:
    """A paragraph of the numbered list at ``level``; Word types no number in its text."""
    p = d.add_paragraph(text, style="List Number")
    ppr = p._p.get_or_add_pPr()
    num_pr = ppr.makeelement(f"{W}numPr", {})
    ilvl = num_pr.makeelement(f"{W}ilvl", {f"{W}val": str(level)})
    nid = num_pr.makeelement(f"{W}numId", {f"{W}val": num_id})
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)


def word_list_report() -> str:
    """A 自评报告 saved from Word whose problems and measures are list paragraphs: the numbers
    live in numbering.xml only, as the text reader gives them back."""
    d = docx.Document()
    num_id = _two_level_list(d)
    d.add_paragraph("某某县人民政府2023年度履行教育职责自评报告", style="Title")
    d.add_paragraph("根据市政府教育督导委员会的安排，我县对照评价指标开展了自评，现将有关情况报告如下。")
    d.add_paragraph("一、履行教育职责的主要成效", style="Heading 1")
    d.add_paragraph("全县教育经费投入持续增长，义务教育学校标准化建设全部达标。")
    d.add_paragraph("二、存在问题及整改措施", style="Heading 1")
    _list_item(d, "乡镇寄宿制学校生活设施不完善，部分学校学生宿舍人均面积不达标。", num_id, 0)
    d.add_paragraph("整改措施：")
    _list_item(d, "新建乡镇学校学生宿舍3栋，2024年秋季学期投入使用。", num_id, 1)
    _list_item(d, "为寄宿制学校配备生活指导教师。", num_id, 1)
    _list_item(d, "特殊教育资源教室覆盖率偏低，随班就读支持保障不足。", num_id, 0)
    d.add_paragraph("整改措施：")
    _list_item(d, "在乡镇中心学校建设特殊教育资源教室6个。", num_id, 1)
    _list_item(d, "组建县级特殊教育巡回指导团队，每学期开展巡回指导。", num_id, 1)
    _list_item(d, "中小学生近视率居高不下，视力健康管理落实不到位。", num_id, 0)
    d.add_paragraph("整改措施：")
    _list_item(d, "落实每天校内外各2小时体育活动和户外活动时间。", num_id, 1)
    d.add_paragraph("我县将以此次自评为契机，补短板、强弱项，推动全县教育高质量发展。")
    d.add_paragraph("某某县人民政府")
    d.add_paragraph("2024年3月20日")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "自评报告.docx"
        d.save(str(path))
        return read_report_file(path)


DOCS: list[Doc] = [
    Doc("outline_baogao_deep_nesting", "整改情况报告", """中共某某县教育局党组关于县委巡察反馈问题整改情况的报告

县委巡察办：
按照县委第二巡察组的反馈意见，局党组认真组织整改。现将整改情况报告如下。

一、整改工作开展情况
（一）提高政治站位。局党组召开专题会议研究部署整改工作，成立整改工作领导小组。
（二）压实整改责任。逐项明确责任领导、责任股室和完成时限，实行销号管理。

二、反馈问题整改落实情况
（一）党的建设方面
1．基层党组织建设薄弱，部分学校党支部“三会一课”制度落实不到位。
整改措施：
（1）开展学校党支部标准化规范化建设，年内实现全覆盖。
（2）建立“三会一课”季度抽查通报制度。
整改进展：已完成整改。
2．党员教育管理不严格，个别党员长期不参加组织生活。
整改措施：
（1）对长期不参加组织生活的党员逐一谈话提醒。
（2）将组织生活参与情况纳入党员年度民主评议。
整改进展：正在推进。
（二）教育管理方面
1．义务教育控辍保学工作存在薄弱环节，个别学生长期请假未及时跟踪。
整改措施：
（1）落实控辍保学“双线四级”责任制。
（2）建立疑似辍学学生动态监测台账。
责任单位：基础教育股
整改时限：2024年6月底前
整改进展：已完成整改。

三、下一步工作打算
局党组将持续巩固整改成果，建立健全长效机制，确保整改工作取得实效。

中共某某县教育局党组
2024年3月8日
""", (
        P("基层党组织建设薄弱", DONE, (M("开展学校党支部标准化规范化建设"), M("建立“三会一课”季度抽查通报制度"))),
        P("党员教育管理不严格", WIP, (M("对长期不参加组织生活的党员逐一谈话提醒"), M("将组织生活参与情况纳入党员年度民主评议"))),
        P("义务教育控辍保学工作存在薄弱环节", DONE, (
            M("落实控辍保学“双线四级”责任制", "基础教育股", "2024年6月底前"),
            M("建立疑似辍学学生动态监测台账", "基础教育股", "2024年6月底前"),
        )),
    )),
    Doc("outline_zipin_word_list_numbering", "自评报告", word_list_report(), (
        P("乡镇寄宿制学校生活设施不完善", NEW, (M("新建乡镇学校学生宿舍3栋"), M("为寄宿制学校配备生活指导教师"))),
        P("特殊教育资源教室覆盖率偏低", NEW, (M("在乡镇中心学校建设特殊教育资源教室6个"), M("组建县级特殊教育巡回指导团队"))),
        P("中小学生近视率居高不下", NEW, (M("落实每天校内外各2小时体育活动和户外活动时间"),)),
    )),
    Doc("outline_fankui_bold_run_in", "督导反馈意见", """**关于某某县义务教育优质均衡发展督导评估的反馈意见**

某某县人民政府：
2023年11月，省政府教育督导委员会办公室组织专家对你县义务教育优质均衡发展情况进行了实地督导评估。现将有关意见反馈如下。

**一、主要成效**
你县坚持教育优先发展，义务教育学校办学条件持续改善，教育质量稳步提升。

**二、存在的主要问题**
**（一）教育资源配置不够均衡。**城区学校大班额问题依然存在，部分农村学校功能室配备不全。
**（二）教师队伍结构性矛盾突出。**音体美、信息技术学科专任教师缺口较大，教师年龄结构老化。
**（三）学校内部管理有待加强。**部分学校课后服务内容单一，作业管理制度落实不到位。

**三、整改要求**
**（一）优化资源配置。**加快城区学校建设，2024年秋季学期前消除56人以上大班额。
**（二）补齐师资短板。**通过公开招聘、交流轮岗等方式补充音体美和信息技术教师。
**（三）规范学校管理。**丰富课后服务课程，健全作业公示和质量监测制度。

请你县在收到本意见后一个月内制定整改方案，报省政府教育督导委员会办公室备案。

某某省人民政府教育督导委员会办公室
2023年12月15日
""", (
        P("教育资源配置不够均衡", NEW, (M("加快城区学校建设"),)),
        P("教师队伍结构性矛盾突出", NEW, (M("通过公开招聘、交流轮岗等方式补充音体美和信息技术教师"),)),
        P("学校内部管理有待加强", NEW, (M("丰富课后服务课程"),)),
    )),
    Doc("outline_fangan_task_table", "整改方案", f"""某某区落实市级教育督导反馈问题整改方案

为认真落实市政府教育督导委员会办公室反馈意见，切实抓好问题整改，结合我区实际，制定本方案。

一、工作目标
坚持问题导向，逐项明确整改措施、责任单位和完成时限，确保反馈问题按期整改到位。

二、整改任务分工
序号{T}问题清单{T}整改措施{T}牵头单位{T}配合单位{T}完成时限
1{T}中小学心理健康教育专职教师配备不足{T}（1）按每校至少1名标准配备心理健康专职教师；（2）开展心理健康教育教师全员培训{T}区教育局{T}区人社局{T}2024年8月底前
2{T}部分学校食堂“明厨亮灶”未全覆盖{T}推进学校食堂“互联网+明厨亮灶”建设{T}区市场监管局{T}区教育局{T}2024年6月底前
3{T}校园周边交通安全隐患治理不到位{T}在学校周边设置交通安全设施，上下学时段安排警力护学{T}区公安分局{T}区交通运输局{T}长期坚持

三、保障措施
（一）加强组织领导。成立由分管副区长任组长的整改工作领导小组，统筹推进整改工作。
（二）强化督促检查。区政府教育督导室每季度对整改进展开展一次专项督导。
注：各牵头单位于每月25日前报送整改进展情况。

某某区人民政府办公室
2024年1月10日
""", (
        P("中小学心理健康教育专职教师配备不足", NEW, (
            M("按每校至少1名标准配备心理健康专职教师", "区教育局", "2024年8月底前"),
            M("开展心理健康教育教师全员培训", "区教育局", "2024年8月底前"),
        )),
        P("部分学校食堂“明厨亮灶”未全覆盖", NEW, (M("推进学校食堂“互联网+明厨亮灶”建设", "区市场监管局", "2024年6月底前"),)),
        P("校园周边交通安全隐患治理不到位", NEW, (M("在学校周边设置交通安全设施", "区公安分局", "长期坚持"),)),
    )),
    Doc("outline_fankui_problem_list_requirements", "督导反馈意见", """某某市人民政府教育督导委员会办公室关于某某县学校安全工作专项督导的反馈意见

某某县人民政府：
2023年10月，市政府教育督导委员会办公室组织对你县学校安全工作开展了专项督导。现将督导意见反馈如下。

一、基本情况
你县高度重视学校安全工作，建立了县、乡、校三级安全管理责任体系。

二、问题清单
问题1：部分学校消防设施老化，灭火器过期未更换。
问题2：校车安全管理制度执行不严，随车照管人员培训记录缺失。
问题3：学生防溺水教育覆盖不全，重点水域警示标志缺失。

三、整改要求
（一）针对“消防设施老化”的问题，立即组织排查，更换过期消防器材。
（二）针对“校车安全管理制度执行不严”的问题，健全随车照管人员培训和考核制度。
（三）针对“防溺水教育覆盖不全”的问题，在重点水域设置警示标志，开展防溺水专题教育。

请你县于2024年3月31日前将整改情况书面报送市政府教育督导委员会办公室。
联系人：王某某；联系电话：0000-7654321

某某市人民政府教育督导委员会办公室
2023年11月20日
""", (
        P("部分学校消防设施老化", NEW, (M("立即组织排查"),)),
        P("校车安全管理制度执行不严", NEW, (M("健全随车照管人员培训和考核制度"),)),
        P("学生防溺水教育覆盖不全", NEW, (M("在重点水域设置警示标志"),)),
    )),
    Doc("outline_baogao_di_paragraphs", "整改情况报告", """某某县教育体育局关于校园食品安全专项整治发现问题整改情况的报告

县人民政府：
按照县政府校园食品安全专项整治工作部署，我局对检查发现的问题逐项整改。现将有关情况报告如下。

一、存在的问题
第一，部分学校食堂食材采购索证索票不全，进货查验记录不规范。
第二，学校食堂从业人员健康管理不到位，个别人员健康证过期。
第三，校外供餐单位监管存在薄弱环节，抽检频次偏低。

二、整改情况
第一，全面规范食材采购管理。统一使用进货查验电子台账，实行索证索票“一票通”。目前已完成整改。
第二，加强从业人员健康管理。组织全县学校食堂从业人员集中体检，建立健康证到期提醒制度。已完成整改。
第三，强化校外供餐单位监管。联合市场监管部门开展飞行检查，按月抽检供餐样品。正在推进。

三、下一步工作
我局将持续加强校园食品安全监管，建立常态长效工作机制。

某某县教育体育局
2023年12月28日
""", (
        P("部分学校食堂食材采购索证索票不全", DONE, (M("全面规范食材采购管理", status=DONE),)),
        P("学校食堂从业人员健康管理不到位", DONE, (M("加强从业人员健康管理", status=DONE),)),
        P("校外供餐单位监管存在薄弱环节", WIP, (M("强化校外供餐单位监管", status=WIP),)),
    )),
]
