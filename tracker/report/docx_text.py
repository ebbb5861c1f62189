"""Text of a .docx in reading order: paragraphs, table rows (cells joined by tabs), list numbers.

Word's automatic numbering is not part of a paragraph's text, yet "（一）" or "1." is how the
parser finds items, so the numbers are rebuilt from numbering.xml. Headings become markdown
"#" lines, which the parser already understands.

The file is checked by tracker.zipguard before python-docx opens it: a .docx is a zip, and a
small zip can inflate to gigabytes (a zip bomb), or hide an XML entity bomb; both are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tracker import zipguard
from tracker.errors import ImportRejected

_RESAVE = "请在 Word 或 WPS 中另存为 .docx 后再导入"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-6])$", re.IGNORECASE)
_CN_DIGITS = "〇一二三四五六七八九"
_CN_FORMATS = frozenset(
    {
        "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
        "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional",
    }
)
_CIRCLED_FORMATS = frozenset({"decimalEnclosedCircle", "decimalEnclosedCircleChinese"})


def check_docx_package(path: Path) -> None:
    """Refuse a .docx that tracker.zipguard refuses or that holds no Word document."""
    if "word/document.xml" not in zipguard.check_container(path, "docx"):
        raise ImportRejected(f"“{path.name}”不是 Word 文档（.docx），无法读取其中的文字。{_RESAVE}。")


def _roman(n: int) -> str:
    """Roman numerals for list numbers."""
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _chinese(n: int) -> str:
    """一 … 九十九 for list numbers."""
    if n <= 0 or n >= 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """One list counter in Word's number format."""
    if fmt in _CN_FORMATS:
        return _chinese(n)
    if fmt in _CIRCLED_FORMATS and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and n >= 1:
        r = _roman(n)
        return r.upper() if fmt == "upperRoman" else r
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Word list numbering: level formats from numbering.xml and running counters per list."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part: no automatic numbers
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(_w("abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")), 0)
                fmt = _first_val(lvl, "numFmt") or "decimal"
                text = _first_val(lvl, "lvlText") or ""
                start = _int(_first_val(lvl, "start"), 1)
                levels[ilvl] = (fmt, text, start)
            abstract[an.get(_w("abstractNumId")) or ""] = levels
        for num in root.findall(_w("num")):
            ref = _first_val(num, "abstractNumId") or ""
            self._levels[num.get(_w("numId")) or ""] = abstract.get(ref, {})

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of list ``num_id`` at level ``ilvl``, formatted ("（一）", "1.")."""
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels or not (0 <= ilvl < 9):
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "• "
        out = text
        for level in range(ilvl, -1, -1):
            lf = levels.get(level, ("decimal", "", 1))[0]
            value = counters[level] or levels.get(level, ("decimal", "", 1))[2]
            out = out.replace(f"%{level + 1}", format_number(value, lf))
        return out


def _w(attr: str) -> str:
    """A qualified WordprocessingML name (Clark notation), for attributes and find()."""
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + attr


def _first_val(el: Any, tag: str) -> str | None:
    """The w:val of the first ``w:tag`` child of ``el``."""
    found = el.find(_w(tag))
    return found.get(_w("val")) if found is not None else None


def _int(value: str | None, default: int) -> int:
    """An integer attribute, or ``default`` when missing or malformed."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """(numId, ilvl) when the paragraph, or its style, is part of a numbered list."""
    for holder in (paragraph._p, getattr(paragraph.style, "element", None)):
        if holder is None:
            continue
        found = holder.find(f"{_w('pPr')}/{_w('numPr')}")
        if found is not None:
            num_id = _first_val(found, "numId")
            ilvl = _int(_first_val(found, "ilvl"), 0)
            if num_id and num_id != "0":
                return num_id, ilvl
    return None


def _paragraph_line(paragraph: Any, numbering: _Numbering) -> str:
    """One paragraph as a line: markdown "#" for headings, its list number put back."""
    text = (paragraph.text or "").replace("\t", " ")
    if not text.strip():
        return ""
    num = _num_pr(paragraph)
    if num is not None:
        text = numbering.label(*num) + text
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    m = _HEADING_STYLE.search(style.strip())
    if m:
        return "#" * int(m.group(1)) + " " + text
    if style.strip().lower() in ("title", "标题"):
        return "# " + text
    return text


def _table_lines(table: Any, numbering: _Numbering, depth: int) -> list[str]:
    """A table: one tab-separated line per row; a one-column table (a text frame) as paragraphs."""
    lines: list[str] = []
    for row in table.rows:
        cells = list(row.cells)
        if len({id(c._tc) for c in cells}) <= 1 and cells:
            lines.extend(_inner_lines(cells[0], numbering, depth + 1))
            continue
        row_text = [
            " ".join(p.text.replace("\t", " ").replace("\n", " ").strip() for p in c.paragraphs).strip()
            for c in cells
        ]
        if any(row_text):
            lines.append("\t".join(row_text))
    return lines


def _inner_lines(container: Any, numbering: _Numbering, depth: int = 0) -> list[str]:
    """Lines of a document body or a cell, paragraphs and tables in order."""
    from docx.table import Table

    if depth > 5:  # tables nested deeper than this are layout tricks, not content
        return []
    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block, numbering, depth))
        else:
            line = _paragraph_line(block, numbering)
            if line:
                lines.append(line)
    return lines


def docx_text(path: Path) -> str:
    """The text of a checked .docx, one line per paragraph or table row."""
    import docx

    try:
        document = docx.Document(str(path))
        return "\n".join(_inner_lines(document, _Numbering(document)))
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise ImportRejected(f"“{path.name}”无法作为 Word 文档读取（文件可能已损坏）。{_RESAVE}。") from exc
