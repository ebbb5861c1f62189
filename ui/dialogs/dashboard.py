"""统计: counts by status, the overdue and due-soon lists, the report sentence for a chosen
date (with a copy button) and a bar per unit. Counting runs off the GUI thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.summary import LedgerSummary, UnitCounts, percent, sentence, summary_with_units
from ui.colors import PALETTES, Band
from ui.dialogs.small_edits import date_edit, pydate
from ui.models.problem_table import PROBLEM_ID_ROLE, Column, ProblemTableModel
from ui.tasks import run_in_background
from ui.widgets.unit_chart import UnitChart

LIST_COLUMNS = (Column.SEQ, Column.DESCRIPTION, Column.LEAD_UNIT, Column.DEADLINE,
                Column.STATUS)


class Card(QFrame):
    """A big number with its label underneath."""

    def __init__(self, label: str, color: str = "#202124", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setStyleSheet("#card { background: #f6f8fa; border: 1px solid #dadce0;"
                           " border-radius: 4px; }")
        v = QVBoxLayout(self)
        v.setContentsMargins(12, 6, 12, 6)
        self.number = QLabel("–", self)
        self.number.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {color};")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(label, self)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.number)
        v.addWidget(caption)

    def set_value(self, text: str) -> None:
        """Show a new number."""
        self.number.setText(text)


class Dashboard(QDialog):
    """The 统计 window for the whole ledger as of a date."""

    problem_activated = Signal(int)  # a row of a list was double-clicked
    computed = Signal()  # numbers shown for the current date (tests wait on it)

    def __init__(self, ledger: Ledger, soon_days: int, later_days: int,
                 parent: QWidget | None = None, as_of: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.soon_days, self.later_days = soon_days, later_days
        self.summary: LedgerSummary | None = None
        self.units: list[UnitCounts] = []
        self._generation = 0
        self.setWindowTitle(self.tr("统计"))
        self.resize(1400, 900)

        self.as_of = date_edit(self, as_of or clock.today())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("截至日期"), self))
        top.addWidget(self.as_of)
        top.addStretch(1)
        overdue = PALETTES[Band.OVERDUE].foreground.name()
        self.cards: dict[str, Card] = {
            "total": Card(self.tr("问题总数"), parent=self),
            "completed": Card(self.tr("已整改完成"), PALETTES[Band.DONE].foreground.name(), self),
            "closed": Card(self.tr("其中已销号"), PALETTES[Band.CLOSED].foreground.name(), self),
            Status.IN_PROGRESS.value: Card(self.tr("整改中"), parent=self),
            Status.NOT_STARTED.value: Card(self.tr("未启动"), parent=self),
            Status.ONGOING.value: Card(self.tr("长期坚持"), parent=self),
            "overdue": Card(self.tr("逾期未完成"), overdue, self),
            "rate": Card(self.tr("整改完成率"), parent=self),
        }
        cards = QGridLayout()
        for i, card in enumerate(self.cards.values()):
            cards.addWidget(card, 0, i)
        self.sentence = QPlainTextEdit(self)
        self.sentence.setReadOnly(True)
        self.sentence.setFixedHeight(64)
        self.copy_button = QPushButton(self.tr("复制这句话"), self)
        sentence_row = QHBoxLayout()
        sentence_row.addWidget(self.sentence, 1)
        sentence_row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)

        self.overdue_model = ProblemTableModel(ledger, self)
        self.soon_model = ProblemTableModel(ledger, self)
        lists = QTabWidget(self)
        self.overdue_view = self._list_view(self.overdue_model)
        self.soon_view = self._list_view(self.soon_model)
        lists.addTab(self.overdue_view, self.tr("逾期问题"))
        lists.addTab(self.soon_view, self.tr("{n}天内到期").format(n=later_days))
        self.lists = lists
        self.chart = UnitChart(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_title = QLabel(self.tr("分单位整改情况（按牵头单位，含措施牵头；“配合”另计）"), self)
        chart_title.setStyleSheet("font-weight: bold;")
        chart_layout.addWidget(chart_title)
        chart_layout.addWidget(scroll, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(lists)
        splitter.addWidget(chart_box)
        splitter.setSizes([700, 700])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addLayout(sentence_row)
        layout.addWidget(splitter, 1)

        self.copy_button.clicked.connect(self.copy_sentence)
        self.as_of.dateChanged.connect(lambda _d: self.recompute())
        self.recompute()

    def _list_view(self, model: ProblemTableModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setDefaultSectionSize(26)
        view.verticalHeader().hide()
        for col in Column:
            view.setColumnHidden(col, col not in LIST_COLUMNS)
        header = view.horizontalHeader()
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        view.setColumnWidth(Column.SEQ, 50)
        view.setColumnWidth(Column.LEAD_UNIT, 110)
        view.setColumnWidth(Column.DEADLINE, 250)
        view.setColumnWidth(Column.STATUS, 70)
        view.doubleClicked.connect(self._activated)
        return view

    def _activated(self, index: QModelIndex) -> None:
        pid = index.data(PROBLEM_ID_ROLE)
        if pid is not None:
            self.problem_activated.emit(int(pid))

    def day(self) -> dt.date:
        """The date the numbers are for."""
        return pydate(self.as_of.date())

    def recompute(self) -> None:
        """Count again for the chosen date (in the background)."""
        day = self.day()
        self._generation += 1
        gen, ledger = self._generation, self.ledger
        for model, flt in (
            (self.overdue_model, ProblemFilter(overdue=True, as_of=day)),
            (self.soon_model, ProblemFilter(due_within_days=self.later_days, as_of=day)),
        ):
            model.set_bands(day, self.soon_days, self.later_days)
            model.set_query(flt, "deadline", False)
        self.sentence.setPlainText(self.tr("正在统计…"))

        def work(_progress: Any) -> tuple[LedgerSummary, list[UnitCounts]]:
            return summary_with_units(ledger, as_of=day)

        def done(result: object) -> None:
            if gen == self._generation:
                assert isinstance(result, tuple)
                self._show(result[0], result[1])

        def failed(exc: BaseException) -> None:
            if gen == self._generation:
                self.sentence.setPlainText(getattr(exc, "message", str(exc)))

        run_in_background(work, done, failed, self)

    def _show(self, s: LedgerSummary, units: list[UnitCounts]) -> None:
        self.summary, self.units = s, units
        by_status = dict(s.by_status)
        values = {
            "total": s.total, "completed": s.completed, "closed": s.closed,
            "overdue": s.overdue,
            **{st.value: by_status.get(st, 0) for st in
               (Status.IN_PROGRESS, Status.NOT_STARTED, Status.ONGOING)},
        }
        for key, n in values.items():
            self.cards[key].set_value(str(n))
        self.cards["rate"].set_value(percent(s.rate))
        self.sentence.setPlainText(sentence(s))
        self.lists.setTabText(0, self.tr("逾期问题（{n}）").format(n=self.overdue_model.rowCount()))
        self.lists.setTabText(1, self.tr("{d}天内到期（{n}）").format(
            d=self.later_days, n=self.soon_model.rowCount()))
        self.chart.set_units(units)
        self.computed.emit()

    def copy_sentence(self) -> None:
        """Put the sentence on the clipboard for the report."""
        if self.summary is not None:
            QApplication.clipboard().setText(sentence(self.summary))


