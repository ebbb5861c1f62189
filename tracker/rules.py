"""The ledger's rules, each written once: overdue and due soon, the 三色预警 band, a source's
display name, what the search box matches, and what close-out (销号) needs.

Every caller (services, SQL filters, summary, Excel export, 催办单, the window) asks these
functions; tests/core/test_rules.py holds them to one answer across those places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tracker.domain import MeasureRow, SourceKind, Status
from tracker.text import search_text


# ------------------------------------------------------------------ overdue and due soon

def holds_deadline(status: Status, deadline: dt.date | None) -> bool:
    """Whether a measure's deadline can make it overdue: open, dated, and not 长期坚持
    (ongoing work is open by nature and never overdue, even with a date written beside)."""
    return status.is_open and status is not Status.ONGOING and deadline is not None


def measure_overdue(status: Status, deadline: dt.date | None, as_of: dt.date) -> bool:
    """A measure is overdue on ``as_of`` when its deadline holds and has passed."""
    return holds_deadline(status, deadline) and deadline is not None and deadline < as_of


def open_deadline_of(facts: Iterable[tuple[Status, dt.date | None]]) -> dt.date | None:
    """A problem's earliest deadline that still holds (stored as problem.open_deadline)."""
    dates = [d for s, d in facts if holds_deadline(s, d) and d is not None]
    return min(dates) if dates else None


def overdue(open_deadline: dt.date | None, as_of: dt.date) -> bool:
    """A problem is overdue when its earliest holding deadline is before ``as_of``."""
    return open_deadline is not None and open_deadline < as_of


def days_left(open_deadline: dt.date | None, as_of: dt.date) -> int | None:
    """Days from ``as_of`` to the earliest holding deadline (negative when overdue)."""
    return None if open_deadline is None else (open_deadline - as_of).days


def overdue_sql(open_deadline: Any, as_of: dt.date) -> Any:
    """overdue() as a SQL condition on the stored open_deadline column."""
    return open_deadline < as_of


def due_within_sql(open_deadline: Any, as_of: dt.date, days: int) -> Any:
    """Not overdue, and due within ``days`` of ``as_of``, as a SQL condition."""
    return (open_deadline >= as_of) & (open_deadline <= as_of + dt.timedelta(days=days))


class Band(Enum):
    """三色预警: the warning a problem shows; NONE for open items with no near deadline."""

    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    DONE = "done"
    CLOSED = "closed"
    NONE = "none"


def band(status: Status, open_deadline: dt.date | None, as_of: dt.date, soon_days: int,
         later_days: int) -> Band:
    """Red past the open deadline, amber within ``soon_days``, blue within ``later_days``,
    green when done, grey when closed out."""
    if status is Status.CLOSED:
        return Band.CLOSED
    if status is Status.DONE:
        return Band.DONE
    left = days_left(open_deadline, as_of)
    if left is None:
        return Band.NONE
    if left < 0:
        return Band.OVERDUE
    if left <= soon_days:
        return Band.SOON
    if left <= later_days:
        return Band.LATER
    return Band.NONE


# ------------------------------------------------------------------ names and search

def source_label(title: str | None, kind: str | SourceKind | None, year: int | None) -> str:
    """A source's display name: its title, else year and kind (2025年评估反馈)."""
    if title:
        return title
    if not kind:
        return ""
    return f"{year or ''}{SourceKind(kind).label}"


@dataclass(frozen=True)
class MeasureWords:
    """The words of one measure that search matches."""

    text: str
    owner: str
    co_units: str
    deadline_text: str
    lead_unit: str


def problem_search_text(description: str, goal: str, remarks: str, owner: str, leader: str,
                        co_units: str, lead_unit: str,
                        measures: Iterable[MeasureWords]) -> str:
    """What the search box matches for a problem: its own fields, its lead unit's name, and
    each measure's text, owner, co-units, deadline and unit. A rename of a unit rebuilds this."""
    parts = [description, goal, remarks, owner, leader, co_units, lead_unit]
    for m in measures:
        parts += [m.text, m.owner, m.co_units, m.deadline_text, m.lead_unit]
    return search_text(parts)


