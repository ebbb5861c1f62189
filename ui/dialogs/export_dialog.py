"""导出 Excel 台账 and 生成催办单 dialogs: what to put on paper, then the export runs off the GUI
thread with a progress bar and the dialog offers to open the file or its folder."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.errors import TrackerError
from tracker.excel.export import ExportResult, default_title, export_ledger
from tracker.excel.package import PackageResult, write_package
from tracker.excel.export_options import COLUMNS, DEFAULT_COLUMNS, ORG_SETTING, ExportOptions
from tracker.excel.reminder import ReminderResult, export_reminder, reminder_items
from tracker.services.queries import count_problems
from tracker.services.reference import get_setting, list_sources, list_units, set_setting
from ui.settings import settings
from ui.tasks import run_in_background

KEY_ROLE = Qt.ItemDataRole.UserRole
KEY_EXPORT_DIR = "export/last_dir"
TABLE_FONTS = ("宋体", "仿宋", "仿宋_GB2312", "楷体", "微软雅黑")
TITLE_FONTS = ("黑体", "方正小标宋简体", "宋体", "微软雅黑")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def export_folder() -> Path:
    """Where the last export went, else the Documents folder."""
    last = settings().value(KEY_EXPORT_DIR, "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def _safe_name(text: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text).strip() or "整改台账"


class _PaperForm(QWidget):
    """The fields both dialogs share: 填报单位, 日期, 填报人, 电话, 文件."""

    def __init__(self, ledger: Ledger, parent: QWidget) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.title = QLineEdit(self)
        self.org = QLineEdit(get_setting(ledger, ORG_SETTING), self)
        self.org.setPlaceholderText(self.tr("例如：XX市教育局"))
        self.day = QDateEdit(_qdate(clock.today()), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy年M月d日")
        self.filler = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.path = QLineEdit(self)
        self.suffix = ".xlsx"  # .zip when a package for a unit is asked for
        self.path_touched = False
        self.path.textEdited.connect(lambda _t: setattr(self, "path_touched", True))
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.tr("标题："), self.title)
        self.form.addRow(self.tr("填报单位："), self.org)
        self.form.addRow(self.tr("填报日期："), self.day)
        self.form.addRow(self.tr("填报人："), self.filler)
        self.form.addRow(self.tr("联系电话："), self.phone)
        self.form.addRow(self.tr("保存到："), path_row)

    def suggest_path(self, name: str) -> None:
        """Fill in a file name from the title unless the clerk chose one."""
        if not self.path_touched:
            self.path.setText(str(export_folder() / f"{_safe_name(name)}{self.suffix}"))

    def set_suffix(self, suffix: str) -> None:
        """Save as .xlsx or .zip; a chosen file name keeps its stem."""
        text = self.path.text().strip()
        if text and Path(text).suffix.lower() == self.suffix:
            self.path.setText(str(Path(text).with_suffix(suffix)))
        self.suffix = suffix

    def _browse(self) -> None:
        kinds = self.tr("材料包 (*.zip)") if self.suffix == ".zip" else self.tr("Excel 工作簿 (*.xlsx)")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("保存为"), self.path.text(), kinds)
        if name:
            self.path.setText(name)
            self.path_touched = True

    def target(self) -> Path | None:
        """The chosen .xlsx (or .zip) path, or None when empty."""
        text = self.path.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == self.suffix else path.with_name(path.name + self.suffix)

    def remember(self, path: Path) -> None:
        """Keep the folder for next time and the 填报单位 in the ledger."""
        settings().setValue(KEY_EXPORT_DIR, str(path.parent))
        org = self.org.text().strip()
        if org != get_setting(self.ledger, ORG_SETTING) and not self.ledger.read_only:
            try:
                set_setting(self.ledger, ORG_SETTING, org)
            except TrackerError:
                pass  # only a convenience for next time; the export itself succeeded


class _ExportBase(QDialog):
    """Running the export, the progress, and the result line with its open buttons."""

    def __init__(self, ledger: Ledger, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.paper = _PaperForm(ledger, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("exportMessage")
        self.open_file = QPushButton(self.tr("打开文件"), self)
        self.open_folder = QPushButton(self.tr("打开所在文件夹"), self)
        self.export_button = QPushButton(self.tr("导出"), self)
        self.export_button.setDefault(True)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.open_file.clicked.connect(lambda: self._open(self.written))
        self.open_folder.clicked.connect(lambda: self._open(self.written.parent
                                                            if self.written else None))
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self.written: Path | None = None
        self.task: Any = None
        self._show_open(False)

    def button_row(self) -> QHBoxLayout:
        """The dialog's bottom row."""
        row = QHBoxLayout()
        row.addWidget(self.open_file)
        row.addWidget(self.open_folder)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.close_button)
        return row

    def _show_open(self, on: bool) -> None:
        self.open_file.setVisible(on)
        self.open_folder.setVisible(on)

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def say(self, text: str, error: bool = False) -> None:
        """Show a line under the form (red for errors)."""
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def work(self, path: Path) -> Any:
        """The function to run in the background: progress -> result."""
        raise NotImplementedError

    def done_text(self, result: Any) -> str:
        """What to tell the clerk when the file is written."""
        raise NotImplementedError

    def start_export(self) -> None:
        """Check the inputs and start writing the file off the GUI thread."""
        path = self.paper.target()
        if path is None:
            self.say(self.tr("请选择保存位置。"), error=True)
            return
        if not path.parent.is_dir():
            self.say(self.tr("文件夹“{d}”不存在。").format(d=path.parent), error=True)
            return
        try:
            fn = self.work(path)
        except TrackerError as exc:
            self.say(exc.message, error=True)
            return
        self._busy(True)
        self.say(self.tr("正在导出…"))
        self.task = run_in_background(fn, lambda r: self._finished(path, r), self._failed,
                                      parent=self, label=self.tr("正在导出 Excel…"))

    def _busy(self, on: bool) -> None:
        self.export_button.setEnabled(not on)
        self.paper.setEnabled(not on)

    def _finished(self, path: Path, result: Any) -> None:
        self.task = None
        self._busy(False)
        self.written = path
        self.paper.remember(path)
        self.say(self.done_text(result))
        self._show_open(True)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._busy(False)
        if isinstance(exc, TrackerError):
            self.say(exc.message, error=True)
        elif exc.__class__.__name__ == "Cancelled":
            self.say(self.tr("已取消导出，没有写入文件。"))
        else:
            self.say(self.tr("导出失败：{e}").format(e=exc), error=True)


