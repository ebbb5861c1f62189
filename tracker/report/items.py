"""Split a run of paragraphs into the items it enumerates: (一)…, 1. …, 一是…, ①…, or a；list.

The outermost enumeration wins: in "(七)坚持五育并举。一是…二是…" the item is all of (七).
Text before the first item is an introduction ("主要表现在：") and is dropped; plain paragraphs
after the last item are closing remarks and are dropped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.report import markers as mk

# Kinds in the order a report nests them; earlier wins a tie at the same position.
_KIND_ORDER = (mk.CHAPTER, mk.CN_DUN, mk.PAREN_CN, mk.NUM, mk.PAREN_NUM, mk.CIRCLED, mk.SHI, mk.DI, mk.BULLET)
_LEAD_TRIM = " \t\n、.．:：,，"
_TAIL_TRIM = " \t\n；;，,、"
_SPLIT_SEMI = re.compile(r"[；;]")
_INTRO_CONCESSION = re.compile(
    r"(?:虽然|尽管|虽|总体|总的来看|总的来说|总体上看|客观地说)[^。]{0,300}?(?:但|仍|还|也)"
)
_INTRO_WORDS = re.compile(r"差距|不足|问题|短板|薄弱|困难")
_CLOSING_START = re.compile(r"(?:以上|特此|此致|附件|附：|附:|专此)")
_DATE_LINE = re.compile(rf"[{mk.DIGITS}〇零一二三四五六七八九十]{{2,4}}\s?年\s?\S{{1,3}}\s?月\s?\S{{1,3}}\s?日")
_PARENTHESISED = re.compile(r"[（(][^（()）]{1,30}[）)]")
_PUNCT = re.compile(r"[，。；：,.;:！？!?]")


def is_intro(text: str) -> bool:
    """A lead-in sentence ("仍存在一些不足。主要表现在：") rather than an item of its own."""
    t = text.rstrip()
    if t.endswith(("：", ":")):
        return True
    return bool(_INTRO_CONCESSION.search(t[:400]) and _INTRO_WORDS.search(t[:400]))


def is_closing(text: str) -> bool:
    """A closing remark, signature, date or 附件 line that belongs to no item."""
    t = text.strip()
    if _CLOSING_START.match(t):
        return True
    if _DATE_LINE.fullmatch(t) or _PARENTHESISED.fullmatch(t):
        return True
    return len(t) <= 20 and not _PUNCT.search(t)


@dataclass(frozen=True, slots=True)
class _Found:
    marker: mk.Marker
    at_start: bool  # the marker opens a paragraph


def _clean(text: str) -> str:
    """An item's text without leftover separators around it."""
    return text.strip(_LEAD_TRIM).rstrip(_TAIL_TRIM).strip()


def _accepted(kind: str, starts: list[_Found], content: str) -> list[_Found]:
    """Markers of ``kind`` that form one list: every paragraph opener, plus inline ones in sequence."""
    by_pos = {f.marker.start: f for f in starts if f.marker.kind == kind}
    inline = [_Found(m, False) for m in mk.inline_markers(content, kind) if m.start not in by_pos]
    merged = sorted([*by_pos.values(), *inline], key=lambda f: f.marker.start)
    out: list[_Found] = []
    last = 0
    for f in merged:
        if f.at_start:
            out.append(f)
            last = f.marker.number
        elif f.marker.number == last + 1 and (last > 0 or f.marker.number == 1):
            # Inline markers only count in sequence: a lone "三是" in a sentence is not a list.
            out.append(f)
            last = f.marker.number
    if len(out) < 2 and not any(f.at_start for f in out):
        return []
    return out


def _choose(starts: list[_Found], content: str) -> list[_Found]:
    """The outermost list: the kind whose first accepted marker comes earliest."""
    best: list[_Found] = []
    best_key: tuple[int, int, int] | None = None
    kinds = {f.marker.kind for f in starts} | set(mk.INLINE_KINDS)
    for kind in _KIND_ORDER:
        if kind not in kinds:
            continue
        found = _accepted(kind, starts, content)
        if not found:
            continue
        key = (found[0].marker.start, 0 if found[0].at_start else 1, _KIND_ORDER.index(kind))
        if best_key is None or key < best_key:
            best, best_key = found, key
    return best


def split_items(texts: list[str], *, paragraph_items: bool = True) -> list[str]:
    """The items ``texts`` enumerate, markers removed, each kept whole.

    Without any enumeration, a "主要是：A；B；C。" sentence is split at ；. Failing that, each
    paragraph is an item when ``paragraph_items`` (a section of problems), else the whole text
    is one item (the body of a single 整改情况 label).
    """
    texts = [t for t in (t.strip() for t in texts) if t]
    if not texts:
        return []
    content = "\n".join(texts)
    para_starts: list[int] = []
    starts: list[_Found] = []
    pos = 0
    for t in texts:
        para_starts.append(pos)
        m = mk.marker_at_start(t)
        if m is not None:
            starts.append(_Found(mk.Marker(m.kind, m.number, pos, pos + m.end), True))
        pos += len(t) + 1
    found = _choose(starts, content)
    if found:
        return _cut(found, starts, texts, para_starts, content)
    semi = _semicolon_list(content)
    if semi:
        return semi
    kept = [t for t in texts if not is_closing(t)]
    if not paragraph_items:
        whole = _clean("\n".join(kept))
        return [whole] if whole else []
    if len(kept) > 1 and is_intro(kept[0]):
        kept = kept[1:]
    return [c for c in (_clean(t) for t in kept if not is_intro(t) or len(kept) == 1) if c]


def _cut(
    found: list[_Found], starts: list[_Found], texts: list[str], para_starts: list[int], content: str
) -> list[str]:
    """Cut ``content`` at the chosen markers; the last item stops at its paragraph's end."""
    last = found[-1].marker.start
    index = max(i for i, p in enumerate(para_starts) if p <= last)
    end = para_starts[index] + len(texts[index])
    opener_at = {f.marker.start for f in starts}
    # A nested list right after the last item still belongs to it; a plain paragraph does not.
    for j in range(index + 1, len(texts)):
        if para_starts[j] not in opener_at:
            break
        end = para_starts[j] + len(texts[j])
    items: list[str] = []
    for i, f in enumerate(found):
        stop = found[i + 1].marker.start if i + 1 < len(found) else end
        text = _clean(content[f.marker.end:stop])
        if text:
            items.append(text)
    return items


def _semicolon_list(content: str) -> list[str]:
    """Items of "主要是：A；B；C。" — at least two, else nothing."""
    m = mk.LIST_LEAD_IN.search(content)
    if not m:
        return []
    parts = [_clean(p) for p in _SPLIT_SEMI.split(content[m.end():])]
    parts = [p for p in parts if p]
    return parts if len(parts) >= 2 else []
