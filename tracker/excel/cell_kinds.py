"""What kind of value a ledger cell holds, whatever its column is called: a status word, a
yes/no mark, a percentage, a date, or a sentence; the status a sentence states; and measures
numbered inside one cell (1.…2.… or （1）…（2）…)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from tracker.domain import Status
from tracker.excel.cells import STATUS_WORDS, cell_text, strip_overdue

YES_NO: dict[str, Status] = {
    **{w: Status.DONE for w in ("是", "√", "✓", "✔", "已", "已完成", "完成", "Y", "YES")},
    **{w: Status.IN_PROGRESS for w in ("否", "×", "✗", "✘", "未", "未完成", "N", "NO")},
}
# Words a sentence may state its status with; the negated ones come first so that
# "尚未完成" is not read as "完成".
SENTENCE_WORDS: dict[str, Status] = {
    **{w: Status.IN_PROGRESS for w in ("尚未完成", "未完成", "基本完成", "部分完成", "正在", "推进中",
                                       "整改中", "进行中", "已启动", "有序推进", "稳步推进")},
    **{w: Status.NOT_STARTED for w in ("未启动", "尚未启动", "未开始", "未整改")},
    **{w: Status.ONGOING for w in ("长期坚持", "持续整改", "持续推进", "长期推进", "常态化")},
    **{w: Status.CLOSED for w in ("已销号",)},
    **{w: Status.DONE for w in ("已完成", "已整改", "整改完成", "已办结", "全部完成", "已落实",
                                "完成整改", "已建立", "已出台", "已制定", "已印发")},
}
_SENTENCE = re.compile("|".join(sorted(map(re.escape, SENTENCE_WORDS), key=len, reverse=True)))
_PERCENT_TEXT = re.compile(r"^\s*(?:完成|进度|已完成)?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]\s*$")
_NUMBERED = re.compile(r"[（(]\s*(\d{1,2})\s*[)）]|(?:^|(?<=[\s。；;，,]))(\d{1,2})\s*[.．、](?!\d)")
_DATE_TEXT = re.compile(r"^\s*\d{4}\s*(?:[年./-]\s*\d{1,2}\s*(?:[月./-]\s*\d{1,2}\s*[日号]?|月)?)?"
                        r"\s*(?:底|前|底前)*\s*$")

STATUS, YESNO, PERCENT, NUMBER, DATE, SENTENCE, EMPTY = (
    "status", "yesno", "percent", "number", "date", "sentence", "empty")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", strip_overdue(text).rstrip("。.！!")).upper()


def exact_status(text: str) -> Status | None:
    """The status a cell names as a whole word (已完成, 整改中, the app's five labels), else None."""
    key = _key(text)
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    try:
        return Status.from_label(key)
    except ValueError:
        return None


def yes_no_status(text: str) -> Status | None:
    """是/√/已 → 已完成, 否/×/未 → 整改中; None for anything else."""
    return YES_NO.get(_key(text))


@functools.lru_cache(maxsize=4096)
def sentence_status(text: str) -> Status | None:
    """The status a sentence states ("已完成××，形成制度" → 已完成); the first word found wins."""
    m = _SENTENCE.search(text)
    return SENTENCE_WORDS[m.group(0)] if m else None


def percent_of(value: Any) -> int | None:
    """A percentage cell as a whole number 0–100: 0.6 (shown 60 %), "30%", "完成60%"; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value) * 100 if 0 <= value <= 1 else float(value)
    else:
        m = _PERCENT_TEXT.match(cell_text(value))
        if not m:
            return None
        number = float(m.group(1))
    return round(number) if 0 <= number <= 100 else None


def status_for_percent(percent: int) -> Status:
    """100 % is done, 0 % not started, anything between in progress."""
    if percent >= 100:
        return Status.DONE
    return Status.NOT_STARTED if percent <= 0 else Status.IN_PROGRESS


def kind_of(value: Any) -> str:
    """The kind of value a cell holds (for telling what a column really is)."""
    if value is None:
        return EMPTY
    if isinstance(value, (dt.date, dt.datetime)):
        return DATE
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value <= 1:
            return PERCENT if isinstance(value, float) else NUMBER
        return DATE if value > 1900 else NUMBER
    text = cell_text(value).strip()
    if not text:
        return EMPTY
    if exact_status(text) is not None:
        return STATUS
    if yes_no_status(text) is not None:
        return YESNO
    if _PERCENT_TEXT.match(text):
        return PERCENT
    if _DATE_TEXT.match(text):
        return DATE
    return SENTENCE


def split_numbered(text: str) -> list[str]:
    """A measure cell numbering several measures ("1.核定编制；2.公开招聘") as separate texts,
    or [text] when it does not count 1, 2, … from its start."""
    marks = list(_NUMBERED.finditer(text))
    if len(marks) < 2 or marks[0].start() > 0 or text[:marks[0].start()].strip():
        return [text]
    numbers = [int(m.group(1) or m.group(2)) for m in marks]
    if numbers != list(range(1, len(numbers) + 1)):
        return [text]
    parts = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        part = text[m.end():end].strip().rstrip("；;，,").strip()
        if not part:
            return [text]
        parts.append(part)
    return parts
