"""Run in a fresh interpreter by bench_window: start the real window (or a bare Qt window),
stamp the moment its table's first rows are painted, then optionally time search and sort
through the real table model, and print one JSON object.

    BENCH_T0=<time.monotonic() of the launcher> python -m benchmarks.window_driver MODE [DB]

MODE is ``bare`` (QMainWindow + empty QTableView), ``start`` (the real start-up path of
``rectify`` on DB, as ui.app.run does it; also says when the side-panel counts arrive) or ``full`` (start, then search, sort and peak
memory). CLOCK_MONOTONIC is system-wide on Linux, so the launcher's stamp and ours compare."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from typing import Any

KEYSTROKES = ["食", "食堂", "食堂食", "食堂食品", "食堂食品留样"]
# Header column -> the ORDER BY of the raw query the same sort would need.
SORT_COLUMNS = {"deadline": 6, "status": 7, "lead_unit": 4}
RAW_SORTS = {
    "deadline": "ORDER BY p.deadline IS NULL, p.deadline, p.seq, p.id",
    "lead_unit": "ORDER BY u.name, p.seq, p.id",
    "status": ("ORDER BY CASE p.status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 "
               "WHEN 'ongoing' THEN 2 WHEN 'done' THEN 3 WHEN 'closed' THEN 4 ELSE 9 END, "
               "p.seq, p.id"),
}
RAW_SEARCH = ("SELECT id FROM problem WHERE search_text LIKE ? ESCAPE '\\' "
              "ORDER BY source_id, seq, id")


def _t0() -> float:
    return float(os.environ.get("BENCH_T0", time.monotonic()))


def _maxrss_mb() -> float:
    """This process's peak memory (VmHWM: ru_maxrss would carry the parent's over exec)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _painted_filter(table: Any, on_painted: Any) -> Any:
    """An event filter on the table's viewport calling ``on_painted`` once, at the first
    Paint after the model has rows (the rows are then on screen)."""
    from PySide6.QtCore import QEvent, QObject

    class Filter(QObject):
        done = False

        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
            if (not self.done and event.type() == QEvent.Type.Paint
                    and table.model() is not None and table.model().rowCount() > 0):
                self.done = True
                # Stamped after the paint itself has run, not before it.
                from PySide6.QtCore import QTimer

                QTimer.singleShot(0, on_painted)
            return False

    f = Filter(table)
    table.viewport().installEventFilter(f)
    return f


def bare() -> dict[str, float]:
    """Baseline: a bare PySide6 window with an empty QTableView, shown and painted."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    table = QTableView(w)
    w.setCentralWidget(table)
    w.resize(1500, 900)
    stamp: dict[str, float] = {}

    def painted() -> None:
        stamp["painted_s"] = time.monotonic() - _t0()
        app.quit()

    # An empty view still paints; the filter for the real window waits for rows, this one
    # for the first paint of the (empty) viewport.
    from PySide6.QtCore import QEvent, QObject

    class First(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and "painted_s" not in stamp:
                stamp["painted_s"] = -1.0
                QTimer.singleShot(0, painted)
            return False

    first = First(table)
    table.setModel(QStandardItemModel(0, 9, table))
    table.viewport().installEventFilter(first)
    w.show()
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    return {"painted_s": stamp.get("painted_s", float("nan")), "rss_mb": _maxrss_mb()}


def _wait_loaded(app: Any, window: Any, action: Any) -> float:
    """Seconds from ``action()`` to the model announcing its new rows."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    took: list[float] = []

    def loaded(_n: int) -> None:
        took.append(time.perf_counter() - start)
        loop.quit()

    window.model.loaded.connect(loaded)
    QTimer.singleShot(30_000, loop.quit)
    start = time.perf_counter()
    action()
    if not took:
        loop.exec()
    window.model.loaded.disconnect(loaded)
    return took[0] if took else float("nan")


