"""What one cell of a hand-made ledger means: its text as the clerk sees it, a status word,
dated progress lines, 注 and signature lines under the table, section rows, and merged blocks."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tracker.deadlines import format_date_cn
from tracker.domain import Status
from tracker.errors import ImportRejected
from tracker.excel.reading import MergedRange
from tracker.import_model import NoteLine as NoteLine  # defined with the import's data; re-exported
from tracker.text import clean_text

OVERDUE_MARKS = ("（逾期）", "(逾期)", "逾期")

# Words clerks write in 完成情况 / 整改状态, beyond the five labels the app itself prints.
STATUS_WORDS: dict[str, Status] = {
    **{w: Status.DONE for w in ("已完成", "已整改", "完成", "已整改完成", "整改完成", "已办结",
                                "办结")},
    **{w: Status.IN_PROGRESS for w in ("正在整改", "整改中", "推进中", "正在推进", "进行中",
                                       "已启动", "部分完成")},
    **{w: Status.ONGOING for w in ("长期坚持", "持续整改", "持续推进", "长期推进")},
    **{w: Status.CLOSED for w in ("已销号", "销号")},
    **{w: Status.NOT_STARTED for w in ("未启动", "未整改", "未开始", "尚未启动")},
}
STATUS_HINT = "已完成、整改中、未启动、长期坚持、已销号（或 已整改、正在整改、推进中、持续整改、未整改）"
_STATUS_LEAD = re.compile(r"^(" + "|".join(sorted(STATUS_WORDS, key=len, reverse=True))
                          + r")[，。,.;；：:\s]")

# A progress line that starts a dated note: 2026年11月1日：… / 2026-11-01 … / 2026.11.1、…
_NOTE_DATE = re.compile(
    r"^\s*(?P<y>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]"
    r"|[-./](?P<m2>\d{1,2})[-./](?P<d2>\d{1,2}))\s*[：:，,、\s]\s*")
_NOTE_ROW = re.compile(r"^\s*(?:注|说明|填表说明|备注)\s*[\d一二三四五六七八九十]*\s*[：:.．、]")
_FOOTER = re.compile(r"^\s*(?:填报人|填表人|制表人|审核人|审核|联系人|联系电话|负责人|主要负责人|"
                     r"分管领导|单位负责人|填报单位|填报日期|签字|签名|盖章)\s*[（(]?[^：:]{0,6}[：:]")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*")
_SEQ = re.compile(r"^\s*[（(]?\s*(\d{1,6})\s*[)）.．、]?\s*$")


def cell_text(value: Any) -> str:
    """The text a clerk sees in the cell; formulas stay as typed ("=A1+1"), never evaluated."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Printable text has no control characters or line breaks to clean (the usual case).
        return value if value.isprintable() else clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        text = format_date_cn(value.date())
        return text if value.time() == dt.time() else f"{text} {value:%H:%M}"
    if isinstance(value, dt.date):
        return format_date_cn(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return clean_text(str(value))


def strip_overdue(text: str) -> str:
    """完成情况 without the （逾期） the export appends."""
    t = text.strip()
    for mark in OVERDUE_MARKS:
        if t.endswith(mark) and len(t) > len(mark):
            return t[: -len(mark)].strip()
    return t


def status_from_text(text: str) -> tuple[Status | None, bool]:
    """(status, exact) for a 完成情况 cell; exact is False when the word only starts a longer
    sentence ("已完成。已于5月…"). Empty gives (None, True); unknown raises ValueError."""
    t = strip_overdue(text).rstrip("。.！!")
    if not t:
        return None, True
    key = re.sub(r"\s+", "", t)
    if key in STATUS_WORDS:
        return STATUS_WORDS[key], True
    try:
        return Status.from_label(key), True
    except ValueError:
        pass
    lead = _STATUS_LEAD.match(t)
    if lead:
        return STATUS_WORDS[lead.group(1)], False
    raise ValueError(t)


def split_progress(text: str, default_day: dt.date) -> tuple[NoteLine, ...]:
    """整改进展 text as notes: a line starting with a date opens a note; lines without one
    continue it; text before the first dated line is one note dated ``default_day``."""
    entries: list[tuple[dt.date | None, list[str]]] = []
    for line in text.split("\n"):
        m = _NOTE_DATE.match(line)
        day = _note_day(m) if m else None
        if day is not None and m is not None:
            entries.append((day, [line[m.end():].rstrip()]))
        elif entries:
            entries[-1][1].append(line.rstrip())
        elif line.strip():
            entries.append((None, [line.rstrip()]))
    out = []
    for day, lines in entries:
        body = "\n".join(lines).strip()
        if body:
            out.append(NoteLine(day or default_day, body, day is not None))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _day(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None  # 2026年13月…: not a date, so the line is ordinary text


def _note_day(m: re.Match[str]) -> dt.date | None:
    y, m1, d1, m2, d2 = m.group("y", "m1", "d1", "m2", "d2")
    return _day(y, m1 or m2, d1 or d2)


def is_note_text(text: str) -> bool:
    """注：… / 说明：… lines written under the table."""
    return bool(_NOTE_ROW.match(text))


def is_footer_text(text: str) -> bool:
    """填报人：… / 联系电话：… / 审核人：… signature lines."""
    return bool(_FOOTER.match(text))


def section_title(text: str) -> str | None:
    """The category a section row names ("一、党的领导" -> "党的领导"), else None."""
    m = _SECTION.match(text)
    if not m:
        return None
    rest = text[m.end():].strip().rstrip("：:")
    return rest or None


def parse_seq(value: Any) -> int | None:
    """序号 as a positive number (1, 1.0, "（1）", "1."), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    if isinstance(value, str):
        m = _SEQ.match(value)
        if m and int(m.group(1)) > 0:
            return int(m.group(1))
    return None


class MergeMap:
    """Which merged block covers a cell; built once per sheet, bounded so a hostile file with
    huge or overlapping merges cannot exhaust memory. Kept per row, because the importer asks
    about every cell of every row."""

    def __init__(self, merged: Iterable[MergedRange], last_row: int, width: int,
                 sheet: str = "") -> None:
        self._rows: dict[int, dict[int, MergedRange]] = {}
        budget = 4 * max(last_row, 1) * max(width, 1) + 100_000
        for m in merged:
            top, bottom = m.min_row, min(m.max_row, last_row)
            right = min(m.max_col, width)
            if top > bottom or m.min_col > right or (top == bottom and m.min_col == right):
                continue
            budget -= (bottom - top + 1) * (right - m.min_col + 1)
            if budget < 0:
                raise ImportRejected(f"工作表“{sheet}”中的合并单元格数量异常（过大或相互重叠），"
                                     "无法读取。请取消合并后另存再导入。")
            for r in range(top, bottom + 1):
                line = self._rows.setdefault(r, {})
                for c in range(m.min_col, right + 1):
                    line[c] = m

    def in_row(self, row: int) -> Mapping[int, MergedRange]:
        """Column -> merged block for every merged cell of the row (empty when none)."""
        return self._rows.get(row, _NO_BLOCKS)

    def block(self, row: int, col: int) -> MergedRange | None:
        """The merged block covering the 1-based cell, or None."""
        return self._rows.get(row, _NO_BLOCKS).get(col)

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell whose value the cell shows."""
        m = self.block(row, col)
        return (row, col) if m is None else (m.min_row, m.min_col)

    def continues(self, row: int, col: int) -> bool:
        """True when the cell is part of a vertical merge that started on an earlier row."""
        m = self.block(row, col)
        return m is not None and m.min_row < row


_NO_BLOCKS: Mapping[int, MergedRange] = {}


def grid_value(rows: dict[int, tuple[Any, ...]], merges: MergeMap, row: int, col: int) -> Any:
    """The value a 1-based cell shows, taking merged blocks into account."""
    r, c = merges.origin(row, col)
    values = rows.get(r)
    if values is None or c > len(values):
        return None
    return values[c - 1]