class ExportDialog(_ExportBase):
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
            as_of=_pydate(self.paper.day.date()))

    def options(self) -> ExportOptions:
        """The export options as set in the dialog."""
        p = self.paper
        return ExportOptions(
            title=p.title.text().strip(), org=p.org.text().strip(),
            report_date=_pydate(p.day.date()), columns=self.chosen_columns(),
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


class ReminderDialog(_ExportBase):
    """生成催办单: one unit's open items, ready to print and send."""

    def __init__(self, ledger: Ledger, unit: str | None, parent: QWidget | None = None) -> None:
        super().__init__(ledger, parent)
        self.setWindowTitle(self.tr("生成催办单"))
        self.result_info: ReminderResult | None = None
        self.unit = QComboBox(self)
        for u in list_units(ledger):
            self.unit.addItem(u.name, u.name)
        if unit:
            self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
        self.paper.title.setPlaceholderText(self.tr("整改事项催办单"))
        for field, label in ((self.paper.org, self.tr("发文单位：")),
                             (self.paper.day, self.tr("发文日期：")),
                             (self.paper.filler, self.tr("联系人："))):
            widget = self.paper.form.labelForField(field)
            if isinstance(widget, QLabel):
                widget.setText(label)
        self.paper.form.insertRow(0, self.tr("催办单位："), self.unit)
        self.ask_reply = QCheckBox(self.tr("要求报送日期："), self)
        self.reply_by = QDateEdit(_qdate(clock.today() + dt.timedelta(days=7)), self)
        self.reply_by.setCalendarPopup(True)
        self.reply_by.setDisplayFormat("yyyy年M月d日")
        self.ask_reply.setChecked(True)
        self.ask_reply.toggled.connect(self.reply_by.setEnabled)
        self.paper.form.insertRow(4, self.ask_reply, self.reply_by)
        self.summary = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paper)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addLayout(self.button_row())
        self.unit.currentIndexChanged.connect(self.refresh)
        self.paper.day.dateChanged.connect(self.refresh)
        self.resize(560, 380)
        self.refresh()

    def refresh(self) -> None:
        """Count the unit's open items and name the file after the unit."""
        unit = self.unit.currentData()
        if not unit:
            self.summary.setText(self.tr("台账中还没有单位。"))
            self.export_button.setEnabled(False)
            return
        day = _pydate(self.paper.day.date())
        items = reminder_items(self.ledger, unit, day)
        lines = sum(len(i.measures) for i in items)
        late = sum(1 for i in items for m in i.measures
                   if m is not None and m.deadline is not None and m.deadline < day)
        self.summary.setText(self.tr("“{u}”尚有 {n} 项未完成，其中逾期 {k} 项。").format(
            u=unit, n=lines, k=late))
        self.paper.suggest_path(self.tr("{u}催办单").format(u=unit))

    def options(self) -> ExportOptions:
        """The notice's paper settings."""
        p = self.paper
        return ExportOptions(title=p.title.text().strip(), org=p.org.text().strip(),
                             report_date=_pydate(p.day.date()), filler=p.filler.text().strip(),
                             phone=p.phone.text().strip())

    def work(self, path: Path) -> Any:
        """Write the notice for the chosen unit."""
        ledger, unit, options = self.ledger, self.unit.currentData(), self.options()
        reply = _pydate(self.reply_by.date()) if self.ask_reply.isChecked() else None
        return lambda progress: export_reminder(ledger, unit, path, options, reply, progress)

    def done_text(self, result: Any) -> str:
        """已生成催办单 …"""
        assert isinstance(result, ReminderResult)
        self.result_info = result
        return self.tr("已生成催办单：{n} 项未完成（逾期 {k} 项），文件 {path}").format(
            n=result.items, k=result.overdue, path=result.path)
