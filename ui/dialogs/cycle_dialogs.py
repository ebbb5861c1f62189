"""The close-out cycle's small dialogs: 退回 a done measure, 批准延期 of an open one, and record a
回头看 of a closed-out problem. Each checks what it can before OK, and the service has the
last word (its sentence is shown under the fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from tracker import clock
from tracker.domain import MeasureRow, ProblemRow, Status
from tracker.errors import ValidationError
from ui.dialogs.small_edits import _SaveDialog, date_edit, pydate


def _measure_label(m: MeasureRow) -> str:
    text = m.text if len(m.text) <= 30 else m.text[:30] + "…"
    return f"{m.position}．{text}（{m.status.label}）"


class _MeasureDialog(_SaveDialog):
    """A dialog about one measure of a problem, picked from those the step applies to."""

    def __init__(self, title: str, problem: ProblemRow, fits: Callable[[MeasureRow], bool],
                 parent: QWidget | None) -> None:
        super().__init__(title, parent)
        intro = QLabel(self.tr("问题：{d}").format(d=problem.description), self)
        intro.setWordWrap(True)
        self.body.addRow(intro)
        self.measure = QComboBox(self)
        for m in problem.measures:
            if fits(m):
                self.measure.addItem(_measure_label(m), m.id)
        self.body.addRow(self.tr("措施"), self.measure)

    def measure_id(self) -> int:
        """The chosen measure, or a refusal when none fits."""
        mid = self.measure.currentData()
        if mid is None:
            raise ValidationError(self.tr("这个问题没有可以这样处理的措施。"))
        return int(mid)


class SendBackDialog(_MeasureDialog):
    """退回: a done measure goes back to 整改中, with the reason on record."""

    def __init__(self, problem: ProblemRow, save: Callable[[int, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("退回措施"), problem, lambda m: m.status is Status.DONE, parent)
        self._save = save
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText(self.tr("如：照片不能证明整改到位，请补充验收材料"))
        self.body.addRow(self.tr("退回理由"), self.reason)

    def attempt(self) -> None:
        self._save(self.measure_id(), self.reason.toPlainText())


class ExtendDialog(_MeasureDialog):
    """延期: a later deadline for an open measure, why, and who approved it."""

    def __init__(self, problem: ProblemRow, approver: str,
                 save: Callable[[int, str, str, str, dt.date], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("批准延期"), problem, lambda m: m.status.is_open, parent)
        self._save = save
        self.to = QLineEdit(self)
        self.to.setPlaceholderText(self.tr("如：2027年6月底前"))
        self.reason = QPlainTextEdit(self)
        self.approved_by = QLineEdit(approver, self)
        self.on = date_edit(self, clock.today())
        self.body.addRow(self.tr("新的整改时限"), self.to)
        self.body.addRow(self.tr("延期理由"), self.reason)
        self.body.addRow(self.tr("批准人"), self.approved_by)
        self.body.addRow(self.tr("批准日期"), self.on)

    def attempt(self) -> None:
        self._save(self.measure_id(), self.to.text(), self.reason.toPlainText(),
                   self.approved_by.text(), pydate(self.on.date()))


class RecheckDialog(_SaveDialog):
    """回头看: the date, 合格 or 不合格, and what was found (不合格 reopens the problem)."""

    def __init__(self, problem: ProblemRow, save: Callable[[bool, str, dt.date], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("回头看"), parent)
        self._save = save
        intro = QLabel(self.tr("问题：{d}（{on}销号）").format(
            d=problem.description,
            on=problem.closeout_on.isoformat() if problem.closeout_on else ""), self)
        intro.setWordWrap(True)
        self.body.addRow(intro)
        self.outcome = QComboBox(self)
        self.outcome.addItem(self.tr("合格"), True)
        self.outcome.addItem(self.tr("不合格（重新打开问题）"), False)
        self.note = QPlainTextEdit(self)
        self.on = date_edit(self, clock.today())
        self.body.addRow(self.tr("结果"), self.outcome)
        self.body.addRow(self.tr("检查情况"), self.note)
        self.body.addRow(self.tr("日期"), self.on)

    def attempt(self) -> None:
        self._save(bool(self.outcome.currentData()), self.note.toPlainText(),
                   pydate(self.on.date()))
