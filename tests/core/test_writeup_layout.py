"""GB/T 9704-2012 layout of every generated report: python-docx reads back the page, margins,
fonts, grid and page-number fields; LibreOffice (when installed) renders one to PDF, where the
page count, 22 lines a page, the page numbers' sides and the text staying on the page are
checked (Debian: libreoffice-writer-nogui, poppler-utils)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tests.conftest import TODAY
from tracker.db.engine import Ledger
from tracker.writeup import ReportOptions, write_report
from tracker.writeup import layout as lay

TEMPLATES = ("situation", "inspection", "dispatch")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three built-in reports of a 60-problem demo ledger."""
    from tracker.db.engine import open_ledger
    from tracker.demo import build_demo

    folder = tmp_path_factory.mktemp("reports")
    led: Ledger = open_ledger(folder / "demo.sqlite", user="测试员")
    try:
        build_demo(led, 60, today=TODAY)
        out = {}
        for name in TEMPLATES:
            since = TODAY - dt.timedelta(days=60) if name == "dispatch" else None
            out[name] = folder / f"{name}.docx"
            write_report(led, ReportOptions(template=name, since=since, org="中卫市教育局"),
                         out[name])
        return out
    finally:
        led.close()


def _east_asia(run: object) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize("name", TEMPLATES)
def test_page_margins_and_grid(reports: dict[str, Path], name: str) -> None:
    doc = Document(str(reports[name]))
    sec = doc.sections[0]
    mm = [round(x.mm, 1) if x is not None else None
          for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin,
                    sec.left_margin, sec.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]  # stored in twips: a tenth of a millimetre
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == str(lay.LINE_TWIPS)
    # 22 lines of 28.95 pt fill the 225 mm 版心; 28 condensed 3号 characters fill 156 mm.
    assert lay.LINES * lay.LINE_TWIPS / 20 <= Mm(225).pt < (lay.LINES + 1) * lay.LINE_TWIPS / 20
    assert lay.CHARS * (lay.BODY_PT + lay.CONDENSE_TWIPS / 20) <= Mm(156).pt


@pytest.mark.parametrize("name", TEMPLATES)
def test_fonts_are_named(reports: dict[str, Path], name: str) -> None:
    doc = Document(str(reports[name]))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {(_east_asia(r), r.font.size) for r in title.runs} == {(lay.TITLE_FONT, Pt(22))}
    body = paras[1]
    assert {(_east_asia(r), r.font.size) for r in body.runs} == {(lay.BODY_FONT, Pt(16))}
    firsts = [p for p in paras if re.match(r"[一二三四五六七八九十]+、", p.text)]
    assert firsts and all(_east_asia(p.runs[0]) == lay.H1_FONT for p in firsts)
    seconds = [p for p in paras if p.text.startswith("（")
               and re.match(r"（[一二三四五六七八九十]+）", p.text)]
    if name != "inspection":
        assert seconds and all(_east_asia(p.runs[0]) == lay.H2_FONT for p in seconds)


@pytest.mark.parametrize("name", TEMPLATES)
def test_page_numbers_outside_edge(reports: dict[str, Path], name: str) -> None:
    doc = Document(str(reports[name]))
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {(_east_asia(r), r.font.size) for r in p.runs} == {(lay.PAGE_FONT, Pt(14))}


@pytest.mark.parametrize("name", ("situation", "dispatch"))
def test_tables_repeat_their_header(reports: dict[str, Path], name: str) -> None:
    doc = Document(str(reports[name]))
    assert doc.tables
    for table in doc.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert table.style is not None and table.style.name == "Table Grid"


# ---------------------------------------------------------------- rendered by LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are not installed")


def _to_pdf(docx: Path, folder: Path) -> Path:
    profile = folder / "lo-profile"  # its own profile: other soffice runs may be going on
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",  # type: ignore[list-item]
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=240)
    return folder / (docx.stem + ".pdf")


def _words(pdf: Path) -> tuple[float, float, list[list[tuple[float, float, float, float, str]]]]:
    """Page size and, per page, each word's box (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert size is not None
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page)])
    return float(size.group(1)), float(size.group(2)), pages


@pytest.mark.slow
@needs_office
def test_rendered_pages(reports: dict[str, Path], tmp_path: Path) -> None:
    pdf = _to_pdf(reports["situation"], tmp_path)
    width, height, pages = _words(pdf)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(pages) >= 3
    left, right = Mm(28).pt, width - Mm(26).pt
    top, bottom = Mm(37).pt, height - Mm(35).pt
    for n, words in enumerate(pages, start=1):
        body = [w for w in words if w[3] <= bottom + 2]
        foot = [w for w in words if w[1] > bottom + 2]
        # No text falls off the page or out of the 版心.
        assert all(left - 2 <= w[0] and w[2] <= right + 2 and top - 2 <= w[1] for w in body)
        assert all(w[3] <= height for w in words)
        # "— n —" on the outside edge: odd pages right, even pages left.
        number = [w for w in foot if w[4] == str(n)]
        assert number, f"第{n}页没有页码"
        if n % 2:
            assert number[0][0] > width / 2
        else:
            assert number[0][2] < width / 2
    # A full page of body text holds 22 lines.
    lines = {round(w[1]) for w in pages[1] if w[3] <= bottom + 2}
    assert len(lines) == lay.LINES
