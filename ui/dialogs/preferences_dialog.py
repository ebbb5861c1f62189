"""偏好设置: the warning horizons (amber and blue) and the name written into the history, which
are the clerk's own; and the open ledger's close-out rules (销号须有佐证材料, 回头看间隔, the
size limit of one evidence file), which every clerk of the ledger shares and which are saved
into it through the same service as `rectify config`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.closeout_model import CloseoutSettings
from tracker.db.engine import Ledger
from tracker.errors import TrackerError
from tracker.services.closeout_settings import closeout_settings, set_closeout_setting
from ui import settings
from ui.widgets.field_error import FieldError


class PreferencesDialog(QDialog):
    """Edits the per-user settings and the ledger's close-out rules; stored on OK."""

    def __init__(self, login_name: str, parent: QWidget | None = None,
                 ledger: Ledger | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("偏好设置"))
        if ledger is None:
            # Until the menu action passes the ledger itself, the window that opens us has it.
            found = getattr(parent, "ledger", None)
            ledger = found if isinstance(found, Ledger) else None
        self.ledger = ledger
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
        self.rules = self._rules_box()
        layout.addWidget(self.rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _rules_box(self) -> QGroupBox:
        """The ledger's close-out rules; hidden without a ledger, read-only on a read-only one."""
        box = QGroupBox(self.tr("本台账的销号规则（使用本台账的所有人共用）"), self)
        self.needs_evidence = QCheckBox(self.tr("销号须有佐证材料"), box)
        self.recheck_months = QSpinBox(box)
        self.recheck_months.setRange(1, 120)
        self.recheck_months.setSuffix(self.tr(" 个月"))
        self.evidence_limit = QSpinBox(box)
        self.evidence_limit.setRange(1, 2048)
        self.evidence_limit.setSuffix(" MB")
        form = QFormLayout(box)
        form.addRow("", self.needs_evidence)
        form.addRow(self.tr("回头看：销号后满"), self.recheck_months)
        form.addRow(self.tr("单个佐证材料上限"), self.evidence_limit)
        self.loaded = CloseoutSettings()
        if self.ledger is None:
            box.hide()
            return box
        try:
            self.loaded = closeout_settings(self.ledger)
        except TrackerError as exc:
            self.error.show_message(exc.message)
            box.setEnabled(False)
        self.needs_evidence.setChecked(self.loaded.needs_evidence)
        self.recheck_months.setValue(self.loaded.recheck_months)
        self.evidence_limit.setValue(self.loaded.evidence_limit_mb)
        if self.ledger.read_only:
            box.setEnabled(False)
            box.setToolTip(self.tr("台账以只读方式打开，不能修改销号规则。"))
        return box

    def _changed_rules(self) -> list[tuple[str, str]]:
        """(setting, value) for each close-out rule the clerk changed, as `rectify config` takes it."""
        now = {"closeout.needs_evidence": ("是" if self.needs_evidence.isChecked() else "否",
                                           self.needs_evidence.isChecked() != self.loaded.needs_evidence),
               "recheck.months": (str(self.recheck_months.value()),
                                  self.recheck_months.value() != self.loaded.recheck_months),
               "evidence.max_mb": (str(self.evidence_limit.value()),
                                   self.evidence_limit.value() != self.loaded.evidence_limit_mb)}
        return [(key, value) for key, (value, changed) in now.items() if changed]

    def try_accept(self) -> bool:
        """Store the values, or explain why they cannot be used."""
        if self.soon.value() >= self.later.value():
            self.error.show_message(self.tr("黄色预警的天数（{a}）应小于蓝色预警的天数（{b}）。")
                                    .format(a=self.soon.value(), b=self.later.value()))
            return False
        if self.ledger is not None and self.rules.isEnabled():
            try:
                for key, value in self._changed_rules():
                    set_closeout_setting(self.ledger, key, value)
            except TrackerError as exc:
                self.error.show_message(exc.message)
                return False
        settings.set_thresholds(self.soon.value(), self.later.value())
        settings.set_user_name(self.user.text())
        self.accept()
        return True
