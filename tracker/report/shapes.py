"""The problem items the outline shows, decided on the tree by what each item holds.

- ``关于“X”的问题`` (巡察整改通报): X is the problem, the rest says how it was rectified;
- an item followed by a measure label (整改措施： / 整改情况： / 整改措施及进展) in a section of
  problems, of rectification or with no keyword: the item is the problem, what follows the
  label its measures (``measures_of`` also reads 责任单位 / 整改时限 / 整改进展 lines).
The other items are read by section (``sections`` and ``pairing``); ``claimed`` tells which
paragraphs were used here so they are not read twice.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tracker.domain import Status
from tracker.report import facts as fx
from tracker.report import headings as hd
from tracker.report import markers as mk
from tracker.report.classify import CLOSING_LEAD as _CLOSING_LEAD
from tracker.report.classify import CONTACT_WORDS as _CONTACT
from tracker.report.classify import is_note
from tracker.report.normalize import Paragraph
from tracker.report.outline import LABEL_LINE as _LABEL_LINE
from tracker.report.outline import Node, Outline

_ABOUT = re.compile(r"关于\s?[“\"「『]([^”\"」』\n]{2,300})[”\"」』]\s?(?:等|方面|的)*\s?问题[。：:]?\s*")
_LABEL_INLINE = re.compile(
    r"(?:^|(?<=[。；;！!？?\s]))(?:具体)?(?:整改措施及(?:进展|成效|落实情况)|整改措施|整改情况|整改举措|"
    r"整改进展情况|整改落实情况|改进措施|整改进展及成效|整改建议|整改意见|整改要求)\s?[：:]\s*"
)
_DONE_LABEL = re.compile(r"情况|进展|成效")
# "关于教师编制不足的问题" as a whole heading, unquoted.
_ABOUT_BARE = re.compile(r"关于([^，,。；;：:“”\"\n]{2,40}?)(?:等|方面|的)*问题[。：:]?")
_PLAN_LABEL = re.compile(r"(?:具体)?(?:整改措施|整改举措|改进措施|主要措施|采取措施|整改建议|整改意见|整改要求)(?!及)")
_PROBLEM_STATUS_LEAD = re.compile(r"(?:该|此|本)项?(?:问题|工作|任务)|此项|该项|目前|截至目前|截止目前|综上|总体")
_PROBLEM_PREFIX = re.compile(r"^(?:存在的?问题|反馈问题|具体问题|问题描述|问题)\s?[：:]\s*")
_BARE_PROBLEM = frozenset({"问题", "存在问题", "问题描述", "具体问题", "反馈问题"})
_CLAUSE = re.compile(r"[，,；;]")
_PLAN = re.compile(r"计划\s?([^，,。；;]{2,20}?)\s?(?:全面)?完成")


@dataclass(slots=True)
class OutlineProblem:
    """A problem the outline found, with its measures (dicts of facts) and status."""

    description: str
    measures: list[fx.Facts]
    status: Status | None
    done_label: bool  # the label reports work done (整改情况)
    hint: str = ""
    index: int = 0  # the paragraph it starts at


def _texts(node: Node, paras: list[Paragraph]) -> list[tuple[int, str]]:
    """Every paragraph of ``node``'s subtree after its own line, in order, with its index."""
    out = [(i, paras[i].text) for i in node.body]
    for c in node.children:
        out.append((c.index, paras[c.index].text))
        out.extend(_texts(c, paras))
    return sorted(out)


def _node_indexes(node: Node) -> set[int]:
    """Paragraph indexes of the items below ``node``."""
    out: set[int] = set()
    for c in node.children:
        out.add(c.index)
        out |= _node_indexes(c)
    return out


def _label_at(texts: list[tuple[int, str]]) -> int:
    """Position of the first measure-label paragraph in ``texts``, -1 when none."""
    for k, (_, t) in enumerate(texts):
        if _LABEL_LINE.fullmatch(t.strip()) or _LABEL_INLINE.match(t):
            return k
    return -1


def find_problems(outline: Outline) -> tuple[list[OutlineProblem], set[int]]:
    """Problems read from the outline's items, and the paragraph indexes they used."""
    found: list[OutlineProblem] = []
    claimed: set[int] = set()
    paras = outline.paras
    labels = [i for i, p in enumerate(paras) if not p.table and _has_label(p.text)]
    # No 关于“…”的问题 and no measure label: no item of the tree holds a problem of these shapes.
    if labels or any("关于" in p.text for p in paras if not p.table):
        _walk(outline.root, paras, labels, found, claimed)
    return found, claimed


def _has_label(text: str) -> bool:
    """A measure label opens ``text`` or stands in it after a sentence."""
    if "整改" not in text and "措施" not in text and "落实" not in text:
        return False  # every label holds one of these: skip the regexes on most paragraphs
    t = text.strip()
    return bool(_LABEL_LINE.fullmatch(t) or _LABEL_INLINE.search(t))


def _walk(node: Node, paras: list[Paragraph], labels: list[int], found: list[OutlineProblem],
          claimed: set[int]) -> None:
    """Depth first: a node that is a problem is not searched further."""
    for child in node.children:
        k = bisect.bisect_left(labels, child.index)
        has_label = k < len(labels) and labels[k] < child.end
        problem = _as_problem(child, paras) if has_label or "关于" in child.text else None
        if problem is None:
            if child.children:
                _walk(child, paras, labels, found, claimed)
            continue
        problem.index = child.index
        found.append(problem)
        claimed.add(child.index)
        claimed.update(i for i, _ in _texts(child, paras))


