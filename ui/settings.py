"""What the window remembers between runs (QSettings): thresholds, user name, recent files,
geometry. One place for the key names so a newcomer finds every remembered thing here. The
last ledger is looked for without ever holding up the start (a share that is down can take a
minute to say so); the status bar then says so, with 重试."""

from __future__ import annotations

import enum
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ORGANIZATION = "rectify"
APPLICATION = "整改台账"

KEY_SOON_DAYS = "warning/soon_days"
KEY_LATER_DAYS = "warning/later_days"
KEY_USER_NAME = "user/name"
KEY_RECENT = "files/recent"
KEY_LAST_LEDGER = "files/last"
KEY_LAST_FILTER = "window/last_filter"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter"
KEY_HEADER = "window/table_header"  # column widths, order and the sort arrow

DEFAULT_SOON_DAYS = 7
DEFAULT_LATER_DAYS = 30
MAX_RECENT = 8


def settings() -> QSettings:
    """The application's settings store (an INI file per user)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def thresholds() -> tuple[int, int]:
    """(amber days, blue days): due within the first is amber, within the second blue."""
    s = settings()
    soon = _int(s.value(KEY_SOON_DAYS, DEFAULT_SOON_DAYS), DEFAULT_SOON_DAYS)
    later = _int(s.value(KEY_LATER_DAYS, DEFAULT_LATER_DAYS), DEFAULT_LATER_DAYS)
    soon = max(1, soon)
    return soon, max(soon, later)


def set_thresholds(soon: int, later: int) -> None:
    """Store the warning horizons."""
    s = settings()
    s.setValue(KEY_SOON_DAYS, int(soon))
    s.setValue(KEY_LATER_DAYS, int(max(soon, later)))


def user_name() -> str:
    """The name written into the change history ('' means the login name)."""
    return str(settings().value(KEY_USER_NAME, "") or "")


def set_user_name(name: str) -> None:
    """Store the name written into the change history."""
    settings().setValue(KEY_USER_NAME, name.strip())


def recent_files() -> list[str]:
    """Recently opened ledgers, newest first, as stored: none is looked at on disk here.

    Checking each one at start-up would wait on every unreachable share in the list (tens of
    seconds each on Windows); ledger_files.open_recent checks the one the clerk picks."""
    value = settings().value(KEY_RECENT, [])
    items: list[object] = ([value] if isinstance(value, str)
                           else list(value) if isinstance(value, (list, tuple)) else [])
    return [str(p) for p in items if p]


def remove_recent_file(path: str) -> None:
    """Drop a ledger from the recent list (it was moved or deleted)."""
    settings().setValue(KEY_RECENT, [p for p in recent_files() if p != path])


def add_recent_file(path: Path | str) -> None:
    """Put a ledger at the top of the recent list and remember it as the last one opened."""
    text = str(Path(path).absolute())
    items = [p for p in recent_files() if p != text]
    s = settings()
    s.setValue(KEY_RECENT, [text, *items][:MAX_RECENT])
    s.setValue(KEY_LAST_LEDGER, text)


# --- The last ledger at start-up ------------------------------------------------------------
# os.path.exists on \\server\share or on a mapped drive whose server is gone blocks for tens of
# seconds on Windows, and nothing can interrupt it: it runs on a daemon thread (one that never
# holds up the program's exit, unlike a ThreadPoolExecutor's) and the start waits for it at
# most LAST_LEDGER_TIMEOUT seconds, then opens the default ledger and says why.
LAST_LEDGER_TIMEOUT = 1.5
PathExists = Callable[[str], bool]
path_exists: PathExists = os.path.exists  # what the look asks; a test puts a hanging one here


class Reach(enum.Enum):
    """What a look at a ledger's path found."""

    THERE = "there"
    GONE = "gone"  # its folder answered, the file is not in it (moved or deleted)
    UNREACHABLE = "unreachable"  # its folder is not there either (share down, USB stick out)
    NO_ANSWER = "no answer"  # the look did not come back in time


class _Look:
    """One look at a path on a daemon thread; its answer once the thread comes back."""

    def __init__(self, path: str, exists: PathExists) -> None:
        self.path, self.exists = path, exists
        self.started = time.monotonic()
        self._done = threading.Event()
        self._answer = Reach.UNREACHABLE  # if ``exists`` raises something unexpected
        threading.Thread(target=self._run, name="rectify-last-ledger", daemon=True).start()

    def _run(self) -> None:
        try:
            if self.exists(self.path):
                self._answer = Reach.THERE
            elif self.exists(os.path.dirname(self.path) or "."):
                self._answer = Reach.GONE
        except (OSError, ValueError):  # a share that refuses the question: as if it is down
            pass
        finally:
            self._done.set()

    def answer(self) -> Reach | None:
        """The answer, or None while the thread is still waiting on the disk or network."""
        return self._answer if self._done.is_set() else None

    def wait(self, seconds: float) -> Reach:
        """The answer within ``seconds``, else NO_ANSWER (the thread keeps waiting)."""
        return self._answer if self._done.wait(max(0.0, seconds)) else Reach.NO_ANSWER


