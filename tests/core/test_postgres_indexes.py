"""The server's sort indexes after every migration (0006): the table's sorts by a problem
column read an index in order, a description too long for a btree entry still saves and
sorts, and the sorts by another table's column (queries._grouped_ids) sort nothing, return
the same ids as the one joined ORDER BY and as the rows' values say, and put problems
without the key where SQLite does, in every read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from tests.conftest import TODAY
from tracker.db.engine import Ledger, open_ledger
from tracker.db.orm import Problem
from tracker.domain import ProblemFilter, ProblemInput
from tracker.services import problems, queries
from tracker.services.list_read import list_rows
from tracker.services.lookup import numbered_lines

pytestmark = pytest.mark.usefixtures("pg_server")

# Sorts whose ORDER BY names only problem columns: each must match an index of 0006.
INDEXED = ("seq", "owner", "deadline", "status", "progress")


@pytest.fixture
def server_ledger(pg_url: str) -> Iterator[Ledger]:
    """A migrated server ledger with the demo's problems plus a few without a source,
    category or lead unit (they sort first, ahead of the joined rows)."""
    led = _build(open_ledger(pg_url, user="测试员"))
    yield led
    led.close()


def _statements(ledger: Ledger, sort: str, descending: bool = False,
                flt: ProblemFilter = ProblemFilter(), selects_only: bool = True
                ) -> list[tuple[str, Any]]:
    """The statements (by default the SELECTs) problem_ids sends for this sort."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
               executemany: bool) -> None:
        if not selects_only or statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(ledger.engine, "before_cursor_execute", record)
    try:
        queries.problem_ids(ledger, flt, sort=sort, descending=descending)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", record)
    return seen


def _plan_nodes(ledger: Ledger, statement: str, params: Any, *settings: str) -> list[str]:
    """Every node type of the statement's plan (and the relation a scan reads)."""
    with ledger.engine.connect() as conn, conn.begin():
        for setting in settings:
            conn.exec_driver_sql(setting)
        plan: Any = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, params).scalar()
    out: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        out.append(f"{node['Node Type']} {node.get('Relation Name', '')}".strip())
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan[0]["Plan"])
    return out


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", INDEXED)
def test_sorts_by_a_problem_column_read_an_index_in_order(
        server_ledger: Ledger, sort: str, descending: bool) -> None:
    # A 43-row table is cheaper to scan and sort than to walk, so the planner is told to
    # avoid both: a Sort node (or a full scan) then remains only if no index holds exactly
    # this order, as with the 0003 indexes, which did not end in id.
    [(statement, params)] = _statements(server_ledger, sort, descending)
    nodes = _plan_nodes(server_ledger, statement, params, "SET LOCAL enable_seqscan = off",
                        "SET LOCAL enable_sort = off")
    assert not any("Sort" in n for n in nodes), nodes
    assert "Seq Scan problem" not in nodes, nodes
    assert any(n.startswith("Index") for n in nodes), nodes


def test_a_3000_character_description_saves_and_sorts(server_ledger: Ledger) -> None:
    long_text = "整改落实情况说明" * 375  # 3,000 characters, 9,000 bytes: past a btree entry
    row = problems.create_problem(server_ledger, ProblemInput(long_text))
    assert queries.get_problem(server_ledger, row.id).description == long_text
    for descending in (False, True):
        ids = queries.problem_ids(server_ledger, sort="description", descending=descending)
        rows = queries.get_problems(server_ledger, ids)
        texts = [p.description for p in rows]
        assert row.id in ids and texts == sorted(texts, reverse=descending)
    found = queries.problem_ids(server_ledger, ProblemFilter(text="落实情况说明整改"))
    assert found == [row.id]


