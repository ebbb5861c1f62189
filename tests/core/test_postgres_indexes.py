"""The server's sort indexes after every migration (0006): the table's sorts by a problem
column read an index in order, a description too long for a btree entry still saves and
sorts, and the sorts by another table's column (walked in order, queries._walk_in_order)
return the same ids as the planner's own plan and as the rows' values say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import TODAY
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import ProblemFilter, ProblemInput
from tracker.services import problems, queries

pytestmark = pytest.mark.usefixtures("pg_server")

# Sorts whose ORDER BY names only problem columns: each must match an index of 0006.
INDEXED = ("seq", "owner", "deadline", "status", "progress")


@pytest.fixture
def server_ledger(pg_url: str) -> Iterator[Ledger]:
    """A migrated server ledger with the demo's problems plus a few without a source,
    category or lead unit (they sort first, ahead of the joined rows)."""
    from tracker.demo import build_demo

    led = open_ledger(pg_url, user="测试员")
    build_demo(led, 40, today=TODAY)
    for i in range(3):
        problems.create_problem(led, ProblemInput(f"无归属的问题{i}"))
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


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", sorted(queries._JOINED))
def test_joined_sorts_walk_in_order_and_keep_their_ids(
        server_ledger: Ledger, sort: str, descending: bool, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    walked = queries.problem_ids(server_ledger, sort=sort, descending=descending)
    # The walk is a planner hint only: the planner's own plan returns the very same ids.
    monkeypatch.setattr(queries, "_walk_in_order", lambda s: None)
    planned = queries.problem_ids(server_ledger, sort=sort, descending=descending)
    assert walked == planned and len(walked) == 43
    # And both agree with the rows' own values: problems without the key first (ascending).
    rows = {p.id: p for p in queries.list_problems(server_ledger, with_measures=False)}
    with server_ledger.engine.connect() as conn:
        title: dict[int | None, str] = dict(
            conn.exec_driver_sql("SELECT id, title FROM source").all())
        position: dict[int | None, int] = dict(
            conn.exec_driver_sql("SELECT id, position FROM category").all())

    def key(i: int) -> tuple[Any, ...]:
        p = rows[i]
        value: Any = {"lead_unit": (p.lead_unit or None,),
                      "category": (position.get(p.category_id), p.category_id),
                      "source": (title.get(p.source_id), p.source_id)}[sort]
        return (value[0] is not None, value if value[0] is not None else (), p.seq, i)

    assert walked == sorted(rows, key=key, reverse=descending)


def test_the_walk_is_used_only_where_it_pays_and_stays_inside_its_read(
        server_ledger: Ledger) -> None:
    hint = "SET LOCAL enable_sort = off"
    sent = [st for st, _ in _statements(server_ledger, "lead_unit", selects_only=False)]
    assert hint in sent and sent.index(hint) == len(sent) - 3  # then jit, then the join
    nodes = _plan_nodes(server_ledger, sent[-1], None, hint, "SET LOCAL jit = off")
    assert "Sort" not in nodes and "Hash Join" not in nodes, nodes
    # Not for a sort by a problem column, nor with a search word (sorting matches is cheaper).
    for sort, flt in (("seq", ProblemFilter()), ("lead_unit", ProblemFilter(text="整改"))):
        sent = [st for st, _ in _statements(server_ledger, sort, flt=flt, selects_only=False)]
        assert hint not in sent
    # SET LOCAL ends with the read transaction: the pooled connection is back to the default.
    with server_ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW enable_sort").scalar() == "on"
