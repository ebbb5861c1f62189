"""Report text as it really is -> logical paragraphs: emphasis dropped, page breaks mended.

Reports reach us as Word exports, PDF copies and markdown conversions. A paragraph that a page
break cut in two ends mid-word and goes on after a blank line ("思想观念还跟不上\\n\\n变革需要");
bold runs come as ``**…**``; anonymised figures come as ``*`` or ``**`` and must stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.report import headings as hd
from tracker.report import markers as mk


@dataclass
class Paragraph:
    """One logical paragraph and what its lines looked like."""

    text: str
    md_level: int = 0  # markdown "#" count (or a Word heading level); 0 for body text
    bold: bool = False  # the whole line was bold: a heading in disguise
    table: bool = False  # a table row, cells separated by tabs

    @property
    def is_heading(self) -> bool:
        """Whether this paragraph is a heading rather than body text."""
        return not self.table and hd.is_heading(self.text, self.md_level, self.bold)


# Line breaks of every kind; a form feed is a page break.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Invisible characters Word and web pages leave behind, and controls no text should hold.
_INVISIBLE = re.compile(r"[\ufeff\u200b-\u200d\u2060\u00ad\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
_SPACES = " \t\u3000\u00a0"
_MD_HEADING = re.compile(r"(#{1,6})\s*")
_MD_TRAILING = re.compile(r"\s+#+$")
_RULE = re.compile(r"[-*_=\s]{3,}")
_STARS = re.compile(r"\*+")
# A star run next to one of these is an anonymised figure or name (**个, 2**人, **县), not bold.
_UNIT_AFTER = frozenset("个所名人次项家件条处台套间栋座场期批位班倍岁天周月日年时分秒米元克吨亩户%％万亿千百余多")
_PLACE_AFTER = frozenset("县市区镇乡村街")
_PUNCT = frozenset("：:，,。．.；;、（(）)“”\"'‘’《》！!？?…—-")
_TERMINAL = frozenset("。！？!?；;：:…．.")
_CLOSERS = "”’」』)）》】]\"' "
# Lines that close a title block rather than run on: "…的自评报告", "…的通知".
_TITLE_END = re.compile(r"(?:报告|意见|通知|通报|函|决定|方案|请示|批复|纪要|清单|台账)$")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _strip_emphasis(line: str) -> tuple[str, bool]:
    """Drop markdown ``**bold**`` pairs, keep anonymising stars; True when the whole line was bold."""
    if "**" not in line:
        return line, False
    runs: list[tuple[int, int]] = []
    for m in _STARS.finditer(line):
        if m.end() - m.start() != 2:
            continue  # "*" and "***" are anonymised figures, never bold
        before = line[m.start() - 1] if m.start() > 0 else ""
        after = line[m.end()] if m.end() < len(line) else ""
        # After punctuation (or at the start) a run opens or closes bold; after a word it stands
        # for a figure: "隐患**个", "2**人", "共**5".
        after_word = bool(before) and not before.isspace() and before not in _PUNCT
        closes = not after or after.isspace() or after in _PUNCT
        if (before.isdigit() and not closes) or (after_word and (after in _UNIT_AFTER or after in _PLACE_AFTER or after.isdigit())):
            continue
        runs.append((m.start(), m.end()))
    if len(runs) < 2:
        return line, False
    drop: set[int] = set()
    for i in range(0, len(runs) - 1, 2):
        (a0, a1), (b0, b1) = runs[i], runs[i + 1]
        if b0 > a1:  # a pair around something, not "****"
            drop.update((a0, b0))
    if not drop:
        return line, False
    whole = 0 in drop and runs[1][0] in drop and runs[1][1] == len(line) and len(runs) == 2
    out: list[str] = []
    pos = 0
    for start in sorted(drop):
        out.append(line[pos:start])
        pos = start + 2
    out.append(line[pos:])
    return "".join(out), whole


@dataclass
class _Line:
    text: str
    md_level: int
    bold: bool
    table: bool
    blank_before: bool


def _lines(text: str) -> list[_Line]:
    """Non-empty lines with their markdown level, boldness, table-ness and a blank line before."""
    text = _INVISIBLE.sub("", _BREAKS.sub("\n", text))
    out: list[_Line] = []
    blank = False
    for raw in text.split("\n"):
        stripped = raw.strip(_SPACES)
        if not stripped or _RULE.fullmatch(stripped):
            blank = True
            continue
        # A tab between text marks a table row (our docx reader and Word's copy both write them);
        # leading empty cells are kept so columns stay in place.
        table = "\t" in stripped
        if table:
            stripped = raw.strip(" \u3000\u00a0\r\n")
        md_level = 0
        m = _MD_HEADING.match(stripped)
        if m and not table:
            md_level = len(m.group(1))
            stripped = _MD_TRAILING.sub("", stripped[m.end():])
        line, bold = _strip_emphasis(stripped)
        line = line.strip(_SPACES) if not table else "\t".join(c.strip(_SPACES) for c in line.split("\t"))
        if not line:
            blank = True
            continue
        out.append(_Line(line, md_level, bold, table, blank))
        blank = False
    return out


def is_terminal(text: str) -> bool:
    """Whether ``text`` ends a sentence (so a break after it is a real paragraph break)."""
    t = text.rstrip(_CLOSERS)
    return not t or t[-1] in _TERMINAL


def opens_item(text: str) -> bool:
    """A line that starts something new: an enumeration marker, a label, 针对…, an annex."""
    return (
        mk.marker_at_start(text) is not None
        or mk.PROBLEM_LABEL.match(text) is not None
        or mk.MEASURE_LABEL.match(text) is not None
        or hd.is_annex(text)
    )


def _joins(cur: _Line, cur_heading: bool, last: str, total: int, nxt: _Line, soft_wrap: bool) -> bool:
    """Whether ``nxt`` continues the current paragraph (a page break or a hard wrap between them).

    ``last`` is the paragraph's last piece, ``total`` its length so far.
    """
    if cur.table or nxt.table or cur.md_level or nxt.md_level or cur.bold or nxt.bold or cur_heading:
        return False
    if opens_item(nxt.text) or Paragraph(nxt.text).is_heading:
        return False
    if _TITLE_END.search(last):
        return False
    if not soft_wrap and is_terminal(last):
        return False
    # A short line without commas is a signature, a date or a letterhead, not a cut sentence.
    return total >= 16 or any(c in last for c in "，,、；;")


def paragraphs(text: str) -> list[Paragraph]:
    """Split report text into logical paragraphs, mending page breaks and hard wraps."""
    lines = _lines(text)
    if not lines:
        return []
    # When paragraphs are separated by blank lines, a single newline is only a wrap (PDF copies).
    body = [ln for ln in lines if not ln.table]
    separated = sum(1 for ln in body[1:] if ln.blank_before)
    blank_mode = separated > 0 and separated >= (len(body) - 1 - separated)
    out: list[Paragraph] = []
    cur = lines[0]
    parts = [cur.text]
    total = len(cur.text)
    cur_heading = Paragraph(cur.text, cur.md_level, cur.bold, cur.table).is_heading
    for ln in lines[1:]:
        soft = blank_mode and not ln.blank_before
        if _joins(cur, cur_heading, parts[-1], total, ln, soft):
            parts.append(ln.text)
            total += len(ln.text)
            continue
        out.append(Paragraph(_join_parts(parts), cur.md_level, cur.bold, cur.table))
        cur = ln
        parts = [ln.text]
        total = len(ln.text)
        cur_heading = Paragraph(cur.text, cur.md_level, cur.bold, cur.table).is_heading
    out.append(Paragraph(_join_parts(parts), cur.md_level, cur.bold, cur.table))
    return out


def _join_parts(parts: list[str]) -> str:
    """Glue the pieces of one paragraph in one pass (linear, whatever the count)."""
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for piece in parts[1:]:
        prev = out[-1]
        if _ASCII_WORD.match(prev[-1:]) and _ASCII_WORD.match(piece[:1]):
            out.append(" ")
        out.append(piece)
    return "".join(out)
