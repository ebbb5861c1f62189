"""A corpus of hand-made ledger shapes (issue 13): the same three measures of two problems
written the ways bureaus write them, each with what a clerk expects the import to read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tracker.domain import Status

D, P, O, N = Status.DONE, Status.IN_PROGRESS, Status.ONGOING, Status.NOT_STARTED
DESC1, DESC2 = "教师结构性缺编，音体美教师不足", "校园视频监控存在盲区"
# (problem, measure text, lead unit, co-units, deadline cell, status cell)
ROWS: list[tuple[str, str, str, str, Any, str]] = [
    (DESC1, "核定编制，空编即补", "县委编办", "", "年底前", "已完成"),
    (DESC1, "公开招聘紧缺学科教师", "县教育局", "", dt.datetime(2023, 6, 30), "整改中"),
    (DESC2, "补装视频监控", "县教育局", "县财政局", "长期坚持", "长期坚持"),
]
BASE_DEADLINES = (dt.date(2023, 12, 31), dt.date(2023, 6, 30), None)
FIELDS = ("seq", "description", "measure", "lead_unit", "co_units", "deadline", "status")
STANDARD = dict(zip(FIELDS, ("序号", "存在问题", "整改措施", "牵头单位", "配合单位", "整改时限",
                             "完成情况")))


@dataclass
class Shape:
    """One ledger shape: how to write it and what it should import as."""

    name: str
    headers: dict[str, str] = field(default_factory=lambda: dict(STANDARD))
    title: str = "XX县2023年履行教育职责评价反馈问题整改台账"
    fill: str = "填报单位：XX县教育局　　填报日期：2023年3月1日"
    merge: bool = True
    sheet: str = "台账"
    cell: dict[str, Callable[[int, Any], Any]] = field(default_factory=dict)  # field -> (i, v)
    extra: Callable[[Worksheet], None] | None = None  # after the table
    book: Callable[[Workbook], None] | None = None  # other sheets
    before_header: Callable[[Worksheet], None] | None = None
    statuses: tuple[Status, ...] = (D, P, O)
    deadlines: tuple[dt.date | None, ...] = BASE_DEADLINES
    leads: tuple[str, ...] = ("县委编办", "县教育局", "县教育局")
    co: tuple[str, ...] = ("", "县财政局")  # co-units per problem (all its rows)
    percents: tuple[int | None, ...] = (None, None, None)  # 完成进度 stored on each measure
    texts: tuple[str, ...] = tuple(r[1] for r in ROWS)
    remarks: tuple[str, ...] = ("", "")
    notes: tuple[tuple[str, ...], ...] = ((), (), ())  # notes each measure must include
    rows: list[tuple[str, str, str, str, Any, str]] = field(default_factory=lambda: list(ROWS))
    categories: tuple[str, ...] = ("", "")
    category_merged: bool = True  # a category row merged across the table, or only in column A
    header_lines: int = 1
    main_rows: int = 0  # rows written on the first sheet (0: all); the rest on other sheets

    def write(self, path: Path) -> Path:
        """Build the workbook at ``path``."""
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = self.sheet
        if self.book is not None:
            self.book(wb)
        width = len(self.headers)
        for line in (self.title, self.fill):
            if line:
                ws.append([line])
                ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row,
                               end_column=width)
        if self.before_header is not None:
            self.before_header(ws)
        else:
            ws.append(list(self.headers.values()))
        fields = list(self.headers)
        seq, last_desc, first_row = 0, None, 0
        written = self.rows[:self.main_rows] if self.main_rows else self.rows
        for i, (desc, text, lead, co, deadline, status) in enumerate(written):
            values = {"description": desc, "measure": text, "lead_unit": lead, "co_units": co,
                      "deadline": deadline, "status": status}
            new = desc != last_desc
            if new:
                seq += 1
                values["seq"] = seq
                if self.categories[seq - 1]:
                    ws.append([self.categories[seq - 1]])
                    if self.category_merged:
                            ws.merge_cells(start_row=ws.max_row, start_column=1,
                                       end_row=ws.max_row, end_column=width)
            values = {f: self.cell[f](i, values.get(f)) if f in self.cell else values.get(f)
                      for f in fields}
            if not new and self.merge:
                for f in ("seq", "description"):
                    values[f] = None
            ws.append([values[f] for f in fields])
            if new:
                first_row = ws.max_row
            elif self.merge:
                for f in ("seq", "description"):
                    col = fields.index(f) + 1
                    _extend_merge(ws, first_row, ws.max_row, col)
            last_desc = desc
        ws.append([])
        ws.append(["注：完成情况填写已完成、整改中、长期坚持。"])
        ws.append(["填表人：张三", None, None, "审核人：李四"])
        if self.extra is not None:
            self.extra(ws)
        wb.save(path)
        return path


def _extend_merge(ws: Worksheet, first: int, last: int, col: int) -> None:
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row == first and rng.min_col == col:
            ws.merged_cells.remove(rng)
    ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def _renamed(**names: str) -> dict[str, str]:
    return {f: names.get(f, h) for f, h in STANDARD.items()}


def _without(*gone: str, **added: str) -> dict[str, str]:
    out = {f: h for f, h in STANDARD.items() if f not in gone}
    out.update(added)
    return out


def _by_index(values: tuple[Any, ...]) -> Callable[[int, Any], Any]:
    return lambda i, _v: values[i]


def _two_row_header(ws: Worksheet) -> None:
    ws.append(["序号", "存在问题", "整改措施", "责任单位", None, "整改时限", "完成情况"])
    ws.append([None, None, None, "牵头单位", "配合单位", None, None])
    top = ws.max_row - 1
    for col in (1, 2, 3, 6, 7):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)


def _date_at_right(ws: Worksheet) -> None:
    ws.append(["填报单位：XX县教育局", None, None, None, "填报日期：", dt.datetime(2023, 3, 1)])
    ws.append(list(STANDARD.values()))


def _grouped_status(ws: Worksheet) -> None:
    ws.append(["序号", "存在问题", "整改措施", "牵头单位", "配合单位", "整改时限", "整改情况"])
    ws.append([None, None, None, None, None, None, "完成情况"])


def _summary_sheet(wb: Workbook) -> None:
    s = wb.create_sheet("统计", 0)
    s.append(["单位", "问题数", "已完成数"])
    s.append(["县教育局", 2, 1])


def _protect(wb: Workbook) -> None:
    ws = wb.active
    assert ws is not None
    ws.protection.sheet = True


def _hidden_column(ws: Worksheet) -> None:
    ws.column_dimensions["H"].hidden = True
    ws.auto_filter.ref = f"A3:G{ws.max_row}"


def _other_sheet(name: str, title: str, rows: list[tuple[str, str, str, str, Any, str]],
                 header: dict[str, str] | None = None) -> Callable[[Workbook], None]:
    """A second ledger sheet (one per unit or per source) holding ``rows``."""
    def build(wb: Workbook) -> None:
        ws = wb.create_sheet(name)
        heads = header or STANDARD
        ws.append([title])
        ws.append(["填报日期：2023年3月1日"])
        ws.append(list(heads.values()))
        for seq, (desc, text, lead, co, deadline, status) in enumerate(rows, start=1):
            values = {"seq": seq, "description": desc, "measure": text, "lead_unit": lead,
                      "co_units": co, "deadline": deadline, "status": status}
            ws.append([values.get(f) for f in heads])
    return build


def shapes() -> list[Shape]:
    """Every shape of the corpus."""
    out = [
        Shape("标准台账"),
        Shape("表头在第1行无标题", title="", fill="", cell={"deadline": _by_index(
            (dt.datetime(2023, 12, 31), dt.datetime(2023, 6, 30), "长期坚持"))}),
        Shape("问题描述·具体整改措施·责任科室", headers=_renamed(
            description="问题描述", measure="具体整改措施", lead_unit="责任科室",
            deadline="完成时限", status="完成状态")),
        Shape("问题清单·责任股室·时间节点", headers=_renamed(
            description="问题清单", lead_unit="责任股室", deadline="时间节点", status="整改结果")),
        Shape("反馈问题·承办单位·整改期限", headers=_renamed(
            description="反馈问题", lead_unit="承办单位", deadline="整改期限", status="目前进度")),
        Shape("问题表现·主责单位·协办单位·完成时间", headers=_renamed(
            description="问题表现", lead_unit="主责单位", co_units="协办单位",
            deadline="完成时间", status="整改情况")),
        Shape("状态词写在整改进展列", headers=_without("status", status="整改进展")),
        Shape("状态词写在整改进度列", headers=_without("status", status="整改进度")),
        Shape("无表头名的状态列", headers=_without("status", status="当前")),
        Shape("是否完成填是否", headers=_renamed(status="是否完成"), statuses=(D, P, P),
              cell={"status": _by_index(("是", "否", "否"))}),
        Shape("是否完成填对勾", headers=_renamed(status="是否完成"), statuses=(D, P, D),
              cell={"status": _by_index(("√", "×", "√"))}),
        Shape("状态写成一句话", statuses=(D, P, O), cell={"status": _by_index((
            "已完成编制核定，形成制度", "正在推进招聘工作", "长期坚持，每月巡查"))},
            notes=(("已完成编制核定，形成制度",), ("正在推进招聘工作",), ())),
        Shape("完成进度为小数无完成情况", headers=_without("status", percent="完成进度"),
              percents=(100, 60, 0), statuses=(D, P, N), cell={"percent": _by_index((1.0, 0.6, 0.0))}),
        Shape("完成进度写完成百分之几", headers=_without("status", percent="进度"),
              percents=(100, 60, 30), statuses=(D, P, P),
              cell={"percent": _by_index(("完成100%", "完成60%", "30%"))}),
        Shape("完成进度为文字百分比并有完成情况", headers={**STANDARD, "percent": "完成比例"},
              percents=(100, 60, 50), cell={"percent": _by_index(("100%", "60%", "50％"))}),
        Shape("单位用顿号", co=("县财政局", "县财政局"), cell={"lead_unit": _by_index(
            ("县委编办、县财政局", "县教育局", "县教育局"))}),
        Shape("单位写牵头配合", co=("县人社局", "县财政局"), cell={"lead_unit": _by_index(
            ("县委编办牵头，县人社局配合", "县教育局", "县教育局"))}),
        Shape("单位写括号牵头", co=("县人社局", "县财政局"), cell={"lead_unit": _by_index(
            ("县委编办（牵头）县人社局", "县教育局", "县教育局"))}),
        Shape("单位用逗号和斜杠", co=("县人社局", "县财政局、县公安局"), cell={"lead_unit": _by_index(
            ("县委编办，县人社局", "县教育局", "县教育局/县公安局"))}),
        Shape("单位全角半角空格", cell={"lead_unit": _by_index(
            (" 县委编办 ", "县教育局", "县 教育局"))}),
        Shape("只有标题写年份", fill=""),
        Shape("只有工作表名写年份", title="", fill="", sheet="2023"),
        Shape("填报日期在右侧单元格", fill="",
              before_header=_date_at_right),
        Shape("备注写在措施行", headers={**STANDARD, "remarks": "备注"},
              cell={"remarks": _by_index((None, "需追加资金", None))},
              notes=((), ("备注：需追加资金",), ())),
        Shape("两行表头合并分组", before_header=_two_row_header, header_lines=2),
        Shape("分类行横跨表格", categories=("一、教师队伍", "二、校园安全")),
        Shape("分类行只在A列", categories=("一、教师队伍", "二、校园安全"), category_merged=False),
        Shape("统计表加明细表", book=_summary_sheet),
        Shape("表头带换行", headers=_renamed(description="存在\n问题", deadline="整改\n时限",
                                         lead_unit="牵头\n单位")),
        Shape("问题逐行重复不合并", merge=False),
        Shape("序号写1.1", merge=False, cell={"seq": _by_index(("1.1", "1.2", "2.1"))}),
        Shape("序号写1-1", merge=False, cell={"seq": _by_index(("1-1", "1-2", "2-1"))}),
        Shape("一格内编号多项措施", rows=[
            (DESC1, "1.核定编制，空编即补；2.公开招聘紧缺学科教师", "县委编办", "", "年底前", "整改中"),
            (DESC2, "（1）补装视频监控（2）建立巡查制度", "县教育局", "县财政局", "长期坚持", "长期坚持")],
            texts=("核定编制，空编即补", "公开招聘紧缺学科教师", "补装视频监控", "建立巡查制度"),
            statuses=(P, P, O, O), deadlines=(dt.date(2023, 12, 31),) * 2 + (None, None),
            leads=("县委编办", "县委编办", "县教育局", "县教育局")),
        Shape("时限写文字和2023.6", cell={"deadline": _by_index(
            ("2023年12月31日", 2023.6, "长期坚持"))}),
        Shape("隐藏列和筛选", headers={**STANDARD, "hidden": "内部编号"},
              cell={"hidden": _by_index(("a1", "a2", "a3"))}, extra=_hidden_column),
        Shape("工作表保护无密码", book=_protect),
        Shape("一个单位一张表", sheet="县委编办", main_rows=2, book=_other_sheet(
            "县教育局", "县教育局整改台账", ROWS[2:])),
        Shape("一个来源一张表", sheet="督导反馈", main_rows=2, book=_other_sheet(
            "巡察反馈", "2023年巡察反馈问题整改台账", ROWS[2:])),
        Shape("整改进展写句子无完成情况列", headers=_without("status", status="整改进展"),
              cell={"status": _by_index(("已完成编制核定，形成制度", "正在推进招聘",
                                         "长期坚持，每月巡查一次"))},
              notes=(("已完成编制核定，形成制度",), ("正在推进招聘",), ())),
        Shape("两行表头分组整改情况", before_header=_grouped_status, header_lines=2),
    ]
    return out
