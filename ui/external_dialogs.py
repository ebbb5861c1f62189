"""Menu entries that open other dialogs: import, export, print, backup, the dashboard,
managed lists, preferences and about box. Each dialog's module is imported inside its
function, so the window starts without loading them, but by a literal ``from ... import``
that PyInstaller sees: a frozen build then carries every dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from tracker.db.engine import current_user
from tracker.errors import TrackerError
from ui import filters, ledger_files, settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _guarded(w: MainWindow, fn: object) -> None:
    try:
        fn()  # type: ignore[operator]
    except TrackerError as exc:
        w.show_error(exc)


def import_excel(w: MainWindow) -> None:
    """文件 > 导入 Excel 台账…, then show what came in."""
    from ui.dialogs.import_wizard import ImportWizard

    _guarded(w, lambda: ImportWizard(w.ledger, w).exec())
    w.reload()


def import_report(w: MainWindow) -> None:
    """文件 > 从报告导入问题…"""
    from ui.dialogs.report_import_dialog import ReportImportDialog

    _guarded(w, lambda: ReportImportDialog(w.ledger, w).exec())
    w.reload()


def export_excel(w: MainWindow) -> None:
    """文件 > 导出 Excel 台账… for the problems the window shows."""
    from ui.dialogs.export_dialog import ExportDialog

    _guarded(w, lambda: ExportDialog(w.ledger, w.current_filter(), w).exec())


def reminder(w: MainWindow) -> None:
    """文件 > 生成催办单… for the unit selected in the side panel (if any)."""
    from ui.dialogs.export_dialog import ReminderDialog

    unit = filters.unit_of(w.panel.key)
    # The side panel's 按单位 names include units that only co-operate (no unit-table row).
    counts = w.last_counts
    more = [c.name for c in counts.by_unit] if counts is not None else []
    _guarded(w, lambda: ReminderDialog(w.ledger, unit, w, more_units=more).exec())


def report(w: MainWindow) -> None:
    """文件 > 生成报告… for the problems the window shows."""
    from ui.dialogs.report_dialog import ReportDialog

    _guarded(w, lambda: ReportDialog(w.ledger, w.current_filter(), w).exec())


def print_preview(w: MainWindow) -> None:
    """文件 > 打印预览…"""
    from ui.printing import print_preview as show_preview

    _guarded(w, lambda: show_preview(w.ledger, w.current_filter(), w))


def export_pdf(w: MainWindow) -> None:
    """文件 > 导出 PDF…"""
    from ui.printing import export_pdf_dialog

    _guarded(w, lambda: export_pdf_dialog(w.ledger, w.current_filter(), w))


def backup(w: MainWindow) -> None:
    """文件 > 备份与恢复…; a restore replaces the file, so the ledger is opened again."""
    from ui.dialogs.backup_dialog import BackupDialog

    dialog = BackupDialog(w.ledger, w)
    _guarded(w, dialog.exec)
    if getattr(dialog, "restored", False):
        ledger_files.reopen(w)
    else:
        w.reload()


def open_server(w: MainWindow) -> None:
    """文件 > 连接服务器台账…: open a PostgreSQL ledger and remember the server (no password)."""
    from ui.dialogs import server_dialog

    dialog = server_dialog.ServerDialog(w)
    if dialog.exec() != server_dialog.ServerDialog.DialogCode.Accepted:
        return
    try:
        dialog.store_password()
    except Exception as exc:  # no keyring backend: connect anyway, say why nothing was kept
        QMessageBox.warning(w, _tr("连接服务器台账"), _tr("密码没有保存到系统钥匙串：{e}").format(e=exc))
    if ledger_files.open_path(w, dialog.url_for_this_session(), offer_sample=False):
        server_dialog.remember_server(dialog.url())


def dashboard(w: MainWindow) -> None:
    """查看 > 统计…: a window of its own, so the clerk can click through to problems."""
    from ui.dialogs.dashboard import Dashboard

    old = getattr(w, "dashboard_window", None)
    if old is not None:
        old.close()
    dialog = Dashboard(w.ledger, w.soon_days, w.later_days, w)
    dialog.problem_activated.connect(w.show_problem)
    w.dashboard_window = dialog
    dialog.show()


def manage(w: MainWindow, what: str) -> None:
    """管理 > 问题来源 / 责任单位 / 问题类别."""
    from ui.dialogs import reference_dialogs

    kinds = {"sources": reference_dialogs.SourcesDialog, "units": reference_dialogs.UnitsDialog,
             "categories": reference_dialogs.CategoriesDialog}
    try:
        dialog = kinds[what](w.ledger, w, read_only=w.ledger.read_only, edits=w.edits)
    except TrackerError as exc:
        w.show_error(exc)
        return
    dialog.exec()
    if dialog.changed:
        w.reload()


def preferences(w: MainWindow) -> None:
    """文件 > 偏好设置…: thresholds and the name in the history."""
    from ui.dialogs.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(current_user(), w, ledger=w.ledger)
    if dialog.exec():
        w.ledger.user = settings.user_name() or current_user()
        w.set_thresholds(*settings.thresholds())


def about(w: MainWindow) -> None:
    """帮助 > 关于."""
    QMessageBox.about(w, _tr("关于整改台账"), _tr(
        "<b>整改台账</b><br>教育督导反馈问题整改的登记、跟踪、统计、打印与导出。<br><br>"
        "台账文件：{path}").format(path=w.ledger.path))
