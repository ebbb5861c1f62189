"""The whole parse: report text -> title, year, document number, problems and their measures.

How measures find their problems, most explicit first:
1. labels: 存在问题N：… followed by 整改情况：/整改措施：… (or both in one paragraph);
2. feedback items: 针对“…”的问题，… — the quoted text is the problem, what follows its measures;
3. a problem item carrying its own 整改措施：…;
4. a 整改措施 section whose item count equals the count of still-unpaired problems listed before
   it: paired in order. Otherwise its measures stay unassigned for the clerk to place.
Status: IN_PROGRESS when the report gives a 整改情况 (work already done), else NOT_STARTED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.domain import Status
from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.categories import guess_category
from tracker.report.items import is_closing, split_items
from tracker.report.model import ExtractedMeasure, ExtractedProblem, ExtractedReport
from tracker.report.normalize import Paragraph, paragraphs
from tracker.report.sections import Block, split_blocks
from tracker.report.tables import problems_from_tables

NO_SECTION = "未在文档中找到“存在问题”部分，没有识别出问题。"
EMPTY_SECTION = "文档中有“存在问题”部分，但没有从中识别出具体问题，请检查文档或手工录入。"
FAILED = "无法解析这份文档的文字，没有识别出问题。请另存为 .docx 或纯文本后重试，或手工录入。"

_NORM = re.compile(r"[\W_]+")
# Unquoted 针对…的问题 must name something, not point back ("针对上述问题").
_VAGUE = re.compile(r"(?:上述|以上|这些|此|存在|反馈|发现|督导|检查|评估|指出|有关|相关|该)")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,})[”\"」』]")
_TITLE_WORDS = re.compile(r"报告|意见|通报|通知|函|反馈|情况|台账|清单|总结|问题")
_TITLE_END = re.compile(r"(?:报告|意见|通报|通知|函|清单|台账|总结)$")
_SECTION_ROLES = (hd.PROBLEM, hd.MEASURE, hd.MIXED)
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年")
_EVALUATED_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年度?(?:履行|教育工作|工作)")
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s?[〔\[［【(（]\s?((?:19|20)[0-9]{2})\s?[〕\]］】)）]\s?第?\s?([0-9]{1,4})\s?号"
)
_HEAD_PARAGRAPHS = 12


@dataclass(slots=True)
class _Draft:
    """A problem while the parse still pairs measures with it."""

    description: str
    hint: str = ""
    measures: list[str] = field(default_factory=list)
    done: bool = False
    # A plain list item with no measure of its own: may take one from a later 整改措施 list.
    open_for_count: bool = True


@dataclass(slots=True)
class _Entry:
    """One 存在问题N label with what follows it, up to the next label."""

    numbered: bool
    problem: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    in_measures: bool = False
    done: bool = False

    def feed(self, text: str) -> None:
        """Add a paragraph; an inline 整改情况：… switches to measures."""
        if not self.in_measures:
            m = mk.MEASURE_LABEL_INLINE.search(text)
            if m:
                self.problem.append(text[: m.start()])
                self.start_measures(text[m.end():], bool(m.group(1)))
                return
            self.problem.append(text)
        else:
            self.measures.append(text)

    def start_measures(self, text: str, done: bool) -> None:
        """A measure label: what follows are measures."""
        self.in_measures = True
        self.done = self.done or done
        self.measures.append(text)


def _norm(text: str) -> str:
    """Text reduced to letters and digits, for matching a problem quoted elsewhere."""
    return _NORM.sub("", text)


def _problem_label(text: str, numbered_only: bool) -> re.Match[str] | None:
    """The 存在问题N： label opening ``text``, if any."""
    m = mk.PROBLEM_LABEL.match(text)
    if m is None or (numbered_only and not (m.group(1) or m.group(2))):
        return None
    return m


def _from_labels(texts: list[str], hint: str, numbered_only: bool) -> tuple[list[_Draft], list[str]] | None:
    """Problems (and their measures) from 存在问题N / 整改情况 labels; None without labels."""
    if not any(_problem_label(t, numbered_only) for t in texts):
        return None
    entries: list[_Entry] = []
    cur: _Entry | None = None
    for t in texts:
        m = _problem_label(t, numbered_only)
        if m:
            cur = _Entry(bool(m.group(1) or m.group(2)))
            entries.append(cur)
            cur.feed(t[m.end():])
            continue
        if cur is None or is_closing(t):
            continue  # the introduction before the first label, or a signature
        m2 = mk.MEASURE_LABEL.match(t)
        if m2 and mk.marker_at_start(t) is None:
            cur.start_measures(t[m2.end():], bool(m2.group(1)))
        else:
            cur.feed(t)
    drafts: list[_Draft] = []
    unassigned: list[str] = []
    for e in entries:
        if e.numbered:
            # The label numbers the problem: its text is one problem, even with 一是…二是… inside.
            descs = split_items(["\n".join(e.problem)], paragraph_items=False)
            descs = descs[:1] if descs else []
            if not descs:
                joined = "\n".join(p.strip() for p in e.problem if p.strip())
                descs = [joined] if joined else []
        else:
            descs = split_items(e.problem, paragraph_items=False)
        measures = split_items(e.measures, paragraph_items=False)
        if not descs:
            unassigned.extend(measures)
            continue
        if len(descs) == 1:
            drafts.append(_Draft(descs[0], hint, measures, e.done and bool(measures), not measures))
        elif len(descs) == len(measures):
            drafts.extend(_Draft(d, hint, [ms], e.done, False) for d, ms in zip(descs, measures))
        else:
            drafts.extend(_Draft(d, hint) for d in descs)
            unassigned.extend(measures)
    return drafts, unassigned


def _feedback(item: str) -> tuple[str, list[str]] | None:
    """(problem, measures) of a 针对“…”的问题，… item; None for any other item."""
    m = mk.FEEDBACK_ITEM.match(item)
    if not m:
        return None
    desc = (m.group(1) or "").strip()
    if not desc:
        desc = (m.group(2) or "").strip()
        quoted = _QUOTED.search(desc)
        if quoted:
            desc = quoted.group(1).strip()  # "督导反馈的“X”问题": the problem is X
        elif len(desc) < 4 or _VAGUE.match(desc):
            return None
        if not desc:
            return None
    rest = item[m.end():]
    return desc, split_items([rest], paragraph_items=False) if rest.strip() else []


def _problem_item(item: str, hint: str) -> _Draft:
    """A listed problem, split from a 整改措施：… it may carry."""
    fb = _feedback(item)
    if fb:
        return _Draft(fb[0], hint, fb[1], False, not fb[1])
    m = mk.MEASURE_LABEL_INLINE.search(item)
    if m and m.start() > 0:
        desc = item[: m.start()].strip()
        measures = split_items([item[m.end():]], paragraph_items=False)
        if desc:
            return _Draft(desc, hint, measures, bool(m.group(1)) and bool(measures), not measures)
    return _Draft(item, hint)


class _Collector:
    """Problems in document order, and measures waiting to be paired by count."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.unassigned: list[str] = []
        self._group_start = 0
        self._group_measures: list[str] = []
        self._measures_seen = False
        self._index: dict[str, _Draft] = {}

    def add_problems(self, drafts: list[_Draft]) -> None:
        """Problems listed after a measure section start a new pairing group."""
        if not drafts:
            return
        if self._measures_seen:
            self.close_group()
        for d in drafts:
            self.drafts.append(d)
            self._index.setdefault(_norm(d.description), d)

    def add_free_measures(self, measures: list[str]) -> None:
        """Measures from a 整改措施 section that name no problem."""
        self._measures_seen = True
        self._group_measures.extend(measures)

    def add_feedback(self, desc: str, measures: list[str], hint: str) -> None:
        """A 针对“…”的问题 item in a measure section: joins the problem it quotes, or is new."""
        self._measures_seen = True
        target = self._find(desc)
        if target is None:
            self.drafts.append(_Draft(desc, hint, list(measures), False, not measures))
            self._index.setdefault(_norm(desc), self.drafts[-1])
            return
        target.measures.extend(measures)
        target.open_for_count = target.open_for_count and not measures

    def _find(self, desc: str) -> _Draft | None:
        """The problem ``desc`` quotes: same text, or one containing the other."""
        key = _norm(desc)
        if key in self._index:
            return self._index[key]
        if len(key) < 4 or len(self.drafts) > 500:
            return None  # bounded work on huge inputs
        for d in self.drafts:
            other = _norm(d.description)
            if len(other) >= 4 and (key in other or other in key):
                return d
        return None

    def close_group(self) -> None:
        """Pair the group's free measures in order when the counts match, else leave them."""
        measures = self._group_measures
        if measures:
            pending = [d for d in self.drafts[self._group_start:] if d.open_for_count and not d.measures]
            if len(pending) == len(measures):
                for d, text in zip(pending, measures):
                    d.measures.append(text)
            else:
                self.unassigned.extend(measures)
        self._group_start = len(self.drafts)
        self._group_measures = []
        self._measures_seen = False


