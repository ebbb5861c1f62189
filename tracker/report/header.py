"""A report's header facts: its title line, the evaluated year, the document number it cites."""

from __future__ import annotations

import re

from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.items import is_closing
from tracker.report.normalize import Paragraph

_TITLE_WORDS = re.compile(r"报告|意见|通报|通知|函|反馈|情况|台账|清单|总结|问题")
_TITLE_END = re.compile(r"(?:报告|意见|通报|通知|函|清单|台账|总结|方案|反馈)$")
_SECTION_ROLES = (hd.PROBLEM, hd.MEASURE, hd.MIXED)
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# PDF copies put spaces inside titles ("履行教育 职责"); Chinese never needs them.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年")
_EVALUATED_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年度?(?:履行|教育工作|工作)")
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s?[〔\[［【(（]\s?((?:19|20)[0-9]{2})\s?[〕\]］】)）]\s?第?\s?([0-9]{1,4})\s?号"
)
_HEAD_PARAGRAPHS = 12


def find_title(paras: list[Paragraph]) -> str:
    """The document's title line among its first paragraphs, spaces inside Chinese removed."""
    head = [p for p in paras[:_HEAD_PARAGRAPHS] if not p.table]
    candidates = [p for p in head if p.md_level == 1] + head
    for p in candidates:
        t = p.text.strip()
        if not (4 <= len(t) <= 100) or t.endswith(("：", ":", "。")) or is_closing(t) and len(t) < 8:
            continue
        if p.md_level != 1 and mk.marker_at_start(t) is not None:
            continue
        # "…问题整改情况的报告" is a title; a bare "存在问题" heading is not.
        if _TITLE_END.search(t) or (_TITLE_WORDS.search(t) and hd.role_of(t) not in _SECTION_ROLES):
            return _CJK_SPACE.sub("", t)
    return ""


def find_year(title: str, paras: list[Paragraph]) -> int | None:
    """The evaluated year: from the title, else "YYYY年履行…" in the opening lines, else any year there.

    A feedback letter opens with the year of the notice ("开展2022年…评价工作") before the year
    it evaluates ("对你县2021年履行教育职责情况"), hence the preference.
    """
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    opening = [p.text[:2000] for p in paras[:6]]
    for pattern in (_EVALUATED_YEAR, _YEAR):
        for text in opening:
            m = pattern.search(text)
            if m:
                return int(m.group(1))
    return None


def find_doc_number(paras: list[Paragraph]) -> str:
    """The first document number (宁政教督办〔2022〕8号) cited before the first section."""
    for p in paras[:_HEAD_PARAGRAPHS]:
        if p.is_heading and hd.role_of(p.text):
            break
        m = _DOC_NUMBER.search(p.text[:5000])
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return ""
