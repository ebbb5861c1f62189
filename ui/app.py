"""QApplication set-up (Chinese UI, a CJK font, Qt's own Chinese texts) and run(db), the
entry the `rectify` launcher calls when no subcommand is given."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (QCoreApplication, QLibraryInfo, QLocale, QObject, QTimer,
                            QTranslator, Signal, Slot)
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tracker import logs
from tracker.errors import TrackerError
from ui import first_paint, ledger_files, settings

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from ui.main_window import MainWindow

ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "rectify.svg"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
# Fonts an office PC or a Linux desktop has; the first one installed is used.
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
             "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names for QSettings, a Chinese font and Chinese Qt dialogs."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName(settings.APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(max(app.font().pointSize(), 10))
            app.setFont(font)
            break
    _install_translators(app)
    return app


def _install_translators(app: QApplication) -> list[QTranslator]:
    """Qt's own buttons (OK, Cancel, Yes) and file dialogs in Chinese, then ours if a .qm is
    shipped; the translators installed (a test removes them again)."""
    # Qt's folder: the wheel's PySide6/Qt/translations, or the frozen bundle's copy of it
    # (PyInstaller points QLibraryInfo there); a distribution's Qt keeps it in /usr/share.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name, folder in (("qtbase_zh_CN", qt_dir), ("rectify_zh_CN", str(TRANSLATIONS))):
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
    return installed


class _ErrorReporter(QObject):
    """Carries an error's sentence to the GUI thread: a message box may only be shown there,
    and an exception may happen on any thread (AutoConnection queues it across threads)."""

    report = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # A bound slot of this object (not a plain function) so the call runs on its thread,
        # the GUI thread it was made on.
        self.report.connect(self._show)

    @Slot(str)
    def _show(self, text: str) -> None:
        show_unexpected_error(text)


_reporter: _ErrorReporter | None = None
_showing = False  # one box at a time: a paintEvent that raises must not stack up boxes


def unexpected_error_text(exc: BaseException) -> str:
    """The one translated sentence for an unexpected error, naming the current log file."""
    name = type(exc).__name__
    path = logs.log_path()
    if path is None:
        return QCoreApplication.translate(
            "ErrorTrace", "程序出现意外错误（{name}），未能写入日志文件。请记下刚才的操作并告知技术支持。"
        ).format(name=name)
    return QCoreApplication.translate(
        "ErrorTrace", "程序出现意外错误（{name}），已记录到日志文件：{path}。请把该文件发给技术支持。"
    ).format(name=name, path=path)


def show_unexpected_error(text: str) -> None:
    """Show an unexpected error's sentence as a critical message box (never two at once)."""
    global _showing
    if _showing:
        return
    _showing = True
    try:
        QMessageBox.critical(QApplication.activeWindow(), settings.APPLICATION, text)
    finally:
        _showing = False


def report_unexpected(exc: BaseException, where: str) -> None:
    """Log ``exc`` with its traceback and tell the clerk in one sentence, from any thread."""
    if isinstance(exc, TrackerError):  # an expected error that no dialog caught: its own words
        logs.log_known_error(where, exc)
        text = exc.message
    else:
        logs.log_exception(where, exc)
        text = unexpected_error_text(exc)
    if _reporter is not None and QApplication.instance() is not None:
        _reporter.report.emit(text)
        return
    try:  # no window (the app is gone): stderr is the only place left, and it may be gone too
        print(f"rectify: {text}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


def _excepthook(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal ends the program as usual
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report_unexpected(exc, "窗口中的意外错误")


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # threading's own rule: a thread's exit is not an error
        return
    exc = args.exc_value if args.exc_value is not None else args.exc_type()
    if exc.__traceback__ is None and args.exc_traceback is not None:
        exc = exc.with_traceback(args.exc_traceback)
    name = args.thread.name if args.thread is not None else "?"
    report_unexpected(exc, f"线程 {name} 中的意外错误")


def install_error_hooks() -> Callable[[], None]:
    """Route every unhandled exception (Qt slots, Python threads) to the log and a message box,
    instead of a traceback on a console the clerk never sees; needs the QApplication. Returns
    a function that puts the previous hooks back."""
    global _reporter
    if _reporter is None:
        _reporter = _ErrorReporter()
    before = (sys.excepthook, threading.excepthook)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook

    def restore() -> None:
        sys.excepthook, threading.excepthook = before

    return restore


def first_ledger(db: str | None) -> Ledger | None:
    """The ledger given, else the last one opened, else the default; asks for another file
    when it cannot be opened; None when the clerk gives up."""
    path = db or settings.last_ledger()
    try:
        return ledger_files.open_at(path) if path else ledger_files.open_at(_default_path())
    except TrackerError as exc:
        QMessageBox.warning(None, settings.APPLICATION, exc.message)
    while True:
        chosen, _ = QFileDialog.getOpenFileName(None, "打开台账", str(Path.home()),
                                                ledger_files.FILE_FILTER)
        if not chosen:
            return None
        try:
            return ledger_files.open_at(chosen)
        except TrackerError as exc:
            QMessageBox.warning(None, settings.APPLICATION, exc.message)


def _default_path() -> str:
    from tracker.db.engine import default_ledger_path

    return str(default_ledger_path())


def run(db: str | None = None) -> int:
    """Open the ledger and show the main window until it is closed; the exit code."""
    logs.setup_logging("window")
    app = make_app()
    restore_hooks = install_error_hooks()
    try:
        logs.logger.info("窗口启动")
        return _run_window(app, db)
    except Exception as exc:  # outside any slot (opening, closing): the same sentence, exit 1
        report_unexpected(exc, "窗口启动或关闭时的意外错误")
        return 1
    finally:
        # The hooks belong to this window's life: whoever called run() gets its own back.
        restore_hooks()


def _run_window(app: QApplication, db: str | None) -> int:
    """The window's life from the first ledger to the closed window; the exit code. A plain
    local ledger shows its first rows before the ledger is opened (ui.first_paint)."""
    start = first_paint.start(db, first_ledger, after_open)
    if start is not None:
        code = app.exec()
        if start.reader is not None:  # closed before the ledger was opened
            start.reader.close()
        if start.window.attached:
            start.window.ledger.close()
        return int(code) or start.exit_code
    ledger = first_ledger(db)
    if ledger is None:
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(ledger)
    window.restore_state()
    window.show()
    after_open(window)
    code = app.exec()
    window.ledger.close()
    return int(code)


def after_open(window: MainWindow) -> None:
    """What follows the open window: the sample-ledger offer, the update check."""
    from ui import update_notice  # here, not at the top: nothing before the first paint needs it

    # The notice that the last ledger's location did not answer comes first; the sample-ledger
    # offer is not made on a default ledger the clerk did not choose.
    QTimer.singleShot(300, lambda: settings.tell_if_last_ledger_unreached(window)
                      or ledger_files.offer_demo(window))
    # After the window is up: the update location may be a share that is slow to answer.
    QTimer.singleShot(2000, window, lambda: update_notice.start(window))
