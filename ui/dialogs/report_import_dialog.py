"""从报告导入问题: the report's text on the left (pasted, or read from a .txt/.docx), the
problems found on the right, each to check, edit, categorise and give its measures, and the
source they go under; only the checked problems are imported, in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tracker.db.engine import Ledger
from tracker.domain import DEFAULT_CATEGORIES, ProblemRow
from tracker.errors import TrackerError
from tracker.report import ExtractedReport, parse_pasted_text, read_report_file
from tracker.report.import_inputs import guess_source_kind, problem_inputs, totals
from tracker.services.problems import create_problems
from tracker.services.reference import list_categories, list_sources
from ui.dialogs.source_form import SourceForm
from ui.dialogs.report_preview_tree import ReportPreviewTree
from ui.models.report_preview_model import KIND_GROUP, KIND_MEASURE, ReportPreviewModel
from ui.tasks import run_in_background

PARSE_DELAY_MS = 500  # typing or pasting settles before the text is read again
NO_YEAR = 1989  # the SourceForm year box's "未填写" value
ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #9a5b00;"


class ReportImportDialog(QDialog):
    """Paste or open a report, confirm the problems and measures found, import the checked ones.
    ``created`` holds the imported problems after ``accept()``."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.created: list[ProblemRow] = []
        self.report: ExtractedReport | None = None
        self._generation = 0  # only the newest parse is shown
        self._busy: Any = None  # the running import or file read
        self._file_stem = ""
        self._loading = False  # True while the dialog itself fills the text box
        self._auto: dict[str, object] = {}  # source values last filled in from the report
        self._existing = {(s.title, s.year): s.problem_count for s in list_sources(ledger)}
        categories = [c.name for c in list_categories(ledger)] or list(DEFAULT_CATEGORIES)
        self.setWindowTitle(self.tr("从报告导入问题"))
        self.resize(1320, 800)

        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr(
            "把自评报告、督导反馈意见的全文（或只是其中的问题清单）粘贴到这里，"
            "或点“打开文件…”读取 .docx / .txt 文件。"))
        self.text.textChanged.connect(self._text_changed)
        self.open_button = QPushButton(self.tr("打开文件…"), self)
        self.parse_button = QPushButton(self.tr("识别"), self)
        self.parse_button.setToolTip(self.tr("重新识别左侧文字（右侧的修改将放弃）"))
        self.open_button.clicked.connect(self._choose_file)
        self.parse_button.clicked.connect(self._parse_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)
        self._timer.timeout.connect(self.reparse)

        self.source_form = SourceForm(self)
        self.source_form.load(None)
        self.source_form.year.setValue(NO_YEAR)
        self._auto = {"title": "", "kind": self.source_form.kind.currentData(), "year": NO_YEAR,
                      "doc_number": ""}
        self.source_form.title.textChanged.connect(self._update_summary)
        self.source_form.year.valueChanged.connect(self._update_summary)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("reportMessage")
        self.model = ReportPreviewModel(self)
        self.tree = ReportPreviewTree(self.model, categories, self)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.assign_button = QPushButton(self.tr("分配到问题…"), self)
        self.assign_button.setToolTip(self.tr("把所选措施移到某个问题下（也可以直接拖过去）"))
        self.assign_button.clicked.connect(self._assign_from_button)
        check_all = QPushButton(self.tr("全选"), self)
        check_none = QPushButton(self.tr("全不选"), self)
        check_all.clicked.connect(lambda: self.model.set_all_checked(True))
        check_none.clicked.connect(lambda: self.model.set_all_checked(False))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.import_button = QPushButton(self.tr("导入所选问题"), self)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_checked)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.clicked.connect(self.reject)
        for signal in (self.model.dataChanged, self.model.modelReset, self.model.rowsMoved,
                       self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_summary)
        self.tree.selectionModel().currentChanged.connect(self._update_summary)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("报告文字"), left))
        left_layout.addWidget(self.text, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.open_button)
        left_buttons.addStretch(1)
        left_buttons.addWidget(self.parse_button)
        left_layout.addLayout(left_buttons)
        # The source belongs to the document: under its text, leaving the tree full height.
        box = QGroupBox(self.tr("问题来源（导入时新建）"), left)
        QVBoxLayout(box).addWidget(self.source_form)
        left_layout.addWidget(box)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr(
            "识别出的问题：勾选要导入的，双击可修改文字和类别；措施可拖到别的问题下。"), right))
        right_layout.addWidget(self.tree, 1)
        tree_buttons = QHBoxLayout()
        for b in (self.assign_button, check_all, check_none):
            tree_buttons.addWidget(b)
        tree_buttons.addStretch(1)
        right_layout.addLayout(tree_buttons)
        right_layout.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._update_summary()

    # ------------------------------------------------------------------ reading

    def _text_changed(self) -> None:
        if self._loading:
            return
        if self.model.edited:
            # Re-reading now would throw away what the clerk changed on the right.
            self._say(self.tr("左侧文字已修改。点“识别”重新识别（右侧的修改将放弃）。"), note=True)
            return
        self._timer.start()

    def _parse_clicked(self) -> None:
        if self.model.edited and QMessageBox.question(
                self, self.tr("重新识别"), self.tr("重新识别会放弃右侧已做的修改，继续吗？"),
        ) != QMessageBox.StandardButton.Yes:
            return
        self.reparse()

    def reparse(self) -> None:
        """Read the text box again, off the GUI thread; only the newest result is shown."""
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.text.toPlainText()
        if not text.strip():
            self._show_report(ExtractedReport("", None, "", (), ()))
            self._say("")
            return
        run_in_background(lambda _progress: parse_pasted_text(text),
                          lambda report: self._parsed(generation, report),
                          self._failed, parent=self)

    def _parsed(self, generation: int, report: object) -> None:
        if generation == self._generation and isinstance(report, ExtractedReport):
            self._show_report(report)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开报告"), "",
            self.tr("报告 (*.docx *.txt *.md);;所有文件 (*)"))
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Read and parse a .txt/.docx report off the GUI thread, then show its text."""
        self._generation += 1
        generation = self._generation

        def work(_progress: Any) -> tuple[str, ExtractedReport]:
            text = read_report_file(path)
            return text, parse_pasted_text(text)

        def done(result: object) -> None:
            self._busy = None
            self._update_summary()
            if generation != self._generation or not isinstance(result, tuple):
                return
            text, report = result
            self._file_stem = path.stem
            self._loading = True
            self.text.setPlainText(text)
            self._loading = False
            self._show_report(report)

        self._say(self.tr("正在读取“{name}”…").format(name=path.name))
        self._busy = run_in_background(work, done, self._failed, parent=self,
                                       label=self.tr("正在读取报告…"))
        self._update_summary()

    def _show_report(self, report: ExtractedReport) -> None:
        self.report = report
        self.model.set_report(report)
        self._prefill_source(report)
        self._say(report.message, note=bool(report.problems))

    def _prefill_source(self, report: ExtractedReport) -> None:
        """Fill the source fields from the report, except those the clerk has changed."""
        form = self.source_form
        wanted: dict[str, object] = {
            "title": report.title or self._file_stem,
            "kind": guess_source_kind(report.title).value,
            "year": report.year or NO_YEAR,
            "doc_number": report.doc_number,
        }
        current = {"title": form.title.text(), "kind": form.kind.currentData(),
                   "year": form.year.value(), "doc_number": form.doc_number.text()}
        for key, value in wanted.items():
            if key in self._auto and current[key] != self._auto[key]:
                continue  # typed by the clerk: theirs wins
            if key == "title":
                form.title.setText(str(value))
                form.title.setCursorPosition(0)  # a long title shows its beginning
            elif key == "kind":
                form.kind.setCurrentIndex(max(0, form.kind.findData(value)))
            elif key == "year":
                form.year.setValue(int(str(value)))
            else:
                form.doc_number.setText(str(value))
            self._auto[key] = value
        if report.issued_on is not None and not form.has_date.isChecked():
            # The document's own date: relative deadlines in it were read against this day.
            d = report.issued_on
            form.has_date.setChecked(True)
            form.issued_on.setDate(QDate(d.year, d.month, d.day))

    # ------------------------------------------------------------------ assigning

    def _selected_measure(self) -> QModelIndex | None:
        index = self.tree.currentIndex()
        if self.model.kind_of(index) != KIND_MEASURE:
            return None
        return self.model.index(index.row(), 0, index.parent())

    def assign_selected(self, problem_row: int) -> bool:
        """Move the selected measure under the problem at ``problem_row``."""
        measure = self._selected_measure()
        return measure is not None and self.model.move_measure(measure, problem_row)

    def _assign_menu(self, measure: QModelIndex) -> QMenu:
        menu = QMenu(self.tr("分配到问题"), self)
        owner_row = measure.parent().row()
        for row, d in enumerate(self.model.problems()):
            if row == owner_row:
                continue
            label = d.description if len(d.description) <= 36 else d.description[:35] + "…"
            action = menu.addAction(f"{row + 1}. {label}")
            action.triggered.connect(lambda _=False, r=row: self.assign_selected(r))
        menu.setEnabled(not menu.isEmpty())
        return menu

    def _assign_from_button(self) -> None:
        measure = self._selected_measure()
        if measure is not None:
            menu = self._assign_menu(measure)
            menu.exec(self.assign_button.mapToGlobal(QPoint(0, self.assign_button.height())))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if self.model.kind_of(index) != KIND_MEASURE:
            return
        self.tree.setCurrentIndex(index)
        measure = self.model.index(index.row(), 0, index.parent())
        menu = QMenu(self)
        menu.addMenu(self._assign_menu(measure))
        group = self.model.group_index()
        if self.model.kind_of(measure.parent()) != KIND_GROUP:
            menu.addAction(self.tr("移到“未对应的措施”（不导入）"),
                           lambda: self.model.move_measure(measure, group.row()))
        menu.addAction(self.tr("删除此措施"),
                       lambda: self.model.removeRows(measure.row(), 1, measure.parent()))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ importing

    def import_checked(self) -> None:
        """Import the checked problems (with the clerk's edits) under a new source, off the
        GUI thread; the dialog closes when they are stored."""
        problems = self.model.checked_problems()
        if not problems:
            self._say(self.tr("没有勾选任何问题，没有可导入的内容。"), error=True)
            return
        try:
            inputs = problem_inputs(problems)
        except TrackerError as exc:
            self._say(exc.message, error=True)
            return
        ledger, source = self.ledger, self.source_form.data()

        def done(rows: object) -> None:
            self._busy = None
            self.created = list(rows) if isinstance(rows, list) else []
            self.accept()

        def failed(exc: BaseException) -> None:
            self._busy = None
            self._failed(exc)
            self._update_summary()

        self._say(self.tr("正在导入…"))
        self._busy = run_in_background(lambda _progress: create_problems(ledger, inputs, source),
                                       done, failed, parent=self, label=self.tr("正在导入问题…"))
        self._update_summary()

    def _failed(self, exc: BaseException) -> None:
        self._busy = None
        if isinstance(exc, TrackerError):
            self._say(exc.message, error=True)
        else:  # a bug: the clerk still gets a sentence, not a traceback
            self._say(self.tr("操作失败：{error}").format(error=exc), error=True)
        self._update_summary()

    def _say(self, text: str, error: bool = False, note: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE if note else "")
        self.message.setText(text)

    def _update_summary(self, *_args: Any) -> None:
        checked = self.model.checked_problems()
        self._update_buttons(checked)
        if self.report is None:
            self.summary.setText(self.tr("粘贴报告文字或打开文件后，识别出的问题显示在右侧。"))
            return
        count = totals(checked)
        parts = [self.tr("将导入 {p} 个问题、{m} 项整改措施").format(p=count.problems, m=count.measures)]
        marked = self.model.review_count()
        if marked:
            parts.append(self.tr("{n} 项标为【待核对】，请先核对").format(n=marked))
        waiting = len(self.model.unassigned())
        if waiting:
            parts.append(self.tr("{n} 项措施未对应到问题，不会导入").format(n=waiting))
        source = self.source_form.data()
        if self._existing.get((source.title.strip(), source.year)):
            parts.append(self.tr("台账中已有同名问题来源，这份报告可能已经导入过"))
        self.summary.setText("；".join(parts) + "。")

    def _update_buttons(self, checked: list[Any]) -> None:
        idle = self._busy is None
        self.import_button.setEnabled(idle and bool(checked) and not self.ledger.read_only)
        self.open_button.setEnabled(idle)
        self.assign_button.setEnabled(self._selected_measure() is not None)
        if self.ledger.read_only:
            self.import_button.setToolTip(self.tr("台账以只读方式打开，不能导入。"))
