"""GB/T 9704-2012 公文 layout in Word with python-docx: A4, the standard margins, 22 lines of
28 characters (the document grid), title 2号 方正小标宋简体, body 3号 仿宋_GB2312, headings
黑体 then 楷体_GB2312, page numbers "— 1 —" in 4号 宋体 on the outside edge, and tables whose
header row repeats on every page. Fonts are named, not embedded: Word and WPS use the office's."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from tracker.writeup.model import Block

# Fonts as offices name them (the names Word and WPS look up on the clerk's PC).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters, as 公文 templates set them

# Sizes: 2号 22pt, 3号 16pt, 4号 14pt; tables in 小四 so a unit table fits across.
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT = 22, 16, 14, 12
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28  # GB/T 9704-2012 5.2.2: 每面排22行，每行排28个字
# 版心 225 mm high / 22 lines = 28.95 pt a line; 156 mm wide / 28 = 15.79 pt a character: 3号
# (16 pt) condensed by 0.25 pt. A character grid would say the same, but LibreOffice gives a
# character wider than its grid cell two cells (14 a line): the condensing reads alike everywhere.
LINE_TWIPS = 579
CONDENSE_TWIPS = -5
FOOTER_MM = 24
_AFTER_SNAP = {qn(f"w:{t}") for t in (
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange")}  # the number sits about 7 mm below the 版心


def _fonts(run: Run, east_asia: str, size: float, bold: bool = False) -> None:
    """Name the run's fonts for Chinese and Latin text and set its size (3号 text condensed to
    28 characters a line)."""
    run.font.size = Pt(size)
    run.font.bold = bold or None
    rpr = run._element.get_or_add_rPr()
    if size == BODY_PT:
        # w:spacing goes before w:sz in the schema's order (Word refuses it elsewhere).
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
        rpr.get_or_add_sz().addprevious(spacing)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    latin = east_asia if east_asia == TITLE_FONT else LATIN_FONT
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia),
                       ("w:cs", latin)):
        fonts.set(qn(attr), name)


def _exact_lines(p: Paragraph, twips: int = LINE_TWIPS) -> None:
    """Exact line spacing on the grid: 22 lines a page, whatever the font's own height."""
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(twips)
    fmt.space_before = fmt.space_after = Pt(0)


def _indent_chars(p: Paragraph, first: int = 2) -> None:
    """首行缩进 in characters (Word's firstLineChars, with the twips WPS reads)."""
    p.paragraph_format.first_line_indent = Pt(BODY_PT * first)
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(first * 100))


def _no_grid(p: Paragraph) -> None:
    """Leave the document grid (table cells): their lines are set by their own font."""
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    ppr = p._p.get_or_add_pPr()
    # The schema puts snapToGrid before spacing, ind and jc: Word reports anything else as damage.
    later = next((c for c in ppr if c.tag in _AFTER_SNAP), None)
    if later is not None:
        later.addprevious(el)
    else:
        ppr.append(el)


def setup_page(doc: DocxDocument) -> None:
    """A4 portrait, the 公文 margins, the 22×28 grid, odd/even footers with page numbers."""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance, sec.footer_distance = Mm(15), Mm(FOOTER_MM)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(sec.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _page_number(p: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """"— N —" in 4号 宋体: odd pages right, even pages left, one character in from the edge."""
    p.alignment = align
    fmt = p.paragraph_format
    fmt.right_indent = Pt(PAGE_PT) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
    fmt.left_indent = Pt(PAGE_PT) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    _no_grid(p)
    _fonts(p.add_run("— "), PAGE_FONT, PAGE_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = p.add_run()
        _fonts(run, PAGE_FONT, PAGE_PT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""
    _fonts(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def _paragraph(doc: DocxDocument, b: Block) -> None:
    """One block that is a paragraph, in its font and place."""
    p = doc.add_paragraph()
    _exact_lines(p)
    if b.kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(b.text), TITLE_FONT, TITLE_PT)
        _exact_lines(doc.add_paragraph())  # 标题下空一行
        return
    if b.kind in ("sign", "date"):
        if b.kind == "sign":
            _exact_lines(doc.add_paragraph())  # 正文下空一行再署名
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 成文日期右空四字
        _fonts(p.add_run(b.text), BODY_FONT, BODY_PT)
        return
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(p)
    font = {"h1": H1_FONT, "h2": H2_FONT}.get(b.kind, BODY_FONT)
    if b.text:
        _fonts(p.add_run(b.text), font, BODY_PT, bold=b.kind == "h3")
    if b.strong:
        _fonts(p.add_run(b.strong), font, BODY_PT, bold=True)


def _repeat_header(table: Table) -> None:
    """Mark the first row as a header row Word and WPS repeat on every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    # A row never splits across pages: a unit's numbers stay on one line of paper.
    for row in table.rows:
        keep = OxmlElement("w:cantSplit")
        keep.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(keep)


def _table(doc: DocxDocument, b: Block) -> None:
    """A bordered Word table, header row in 黑体 and repeated, cells in 小四 仿宋."""
    if not b.rows:
        return
    cols = len(b.rows[0])
    table = doc.add_table(rows=len(b.rows), cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(b.widths[:cols]):
        table.columns[c].width = Mm(width)  # the grid LibreOffice and WPS size columns by
    for r, values in enumerate(b.rows):
        row = table.rows[r]
        for c, value in enumerate(values):
            cell = row.cells[c]
            if b.widths:
                cell.width = Mm(b.widths[c])
            p = cell.paragraphs[0]
            _no_grid(p)
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
            numeric = r > 0 and value.replace("%", "").replace(".", "").isdigit()
            p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if r == 0 or numeric or len(value) <= 6
                           else WD_ALIGN_PARAGRAPH.LEFT)
            _fonts(p.add_run(value), H1_FONT if r == 0 else BODY_FONT, TABLE_PT)
    _repeat_header(table)
    _exact_lines(doc.add_paragraph())  # 表下空一行, on the grid


def render(blocks: Iterable[Block], out: Path | str, title: str = "", author: str = "") -> Path:
    """Write the blocks as a GB/T 9704 document; returns the path."""
    doc = Document()
    setup_page(doc)
    body = doc.element.body
    for child in list(body):  # the default template's empty first paragraph
        if child.tag == qn("w:p"):
            body.remove(child)
    for b in blocks:
        if b.kind == "table":
            _table(doc, b)
        else:
            _paragraph(doc, b)
    doc.core_properties.title = title
    doc.core_properties.author = author or "整改台账"
    path = Path(out)
    doc.save(str(path))
    return path
