"""The first two pages of the import wizard: choose the file and sheet (read off the GUI
thread), then check the detected header row and column mapping and change it if needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from tracker.errors import TrackerError
from tracker.excel.header_detect import FIELD_LABELS, ID_FIELDS
from tracker.excel.import_preview import analyse_workbook, guess_sheet, remapped, with_header_row
from tracker.excel.package_plan import read_package
from tracker.excel.reading import open_workbook
from ui.dialogs.import_state import ALL_SHEETS, ImportState
from ui.tasks import run_in_background

HEADER_BRUSH = QBrush(QColor("#dbe8f7"))
NOT_MAPPED = -1


def error_text(exc: BaseException) -> str:
    """The Chinese message of an error (with every bad cell for a rejected file)."""
    if isinstance(exc, TrackerError):
        full = getattr(exc, "full_text", None)
        return full() if callable(full) else exc.message
    return str(exc)


class FilePage(QWizardPage):
    """Choose the .xlsx file and which sheet to import; the file is read in the background."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self._task: Any = None
        self.setTitle(self.tr("选择 Excel 台账"))
        self.setSubTitle(self.tr("可以导入手工制作的台账，也可以导入本程序导出、由各单位填报后交回的台账"
                                 "或材料包（.zip，其中的佐证材料随台账一起导入）。"))
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("尚未选择文件"))
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_edit = QLineEdit(self)
        self.source_edit.textChanged.connect(lambda t: setattr(self.state, "source", t))
        self.blank_box = QCheckBox(self.tr("“存在问题”为空且未合并的行，并入上一个问题（默认作为错误列出）"),
                                   self)
        self.blank_box.toggled.connect(lambda on: setattr(self.state, "blank_continues", on))
        self.as_new_box = QCheckBox(self.tr("全部作为新问题导入（不按文件中隐藏的编号更新原有问题；"
                                            "用于从另一个台账导出的文件）"), self)
        self.as_new_box.setEnabled(False)  # only for files this app exported
        self.as_new_box.toggled.connect(self._as_new_toggled)

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("文件："), row)
        form.addRow(self.tr("工作表："), self.sheet_combo)
        form.addRow(self.tr("问题来源："), self.source_edit)
        form.addRow("", self.blank_box)
        form.addRow("", self.as_new_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _browse(self) -> None:
        start = str(self.state.path.parent) if self.state.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择 Excel 台账"), start,
            self.tr("Excel 台账或材料包 (*.xlsx *.xlsm *.zip);;所有文件 (*)"))
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Read ``path`` in the background; the sheet list fills in when it is done."""
        self.state.close_book()
        self.state.path = path
        self.state.guesses = []
        self.state.mappings.clear()
        self.state.corrections.clear()
        self.path_edit.setText(str(path))
        self.sheet_combo.clear()
        self.source_edit.setPlaceholderText(self.tr("默认：{stem}（不写时用文件名和填报日期的年份）")
                                            .format(stem=path.stem))
        self.status.setText(self.tr("正在读取文件…"))
        self.completeChanged.emit()

        workdir = self.state.new_workdir() if path.suffix.lower() == ".zip" else None

        def work(progress: Any) -> Any:
            # A package: checked whole, its ledger taken out, then read like any .xlsx.
            package = read_package(path, workdir) if workdir is not None else None
            book = open_workbook(package.ledger if package is not None else path)
            try:
                return book, analyse_workbook(book, progress), package
            except BaseException:
                book.close()
                raise

        self._task = run_in_background(work, self._opened, self._failed, self,
                                       self.tr("正在读取 Excel 文件…"))

    def _as_new_toggled(self, on: bool) -> None:
        self.state.as_new = on
        self._sheet_changed()

    def _opened(self, result: Any) -> None:
        self.state.book, self.state.guesses, self.state.package = result
        exported = any(g.mapping is not None and g.mapping.is_round_trip
                       for g in self.state.guesses)
        self.as_new_box.setEnabled(exported)
        if not exported:
            self.as_new_box.setChecked(False)
        ledgers = [g for g in self.state.guesses if g.is_ledger]
        self.sheet_combo.blockSignals(True)
        if len(ledgers) > 1 or not ledgers:
            self.sheet_combo.addItem(self.tr("全部台账工作表（{n} 个）").format(n=len(ledgers)),
                                     ALL_SHEETS)
        for g in self.state.guesses:
            mark = self.tr("（已识别表头）") if g.is_ledger else self.tr("（未识别表头）")
            self.sheet_combo.addItem(g.name + mark, g.name)
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setCurrentIndex(0)
        self._sheet_changed()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.state.close_book()
        self.status.setText(error_text(exc))
        self.status.setStyleSheet("color: #b3261e;")
        self.completeChanged.emit()

    def _sheet_changed(self) -> None:
        self.state.sheet = self.sheet_combo.currentData() or ALL_SHEETS
        self.status.setStyleSheet("")
        lines = []
        if self.state.package is not None:
            lines.append(self.tr("材料包：台账“{b}”，{n} 个问题文件夹（其中的文件在检查页列出）").format(
                b=self.state.package.ledger.name, n=len(self.state.package.folders)))
        for g in self.state.chosen():
            if g.mapping is None:
                lines.append(self.tr("工作表“{n}”：未找到表头，请在下一步指定表头行和各列。")
                             .format(n=g.name))
                continue
            line = self.tr("工作表“{n}”：表头在第 {r} 行").format(n=g.name, r=g.mapping.header_row)
            if g.meta.fill_date:
                d = g.meta.fill_date
                line += self.tr("，填报日期 {y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)
            if g.mapping.is_round_trip and self.state.as_new:
                line += self.tr("（本程序导出的台账，将全部作为新问题导入）")
            elif g.mapping.is_round_trip:
                line += self.tr("（本程序导出的台账，将按编号更新原有问题）")
            lines.append(line)
        if not self.state.chosen() and self.state.book is not None:
            lines.append(self.tr("没有找到含“存在问题”列的工作表，请选择一个工作表后在下一步指定各列。"))
        self.status.setText("\n".join(lines))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return self.state.book is not None and bool(self.state.chosen())


class MappingPage(QWizardPage):
    """The detected header row and column mapping of each chosen sheet, editable."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle(self.tr("核对表头和列"))
        self.setSubTitle(self.tr("程序已找出表头所在行和每一列的含义。如有不对，请改正；不需要导入的列选“不导入”。"))
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.currentIndexChanged.connect(self._show_sheet)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(1, 50)
        self.header_spin.setMaximumWidth(90)
        self.header_spin.valueChanged.connect(self._header_moved)
        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout()
        fields = [f for f in FIELD_LABELS if f not in ID_FIELDS]
        for i, fld in enumerate(fields):
            combo = QComboBox(self)
            combo.currentIndexChanged.connect(lambda _=0, f=fld: self._field_moved(f))
            self.combos[fld] = combo
            grid.addWidget(QLabel(self.tr(FIELD_LABELS[fld]) + "：", self), i // 3, (i % 3) * 2)
            grid.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        self.rows = QTableWidget(self)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.verticalHeader().setDefaultSectionSize(22)
        top = QFormLayout()
        top.addRow(self.tr("工作表："), self.sheet_combo)
        top.addRow(self.tr("表头所在行："), self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(QLabel(self.tr("表格开头（蓝色为表头行）："), self))
        layout.addWidget(self.rows, 1)
        self._loading = False

    def initializePage(self) -> None:  # noqa: N802
        self._loading = True
        self.sheet_combo.clear()
        for g in self.state.chosen():
            self.sheet_combo.addItem(g.name, g.name)
        self._loading = False
        self._show_sheet()

    def current(self) -> str:
        """The sheet shown."""
        return str(self.sheet_combo.currentData() or "")

    def _show_sheet(self) -> None:
        if self._loading or not self.current():
            return
        g = self.state.guess(self.current())
        mapping = self.state.mapping(self.current())
        if g is None:
            return
        self._loading = True
        self.header_spin.setValue(mapping.header_row if mapping else 1)
        for fld, combo in self.combos.items():
            combo.clear()
            combo.addItem(self.tr("（不导入）"), NOT_MAPPED)
            for number, title in enumerate(g.column_titles, start=1):
                combo.addItem(title, number)
            col = mapping.columns.get(fld) if mapping else None
            combo.setCurrentIndex(combo.findData(col) if col else 0)
        self._loading = False
        self._fill_rows()
        self.completeChanged.emit()

    def _fill_rows(self) -> None:
        g = self.state.guess(self.current())
        mapping = self.state.mapping(self.current())
        if g is None or self.state.book is None:
            return
        shown = guess_sheet(self.state.book.sheet(g.name), mapping)
        self.rows.clear()
        self.rows.clearSpans()
        self.rows.setColumnCount(shown.width)
        self.rows.setRowCount(len(shown.top_rows))
        self.rows.setHorizontalHeaderLabels(list(shown.column_titles))
        self.rows.setVerticalHeaderLabels([str(r) for r, _ in shown.top_rows])
        header_row = mapping.header_row if mapping else 0
        for i, (r, texts) in enumerate(shown.top_rows):
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if r == header_row:
                    item.setBackground(HEADER_BRUSH)
                self.rows.setItem(i, c, item)
        for line, col, nrows, ncols in shown.spans:
            self.rows.setSpan(line, col, nrows, ncols)

    def _header_moved(self, row: int) -> None:
        if self._loading or self.state.book is None or not self.current():
            return
        self.state.mappings[self.current()] = with_header_row(
            self.state.book.sheet(self.current()), row)
        self._show_sheet()

    def _field_moved(self, fld: str) -> None:
        if self._loading or not self.current():
            return
        mapping = self.state.mapping(self.current())
        if mapping is None:
            mapping = with_header_row(self.state.book.sheet(self.current()),  # type: ignore[union-attr]
                                      self.header_spin.value())
        col = self.combos[fld].currentData()
        self.state.mappings[self.current()] = remapped(
            mapping, fld, None if col in (None, NOT_MAPPED) else int(col))
        self._show_sheet()

    def isComplete(self) -> bool:  # noqa: N802
        maps = [self.state.mapping(g.name) for g in self.state.chosen()]
        return bool(maps) and all(m is not None and "description" in m.columns for m in maps)
