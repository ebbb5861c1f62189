"""退回, 批准延期 and 回头看 from the window: each through its dialog, each one undo step that
takes back exactly what it did (the extension record, the recheck record, the status)."""

from __future__ import annotations

import pytest

from tests.ui.ui_fixtures import isolated_settings, small_ledger  # noqa: F401
from tests.ui.window_helpers import select_text, wait_loaded, window  # noqa: F401
from tracker.domain import Status
from tracker.services.cycle import extensions_by_measure, rechecks_of
from tracker.services.queries import get_problem
from ui.dialogs.cycle_dialogs import ExtendDialog, RecheckDialog, SendBackDialog


def test_a_done_measure_is_sent_back_and_the_undo_restores_it(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    pid = select_text(window, "经费")

    def fill(self):  # type: ignore[no-untyped-def]
        self.reason.setPlainText("拨付凭证缺少盖章")
        return self.try_save()

    monkeypatch.setattr(SendBackDialog, "exec", fill)
    window.menus.send_back.trigger()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).status is Status.IN_PROGRESS
    window.stack.undo()
    wait_loaded(qtbot, window, 5)
    back = get_problem(window.ledger, pid)
    assert back.status is Status.DONE and not any("退回" in n.text for n in back.measures[0].notes)


def test_an_extension_undoes_to_the_original_deadline(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    pid = select_text(window, "缺编")
    before = get_problem(window.ledger, pid).measures[0]

    def fill(self):  # type: ignore[no-untyped-def]
        assert self.measure.count() == 1
        self.to.setText("2027年6月底前")
        self.reason.setPlainText("编制调整需省里批复")
        return self.try_save()

    monkeypatch.setattr(ExtendDialog, "exec", fill)
    window.menus.extend.trigger()
    wait_loaded(qtbot, window, 5)
    m = get_problem(window.ledger, pid).measures[0]
    assert m.extended and m.deadline_text == "2027年6月底前"
    assert "原定" in window.detail.detail.toPlainText()
    window.stack.undo()
    wait_loaded(qtbot, window, 5)
    m = get_problem(window.ledger, pid).measures[0]
    assert (m.deadline, m.deadline_text, m.extended) == (before.deadline, before.deadline_text,
                                                         False)
    assert extensions_by_measure(window.ledger, [m.id]) == {}
    window.stack.redo()
    assert get_problem(window.ledger, pid).measures[0].extended


def test_a_failed_recheck_reopens_and_its_undo_closes_again(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    pid = select_text(window, "大班额")

    def fill(self):  # type: ignore[no-untyped-def]
        self.outcome.setCurrentIndex(1)
        self.note.setPlainText("新学期又出现大班额")
        return self.try_save()

    monkeypatch.setattr(RecheckDialog, "exec", fill)
    window.menus.recheck.trigger()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).status is Status.IN_PROGRESS
    window.stack.undo()
    wait_loaded(qtbot, window, 5)
    assert get_problem(window.ledger, pid).status is Status.CLOSED
    assert rechecks_of(window.ledger, pid) == []


def test_closeout_forms_of_the_selected_problems(qtbot, window, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    select_text(window, "大班额")
    target = tmp_path / "销号单"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: said.append(text))
    window.menus.forms.trigger()
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "已生成 1 张整改销号单" in said[0]
    assert load_workbook(str(target) + ".xlsx").worksheets[0]["A1"].value == "整改销号单"


def test_closeout_forms_as_pdf_when_that_filter_is_chosen(qtbot, window, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice 未安装：无法转换 PDF")
    select_text(window, "大班额")
    target = tmp_path / "销号单"
    # The clerk picks the PDF filter and types a name without an extension.
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _w, _t, _d, filters: (str(target), filters.split(";;")[1]))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: said.append(text))
    window.menus.forms.trigger()
    QThreadPool.globalInstance().waitForDone(120_000)
    qtbot.waitUntil(lambda: bool(said), timeout=120_000)
    pdf = target.with_suffix(".pdf")
    assert "已生成 1 张整改销号单" in said[0] and pdf.exists()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "整改销号单" in text.replace(" ", "")
