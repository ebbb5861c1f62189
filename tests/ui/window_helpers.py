"""Opening a main window on a test ledger and waiting for its background queries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool

from tracker.db.engine import Ledger
from ui import filters
from ui.main_window import MainWindow


def wait_loaded(qtbot, window: MainWindow, rows: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Wait until the table and the side panel's counts have arrived."""
    def ready() -> None:
        assert window.panel.tree.count_of(filters.ALL) is not None
        if rows is not None:
            assert window.model.rowCount() == rows
    qtbot.waitUntil(ready, timeout=10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(20)  # deliver the queued results


def open_window(qtbot, ledger: Ledger, rows: int | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    """A main window on ``ledger``, loaded."""
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    wait_loaded(qtbot, window, rows)
    return window


@pytest.fixture
def window(qtbot, small_ledger: Ledger) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the five-problem ledger."""
    w = open_window(qtbot, small_ledger, 5)
    yield w
    QThreadPool.globalInstance().waitForDone(10_000)


def descriptions(window: MainWindow) -> list[str]:
    """The 存在问题 column as shown, top to bottom."""
    from ui.models.problem_table import Column

    m = window.model
    return [m.index(r, Column.DESCRIPTION).data() for r in range(m.rowCount())]


def select_text(window: MainWindow, text: str) -> int:
    """Select the problem whose description contains ``text``; its id."""
    from ui.models.problem_table import Column

    m = window.model
    for r in range(m.rowCount()):
        if text in m.index(r, Column.DESCRIPTION).data():
            pid = m.ids()[r]
            assert window.select_problem(pid)
            return pid
    raise AssertionError(text)


def show_active(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Show the window and wait until it has the keyboard (shortcuts need that)."""
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
