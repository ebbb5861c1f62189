"""生成报告…: preset from the window's filter, a first-page preview that follows the choices,
and the document written off the GUI thread with the same facts as `rectify report`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QDate, Qt

from tests.ui.ui_fixtures import TODAY, isolated_settings  # noqa: F401 (autouse fixture)
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.summary import ledger_summary, sentence
from tracker.writeup import ReportOptions, build_blocks, gather
from tracker.writeup.preview import first_page
from ui.dialogs.report_dialog import ReportDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _wait_preview(qtbot, dialog: ReportDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.timer.stop()
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview_task is None, timeout=20000)


def test_preview_shows_the_first_page(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_ledger, ProblemFilter(unit="市教育局"))
    qtbot.addWidget(dialog)
    assert dialog.unit.currentText() == "市教育局"
    _wait_preview(qtbot, dialog)
    text = dialog.preview.document().toPlainText()
    flt = ProblemFilter(unit="市教育局", as_of=TODAY)
    said = sentence(ledger_summary(demo_ledger, flt, TODAY), "市教育局牵头或配合的")
    assert said in text
    assert "（一）问题：" in text
    assert "下一步工作打算" not in text  # only page 1, not the whole report


def test_dispatch_turns_on_the_comparison(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_ledger)
    qtbot.addWidget(dialog)
    dialog.template.setCurrentIndex(dialog.template.findData("dispatch"))
    assert dialog.use_since.isChecked() and dialog.since.isEnabled()
    _wait_preview(qtbot, dialog)
    assert "本期整改进展" in dialog.preview.document().toPlainText()


def test_generate_writes_the_document(qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_ledger)
    qtbot.addWidget(dialog)
    dialog.template.setCurrentIndex(dialog.template.findData("inspection"))
    dialog.org.setText("中卫市教育局")
    dialog.as_of.setDate(QDate(2026, 9, 30))
    out = tmp_path / "通报.docx"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    assert dialog.written == out and out.is_file() and not dialog.open_file.isHidden()
    paras = [p.text for p in Document(str(out)).paragraphs if p.text.strip()]
    day = dt.date(2026, 9, 30)
    assert paras[1].startswith(sentence(ledger_summary(demo_ledger, ProblemFilter(as_of=day),
                                                       day)))
    assert paras[-2:] == ["中卫市教育局", "2026年11月23日"]


def test_errors_are_shown_not_raised(qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_ledger)
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(QDate(2026, 1, 1))
    dialog.use_since.setChecked(True)
    dialog.since.setDate(QDate(2026, 6, 1))  # after the as-of day
    _wait_preview(qtbot, dialog)
    assert "早于" in dialog.message.text()


def test_first_page_stops_at_22_lines(demo_ledger: Ledger) -> None:
    blocks = build_blocks(gather(demo_ledger, ReportOptions()))
    page = first_page(blocks)
    assert 3 <= len(page) < len(blocks)
    assert page[0].kind == "title"
