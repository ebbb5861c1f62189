"""Every sort of the table walks an index (migration 0003) and still gives the order a
clerk expects: the same as the plain query over joined rows, problems without a unit,
category or source first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.conftest import TODAY
from tracker.db import schema
from tracker.db.engine import Ledger, open_ledger
from tracker.demo import build_demo
from tracker.domain import MeasureInput, ProblemFilter, ProblemInput
from tracker.services.problems import create_problem
from tracker.services.queries import SORT_KEYS, list_problems, matching_ids, problem_ids, search_texts
from tests.core.revisions import ledger_at

SORT_INDEXES = {"ix_problem_unit_seq", "ix_problem_category_seq", "ix_problem_owner_seq",
                "ix_problem_description", "ix_problem_deadline_order", "ix_problem_status_order",
                "ix_problem_progress_order", "ix_source_title", "ix_category_position"}


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Ledger]:
    """60 demo problems plus one with no source, unit, category or measure."""
    led = open_ledger(tmp_path / "sorts.sqlite", user="测试员")
    build_demo(led, 60, today=TODAY)
    create_problem(led, ProblemInput("没有牵头单位的问题"))
    create_problem(led, ProblemInput("另一个孤立问题", owner="张三",
                                     measures=(MeasureInput("补齐台账", deadline_text="年底前"),)))
    yield led
    led.close()


def _statements(ledger: Ledger, run) -> list[tuple[str, tuple]]:  # type: ignore[no-untyped-def]
    """The SQL statements (with parameters) ``run()`` sends to SQLite."""
    seen: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, tuple(parameters or ())))

    event.listen(ledger.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(ledger.engine, "before_cursor_execute", record)
    return seen


def _plans(ledger: Ledger, statements: list[tuple[str, tuple]]) -> list[str]:
    conn = sqlite3.connect(ledger.path)
    try:
        return [" / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
                for sql, params in statements]
    finally:
        conn.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORT_KEYS)
def test_every_table_sort_reads_an_index_instead_of_sorting(sample, sort, descending):
    statements = _statements(sample, lambda: problem_ids(sample, sort=sort,
                                                         descending=descending))
    plans = [p for p in _plans(sample, statements) if "problem" in p]
    assert plans, "the sort ran no query over problems"
    for plan in plans:
        assert "TEMP B-TREE" not in plan, f"{sort}: {plan}"
        assert "INDEX" in plan, f"{sort}: {plan}"


def test_the_status_and_progress_sorts_use_their_expression_indexes(sample):
    for sort, index in (("status", "ix_problem_status_order"),
                        ("progress", "ix_problem_progress_order"),
                        ("deadline", "ix_problem_deadline_order")):
        plans = _plans(sample, _statements(sample, lambda sort=sort: problem_ids(sample, sort=sort)))
        assert any(index in p for p in plans), (sort, plans)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORT_KEYS)
def test_index_order_matches_the_joined_rows_order(sample, sort, descending):
    rows = list_problems(sample, sort=sort, descending=descending, with_measures=False)
    ids = problem_ids(sample, sort=sort, descending=descending)
    assert ids == [p.id for p in rows]
    assert len(ids) == 62


def test_problems_without_a_lead_unit_come_first_in_unit_order(sample):
    ids = problem_ids(sample, sort="lead_unit")
    rows = {p.id: p for p in list_problems(sample, with_measures=False)}
    units = [rows[i].lead_unit for i in ids]
    assert units[0] == "" and units == sorted(units)
    assert problem_ids(sample, sort="lead_unit", descending=True)[-1] in \
        [i for i in ids if rows[i].lead_unit == ""]


@pytest.mark.parametrize("sort", ["seq", "deadline", "lead_unit", "status"])
def test_search_with_a_sort_gives_the_same_rows_in_the_same_order(sample, sort):
    flt = ProblemFilter(text="食堂")
    ids = problem_ids(sample, flt, sort=sort)
    assert ids, "the demo ledger has canteen problems"
    assert ids == [p.id for p in list_problems(sample, flt, sort=sort, with_measures=False)]
    everything = problem_ids(sample, sort=sort)
    assert matching_ids(everything, search_texts(sample), "食堂") == ids


def test_searching_in_memory_matches_every_word_like_the_sql_filter(sample):
    everything = problem_ids(sample)
    texts = search_texts(sample)
    for words in ("食堂 留样", "张三", "没有牵头", "不存在的词"):
        assert matching_ids(everything, texts, words) == \
            problem_ids(sample, ProblemFilter(text=words)), words


def test_a_ledger_at_revision_0002_upgrades_to_the_sort_indexes_with_its_data(tmp_path):
    path = ledger_at(tmp_path / "old.sqlite", "0002", "食堂留样不规范", "done", 2, 1)
    assert schema.file_revision(path) == "0002"

    led = open_ledger(path)
    try:
        assert schema.file_revision(path) == schema.head_revision() == "0006"
        with sqlite3.connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert SORT_INDEXES <= names
        assert [p.description for p in list_problems(led)] == ["食堂留样不规范"]
        assert problem_ids(led, sort="progress") == [1]
        assert list((tmp_path / "backups").glob("old-升级前-0002-*.sqlite")), \
            "the 0002 file is backed up before the upgrade"
    finally:
        led.close()
