"""The first page of a report, as the window previews it: the blocks that fit in 22 lines of
28 characters, and those blocks as HTML (the dialog shows it in a QTextDocument)."""

from __future__ import annotations

import html
import math
import tempfile
from pathlib import Path

from tracker.db.engine import Ledger
from tracker.writeup.layout import CHARS, LINES
from tracker.writeup.model import Block, ReportOptions, template_key

TABLE_ROWS_PER_LINE = 1.3  # a 小四 table row with one wrapped cell takes about 1.3 body lines


def _lines(b: Block) -> int:
    """Body lines a block takes on paper (an estimate: 28 characters a line)."""
    if b.kind == "table":
        return math.ceil(len(b.rows) * TABLE_ROWS_PER_LINE) + 1
    if b.kind == "title":
        return math.ceil(len(b.text) / 20) + 1  # 2号 fits about 20 a line, then a blank line
    indent = 0 if b.kind in ("sign", "date") else 2
    return max(1, math.ceil((len(b.full_text) + indent) / CHARS)) + (b.kind == "sign")


def first_page(blocks: list[Block], lines: int = LINES) -> list[Block]:
    """The blocks on page 1: the title always, then whole or cut blocks up to 22 lines."""
    out: list[Block] = []
    used = 0
    for b in blocks:
        need = _lines(b)
        if out and used + need > lines:
            room = (lines - used) * CHARS - 2
            if b.kind in ("body", "note", "h1", "h2", "h3") and room > 0:
                text = b.full_text[:room]
                out.append(Block(b.kind, text if not b.strong else "", strong=text if b.strong
                                 else ""))
            break
        out.append(b)
        used += need
    return out


_STYLE = {
    "title": "text-align:center; font-family:'方正小标宋简体','SimSun'; font-size:22pt;",
    "h1": "text-indent:2em; font-family:'黑体','SimHei';",
    "h2": "text-indent:2em; font-family:'楷体_GB2312','楷体','KaiTi';",
    "h3": "text-indent:2em; font-weight:bold;",
    "body": "text-indent:2em;",
    "note": "text-indent:2em; color:#666;",
    "sign": "text-align:right; margin-right:4em;",
    "date": "text-align:right; margin-right:4em;",
}


def to_html(blocks: list[Block]) -> str:
    """Blocks as simple HTML in the 公文 fonts (the office's own, when installed)."""
    parts = ["<html><body style=\"font-family:'仿宋_GB2312','仿宋','FangSong'; font-size:16pt;"
             " line-height:150%;\">"]
    for b in blocks:
        if b.kind == "table":
            rows = []
            for i, row in enumerate(b.rows):
                tag = "th" if i == 0 else "td"
                rows.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)
                            + "</tr>")
            parts.append("<table border='1' cellspacing='0' cellpadding='2' "
                         "style='font-size:12pt; border-collapse:collapse;'>"
                         + "".join(rows) + "</table>")
            continue
        text = html.escape(b.text)
        if b.strong:
            text += f"<b>{html.escape(b.strong)}</b>"
        parts.append(f"<p style=\"margin:0; {_STYLE.get(b.kind, '')}\">{text}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def preview_blocks(ledger: Ledger, options: ReportOptions) -> list[Block]:
    """Page 1 of the report the options ask for (a custom template is filled to find out)."""
    from tracker.writeup import build_blocks, docx_blocks, gather, write_report

    if template_key(options.template) is not None:
        return first_page(build_blocks(gather(ledger, options)))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "preview.docx"
        write_report(ledger, options, out)
        return first_page(docx_blocks(out))
