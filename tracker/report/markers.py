"""Enumeration markers ((一), 1., 一是, ① …) and the labels reports put before problems and measures.

Every pattern here is a bounded alternation or character class with no nested quantifiers, so
matching stays linear on hostile input (a 5 MB run of "一一一…" or "（（（…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_NUM = "一二三四五六七八九十百〇零两"
_CN = f"[{CN_NUM}]"
DIGITS = "0-9０-９"
_D = f"[{DIGITS}]"
_OPEN = "[（(]"
_CLOSE = "[）)]"

# Marker kinds, from the outermost a report usually uses to the innermost.
CHAPTER = "chapter"  # 第一部分 / 第一章
CN_DUN = "cn_dun"  # 一、
PAREN_CN = "paren_cn"  # （一） (一)
NUM = "num"  # 1. 1、 1．
PAREN_NUM = "paren_num"  # （1） (1) ⑴ 1）
CIRCLED = "circled"  # ① ②
SHI = "shi"  # 一是 二是
DI = "di"  # 第一， 第二，
BULLET = "bullet"  # • - *

# Characters after which an inline marker may start: sentence and clause ends, colons, spaces.
_SENTENCE_END = "。；;：:！!？?"
_CLAUSE_END = _SENTENCE_END + "，,、"

_CN_VALUES = {"〇": 0, "零": 0, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int:
    """Value of a small Chinese numeral (一 … 九十九); 0 when it is not one."""
    if not text:
        return 0
    if text.isdigit():
        try:
            return int(text)
        except ValueError:  # exotic Unicode digits that int() refuses
            return 0
    if "百" in text:
        return 0
    if "十" in text:
        head, _, tail = text.partition("十")
        if "十" in tail:
            return 0
        tens = _CN_VALUES.get(head, -1) if head else 1
        ones = _CN_VALUES.get(tail, -1) if tail else 0
        if tens < 0 or ones < 0:
            return 0
        return tens * 10 + ones
    if len(text) == 1:
        return _CN_VALUES.get(text, 0)
    return 0


def _circled_value(ch: str) -> int:
    """① … ⑳ -> 1 … 20; ⑴ … ⒇ -> 1 … 20."""
    code = ord(ch)
    if 0x2460 <= code <= 0x2473:
        return code - 0x2460 + 1
    if 0x2474 <= code <= 0x2487:
        return code - 0x2474 + 1
    return 0


@dataclass(frozen=True, slots=True)
class Marker:
    """An enumeration marker found in text: its kind, number and span (end = where content starts)."""

    kind: str
    number: int
    start: int
    end: int


# At the start of a paragraph (after stripping), the marker and what it means.
_START_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CHAPTER, re.compile(rf"第({_CN}{{1,3}}|{_D}{{1,2}})(?:部分|章|节)[、，,：:.．\s]*")),
    (PAREN_CN, re.compile(rf"{_OPEN}\s?({_CN}{{1,3}})\s?{_CLOSE}[、.．]?\s*")),
    (CN_DUN, re.compile(rf"({_CN}{{1,3}})\s?[、．.](?![{DIGITS}])\s*")),
    (SHI, re.compile(rf"({_CN}{{1,3}})是(?![否非])\s*")),
    (DI, re.compile(rf"第({_CN}{{1,3}})\s?[，,、：:]\s*")),
    (PAREN_NUM, re.compile(rf"(?:{_OPEN}\s?({_D}{{1,2}})\s?{_CLOSE}|({_D}{{1,2}})[）)]|([⑴-⒇]))[、.．]?\s*")),
    (NUM, re.compile(rf"({_D}{{1,2}})\s?[.．、](?![{DIGITS}])\s*")),
    (CIRCLED, re.compile(r"([①-⑳])[、.．]?\s*")),
    (BULLET, re.compile(r"(?:[•●▪◆■◇□]\s*|[-*·]\s+)")),
)

# Inline markers: the same kinds found mid-paragraph, each only after a clause or sentence end.
_INLINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (SHI, re.compile(rf"(?<![^{_CLAUSE_END}\s“”\"])({_CN}{{1,3}})是(?![否非])\s*")),
    (CIRCLED, re.compile(r"([①-⑳])[、.．]?\s*")),
    (PAREN_CN, re.compile(rf"(?<![^{_CLAUSE_END}\s])(?:{_OPEN}\s?({_CN}{{1,3}})\s?{_CLOSE})[、.．]?\s*")),
    (PAREN_NUM, re.compile(rf"(?<![^{_CLAUSE_END}\s])(?:{_OPEN}\s?({_D}{{1,2}})\s?{_CLOSE}|([⑴-⒇]))\s*")),
    (NUM, re.compile(rf"(?<![^{_SENTENCE_END}\s])({_D}{{1,2}})\s?[.．、](?![{DIGITS}])\s*")),
    (DI, re.compile(rf"(?<![^{_CLAUSE_END}\s])第({_CN}{{1,3}})\s?[，,、：:]\s*")),
)

INLINE_KINDS = tuple(kind for kind, _ in _INLINE_PATTERNS)


def _number(kind: str, m: re.Match[str]) -> int:
    """The marker's number from whichever group matched."""
    if kind == BULLET:
        return 0
    for group in m.groups():
        if group:
            circled = _circled_value(group) if len(group) == 1 else 0
            return circled or cn_to_int(group)
    return 0


