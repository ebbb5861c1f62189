"""The search box: filters as you type, but only after a short pause so each keystroke
does not start a query over 100,000 problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit

DEBOUNCE_MS = 150


class SearchBox(QLineEdit):
    """A line edit that reports its text 150 ms after the last keystroke (Esc clears it)."""

    search_changed = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("搜索问题、措施、单位、责任人…（Ctrl+F）"))
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(lambda _t: self._timer.start())
        self._last = ""

    def _emit(self) -> None:
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search_changed.emit(text)

    def flush(self) -> None:
        """Report the text now (Enter pressed, or a test that does not want to wait)."""
        self._timer.stop()
        self._emit()

    def clear_silently(self) -> None:
        """Empty the box without reporting it (the caller queries anyway)."""
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        self._timer.stop()
        self._last = ""

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.flush()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            return
        super().keyPressEvent(event)
