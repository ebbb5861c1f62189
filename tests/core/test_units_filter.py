"""Co-units (配合单位): stored in one spelling, seen by `--unit` by exact name on both stores,
and counted in the per-unit table's 配合 column without counting any problem twice."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import STORES
from tracker import clock
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput, Status
from tracker.services.problems import create_problem, update_problem
from tracker.services.queries import count_problems, get_problem, problem_ids
from tracker.summary import ledger_summary, unit_counts
from tracker.units import canonical_co_units, co_unit_named, fold_name, split_co_units


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The filter is SQL: run every `ledger` test here on SQLite and on PostgreSQL."""
    if "ledger" in metafunc.fixturenames:
        metafunc.parametrize("ledger", STORES, indirect=True)


def _add(ledger: Ledger, desc: str, lead: str, co: str = "",
         measures: tuple[tuple[str, str], ...] = (), status: Status = Status.IN_PROGRESS) -> int:
    """A problem led by ``lead`` with co-units ``co``; measures as (lead unit, co-units)."""
    ms = measures or (("", ""),)
    return create_problem(ledger, ProblemInput(
        description=desc, lead_unit=lead, co_units=co,
        measures=tuple(MeasureInput(text=f"{desc}措施{i}", lead_unit=u, co_units=c,
                                    deadline_text="2027年6月底前", status=status)
                       for i, (u, c) in enumerate(ms, start=1)))).id


def _unit(ledger: Ledger, name: str) -> set[int]:
    return set(problem_ids(ledger, ProblemFilter(unit=name)))


# ------------------------------------------------------------------ the rule, in memory


def test_co_units_have_one_spelling() -> None:
    assert canonical_co_units("市财政局，市人社局 ") == "市财政局、市人社局"
    assert canonical_co_units("市财政局/ 市人社局；市公安局") == "市财政局、市人社局、市公安局"
    assert canonical_co_units("市财政局（配合）、市财政局") == "市财政局"
    assert canonical_co_units("ＸＸ区(县)教育局") == "XX区（县）教育局"
    assert canonical_co_units("   ") == ""
    assert split_co_units("A、B、A") == ("A", "B")


def test_a_co_unit_is_named_exactly_not_as_part_of_a_name() -> None:
    assert co_unit_named("县市教育局、市财政局", "市财政局")
    assert not co_unit_named("县市教育局", "市教育局")
    assert not co_unit_named("市教育局、市财政局", "")
    assert fold_name(" 市教育局。") == "市教育局"


def test_the_importer_reads_cells_by_the_same_rule() -> None:
    from tracker.excel import units_split

    assert units_split.split_co_units is split_co_units
    assert units_split.split_units("县教育局牵头，县财政局配合").co == ("县财政局",)


# ------------------------------------------------------------------ stored and filtered


def test_every_save_stores_the_one_spelling(ledger: Ledger) -> None:
    pid = _add(ledger, "食堂管理不规范", "市教育局", "市财政局，市人社局",
               (("市教育局", "市卫健委 / 市市场监管局"),))
    p = get_problem(ledger, pid)
    assert p.co_units == "市财政局、市人社局"
    assert p.measures[0].co_units == "市卫健委、市市场监管局"
    edited = ProblemInput(description=p.description, lead_unit=p.lead_unit, co_units="市财政局；市公安局",
                          measures=(MeasureInput(text="x", id=p.measures[0].id,
                                                 co_units="市卫健委,市公安局"),))
    p = update_problem(ledger, pid, edited, p.version)
    assert (p.co_units, p.measures[0].co_units) == ("市财政局、市公安局", "市卫健委、市公安局")


def test_unit_filter_sees_lead_and_co_units_of_problems_and_measures(ledger: Ledger) -> None:
    led = _add(ledger, "问题甲", "市教育局")
    measure_led = _add(ledger, "问题乙", "市人社局", measures=(("市教育局", ""),))
    co_problem = _add(ledger, "问题丙", "市人社局", "市财政局、市教育局")
    co_measure = _add(ledger, "问题丁", "市人社局", measures=(("市人社局", "市教育局"),))
    other = _add(ledger, "问题戊", "县市教育局", "县市教育局分局")
    assert _unit(ledger, "市教育局") == {led, measure_led, co_problem, co_measure}
    assert _unit(ledger, "县市教育局") == {other}
    assert _unit(ledger, "市财政局") == {co_problem}  # a unit that only co-operates
    assert count_problems(ledger, ProblemFilter(unit="市教育局")) == 4
    assert _unit(ledger, "教育局") == set()  # never a part of a name


def test_unit_filter_folds_and_escapes_what_is_typed(ledger: Ledger) -> None:
    wild = _add(ledger, "问题甲", "市人社局", "A_B局")
    bracket = _add(ledger, "问题乙", "市人社局", "XX区（县）教育局")
    _add(ledger, "问题丙", "市人社局", "AxB局、100%局X")
    assert _unit(ledger, "A_B局") == {wild}
    assert _unit(ledger, "%") == set()
    assert _unit(ledger, " XX区(县)教育局 ") == {bracket}
    assert _unit(ledger, "") == set(problem_ids(ledger))  # an empty unit does not filter