_looks: dict[str, _Look] = {}
_unanswered: tuple[str, Reach] | None = None  # the last ledger the start could not reach


def _look(path: str, exists: PathExists, fresh: bool = False) -> _Look:
    """The look at ``path`` still under way (the start asks twice: ui.first_paint, then
    first_ledger; the second must not wait again), else a new one."""
    look = _looks.get(path)
    if fresh or look is None or look.exists != exists or look.answer() is not None:
        look = _looks[path] = _Look(path, exists)
    return look


def look_at(path: str) -> _Look:
    """A look at ``path`` on a daemon thread (the one under way, if any): ask it with
    ``wait(seconds)``, which never blocks longer than that on a dead share."""
    return _look(path, path_exists)


def last_ledger(timeout: float = LAST_LEDGER_TIMEOUT,
                exists: PathExists | None = None) -> str | None:
    """The ledger opened last time if it is there; None when it is gone, or when its location
    did not answer within ``timeout`` seconds of the first look (then remembered for
    tell_if_last_ledger_unreached). Never waits longer than that on a dead share."""
    global _unanswered
    value = str(settings().value(KEY_LAST_LEDGER, "") or "")
    if not value:
        return None
    look = _look(value, exists or path_exists)
    reach = look.wait(look.started + timeout - time.monotonic())
    _unanswered = (value, reach) if reach in (Reach.NO_ANSWER, Reach.UNREACHABLE) else None
    return value if reach is Reach.THERE else None


def tell_if_last_ledger_unreached(window: MainWindow) -> bool:
    """Once the window is open: if the last ledger could not be reached at start-up, say so in
    the status bar with a 重试 button; whether it did (the sample-ledger offer then waits:
    the ledger open instead is the default one, not the clerk's)."""
    global _unanswered
    if _unanswered is None:
        return False
    path, reach = _unanswered
    _unanswered = None
    LastLedgerNotice(window, path, reach)
    return True


def _tr(text: str) -> str:
    return QCoreApplication.translate("LastLedger", text)


class LastLedgerNotice(QWidget):
    """The status bar's line about the last ledger that did not answer, and its 重试 button:
    the look runs again off the GUI thread; once the location answers, the ledger opens."""

    POLL_MS = 100

    def __init__(self, window: MainWindow, path: str, reach: Reach,
                 timeout: float = LAST_LEDGER_TIMEOUT) -> None:
        super().__init__(window)
        self.main, self.path, self.timeout = window, path, timeout
        self.label = QLabel(self)
        self.label.setStyleSheet("color: #b3261e;")
        self.label.setToolTip(path)
        self.button = QPushButton(_tr("重试"), self)
        self.button.setToolTip(_tr("再连接一次；连上了就打开这个台账"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._looking: _Look | None = None
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.button.clicked.connect(self.retry)
        self._say(reach, again=False)
        # Permanent: a passing status message (row counts, "已保存") must not cover it.
        window.statusBar().addPermanentWidget(self)

    def _say(self, reach: Reach, again: bool) -> None:
        if reach is Reach.UNREACHABLE:
            text = _tr("连不上上次打开的台账“{p}”所在的文件夹（网络位置未连接，或U盘未插入），"
                       "现在打开的是另一个台账。")
        elif again:
            text = _tr("上次打开的台账“{p}”所在的位置仍然没有响应。")
        else:
            text = _tr("上次打开的台账“{p}”所在的位置没有响应（网络位置可能未连接），"
                       "现在打开的是另一个台账。")
        self.label.setText(text.format(p=self.path))
        self.button.setEnabled(True)

    def retry(self) -> None:
        """Look at the path again, at most ``timeout`` seconds, without blocking the window."""
        self.label.setText(_tr("正在连接“{p}”…").format(p=self.path))
        self.button.setEnabled(False)
        # A fresh look: the one from the start may still hang on the share that is back now.
        self._looking = _look(self.path, path_exists, fresh=True)
        self._deadline = time.monotonic() + self.timeout
        self._timer.start()

    def _poll(self) -> None:
        look = self._looking
        if look is None:
            return
        reach = look.answer()
        if reach is None and time.monotonic() < self._deadline:
            return
        self._timer.stop()
        self._looking = None
        if reach in (None, Reach.UNREACHABLE):
            self._say(reach or Reach.NO_ANSWER, again=True)
            return
        from ui import ledger_files  # here: ledger_files imports this module

        # THERE opens it; GONE is explained and taken off the recent list: either way done.
        ledger_files.open_recent(self.main, self.path)
        self.main.statusBar().removeWidget(self)
        self.deleteLater()


def value_str(key: str, default: str = "") -> str:
    """A stored string."""
    return str(settings().value(key, default) or default)


def value_bytes(key: str) -> QByteArray | None:
    """A stored byte array (geometry, header state), or None."""
    value = settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def set_value(key: str, value: object) -> None:
    """Store one value."""
    settings().setValue(key, value)
