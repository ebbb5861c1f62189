"""The demo ledger on paper, as LibreOffice prints it: at most 27 pages, every page but the last
at least 80 % full, and no cell's text taller than its row (clipped). The clipping check asks
LibreOffice itself: every cell's text is laid out again in a row of its own with no stored
height (LibreOffice sizes it), and that height must not exceed what the export stored."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tests.conftest import TODAY
from tracker.db.engine import open_ledger
from tracker.demo import build_demo
from tracker.domain import ProblemFilter
from tracker.excel.export import export_ledger
from tracker.excel.export_options import GROUP_PREFIX, ExportOptions
from tracker.excel.styles import set_default_font

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("libreoffice") and shutil.which("pdftotext")
                            and shutil.which("pdftoppm")),
                       reason="needs libreoffice and poppler-utils"),
]
DEMO_PROBLEMS = 120
MAX_PAGES = 27
MIN_FILL = 0.80
FIRST_BODY_ROW = 3  # the header row: checked too
SCALE_ROW_PT = 200.0
SPARE_PT = 40.0  # verification rows are this much taller than the export's: overflow shows


def _to_pdf(xlsx: Path, tmp: Path) -> Path:
    profile = (tmp / "lo-profile").as_uri()  # a private profile: parallel runs don't clash
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(xlsx.parent), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    return xlsx.with_suffix(".pdf")


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


def _fills(pdf: Path, tmp: Path, dpi: int = 40) -> list[float]:
    """How far down its printable area each page's table reaches (its lowest grid line)."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(tmp / "pg")], check=True)
    fills = []
    for pgm in sorted(tmp.glob("pg-*.pgm")):
        data = pgm.read_bytes()
        head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert head is not None
        w, h = int(head.group(1)), int(head.group(2))
        pixels = data[head.end():]
        top, bottom = round(0.6 * dpi), h - round(0.7 * dpi)
        lowest = top
        for y in range(bottom, top, -1):
            row = pixels[y * w:(y + 1) * w]
            if sum(1 for p in row if p < 128) > w // 3:  # a grid line across the table
                lowest = y
                break
        fills.append((lowest - top) / (bottom - top))
    return fills


def _cells(xlsx: Path) -> tuple[list[float], list[list[tuple[int, str]]], list[float]]:
    """Column widths, and the table's cells from the header down in groups that share one
    height: each row's own cells, and each problem's merged cells (their rows together)."""
    ws = load_workbook(xlsx)["台账"]
    n = sum(1 for i in range(1, ws.max_column + 1)
            if not ws.column_dimensions[get_column_letter(i)].hidden)
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, n + 1)]
    spans = {(r.min_row, r.min_col): r.max_row for r in ws.merged_cells.ranges
             if r.max_row > r.min_row}
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, n + 1).value is not None)
    groups: list[list[tuple[int, str]]] = []
    allowed: list[float] = []
    for r in range(FIRST_BODY_ROW, last + 1):
        own: list[tuple[int, str]] = []
        merged: list[tuple[int, str]] = []
        bottom = r
        for c in range(1, n + 1):
            text = ws.cell(r, c).value
            if text and (r, c) in spans:
                merged.append((c, str(text)))
                bottom = spans[r, c]
            elif text:
                own.append((c, str(text)))
        for cells, end in ((own, r), (merged, bottom)):
            if cells:
                groups.append(cells)
                allowed.append(sum(heights[k] for k in range(r, end + 1)))
    return widths, groups, allowed


WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def _overflows(widths: list[float], groups: list[list[tuple[int, str]]],
               allowed: list[float], tmp: Path) -> list[tuple[str, float, float]]:
    """Each group laid out again by LibreOffice, top-aligned in a row SPARE_PT taller than the
    export gave it: (text, its printed height in sheet points, the height allowed)."""
    wb = Workbook()
    set_default_font(wb)
    ws = wb.active
    n = len(widths)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.column_dimensions[get_column_letter(n + 1)].width = 12
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    top, font = Alignment(wrap_text=True, vertical="top"), Font(name="宋体", size=10)
    ws.cell(1, 1, "Q").alignment = top  # where the table starts on paper
    ws.row_dimensions[1].height = SCALE_ROW_PT
    ws.cell(2, n + 1, "QZS").alignment = top
    for k, cells in enumerate(groups):
        row = k + 3
        for c, text in cells:
            cell = ws.cell(row, c, text)
            cell.alignment, cell.font = top, font
        if cells[0][1].startswith(GROUP_PREFIX) and len(cells) == 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)  # spans the table
        ws.cell(row, n + 1, f"QZ{k}").alignment = top
        ws.row_dimensions[row].height = allowed[k] + SPARE_PT
    path = tmp / "verify.xlsx"
    wb.save(path)
    out = subprocess.run(["pdftotext", "-bbox", str(_to_pdf(path, tmp)), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = [[(float(x), float(y0), float(y1), w) for x, y0, y1, w in WORD.findall(body)]
             for body in out.split("<page ")[1:]]
    first = {w: (x, y0) for x, y0, _, w in pages[0]}
    scale = (first["QZS"][1] - first["Q"][1]) / SCALE_ROW_PT
    # Column edges: the table's printed width shared out by the widths (LibreOffice's
    # widths are proportional to them; text starts a little inside its cell).
    left, right = first["Q"][0], first["QZS"][0]
    bounds = [left - 3 + (right - left) * sum(widths[:c]) / sum(widths) for c in range(n + 1)]
    found = []
    for page in pages:
        tags = sorted((y0, int(w[2:])) for _, y0, _, w in page if re.fullmatch(r"QZ\d+", w))
        for i, (y, k) in enumerate(tags):
            below = tags[i + 1][0] if i + 1 < len(tags) else 1e9
            for c, text in groups[k]:
                lo, hi = bounds[c - 1], bounds[c]
                ys = [y1 for x, y0, y1, _ in page if lo <= x < hi and y - 1 <= y0 < below]
                found.append((text, (max(ys) - y) / scale if ys else 0.0, allowed[k]))
    assert len(found) == sum(len(g) for g in groups)  # every cell was printed and measured
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("paper")
    ledger = open_ledger(tmp / "demo.sqlite", user="测试员")
    try:
        build_demo(ledger, DEMO_PROBLEMS, today=TODAY)  # what `rectify demo` builds
        xlsx = tmp / "ledger.xlsx"
        export_ledger(ledger, xlsx, ProblemFilter(),
                      ExportOptions(org="XX市教育局", report_date=TODAY, stats=False))
    finally:
        ledger.close()
    return xlsx, _to_pdf(xlsx, tmp)


def test_demo_ledger_prints_on_few_full_pages(printed: tuple[Path, Path], tmp_path: Path
                                              ) -> None:
    _, pdf = printed
    pages = _page_count(pdf)
    assert pages <= MAX_PAGES
    fills = _fills(pdf, tmp_path)
    assert len(fills) == pages
    thin = [(k, round(f, 2)) for k, f in enumerate(fills[:-1], start=1) if f < MIN_FILL]
    assert not thin, f"pages under {MIN_FILL:.0%} full: {thin}"


def test_no_cell_text_is_taller_than_its_rows(printed: tuple[Path, Path], tmp_path: Path
                                              ) -> None:
    xlsx, _ = printed
    widths, groups, allowed = _cells(xlsx)
    # A control: a cell given one line for a dozen lines of text must be caught.
    groups.append([(len(widths) // 2, "学位紧张" * 30)])
    allowed.append(15.0)
    *cells, control = _overflows(widths, groups, allowed, tmp_path)
    assert control[1] > 3 * control[2]
    assert max(tall for _, tall, _ in cells) > 40  # the check does see wrapped text
    clipped = [(text[:20], round(tall, 1), room) for text, tall, room in cells if tall > room]
    assert not clipped, f"{len(clipped)} of {len(cells)} cells clipped, e.g. {clipped[:5]}"
