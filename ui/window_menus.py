"""The window's menus, toolbar and shortcuts (Ctrl+N, Ctrl+F, Delete, Ctrl+Z / Ctrl+Y), and
which of them are enabled for the selection and for a read-only ledger."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QSizePolicy, QStyle, QToolBar, QWidget

from ui import ledger_files, settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _dialogs() -> ModuleType:
    # Imported when a menu item runs: it loads the engine (SQLAlchemy), and the menus are
    # built before the first rows are painted (ui.first_paint).
    from ui import external_dialogs

    return external_dialogs


class _OnceOpen:
    """Stands for the window's ``actions_`` or ``cycle_actions`` (made when the ledger is
    attached, after the menus): ``proxy.edit_problem`` calls the real one when triggered."""

    def __init__(self, w: MainWindow, name: str) -> None:
        self._w, self._name = w, name

    def __getattr__(self, attr: str) -> Callable[[], object]:
        def call() -> object:
            return getattr(getattr(self._w, self._name), attr)()

        return call


class WindowMenus:
    """Holds the actions so the window can enable them and tests can trigger them."""

    def __init__(self, w: MainWindow) -> None:
        self.w = w
        style = w.style()
        a = _OnceOpen(w, "actions_")

        def act(text: str, slot: object,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
            action = QAction(_tr(text), w)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
            return action

        sp = QStyle.StandardPixmap
        self.new_ledger = act("新建台账…", lambda: ledger_files.new_ledger(w))
        self.open_ledger = act("打开台账…", lambda: ledger_files.open_ledger_dialog(w),
                               QKeySequence.StandardKey.Open)
        self.open_server = act("连接服务器台账…", lambda: _dialogs().open_server(w))
        self.import_excel = act("导入 Excel 台账…", lambda: _dialogs().import_excel(w))
        self.import_report = act("从报告导入问题…", lambda: _dialogs().import_report(w))
        self.export_excel = act("导出 Excel 台账…", lambda: _dialogs().export_excel(w))
        self.reminder = act("生成催办单…", lambda: _dialogs().reminder(w))
        self.report = act("生成报告…", lambda: _dialogs().report(w))
        self.print_preview = act("打印预览…", lambda: _dialogs().print_preview(w),
                                 QKeySequence.StandardKey.Print)
        self.export_pdf = act("导出 PDF…", lambda: _dialogs().export_pdf(w))
        self.backup = act("备份与恢复…", lambda: _dialogs().backup(w))
        self.preferences = act("偏好设置…", lambda: _dialogs().preferences(w))
        self.quit = act("退出", w.close, QKeySequence.StandardKey.Quit)

        self.undo = w.stack.createUndoAction(w, _tr("撤销"))
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo.setIcon(style.standardIcon(sp.SP_ArrowBack))
        self.redo = w.stack.createRedoAction(w, _tr("重做"))
        self.redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.redo.setIcon(style.standardIcon(sp.SP_ArrowForward))
        self.new_problem = act("新建问题…", a.new_problem, "Ctrl+N", sp.SP_FileIcon)
        self.edit_problem = act("编辑问题…\tEnter", a.edit_problem, None,
                                sp.SP_FileDialogDetailedView)
        self.delete_problem = act("删除问题\tDel", a.delete_selected, None, sp.SP_TrashIcon)
        self.close_out = act("销号…", a.close_out, None, sp.SP_DialogApplyButton)
        self.bulk_edit = act("批量修改…", a.bulk_edit, None, sp.SP_FileDialogListView)
        c = _OnceOpen(w, "cycle_actions")
        self.send_back = act("退回措施…", c.send_back, None)
        self.extend = act("批准延期…", c.extend, None)
        self.recheck = act("回头看…", c.recheck, None)
        self.forms = act("打印销号单…", c.closeout_forms, None)
        self.cycle = [self.send_back, self.extend, self.recheck]
        self.add_note = act("添加进展…", a.add_note, None)
        self.find = act("查找", w.focus_search, QKeySequence.StandardKey.Find)
        self.copy_rows = act("复制所选行", a.copy_rows)
        self.copy_rows.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        # Only while the table has the keyboard: in a text box Ctrl+C copies the text.
        self.copy_rows.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.dashboard = act("统计…", lambda: _dialogs().dashboard(w), "Ctrl+T",
                             sp.SP_FileDialogInfoView)
        self.refresh = act("刷新", w.reload, QKeySequence.StandardKey.Refresh,
                           sp.SP_BrowserReload)
        self.sources = act("问题来源…", lambda: _dialogs().manage(w, "sources"))
        self.units = act("责任单位…", lambda: _dialogs().manage(w, "units"))
        self.categories = act("问题类别…", lambda: _dialogs().manage(w, "categories"))
        self.about = act("关于整改台账", lambda: _dialogs().about(w))
        self.edit_actions = [self.new_problem, self.delete_problem, self.close_out, *self.cycle,
                             self.bulk_edit, self.add_note, self.import_excel,
                             self.import_report]
        self.new_problem.setToolTip(_tr("新建问题（Ctrl+N）"))

        # Delete and Enter belong to the table only: in the search box they edit the text.
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), w.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(a.delete_selected)

        self._build_menus()
        self._build_toolbar()
        # Right-click on the table offers what the Edit menu offers, as in Excel.
        w.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        separator = QAction(w.table)
        separator.setSeparator(True)
        w.table.addActions([self.edit_problem, self.add_note, self.close_out, separator,
                            self.bulk_edit, self.delete_problem, self.copy_rows])

    def _build_menus(self) -> None:
        bar = self.w.menuBar()
        file = bar.addMenu(_tr("文件(&F)"))
        file.addActions([self.new_ledger, self.open_ledger, self.open_server])
        self.recent_menu = QMenu(_tr("最近打开"), file)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.import_excel, self.import_report])
        file.addSeparator()
        file.addActions([self.export_excel, self.reminder, self.report, self.print_preview,
                         self.export_pdf])
        file.addSeparator()
        file.addAction(self.backup)
        file.addSeparator()
        file.addAction(self.preferences)
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu(_tr("编辑(&E)"))
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.new_problem, self.edit_problem, self.delete_problem])
        edit.addSeparator()
        edit.addActions([self.add_note, self.close_out, self.bulk_edit])
        edit.addActions(self.cycle)
        edit.addAction(self.forms)
        edit.addSeparator()
        edit.addActions([self.copy_rows, self.find])
        view = bar.addMenu(_tr("查看(&V)"))
        view.addActions([self.dashboard, self.refresh])
        manage = bar.addMenu(_tr("管理(&M)"))
        manage.addActions([self.sources, self.units, self.categories])
        help_menu = bar.addMenu(_tr("帮助(&H)"))
        help_menu.addAction(self.about)

    def _build_toolbar(self) -> None:
        tb = QToolBar(_tr("工具栏"), self.w)
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        tb.setIconSize(QSize(18, 18))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addActions([self.new_problem, self.edit_problem, self.delete_problem,
                       self.close_out, self.bulk_edit])
        tb.addSeparator()
        tb.addActions([self.undo, self.redo])
        tb.addSeparator()
        tb.addAction(self.dashboard)
        spacer = QWidget(tb)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.w.search.setMinimumWidth(360)
        tb.addWidget(self.w.search)
        self.w.addToolBar(tb)
        self.toolbar = tb
        # Toolbar buttons show short words, not the menu text with its "\tEnter" hint.
        for action, text in ((self.new_problem, "新建问题"), (self.edit_problem, "编辑"),
                             (self.delete_problem, "删除"), (self.close_out, "销号"),
                             (self.bulk_edit, "批量修改"), (self.dashboard, "统计")):
            action.setIconText(_tr(text))

    def fill_recent(self) -> None:
        """List recently opened ledgers under 文件 > 最近打开."""
        self.recent_menu.clear()
        for path in settings.recent_files():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(
                lambda _c=False, p=path: ledger_files.open_recent(self.w, p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def set_editable(self, editable: bool) -> None:
        """A read-only ledger can be viewed and exported, never changed."""
        self._editable = editable
        for action in self.edit_actions:
            action.setEnabled(editable)
        self.undo.setVisible(editable)
        self.redo.setVisible(editable)
        self.set_selection(len(self.w.selected_ids()) if hasattr(self.w, "menus") else 0)

    def set_selection(self, n: int) -> None:
        """Enable what makes sense for ``n`` selected problems."""
        editable = getattr(self, "_editable", True)
        self.edit_problem.setEnabled(n >= 1)
        self.delete_problem.setEnabled(editable and n >= 1)
        self.bulk_edit.setEnabled(editable and n >= 1)
        self.close_out.setEnabled(editable and n == 1)
        self.add_note.setEnabled(editable and n == 1)
        for action in self.cycle:
            action.setEnabled(editable and n == 1)
        self.forms.setEnabled(n >= 1)
        self.edit_problem.setText(_tr("编辑问题…\tEnter") if editable else _tr("查看问题…\tEnter"))
        self.edit_problem.setIconText(_tr("编辑") if editable else _tr("查看"))


def build_menus(w: MainWindow) -> WindowMenus:
    """Create the menus and toolbar of a window."""
    return WindowMenus(w)
