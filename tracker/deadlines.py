"""整改时限: turn what a clerk writes (2022.12.31, 年底前, 明年7月份, 长期坚持 …) into a deadline."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass

from tracker.domain import DeadlineKind
from tracker.errors import DeadlineError

MIN_YEAR = 1990
MAX_YEAR = 2100

_FIELD = "deadline"
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_HINT = "请写成 2022年12月31日、2022年12月底、年底前 或 长期坚持 等形式"

# Clerks type with a Chinese IME, so digits and separators often arrive full-width.
_TRANSLATE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "／": "/", "－": "-", "—": "-", "–": "-"}
)
# One pass collapses whitespace and control characters, so patterns only need " ?" between tokens
# (bounded, hence no backtracking blow-up on hostile input).
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")

# Cells that old Excel ledgers use for "no deadline given"; rejecting them would reject whole imports.
_PLACEHOLDERS = frozenset({"无", "暂无", "/", "-", "--", "未填写时限", "未填写"})
# Recurring work (每年开展, 定期检查) has no end either, so it reads as ongoing when no date is given.
_ONGOING = re.compile(r"长期|持续|常态化|长效|定期|每年|每季|每月|每学期")
_NEXT_YEAR = "明次来翌"
_PERIODIC = re.compile(r"每年|每季|每月|每学期|定期")
_SEMESTER = re.compile(r"(?:(春|秋)季(?:学期)?|(?<![0-9])(3|三|9|九) ?月份?) ?开学(?:前|之前|时)?")
# Yearless forms that roll to next year when already past at the reference date: a day, a
# month, a quarter or a half year. 年底前 never does (it is the reference year's end).
_YEARLESS_ROLLS = "dmqh"
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _year(p: str) -> str:
    """A year prefix (2022年, 二〇二二年, 今年, 明年度 …) with group names prefixed by ``p``."""
    return (
        rf"(?:(?<![0-9])(?P<{p}y>[0-9]{{4}}) ?年度?"
        rf"|(?P<{p}cy>[〇零一二三四五六七八九]{{4}}) ?年度?"
        rf"|(?P<{p}rel>[今本当{_NEXT_YEAR}])年度?)"
    )


def _month(p: str) -> str:
    """A month number, Arabic or Chinese (12月, 十二月), with its group name prefixed by ``p``."""
    # A range's start is skipped: "2023年3-6月" ends with June, and must not lose its year to "6月".
    number = "(?<![0-9])[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
    return rf"(?:(?:{number}) ?[-~～至到、] ?)?(?P<{p}m>{number}) ?月"


# Order matters: at one position the first alternative that matches wins, so the most specific
# forms come first (a full date before its month, a month before its bare year).
_ALTERNATIVES = {
    "n": r"(?<![0-9])(?P<ny>[0-9]{4}) ?[-./] ?(?P<nm>[0-9]{1,2}) ?[-./] ?(?P<nd>[0-9]{1,2})(?![0-9])",
    "k": r"(?<![0-9])(?P<ky>[0-9]{4})(?P<km>[0-9]{2})(?P<kd>[0-9]{2})(?![0-9])",
    "d": rf"(?:{_year('d')} ?)?{_month('d')} ?"
    r"(?P<dd>[0-9]{1,2}(?![0-9])|[一二三四五六七八九十]{1,3}(?= ?[日号號])) ?[日号號]?",
    "q": rf"(?:{_year('q')} ?)?第? ?(?P<qq>(?<![0-9])[1-4]|[一二三四]) ?季度?(?: ?[末底])?",
    "h": rf"(?:{_year('h')} ?)?(?P<hh>[上下])半年",
    "m": rf"(?:{_year('m')} ?)?{_month('m')}(?: ?份)?(?: ?(?P<mx>上旬|中旬|下旬|初|中|底|末))?",
    # The lookahead keeps "2022.12.345" from quietly becoming December 2022.
    "a": r"(?<![0-9])(?P<ay>[0-9]{4}) ?[-./] ?(?P<am>[0-9]{1,2})(?![0-9])(?! ?[-./] ?[0-9])",
    # A bare 年 must not follow a count: 半年内 / 两年内 are durations, not "within this year".
    "e": rf"(?:{_year('e')} ?(?:年 ?)?|(?<![半一二两三四五六七八九十百千0-9个])年度? ?)(?:底|末|终|内)",
    # "2023年完成" means within 2023; "2022年以来" and "2022年123月" are not deadlines.
    "y": rf"{_year('y')}(?! ?(?:以来|[0-9]))",
    "i": r"立行立改|即知即改|立查立改|即查即改|立即|立刻|即刻|马上",
    "t": r"(?P<tt>本|当|这个?|下个?)月(?: ?(?:底|末|内))?",
}
# The leading lookahead lets the engine skip, in one cheap test, positions where no form can start.
_STARTS = "0-9〇零一二三四五六七八九十今本当明次来翌第上下年立即马这"
_PATTERN = re.compile(f"(?=[{_STARTS}])(?:" + "|".join(f"(?P<alt_{k}>{v})" for k, v in _ALTERNATIVES.items()) + ")")
# Day a part of the month stands for; anything else (底, 末, 份, nothing) is the month end.
_MONTH_PART = {"上旬": 10, "初": 10, "中": 15, "中旬": 20}


@dataclass(frozen=True)
class Deadline:
    """A resolved deadline: a date (or None), its kind, and the text as written."""

    date: dt.date | None
    kind: DeadlineKind
    text: str  # the input, stripped, as the clerk wrote it


def format_date_cn(d: dt.date) -> str:
    """Write a date the way Chinese official documents do: 2022年12月31日 (no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


def describe(deadline: Deadline) -> str:
    """The one-line reading shown next to the deadline field, e.g. 2022年12月31日（星期六）."""
    if deadline.kind is DeadlineKind.DATED and deadline.date is not None:
        return f"{format_date_cn(deadline.date)}（{_WEEKDAYS[deadline.date.weekday()]}）"
    if deadline.kind is DeadlineKind.ONGOING:
        return "长期坚持（无截止日期）"
    return "未填写时限"


def _quote(text: str, limit: int = 30) -> str:
    """The text for an error message: one line, and short even when the input is huge."""
    flat = _BLANKS.sub(" ", text[: limit * 4]).strip()
    if not flat:
        return "（不可见字符）"
    return flat if len(flat) <= limit and len(text) <= limit * 4 else flat[:limit] + "…"


def _cn_int(s: str) -> int:
    """Arabic or Chinese numerals (十二, 三十一, 二〇二二) to int; 0 for nonsense so range checks name it."""
    if s.isascii():
        return int(s)
    if "十" not in s:
        if len(s) == 1 or len(s) == 4:  # one digit, or a year written digit by digit
            return int("".join(str(_CN_DIGIT[c]) for c in s))
        return 0
    head, _, tail = s.partition("十")
    if len(head) > 1 or len(tail) > 1 or "十" in tail:
        return 0
    return (_CN_DIGIT[head] if head else 1) * 10 + (_CN_DIGIT[tail] if tail else 0)


def _make_date(year: int, month: int, day: int | None, fragment: str) -> dt.date:
    """Build a date, or explain in Chinese which part is impossible; ``day=None`` means month end."""

    def bad(reason: str) -> DeadlineError:
        return DeadlineError(f"“{_quote(fragment)}”不是有效日期：{reason}", _FIELD)

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise bad(f"年份应在{MIN_YEAR}至{MAX_YEAR}之间")
    if not 1 <= month <= 12:
        raise bad("月份应为1至12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, last)
    if day < 1:
        raise bad(f"日应为1至{last}")
    if day > last:
        raise bad(f"{year}年{month}月只有{last}天")
    return dt.date(year, month, day)


def _year_of(m: re.Match[str], p: str, reference: dt.date) -> int | None:
    """The year a prefix names, or None when the fragment has no year of its own."""
    if (digits := m.group(p + "y")) is not None:
        return int(digits)
    if (chinese := m.group(p + "cy")) is not None:
        return _cn_int(chinese)
    if (rel := m.group(p + "rel")) is not None:
        return reference.year + (1 if rel in _NEXT_YEAR else 0)
    return None


def _resolve(m: re.Match[str], reference: dt.date, context_year: int) -> tuple[dt.date, int | None]:
    """The date one matched fragment stands for, and the year it states explicitly (if any)."""
    frag = m.group(0)
    # The alternative's group encloses all others, so it is the last group to close.
    alt = (m.lastgroup or "alt_?")[4:]
    if alt in "nka":
        year = int(m.group(alt + "y"))
        day = None if alt == "a" else int(m.group(alt + "d"))
        return _make_date(year, int(m.group(alt + "m")), day, frag), year
    if alt == "i":
        return reference, None
    if alt == "t":
        month = reference.month + (1 if m.group("tt").startswith("下") else 0)
        year = reference.year + (month - 1) // 12
        return _make_date(year, (month - 1) % 12 + 1, None, frag), None
    stated = _year_of(m, alt, reference)
    year = context_year if stated is None else stated
    if alt == "d":
        return _make_date(year, _cn_int(m.group("dm")), _cn_int(m.group("dd")), frag), stated
    if alt == "m":
        day = _MONTH_PART.get(m.group("mx") or "")
        return _make_date(year, _cn_int(m.group("mm")), day, frag), stated
    if alt == "q":
        return _make_date(year, _cn_int(m.group("qq")) * 3, None, frag), stated
    if alt == "h":
        return _make_date(year, 6 if m.group("hh") == "上" else 12, None, frag), stated
    return _make_date(year, 12, 31, frag), stated  # "e" and "y": the year's end


_EXTENDED_NOTE = re.compile(r"[（(]原定[^（）()]*?[，,]\s*已延期[）)]$")


def parse_deadline(text: str, reference: dt.date) -> Deadline:
    """Read deadline text; relative words (年底前, 明年, 立行立改) resolve against ``reference``."""
    if not isinstance(text, str):
        raise DeadlineError(f"整改时限应为文字，而不是{type(text).__name__}", _FIELD)
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    # An exported extended deadline reads "2027年6月底前（原定2026年12月底前，已延期）": the note
    # in brackets is ours (tracker.rules.extended_words), the deadline is what precedes it.
    stripped = _EXTENDED_NOTE.sub("", text.strip()).strip()
    if not stripped:
        return Deadline(None, DeadlineKind.NONE, stripped)
    norm = _BLANKS.sub(" ", stripped.translate(_TRANSLATE))
    if norm.replace(" ", "") in _PLACEHOLDERS:
        return Deadline(None, DeadlineKind.NONE, stripped)
    # School terms start at known month ends: 春季开学前 = end of February, 秋季 = end of August.
    norm = _SEMESTER.sub(lambda t: "2月底前" if (t.group(1) or t.group(2)) in "春3三" else "8月底前", norm)
    latest: dt.date | None = None
    # A yearless part inherits the year written before it: in "2023年6月底前初步整改，12月底前全面完成"
    # the 12月 is December 2023, not December of the reference year.
    context_year = reference.year
    year_seen = False
    for m in _PATTERN.finditer(norm):  # linear: every alternative is bounded in length
        found, stated = _resolve(m, reference, context_year)
        if stated is not None:
            context_year = stated
            year_seen = True
        elif (not year_seen and found < reference
              and (m.lastgroup or "")[4:] in _YEARLESS_ROLLS):
            # "6月底前" written in November means next June, not a date already past.
            found, _ = _resolve(m, reference, reference.year + 1)
        elif (m.lastgroup or "")[4:] in "nka":
            year_seen = True
        # Several dates mean stages ("6月底前初步整改，12月底前全面完成"): the last stage is the deadline.
        if latest is None or found > latest:
            latest = found
    if latest is not None and not year_seen and _PERIODIC.search(norm):
        # "每年12月" is a recurring date, not a one-off deadline that is overdue next January.
        return Deadline(None, DeadlineKind.ONGOING, stripped)
    if latest is not None:
        return Deadline(latest, DeadlineKind.DATED, stripped)
    if _ONGOING.search(norm):
        return Deadline(None, DeadlineKind.ONGOING, stripped)
    raise DeadlineError(f"无法识别整改时限“{_quote(stripped)}”，{_HINT}", _FIELD)


def is_relative(text: str, reference: dt.date) -> bool:
    """Whether the text's date depends on the day it is read against (年底前, 6月底前, 立行立改)."""
    # A year later every such form lands on another date; a written date stays put.
    year = reference.year + 1 if reference.year < MAX_YEAR else reference.year - 1
    leap_day = (reference.month, reference.day) == (2, 29)
    other = reference.replace(year=year, day=28 if leap_day else reference.day)
    try:
        here, there = parse_deadline(text, reference), parse_deadline(text, other)
    except DeadlineError:
        return False
    return here.date is not None and here.date != there.date


# Excel's day 0; 1900-03-01 onwards this base absorbs Excel's fictitious 1900-02-29.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _from_number(value: int | float, reference: dt.date) -> Deadline:
    """A numeric cell: read its digits as written (20221231, 2022.12), never as a silent serial date."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DeadlineError(f"无法识别整改时限“{value}”，{_HINT}", _FIELD)
        if value.is_integer():
            value = int(value)
    text = str(value)
    # Excel stores a typed 2022.10 as the number 2022.1: October and January are indistinguishable.
    if re.fullmatch(r"[0-9]{4}\.1", text):
        raise DeadlineError(
            f"单元格中的数字“{text}”可能是{text[:4]}年1月，也可能是输入 {text}0 后被 Excel 去掉了末尾的0"
            f"（{text[:4]}年10月），请把该单元格设为文本格式，写成 {text[:4]}年10月 或 {text[:4]}年1月",
            _FIELD,
        )
    try:
        return parse_deadline(text, reference)
    except DeadlineError:
        serial = int(value)
        if 0 < serial < 2_958_466:  # Excel's last serial is 9999-12-31
            day = _EXCEL_EPOCH + dt.timedelta(days=serial)
            if MIN_YEAR <= day.year <= MAX_YEAR:
                raise DeadlineError(
                    f"单元格中是数字“{text}”，像是 Excel 的日期序号（即{format_date_cn(day)}），"
                    f"为免误读未自动换算，请把该单元格设为日期格式或写成 {format_date_cn(day)}",
                    _FIELD,
                ) from None
        raise


def deadline_from_cell(value: object, reference: dt.date) -> Deadline:
    """Read an Excel cell (date, text, number or empty) as a deadline."""
    if value is None:
        return Deadline(None, DeadlineKind.NONE, "")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # Same year bounds as typed text: a 1899/1900 date is an empty or broken Excel cell.
        checked = _make_date(value.year, value.month, value.day, format_date_cn(value))
        return Deadline(checked, DeadlineKind.DATED, format_date_cn(checked))
    if isinstance(value, str):
        return parse_deadline(value, reference)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(value, reference)
    raise DeadlineError(f"单元格内容“{_quote(repr(value))}”不是整改时限，{_HINT}", _FIELD)
