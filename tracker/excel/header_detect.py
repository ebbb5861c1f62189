"""Find the header row of a hand-made ledger (anywhere in the first rows, under a merged title
and the 填报单位 line), map its columns to ledger fields, and read 填报单位 / 填报日期."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from tracker import clock
from tracker.deadlines import deadline_from_cell
from tracker.domain import DeadlineKind
from tracker.errors import DeadlineError
from tracker.excel.cells import MergeMap, cell_text, grid_value
from tracker.excel.reading import SheetData

HEADER_SCAN_ROWS = 20

# Field -> its Chinese name, in the order the mapping page lists them.
FIELD_LABELS: dict[str, str] = {
    "seq": "序号", "source": "问题来源", "category": "问题类别", "description": "存在问题",
    "goal": "整改目标", "measure": "整改措施", "lead_unit": "牵头单位", "co_units": "配合单位",
    "leader": "责任领导", "owner": "责任人", "deadline": "整改时限", "progress": "整改进展",
    "status": "完成情况", "percent": "完成进度", "remarks": "备注",
    "problem_id": "问题ID", "measure_id": "措施ID", "problem_version": "问题版本",
    "measure_version": "措施版本",
}
ID_FIELDS = ("problem_id", "measure_id", "problem_version", "measure_version")

# Header words seen in real ledgers, per field (compared after removing blanks and brackets).
# A header only proposes a field: column_guess confirms it by the column's cells.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "source": ("问题来源", "来源", "反馈批次"),
    "category": ("问题类别", "类别", "评价重点", "问题类型", "问题分类", "领域"),
    "description": ("存在问题", "问题描述", "具体问题", "问题", "主要问题", "反馈问题", "存在的问题",
                    "问题表现", "问题清单", "反馈意见"),
    "goal": ("整改目标", "目标", "目标任务", "整改要求"),
    "measure": ("整改措施", "具体整改措施", "措施", "整改举措", "主要措施", "整改措施及要求",
                "整改任务"),
    "lead_unit": ("牵头单位", "责任单位", "牵头部门", "责任部门", "主责单位", "牵头责任单位",
                  "责任科室", "责任股室", "承办单位", "责任处室", "牵头科室", "牵头股室",
                  "责任主体"),
    "co_units": ("配合单位", "配合部门", "协同单位", "协办单位", "配合科室", "协助单位"),
    "leader": ("责任领导", "分管领导", "牵头领导"),
    "owner": ("责任人", "具体责任人", "经办人"),
    "deadline": ("整改时限", "完成时限", "时限", "整改期限", "完成时间", "整改时间", "办结时限",
                 "时间节点", "完成期限"),
    "progress": ("整改进展", "进展情况", "整改进度", "进展", "工作进展", "整改情况",
                 "整改落实情况", "整改进展情况"),
    "status": ("完成情况", "整改状态", "状态", "是否完成", "整改完成情况", "完成状态", "整改结果",
               "目前进度", "是否整改到位", "是否办结", "是否销号"),
    "percent": ("完成进度", "完成比例", "进度", "完成率", "完成百分比", "整改进度百分比"),
    "remarks": ("备注",),
    "problem_id": ("问题ID",), "measure_id": ("措施ID",),
    "problem_version": ("问题版本",), "measure_version": ("措施版本",),
}
_EXACT = {w.upper(): f for f, words in SYNONYMS.items() for w in words}
_BY_LENGTH = sorted(_EXACT.items(), key=lambda kv: len(kv[0]), reverse=True)
_COUNTS = ("数", "率", "数量", "合计", "占比", "小计")
_NOISE = re.compile(r"[\s*＊]+|[（(【\[][^）)】\]]*[）)】\]]")
_FILL_DATE = re.compile(r"(?:填报|填表|报送|统计)(?:日期|时间)\s*[：:]?\s*(?P<v>[^　]*?)\s*(?:[　]|\s{2,}|$)")
_TITLE_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*(?:年|届|学年|—|-|~|至)")
_ANY_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")
_FILL_UNIT = re.compile(r"填报单位\s*[：:]\s*(?P<v>.*?)\s*(?:(?:填报|填表)(?:日期|时间)|[　]|\s{2,}|$)")


def normalize_header(text: str) -> str:
    """Header text without blanks, * marks and bracketed notes: "整改时限（年月日）" -> "整改时限"."""
    return _NOISE.sub("", text).upper()


def field_for(text: str, exact: bool = False) -> str | None:
    """The field a header cell names, or None; ``exact`` allows only the listed words."""
    key = normalize_header(text)
    if not key:
        return None
    if key in _EXACT or exact:
        return _EXACT.get(key)
    if len(key) > 12 or key.endswith(_COUNTS):  # a title line, or a count in a statistics table
        return None
    for word, fld in _BY_LENGTH:
        if len(word) >= 2 and key.startswith(word):
            return fld
    for word, fld in _BY_LENGTH:
        if len(word) >= 2 and word in key:
            return fld
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """Where the table is: header row, first data row, and field -> 1-based column."""

    header_row: int
    data_row: int
    columns: Mapping[str, int]
    headers: Mapping[int, str] = field(default_factory=dict)  # column -> header text
    # Why a column was read other than its header says (from its cells), for the check page.
    notes: tuple[str, ...] = ()

    def letter(self, fld: str) -> str:
        """The column letter of a field ("" when unmapped)."""
        col = self.columns.get(fld)
        return get_column_letter(col) if col else ""

    @property
    def is_round_trip(self) -> bool:
        """True when the sheet carries this app's hidden id columns."""
        return "problem_id" in self.columns and "measure_id" in self.columns


