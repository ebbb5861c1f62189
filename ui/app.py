"""QApplication set-up (Chinese UI, a CJK font, Qt's own Chinese texts) and run(db), the
entry the `rectify` launcher calls when no subcommand is given."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tracker.db.engine import Ledger
from tracker.errors import TrackerError
from ui import ledger_files, settings

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


def _install_translators(app: QApplication) -> None:
    """Qt's own buttons (OK, Cancel, Yes) in Chinese, then ours if a .qm is shipped."""
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN", qt_dir), ("rectify_zh_CN", str(TRANSLATIONS))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)


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
    app = make_app()
    ledger = first_ledger(db)
    if ledger is None:
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(ledger)
    window.restore_state()
    window.show()
    QTimer.singleShot(300, lambda: ledger_files.offer_demo(window))
    code = app.exec()
    window.ledger.close()
    return int(code)
