"""The reading by section: the outline's sections as blocks (a heading and the lines under it),
and the problems and measures each block lists, handed to the pairing.

The outline has decided which paragraphs are headings, which section each stands in and which
lines are never items; a block gathers the lines of one heading that no outline shape took.
A block of problems gives its items (``items``) as problems; a block of measures gives measures
that join the problem they quote (针对“…”的问题) or wait to be paired by order (``pairing``);
labels (存在问题N / 整改情况) are read in any block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.classify import is_closing_line
from tracker.report.items import split_items
from tracker.report.normalize import Paragraph
from tracker.report.outline import CONTENT_ROLES, Outline
from tracker.report.pairing import Collector, Draft, feedback, from_labels, norm, problem_item


@dataclass(slots=True)
class Block:
    """A heading (or the text before the first one) and the paragraphs up to the next heading."""

    heading: str
    level: int
    role: str  # headings.PROBLEM / MEASURE / MIXED / OTHER / ANNEX, or "" when nothing says
    hint: str = ""  # the area a sub-heading names inside a problem section ("（一）教师队伍方面")
    paragraphs: list[Paragraph] = field(default_factory=list)
    start: int = -1  # paragraph index of the heading (or of the first line)
    indexes: list[int] = field(default_factory=list)  # paragraph index of each of ``paragraphs``

    @property
    def has_content_role(self) -> bool:
        """Whether the block lists problems or measures."""
        return self.role in CONTENT_ROLES

    def texts(self) -> list[str]:
        """The body paragraphs that are not table rows."""
        return [p.text for p in self.paragraphs if not p.table]


def blocks(outline: Outline, skip: set[int]) -> list[Block]:
    """Blocks in document order over the lines not in ``skip`` and not marked by ``classify``."""
    out: list[Block] = [Block("", 99, "")]
    for i in outline.item_lines(skip):
        p = outline.paras[i]
        if not outline.heading[i]:
            if out[-1].start < 0:
                out[-1].start = i
            out[-1].paragraphs.append(p)
            out[-1].indexes.append(i)
            continue
        out.append(Block(p.text, outline.level[i], outline.section[i], outline.hint[i], start=i))
    return [b for b in out if b.heading or b.paragraphs]


def has_problem_section(found: list[Block]) -> bool:
    """Whether any block is a section of problems (for the message when none was read)."""
    return any(b.role in (hd.PROBLEM, hd.MIXED) for b in found)


def read_blocks(found: list[Block]) -> Collector:
    """The problems and measures of every block, paired where the blocks allow; with no section
    of problems, labels and 针对“…”的问题 items wherever they stand."""
    col = Collector()
    for block in found:
        before = len(col.drafts)
        _collect_block(block, col)
        _place(col.drafts[before:], [(i, p.text) for i, p in zip(block.indexes, block.paragraphs)], block.start)
    col.close_group()
    if not col.drafts:
        _fallback(found, col)
        lines = [(i, p.text) for b in found for i, p in zip(b.indexes, b.paragraphs)]
        _place(col.drafts, lines, lines[0][0] if lines else 0)
        col.close_group()
    return col


_WINDOW = 40  # paragraphs searched ahead for a draft's text: drafts come in document order


def _place(drafts: list[Draft], lines: list[tuple[int, str]], start: int) -> None:
    """Give each draft the index of the paragraph its text comes from, so items read by
    section and items read from the tree merge in document order."""
    if not drafts:
        return
    keys: dict[int, str] = {}  # normalised lazily: only the lines a window reaches

    def key_at(k: int) -> str:
        if k not in keys:
            keys[k] = norm(lines[k][1])
        return keys[k]

    at, order = 0, start
    for d in drafts:
        key = norm(d.description)[:12]
        hit = next((k for k in range(at, min(at + _WINDOW, len(lines))) if key and key in key_at(k)), -1)
        if hit >= 0:
            at, order = hit, lines[hit][0]
        d.order = order


def _collect_block(block: Block, col: Collector) -> None:
    """Read the problems and measures of one block into ``col``."""
    texts = block.texts()
    if not texts or block.role == hd.ANNEX:
        return
    labelled = from_labels(texts, block.hint, numbered_only=not block.has_content_role)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    if block.role in (hd.PROBLEM, hd.MIXED):
        # A bare "整改措施：" line inside the section turns the rest of it into measures.
        cut = next((i for i, t in enumerate(texts) if i and _bare_measure_label(t)), len(texts))
        drafts = [problem_item(item, block.hint) for item in split_items(texts[:cut])]
        if not any(mk.marker_at_start(t) for t in texts[:cut]):
            for d in drafts:
                d.review = True  # bare paragraphs, no numbering: the weakest reading
        col.add_problems(drafts)
        if cut < len(texts):
            _collect_measures(texts[cut + 1:], block.hint, col)
    elif block.role == hd.MEASURE:
        _collect_measures(texts, block.hint, col)


def _bare_measure_label(text: str) -> bool:
    """A line that is only a measure label ("整改措施：")."""
    m = mk.MEASURE_LABEL.match(text)
    return m is not None and m.end() == len(text.rstrip())


def _collect_measures(texts: list[str], hint: str, col: Collector) -> None:
    """Measures of a 整改措施 section: feedback items join their problem, the rest wait for pairing."""
    free: list[str] = []
    # An unnumbered closing remark ("我局将持续…", "下一步，…") is no measure, even under 下一步.
    texts = [t for t in texts if mk.marker_at_start(t) is not None or not is_closing_line(t)]
    for item in split_items(texts):
        fb = feedback(item)
        if fb:
            col.add_feedback(fb[0], fb[1], hint)
            continue
        label = mk.MEASURE_LABEL.match(item)
        text = item[label.end():].strip() if label else item
        if text:
            free.append(text)
    col.add_free_measures(free)


def _fallback(blocks: list[Block], col: Collector) -> None:
    """No problem section: take labels and 针对“…”的问题 items wherever they stand."""
    texts = [t for b in blocks if b.role != hd.ANNEX for t in b.texts()]
    labelled = from_labels(texts, "", numbered_only=False)
    if labelled is not None:
        col.add_problems(labelled[0])
        col.unassigned.extend(labelled[1])
        return
    drafts = []
    for t in texts:
        marker = mk.marker_at_start(t)
        fb = feedback(t[marker.end:] if marker else t)
        if fb:
            drafts.append(Draft(fb[0], "", fb[1], False, not fb[1], review=True))
    col.add_problems(drafts)
