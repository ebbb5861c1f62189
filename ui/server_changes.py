"""Other clerks' changes on a server ledger reach the window: a timer asks the ledger's
listener (PostgreSQL LISTEN/NOTIFY) which problems changed and the window refreshes those rows
and the counts, keeping the selection and any editor the clerk has open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from tracker.db.engine import Ledger
from tracker.db.notify import ALL
from tracker.errors import TrackerError

POLL_MS = 500  # "within a second" of the other clerk's save


class ServerChanges(QObject):
    """Watches one ledger; ``changed`` carries the ids (empty list: reload everything)."""

    changed = Signal(list)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._listener: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def watch(self, ledger: Ledger) -> bool:
        """Start watching ``ledger`` (a file needs nothing); True when watching."""
        self.stop()
        try:
            self._listener = ledger.listen()
        except TrackerError:
            self._listener = None  # the clerk still sees changes on 刷新 and after each edit
        if self._listener is not None:
            self._timer.start()
        return self._listener is not None

    def stop(self) -> None:
        """Stop watching and close the listening connection."""
        self._timer.stop()
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # a dead connection closes with an error; nothing to keep
                pass
            self._listener = None

    def _poll(self) -> None:
        if self._listener is None:
            return
        try:
            ids = self._listener.poll()
        except Exception:  # the server went away: stop asking, the next edit reports it
            self.stop()
            return
        if ids:
            self.changed.emit([] if ALL in ids else sorted(ids))
