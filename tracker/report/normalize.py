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
from tracker.report.classify import is_contact


@dataclass(slots=True)
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
# "## 标题" (or "##标题" from careless converters), but not "#3教学楼".
_MD_HEADING = re.compile(r"(#{1,6})(?:\s+|(?=[^\s#0-9０-９]))")
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
_SENTENCE_PUNCT = re.compile(r"[，,、；;：:。（(“\"]")
_NUMERAL = "[0-9０-９〇零一二三四五六七八九十]"
_DATE = re.compile(rf"{_NUMERAL}{{2,4}}\s?年\s?{_NUMERAL}{{1,3}}\s?月(?:\s?{_NUMERAL}{{1,3}}\s?日)?")


def _strip_emphasis(line: str) -> tuple[str, bool]:
    """Drop markdown ``**bold**`` pairs, keep anonymising stars; True when the whole line was bold.

    A ``**`` right after a word and before a unit (隐患**个, 2**人, 共**5, **县) stands for a
    figure or a name and cannot open bold; one between a digit and a unit cannot close it.
    """
    if "**" not in line:
        return line, False
    pairs: list[tuple[int, int]] = []
    opened = -1
    for m in _STARS.finditer(line):
        if m.end() - m.start() != 2:
            continue  # "*" and "***" are anonymised figures, never bold
        before = line[m.start() - 1] if m.start() > 0 else ""
        after = line[m.end()] if m.end() < len(line) else ""
        if opened < 0:
            after_word = bool(before) and not before.isspace() and before not in _PUNCT
            figure = after in _UNIT_AFTER or after in _PLACE_AFTER or after.isdigit()
            if before.isdigit() or (after_word and figure) or not after or after.isspace():
                continue
            opened = m.start()
        elif not (before.isdigit() and after in _UNIT_AFTER) and m.start() > opened + 2:
            pairs.append((opened, m.start()))
            opened = -1
    if not pairs:
        return line, False
    whole = len(pairs) == 1 and pairs[0][0] == 0 and pairs[0][1] == len(line) - 2
    out: list[str] = []
    pos = 0
    for a, b in pairs:
        out.append(line[pos:a])
        out.append(line[a + 2 : b])
        pos = b + 2
    out.append(line[pos:])
    return "".join(out), whole


@dataclass(slots=True)
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


def _joins(
    cur: _Line, cur_heading: bool, last: str, total: int, has_punct: bool, nxt: _Line, soft_wrap: bool
) -> bool:
    """Whether ``nxt`` continues the current paragraph (a page break or a hard wrap between them).

    ``last`` is the paragraph's last piece, ``total`` its length so far, ``has_punct`` whether
    it holds any punctuation yet.
    """
    if cur.table or nxt.table or cur.md_level or nxt.md_level or cur.bold or nxt.bold or cur_heading:
        return False
    if opens_item(nxt.text) or Paragraph(nxt.text).is_heading:
        return False
    if _TITLE_END.search(last):
        return False
    if not soft_wrap and is_terminal(last):
        return False
    if not soft_wrap and is_contact(cur.text):
        return False  # "联系电话：0000-1234567" ends without a stop; the signature is a line of its own
    if _DATE.fullmatch(nxt.text):
        return False
    # A line without any punctuation is a signature, a date or a letterhead, not a cut sentence.
    return total >= 30 or has_punct


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
    punct = bool(_SENTENCE_PUNCT.search(cur.text))
    cur_heading = Paragraph(cur.text, cur.md_level, cur.bold, cur.table).is_heading
    for ln in lines[1:]:
        soft = blank_mode and not ln.blank_before
        if _joins(cur, cur_heading, parts[-1], total, punct, ln, soft):
            parts.append(ln.text)
            total += len(ln.text)
            punct = punct or bool(_SENTENCE_PUNCT.search(ln.text))
            continue
        out.append(Paragraph(_join_parts(parts), cur.md_level, cur.bold, cur.table))
        cur = ln
        parts = [ln.text]
        total = len(ln.text)
        punct = bool(_SENTENCE_PUNCT.search(ln.text))
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
