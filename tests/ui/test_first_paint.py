"""The first rows painted before the ledger opens (ui.first_paint, tracker.services.first_page):
the same rows, order and colours as the service path, the normal path for anything else, and
a window that works as usual once the ledger is attached."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, Qt
from pytestqt.modeltest import ModelTester
from sqlalchemy import select
from sqlalchemy.dialects import sqlite as sqlite_dialect

from tests.ui.ui_fixtures import TODAY, isolated_settings  # noqa: F401 - an autouse fixture
from tracker import clock
from tracker.db import plain, schema
from tracker.db.engine import Ledger
from tracker.db.orm import Problem
from tracker.domain import ProblemFilter
from tracker.services import first_page, queries
from tracker.services.first_page import FirstPageReader
from tracker.services.queries import get_problem, get_problems, problem_ids
from ui import app as app_module
from ui import filters, first_paint, settings
from ui.main_window import MainWindow
from ui.models.problem_table import PAGE, Column

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
ROOT = Path(__file__).resolve().parents[2]
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole)


@pytest.fixture(autouse=True)
def today() -> object:
    """The demo ledger is built as of TODAY; its overdue rows are overdue on that day."""
    with clock.fixed_today(TODAY):
        yield


@pytest.mark.parametrize("sort", list(first_page.ORDER_SQL))
def test_order_by_text_is_the_services_order(sort: str) -> None:
    # The one ORDER BY, compiled from the service's expressions, equals the plain text.
    for descending in (False, True):
        q = select(Problem.id).order_by(*queries._order(sort, descending))
        compiled = str(q.compile(dialect=sqlite_dialect.dialect()))
        assert compiled.endswith(first_page.order_by(sort, descending)), compiled


def test_head_revision_is_the_schemas() -> None:
    assert plain.head_revision() == schema.head_revision()


def test_ids_and_rows_are_the_services_on_every_sort(demo_ledger: Ledger) -> None:
    reader = FirstPageReader.open(demo_ledger.path)
    assert reader is not None
    assert reader.count() == 60
    for sort in first_page.ORDER_SQL:
        for descending in (False, True):
            ids = problem_ids(demo_ledger, ProblemFilter(), sort, descending)
            assert reader.ids(sort, descending) == ids, (sort, descending)
            assert reader.ids(sort, descending, 7) == ids[:7], (sort, descending)
    ids = problem_ids(demo_ledger)
    assert reader.rows(ids) == get_problems(demo_ledger, ids)
    assert reader.rows([ids[3], 10**9, ids[0]]) == get_problems(demo_ledger, [ids[3], ids[0]])
    reader.close()


def test_other_ledgers_take_the_normal_path(demo_ledger: Ledger, tmp_path: Path) -> None:
    old = _older_copy(demo_ledger, tmp_path / "old.sqlite")
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    server_anchor = tmp_path / "服务器台账" / "台账（u@db.example，5432）.server"
    server_anchor.parent.mkdir()
    server_anchor.write_text("", encoding="utf-8")
    for target in (old, foreign, tmp_path / "missing.sqlite", tmp_path, server_anchor,
                   "postgresql://clerk@db.example/ledger", "postgresql:/clerk@db.example/l"):
        assert FirstPageReader.open(target) is None, target
    reader = FirstPageReader.open(demo_ledger.path)
    assert reader is not None
    reader.close()


def _older_copy(ledger: Ledger, to: Path) -> Path:
    """A copy of the ledger stamped with the revision before the head (WAL content too)."""
    src, dst = sqlite3.connect(ledger.path), sqlite3.connect(to)
    src.backup(dst)
    dst.execute("UPDATE alembic_version SET version_num = '0004'")
    dst.commit()
    src.close()
    dst.close()
    return to


def _fast(qtbot, path: Path, opened: list[Ledger] | None = None) -> first_paint.FirstPaint:  # type: ignore[no-untyped-def]
    """Start the way `rectify` does on ``path``; the ledger is not opened yet."""
    def open_ledger(p: str | None) -> Ledger | None:
        ledger = app_module.first_ledger(p)
        if opened is not None and ledger is not None:
            opened.append(ledger)
        return ledger

    begun = first_paint.start(str(path), open_ledger, lambda _w: None)
    assert begun is not None
    qtbot.addWidget(begun.window)
    return begun


def _cells(window: MainWindow, rows: int) -> list[list[object]]:
    m = window.model
    out: list[list[object]] = []
    for r in range(rows):
        for c in Column:
            out.append([m.index(r, c).data(role) for role in ROLES])
    return out


def test_first_rows_match_the_service_path_then_the_ledger_takes_over(qtbot, demo_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    normal = MainWindow(demo_ledger)
    qtbot.addWidget(normal)
    qtbot.waitUntil(lambda: normal.panel.tree.count_of(filters.ALL) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: normal.model.rowCount() == 60, timeout=10_000)

    opened: list[Ledger] = []
    begun = _fast(qtbot, demo_ledger.path, opened)
    fast = begun.window
    ModelTester(qtbot).check(fast.model)
    assert not fast.attached and fast.model.rowCount() == 60
    assert fast.model.ids() == normal.model.ids()[:PAGE]
    # Values, order and colours (overdue rows red and bold) as the service path shows them.
    assert _cells(fast, 60) == _cells(normal, 60)
    assert any(c[1] is not None for c in _cells(fast, 60))  # some rows are coloured
    fast.table.selectRow(4)
    chosen = fast.model.ids()[4]
    resets: list[int] = []
    fast.model.modelReset.connect(lambda: resets.append(1))

    qtbot.waitUntil(lambda: fast.attached, timeout=10_000)  # after the first paint
    assert fast.ledger is opened[0]
    qtbot.waitUntil(lambda: fast.panel.tree.count_of(filters.ALL) == 60, timeout=10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(20)
    assert fast.model.ids() == problem_ids(fast.ledger)
    assert fast.model._reader is None and begun.reader is None  # the services read now
    assert resets == [] and fast.selected_ids() == [chosen]  # nothing visibly changed
    assert _cells(fast, 60) == _cells(normal, 60)
    assert fast.detail.isVisible() and fast.menus.new_problem.isEnabled()
    opened[0].close()


def test_editing_right_after_open_works(qtbot, demo_ledger: Ledger, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.problem_editor import ProblemEditor

    opened: list[Ledger] = []
    fast = _fast(qtbot, demo_ledger.path, opened).window
    qtbot.waitUntil(lambda: fast.attached, timeout=10_000)
    pid = fast.model.ids()[0]
    assert fast.select_problem(pid)

    def edit_and_save(self):  # type: ignore[no-untyped-def]
        self.description.setPlainText("刚打开就修改")
        return self.try_save()

    monkeypatch.setattr(ProblemEditor, "exec", edit_and_save)
    with qtbot.waitSignal(fast.rows_loaded, timeout=10_000):
        fast.actions_.edit_problem()  # Enter on the selected row, as the clerk would
    assert get_problem(fast.ledger, pid).description == "刚打开就修改"
    assert fast.stack.count() == 1
    row = fast.model.row_of(pid)
    assert row is not None
    assert fast.model.index(row, Column.DESCRIPTION).data() == "刚打开就修改"
    opened[0].close()


def test_a_remembered_filter_or_an_old_ledger_takes_the_normal_path(qtbot, demo_ledger: Ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.set_value(settings.KEY_LAST_FILTER, filters.OVERDUE)
    assert first_paint.start(str(demo_ledger.path), app_module.first_ledger, lambda _w: None) is None
    settings.set_value(settings.KEY_LAST_FILTER, filters.ALL)
    old = _older_copy(demo_ledger, tmp_path / "old.sqlite")
    assert first_paint.start(str(old), app_module.first_ledger, lambda _w: None) is None
    assert first_paint.start("postgresql://clerk@db.example/ledger", app_module.first_ledger,
                             lambda _w: None) is None


def test_nothing_heavy_is_imported_before_the_first_paint(demo_ledger: Ledger, tmp_path: Path) -> None:
    # A fresh interpreter: which modules are loaded when the table first paints its rows.
    code = f"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from ui import app, first_paint
seen = {{}}
real = first_paint.FirstPaint.eventFilter
def spy(self, obj, event):
    if event.type() == QEvent.Type.Paint and not seen:
        seen['rows'] = self.window.model.rowCount()
        seen['heavy'] = sorted(m for m in ('sqlalchemy', 'alembic', 'openpyxl', 'docx',
                                           'tracker.services.queries', 'ui.dialogs')
                               if m in sys.modules)
        QTimer.singleShot(0, self.window.close)
    return real(self, obj, event)
first_paint.FirstPaint.eventFilter = spy
code = app.run({str(demo_ledger.path)!r})
print(json.dumps(dict(seen, code=code)))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               RECTIFY_TODAY=TODAY.isoformat())
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"rows": 60, "heavy": [], "code": 0}, out.stderr


def test_the_launcher_opens_the_window_without_the_parser_only_for_window_arguments() -> None:
    from ui.launch import _window_args

    assert _window_args([]) == (True, None)
    assert _window_args(["--db", "台账.sqlite"]) == (True, "台账.sqlite")
    assert _window_args(["--db=台账.sqlite"]) == (True, "台账.sqlite")
    for args in (["list"], ["--db", "a.sqlite", "list"], ["--version"], ["-h"], ["--db"],
                 ["--db", "--version"], ["--db="]):
        assert _window_args(args)[0] is False, args
