"""A small red line under a field saying what is wrong with it; empty and hidden otherwise."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel


class FieldError(QLabel):
    """Shows one message next to the field it is about; the field keeps what was typed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b3261e;")
        self.hide()

    def show_message(self, message: str) -> None:
        """Show (or, with an empty message, hide) the error."""
        self.setText(message)
        self.setVisible(bool(message))
