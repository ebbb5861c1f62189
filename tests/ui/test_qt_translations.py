"""Qt's own texts (standard buttons, file dialogs) come out in Chinese: qtbase_zh_CN is loaded
from Qt's translations folder together with the app's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from ui import app as app_module


@pytest.fixture
def chinese_qt(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """Qt's Chinese translators installed for one test and removed after it."""
    installed = app_module._install_translators(qapp)
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)


def test_qts_chinese_translations_are_where_qt_says() -> None:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file()


def test_standard_buttons_say_ok_and_cancel_in_chinese(qtbot, chinese_qt) -> None:
    assert chinese_qt, "qtbase_zh_CN was not installed"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    ok = box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "")
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert ok.startswith("确定") and cancel.startswith("取消")


def test_message_box_yes_no_buttons_are_chinese(qtbot, chinese_qt) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "整改台账", "要载入示例台账吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    yes = box.button(QMessageBox.StandardButton.Yes).text().replace("&", "")
    no = box.button(QMessageBox.StandardButton.No).text().replace("&", "")
    assert yes.startswith("是") and no.startswith("否")


def test_file_dialog_texts_are_chinese(chinese_qt) -> None:
    # Qt's own (non-native) file dialog, the one a frozen build shows on Linux desktops.
    assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
    assert "文件" in QCoreApplication.translate("QFileDialog", "File &name:")


def test_without_the_translators_the_buttons_are_english(qtbot) -> None:
    # Shows the test above tests something: Qt alone says OK.
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "") == "OK"
