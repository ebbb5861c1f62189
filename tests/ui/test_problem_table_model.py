"""The ledger table model: valid for Qt, rows fetched a page at a time, sorted and filtered
in SQL, and coloured by the warning band a clerk must not miss."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.ui_fixtures import TODAY, isolated_settings, small_ledger  # noqa: F401
from tracker.db.engine import Ledger
from tracker.demo import build_demo
from tracker.domain import ProblemFilter
from ui.colors import PALETTES, Band
from ui.models import problem_table
from ui.models.problem_table import BAND_ROLE, PROBLEM_ID_ROLE, Column, ProblemTableModel


def _model(ledger: Ledger, flt: ProblemFilter = ProblemFilter()) -> ProblemTableModel:
    model = ProblemTableModel(ledger)
    model.set_bands(TODAY, 7, 30)
    model.set_query(flt)
    return model


def _row_of(model: ProblemTableModel, text: str) -> int:
    for r in range(model.rowCount()):
        if text in model.index(r, Column.DESCRIPTION).data():
            return r
    raise AssertionError(text)


def test_model_passes_qt_model_tester(qtmodeltester, small_ledger):
    model = _model(small_ledger)
    qtmodeltester.check(model)
    model.sort(Column.DEADLINE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_each_row_shows_the_ledger_columns_a_clerk_expects(qtbot, small_ledger):
    model = _model(small_ledger)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["序号", "问题来源", "类别", "存在问题", "牵头单位", "责任人", "整改时限",
                       "状态", "进度"]
    r = _row_of(model, "食堂")
    texts = [model.index(r, c).data() for c in Column]
    assert texts[:6] == ["1", "2025年督导反馈", "食堂与食品安全", "学校食堂留样不规范", "市市场监管局",
                         "王建国"]
    assert texts[6] == "逾期10天 · 2026年11月13日"
    assert texts[7:] == ["整改中", "0/1"]


def test_rows_are_coloured_by_band(qtbot, small_ledger):
    model = _model(small_ledger)
    expected = {"食堂": Band.OVERDUE, "监控": Band.SOON, "缺编": Band.LATER, "经费": Band.DONE,
                "大班额": Band.CLOSED}
    for text, band in expected.items():
        r = _row_of(model, text)
        assert model.index(r, Column.STATUS).data(BAND_ROLE) == band.value
        assert model.index(r, Column.SEQ).data(Qt.ItemDataRole.BackgroundRole) == \
            PALETTES[band].background
    overdue = _row_of(model, "食堂")
    assert model.index(overdue, Column.DEADLINE).data(Qt.ItemDataRole.FontRole).bold()


def test_thresholds_move_a_problem_between_amber_and_blue(qtbot, small_ledger):
    model = _model(small_ledger)
    r = _row_of(model, "缺编")  # due in 20 days
    model.set_bands(TODAY, 21, 40)
    assert model.index(r, 0).data(BAND_ROLE) == Band.SOON.value
    model.set_bands(TODAY, 7, 10)
    assert model.index(r, 0).data(BAND_ROLE) == Band.NONE.value


def test_sorting_by_a_header_asks_sql_for_a_new_order(qtbot, small_ledger):
    model = _model(small_ledger)
    model.sort(Column.DEADLINE, Qt.SortOrder.AscendingOrder)
    first = [model.index(r, Column.DESCRIPTION).data() for r in range(model.rowCount())]
    assert first[0] == "学校食堂留样不规范"  # the earliest deadline
    model.sort(Column.DEADLINE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, Column.DESCRIPTION).data() == "城区存在大班额"
    assert model.query[1:] == ("deadline", True)


def test_filter_keeps_only_matching_problems(qtbot, small_ledger):
    model = _model(small_ledger, ProblemFilter(overdue=True, as_of=TODAY))
    assert [model.index(r, Column.DESCRIPTION).data() for r in range(model.rowCount())] == \
        ["学校食堂留样不规范"]


def test_rows_are_read_a_page_at_a_time(qtbot, tmp_path, monkeypatch):
    from tracker.db.engine import open_ledger

    led = open_ledger(tmp_path / "big.sqlite")
    build_demo(led, 450, today=TODAY)
    calls: list[int] = []
    real = problem_table.get_problems

    def counting(ledger, ids, *a, **k):  # type: ignore[no-untyped-def]
        calls.append(len(ids))
        return real(ledger, ids, *a, **k)

    monkeypatch.setattr(problem_table, "get_problems", counting)
    model = _model(led)
    assert model.rowCount() == 450 and calls == []  # ids only, no rows yet
    assert model.index(430, Column.SEQ).data(PROBLEM_ID_ROLE) == model.ids()[430]
    model.index(430, Column.DESCRIPTION).data()
    model.index(420, Column.STATUS).data()
    assert calls == [50]  # rows 400..449: one page, then served from the cache
    model.index(10, Column.STATUS).data()
    assert calls == [50, 200]
    led.close()


def test_background_query_drops_a_stale_answer(qtbot, small_ledger):
    model = _model(small_ledger)
    model.async_queries = True
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(ProblemFilter(text="食堂"))
        model.set_query(ProblemFilter(text="监控"))
    qtbot.wait(200)  # let any answer to the first query arrive too
    assert model.rowCount() == 1
    assert model.index(0, Column.DESCRIPTION).data() == "校园视频监控存在盲区"
