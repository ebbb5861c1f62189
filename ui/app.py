"""QApplication set-up and the window's main(); the main-window issue replaces the placeholder."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTableWidget, QTableWidgetItem

from tracker.db.engine import open_ledger
from tracker.errors import TrackerError
from tracker.services.queries import list_problems


def run(db: str | None = None) -> int:
    """Open the ledger and show a window listing its problems."""
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        ledger = open_ledger(db)
    except TrackerError as exc:
        QMessageBox.critical(None, "整改台账", exc.message)
        return 1
    rows = list_problems(ledger, with_measures=False)
    window = QMainWindow()
    window.setWindowTitle(f"整改台账 - {ledger.path.name}")
    table = QTableWidget(len(rows), 5)
    table.setHorizontalHeaderLabels(["序号", "问题来源", "存在问题", "牵头单位", "状态"])
    for r, p in enumerate(rows):
        for c, text in enumerate([str(p.seq), p.source, p.description, p.lead_unit, p.status.label]):
            table.setItem(r, c, QTableWidgetItem(text))
    window.setCentralWidget(table)
    window.resize(1200, 700)
    window.show()
    code = app.exec()
    ledger.close()
    return int(code)
