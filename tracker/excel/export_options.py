"""What an export contains: the ledger's columns, the round-trip id columns, and the options
a clerk sets in the export dialog or on the command line."""

from __future__ import annotations

import datetime as dt

from tracker import clock
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """Whether a column belongs to the problem (merged across its measures) or to one measure."""

    PROBLEM = "problem"
    MEASURE = "measure"


@dataclass(frozen=True)
class Column:
    """One visible ledger column: its key, printed header, level and preferred width."""

    key: str
    header: str
    level: Level
    width: float  # preferred width in Excel units (about one Latin digit each)
    short: bool = False  # short values (names, dates): shrink to the longest value, up to width


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("number", "序号", Level.PROBLEM, 5, short=True),
    Column("source", "问题来源", Level.PROBLEM, 10, short=True),
    Column("category", "问题类别", Level.PROBLEM, 8, short=True),
    Column("description", "存在问题", Level.PROBLEM, 20),
    Column("goal", "整改目标", Level.PROBLEM, 14),
    Column("measure", "整改措施", Level.MEASURE, 20),
    Column("lead_unit", "牵头单位", Level.MEASURE, 9, short=True),
    Column("co_units", "配合单位", Level.MEASURE, 9, short=True),
    Column("leader", "责任领导", Level.PROBLEM, 8, short=True),
    Column("owner", "责任人", Level.MEASURE, 7, short=True),
    Column("deadline", "整改时限", Level.MEASURE, 15, short=True),
    Column("progress", "整改进展", Level.MEASURE, 18),
    Column("status", "完成情况", Level.MEASURE, 15, short=True),
    Column("percent", "完成进度", Level.MEASURE, 7, short=True),
    Column("evidence", "佐证材料", Level.PROBLEM, 14),
    Column("remarks", "备注", Level.PROBLEM, 8, short=True),
)}
# 佐证材料 is added by itself (before 备注) when any exported problem has evidence, and 完成进度
# (after 完成情况) when any exported measure states a percent: most ledgers never do.
EVIDENCE_COLUMN = "evidence"
PERCENT_COLUMN = "percent"
DEFAULT_COLUMNS: tuple[str, ...] = tuple(k for k in COLUMNS
                                         if k not in (EVIDENCE_COLUMN, PERCENT_COLUMN))

# The round-trip contract with the Excel importer: keep these names and their order exactly.
ID_HEADERS: tuple[str, ...] = ("问题ID", "措施ID", "问题版本", "措施版本")
MARKER_SHEET = "_rectify"
MARKER = "rectify-ledger"
FORMAT_VERSION = 1
LEDGER_ID_ROW = "ledger_id"  # A5: the exporting ledger's random id (older files: none)
HISTORY_MARK_ROW = "history_mark"  # A6: the newest change-history id at export time
OVERDUE_SUFFIX = "（逾期）"
# The 问题来源 group row: "问题来源：<source>" above each source's problems; problems without a
# source get NO_SOURCE so the importer does not file them under the source above.
GROUP_PREFIX = "问题来源："
NO_SOURCE = "（未注明）"

EXCEL_CELL_LIMIT = 32767
DEFAULT_TABLE_FONT = "宋体"
DEFAULT_TITLE_FONT = "黑体"
ORG_SETTING = "org_name"  # ledger setting that remembers the 填报单位 between exports


@dataclass(frozen=True)
class ExportOptions:
    """Everything about an export except which problems: the filter decides those."""

    title: str = ""  # empty: a title built from the filter (see default_title)
    org: str = ""  # 填报单位
    report_date: dt.date | None = None  # 填报日期; also the day overdue is judged on
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    by_unit: bool = False  # one extra sheet per lead unit (分单位台账)
    stats: bool = True  # the 统计 sheet
    since: dt.date | None = None  # the previous period's date: the 统计 sheet compares them
    table_font: str = DEFAULT_TABLE_FONT
    title_font: str = DEFAULT_TITLE_FONT
    font_size: float = 10.0
    title_size: float = 18.0
    filler: str = ""  # 填报人
    phone: str = ""  # 联系电话

    @property
    def day(self) -> dt.date:
        """The 填报日期, today when not given."""
        return self.report_date or clock.today()


def excel_length(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units, so 𠮷 or an emoji counts 2."""
    return len(text.encode("utf-16-le")) // 2


def too_long_for_cell(text: str) -> bool:
    """True when ``text`` is over Excel's cell limit (as Excel counts)."""
    # Up to half the limit in code points cannot be over: no encoding (the usual case).
    return len(text) * 2 > EXCEL_CELL_LIMIT and excel_length(text) > EXCEL_CELL_LIMIT


def checked_options(options: ExportOptions) -> ExportOptions:
    """The options with control characters removed from every text the clerk typed (title,
    填报单位, 填报人, 电话, font names: Word's Shift+Enter pastes \x0b, which no .xlsx can hold);
    text longer than a cell holds is refused rather than cut."""
    from dataclasses import replace

    from tracker.errors import ValidationError
    from tracker.text import clean_text

    labels = {"title": "标题", "org": "填报单位", "filler": "填报人", "phone": "联系电话",
              "table_font": "表格字体", "title_font": "标题字体"}
    for name, label in labels.items():
        if excel_length(clean_text(getattr(options, name))) > EXCEL_CELL_LIMIT - 100:
            # -100: the cell adds 填报单位：, 统计, the unit's name…
            raise ValidationError(f"“{label}”太长，超过 Excel 单元格能容纳的长度，无法导出。"
                                  "请精简后再导出。", name)
    return replace(options, title=clean_text(options.title), org=clean_text(options.org),
                   filler=clean_text(options.filler), phone=clean_text(options.phone),
                   table_font=clean_text(options.table_font),
                   title_font=clean_text(options.title_font))


def check_columns(keys: tuple[str, ...]) -> tuple[Column, ...]:
    """The Column objects for ``keys`` in that order; unknown or repeated keys are refused."""
    from tracker.errors import ValidationError

    if not keys:
        raise ValidationError("请至少选择一列导出。", "columns")
    out: list[Column] = []
    for key in keys:
        col = COLUMNS.get(key) or next((c for c in COLUMNS.values() if c.header == key), None)
        if col is None:
            names = "、".join(c.header for c in COLUMNS.values())
            raise ValidationError(f"未知的列“{key}”，可用的列：{names}", "columns")
        if col in out:
            raise ValidationError(f"列“{col.header}”重复了。", "columns")
        out.append(col)
    return tuple(out)
