"""The small edit dialogs: 销号 (close-out), 添加进展 (a dated progress note) and 批量修改
(several problems at once). Each calls a save function and stays open on an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.deadlines import format_date_cn, is_relative
from tracker.domain import MeasureRow, ProblemRow, Status
from tracker.errors import TrackerError, ValidationError
from tracker.rules import closeout_refusal
from ui.models.measure_list import read_deadline
from ui.widgets.completing_combo import CompletingCombo
from ui.widgets.field_error import FieldError


def qdate(d: dt.date) -> QDate:
    """A date for a QDateEdit."""
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> dt.date:
    """A QDateEdit's date as a Python date."""
    return dt.date(q.year(), q.month(), q.day())


def date_edit(parent: QWidget, day: dt.date) -> QDateEdit:
    """A calendar date field written the Chinese way."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    edit.setDate(qdate(day))
    return edit


class _SaveDialog(QDialog):
    """OK/Cancel dialog whose OK runs ``attempt`` and shows a TrackerError in ``error``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.body = QFormLayout()
        self.error = FieldError(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 300)

    def attempt(self) -> None:
        """Save; raise TrackerError to stay open with the message shown."""
        raise NotImplementedError

    def try_save(self) -> bool:
        """Run the save; close on success."""
        self.error.show_message("")
        try:
            self.attempt()
        except TrackerError as exc:
            self.error.show_message(exc.message)
            return False
        self.accept()
        return True


class CloseOutDialog(_SaveDialog):
    """销号: who verified the rectification, when, and a note."""

    def __init__(self, problem: ProblemRow, verifier: str,
                 save: Callable[[str, dt.date, str], object], parent: QWidget | None = None,
                 evidence: int = 0, needs_evidence: bool = False) -> None:
        super().__init__(self.tr("销号"), parent)
        self._save = save
        self._statuses = [m.status for m in problem.measures]
        self._evidence, self._needs_evidence = evidence, needs_evidence
        intro = QLabel(self.tr("问题：{d}").format(d=problem.description), self)
        intro.setWordWrap(True)
        self.body.addRow(intro)
        # Why OK is disabled, in tracker.rules.closeout_refusal's words (the service's too).
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #8a5300;")
        self.body.addRow(self.why)
        self.verifier = QLineEdit(verifier, self)
        self.on = date_edit(self, clock.today())
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(self.tr("如：经现场核查，整改到位"))
        self.body.addRow(self.tr("核验人"), self.verifier)
        self.body.addRow(self.tr("销号日期"), self.on)
        self.body.addRow(self.tr("销号说明"), self.note)
        self.verifier.textChanged.connect(lambda _t: self._check())
        self.on.dateChanged.connect(lambda _d: self._check())
        self._check()

    def refusal(self) -> str | None:
        """Why the problem cannot be closed out as filled in, or None when it can."""
        return closeout_refusal(self._statuses, self.verifier.text(), pydate(self.on.date()),
                                clock.today(), self._evidence, self._needs_evidence)

    def _check(self) -> None:
        why = self.refusal()
        self.why.setText(why or "")
        self.why.setVisible(bool(why))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(why is None)

    def attempt(self) -> None:
        why = self.refusal()
        if why is not None:  # the same sentence the service would refuse with
            raise ValidationError(why)
        self._save(self.verifier.text(), pydate(self.on.date()), self.note.toPlainText())


class ProgressNoteDialog(_SaveDialog):
    """添加进展: a dated note on one measure of the problem."""

    def __init__(self, problem: ProblemRow, measure_id: int,
                 save: Callable[[int, dt.date, str], object], parent: QWidget | None = None
                 ) -> None:
        super().__init__(self.tr("添加整改进展"), parent)
        self._save = save
        self.measure = QComboBox(self)
        for i, m in enumerate(problem.measures, start=1):
            self.measure.addItem(f"{i}．{_short(m)}", m.id)
        self.measure.setCurrentIndex(max(0, self.measure.findData(measure_id)))
        self.on = date_edit(self, clock.today())
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("这一次做了什么、到了哪一步"))
        self.body.addRow(self.tr("整改措施"), self.measure)
        self.body.addRow(self.tr("日期"), self.on)
        self.body.addRow(self.tr("进展情况"), self.text)

    def attempt(self) -> None:
        mid = self.measure.currentData()
        if mid is None:
            raise TrackerError(self.tr("这个问题还没有整改措施，请先在编辑问题中添加措施。"))
        self._save(int(mid), pydate(self.on.date()), self.text.toPlainText())


def _short(m: MeasureRow, limit: int = 40) -> str:
    text = " ".join(m.text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class BulkEditDialog(_SaveDialog):
    """批量修改: one status, lead unit or deadline for every measure of the chosen problems."""

    def __init__(self, count: int, units: Iterable[str],
                 save: Callable[[Status | None, str | None, str | None], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("批量修改 {n} 个问题").format(n=count), parent)
        self._save = save
        intro = QLabel(self.tr("勾选要修改的项目；修改会用于所选问题的每一项措施，可以撤销。"), self)
        intro.setWordWrap(True)
        self.body.addRow(intro)
        self.use_status = QCheckBox(self.tr("完成情况"), self)
        self.status = QComboBox(self)
        for st in Status:
            if st is not Status.CLOSED:  # 已销号 needs a verifier and date: the 销号 dialog
                self.status.addItem(st.label, st.value)
        self.use_unit = QCheckBox(self.tr("牵头单位"), self)
        self.unit = CompletingCombo(self, self.tr("输入或选择单位"))
        self.unit.set_names(units)
        self.use_deadline = QCheckBox(self.tr("整改时限"), self)
        self.deadline = QLineEdit(self)
        self.deadline.setPlaceholderText(self.tr("如 年底前、2027年6月底前、长期坚持"))
        self.reading = QLabel(self)
        self.body.addRow(self.use_status, self.status)
        self.body.addRow(self.use_unit, self.unit)
        self.body.addRow(self.use_deadline, self.deadline)
        self.body.addRow("", self.reading)
        for box, field in ((self.use_status, self.status), (self.use_unit, self.unit),
                           (self.use_deadline, self.deadline)):
            field.setEnabled(False)
            box.toggled.connect(field.setEnabled)
        self.deadline.textChanged.connect(self._read)
        self._read("")

    def _read(self, text: str) -> None:
        today = clock.today()  # bulk-edited deadlines are typed, so they mean today's 年底前
        meaning, error = read_deadline(text, today)
        if error:
            self.reading.setText(meaning)
        elif is_relative(text, today):
            self.reading.setText(self.tr("按{day}理解：{meaning}").format(
                day=format_date_cn(today), meaning=meaning))
        else:
            self.reading.setText("→ " + meaning)
        self.reading.setStyleSheet("color: #b3261e;" if error else "color: #146c2e;")

    def attempt(self) -> None:
        if not (self.use_status.isChecked() or self.use_unit.isChecked()
                or self.use_deadline.isChecked()):
            raise TrackerError(self.tr("请至少勾选一项要修改的内容。"))
        if self.use_unit.isChecked() and not self.unit.text():
            raise TrackerError(self.tr("请填写牵头单位。"))
        if self.use_deadline.isChecked():
            _meaning, error = read_deadline(self.deadline.text(), clock.today())
            if error:  # caught here, before a long edit of many problems starts
                raise TrackerError(error)
        self._save(
            Status(self.status.currentData()) if self.use_status.isChecked() else None,
            self.unit.text() if self.use_unit.isChecked() else None,
            self.deadline.text() if self.use_deadline.isChecked() else None,
        )
