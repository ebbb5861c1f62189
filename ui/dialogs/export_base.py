"""What the export dialogs share: the paper form (fonts, title, 填报 block), the export folder
remembered between runs, and the base dialog that runs an export off the GUI thread with a
progress bar and offers to open the file or its folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.errors import TrackerError
from tracker.excel.export_options import ORG_SETTING
from tracker.services.reference import get_setting, set_setting
from ui.settings import settings
from ui.tasks import run_in_background

KEY_ROLE = Qt.ItemDataRole.UserRole
KEY_EXPORT_DIR = "export/last_dir"
TABLE_FONTS = ("宋体", "仿宋", "仿宋_GB2312", "楷体", "微软雅黑")
TITLE_FONTS = ("黑体", "方正小标宋简体", "宋体", "微软雅黑")


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def export_folder() -> Path:
    """Where the last export went, else the Documents folder."""
    last = settings().value(KEY_EXPORT_DIR, "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def safe_name(text: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text).strip() or "整改台账"


class PaperForm(QWidget):
    """The fields both dialogs share: 填报单位, 日期, 填报人, 电话, 文件."""

    def __init__(self, ledger: Ledger, parent: QWidget) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.title = QLineEdit(self)
        self.org = QLineEdit(get_setting(ledger, ORG_SETTING), self)
        self.org.setPlaceholderText(self.tr("例如：XX市教育局"))
        self.day = QDateEdit(qdate(clock.today()), self)
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
            self.path.setText(str(export_folder() / f"{safe_name(name)}{self.suffix}"))

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


class ExportBase(QDialog):
    """Running the export, the progress, and the result line with its open buttons."""

    def __init__(self, ledger: Ledger, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.paper = PaperForm(ledger, self)
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