# Every start pattern begins with one of these; anything else is rejected without a regex.
_FIRST_CHARS = frozenset(CN_NUM + "第（(" + "0123456789０１２３４５６７８９" + "•●▪◆■◇□-*·") | frozenset(
    chr(c) for c in range(0x2460, 0x2488)
)


@lru_cache(maxsize=None)
def marker_at_start(text: str) -> Marker | None:
    """The enumeration marker that opens ``text``, if any (cached: asked often per paragraph)."""
    if not text or text[0] not in _FIRST_CHARS:
        return None
    for kind, pattern in _START_PATTERNS:
        m = pattern.match(text)
        if m:
            number = _number(kind, m)
            if kind != BULLET and number <= 0:
                continue
            if m.end() >= len(text) and kind not in (CHAPTER, CN_DUN, PAREN_CN):
                # A bare "1." or "一是" with nothing after it is not an item.
                continue
            return Marker(kind, number, 0, m.end())
    return None


# A character each inline kind needs: most paragraphs lack it, and a substring test is cheap.
_NEEDS: dict[str, str] = {SHI: "是", PAREN_CN: "（(", NUM: ".．、", DI: "第"}


def inline_markers(text: str, kind: str) -> list[Marker]:
    """Every place in ``text`` where a marker of ``kind`` could start an item."""
    needs = _NEEDS.get(kind)
    if needs is not None and not any(c in text for c in needs):
        return []
    for k, pattern in _INLINE_PATTERNS:
        if k == kind:
            found = []
            for m in pattern.finditer(text):
                number = _number(kind, m)
                if number > 0:
                    found.append(Marker(kind, number, m.start(), m.end()))
            return found
    return []


# ---------------------------------------------------------------- labels

# "存在问题 1:", "问题一：", "问题（2）." — a number, or a colon, must follow so "问题导向" is not a label.
_LABEL_NUM = f"(?:{_D}{{1,2}}|{_CN}{{1,3}})"
PROBLEM_LABEL = re.compile(
    rf"(?:存在的?问题|反馈问题|问题)\s?"
    rf"(?:{_OPEN}\s?({_LABEL_NUM})\s?{_CLOSE}[：:.．、]?|({_LABEL_NUM})\s?[：:.．、\s]|[：:])\s*"
)
# Measure labels; the first group tells whether it reports work done (整改情况) or plans it.
_DONE_LABELS = "整改情况|整改落实情况|整改完成情况|整改进展情况|整改进展|整改结果|落实情况|完成情况"
_PLAN_LABELS = (
    "整改措施|整改举措|改进措施|改进举措|下步措施|下一步措施|下步整改措施|下一步整改措施|落实措施|"
    "整改方向|整改建议|整改要求|整改意见|意见建议|措施建议|措施"
)
MEASURE_LABEL = re.compile(rf"(?:({_DONE_LABELS})|{_PLAN_LABELS})\s?(?:{_D}{{1,2}})?\s?[：:]\s*")
# The same labels in the middle of a paragraph, right after a sentence ends.
MEASURE_LABEL_INLINE = re.compile(
    rf"(?<=[。；;！!？?\s])(?:({_DONE_LABELS})|{_PLAN_LABELS})\s?(?:{_D}{{1,2}})?\s?[：:]\s*"
)

# 针对“…”的问题 (feedback letters): the quoted problem, then what to do about it.
FEEDBACK_ITEM = re.compile(
    r"针对\s?(?:[“\"'‘「『《]([^”\"'’」』》\n]{1,300})[”\"'’」』》]|([^，,。；;：:\n]{2,60}?))"
    r"\s?(?:等|方面|这一|这个|此类|的|之)*\s?问题[，,：:。；;]?\s*"
)

# "深化职业教育方面:" / "（一）党的领导方面。" opening an item: the area the problem belongs to.
AREA_LEAD = re.compile(r"([^，,。；;：:\n]{2,24}?)方面(?:的?问题)?\s?[：:。]")

# Lead-ins after which one sentence lists several items separated by ；.
LIST_LEAD_IN = re.compile(
    r"(?:主要是|主要有|主要表现在|主要表现为|具体表现为|具体表现在|表现为|表现在|主要体现在|体现在|具体是|具体有"
    r"|(?<![^，,。；;：:\s])(?:例如|比如|如))\s?[：:，,]\s*"
)
