"""Opening ledgers from the window: new, open, recent, reopen after a restore, and the
offer of the sample ledger on an empty one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tracker.errors import TrackerError
from ui import settings
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from ui.main_window import MainWindow

# The engine and the services are imported where they run: the menus import this module
# before the first rows are painted, and SQLAlchemy must not load before then.

FILE_FILTER = "整改台账 (*.sqlite *.db);;所有文件 (*)"
DEMO_OFFERED = "ui.demo_offered"
DEMO_PROBLEMS = 120


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerFiles", text)


def open_at(path: str | Path) -> Ledger:
    """Open a ledger with the user's name for the history; raises TrackerError."""
    from tracker.db.engine import current_user, open_ledger
    from tracker.services.reference import ensure_default_categories

    ledger = open_ledger(path, user=settings.user_name() or current_user())
    if not ledger.read_only:
        ensure_default_categories(ledger)
    return ledger


def open_path(w: MainWindow, path: str | Path, offer_sample: bool = True) -> bool:
    """Show the ledger at ``path`` in the window; explain and keep the old one on failure."""
    from tracker.services.reference import set_setting

    try:
        ledger = open_at(path)
    except TrackerError as exc:
        QMessageBox.warning(w, _tr("打开台账"), exc.message)
        return False
    if not offer_sample and not ledger.read_only:
        set_setting(ledger, DEMO_OFFERED, "1")  # a ledger made on purpose stays empty
    w.set_ledger(ledger)
    offer_demo(w)
    return True


def open_recent(w: MainWindow, path: str, timeout: float = settings.LAST_LEDGER_TIMEOUT) -> bool:
    """文件 > 最近打开 > a ledger: only now is the file looked for (the menu never touches the
    disk), off the GUI thread and for at most ``timeout`` seconds (a share that is down can
    hang the question for a minute); one that is gone is explained and taken off the list."""
    reach = settings.look_at(path).wait(timeout)
    if reach is settings.Reach.THERE:
        return open_path(w, path)
    if reach is settings.Reach.NO_ANSWER:  # keep it: the share may be back later
        QMessageBox.warning(w, _tr("打开台账"), _tr(
            "“{p}”所在的位置没有响应（网络位置可能未连接）。连上后再打开。").format(p=path))
        return False
    if reach is settings.Reach.UNREACHABLE:  # a share that is down today: keep it for later
        QMessageBox.warning(w, _tr("打开台账"), _tr(
            "现在连不上“{p}”所在的文件夹（网络位置未连接，或U盘未插入）。连上后再打开。").format(p=path))
        return False
    QMessageBox.warning(w, _tr("打开台账"), _tr(
        "找不到“{p}”，它可能已被移动、改名或删除。已从“最近打开”中移除。").format(p=path))
    settings.remove_recent_file(path)
    w.menus.fill_recent()
    return False


def new_ledger(w: MainWindow) -> bool:
    """文件 > 新建台账…: choose where the new file goes."""
    path, _ = QFileDialog.getSaveFileName(w, _tr("新建台账"), str(Path.home() / "整改台账.sqlite"),
                                          _tr(FILE_FILTER))
    if not path:
        return False
    if Path(path).exists() and Path(path).stat().st_size > 0:
        QMessageBox.warning(w, _tr("新建台账"), _tr("“{p}”已存在。请换一个文件名，或用“打开台账”打开它。")
                            .format(p=path))
        return False
    return open_path(w, path, offer_sample=False)


def open_ledger_dialog(w: MainWindow) -> bool:
    """文件 > 打开台账…"""
    start = str(w.ledger.path.parent)
    path, _ = QFileDialog.getOpenFileName(w, _tr("打开台账"), start, _tr(FILE_FILTER))
    return open_path(w, path) if path else False


def reopen(w: MainWindow) -> bool:
    """Open the same file again (after a backup was restored over it)."""
    path = w.ledger.path
    w.ledger.close()
    return open_path(w, path)


def offer_demo(w: MainWindow, ask: Any = None) -> bool:
    """On an empty, writable ledger, offer once to load the sample ledger; True if loading."""
    from tracker.services.reference import get_setting, set_setting

    ledger = w.ledger
    if ledger.read_only:
        return False
    try:
        if not w.is_empty() or get_setting(ledger, DEMO_OFFERED):
            return False
        set_setting(ledger, DEMO_OFFERED, "1")
    except TrackerError:
        return False
    question = ask or (lambda: QMessageBox.question(
        w, _tr("空台账"), _tr("这个台账还没有问题。\n要载入一份示例台账（{n}个问题），先看看用起来的样子吗？\n"
                           "示例数据以后可以全选后删除，或新建一个台账重新开始。").format(n=DEMO_PROBLEMS))
        == QMessageBox.StandardButton.Yes)
    if not question():
        return False
    from tracker.demo import build_demo

    def work(progress: Any) -> int:
        return build_demo(ledger, DEMO_PROBLEMS, progress=lambda d, t: progress(d, t, ""))

    run_in_background(work, lambda _n: w.reload(),
                      lambda exc: w.show_error(exc), w, _tr("正在生成示例台账…"))
    return True