def _collect_block(block: Block, col: _Collector) -> None:
    """Read the problems and measures of one block into ``col``."""
    texts = block.texts()
    if not texts or block.role == hd.ANNEX:
        return
    labelled = _from_labels(texts, block.hint, numbered_only=not block.has_content_role)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    if block.role in (hd.PROBLEM, hd.MIXED):
        # A bare "整改措施：" line inside the section turns the rest of it into measures.
        cut = next((i for i, t in enumerate(texts) if i and _bare_measure_label(t)), len(texts))
        col.add_problems([_problem_item(item, block.hint) for item in split_items(texts[:cut])])
        if cut < len(texts):
            _collect_measures(texts[cut + 1:], block.hint, col)
    elif block.role == hd.MEASURE:
        _collect_measures(texts, block.hint, col)


def _bare_measure_label(text: str) -> bool:
    """A line that is only a measure label ("整改措施：")."""
    m = mk.MEASURE_LABEL.match(text)
    return m is not None and m.end() == len(text.rstrip())


def _collect_measures(texts: list[str], hint: str, col: _Collector) -> None:
    """Measures of a 整改措施 section: feedback items join their problem, the rest wait for pairing."""
    free: list[str] = []
    for item in split_items(texts):
        fb = _feedback(item)
        if fb:
            col.add_feedback(fb[0], fb[1], hint)
            continue
        label = mk.MEASURE_LABEL.match(item)
        text = item[label.end():].strip() if label else item
        if text:
            free.append(text)
    col.add_free_measures(free)


