"""新建/编辑问题: the problem's fields and its measures; a save that fails says why next to
the field and keeps everything typed; a save refused as stale reloads the newer version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import ProblemInput, ProblemRow, SourceRow
from tracker.errors import ConflictError, TrackerError
from tracker.services.queries import get_problem
from tracker.services.reference import list_categories, list_sources, list_units
from ui.edits import EditController
from ui.models.measure_list import MeasureDraft
from ui.widgets.completing_combo import CompletingCombo
from ui.widgets.field_error import FieldError
from ui.widgets.measure_editor import MeasureEditor

# save(data, expected_version) stores the problem and returns it; raises TrackerError.
SaveFn = Callable[[ProblemInput, int | None], ProblemRow]
MEASURE_FIELDS = {"measures", "deadline_text", "status"}


class ProblemEditor(QDialog):
    """Edits one problem (or a new one when ``problem`` is None)."""

    def __init__(self, ledger: Ledger, problem: ProblemRow | None, save: SaveFn,
                 parent: QWidget | None = None, *, read_only: bool = False,
                 default_source_id: int | None = None,
                 edits: EditController | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._edits = edits
        self.problem = problem
        self.saved: ProblemRow | None = None
        self._save = save
        self.setWindowTitle(self.tr("编辑问题") if problem else self.tr("新建问题"))
        self.resize(1100, 780)
        self.sources: list[SourceRow] = list_sources(ledger)

        self.source = QComboBox(self)
        self.source.setMinimumContentsLength(24)
        self.new_source_button = QPushButton(self.tr("新建来源…"), self)
        self.seq = QSpinBox(self)
        self.seq.setRange(0, 999_999)
        self.seq.setSpecialValueText(self.tr("自动编号"))
        self.category = CompletingCombo(self, self.tr("输入或选择类别"))
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText(self.tr("督导反馈中写的问题原文"))
        self.description.setMinimumHeight(60)
        self.description.setMaximumHeight(110)
        self.goal = QPlainTextEdit(self)
        self.goal.setFixedHeight(48)
        self.lead_unit = CompletingCombo(self, self.tr("输入或选择单位"))
        self.co_units = QLineEdit(self)
        self.co_units.setPlaceholderText(self.tr("多个单位用顿号分隔"))
        self.leader = QLineEdit(self)
        self.owner = QLineEdit(self)
        self.remarks = QLineEdit(self)
        self.errors: dict[str, FieldError] = {
            name: FieldError(self) for name in
            ("description", "goal", "co_units", "leader", "owner", "remarks", "general")}
        self.measures = MeasureEditor(self)

        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.new_source_button)
        source_row.addWidget(QLabel(self.tr("序号"), self))
        source_row.addWidget(self.seq)
        form = QFormLayout()
        form.addRow(self.tr("问题来源"), source_row)
        form.addRow(self.tr("问题类别"), self.category)
        form.addRow(self.tr("存在问题"), self._with_error(self.description, "description"))
        form.addRow(self.tr("整改目标"), self._with_error(self.goal, "goal"))
        form.addRow(self.tr("牵头单位"), self.lead_unit)
        form.addRow(self.tr("配合单位"), self._with_error(self.co_units, "co_units"))
        people = QHBoxLayout()
        people.addWidget(self.leader)
        people.addWidget(self.owner)
        form.addRow(self.tr("责任领导 / 责任人"), people)
        form.addRow(self.tr("备注"), self._with_error(self.remarks, "remarks"))
        top = QWidget(self)
        top.setLayout(form)
        box = QGroupBox(self.tr("整改措施"), self)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.measures)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(box)
        splitter.setStretchFactor(1, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.errors["general"])
        layout.addWidget(self.buttons)

        self.new_source_button.clicked.connect(self._new_source)
        self._fill_lists(problem.source_id if problem else default_source_id)
        self._load(problem)
        if read_only:
            self._make_read_only()

    def _with_error(self, field: QWidget, name: str) -> QWidget:
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(field)
        v.addWidget(self.errors[name])
        return box

    def _fill_lists(self, source_id: int | None) -> None:
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(self.tr("（未指定来源）"), None)
        for s in self.sources:
            self.source.addItem(s.display, s.id)
        index = self.source.findData(source_id) if source_id is not None else -1
        if index < 0 and self.problem is None and self.sources:
            index = 1  # a new problem goes under the newest source by default
        self.source.setCurrentIndex(max(0, index))
        self.source.blockSignals(False)
        self.category.set_names(c.name for c in list_categories(self.ledger))
        units = [u.name for u in list_units(self.ledger)]
        self.lead_unit.set_names(units)
        self.measures.set_units(units)

    def _reference(self) -> dt.date:
        """The day typed relative deadlines are read against: today, as the service reads them."""
        # Never the source's date: 年底前 typed now on a 2022 source means this year's end.
        return clock.today()

    def _load(self, p: ProblemRow | None) -> None:
        if p is None:
            self.measures.set_measures([MeasureDraft()], self._reference())
            return
        self.seq.setValue(p.seq)
        self.category.set_text(p.category)
        self.description.setPlainText(p.description)
        self.goal.setPlainText(p.goal)
        self.lead_unit.set_text(p.lead_unit)
        self.co_units.setText(p.co_units)
        self.leader.setText(p.leader)
        self.owner.setText(p.owner)
        self.remarks.setText(p.remarks)
        self.measures.set_measures([MeasureDraft.from_row(m) for m in p.measures],
                                   self._reference(), p.measures)

    def _make_read_only(self) -> None:
        for w in (self.source, self.new_source_button, self.seq, self.category,
                  self.lead_unit):
            w.setEnabled(False)
        for e in (self.description, self.goal):
            e.setReadOnly(True)
        for line in (self.co_units, self.leader, self.owner, self.remarks):
            line.setReadOnly(True)
        self.measures.set_read_only(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.setWindowTitle(self.tr("查看问题（只读）"))

    def _new_source(self) -> None:
        from ui.dialogs.source_form import SourceFormDialog

        dialog = SourceFormDialog(self.ledger, None, self, self._edits)
        if dialog.exec() and dialog.saved is not None:
            self.sources = list_sources(self.ledger)
            self._fill_lists(dialog.saved.id)

    # ------------------------------------------------------------ saving

    def data(self) -> ProblemInput:
        """Everything typed, as the service takes it."""
        seq = self.seq.value()
        return ProblemInput(
            description=self.description.toPlainText(), source_id=self.source.currentData(),
            category=self.category.text(), goal=self.goal.toPlainText(),
            lead_unit=self.lead_unit.text(), co_units=self.co_units.text(),
            leader=self.leader.text(), owner=self.owner.text(), remarks=self.remarks.text(),
            seq=seq if seq > 0 else None,
            measures=tuple(d.to_input() for d in self.measures.model.drafts()),
        )

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        self.measures.list_error.show_message("")

    def try_save(self) -> bool:
        """Check, save, and close on success; otherwise explain and stay open."""
        self._clear_errors()
        ok = True
        if not self.description.toPlainText().strip():
            self.errors["description"].show_message(self.tr("请填写“存在问题”。"))
            self.description.setFocus()
            ok = False
        if not self.measures.show_errors():
            ok = False
        if not ok:
            return False
        try:
            self.saved = self._save(self.data(), self.problem.version if self.problem else None)
        except ConflictError as exc:
            self._reload_after_conflict(exc)
            return False
        except TrackerError as exc:
            self._show_error(exc)
            return False
        self.accept()
        return True

    def _show_error(self, exc: TrackerError) -> None:
        field = getattr(exc, "field", "")
        if field in self.errors and field != "general":
            self.errors[field].show_message(exc.message)
        elif field in MEASURE_FIELDS:
            self.measures.list_error.show_message(exc.message)
        else:
            self.errors["general"].show_message(exc.message)

    def _reload_after_conflict(self, exc: ConflictError) -> None:
        """Someone else saved first: never overwrite; keep the clerk's text on the clipboard
        and show the newer version to edit again."""
        mine = self.data()
        lines = [mine.description, *(m.text for m in mine.measures)]
        QApplication.clipboard().setText("\n".join(line for line in lines if line))
        QMessageBox.warning(self, self.tr("内容已被修改"), exc.message + "\n\n" + self.tr(
            "您刚才填写的“存在问题”和措施内容已复制到剪贴板，可粘贴回来。"))
        if self.problem is None:
            return
        try:
            self.problem = get_problem(self.ledger, self.problem.id)
        except TrackerError as err:
            self.errors["general"].show_message(err.message)
            return
        self._load(self.problem)