def _build(led: Ledger) -> Ledger:
    """The demo's problems plus a few without a source, category or lead unit."""
    from tracker.demo import build_demo

    build_demo(led, 40, today=TODAY)
    for i in range(3):
        problems.create_problem(led, ProblemInput(f"无归属的问题{i}"))
    return led


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", sorted(queries._JOINED))
def test_joined_sorts_keep_their_ids_and_read_no_sort(
        server_ledger: Ledger, sort: str, descending: bool) -> None:
    ids = queries.problem_ids(server_ledger, sort=sort, descending=descending)
    # The ids the one joined ORDER BY gives (SQLite's statement, as the planner runs it).
    other, key = queries._JOINED[sort]
    order = queries._order(sort, descending, dialect="postgresql", outer=False)
    with server_ledger.read() as s:
        alone = queries._ids(s, select(Problem.id).where(key.is_(None))
                             .order_by(*order[-2:]))
        joined = queries._ids(s, select(Problem.id).select_from(other)
                              .join(Problem, key == other.id).order_by(*order))
    assert ids == (joined + alone if descending else alone + joined) and len(ids) == 43
    # And they agree with the rows' own values: problems without the key first (ascending).
    rows = {p.id: p for p in queries.list_problems(server_ledger, with_measures=False)}
    with server_ledger.engine.connect() as conn:
        title: dict[int | None, str] = dict(
            conn.exec_driver_sql("SELECT id, title FROM source").all())
        position: dict[int | None, int] = dict(
            conn.exec_driver_sql("SELECT id, position FROM category").all())

    def key_of(i: int) -> tuple[Any, ...]:
        p = rows[i]
        value: Any = {"lead_unit": (p.lead_unit or None,),
                      "category": (position.get(p.category_id), p.category_id),
                      "source": (title.get(p.source_id), p.source_id)}[sort]
        return (value[0] is not None, value if value[0] is not None else (), p.seq, i)

    assert ids == sorted(rows, key=key_of, reverse=descending)
    # Two SELECTs (the other table's few rows, then the problems once, filter and all), no
    # SET; the problems' plan sorts nothing: told to avoid it, the planner still finds the
    # index order (a join re-sorted every key's problems, the nested loop not carrying it).
    sent = _statements(server_ledger, sort, descending, selects_only=False)
    assert len(sent) == 2 and "problem" not in sent[0][0], sent
    nodes = _plan_nodes(server_ledger, *sent[1], "SET LOCAL enable_seqscan = off",
                        "SET LOCAL enable_sort = off")
    assert not any("Sort" in n for n in nodes), nodes
    assert any(n.startswith("Index") and n.endswith("problem") for n in nodes), nodes


@pytest.mark.parametrize("descending", [False, True])
def test_problems_without_the_key_sort_alike_everywhere_on_both_stores(
        server_ledger: Ledger, tmp_path: Path, descending: bool) -> None:
    # problem_ids (the table), list_problems and problem_lines (list, export): the same
    # order on each store, problems without the key first when ascending, as SQLite has it.
    file_ledger = _build(open_ledger(tmp_path / "ledger.sqlite", user="测试员"))
    try:
        orders = []
        for led in (file_ledger, server_ledger):
            rows = {p.id: p for p in queries.list_problems(led, with_measures=False)}
            for sort in [*sorted(queries._JOINED), "seq"]:  # seq: the ledger's own order
                keyless = {i for i, p in rows.items() if not (
                    p.source_id if sort in ("source", "seq") else
                    p.category_id if sort == "category" else p.lead_unit)}
                ids = queries.problem_ids(led, sort=sort, descending=descending)
                listed = [p.id for p in queries.list_problems(
                    led, sort=sort, descending=descending, with_measures=False)]
                lines = [(line.seq, line.description) for line in queries.problem_lines(
                    led, sort=sort, descending=descending)]
                assert listed == ids, (led.dialect, sort)
                assert lines == [(rows[i].seq, rows[i].description) for i in ids]
                ends = ids[len(ids) - len(keyless):] if descending else ids[:len(keyless)]
                assert len(keyless) >= 3 and set(ends) == keyless, (led.dialect, sort)
                orders.append([(rows[i].seq, rows[i].description) for i in ids])
                if sort == "seq" and not descending:  # `list`, `list --json`: the same order
                    assert [i for i, _ in numbered_lines(led, ProblemFilter())] == ids
                    assert [r[0] for r in list_rows(led, ProblemFilter(), TODAY).rows] == ids
        # The demo is the same on both stores, so its orders are too.
        assert orders[:4] == orders[4:]
    finally:
        file_ledger.close()
