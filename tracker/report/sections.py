"""Cut a report into blocks (a heading and the paragraphs under it) and tell what each holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.normalize import Paragraph

# Marker kinds that a list item and a short title share: such a "heading" among list items of
# the same kind is an item ("1、教师队伍结构不合理" between "2、…" paragraphs).
_ITEM_KINDS = frozenset({mk.CN_DUN, mk.PAREN_CN, mk.NUM, mk.PAREN_NUM, mk.CIRCLED})
_CONTENT_ROLES = frozenset({hd.PROBLEM, hd.MEASURE, hd.MIXED})


@dataclass(slots=True)
class Block:
    """A heading (or the text before the first one) and the paragraphs up to the next heading."""

    heading: str
    level: int
    role: str  # headings.PROBLEM / MEASURE / MIXED / OTHER / ANNEX, or "" when nothing says
    hint: str = ""  # the area a sub-heading names inside a problem section ("（一）教师队伍方面")
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def has_content_role(self) -> bool:
        """Whether the block lists problems or measures."""
        return self.role in _CONTENT_ROLES

    def texts(self) -> list[str]:
        """The body paragraphs that are not table rows."""
        return [p.text for p in self.paragraphs if not p.table]


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


def _demote_list_items(paras: list[Paragraph], flags: list[bool]) -> list[bool]:
    """Short numbered lines with nothing under them are list items, not headings."""
    levels = [hd.level_of(p.text, p.md_level) if f else 0 for p, f in zip(paras, flags)]
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


def split_blocks(paras: list[Paragraph]) -> list[Block]:
    """Blocks in document order; a sub-heading without keywords inherits its section's role."""
    paras, flags = _expand_inline_headings(paras)
    flags = _demote_list_items(paras, flags)
    blocks: list[Block] = [Block("", 99, "")]
    stack: list[tuple[int, str]] = []  # (level, role) of the open headings
    in_annex = False
    for p, is_heading in zip(paras, flags):
        if not is_heading:
            blocks[-1].paragraphs.append(p)
            continue
        level = hd.level_of(p.text, p.md_level)
        while stack and stack[-1][0] >= level:
            stack.pop()
        own = hd.role_of(p.text)
        hint = ""
        if in_annex or own == hd.ANNEX:
            # Nothing after 附件 is a problem of the report (the indicator table lives there).
            in_annex = True
            role = hd.ANNEX
        elif own:
            role = own
        else:
            role = stack[-1][1] if stack else ""
            if role in _CONTENT_ROLES:
                hint = p.text
        stack.append((level, role))
        blocks.append(Block(p.text, level, role, hint))
    return [b for b in blocks if b.heading or b.paragraphs]
