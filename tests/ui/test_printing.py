"""Printing from the window: the PDF and the print preview follow the ledger's rules (A4
landscape, header on every page, 第 N 页 共 M 页, a problem kept together or split only between
its measure rows with its cells drawn again, overdue marked)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPdfWriter
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from tests.ui.ui_fixtures import TODAY, isolated_settings  # noqa: F401 (autouse fixture)
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services.problems import create_problem
from tracker.services.queries import count_problems
from ui.printing import LedgerPainter, load_job, page_layout, print_preview, render_pdf

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [_norm(p) for p in text.split("\f") if p.strip()]


def _norm(text: str) -> str:
    """Text as extracted, comparable: Qt's PDF text layer maps some shared glyphs back to
    radicals (⽇ for 日, ⻚ for 页), so both sides are folded the same way."""
    return unicodedata.normalize("NFKC", text).replace("⻚", "页").replace(" ", "")


@needs_poppler
def test_pdf_has_title_header_on_every_page_and_page_numbers(
        qapp, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "台账.pdf"
    n = render_pdf(demo_ledger, ProblemFilter(as_of=TODAY), path, org="XX市教育局", day=TODAY)
    pages = _pages(path)
    assert len(pages) == n >= 3
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert size and float(size[1]) > float(size[2])  # A4, landscape
    assert _norm("XX市教育局问题整改台账") in pages[0]
    assert _norm("填报日期：2026年11月23日") in pages[0]
    for k, page in enumerate(pages, start=1):
        assert all(_norm(h) in page for h in ("序号", "存在问题", "整改目标", "备注")), k
        assert _norm(f"第 {k} 页 共 {n} 页") in page


@needs_poppler
def test_pdf_of_the_overdue_filter_marks_overdue_measures(
        qapp, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "逾期.pdf"
    flt = ProblemFilter(overdue=True, as_of=TODAY)
    render_pdf(demo_ledger, flt, path, "逾期问题清单", day=TODAY,
               columns=("number", "description", "measure", "deadline", "status"))
    text = "".join(_pages(path))
    # Every listed problem has at least one overdue measure, marked "整改中（逾期）" or the like.
    assert text.count(_norm("（逾")) >= count_problems(demo_ledger, flt) > 0
    assert _norm("整改目标") not in text and _norm("存在问题") in text  # the chosen columns


def _job_with(ledger: Ledger, measures: int, words: int) -> LedgerPainter:
    create_problem(ledger, ProblemInput(
        description="学位不足" * words, lead_unit="市教育局",
        measures=tuple(MeasureInput(f"措施{i}" * 10, status=Status.IN_PROGRESS)
                       for i in range(measures))))
    job = load_job(ledger, ProblemFilter(), day=TODAY)
    writer = QPdfWriter(str(Path(ledger.path).with_suffix(".pdf")))
    writer.setResolution(300)
    writer.setPageLayout(page_layout())
    return LedgerPainter(job, writer)


def test_small_problems_are_never_split_across_pages(qapp, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        create_problem(ledger, ProblemInput(description="食堂留样不规范" * 8, measures=(
            MeasureInput("开展专项检查" * 3), MeasureInput("落实陪餐制度" * 3))))
    job = load_job(ledger, ProblemFilter(), day=TODAY)
    writer = QPdfWriter(str(ledger.path.with_suffix(".pdf")))
    writer.setPageLayout(page_layout())
    pages = LedgerPainter(job, writer).paginate()
    assert len(pages) > 1
    placed = [piece for page in pages for piece in page]
    assert len(placed) == 30  # one piece per problem: none was split
    assert all((p.first, p.last) == (0, 2) for p in placed)


def test_problem_taller_than_the_rest_of_a_page_splits_between_measure_rows(
        qapp, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    painter = _job_with(ledger, measures=40, words=5)
    pages = painter.paginate()
    pieces = [piece for page in pages for piece in page]
    assert len(pages) >= 2 and len(pieces) == len(pages)
    assert pieces[0].first == 0 and pieces[-1].last == 40
    for before, after in zip(pieces, pieces[1:]):
        assert after.first == before.last  # consecutive measure rows, none lost or repeated
    assert painter.paint() == len(pages)


def test_print_preview_opens_with_the_filtered_ledger(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def close_preview() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QPrintPreviewDialog) and w.isVisible():
                seen.append(w.windowTitle())
                w.reject()
                return
        QTimer.singleShot(50, close_preview)

    QTimer.singleShot(50, close_preview)
    print_preview(demo_ledger, ProblemFilter(unit="市教育局", as_of=TODAY), None)
    qtbot.waitUntil(lambda: bool(seen), timeout=30000)
    assert seen == ["打印预览 - 问题整改台账（市教育局）"]
