"""One problem source (a feedback letter, an audit report) typed or changed in a small form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import SourceInput, SourceKind, SourceRow
from tracker.errors import TrackerError
from ui.edits import EditController
from ui.reference_edits import ReferenceEdits
from ui.widgets.field_error import FieldError


class SourceForm(QWidget):
    """The fields of a source: 名称, 类型, 年份, 发文单位, 文号, 发文日期."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("如：2021年履行教育职责评价反馈问题"))
        self.kind = QComboBox(self)
        for kind in SourceKind:
            self.kind.addItem(kind.label, kind.value)
        self.year = QSpinBox(self)
        self.year.setRange(1989, 2100)
        self.year.setSpecialValueText(self.tr("未填写"))
        self.issuer = QLineEdit(self)
        self.doc_number = QLineEdit(self)
        self.doc_number.setPlaceholderText(self.tr("如：宁政教督办〔2022〕8号"))
        self.has_date = QCheckBox(self.tr("已知"), self)
        self.issued_on = QDateEdit(self)
        self.issued_on.setCalendarPopup(True)
        self.issued_on.setDisplayFormat("yyyy年M月d日")
        self.issued_on.setDate(QDate.currentDate())
        self.issued_on.setEnabled(False)
        self.has_date.toggled.connect(self.issued_on.setEnabled)
        self.error = FieldError(self)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.issued_on, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("名称"), self.title)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("年份"), self.year)
        form.addRow(self.tr("发文单位"), self.issuer)
        form.addRow(self.tr("文号"), self.doc_number)
        form.addRow(self.tr("发文日期"), date_row)
        form.addRow("", self.error)

    def load(self, row: SourceRow | None) -> None:
        """Show a source's values (or empty fields for a new one)."""
        self.title.setText(row.title if row else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(
            row.kind.value if row else SourceKind.EVALUATION.value)))
        self.year.setValue(row.year if row and row.year else clock.today().year)
        self.issuer.setText(row.issuer if row else "")
        self.doc_number.setText(row.doc_number if row else "")
        self.has_date.setChecked(bool(row and row.issued_on))
        if row and row.issued_on:
            d = row.issued_on
            self.issued_on.setDate(QDate(d.year, d.month, d.day))
        self.error.show_message("")

    def data(self) -> SourceInput:
        """The typed values."""
        issued = None
        if self.has_date.isChecked():
            q = self.issued_on.date()
            issued = dt.date(q.year(), q.month(), q.day())
        year = self.year.value()
        return SourceInput(title=self.title.text(), kind=SourceKind(self.kind.currentData()),
                           year=year if year >= 1990 else None, issuer=self.issuer.text(),
                           doc_number=self.doc_number.text(), issued_on=issued)


class SourceFormDialog(QDialog):
    """Create (row None) or change a source; ``saved`` holds the stored row."""

    def __init__(self, ledger: Ledger, row: SourceRow | None, parent: QWidget | None = None,
                 edits: EditController | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._edits = ReferenceEdits(ledger, edits)
        self.row = row
        self.saved: SourceRow | None = None
        self.setWindowTitle(self.tr("新建问题来源") if row is None else self.tr("修改问题来源"))
        self.form = SourceForm(self)
        self.form.load(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def try_save(self) -> bool:
        """Store the source, or say what is wrong and stay open."""
        try:
            self.saved = self._edits.save_source(self.row.id if self.row else None,
                                                 self.form.data())
        except TrackerError as exc:
            self.form.error.show_message(exc.message)
            return False
        self.accept()
        return True
