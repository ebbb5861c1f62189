"""The check page of the import wizard: the whole file is checked off the GUI thread, then
the preview (doubtful rows marked), the errors with a place to type the right value, and the
conflicts with a choice per row. Its 导入 button runs the import in the background."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from tracker.excel.import_plan import build_plan
from tracker.excel.roundtrip import KEEP_LEDGER, TAKE_FILE
from tracker.services.imports import apply_plan
from ui.dialogs.import_models import (
    CHOICE_LABELS,
    ConflictsModel,
    ErrorsModel,
    PreviewModel,
    preview_lines,
)
from ui.dialogs.import_pages import error_text
from ui.dialogs.import_state import ImportState
from ui.tasks import Cancelled, run_in_background

TAB_PREVIEW, TAB_ERRORS, TAB_CONFLICTS, TAB_COLUMNS = range(4)


class ChoiceDelegate(QStyledItemDelegate):
    """A 保留台账 / 采用文件 combo box for the conflicts table."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for key, label in CHOICE_LABELS.items():
            combo.addItem(QCoreApplication.translate("ImportWizard", label), key)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex  # noqa: N802
                      ) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _table(model: Any, parent: QWidget, widths: tuple[int, ...]) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
    return view


class CheckPage(QWizardPage):
    """Check, preview, correct, decide conflicts, import."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self._task: Any = None
        self._busy = False
        self.setTitle(self.tr("检查与预览"))
        self.setSubTitle(self.tr("整个文件先检查一遍：有错误时不会导入任何内容。黄色行是需要核对的提醒。"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("导入"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        # Importing the same hand-made ledger twice doubles every problem: say it loudly.
        self.duplicates_note = QLabel(self)
        self.duplicates_note.setWordWrap(True)
        self.duplicates_note.setStyleSheet(
            "color: #b3261e; font-weight: bold; border: 1px solid #b3261e; padding: 6px;")
        self.duplicates_note.hide()
        self.preview = PreviewModel(self)
        self.errors = ErrorsModel(self)
        self.conflicts = ConflictsModel(self)
        self.conflicts.dataChanged.connect(lambda *_: self._choices_changed())
        self.tabs = QTabWidget(self)
        self.preview_view = _table(self.preview, self, (110, 210, 200, 100, 230, 80, 200))
        self.tabs.addTab(self.preview_view, "")
        self.errors_view = _table(self.errors, self, (90, 50, 40, 160, 480))
        self.errors_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        recheck = QPushButton(self.tr("按改正的内容重新检查"), self)
        recheck.clicked.connect(self.recheck)
        self.tabs.addTab(self._box(QLabel(self.tr("在“改为”一栏填写正确的内容（只用于本次导入，不会修改 Excel 文件），"
                                                  "然后重新检查。"), self), self.errors_view, [recheck]),
                         "")
        self.conflicts_view = _table(self.conflicts, self, (110, 520, 220))
        self.conflicts_view.setItemDelegateForColumn(3, ChoiceDelegate(self))
        self.conflicts_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        keep = QPushButton(self.tr("全部保留台账中的内容"), self)
        keep.clicked.connect(lambda: self.conflicts.choose_all(KEEP_LEDGER))
        take = QPushButton(self.tr("全部采用文件中的内容"), self)
        take.clicked.connect(lambda: self.conflicts.choose_all(TAKE_FILE))
        self.tabs.addTab(self._box(QLabel(self.tr("这些内容导出后已在台账中修改过，文件里也改了。"
                                                  "请逐条选择保留哪一方。"), self),
                                   self.conflicts_view, [keep, take]), "")
        # 表头 → 字段 per column and every column left out: nothing is dropped in silence.
        self.columns_text = QPlainTextEdit(self)
        self.columns_text.setReadOnly(True)
        self.tabs.addTab(self._box(QLabel(self.tr("各列按下面的对应导入。要改时点“上一步”在列对应页修改。"),
                                          self), self.columns_text, []), "")
        self.date_row = self._date_row()
        layout = QVBoxLayout(self)
        layout.addWidget(self.duplicates_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.date_row)
        layout.addWidget(self.tabs, 1)
        self._update_tabs()

    def _date_row(self) -> QWidget:
        """Asked when the file has no 填报日期: the date 年底前 and 6月底前 are read against."""
        box = QWidget(self)
        self.date_label = QLabel(box)
        self.date_label.setWordWrap(True)
        self.date_edit = QDateEdit(box)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        apply = QPushButton(self.tr("按此填报日期重新检查"), box)
        apply.clicked.connect(self.use_date)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date_label, 1)
        row.addWidget(self.date_edit)
        row.addWidget(apply)
        box.hide()
        return box

    def use_date(self) -> None:
        """Check again with the 填报日期 the clerk chose."""
        chosen = self.date_edit.date()
        self.state.date = dt.date(chosen.year(), chosen.month(), chosen.day())
        self.run_check()

    def _show_date(self, plan: Any) -> None:
        guessed = [s for s in plan.sheets if not s.skipped and s.reference is not None
                   and s.reference_from.startswith("表中没有填报日期")]
        if not guessed or self.state.date is not None:
            self.date_row.setVisible(self.state.date is not None)
            if self.state.date is not None:
                self.date_label.setText(self.tr("相对时限（年底前等）按指定的填报日期解读："))
            return
        first = guessed[0]
        self.date_label.setText(self.tr("工作表“{s}”没有填报日期，相对时限（年底前等）暂按{d}解读（{w}）。"
                                        "请选择表格的填报日期：").format(
            s=first.name, d=first.reference.strftime("%Y-%m-%d"), w=first.reference_from))
        self.date_edit.setDate(QDate(first.reference))
        self.date_row.show()

    def _box(self, label: QLabel, view: QWidget, buttons: list[QPushButton]) -> QWidget:
        box = QWidget(self)
        label.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        col = QVBoxLayout(box)
        col.addWidget(label)
        col.addWidget(view, 1)
        col.addLayout(row)
        return box

    def initializePage(self) -> None:  # noqa: N802
        self.state.plan = None
        self.state.result = None
        self.run_check()

    def run_check(self) -> None:
        """Build the plan in the background; the tables fill when it is done."""
        self.state.plan = None
        self._busy = True
        self.summary.setText(self.tr("正在检查整个文件…"))
        self.completeChanged.emit()
        book, options, ledger = self.state.book, self.state.options(), self.state.ledger
        assert book is not None
        self._task = run_in_background(
            lambda progress: build_plan(ledger, book, options, progress),
            self._checked, self._failed, self, self.tr("正在检查文件…"))

    def recheck(self) -> None:
        """Check again with the values typed in the 改为 column."""
        self.state.corrections.update(self.errors.corrections())
        self.run_check()

    def _checked(self, plan: Any) -> None:
        self._busy = False
        self.state.plan = plan
        self.preview.set_lines(preview_lines(plan))
        self.errors.set_errors(plan.errors)
        self.conflicts.set_conflicts(plan.conflicts, self.state.choices)
        if plan.errors:
            text = self.tr("发现 {n} 处错误，没有导入任何内容。请在“错误”页改正后重新检查，"
                           "或改好 Excel 文件后重新导入。").format(n=len(plan.errors))
            self.summary.setStyleSheet("color: #b3261e;")
            self.tabs.setCurrentIndex(TAB_ERRORS)
        else:
            text = plan.summary()
            self.summary.setStyleSheet("")
            self.tabs.setCurrentIndex(TAB_CONFLICTS if plan.conflicts else TAB_PREVIEW)
        self.summary.setText(text)
        self.columns_text.setPlainText(plan.mapping_text())
        self._show_date(plan)
        self._show_duplicates(plan)
        self._update_tabs()
        self.completeChanged.emit()

    def _show_duplicates(self, plan: Any) -> None:
        if plan.errors or not plan.duplicates:
            self.duplicates_note.hide()
            return
        if plan.all_duplicates:
            text = self.tr("注意：文件中的 {n} 个问题台账里都已经有了，像是同一份台账重复导入。"
                           "确要再导入一遍，才点“导入”。").format(n=len(plan.problems))
        else:
            text = self.tr("注意：其中 {n} 个问题台账里已有相同的，可能是重复导入，"
                           "请核对预览中的黄色行。").format(n=plan.duplicates)
        self.duplicates_note.setText(text)
        self.duplicates_note.show()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if not isinstance(exc, Cancelled):
            self.summary.setText(error_text(exc))
            self.summary.setStyleSheet("color: #b3261e;")
        self.completeChanged.emit()

    def _choices_changed(self) -> None:
        self.state.choices.update(self.conflicts.choices())
        self._update_tabs()
        self.completeChanged.emit()

    def _update_tabs(self) -> None:
        plan = self.state.plan
        rows = self.preview.rowCount()
        warned = self.preview.warned_rows()
        self.tabs.setTabText(TAB_PREVIEW, self.tr("预览（{n} 行，{w} 处提醒）").format(n=rows, w=warned))
        self.tabs.setTabText(TAB_ERRORS, self.tr("错误（{n}）").format(n=self.errors.rowCount()))
        undecided = self.conflicts.undecided()
        self.tabs.setTabText(TAB_CONFLICTS, self.tr("冲突（{n}，未选择 {u}）").format(
            n=self.conflicts.rowCount(), u=undecided))
        self.tabs.setTabEnabled(TAB_CONFLICTS, bool(plan and plan.conflicts))
        unused = sum(len(s.unused) for s in plan.sheets) if plan else 0
        self.tabs.setTabText(TAB_COLUMNS, self.tr("列对应（{n} 列未导入）").format(n=unused))

    def isComplete(self) -> bool:  # noqa: N802
        plan = self.state.plan
        if self._busy or plan is None or plan.errors:
            return False
        if not (plan.problems or plan.updates):
            return False
        return self.conflicts.undecided() == 0

    def validatePage(self) -> bool:  # noqa: N802
        """导入: the first press starts the import; the wizard moves on when it is done."""
        if self.state.result is not None:
            return True
        if self._busy or self.state.plan is None:
            return False
        self._busy = True
        self.completeChanged.emit()
        plan, ledger, choices = self.state.plan, self.state.ledger, dict(self.state.choices)
        self._task = run_in_background(
            lambda progress: apply_plan(ledger, plan, choices, progress),
            self._imported, self._import_failed, self, self.tr("正在导入…"))
        return False

    def cancel_running(self) -> None:
        """Stop a check or import still running (the wizard is being closed)."""
        if self._busy and self._task is not None:
            self._task.cancel()

    def _imported(self, result: Any) -> None:
        self._busy = False
        self.state.result = result
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _import_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.completeChanged.emit()
        if isinstance(exc, Cancelled):
            self.summary.setText(self.tr("已取消导入，台账没有任何改动。"))
            return
        QMessageBox.warning(self, self.tr("导入失败"),
                            self.tr("没有导入任何内容。\n\n") + error_text(exc))


class DonePage(QWizardPage):
    """What was imported."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle(self.tr("导入完成"))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        result = self.state.result
        self.label.setText(result.summary() if result is not None else "")
