"""Start-up with the first rows painted before the ledger is opened.

Importing SQLAlchemy, the services and the dialogs takes several times as long as a bare Qt
window takes to appear. For a plain local ledger at the current schema revision, the window
shell is shown with its first page of rows read by plain ``sqlite3``
(tracker.services.first_page: the same SQL order and ProblemRow values as the services, and
the same colour rules, as the table renders them); right after that first paint the ledger
is opened as usual (migration check, daily backup, engine), the window attached to it, and
the side-panel counts read. The table keeps the rows it painted: the service's first answer
continues them, so nothing visibly changes. Anything unusual takes the normal path."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from tracker import clock, logs
from tracker.domain import ProblemRow
from tracker.services.first_page import FirstPageReader
from ui import filters, settings
from ui.models.problem_table import PAGE

if TYPE_CHECKING:
    from tracker.db.engine import Ledger
    from ui.main_window import MainWindow

OpenLedger = Callable[[str | None], "Ledger | None"]
AfterOpen = Callable[["MainWindow"], None]
FALLBACK_MS = 1000  # open the ledger even if no paint comes (a window shown minimised)


class FirstPaint(QObject):
    """A window shown from the first page, waiting for its first paint to open the ledger."""

    def __init__(self, window: MainWindow, reader: FirstPageReader, path: str,
                 open_ledger: OpenLedger, after_open: AfterOpen) -> None:
        super().__init__(window)
        self.window, self.path = window, path
        self.reader: FirstPageReader | None = reader
        self.exit_code = 0  # 1 when the ledger could not be opened after all
        self._open, self._after_open = open_ledger, after_open
        self._asked = False
        window.table.viewport().installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self.attach)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        """At the table's first paint, open the ledger once that paint is on screen."""
        if event.type() == QEvent.Type.Paint and not self._asked:
            self._asked = True
            obj.removeEventFilter(self)
            # Two hops: whatever the paint itself queued (a stamp, a scroll) runs first.
            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self.attach))
        return False

    def attach(self) -> None:
        """Open the ledger the normal way and attach the window to it (once)."""
        if self.reader is None:
            return
        reader, self.reader = self.reader, None
        self._asked = True
        w = self.window
        try:
            if not w.isVisible():
                return  # closed before the ledger was needed
            ledger = self._open(self.path)
            if ledger is None:  # the clerk gave up choosing another file
                self.exit_code = 1
                w.close()
                QApplication.exit(1)
                return
            try:
                w.attach(ledger)
            except Exception as exc:  # the normal path: a window made whole from the start
                logs.log_exception("首屏之后接入台账失败，改用新窗口", exc)
                self.window = _replace(w, ledger)
        finally:
            reader.close()
        self._after_open(self.window)


def _replace(old: MainWindow, ledger: Ledger) -> MainWindow:
    from ui.main_window import MainWindow

    window = MainWindow(ledger)
    window.restore_state()
    window.show()
    old.hide()
    old.deleteLater()
    return window


def _rows(reader: FirstPageReader) -> Callable[[Sequence[int]], list[ProblemRow]]:
    def read(ids: Sequence[int]) -> list[ProblemRow]:
        try:
            return reader.rows(ids)
        except sqlite3.Error:
            return []  # blank until the ledger reads them

    return read


def start(db: str | None, open_ledger: OpenLedger, after_open: AfterOpen) -> FirstPaint | None:
    """Show the window with its first rows for a plain local ledger at the head revision,
    opening the ledger right after the first paint; None means: take the normal path."""
    path = db or settings.last_ledger()
    # Only the unfiltered table is read here; a remembered filter needs the services' rules.
    if not path or settings.value_str(settings.KEY_LAST_FILTER, filters.ALL) != filters.ALL:
        return None
    try:
        reader = FirstPageReader.open(path)
    except Exception as exc:  # never an error from the fast path: the normal one follows
        logs.log_exception("首屏快速读取失败，改走正常打开", exc)
        return None
    if reader is None:
        return None
    window: MainWindow | None = None
    try:
        from ui.main_window import MainWindow

        window = MainWindow(None)
        window.restore_state()  # the sort the header remembers is the order to read
        _flt, sort, descending = window.model.query
        ids = reader.ids(sort, descending, PAGE)
        window.model.set_bands(clock.today(), window.soon_days, window.later_days)
        window.model.show_first_page(ids, reader.count(), reader.rows(ids), _rows(reader))
        window.setWindowTitle(window.tr("整改台账 - {name}").format(name=reader.path.name))
        begun = FirstPaint(window, reader, path, open_ledger, after_open)
        window.show()
        return begun
    except Exception as exc:
        logs.log_exception("首屏快速显示失败，改走正常打开", exc)
        reader.close()
        if window is not None:
            window.hide()
            window.deleteLater()
        return None
