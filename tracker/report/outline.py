"""The outline of a report, read first for every document: a tree of headings and items.

Paragraphs nest by their numbering (第一部分 > 一、 > （一） > 1. > （1） > ① > 一是/第一); a plain
paragraph belongs to the item above it. Besides the tree, the outline tells for every paragraph
whether it opens a section (a heading), which section it stands in (存在问题 / 整改措施 / 成效 …,
by the headings above it) and what kind of line it is (``classify``: notes, contact lines, dates
and signatures are never items). Every reading after it works from this outline:
``shapes`` finds the problem items the tree shows, ``sections`` hands the rest to the pairing by
section, ``tables`` reads the table rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.report import classify as cl
from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.normalize import Paragraph

# A line that is only a measure label, colon or not ("整改措施及进展", "整改情况：").
LABEL_LINE = re.compile(
    r"(?:具体)?(?:整改措施及(?:进展|成效|落实情况)|整改措施|整改情况|整改举措|整改进展情况|整改落实情况|落实情况|"
    r"改进措施|整改进展及成效|主要措施|采取措施|整改建议|整改意见|整改要求)\s?[：:]?"
)
# "一、2023年…" : the marker pattern refuses a digit after 一、 (to spare "一.5"), a heading allows it.
_CN_DUN_YEAR = re.compile(r"[一二三四五六七八九十]{1,3}、(?=[0-9０-９]{4})")
_CN_DIGIT_FIRST = frozenset("一二三四五六七八九十")
_LEVEL_KINDS = {mk.SHI: 13, mk.DI: 13, mk.BULLET: 14}
# Marker kinds that a list item and a short title share: such a "heading" among list items of
# the same kind is an item ("1、教师队伍结构不合理" between "2、…" paragraphs).
_ITEM_KINDS = frozenset({mk.CN_DUN, mk.PAREN_CN, mk.NUM, mk.PAREN_NUM, mk.CIRCLED})
CONTENT_ROLES = frozenset({hd.PROBLEM, hd.MEASURE, hd.MIXED})


@dataclass(slots=True)
class Node:
    """One numbered item (or the root) with the paragraphs and items under it."""

    text: str  # the item's text after its marker
    level: int
    index: int  # paragraph index, -1 for the root
    role: str = ""  # the section role in force here
    body: list[int] = field(default_factory=list)  # plain paragraphs right under it
    children: list[Node] = field(default_factory=list)
    end: int = 0  # one past the last paragraph of its subtree (subtrees are contiguous)


@dataclass(slots=True)
class Outline:
    """The tree, and per paragraph: heading or not, the section it stands in, its line kind."""

    paras: list[Paragraph]
    root: Node
    heading: list[bool]
    level: list[int]  # a heading's depth (headings.level_of), 0 for any other line
    section: list[str]  # headings.PROBLEM / MEASURE / MIXED / OTHER / ANNEX / "" in force here
    hint: list[str]  # the area sub-heading in force inside a section of problems or measures
    kind: list[str]  # classify.TITLE / NOTE / CONTACT / DATE / SIGNATURE, or "" for a possible item
    tables: list[list[list[str]]]  # runs of consecutive table rows, each row split into cells

    def item_lines(self, skip: set[int]) -> list[int]:
        """Indexes of the paragraphs a reading may take as items, in order."""
        return [i for i, k in enumerate(self.kind) if not k and i not in skip]


def _level(p: Paragraph) -> int:
    """Depth of a paragraph as an item; 0 for a plain paragraph."""
    if p.table:
        return 0
    m = mk.marker_at_start(p.text)
    if len(p.text) <= 16 and LABEL_LINE.fullmatch(p.text.strip()):
        return 0
    if m is not None:
        # A marker never opens an annex line, so its kind alone gives the depth.
        return _LEVEL_KINDS.get(m.kind) or hd.LEVEL_BY_KIND.get(m.kind) or hd.UNNUMBERED_LEVEL
    if p.text[:1] in _CN_DIGIT_FIRST and _CN_DUN_YEAR.match(p.text):
        return hd.LEVEL_BY_KIND[mk.CN_DUN]
    if p.md_level:
        return p.md_level
    if p.is_heading and hd.role_of(p.text):
        return hd.UNNUMBERED_LEVEL
    return 0


def build(paras: list[Paragraph], kinds: list[str] | None = None) -> Node:
    """The tree of ``paras`` by numbering (table rows and notes stand outside it; a line
    ``kinds`` marks, such as the title, is a plain paragraph, never a node)."""
    root = Node("", 0, -1)
    stack = [root]
    for i, p in enumerate(paras):
        kind = kinds[i] if kinds is not None else (cl.NOTE if cl.is_note(p.text) else "")
        if p.table or kind == cl.NOTE:
            continue
        level = 0 if kind else _level(p)
        if not level:
            stack[-1].body.append(i)
            continue
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop().end = i
        m = mk.marker_at_start(p.text)  # cached: asked in _level already
        text = p.text[m.end:] if m else p.text
        own = hd.role_of(text) if len(text) <= 40 else ""
        node = Node(text.strip(), level, i, own or stack[-1].role)
        stack[-1].children.append(node)
        stack.append(node)
    for node in stack:
        node.end = len(paras)
    return root


def read(paras: list[Paragraph]) -> Outline:
    """The outline of a document: inline headings split off, the tree, sections and line kinds."""
    paras, flags = _expand_inline_headings(paras)
    kinds = cl.line_kinds([p.text for p in paras], [p.table for p in paras])
    # The title names the document ("…反馈问题整改方案"), not a section of it.
    flags = [f and k != cl.TITLE for f, k in zip(flags, kinds)]
    levels = [hd.level_of(p.text, p.md_level) if f else 0 for p, f in zip(paras, flags)]
    flags = _demote_list_items(paras, flags, levels)
    levels = [lv if f else 0 for lv, f in zip(levels, flags)]
    section, hint = _sections(paras, flags, levels)
    return Outline(paras, build(paras, kinds), flags, levels, section, hint, kinds, _tables(paras))


def _tables(paras: list[Paragraph]) -> list[list[list[str]]]:
    """Runs of consecutive table rows, each row split into cells."""
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    for p in paras:
        if p.table:
            current.append(p.text.split("\t"))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _expand_inline_headings(paras: list[Paragraph]) -> tuple[list[Paragraph], list[bool]]:
    """Split "三、存在的问题。一是…" into its heading and its body; flag every heading."""
    out: list[Paragraph] = []
    flags: list[bool] = []
    for p in paras:
        if not p.table and not p.is_heading:
            split = hd.split_inline_heading(p.text)
            if split:
                out.append(Paragraph(split[0], p.md_level, False, False))
                flags.append(True)
                out.append(Paragraph(split[1], 0, False, False))
                flags.append(False)
                continue
        out.append(p)
        flags.append(p.is_heading)
    return out, flags


def _demote_list_items(paras: list[Paragraph], flags: list[bool], levels: list[int]) -> list[bool]:
    """Short numbered lines with nothing under them are list items, not headings."""
    kinds = [k.kind if (k := mk.marker_at_start(p.text)) else "" for p in paras]
    # Headings that name their section (or open the annex) always stay headings.
    keyword = [
        f and (hd.is_annex(p.text) or hd.role_of(p.text) in (hd.PROBLEM, hd.MEASURE, hd.MIXED, hd.OTHER))
        for p, f in zip(paras, flags)
    ]
    out = list(flags)
    n = len(paras)
    for i in range(n):
        if not flags[i] or keyword[i]:
            continue
        empty = i + 1 >= n or (flags[i + 1] and levels[i + 1] <= levels[i])
        kind = kinds[i]
        among_items = kind in _ITEM_KINDS and (
            (i + 1 < n and kinds[i + 1] == kind and not keyword[i + 1])
            or (i > 0 and kinds[i - 1] == kind and not keyword[i - 1])
        )
        if empty or among_items:
            out[i] = False
    return out


def _sections(paras: list[Paragraph], flags: list[bool], levels: list[int]) -> tuple[list[str], list[str]]:
    """The section role and area hint in force at each paragraph; a sub-heading without keywords
    inherits its section's role, and nothing after 附件 is a problem of the report."""
    section: list[str] = []
    hints: list[str] = []
    stack: list[tuple[int, str]] = []  # (level, role) of the open headings
    role, hint, in_annex = "", "", False
    for p, is_heading, level in zip(paras, flags, levels):
        if is_heading:
            while stack and stack[-1][0] >= level:
                stack.pop()
            own = hd.role_of(p.text)
            hint = ""
            if in_annex or own == hd.ANNEX:
                in_annex = True
                role = hd.ANNEX
            elif own:
                role = own
            else:
                role = stack[-1][1] if stack else ""
                if role in CONTENT_ROLES:
                    hint = p.text
            stack.append((level, role))
        section.append(role)
        hints.append(hint)
    return section, hints
