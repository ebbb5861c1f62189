"""Section headings: which lines are headings, how deep they sit, and what their section holds."""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.report import markers as mk

PROBLEM = "problem"
MEASURE = "measure"
MIXED = "mixed"
OTHER = "other"
ANNEX = "annex"

# Headings of a problem section. Matched as substrings of a short heading, never of body text.
PROBLEM_KEYWORDS: tuple[str, ...] = (
    "存在问题", "存在的问题", "存在的主要问题", "存在主要问题", "主要问题", "突出问题", "问题和不足",
    "问题与不足", "问题及不足", "不足和问题", "问题和困难", "困难和问题", "问题与困难", "不足之处",
    "存在的不足", "存在不足", "自查问题", "反馈问题", "反馈的问题", "发现的问题", "发现问题",
    "问题清单", "问题及原因", "问题和短板", "短板和不足", "薄弱环节", "差距和不足", "不足与差距",
    "存在的短板", "短板弱项", "短板和弱项", "问题短板",
)
# A heading that is nothing but one of these words also opens a problem section.
PROBLEM_WORDS: frozenset[str] = frozenset({"问题", "不足", "主要不足", "问题清单"})
MEASURE_KEYWORDS: tuple[str, ...] = (
    "整改情况", "整改措施", "整改举措", "改进措施", "改进举措", "整改落实", "下步整改", "下一步整改",
    "下一步工作", "下步工作", "下一步打算", "下步打算", "下一步措施", "下步措施", "工作打算", "今后打算",
    "努力方向", "整改方向", "改进方向", "整改建议", "意见建议", "工作建议", "整改意见", "整改要求",
    "对策建议", "措施建议", "对策措施", "工作思路", "下一步计划", "下步计划", "工作计划",
)
# Sections that must not inherit a problem role from a heading above them.
OTHER_KEYWORDS: tuple[str, ...] = (
    "成效", "做法", "经验", "亮点", "基本情况", "自查情况", "自评情况", "工作开展", "主要工作", "评价结果",
    "总体评价", "工作情况", "完成情况", "得分", "评分",
)

_PROBLEM_RE = re.compile("|".join(PROBLEM_KEYWORDS))
_MEASURE_RE = re.compile("|".join(MEASURE_KEYWORDS))
_OTHER_RE = re.compile("|".join(OTHER_KEYWORDS))
_ROLE_TRIM = re.compile(r"[\s*#“”\"'‘’、，,。.．：:；;（）()\[\]【】《》]+")
# "着力解决存在的问题" is work done, not a section of problems.
_SOLVING = re.compile(r"解决|破解|化解|研究|针对|聚焦|梳理|查找|推动|着力|加强")
_INNER_STOP = re.compile(r"[。；;！!？?]")
_INNER_COLON = re.compile(r"[：:]")
_COMMA = re.compile(r"[，,、]")
# A heading written inline: "三、存在的问题。一是…" / "（二）下一步打算：…".
_INLINE_CLAUSE = re.compile(r"([^。；;：:！!？?\n]{1,24})[。：:]\s*")
_YEAR = re.compile(rf"[{mk.DIGITS}]{{4}}\s?年度?")

LEVEL_BY_KIND = {
    mk.CHAPTER: 7,
    mk.CN_DUN: 8,
    mk.PAREN_CN: 9,
    mk.NUM: 10,
    mk.PAREN_NUM: 11,
    mk.CIRCLED: 12,
}
# Unnumbered headings sit with the 一、 chapters: a bare "存在问题" line is a section of its own.
UNNUMBERED_LEVEL = 8
ANNEX_LEVEL = 0


def _core(text: str) -> str:
    """Heading text without its number, years, spaces and punctuation, for keyword tests."""
    m = mk.marker_at_start(text)
    body = text[m.end:] if m else text
    return _ROLE_TRIM.sub("", _YEAR.sub("", body))


def is_annex(text: str) -> bool:
    """A line that opens the annexes (附件 / 附表), after which nothing is a problem."""
    t = text.lstrip("#* ")
    return t.startswith(("附件", "附表", "附：", "附:")) and len(t) <= 80


@lru_cache(maxsize=None)
def role_of(text: str) -> str:
    """What a heading's section holds: PROBLEM, MEASURE, MIXED (both), OTHER, or "" (no keyword)."""
    core = _core(text)
    if not core:
        return ""
    if is_annex(text):
        return ANNEX
    has_problem = core in PROBLEM_WORDS or bool(_PROBLEM_RE.search(core) and not _SOLVING.search(core))
    has_measure = bool(_MEASURE_RE.search(core))
    if has_problem and has_measure:
        return MIXED
    if has_problem:
        return PROBLEM
    if has_measure:
        return MEASURE
    if _OTHER_RE.search(core):
        return OTHER
    return ""


def is_label(text: str) -> bool:
    """A 存在问题N / 整改情况： label line: a label, never a heading."""
    m = mk.PROBLEM_LABEL.match(text)
    if m and (m.group(1) or m.group(2) or m.end() < len(text)):
        return True
    m2 = mk.MEASURE_LABEL.match(text)
    return bool(m2) and mk.marker_at_start(text) is None


@lru_cache(maxsize=None)
def is_heading(text: str, md_level: int, bold: bool) -> bool:
    """Whether a paragraph is a heading (markdown #, a whole bold line, or a short numbered title)."""
    if not text:
        return False
    if is_annex(text):
        return True
    if is_label(text):
        return False
    if md_level > 0:
        return True
    if len(text) > 40:
        return False
    if _INNER_STOP.search(text[:-1]) or text[-1] in "，,、；;？?":
        return False
    if bold:
        return True
    if _INNER_COLON.search(text[:-1]):
        return False  # "1.深化职业教育方面:…" is an item with a lead, not a title
    if text[-1] in "。." and role_of(text) not in (PROBLEM, MEASURE, MIXED):
        return False  # "1.学位不足。" is a sentence: a short item, not a title
    marker = mk.marker_at_start(text)
    if marker is not None and marker.kind in LEVEL_BY_KIND:
        return True
    # An unnumbered line is a heading only when it is little more than the keyword itself.
    return len(text) <= 20 and not _COMMA.search(text) and role_of(text) in (PROBLEM, MEASURE, MIXED)


def level_of(text: str, md_level: int) -> int:
    """Depth of a heading: markdown levels 1-6 first, then 第一部分 < 一、 < （一） < 1. < （1）."""
    if is_annex(text):
        return ANNEX_LEVEL
    if md_level > 0:
        return md_level
    marker = mk.marker_at_start(text)
    if marker is not None and marker.kind in LEVEL_BY_KIND:
        return LEVEL_BY_KIND[marker.kind]
    return UNNUMBERED_LEVEL


def split_inline_heading(text: str) -> tuple[str, str] | None:
    """("三、存在的问题", "一是…") when a paragraph opens with a keyword heading and goes on."""
    marker = mk.marker_at_start(text)
    start = marker.end if marker else 0
    m = _INLINE_CLAUSE.match(text, start)
    if not m or m.end() >= len(text):
        return None
    clause = m.group(1)
    if role_of(clause) not in (PROBLEM, MEASURE, MIXED):
        return None
    # "存在问题1：…" is a label; "问题：" alone too short to be sure it is a heading.
    if is_label(text[start:]):
        return None
    return text[: m.start(1)] + clause, text[m.end():]


def clear_caches() -> None:
    """Forget the per-text answers memoised during one parse (they only pay off within it)."""
    mk.marker_at_start.cache_clear()
    role_of.cache_clear()
    is_heading.cache_clear()
