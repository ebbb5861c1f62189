"""The wizard's check page says loudly when the file's problems are already in the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.import_books import standard_book, two_problem_rows
from tracker.db.engine import Ledger
from tracker.excel.import_plan import build_plan
from tracker.services.imports import apply_plan
from ui.dialogs.import_wizard import ImportWizard

TIMEOUT = 20_000
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _check_page(qtbot, ledger: Ledger, path: Path) -> ImportWizard:  # type: ignore[no-untyped-def]
    w = ImportWizard(ledger)
    qtbot.addWidget(w)
    w.show()
    w.open_file(path)
    qtbot.waitUntil(lambda: w.file_page.isComplete(), timeout=TIMEOUT)
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.state.plan is not None, timeout=TIMEOUT)
    return w


def test_a_file_already_imported_shows_a_prominent_warning(  # type: ignore[no-untyped-def]
        qtbot, ledger: Ledger, tmp_path: Path) -> None:
    path = standard_book(tmp_path / "台账.xlsx", two_problem_rows())
    apply_plan(ledger, build_plan(ledger, path))

    w = _check_page(qtbot, ledger, path)

    note = w.check_page.duplicates_note
    assert note.isVisible()
    assert "2 个问题台账里都已经有了" in note.text() and "重复导入" in note.text()


def test_a_new_file_shows_no_duplicate_warning(  # type: ignore[no-untyped-def]
        qtbot, ledger: Ledger, tmp_path: Path) -> None:
    w = _check_page(qtbot, ledger, standard_book(tmp_path / "台账.xlsx", two_problem_rows()))
    assert not w.check_page.duplicates_note.isVisible()
    assert w.check_page.summary.text().startswith("将导入 2 个问题")
