"""The table answers typing in the search box from memory once a load has finished, with
the same rows as the SQL search, and reads the texts again after an edit."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool

from tests.ui.ui_fixtures import TODAY, isolated_settings, small_ledger  # noqa: F401
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemInput, Status
from tracker.services.problems import create_problem
from tracker.services.queries import problem_ids
from ui.models import problem_table
from ui.models.problem_table import Column, ProblemTableModel


def _loaded(qtbot, ledger: Ledger, flt: ProblemFilter = ProblemFilter()) -> ProblemTableModel:  # type: ignore[no-untyped-def]
    """An async model (as the window uses it) loaded and ready to search from memory."""
    model = ProblemTableModel(ledger)
    model.async_queries = True
    model.set_bands(TODAY, 7, 30)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(flt)
    qtbot.waitUntil(lambda: model.searches_in_memory, timeout=5000)
    return model


def _shown(model: ProblemTableModel) -> list[str]:
    return [model.index(r, Column.DESCRIPTION).data() for r in range(model.rowCount())]


def test_typing_is_answered_at_once_with_the_rows_sql_would_give(qtbot, small_ledger, monkeypatch):
    model = _loaded(qtbot, small_ledger)
    calls: list[ProblemFilter] = []
    real = problem_table.problem_ids
    monkeypatch.setattr(problem_table, "problem_ids",
                        lambda led, flt, *a: calls.append(flt) or real(led, flt, *a))
    for text in ("食", "食堂", "王建国", "市财政局", "不存在", ""):
        model.set_query(ProblemFilter(text=text))
        # No waiting: the rows are there when set_query returns.
        assert model.ids() == real(small_ledger, ProblemFilter(text=text)), text
    assert calls == [], "no keystroke needed a query"
    model.set_query(ProblemFilter(text="监控"))
    assert _shown(model) == ["校园视频监控存在盲区"]
    QThreadPool.globalInstance().waitForDone(5000)


def test_search_within_a_side_panel_filter_keeps_to_that_filter(qtbot, small_ledger):
    done_only = ProblemFilter(status=Status.IN_PROGRESS)
    model = _loaded(qtbot, small_ledger, done_only)
    model.set_query(ProblemFilter(status=Status.IN_PROGRESS, text="王建国"))
    assert _shown(model) == ["学校食堂留样不规范", "教师结构性缺编"]
    QThreadPool.globalInstance().waitForDone(5000)


def test_a_problem_added_after_loading_is_found_once_the_table_refreshes(qtbot, small_ledger):
    model = _loaded(qtbot, small_ledger)
    create_problem(small_ledger, ProblemInput("学生体质健康监测不达标"))
    model.set_query(ProblemFilter(text="体质"))
    assert model.rowCount() == 0, "memory is what was read at the last load"
    model.set_query(ProblemFilter())
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()  # what the window does after every edit
    qtbot.waitUntil(lambda: model.searches_in_memory, timeout=5000)
    model.set_query(ProblemFilter(text="体质"))
    assert _shown(model) == ["学生体质健康监测不达标"]
    assert model.ids() == problem_ids(small_ledger, ProblemFilter(text="体质"))
    QThreadPool.globalInstance().waitForDone(5000)


def test_the_same_query_asked_twice_while_running_runs_once(qtbot, small_ledger, monkeypatch):
    calls: list[str] = []
    real = problem_table.problem_ids
    monkeypatch.setattr(problem_table, "problem_ids",
                        lambda led, flt, sort="seq", desc=False: calls.append(sort)
                        or real(led, flt, sort, desc))
    model = ProblemTableModel(small_ledger)
    model.async_queries = True
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(ProblemFilter(), "seq", False)
        model.set_query(ProblemFilter(), "seq", False)  # the remembered sort, at start-up
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(20)
    # The answer doubles as the text-less ids kept for searching: no second query either.
    assert calls == ["seq"] and model.rowCount() == 5
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(ProblemFilter(), "deadline", False)
    assert model.ids() == real(small_ledger, ProblemFilter(), "deadline", False)
    QThreadPool.globalInstance().waitForDone(5000)
