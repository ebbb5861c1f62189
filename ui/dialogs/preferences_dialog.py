"""偏好设置: the warning horizons (amber and blue) and the name written into the history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import settings
from ui.widgets.field_error import FieldError


class PreferencesDialog(QDialog):
    """Edits the per-user settings; stored on OK."""

    def __init__(self, login_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("偏好设置"))
        soon, later = settings.thresholds()
        self.soon = QSpinBox(self)
        self.soon.setRange(1, 365)
        self.soon.setSuffix(self.tr(" 天"))
        self.soon.setValue(soon)
        self.later = QSpinBox(self)
        self.later.setRange(1, 730)
        self.later.setSuffix(self.tr(" 天"))
        self.later.setValue(later)
        self.user = QLineEdit(settings.user_name(), self)
        self.user.setPlaceholderText(login_name)
        self.error = FieldError(self)
        form = QFormLayout()
        form.addRow(self.tr("黄色预警：到期前"), self.soon)
        form.addRow(self.tr("蓝色预警：到期前"), self.later)
        form.addRow("", QLabel(self.tr("逾期始终为红色；黄色的天数应小于蓝色的天数。"), self))
        form.addRow(self.tr("修改记录中的姓名"), self.user)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_accept(self) -> bool:
        """Store the values, or explain why they cannot be used."""
        if self.soon.value() >= self.later.value():
            self.error.show_message(self.tr("黄色预警的天数（{a}）应小于蓝色预警的天数（{b}）。")
                                    .format(a=self.soon.value(), b=self.later.value()))
            return False
        settings.set_thresholds(self.soon.value(), self.later.value())
        settings.set_user_name(self.user.text())
        self.accept()
        return True
