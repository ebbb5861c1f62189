"""文件 > 生成报告…: the choices of `rectify report` (template, dates, filters, title, 署名,
成文日期) with a preview of the first page; the document is written off the GUI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.errors import TrackerError
from tracker.excel.export_options import ORG_SETTING  # the 填报单位 of exports: the usual 署名
from tracker.rules import unit_subject
from tracker.services.reference import get_setting, list_sources, list_units
from tracker.writeup import ReportOptions, write_report
from tracker.writeup.model import TEMPLATE_NAMES
from tracker.writeup.preview import preview_blocks, to_html
from ui.dialogs.export_base import export_folder, pydate, qdate
from ui.tasks import run_in_background

CUSTOM = "custom"


class ReportDialog(QDialog):
    """生成报告: the form on the left, the first page on the right."""

    def __init__(self, ledger: Ledger, flt: ProblemFilter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("生成报告"))
        self.ledger = ledger
        self.task: Any = None
        self.preview_task: Any = None
        self.written: Path | None = None
        flt = flt or ProblemFilter()
        today = clock.today()
        self.template = QComboBox(self)
        for key, label in TEMPLATE_NAMES.items():
            self.template.addItem(self.tr(label), key)
        self.template.addItem(self.tr("自定义 Word 模板…"), CUSTOM)
        self.template_file = QLineEdit(self)
        self.template_file.setPlaceholderText(self.tr("选择 .docx 模板文件"))
        self.as_of = QDateEdit(qdate(today), self)
        self.use_since = QCheckBox(self.tr("与上期比较，上期日期："), self)
        self.since = QDateEdit(qdate(today - dt.timedelta(days=30)), self)
        for edit in (self.as_of, self.since):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.source = QComboBox(self)
        self.source.addItem(self.tr("全部来源"), None)
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("全部单位"), None)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), None)
        for s in Status:
            self.status.addItem(self.tr(s.label), s)
        try:
            for src in list_sources(ledger):
                self.source.addItem(src.display, src.id)
            for u in list_units(ledger):
                self.unit.addItem(u.name, u.name)
            org = get_setting(ledger, ORG_SETTING)
        except TrackerError:
            org = ""
        self._select(self.source, flt.source_id)
        self._select(self.unit, flt.unit)
        self._select(self.status, flt.status)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("默认按模板和问题来源生成"))
        self.org = QLineEdit(org, self)
        self.org.setPlaceholderText(self.tr("发文机关署名，如 中卫市教育局"))
        self.date = QDateEdit(qdate(today), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.path = QLineEdit(str(export_folder() / f"整改情况报告{today:%Y%m%d}.docx"), self)
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("reportPreview")
        self.preview.setMinimumWidth(420)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.generate = QPushButton(self.tr("生成"), self)
        self.generate.setDefault(True)
        self.open_file = QPushButton(self.tr("打开文件"), self)
        self.open_file.setVisible(False)
        close = QPushButton(self.tr("关闭"), self)
        self.generate.clicked.connect(self.start)
        self.open_file.clicked.connect(self._open)
        close.clicked.connect(self.reject)
        self._layout(browse, close)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)  # one preview after the clerk stops changing things
        self.timer.timeout.connect(self.refresh_preview)
        for w in (self.template, self.source, self.unit, self.status):
            w.currentIndexChanged.connect(self._changed)
        for d in (self.as_of, self.since, self.date):
            d.dateChanged.connect(self._changed)
        for e in (self.title, self.org, self.template_file):
            e.editingFinished.connect(self._changed)
        self.use_since.toggled.connect(self._changed)
        self._changed()

    def _layout(self, browse: QPushButton, close: QPushButton) -> None:
        form = QFormLayout()
        form.addRow(self.tr("模板"), self.template)
        form.addRow("", self.template_file)
        form.addRow(self.tr("截至日期"), self.as_of)
        since_row = QHBoxLayout()
        since_row.addWidget(self.use_since)
        since_row.addWidget(self.since)
        form.addRow("", since_row)
        form.addRow(self.tr("问题来源"), self.source)
        form.addRow(self.tr("牵头单位"), self.unit)
        form.addRow(self.tr("状态"), self.status)
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("署名"), self.org)
        form.addRow(self.tr("成文日期"), self.date)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow(self.tr("保存到"), path_row)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("第一页预览"), self))
        right.addWidget(self.preview, 1)
        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_file)
        buttons.addStretch(1)
        buttons.addWidget(self.generate)
        buttons.addWidget(close)
        outer = QVBoxLayout(self)
        outer.addLayout(top, 1)
        outer.addLayout(buttons)
        self.resize(980, 640)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        if value is not None:
            i = combo.findData(value)
            if i >= 0:
                combo.setCurrentIndex(i)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("保存为"), self.path.text(),
                                              self.tr("Word 文档 (*.docx)"))
        if name:
            self.path.setText(name if name.lower().endswith(".docx") else name + ".docx")

    def _changed(self) -> None:
        custom = self.template.currentData() == CUSTOM
        self.template_file.setVisible(custom)
        if self.template.currentData() == "dispatch" and not self.use_since.isChecked():
            self.use_since.setChecked(True)  # a 调度通报 always compares with the last period
        self.since.setEnabled(self.use_since.isChecked())
        if custom and not self.template_file.text() and self.isVisible():
            name, _ = QFileDialog.getOpenFileName(self, self.tr("选择 Word 模板"), "",
                                                  self.tr("Word 文档 (*.docx)"))
            self.template_file.setText(name)
        self.timer.start()

    def options(self) -> ReportOptions:
        """What the form says, as `rectify report` would be asked."""
        key = self.template.currentData()
        unit = self.unit.currentData()
        flt = ProblemFilter(source_id=self.source.currentData(), unit=unit,
                            status=self.status.currentData())
        return ReportOptions(
            flt=flt, as_of=pydate(self.as_of.date()),
            since=pydate(self.since.date()) if self.use_since.isChecked() else None,
            template=self.template_file.text().strip() if key == CUSTOM else key,
            title=self.title.text().strip(), org=self.org.text().strip(),
            date=pydate(self.date.date()), subject=unit_subject(unit))

    def say(self, text: str, error: bool = False) -> None:
        """A line under the form (red for errors)."""
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def refresh_preview(self) -> None:
        """Rebuild page 1 off the GUI thread (a large ledger takes a moment)."""
        options = self.options()
        if options.template == "":
            self.preview.setHtml("")
            return
        ledger = self.ledger
        self.preview_task = run_in_background(
            lambda progress: preview_blocks(ledger, options), self._show_preview,
            self._preview_failed, parent=self)

    def _show_preview(self, blocks: Any) -> None:
        self.preview_task = None
        self.preview.setHtml(to_html(blocks))
        self.say("")

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_task = None
        self.preview.setHtml("")
        self.say(exc.message if isinstance(exc, TrackerError) else str(exc), error=True)

    def start(self) -> None:
        """Write the document in the background."""
        path = Path(self.path.text().strip())
        if not self.path.text().strip() or not path.parent.is_dir():
            self.say(self.tr("请选择保存位置。"), error=True)
            return
        options = self.options()
        ledger = self.ledger
        self.generate.setEnabled(False)
        self.say(self.tr("正在生成…"))
        self.task = run_in_background(
            lambda progress: write_report(ledger, options, path),
            lambda data: self._finished(path, data), self._failed, parent=self,
            label=self.tr("正在生成报告…"), cancellable=False)

    def _finished(self, path: Path, data: Any) -> None:
        self.task = None
        self.generate.setEnabled(True)
        self.written = path
        self.open_file.setVisible(True)
        self.say(self.tr("已生成：{p}（{n} 个问题）").format(p=path, n=len(data.problems)))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.generate.setEnabled(True)
        self.say(exc.message if isinstance(exc, TrackerError) else
                 self.tr("生成失败：{e}").format(e=exc), error=True)

    def _open(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written)))
