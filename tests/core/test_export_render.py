"""The exported ledger printed by a real spreadsheet program (LibreOffice, headless, to PDF):
A4 landscape, one page wide, the header on every page, page numbers, no hidden ids on paper."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.core.test_export_fixtures import AS_OF
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.excel.export import export_ledger
from tracker.excel.export_options import COLUMNS, ExportOptions

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("libreoffice") and shutil.which("pdftotext")),
                       reason="needs libreoffice and poppler-utils"),
]


def _to_pdf(xlsx: Path, tmp: Path) -> Path:
    # A private profile: LibreOffice refuses to start twice on one profile (parallel tests).
    profile = (tmp / "lo-profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(xlsx)],
                   check=True, capture_output=True, timeout=240)
    return xlsx.with_suffix(".pdf")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_printed_ledger_repeats_header_and_numbers_pages(
        demo_ledger: Ledger, tmp_path: Path) -> None:
    xlsx = tmp_path / "ledger.xlsx"
    export_ledger(demo_ledger, xlsx, ProblemFilter(),
                  ExportOptions(org="XX市教育局", report_date=AS_OF, stats=False))
    pdf = _to_pdf(xlsx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 595.3" in info  # A4, landscape (points)
    pages = _pages(pdf)
    assert len(pages) >= 3
    first_col, last_col = COLUMNS["number"].header, COLUMNS["remarks"].header
    for k, page in enumerate(pages, start=1):
        squeezed = page.replace(" ", "")
        assert first_col in squeezed and last_col in squeezed, f"page {k} is not one page wide"
        assert "存在问题" in squeezed and "整改措施" in squeezed, f"page {k} lacks the header"
        assert f"第{k}页共{len(pages)}页" in squeezed
        assert "问题ID" not in squeezed  # the round-trip columns stay off paper
    assert "XX市教育局问题整改台账" in pages[0].replace(" ", "")
