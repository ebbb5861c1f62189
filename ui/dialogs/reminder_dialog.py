"""生成催办单: one unit's open and overdue items on a reminder notice, written off the GUI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QVBoxLayout, QWidget

from tracker import clock
from tracker.db.engine import Ledger
from tracker.excel.export_options import ExportOptions
from tracker.excel.reminder import ReminderResult, export_reminder, reminder_items
from tracker.services.reference import list_units
from ui.dialogs.export_base import ExportBase, pydate, qdate


class ReminderDialog(ExportBase):
    """生成催办单: one unit's open items, ready to print and send."""

    def __init__(self, ledger: Ledger, unit: str | None, parent: QWidget | None = None,
                 more_units: Sequence[str] = ()) -> None:
        """``more_units``: names beside the unit table's, such as units that only co-operate
        (配合单位), which `rectify remind --unit` chases too."""
        super().__init__(ledger, parent)
        self.setWindowTitle(self.tr("生成催办单"))
        self.result_info: ReminderResult | None = None
        self.unit = QComboBox(self)
        for name in sorted({u.name for u in list_units(ledger)} | set(more_units)):
            self.unit.addItem(name, name)
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
        self.reply_by = QDateEdit(qdate(clock.today() + dt.timedelta(days=7)), self)
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
        day = pydate(self.paper.day.date())
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
                             report_date=pydate(p.day.date()), filler=p.filler.text().strip(),
                             phone=p.phone.text().strip())

    def work(self, path: Path) -> Any:
        """Write the notice for the chosen unit."""
        ledger, unit, options = self.ledger, self.unit.currentData(), self.options()
        reply = pydate(self.reply_by.date()) if self.ask_reply.isChecked() else None
        return lambda progress: export_reminder(ledger, unit, path, options, reply, progress)

    def done_text(self, result: Any) -> str:
        """已生成催办单 …"""
        assert isinstance(result, ReminderResult)
        self.result_info = result
        return self.tr("已生成催办单：{n} 项未完成（逾期 {k} 项），文件 {path}").format(
            n=result.items, k=result.overdue, path=result.path)
