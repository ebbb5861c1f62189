"""导出 Excel 台账 dialog: what to put on paper, then the export runs off the GUI thread with a
progress bar and the dialog offers to open the file or its folder. (生成催办单 is in
ui.dialogs.reminder_dialog, re-exported here.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.errors import TrackerError
from tracker.excel.export import ExportResult, default_title, export_ledger
from tracker.excel.package import PackageResult, write_package
from tracker.excel.export_options import COLUMNS, DEFAULT_COLUMNS, ExportOptions
from tracker.services.queries import count_problems
from tracker.services.reference import list_sources, list_units
from ui.dialogs.export_base import (
    KEY_ROLE,
    TABLE_FONTS,
    TITLE_FONTS,
    ExportBase,
    export_folder,
    pydate,
)
from ui.dialogs.reminder_dialog import ReminderDialog

__all__ = ["ExportDialog", "ReminderDialog", "export_folder"]


class ExportDialog(ExportBase):
    """导出 Excel 台账: title, 填报单位/日期, which columns in what order, and the filters."""

    def __init__(self, ledger: Ledger, flt: ProblemFilter, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.base_filter = flt
        self.setWindowTitle(self.tr("导出 Excel 台账"))
        self.result_info: ExportResult | None = None
        self.table_font = QComboBox(self)
        self.title_font = QComboBox(self)
        for combo, names in ((self.table_font, TABLE_FONTS), (self.title_font, TITLE_FONTS)):
            combo.setEditable(True)
            combo.addItems(list(names))
        self.font_size = QDoubleSpinBox(self)
        self.font_size.setRange(6, 20)
        self.font_size.setSingleStep(0.5)
        self.font_size.setDecimals(1)
        self.font_size.setValue(10)
        fonts = QHBoxLayout()
        for label, w in ((self.tr("表格"), self.table_font), (self.tr("标题"), self.title_font),
                         (self.tr("字号"), self.font_size)):
            fonts.addWidget(QLabel(label, self))
            fonts.addWidget(w)
        self.paper.form.insertRow(5, self.tr("字体："), fonts)

        self.source = QComboBox(self)
        self.source.addItem(self.tr("全部来源"), None)
        for src in list_sources(ledger):
            self.source.addItem(src.display, src.id)
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("全部单位"), None)
        for u in list_units(ledger):
            self.unit.addItem(u.name, u.name)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), None)
        for st in Status:
            self.status.addItem(st.label, st.value)
        self.overdue = QCheckBox(self.tr("只导出逾期未完成的"), self)
        self.keep_other = QCheckBox(self)
        self.by_unit = QCheckBox(self.tr("每个牵头单位另加一个工作表（分单位台账）"), self)
        self.stats = QCheckBox(self.tr("加“统计”工作表"), self)
        self.stats.setChecked(True)
        self.package = QCheckBox(self.tr("导出为给单位的材料包（.zip：台账、每个问题一个放佐证材料的空文件夹、"
                                         "说明）"), self)
        self.package.toggled.connect(lambda on: self.paper.set_suffix(".zip" if on else ".xlsx"))
        self.count = QLabel(self)
        self._preset(flt)
        filters = QFormLayout()
        filters.addRow(self.tr("问题来源："), self.source)
        filters.addRow(self.tr("牵头单位："), self.unit)
        filters.addRow(self.tr("完成情况："), self.status)
        filters.addRow("", self.overdue)
        if self.keep_other.text():
            filters.addRow("", self.keep_other)
        filters.addRow("", self.by_unit)
        filters.addRow("", self.stats)
        filters.addRow("", self.package)
        filters.addRow("", self.count)
        filter_box = QGroupBox(self.tr("导出哪些问题"), self)
        filter_box.setLayout(filters)

        self.columns = QListWidget(self)
        self.columns.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for key in COLUMNS:
            item = QListWidgetItem(COLUMNS[key].header, self.columns)
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # 佐证材料 comes in by itself when problems have evidence; ticking it forces it.
            item.setCheckState(Qt.CheckState.Checked if key in DEFAULT_COLUMNS
                               else Qt.CheckState.Unchecked)
        up, down = QPushButton(self.tr("上移"), self), QPushButton(self.tr("下移"), self)
        up.clicked.connect(lambda: self.move_column(-1))
        down.clicked.connect(lambda: self.move_column(1))
        col_layout = QVBoxLayout()
        col_layout.addWidget(self.columns, 1)
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        col_layout.addLayout(moves)
        col_box = QGroupBox(self.tr("导出的列（勾选，拖动或上移下移排序）"), self)
        col_box.setLayout(col_layout)

        middle = QHBoxLayout()
        middle.addWidget(filter_box, 3)
        middle.addWidget(col_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paper)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.button_row())
        for signal in (self.source.currentIndexChanged, self.unit.currentIndexChanged,
                       self.status.currentIndexChanged, self.overdue.toggled,
                       self.keep_other.toggled):
            signal.connect(self.refresh)
        self.paper.title.textChanged.connect(self._retitle)
        self.paper.org.textChanged.connect(self._retitle)
        self.resize(820, 640)
        self.refresh()

    def _preset(self, flt: ProblemFilter) -> None:
        for combo, value in ((self.source, flt.source_id), (self.unit, flt.unit),
                             (self.status, flt.status.value if flt.status else None)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
        self.overdue.setChecked(flt.overdue)
        other = []
        if flt.text:
            other.append(self.tr("搜索“{t}”").format(t=flt.text))
        if flt.category_id is not None:
            other.append(self.tr("问题类别"))
        if flt.due_within_days is not None:
            other.append(self.tr("{n}天内到期").format(n=flt.due_within_days))
        if flt.ids is not None:
            other.append(self.tr("选中的{n}个问题").format(n=len(flt.ids)))
        if other:
            self.keep_other.setText(self.tr("同时按窗口中的筛选：{w}").format(w="、".join(other)))
            self.keep_other.setChecked(True)

    def move_column(self, step: int) -> None:
        """Move the selected column up (-1) or down (+1)."""
        row = self.columns.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.columns.count():
            return
        item = self.columns.takeItem(row)
        self.columns.insertItem(target, item)
        self.columns.setCurrentRow(target)

    def chosen_columns(self) -> tuple[str, ...]:
        """Checked column keys in list order."""
        items = (self.columns.item(i) for i in range(self.columns.count()))
        return tuple(i.data(KEY_ROLE) for i in items if i.checkState() == Qt.CheckState.Checked)

    def chosen_filter(self) -> ProblemFilter:
        """The window's filter with this dialog's choices applied."""
        keep = self.keep_other.isChecked()
        base = self.base_filter if keep else ProblemFilter(as_of=self.base_filter.as_of)
        status = self.status.currentData()
        return dataclasses.replace(
            base, source_id=self.source.currentData(), unit=self.unit.currentData(),
            status=Status(status) if status else None, overdue=self.overdue.isChecked(),
            as_of=pydate(self.paper.day.date()))

    def options(self) -> ExportOptions:
        """The export options as set in the dialog."""
        p = self.paper
        return ExportOptions(
            title=p.title.text().strip(), org=p.org.text().strip(),
            report_date=pydate(p.day.date()), columns=self.chosen_columns(),
            by_unit=self.by_unit.isChecked(), stats=self.stats.isChecked(),
            table_font=self.table_font.currentText().strip() or TABLE_FONTS[0],
            title_font=self.title_font.currentText().strip() or TITLE_FONTS[0],
            font_size=self.font_size.value(), filler=p.filler.text().strip(),
            phone=p.phone.text().strip())

    def refresh(self) -> None:
        """Update the count, the default title and the file name for the current choices."""
        n = count_problems(self.ledger, self.chosen_filter())
        self.count.setText(self.tr("将导出 {n} 个问题").format(n=n))
        self._retitle()

    def _retitle(self) -> None:
        title = default_title(self.ledger, self.chosen_filter(), self.paper.org.text().strip())
        self.paper.title.setPlaceholderText(title)
        self.paper.suggest_path(self.paper.title.text().strip() or title)

    def work(self, path: Path) -> Any:
        """Export with the dialog's filter and options."""
        ledger, flt, options = self.ledger, self.chosen_filter(), self.options()
        if not options.columns:
            raise TrackerError(self.tr("请至少勾选一列。"))
        if self.package.isChecked():
            return lambda progress: write_package(ledger, path, flt, options, progress)
        return lambda progress: export_ledger(ledger, path, flt, options, progress)

    def done_text(self, result: Any) -> str:
        """已导出 N 个问题 …"""
        if isinstance(result, PackageResult):
            self.result_info = result.ledger
            return self.tr("已导出材料包 {path}：{n} 个问题，每个问题一个佐证材料文件夹").format(
                path=result.path, n=result.ledger.problems)
        assert isinstance(result, ExportResult)
        self.result_info = result
        return self.tr("已导出 {n} 个问题（{rows} 行）到 {path}").format(
            n=result.problems, rows=result.rows, path=result.path)