def test_unit_filter_combines_with_the_other_filters(ledger: Ledger) -> None:
    done = _add(ledger, "问题甲", "市人社局", "市教育局", status=Status.DONE)
    _add(ledger, "问题乙", "市人社局", "市教育局")
    flt = ProblemFilter(unit="市教育局", status=Status.DONE)
    assert set(problem_ids(ledger, flt)) == {done}
    assert ledger_summary(ledger, ProblemFilter(unit="市教育局")).total == 2


# ------------------------------------------------------------------ per-unit table


def test_per_unit_table_counts_co_units_apart(ledger: Ledger) -> None:
    _add(ledger, "问题甲", "市教育局", "市财政局")
    _add(ledger, "问题乙", "市教育局", measures=(("市教育局", "市财政局、市人社局"),))
    _add(ledger, "问题丙", "市人社局", "市教育局", status=Status.DONE)
    rows = {u.unit: u for u in unit_counts(ledger)}
    edu, fin, hr = rows["市教育局"], rows["市财政局"], rows["市人社局"]
    assert (edu.total, edu.completed, edu.cooperating) == (2, 0, 1)
    assert (hr.total, hr.completed, hr.cooperating) == (1, 1, 1)
    # A unit that only co-operates is listed, with no problem of its own.
    assert (fin.total, fin.open, fin.cooperating) == (0, 0, 2)
    # Added up, the table counts each problem once (one lead unit each here).
    assert sum(u.total for u in rows.values()) == ledger_summary(ledger).total == 3


def test_a_unit_leading_and_co_operating_on_one_problem_counts_once(ledger: Ledger) -> None:
    _add(ledger, "问题甲", "市教育局", "市教育局、市财政局",
         measures=(("市教育局", ""), ("市财政局", "市教育局")))
    rows = {u.unit: u for u in unit_counts(ledger)}
    assert (rows["市教育局"].total, rows["市教育局"].cooperating) == (1, 0)
    assert (rows["市财政局"].total, rows["市财政局"].cooperating) == (1, 0)  # leads a measure


def test_per_unit_table_of_a_past_day_counts_co_units_too(ledger: Ledger) -> None:
    with clock.fixed_today(dt.date(2026, 11, 1)):
        _add(ledger, "问题甲", "市教育局", "市财政局")
    _add(ledger, "问题乙", "市教育局", "市人社局")  # created on the test's today: later
    rows = {u.unit: u for u in unit_counts(ledger, as_of=dt.date(2026, 11, 10))}
    assert set(rows) == {"市教育局", "市财政局"}
    assert (rows["市教育局"].total, rows["市财政局"].cooperating) == (1, 1)


def test_side_panel_unit_counts_equal_what_each_unit_filter_lists(ledger: Ledger) -> None:
    from tracker.demo import build_demo
    from tracker.services.queries import unit_problem_counts

    build_demo(ledger, 80, today=dt.date(2026, 11, 23))
    _add(ledger, "问题甲", "市教育局", "只配合的单位")
    with ledger.read() as s:
        counts = unit_problem_counts(s)
    assert ("只配合的单位", 1) in counts
    for name, n in counts:
        assert n == count_problems(ledger, ProblemFilter(unit=name)) > 0, name


def test_an_older_ledgers_co_units_get_the_one_spelling_on_upgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from tests.core.revisions import ledger_at
    from tracker.db.engine import open_ledger
    from tracker.integrity import check_ledger
    from tracker.rules import MeasureWords, problem_search_text

    path = ledger_at(tmp_path / "old.sqlite", "0004")
    stale = problem_search_text("缺编", "", "", "", "", "市财政局，市人社局", "市教育局",
                                [MeasureWords("招聘", "", "市卫健委 / 市公安局", "", "")])
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO unit (id, name, contact, phone) VALUES (1, '市教育局', '', '')")
        db.execute(
            "INSERT INTO problem (id, seq, lead_unit_id, description, goal, co_units, leader, owner,"
            " remarks, closeout_by, closeout_note, status, deadline_text, measures_total,"
            " measures_done, search_text, created_at, updated_at, version) VALUES (1, 1, 1, '缺编',"
            " '', '市财政局，市人社局', '', '', '', '', '', 'not_started', '', 1, 0, ?,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)", (stale,))
        db.execute(
            "INSERT INTO measure (id, problem_id, position, text, co_units, owner, deadline_text,"
            " deadline_kind, status, created_at, updated_at, version) VALUES (1, 1, 1, '招聘',"
            " '市卫健委 / 市公安局', '', '', 'none', 'not_started', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00', 1)")
    led = open_ledger(path, user="测试员")
    try:
        p = get_problem(led, 1)
        assert (p.co_units, p.measures[0].co_units) == ("市财政局、市人社局", "市卫健委、市公安局")
        assert (p.version, p.measures[0].percent) == (1, None)
        assert _unit(led, "市人社局") == _unit(led, "市公安局") == {1}
        assert check_ledger(led).ok  # the search text was rebuilt with the new spelling
    finally:
        led.close()