def _fallback(blocks: list[Block], col: _Collector) -> None:
    """No problem section: take labels and 针对“…”的问题 items wherever they stand."""
    texts = [t for b in blocks if b.role != hd.ANNEX for t in b.texts()]
    labelled = _from_labels(texts, "", numbered_only=False)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    drafts = []
    for t in texts:
        marker = mk.marker_at_start(t)
        fb = _feedback(t[marker.end:] if marker else t)
        if fb:
            drafts.append(_Draft(fb[0], "", fb[1], False, not fb[1]))
    col.add_problems(drafts)


def _title(paras: list[Paragraph]) -> str:
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


def _year(title: str, paras: list[Paragraph]) -> int | None:
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


def _doc_number(paras: list[Paragraph]) -> str:
    """The first document number (宁政教督办〔2022〕8号) cited before the first section."""
    for p in paras[:_HEAD_PARAGRAPHS]:
        if p.is_heading and hd.role_of(p.text):
            break
        m = _DOC_NUMBER.search(p.text[:5000])
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return ""


def _freeze(d: _Draft) -> ExtractedProblem:
    """The public, frozen form of a draft."""
    return ExtractedProblem(
        description=d.description.strip(),
        category=guess_category(d.description, _area(d)),
        status=Status.IN_PROGRESS if d.done and d.measures else Status.NOT_STARTED,
        measures=tuple(ExtractedMeasure(m.strip()) for m in d.measures if m.strip()),
    )


def _area(d: _Draft) -> str:
    """The area the report names for a problem: its own "X方面：" lead, else its sub-heading."""
    m = mk.AREA_LEAD.match(d.description)
    return m.group(1) if m else d.hint


def _parse(text: str) -> ExtractedReport:
    """The parse proper; may raise on a bug, which ``parse_report_text`` turns into a message."""
    paras = paragraphs(text)
    blocks = split_blocks(paras)
    col = _Collector()
    for block in blocks:
        _collect_block(block, col)
    col.close_group()
    if not col.drafts:
        _fallback(blocks, col)
        col.close_group()
    known = {_norm(d.description) for d in col.drafts}
    for tp in problems_from_tables(paras):
        if _norm(tp.description) not in known:
            col.drafts.append(_Draft(tp.description, tp.category_hint, tp.measures, False, False))
    problems = tuple(p for p in (_freeze(d) for d in col.drafts) if p.description)
    title = _title(paras)
    message = ""
    if not problems:
        has_section = any(b.role in (hd.PROBLEM, hd.MIXED) for b in blocks)
        message = EMPTY_SECTION if has_section else NO_SECTION
    return ExtractedReport(
        title=title,
        year=_year(title, paras),
        doc_number=_doc_number(paras),
        problems=problems,
        unassigned_measures=tuple(m.strip() for m in col.unassigned if m.strip()),
        message=message,
    )


def parse_report_text(text: str) -> ExtractedReport:
    """Problems and measures found in a report's text; never raises."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = ""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - a clerk gets a sentence, never a traceback
        return ExtractedReport("", None, "", (), (), FAILED)
    finally:
        hd.clear_caches()