@dataclass(frozen=True)
class SheetMeta:
    """What sits above the table: title, 填报单位 and 填报日期 (when written)."""

    title: str = ""
    org: str = ""
    fill_date: dt.date | None = None
    year: int | None = None  # a year written in the title (or else the sheet's name)
    year_from: str = ""  # "标题" or "工作表名称"


def _row_fields(sheet: SheetData, merges: MergeMap, row: int, exact: bool = False,
                extra: Mapping[str, str] | None = None) -> dict[int, str]:
    found: dict[int, str] = {}
    seen: set[str] = set()
    for col in range(1, sheet.width + 1):
        if merges.origin(row, col)[1] != col:
            continue  # the tail of a horizontal merge repeats the head's text
        text = cell_text(grid_value(sheet.rows, merges, row, col))
        if extra and normalize_header(text) in extra:  # the clerk's --map wins over the words
            fld: str | None = extra[normalize_header(text)] or None
        else:
            fld = field_for(text, exact)
        if fld is not None and fld not in seen:
            found[col] = fld
            seen.add(fld)
    return found


def detect_header(sheet: SheetData, merges: MergeMap,
                  extra: Mapping[str, str] | None = None) -> ColumnMapping | None:
    """The best header row in the first rows: most known columns, and one of them the problem
    or the measure; None when no row looks like a ledger header. ``extra``: the clerk's
    normalised header -> field ("" to leave a column out)."""
    best: tuple[int, int, dict[int, str]] | None = None
    for row in sorted(r for r in sheet.rows if r <= HEADER_SCAN_ROWS):
        found = _row_fields(sheet, merges, row, extra=extra)
        names = set(found.values())
        if len(names) < 2 or not names & {"description", "measure"}:
            continue
        if best is None or len(names) > best[1]:
            best = (row, len(names), found)
    if best is None:
        return None
    row, _, found = best
    data_row = row + 1
    # A two-line header ("责任单位" over "牵头单位 | 配合单位"): the second line refines the first.
    below = _row_fields(sheet, merges, row + 1, exact=True, extra=extra)
    below_cells = [c for c in range(1, sheet.width + 1)
                   if cell_text(grid_value(sheet.rows, merges, row + 1, c)).strip()]
    if below and len(below) == len(below_cells):
        found = {c: f for c, f in found.items() if f not in below.values()}
        found.update(below)
        data_row = row + 2
    headers = {c: cell_text(grid_value(sheet.rows, merges, r, c))
               for r in range(row, data_row) for c in found}
    return ColumnMapping(row, data_row, {f: c for c, f in found.items()}, headers)


def detect_meta(sheet: SheetData, merges: MergeMap, header_row: int) -> SheetMeta:
    """Title, 填报单位 and 填报日期 from the rows above the header."""
    title, org, fill_date = "", "", None
    for row in range(1, header_row):
        values = sheet.rows.get(row, ())
        for col, value in enumerate(values, start=1):
            if value is None or merges.origin(row, col) != (row, col):
                continue
            text = cell_text(value).strip()
            if not text:
                continue
            unit = _FILL_UNIT.search(text)
            if unit and not org:
                org = unit.group("v").strip()
            date_m = _FILL_DATE.search(text)
            if date_m and fill_date is None:
                raw: Any = date_m.group("v").strip()
                if not raw:  # 填报日期： | 2022-06-30 in the next cell
                    raw = next((v for v in values[col:] if v is not None), None)
                fill_date = _as_date(raw)
            if not unit and not date_m and not title:
                title = text
    year, year_from = _title_year(title), "标题"
    if year is None:
        m = _ANY_YEAR.search(sheet.name)  # a sheet is often just named "2023" or "2023台账"
        year, year_from = (int(m.group(1)) if m else None), "工作表名称"
    return SheetMeta(title, org, fill_date, year, year_from if year else "")


def _title_year(text: str) -> int | None:
    """The year a title names ("2023年…整改台账", "2023年度"), when plausible."""
    m = _TITLE_YEAR.search(text)
    return int(m.group(1)) if m else None


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        d = deadline_from_cell(value, clock.today())
    except DeadlineError:
        return None
    return d.date if d.kind is DeadlineKind.DATED else None
