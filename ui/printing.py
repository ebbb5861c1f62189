"""Printing the ledger from the window: print preview and PDF export, the data read off the GUI
thread and drawn by ui.ledger_painter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter
from tracker.errors import TrackerError
from tracker.services.queries import count_problems
from ui.ledger_painter import (
    PREVIEW_WARN_PROBLEMS,
    LedgerPainter,
    PrintJob,
    ProgressFn,
    _tr,
    load_job,
    page_layout,
    render_pdf,
)
from ui.tasks import run_in_background

__all__ = ["LedgerPainter", "export_pdf_dialog", "load_job", "page_layout", "print_preview",
           "render_pdf"]

_running: set[object] = set()  # tasks in flight: a task nobody holds is deleted with its signals


def _start(fn: Callable[[ProgressFn], object], on_done: Callable[[object], None],
           parent: QWidget | None, label: str) -> None:
    holder: list[object] = []

    def done(result: object) -> None:
        _running.discard(holder[0])
        on_done(result)

    def failed(exc: BaseException) -> None:
        _running.discard(holder[0])
        _show_error(parent, exc)

    task = run_in_background(fn, done, failed, parent, label)
    holder.append(task)
    _running.add(task)


def _show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, TrackerError):
        QMessageBox.warning(parent, _tr("整改台账"), exc.message)
    elif exc.__class__.__name__ != "Cancelled":
        QMessageBox.critical(parent, _tr("整改台账"), _tr("操作失败：{e}").format(e=exc))


def print_preview(ledger: Ledger, flt: ProblemFilter, parent: QWidget | None) -> None:
    """Read the current filtered ledger in the background, then open the print preview."""
    n = count_problems(ledger, flt)
    if n > PREVIEW_WARN_PROBLEMS:
        answer = QMessageBox.question(parent, _tr("打印预览"), _tr(
            "当前筛选有 {n} 个问题，预览会很慢并占用较多内存。建议先筛选，或改用“导出 PDF”。"
            "仍要预览吗？").format(n=n))
        if answer != QMessageBox.StandardButton.Yes:
            return

    def show(job: object) -> None:
        assert isinstance(job, PrintJob)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout())
        printer.setDocName(job.title)
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(_tr("打印预览 - {title}").format(title=job.title))
        dialog.paintRequested.connect(lambda device: LedgerPainter(job, device).paint())
        dialog.resize(1100, 800)
        dialog.exec()

    _start(lambda progress: load_job(ledger, flt, progress=progress), show, parent,
           _tr("正在准备打印…"))


def export_pdf_dialog(ledger: Ledger, flt: ProblemFilter, parent: QWidget | None) -> None:
    """Ask where to save, write the PDF in the background, then offer to open it."""
    from ui.dialogs.export_dialog import export_folder

    name, _ = QFileDialog.getSaveFileName(parent, _tr("导出 PDF"),
                                          str(export_folder() / "整改台账.pdf"),
                                          _tr("PDF 文件 (*.pdf)"))
    if not name:
        return
    path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")

    def done(pages: object) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _tr("导出 PDF"),
                          _tr("已导出 {n} 页到\n{path}").format(n=pages, path=path),
                          QMessageBox.StandardButton.Close, parent)
        open_file = box.addButton(_tr("打开文件"), QMessageBox.ButtonRole.ActionRole)
        open_dir = box.addButton(_tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif box.clickedButton() is open_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    _start(lambda progress: render_pdf(ledger, flt, path, progress=progress), done, parent,
           _tr("正在导出 PDF…"))
