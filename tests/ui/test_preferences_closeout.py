"""偏好设置 › 本台账的销号规则: shown from the ledger, saved into it through the service
`rectify config` uses (so the CLI sees the change), refused on a read-only ledger."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tracker.db.engine import Ledger, open_ledger
from tracker.services.closeout_settings import closeout_settings, set_closeout_setting
from ui.dialogs.preferences_dialog import PreferencesDialog


def test_the_rules_show_the_ledgers_values_with_the_defaults(qtbot: QtBot, ledger: Ledger) -> None:
    d = PreferencesDialog("clerk", ledger=ledger)
    qtbot.addWidget(d)
    assert not d.rules.isHidden() and d.rules.isEnabled()
    assert d.needs_evidence.isChecked() and d.recheck_months.value() == 6


def test_changed_rules_are_saved_into_the_ledger(qtbot: QtBot, ledger: Ledger) -> None:
    set_closeout_setting(ledger, "evidence.max_mb", "50")
    d = PreferencesDialog("clerk", ledger=ledger)
    qtbot.addWidget(d)
    assert d.evidence_limit.value() == 50
    d.needs_evidence.setChecked(False)
    d.recheck_months.setValue(12)
    assert d.try_accept()
    now = closeout_settings(ledger)
    assert (now.needs_evidence, now.recheck_months, now.evidence_limit_mb) == (False, 12, 50)


def test_a_bad_threshold_saves_no_rule(qtbot: QtBot, ledger: Ledger) -> None:
    d = PreferencesDialog("clerk", ledger=ledger)
    qtbot.addWidget(d)
    d.recheck_months.setValue(3)
    d.soon.setValue(d.later.value())
    assert not d.try_accept() and "应小于" in d.error.text()
    assert closeout_settings(ledger).recheck_months == 6


def test_a_read_only_ledger_shows_the_rules_but_cannot_change_them(qtbot: QtBot,
                                                                  ledger: Ledger) -> None:
    set_closeout_setting(ledger, "recheck.months", "9")
    reader = open_ledger(ledger.path, read_only=True)
    try:
        d = PreferencesDialog("clerk", ledger=reader)
        qtbot.addWidget(d)
        assert d.recheck_months.value() == 9 and not d.rules.isEnabled()
        assert d.try_accept()  # the clerk's own settings still save
    finally:
        reader.close()


def test_without_a_ledger_only_the_clerks_own_settings_show(qtbot: QtBot) -> None:
    d = PreferencesDialog("clerk")
    qtbot.addWidget(d)
    assert d.rules.isHidden()


def test_the_window_opening_it_lends_its_ledger(qtbot: QtBot, ledger: Ledger) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.ledger = ledger  # type: ignore[attr-defined]  # as MainWindow has it
    d = PreferencesDialog("clerk", window)
    d.recheck_months.setValue(18)
    assert d.try_accept() and closeout_settings(ledger).recheck_months == 18
