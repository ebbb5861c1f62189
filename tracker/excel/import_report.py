"""What the clerk chose for an import (ImportOptions), how each sheet was read (SheetReport:
its column mapping, unused columns, the date relative deadlines were read against), and how
that date is chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.deadlines import format_date_cn
from tracker.excel.column_guess import mapping_lines
from tracker.excel.header_detect import ColumnMapping, SheetMeta

Corrections = Mapping[tuple[str, int, int], Any]  # (sheet, row, column) -> value typed instead


@dataclass(frozen=True)
class ImportOptions:
    """What the clerk chose: sheet, source name, column mappings, corrected cells."""

    sheet: str | None = None  # None: every visible sheet that has a ledger header
    source: str | None = None  # --source; default: the file name and the 填报日期's year
    mappings: Mapping[str, ColumnMapping] = field(default_factory=dict)  # per sheet, from wizard
    corrections: Corrections = field(default_factory=dict)
    blank_continues: bool = False  # an empty, unmerged 存在问题 continues the problem above
    today: dt.date | None = None
    as_new: bool = False  # --as-new: rows of an exported file become new problems (ids ignored)
    column_map: tuple[str, ...] = ()  # --map 表头=字段 (repeatable): the clerk's column choices
    date: dt.date | None = None  # --date: the ledger's date, for 年底前 and undated progress notes


@dataclass(frozen=True)
class SheetReport:
    """How one sheet was read."""

    name: str
    mapping: ColumnMapping | None
    meta: SheetMeta
    round_trip: bool
    skipped: str = ""  # why the sheet was not imported ("" when it was)
    notes_skipped: int = 0
    unused: tuple[tuple[str, str, int], ...] = ()  # (letter, header, filled cells) not imported
    reference: dt.date | None = None  # what 年底前 / 明年 were read against
    reference_from: str = ""  # where that date came from, in words

    def mapping_lines(self) -> list[str]:
        """表头 → 字段 per column, the unused columns and the reference date, for the dry run."""
        if self.mapping is None or self.skipped:
            return [f"工作表“{self.name}”：{self.skipped or '未导入'}"]
        heads = {c: h for c, h in self.mapping.headers.items()}
        lines = [f"工作表“{self.name}”（表头第{self.mapping.header_row}行）：",
                 "  " + "；".join(mapping_lines(self.mapping, heads))]
        lines += ["  " + note for note in self.mapping.notes]
        if self.unused:
            lines.append("  未导入的列：" + "；".join(f"{letter}“{head}”（{n}个单元格）"
                                                for letter, head, n in self.unused))
        if self.reference is not None:
            lines.append(f"  相对时限按{format_date_cn(self.reference)}解读（{self.reference_from}）")
        return lines


def reference_date(chosen: dt.date | None, meta: SheetMeta, today: dt.date
                   ) -> tuple[dt.date, str]:
    """The date 年底前 is read against, and where it came from (in words): --date, else the
    sheet's 填报日期, else Jan 1 of the year in its title or name, else today."""
    if chosen is not None:
        return chosen, "导入时指定的日期（--date）"
    if meta.fill_date is not None:
        return meta.fill_date, "表中的填报日期"
    if meta.year is not None:
        # Jan 1: "6月底前" in a 2023 ledger is June 2023, not rolled over into 2024.
        return dt.date(meta.year, 1, 1), (f"表中没有填报日期，按{meta.year_from}中的{meta.year}年；"
                                          "不对时请用 --date（或在向导中）指定填报日期")
    return today, ("表中没有填报日期，标题中也没有年份，按今天；不对时请用 --date"
                   "（或在向导中）指定填报日期")