def _as_problem(node: Node, paras: list[Paragraph]) -> OutlineProblem | None:
    """The problem ``node`` states, or None."""
    texts = _texts(node, paras)
    about = _ABOUT.match(node.text) or _ABOUT_BARE.fullmatch(node.text.strip())
    if about:
        rest = node.text[about.end():].strip()
        lines = ([rest] if rest else []) + [t for _, t in texts]
        # 整改情况 reports work done; 整改措施 only plans it.
        plan = bool(lines) and bool(_PLAN_LABEL.match(lines[0].strip()))
        return _problem(about.group(1).strip(), lines, done_label=not plan)
    if node.role in (hd.OTHER, hd.ANNEX):
        return None
    inline = _LABEL_INLINE.search(node.text)
    if inline and inline.start() > 0:
        desc = node.text[: inline.start()].strip()
        done = bool(_DONE_LABEL.search(inline.group()))
        return _problem(desc, [node.text[inline.end():]] + [t for _, t in texts], done)
    bare = node.text.strip(" ：:") in _BARE_PROBLEM
    labelled = _PROBLEM_PREFIX.match(node.text) is not None and not bare  # "（二）存在问题：校舍老化。"
    if (_section_title(node.text) and not bare and not labelled) or any(mk.PROBLEM_LABEL.match(t) for _, t in texts):
        return None  # a section heading, or 存在问题N labels: the label reading handles those
    at = _label_at(texts)
    items = _node_indexes(node)
    if at >= 0 and any(i in items for i, _ in texts[:at]):
        return None  # numbered items before the label: they are the problems, not this heading
    if at < 0 or any(paras[i].is_heading and not _LABEL_LINE.fullmatch(t.strip()) for i, t in texts[:at]):
        return None
    lead = [node.text] + [t for _, t in texts[:at]]
    if bare and len(lead) > 1:
        lead = lead[1:]  # "（一）问题" then the problem on its own line
    label_text = texts[at][1]
    m = _LABEL_INLINE.match(label_text)
    after = [label_text[m.end():]] if m and m.end() < len(label_text) else []
    if not after and at + 1 >= len(texts):
        return None  # "整改措施：" closing the item: its measures are the items that follow
    done = bool(_DONE_LABEL.search(label_text[: m.end()] if m else label_text))
    return _problem("".join(t.strip() for t in lead), after + [t for _, t in texts[at + 1:]], done)


def _section_title(text: str) -> bool:
    """A heading naming its section ("二、存在问题"), not a sentence stating a problem that
    happens to hold a section word ("1．…工作存在薄弱环节，个别学生…")."""
    return bool(hd.role_of(text)) and not _CLAUSE.search(text.strip().rstrip("。."))


def _problem(desc: str, lines: list[str], done_label: bool) -> OutlineProblem | None:
    """A problem from its description and the lines that follow its measure label."""
    desc = _PROBLEM_PREFIX.sub("", desc.strip()).rstrip("：:").strip()
    if not desc:
        return None
    status = None
    kept: list[str] = []
    for t in lines:
        t = t.strip()
        label = _LABEL_INLINE.match(t) or _LABEL_LINE.fullmatch(t)
        if label:
            t = t[label.end():].strip()  # a second label ("整改情况：") inside the item
        if not t or is_note(t):
            continue
        if fx.is_field_line(t):
            kept.append(t)
            continue
        if fx.is_status_only(t):
            status = fx.status_in(t) or status
            continue
        if _CLOSING_LEAD.match(t) or _CONTACT.search(t) or fx.document_date([t]) is not None:
            break
        kept.append(t)
    last = next((k for k in range(len(kept) - 1, -1, -1) if not fx.is_field_line(kept[k])), -1)
    if last >= 0:
        st, text = _problem_status_tail(kept[last])
        if st is not None:
            status = status or st
            kept[last] = text
    measures = measures_of(kept)
    return OutlineProblem(desc, [m for m in measures if m.text], status, done_label)


def measures_of(lines: list[str]) -> list[fx.Facts]:
    """Measures of the lines after a label. Field lines (责任单位：…) between two measures belong
    to the one before; those after the last measure belong to all, unless measures had their own."""
    items: list[list[str]] = []
    fields: list[list[str]] = []
    numbered = any(mk.marker_at_start(t) is not None for t in lines)
    for t in lines:
        if fx.is_field_line(t):
            if fields:
                fields[-1].append(t)
            continue
        if numbered and items and mk.marker_at_start(t) is None:
            items[-1].append(t)  # a paragraph continuing the item above it
            continue
        items.append([t])
        fields.append([])
    per_item = any(fields[:-1])
    shared = [] if per_item or not fields else fields[-1]
    out: list[fx.Facts] = []
    for item, own in zip(items, fields):
        for piece in fx.split_cell("\n".join(item)):
            out.append(_facts(piece, own if per_item else shared))
    return out


def _facts(text: str, field_lines: list[str]) -> fx.Facts:
    """The facts of a measure's text plus its field lines."""
    own = fx.pull_facts(text)
    extra = fx.pull_facts("；".join(field_lines)) if field_lines else fx.Facts("")
    body = fx.drop_status_sentences(own.text) or own.text
    deadline = own.deadline_text or extra.deadline_text
    if not deadline:
        plan = _PLAN.search(own.text)
        deadline = plan.group(1) if plan and own.status is not None else ""
    return fx.Facts(body, own.lead_unit or extra.lead_unit, deadline, own.status or extra.status)


def _problem_status_tail(text: str) -> tuple[Status | None, str]:
    """A "该问题已完成整改。" ending a measure speaks of the problem: (status, text without it)."""
    sentences = re.findall(r"[^。！!]+[。！!]?", text)
    if len(sentences) > 1 and _PROBLEM_STATUS_LEAD.match(sentences[-1].strip()):
        st = fx.status_in(sentences[-1])
        if st is not None:
            return st, "".join(sentences[:-1]).strip()
    return None, text