def _search_and_sort(app: Any, window: Any, db: str) -> dict[str, float]:
    """Per keystroke (debounce skipped) and per header click, through the real model, each
    interleaved with the raw SQL query a plain implementation would issue; best of 3."""
    from PySide6.QtCore import QThreadPool, Qt

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: dict[str, float] = {}
    header = window.table.horizontalHeader()

    def raw(sql: str, args: tuple[Any, ...] = ()) -> float:
        t = time.perf_counter()
        conn.execute(sql, args).fetchall()
        return time.perf_counter() - t

    def type_text(text: str) -> None:
        window.search.setText(text)
        window.search.flush()  # what the 150 ms debounce would do after the last keystroke

    worst_o = worst_b = 0.0
    for _round in range(3):
        for i, text in enumerate(KEYSTROKES):
            b = raw(RAW_SEARCH, (f"%{text}%",))
            o = _wait_loaded(app, window, lambda text=text: type_text(text))
            key = f"k{i}"
            out[f"search_o_{key}"] = min(out.get(f"search_o_{key}", o), o)
            out[f"search_b_{key}"] = min(out.get(f"search_b_{key}", b), b)
        window.search.clear_silently()
        _wait_loaded(app, window, window.apply_filter)
        QThreadPool.globalInstance().waitForDone(30_000)
    for i in range(len(KEYSTROKES)):
        worst_o = max(worst_o, out.pop(f"search_o_k{i}"))
        worst_b = max(worst_b, out.pop(f"search_b_k{i}"))
    out["search_s"], out["search_raw_s"] = worst_o, worst_b
    for key, col in SORT_COLUMNS.items():
        o = b = float("inf")
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 2:
            b = min(b, raw("SELECT p.id FROM problem p LEFT JOIN unit u ON u.id = p.lead_unit_id "
                           + RAW_SORTS[key]))
            o = min(o, _wait_loaded(app, window,
                                    lambda col=col, order=order: header.setSortIndicator(col, order)))
        out[f"sort_{key}_s"], out[f"sort_{key}_raw_s"] = o, b
    conn.close()
    return out


def real(db: str, full: bool) -> dict[str, float]:
    """The real start-up path of `rectify` (ui.app.run), stamped at the first rows painted."""
    from PySide6.QtCore import QThreadPool

    import ui.main_window
    from ui import app as app_module

    stamp: dict[str, float] = {}
    base = ui.main_window.MainWindow

    class Stamped(base):  # type: ignore[misc, valid-type]
        """The real window with a paint stamp on its table."""

        def __init__(self, ledger: Any = None) -> None:
            super().__init__(ledger)
            self._bench_filter = _painted_filter(self.table, self._bench_painted)

        def _bench_painted(self) -> None:
            stamp["painted_s"] = time.monotonic() - _t0()
            stamp["rows"] = float(self.model.rowCount())
            if not full:
                # Wait for the side-panel counts (they come after the first paint, once the
                # ledger is open), say when, then close the window.
                from PySide6.QtCore import QTimer

                def finish(_counts: object = None) -> None:
                    if "counts_s" in stamp:
                        return
                    stamp["counts_s"] = time.monotonic() - _t0()
                    QThreadPool.globalInstance().waitForDone(60_000)
                    self.close()

                if self.panel.tree.count_of("all") is not None:
                    finish()
                else:
                    self.counts_updated.connect(finish)
                    QTimer.singleShot(60_000, finish)
                return
            QThreadPool.globalInstance().waitForDone(60_000)
            app = app_module.QApplication.instance()
            assert app is not None
            app.processEvents()
            # Scroll through the table as a clerk would: the page cache fills and empties.
            bar = self.table.verticalScrollBar()
            for frac in (0.5, 1.0, 0.25, 0.0):
                bar.setValue(int(bar.maximum() * frac))
                app.processEvents()
            stamp["loaded_rss_mb"] = _maxrss_mb()
            # A clerk's first keystroke comes well after the window shows; by then the model
            # has read the search texts in the background. Wait for that, and say how long.
            ready = time.perf_counter()
            while not self.model.searches_in_memory and time.perf_counter() - ready < 30:
                app.processEvents()
                time.sleep(0.005)
            stamp["memory_ready_s"] = time.monotonic() - _t0()
            stamp.update(_search_and_sort(app, self, db))
            stamp["rss_mb"] = _maxrss_mb()
            self.close()

    ui.main_window.MainWindow = Stamped  # type: ignore[misc]  # run() imports it from the module when it needs it
    code = app_module.run(db)
    if code != 0:
        raise SystemExit(f"rectify exited with {code}")
    return stamp


def main() -> None:
    """Dispatch on MODE and print the JSON line."""
    mode = sys.argv[1]
    result = bare() if mode == "bare" else real(sys.argv[2], mode == "full")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
