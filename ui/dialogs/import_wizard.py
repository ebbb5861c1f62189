"""文件 > 导入 Excel 台账…: choose the file and sheet, check the header and columns, preview
the problems and measures (doubtful rows marked, errors correctable, conflicts decided), then
import in one transaction off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from tracker.db.engine import Ledger
from ui.dialogs.import_check_page import CheckPage, DonePage
from ui.dialogs.import_pages import FilePage, MappingPage
from ui.dialogs.import_state import ImportState


class ImportWizard(QWizard):
    """The import wizard; ``imported`` carries the ImportResult after a successful import."""

    imported = Signal(object)

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = ImportState(ledger)
        self.setWindowTitle(self.tr("导入 Excel 台账"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # nothing to undo
        self.file_page = FilePage(self.state)
        self.mapping_page = MappingPage(self.state)
        self.check_page = CheckPage(self.state)
        self.done_page = DonePage(self.state)
        for page in (self.file_page, self.mapping_page, self.check_page, self.done_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("上一步"))
        self.resize(1100, 720)
        self.currentIdChanged.connect(self._page_changed)

    def open_file(self, path: str | Path) -> None:
        """Start with ``path`` already chosen (drag and drop, recent files, tests)."""
        self.file_page.open_file(Path(path))

    def _page_changed(self, _id: int) -> None:
        if self.currentPage() is self.done_page and self.state.result is not None:
            self.imported.emit(self.state.result)

    def done(self, result: int) -> None:
        """Close the workbook whichever way the wizard ends; closing during an import cancels
        it (its transaction rolls back), so nothing is written after the window is gone."""
        self.check_page.cancel_running()
        self.state.close_book()
        super().done(result)
