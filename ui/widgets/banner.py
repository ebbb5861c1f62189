"""A coloured strip above the table for things the clerk must know about the open ledger
(network drive, read-only file, a failed refresh)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


class Banner(QFrame):
    """Yellow notice with a close button; hidden while it has nothing to say."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #fff4ce; border: 1px solid #e0b400;"
                           " border-radius: 3px; } QLabel { color: #5c4400; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("关闭提示"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.hide()

    def set_messages(self, messages: list[str]) -> None:
        """Show these lines (one per warning), or hide when there are none."""
        lines = [m for m in messages if m]
        self.label.setText("\n".join(f"⚠ {m}" for m in lines))
        self.setVisible(bool(lines))
