"""The measures part of the problem editor: the list (add, remove, move up and down) and a
form for the selected measure whose deadline is read back as the clerk types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.deadlines import Deadline, describe, format_date_cn, is_relative, parse_deadline
from tracker.domain import MeasureRow, Status
from tracker.errors import DeadlineError
from ui.models.measure_list import (
    MeasureColumn,
    MeasureDraft,
    MeasureListModel,
    read_deadline,
)
from ui.widgets.completing_combo import CompletingCombo
from ui.widgets.field_error import FieldError

NO_PERCENT = -1  # the spin box's 未填写
OK_STYLE = "color: #146c2e;"
BAD_STYLE = "color: #b3261e;"


class MeasureEditor(QWidget):
    """List of measures above, the selected one's fields below; edits go straight into
    the model so switching rows never loses what was typed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = MeasureListModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setColumnHidden(MeasureColumn.CO_UNITS, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MeasureColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加措施"), self)
        self.remove_button = QPushButton(self.tr("删除措施"), self)
        self.up_button = QPushButton(self.tr("上移"), self)
        self.down_button = QPushButton(self.tr("下移"), self)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.list_error = FieldError(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list_error)

        form = QFormLayout()
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(self.tr("这一项措施具体做什么"))
        self.text_edit.setFixedHeight(60)
        self.lead_unit = CompletingCombo(self, self.tr("输入或选择单位"))
        self.co_units = QLineEdit(self)
        self.co_units.setPlaceholderText(self.tr("多个单位用顿号分隔"))
        self.owner = QLineEdit(self)
        self.deadline = QLineEdit(self)
        self.deadline.setPlaceholderText(self.tr("如 2022年12月31日、年底前、2023年7月底前、长期坚持"))
        self.reading = QLabel(self)
        self.reading.setWordWrap(True)
        self.status = QComboBox(self)
        for st in Status:
            self.status.addItem(st.label, st.value)
        # 完成进度: the lowest value stands for "not stated", which is not the same as 0 %.
        self.percent = QSpinBox(self)
        self.percent.setRange(NO_PERCENT, 100)
        self.percent.setSuffix("%")
        self.percent.setSpecialValueText(self.tr("未填写"))
        self.percent.setToolTip(self.tr("0–100%；不填写请减到“未填写”"))
        deadline_row = QVBoxLayout()
        deadline_row.setSpacing(2)
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(self.reading)
        form.addRow(self.tr("措施内容"), self.text_edit)
        form.addRow(self.tr("牵头单位"), self.lead_unit)
        form.addRow(self.tr("配合单位"), self.co_units)
        form.addRow(self.tr("责任人"), self.owner)
        form.addRow(self.tr("整改时限"), deadline_row)
        form.addRow(self.tr("完成情况"), self.status)
        form.addRow(self.tr("完成进度"), self.percent)
        self.form_widget = QWidget(self)
        self.form_widget.setLayout(form)
        layout.addWidget(self.form_widget)

        self._row = -1
        self._loading = False
        # Stored measures by id: unchanged deadline text keeps the date it was saved as.
        self._saved: dict[int, MeasureRow] = {}
        self.add_button.clicked.connect(self.add_measure)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._load_row(cur.row()))
        self.text_edit.textChanged.connect(
            lambda: self._store(MeasureColumn.TEXT, self.text_edit.toPlainText()))
        self.lead_unit.editTextChanged.connect(
            lambda t: self._store(MeasureColumn.LEAD_UNIT, t.strip()))
        self.co_units.textChanged.connect(lambda t: self._store(MeasureColumn.CO_UNITS, t))
        self.owner.textChanged.connect(lambda t: self._store(MeasureColumn.OWNER, t))
        self.deadline.textChanged.connect(self._deadline_typed)
        self.status.currentIndexChanged.connect(
            lambda _i: self._store(MeasureColumn.STATUS, Status(self.status.currentData())))
        self.percent.valueChanged.connect(
            lambda v: self._store(MeasureColumn.PERCENT, None if v == NO_PERCENT else v))
        self._load_row(-1)

    # ------------------------------------------------------------ public

    def set_measures(self, drafts: list[MeasureDraft], reference: dt.date,
                     saved: Iterable[MeasureRow] = ()) -> None:
        """Show these measures; typed deadlines read against ``reference``, ``saved`` keep theirs."""
        self._saved = {m.id: m for m in saved}
        self.model.set_reference(reference)
        self.model.set_drafts(drafts)
        self.select_row(0 if drafts else -1)

    def set_reference(self, reference: dt.date) -> None:
        """The day typed relative deadlines (年底前) are read against; the hint names it."""
        self.model.set_reference(reference)
        self._show_reading()

    def set_units(self, names: Iterable[str]) -> None:
        """Units offered for completion."""
        self.lead_unit.set_names(names)

    def set_read_only(self, read_only: bool) -> None:
        """Disable every change."""
        for w in (self.add_button, self.remove_button, self.up_button, self.down_button,
                  self.form_widget):
            w.setEnabled(not read_only)

    def select_row(self, row: int) -> None:
        """Make a measure current (and show it in the form)."""
        if 0 <= row < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, MeasureColumn.TEXT),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._load_row(row if 0 <= row < self.model.rowCount() else -1)

    def add_measure(self) -> None:
        """Append an empty measure (lead unit copied from the previous one) and edit it."""
        prev = self.model.draft(self.model.rowCount() - 1) if self.model.rowCount() else None
        draft = MeasureDraft(lead_unit=prev.lead_unit if prev else "",
                             owner=prev.owner if prev else "")
        self.select_row(self.model.add_draft(draft))
        self.text_edit.setFocus()

    def remove_current(self) -> None:
        """Remove the selected measure."""
        row = self._row
        if row < 0:
            return
        self.model.remove(row)
        self.select_row(min(row, self.model.rowCount() - 1))

    def move_current(self, delta: int) -> None:
        """Move the selected measure up or down."""
        if self._row >= 0:
            self.select_row(self.model.move(self._row, delta))

    def show_errors(self) -> bool:
        """Point at the first measure that cannot be saved; True when all are fine."""
        errors = self.model.errors()
        if not self.model.rowCount():
            self.list_error.show_message(self.tr("请至少填写一项整改措施。"))
            return False
        if errors:
            self.list_error.show_message("\n".join(msg for _row, msg in errors))
            self.select_row(errors[0][0])
            return False
        self.list_error.show_message("")
        return True

    # ------------------------------------------------------------ form <-> model

    def _load_row(self, row: int) -> None:
        self._row = row
        self._loading = True
        has = row >= 0
        self.form_widget.setEnabled(has and self.add_button.isEnabled())
        self.remove_button.setEnabled(has and self.add_button.isEnabled())
        d = self.model.draft(row) if has else MeasureDraft()
        self.text_edit.setPlainText(d.text)
        self.lead_unit.set_text(d.lead_unit)
        self.co_units.setText(d.co_units)
        self.owner.setText(d.owner)
        self.deadline.setText(d.deadline_text)
        # 已销号 is reached through 销号 (verifier and date); it stays selectable only for a
        # measure that is already closed, so editing a closed problem keeps it closed.
        closed_item = self.status.model().item(self.status.findData(Status.CLOSED.value))  # type: ignore[attr-defined]
        closed_item.setEnabled(d.status is Status.CLOSED)
        self.status.setCurrentIndex(max(0, self.status.findData(d.status.value)))
        self.percent.setValue(NO_PERCENT if d.percent is None else d.percent)
        self._loading = False
        self._show_reading()

    def _store(self, column: MeasureColumn, value: object) -> None:
        if self._loading or self._row < 0:
            return
        self.model.setData(self.model.index(self._row, column), value)

    def _deadline_typed(self, text: str) -> None:
        self._store(MeasureColumn.DEADLINE, text)
        self._show_reading()

    def _show_reading(self) -> None:
        if self._row < 0:
            self.reading.clear()
            return
        text = self.deadline.text()
        reference = self.model.reference
        mid = self.model.draft(self._row).id
        saved = self._saved.get(mid) if mid is not None else None
        if saved is not None and text.strip() == saved.deadline_text:
            # The service keeps an unchanged text's stored date (年底前 saved in 2025 stays
            # 2025-12-31), so show that date rather than a fresh reading against today.
            meaning = describe(Deadline(saved.deadline, saved.deadline_kind, saved.deadline_text))
            if is_relative(text, reference):
                meaning += self.tr("（已保存的时限；改动文字后按今天重新理解）")
            self.reading.setText("→ " + meaning)
            self.reading.setStyleSheet(OK_STYLE)
            return
        meaning, error = read_deadline(text, reference)
        past = False
        if not error:
            try:
                parsed = parse_deadline(text, reference)
                past = parsed.date is not None and parsed.date < clock.today()
            except DeadlineError:
                past = False
        if past:
            # 今年3月 or a written date already gone is overdue on saving: say so while the
            # clerk can still change it.
            meaning += self.tr("，早于今天：保存后即为逾期")
        if error:
            self.reading.setText(meaning)
        elif is_relative(text, reference):
            # 年底前 means a different day depending on when it is read: name that day.
            self.reading.setText(self.tr("按{day}理解：{meaning}").format(
                day=format_date_cn(reference), meaning=meaning))
        else:
            self.reading.setText("→ " + meaning)
        self.reading.setStyleSheet(BAD_STYLE if error or past else OK_STYLE)
