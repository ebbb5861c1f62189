"""The phrases of a 整改 report: Chinese numbering, deadlines as reports write them, and the
status sentences ("该问题已完成整改。", "目前正在整改，计划2027年7月底前完成。")."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from tracker import rules
from tracker.domain import MeasureRow, ProblemRow, Status
from tracker.summary import cn_date

DIGITS = "零一二三四五六七八九"
_INNER_STOPS = re.compile(r"[。；;]+(?!$)")


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (enough for any ledger's headings)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + DIGITS[rest]
    elif rest < 20:
        tail = "一" + cn_number(rest)  # 一百一十二, not 一百十二
    else:
        tail = cn_number(rest)
    return cn_number(n // 100) + "百" + tail


def chapter(n: int) -> str:
    """First-level numbering: 一、"""
    return f"{cn_number(n)}、"


def section(n: int) -> str:
    """Second-level numbering: （一）"""
    return f"（{cn_number(n)}）"


def ordinal(n: int) -> str:
    """The 一是/二是 of an inline list."""
    return f"{cn_number(n)}是"


def by_when(day: dt.date) -> str:
    """A deadline as reports write it: 2027年7月底前, 2026年底前, 2026年3月15日前."""
    last = calendar.monthrange(day.year, day.month)[1]
    if day.month == 12 and day.day == 31:
        return f"{day.year}年底前"
    if day.day == last:
        return f"{day.year}年{day.month}月底前"
    return f"{day.year}年{day.month}月{day.day}日前"


def month_of(day: dt.date) -> str:
    """2026-03-15 -> 2026年3月."""
    return f"{day.year}年{day.month}月"


def end_stop(text: str) -> str:
    """The text as a sentence: trailing ；，, dropped, one 。 added when it has no end mark."""
    t = text.strip().rstrip("；;，,、 ")
    if not t:
        return ""
    closed = t[-1] in "。！？!?" or (t[-1] in "”）)" and len(t) > 1 and t[-2] in "。！？!?")
    return t if closed else t + "。"


def bare(text: str) -> str:
    """The text without its end mark, for 一是…；二是… lists."""
    return text.strip().rstrip("。；;，,.、 ")


def problem_status(p: ProblemRow, as_of: dt.date) -> str:
    """The closing sentence of a problem, as of a day."""
    if p.status is Status.CLOSED:
        return "该问题已完成整改，并已销号。"
    if p.status is Status.DONE:
        return "该问题已完成整改。"
    if p.status is Status.ONGOING and p.open_deadline is None:
        return "此项工作需长期坚持。"
    if rules.overdue(p.open_deadline, as_of):
        assert p.open_deadline is not None
        return f"该问题已超过整改时限（原计划{by_when(p.open_deadline)}完成），目前仍在整改。"
    start = "目前尚未启动整改" if p.status is Status.NOT_STARTED else "目前正在整改"
    if p.open_deadline is not None:
        return f"{start}，计划{by_when(p.open_deadline)}完成。"
    if p.status is Status.ONGOING or any(m.status is Status.ONGOING for m in p.measures):
        return f"{start}，此项工作需长期坚持。"
    return f"{start}，整改时限尚未明确。"


def is_alarm(p: ProblemRow, as_of: dt.date) -> bool:
    """Overdue: the sentence a reader must not miss (printed in bold)."""
    return rules.overdue(p.open_deadline, as_of)


def measure_status(m: MeasureRow, as_of: dt.date) -> str:
    """A measure's state in a short sentence."""
    if m.status is Status.CLOSED:
        return "已完成并销号。"
    if m.status is Status.DONE:
        return f"已于{month_of(m.done_on)}完成。" if m.done_on else "已完成。"
    if m.status is Status.ONGOING and m.deadline is None:
        return "需长期坚持。"
    if m.is_overdue(as_of):
        assert m.deadline is not None
        return f"已超过整改时限（原计划{by_when(m.deadline)}完成），仍在推进。"
    start = "尚未启动" if m.status is Status.NOT_STARTED else "正在推进"
    if m.deadline is not None:
        return f"{start}，计划{by_when(m.deadline)}完成。"
    return f"{start}。"


def notes_text(m: MeasureRow) -> str:
    """The measure's progress notes, oldest first: "2026年3月，…。2026年5月，…。"."""
    notes = sorted(m.notes, key=lambda n: (n.noted_on, n.id))
    return "".join(end_stop(f"{month_of(n.noted_on)}，{bare(n.text)}") for n in notes if n.text)


def measure_paragraph(i: int, m: MeasureRow, as_of: dt.date) -> str:
    """One measure of 整改措施及进展: "1.措施。进展。状态。"."""
    return f"{i}.{end_stop(m.text)}{notes_text(m)}{measure_status(m, as_of)}"


def inline_measures(p: ProblemRow) -> str:
    """整改情况：一是…；二是…。 (measures and their latest progress, as 巡察通报 write them)."""
    parts = []
    for i, m in enumerate(p.measures, start=1):
        text = bare(m.text)
        if m.latest_progress:
            text += f"，{bare(m.latest_progress)}"
        # A full stop or semicolon inside an item would end the 一是…；二是… list early.
        text = _INNER_STOPS.sub("，", text)
        parts.append(f"{ordinal(i)}{text}" if len(p.measures) > 1 else text)  # no lone 一是
    return "整改情况：" + ("；".join(parts) + "。" if parts else "暂无整改措施。")


def signature_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals (GB/T 9704-2012 7.3.5.2)."""
    return cn_date(day)
