"""The colour legend under the table: what red, amber, blue, green and grey mean."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.colors import PALETTES, Band, warning_label

ORDER = (Band.OVERDUE, Band.SOON, Band.LATER, Band.DONE, Band.CLOSED)


class Legend(QWidget):
    """One swatch and label per warning band; follows the thresholds in the preferences."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(14)
        title = QLabel(self.tr("图例："), self)
        layout.addWidget(title)
        self.labels: dict[Band, QLabel] = {}
        for band in ORDER:
            pal = PALETTES[band]
            label = QLabel(self)
            label.setStyleSheet(
                f"QLabel {{ background: {pal.background.name()}; color: {pal.foreground.name()};"
                f" border-left: 6px solid {pal.swatch.name()}; padding: 2px 8px; }}")
            layout.addWidget(label)
            self.labels[band] = label
        layout.addStretch(1)
        self.set_thresholds(7, 30)

    def set_thresholds(self, soon_days: int, later_days: int) -> None:
        """Name the amber and blue bands after the current horizons."""
        for band, label in self.labels.items():
            label.setText(warning_label(band, soon_days, later_days))
