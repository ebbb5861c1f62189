"""文件 > 导入 Excel 台账…: choose the file (a ledger, or a unit's returned package) and sheet,
check the header and columns, preview the problems and measures (doubtful rows marked, errors
correctable, conflicts decided) and a package's evidence files, then import in one
transaction off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget, QWizard

from tracker.db.engine import Ledger
from tracker.excel.import_plan import build_plan
from tracker.excel.package_plan import plan_files
from tracker.services.imports import apply_plan
from ui.dialogs.import_check_page import CheckPage, DonePage
from ui.dialogs.import_pages import FilePage, MappingPage
from ui.dialogs.import_state import ImportState
from ui.tasks import run_in_background


class PackageCheckPage(CheckPage):
    """The check page, which for a package also plans its files (listed on their own tab)
    and imports them with the ledger in the same transaction."""

    def __init__(self, state: ImportState) -> None:
        super().__init__(state)
        self.files_text = QPlainTextEdit(self)
        self.files_text.setReadOnly(True)
        self.files_tab = self.tabs.addTab(self.files_text, self.tr("佐证材料"))
        self.tabs.setTabVisible(self.files_tab, False)

    def run_check(self) -> None:
        """Plan the ledger, then a package's files, in the background."""
        self.state.files = None
        layout = self.state.package
        self.tabs.setTabVisible(self.files_tab, layout is not None)
        if layout is None:
            super().run_check()
            return
        self.state.plan = None
        self._busy = True
        self.summary.setText(self.tr("正在检查整个材料包…"))
        self.completeChanged.emit()
        book, options, ledger = self.state.book, self.state.options(), self.state.ledger
        assert book is not None

        def work(progress: Any) -> Any:
            plan = build_plan(ledger, book, options, progress)
            return plan, None if plan.errors else plan_files(ledger, layout, plan, book, progress)

        self._task = run_in_background(work, self._package_checked, self._failed, self,
                                       self.tr("正在检查材料包…"))

    def _package_checked(self, result: Any) -> None:
        plan, files = result
        self.state.files = files
        self.files_text.setPlainText("\n".join(files.lines()) if files is not None else "")
        if files is not None:
            self.tabs.setTabText(self.files_tab, self.tr("佐证材料（将上传 {n} 个）").format(
                n=len(files.new_files)))
        self._checked(plan)
        if files is not None and not plan.errors:
            self.summary.setText(self.summary.text() + self.tr("\n材料包中将上传 {n} 个佐证材料，"
                                                               "见“佐证材料”页。").format(
                n=len(files.new_files)))

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        files, plan = self.state.files, self.state.plan
        if (files is not None and files.new_files and plan is not None and not plan.errors
                and not self._busy and self.conflicts.undecided() == 0):
            return True  # a package may bring only evidence, the ledger unchanged
        return super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802
        """导入: the ledger and a package's files in one transaction."""
        files = self.state.files
        if files is None or self.state.result is not None:
            return super().validatePage()
        if self._busy or self.state.plan is None:
            return False
        self._busy = True
        self.completeChanged.emit()
        plan, ledger, choices = self.state.plan, self.state.ledger, dict(self.state.choices)
        pending = files.pending()
        self._task = run_in_background(
            lambda progress: apply_plan(ledger, plan, choices, progress, attachments=pending),
            self._imported, self._import_failed, self, self.tr("正在导入…"))
        return False


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
        self.check_page = PackageCheckPage(self.state)
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