# ------------------------------------------------------------------ close-out (销号)

# The close-out note of a problem a hand-made ledger brought in already closed out.
IMPORTED_CLOSED = "导入时原台账已标为已销号（未在本台账核验）"


def closeout_refusal(statuses: Iterable[Status], verifier: str, on: dt.date | None,
                     today: dt.date, evidence: int | None = None,
                     needs_evidence: bool = False) -> str | None:
    """Why a problem cannot be closed out now (one Chinese sentence), or None when it can:
    every measure done (or 长期坚持, which is never finished), evidence attached when the
    ledger asks for it, a verifier named, and a close-out date no later than today."""
    states = list(statuses)
    if not states:
        return "该问题还没有整改措施，不能销号。"
    still_open = sum(1 for s in states if s in (Status.NOT_STARTED, Status.IN_PROGRESS))
    if still_open:
        return (f"还有 {still_open} 项措施未完成，不能销号。"
                "请先把措施标为“已完成”或“长期坚持”。")
    if needs_evidence and not evidence:
        return ("该问题还没有佐证材料，不能销号。请先上传佐证材料"
                "（本台账设置为销号须有佐证材料，可在首选项或 rectify config 中更改）。")
    if not verifier.strip():
        return "销号需要填写核验人。"
    if on is None:
        return "销号需要填写销号日期。"
    if on > today:
        return "销号日期不能晚于今天。"
    return None


# ------------------------------------------------------------------ extensions (延期)

def deadline_words(date: dt.date | None, text: str, day: dt.date | None = None) -> str:
    """整改时限 as the clerk typed it (年底前); a bare date as 2026年12月31日. With ``day`` (the
    date a document is dated), a relative text that would read as another date on that day
    (年底前 typed in 2025, printed in 2026) is written as its date instead."""
    cn = f"{date.year}年{date.month}月{date.day}日" if date is not None else ""
    if not text.strip():
        return cn
    if day is not None and date is not None and _reads_otherwise(text, date, day):
        return cn
    return text.strip()


def _reads_otherwise(text: str, date: dt.date, day: dt.date) -> bool:
    from tracker.deadlines import parse_deadline  # deadlines imports this module's neighbours
    from tracker.errors import DeadlineError

    try:
        return parse_deadline(text, day).date != date
    except DeadlineError:
        return False


def measure_deadline_words(m: MeasureRow, day: dt.date | None = None) -> str:
    """A measure's 整改时限 as every place prints it: with its original deadline once extended
    (and, with ``day``, as deadline_words says for a document dated that day)."""
    now = deadline_words(m.deadline, m.deadline_text, day)
    if not m.extended:
        return now
    return extended_words(now, deadline_words(m.original_deadline, m.original_deadline_text,
                                              day) or "未明确时限")


def extended_words(current: str, original: str) -> str:
    """How an extended deadline is written everywhere: 2027年3月底前（原定2026年12月底前，已延期）."""
    if not original or original == current:
        return current
    return f"{current}（原定{original}，已延期）"


def recheck_due(closed_on: dt.date | None, last_recheck: dt.date | None, today: dt.date,
                months: int) -> bool:
    """回头看 is due when a problem was closed out at least ``months`` months ago and has not
    been rechecked since its close-out."""
    if closed_on is None:
        return False
    if last_recheck is not None and last_recheck >= closed_on:
        return False
    return closed_on <= months_before(today, months)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    import calendar

    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def unit_subject(unit: str | None) -> str:
    """The summary sentence's subject when it speaks of one unit: `--unit` lists what the unit
    leads or co-operates on, so the sentence says both ("市教育局牵头或配合的共梳理问题…")."""
    return f"{unit}牵头或配合的" if unit else ""
