"""An editable combo box for units and categories: pick from the managed list, complete
on any part of a name (输入“财政”找到“市财政局”), or type a new name that is added on save."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter


class CompletingCombo(QComboBox):
    """Editable combo whose completer matches anywhere in a name; text() is what was typed."""

    def __init__(self, parent: Any = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        if placeholder and line is not None:
            line.setPlaceholderText(placeholder)

    def set_names(self, names: Iterable[str]) -> None:
        """Offer these names, keeping whatever is typed."""
        typed = self.text()
        items = list(dict.fromkeys(n for n in names if n))
        self.blockSignals(True)
        self.clear()
        self.addItems(items)
        self._names.setStringList(items)
        self.setEditText(typed)
        self.blockSignals(False)

    def text(self) -> str:
        """The name as typed or picked, trimmed."""
        return self.currentText().strip()

    def set_text(self, text: str) -> None:
        """Show a name (it need not be in the list)."""
        self.setEditText(text)

    def is_new(self) -> bool:
        """True when the typed name is not in the list (it will be added on save)."""
        text = self.text()
        return bool(text) and self.findText(text, Qt.MatchFlag.MatchExactly) < 0
