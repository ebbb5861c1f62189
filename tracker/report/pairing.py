"""Pairing measures with problems: 存在问题N/整改情况 labels, 针对“…”的问题 items, counts in order.

How measures find their problems, most explicit first:
1. labels: 存在问题N：… followed by 整改情况：/整改措施：… (or both in one paragraph);
2. feedback items: 针对“…”的问题，… — the quoted text is the problem, what follows its measures;
3. a problem item carrying its own 整改措施：…;
4. a 整改措施 section whose item count equals the count of still-unpaired problems listed before
   it: paired in order. Otherwise its measures stay unassigned for the clerk to place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.domain import Status
from tracker.report import facts as fx
from tracker.report import markers as mk
from tracker.report.items import is_closing, split_items
from tracker.report.shapes import measures_of

_NORM = re.compile(r"[\W_]+")
# Unquoted 针对…的问题 must name something, not point back ("针对上述问题").
_VAGUE = re.compile(r"(?:上述|以上|这些|此|存在|反馈|发现|督导|检查|评估|指出|有关|相关|该)")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,})[”\"」』]")


@dataclass(slots=True)
class Draft:
    """A problem while the parse still pairs measures with it."""

    description: str
    hint: str = ""
    measures: list[str] = field(default_factory=list)
    done: bool = False
    # A plain list item with no measure of its own: may take one from a later 整改措施 list.
    open_for_count: bool = True
    review: bool = False  # placed by a weak rule (pairing by count, a bare paragraph)
    # Facts (unit, deadline, status) per measure when the reading found them; else read from text.
    facts: list[fx.Facts] | None = None
    status: Status | None = None  # the problem's status as the text states it
    order: int = 0  # paragraph index, to keep document order across readings


@dataclass(slots=True)
class _Entry:
    """One 存在问题N label with what follows it, up to the next label."""

    numbered: bool
    problem: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    in_measures: bool = False
    done: bool = False
    has_fields: bool = False  # 责任单位：/整改时限： lines among the measures
    status: Status | None = None  # a status line (整改进展：已完成整改 / 该问题已完成整改)

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


def norm(text: str) -> str:
    """Text reduced to letters and digits, for matching a problem quoted elsewhere."""
    return _NORM.sub("", text)


def _problem_label(text: str, numbered_only: bool) -> re.Match[str] | None:
    """The 存在问题N： label opening ``text``, if any."""
    m = mk.PROBLEM_LABEL.match(text)
    if m is None or (numbered_only and not (m.group(1) or m.group(2))):
        return None
    return m


def from_labels(texts: list[str], hint: str, numbered_only: bool) -> tuple[list[Draft], list[str]] | None:
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
        if cur.in_measures and fx.is_field_line(t):
            cur.has_fields = True
            cur.status = fx.pull_facts(t).status or cur.status
            cur.measures.append(t)
            continue
        if cur.in_measures and fx.is_status_only(t):
            cur.status = fx.status_in(t) or cur.status
            continue
        m2 = mk.MEASURE_LABEL.match(t)
        if m2 and mk.marker_at_start(t) is None:
            cur.start_measures(t[m2.end():], bool(m2.group(1)))
        else:
            cur.feed(t)
    drafts: list[Draft] = []
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
        facts = None
        if e.has_fields:
            facts = measures_of([t for t in e.measures if t.strip()])
            measures = [f.text for f in facts]
        else:
            measures = split_items(e.measures, paragraph_items=False)
        if not descs:
            unassigned.extend(measures)
            continue
        if len(descs) == 1:
            drafts.append(Draft(descs[0], hint, measures, e.done and bool(measures), not measures,
                                facts=facts, status=e.status))
        elif len(descs) == len(measures):
            drafts.extend(Draft(d, hint, [ms], e.done, False) for d, ms in zip(descs, measures))
        else:
            drafts.extend(Draft(d, hint) for d in descs)
            unassigned.extend(measures)
    return drafts, unassigned


def feedback(item: str) -> tuple[str, list[str]] | None:
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


def problem_item(item: str, hint: str) -> Draft:
    """A listed problem, split from a 整改措施：… it may carry."""
    fb = feedback(item)
    if fb:
        return Draft(fb[0], hint, fb[1], False, not fb[1])
    m = mk.MEASURE_LABEL_INLINE.search(item)
    if m and m.start() > 0:
        desc = item[: m.start()].strip()
        measures = split_items([item[m.end():]], paragraph_items=False)
        if desc:
            return Draft(desc, hint, measures, bool(m.group(1)) and bool(measures), not measures)
    return Draft(item, hint)


class Collector:
    """Problems in document order, and measures waiting to be paired by count."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.unassigned: list[str] = []
        self._group_start = 0
        self._group_measures: list[str] = []
        self._measures_seen = False
        self._index: dict[str, Draft] = {}

    def add_problems(self, drafts: list[Draft]) -> None:
        """Problems listed after a measure section start a new pairing group."""
        if not drafts:
            return
        if self._measures_seen:
            self.close_group()
        for d in drafts:
            self.drafts.append(d)
            self._index.setdefault(norm(d.description), d)

    def add_free_measures(self, measures: list[str]) -> None:
        """Measures from a 整改措施 section that name no problem."""
        self._measures_seen = True
        self._group_measures.extend(measures)

    def add_feedback(self, desc: str, measures: list[str], hint: str) -> None:
        """A 针对“…”的问题 item in a measure section: joins the problem it quotes, or is new."""
        self._measures_seen = True
        target = self._find(desc)
        if target is None:
            self.drafts.append(Draft(desc, hint, list(measures), False, not measures))
            self._index.setdefault(norm(desc), self.drafts[-1])
            return
        target.measures.extend(measures)
        target.open_for_count = target.open_for_count and not measures

    def _find(self, desc: str) -> Draft | None:
        """The problem ``desc`` quotes: same text, or one containing the other."""
        key = norm(desc)
        if key in self._index:
            return self._index[key]
        if len(key) < 4 or len(self.drafts) > 500:
            return None  # bounded work on huge inputs
        for d in self.drafts:
            other = norm(d.description)
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
                    d.review = True  # paired by order only: the clerk checks it
            else:
                self.unassigned.extend(measures)
        self._group_start = len(self.drafts)
        self._group_measures = []
        self._measures_seen = False
