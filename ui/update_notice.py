"""Tell the clerk when IT has put a newer installer at the update location (tracker.updates):
a line in the status bar every time, a message box once per version. Never downloads."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from tracker.updates import Update, check
from ui import settings
from ui.tasks import BackgroundTask

KEY_TOLD = "updates/told_version"


def _tr(text: str) -> str:
    return QCoreApplication.translate("UpdateNotice", text)


def message(update: Update) -> str:
    """The sentence that names the new version and where its installer is."""
    text = _tr("整改台账有新版本 {v}。安装程序在：\n{where}\n\n请保存工作、关闭本程序后安装它，"
               "台账文件不受影响。").format(v=update.version, where=update.where)
    return text + ("\n\n" + update.notes if update.notes else "")


def show(window: QMainWindow, update: Update | None, ask: bool = True) -> None:
    """Put the notice on the window (the message box only the first time for this version)."""
    if update is None:
        return
    label = QLabel(_tr("有新版本 {v}").format(v=update.version), window)
    label.setToolTip(message(update))
    label.setStyleSheet("color: #174ea6;")
    window.statusBar().addPermanentWidget(label)
    if ask and settings.value_str(KEY_TOLD) != update.version:
        settings.settings().setValue(KEY_TOLD, update.version)
        QMessageBox.information(window, _tr("有新版本"), message(update))


def start(window: QMainWindow, location: str | None = None) -> BackgroundTask:
    """Look at the update location off the GUI thread (a share may take long to answer)."""

    def work(_progress: Any) -> Update | None:
        return check(location)

    task = BackgroundTask(work, window)
    task.finished.connect(lambda found: show(window, found))
    task.failed.connect(lambda _exc: None)  # check() swallows the expected failures; logged
    return task.start()
