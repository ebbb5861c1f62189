"""Hand-made ledgers in the shapes clerks send, built with openpyxl for the import tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER = ["序号", "问题来源", "存在问题", "整改措施", "牵头单位", "配合单位", "责任人", "整改时限",
          "整改进展", "完成情况", "备注"]


def title_rows(ws: Worksheet, width: int, title: str = "XX县2021年履行教育职责评价反馈问题整改台账",
               fill: str = "填报单位：XX县教育局  填报日期：2022年6月30日") -> None:
    """A merged title line and a merged 填报单位/填报日期 line, as clerks make them."""
    ws.append([title])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    if fill:
        ws.append([fill])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row,
                       end_column=width)


def add_problem(ws: Worksheet, header: Sequence[str], problem: dict[str, Any],
                measures: Sequence[dict[str, Any]], merge: bool = True) -> int:
    """Append one problem: its cells on the first row (merged down when ``merge``), one row
    per measure. Keys are header names; returns the first row number."""
    first = ws.max_row + 1
    for k, m in enumerate(measures or [{}]):
        values = {**(problem if k == 0 else {}), **m}
        ws.append([values.get(h) for h in header])
    last = ws.max_row
    if merge and last > first:
        for col, name in enumerate(header, start=1):
            if name in problem:
                ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    return first


def standard_book(path: Path, rows: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]],
                  header: Sequence[str] = HEADER, sheet: str = "台账",
                  fill: str = "填报单位：XX县教育局  填报日期：2022年6月30日",
                  notes: Sequence[str] = ("注：1.完成情况填写已完成、整改中、未启动。",
                                          "2.整改时限写到具体日期。"),
                  footer: bool = True) -> Path:
    """Title on row 1, 填报 line on row 2, header on row 3, problems, then 注 and 填报人 lines."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    title_rows(ws, len(header), fill=fill)
    ws.append(list(header))
    for problem, measures in rows:
        add_problem(ws, header, problem, measures)
    ws.append([])
    for note in notes:
        ws.append([note])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row,
                       end_column=len(header))
    if footer:
        ws.append(["填报人：张三", None, None, None, None, None, "联系电话：0955-1234567"])
    wb.save(path)
    return path


def two_problem_rows() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """A problem with three measures (merged) and one with a single measure."""
    return [
        ({"序号": 1, "问题来源": "2021年履行教育职责评价反馈问题",
          "存在问题": "教师结构性缺编，音体美教师不足", "备注": "重点"},
         [{"整改措施": "核定编制，空编即补", "牵头单位": "县委编办", "配合单位": "县财政局",
           "责任人": "王强", "整改时限": "年底前", "完成情况": "已完成",
           "整改进展": "2022年5月1日：已核定编制\n2022年6月1日：已完成招聘"},
          {"整改措施": "公开招聘紧缺学科教师", "牵头单位": "县教育局",
           "整改时限": dt.datetime(2022, 9, 30), "完成情况": "正在整改"},
          {"整改措施": "推进县管校聘", "牵头单位": "县教育局", "整改时限": "长期坚持",
           "完成情况": "长期坚持"}]),
        ({"序号": 2, "问题来源": "2021年履行教育职责评价反馈问题",
          "存在问题": "校园视频监控存在盲区"},
         [{"整改措施": "补装视频监控", "牵头单位": "县公安局", "整改时限": "2022.12.31",
           "完成情况": "未启动"}]),
    ]


def replace_in_sheet(path: Path, marker: str, replacement: str) -> None:
    """Rewrite the saved sheet XML, replacing an ASCII ``marker``: openpyxl itself refuses to
    write some values (it cuts text at 32,767 characters), but other programs do write them."""
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(marker.encode(), replacement.encode())
            dst.writestr(info, data)
    tmp.replace(path)
