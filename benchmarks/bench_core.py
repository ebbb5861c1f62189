"""Core figures: building ledgers, `rectify summary`/`list`, search and sort against raw SQL."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Result, paired, wall
from tracker.db.engine import Ledger, open_ledger
from tracker.domain import ProblemFilter
from tracker.services.queries import problem_ids

RECTIFY = [sys.executable, "-m", "ui.launch"]
KEYSTROKES = ["食", "食堂", "食堂食", "食堂食品", "食堂食品留样"]
SORTS = {
    "deadline": "ORDER BY p.deadline IS NULL, p.deadline, p.seq, p.id",
    "lead_unit": "ORDER BY u.name, p.seq, p.id",
    "status": ("ORDER BY CASE p.status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 "
               "WHEN 'ongoing' THEN 2 WHEN 'done' THEN 3 WHEN 'closed' THEN 4 ELSE 9 END, "
               "p.seq, p.id"),
}
UNIT_JOIN = "LEFT JOIN unit u ON u.id = p.lead_unit_id"
# The sorts by another table's column join that table instead (the server run times them too).
SORT_JOINS = {"source": "LEFT JOIN source s ON s.id = p.source_id",
              "category": "LEFT JOIN category c ON c.id = p.category_id"}


def build(path: Path, n: int) -> Result:
    """`rectify demo --problems N` into a fresh file."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    took = wall([*RECTIFY, "--db", str(path), "demo", "--problems", str(n)])
    return Result("生成示例台账 rectify demo", f"{n:,}", took, None, "s", "< 60 s",
                  took < 60)


# `rectify summary`'s work, naively: problems counted by status, deadline and overdue in one
# GROUP BY, the measures counted, the counts printed.
SUMMARY_BASE = (
    "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
    "r = c.execute(\"SELECT status, deadline, open_deadline < date('now'), count(*) "
    "FROM problem GROUP BY 1, 2, 3\").fetchall()\n"
    "m = c.execute('SELECT count(*) FROM measure').fetchone()[0]\n"
    "print(m, sum(x[3] for x in r), '\\n'.join(' '.join(map(str, x)) for x in r))\n")
# `rectify list`'s work, naively: the printed columns of every problem, in the ledger's order.
LIST_BASE = ("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
             "r=c.execute('SELECT p.seq, p.description, p.status, p.deadline_text, "
             "u.name FROM problem p LEFT JOIN unit u ON u.id=p.lead_unit_id "
             "ORDER BY p.source_id, p.seq').fetchall(); "
             "sys.stdout.write('\\n'.join('%s %s %s %s %s' % x for x in r))")


def cli(path: Path, n: int) -> list[Result]:
    """Whole `rectify summary` and `rectify list` commands, each beside a bare Python+sqlite3
    process doing the same work (aggregating; reading and printing the rows), so interpreter
    start-up is in both."""
    out = []
    for sub, base_code in (("summary", SUMMARY_BASE), ("list", LIST_BASE)):
        ours = min(wall([*RECTIFY, "--db", str(path), sub]) for _ in range(3))
        base = min(wall([sys.executable, "-c", base_code, str(path)]) for _ in range(3))
        out.append(Result(f"rectify {sub}", f"{n:,}", ours, base, "s", "≤ 1 s", ours <= 1.0))
    return out


RawQuery = Callable[[str, tuple[object, ...]], object]


def search_and_sort(path: Path, n: int) -> list[Result]:
    """What the table runs per keystroke and per sort click, against the raw SQL it issues."""
    ledger = open_ledger(path, read_only=True)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return timed_queries(ledger, lambda sql, args: conn.execute(sql, args).fetchall(),
                             "?", SORTS, n)
    finally:
        conn.close()
        ledger.close()


def timed_queries(ledger: Ledger, raw: RawQuery, param: str, sorts: dict[str, str], n: int
                  ) -> list[Result]:
    """problem_ids per keystroke and per sort key, each interleaved with the raw query (run by
    ``raw`` with ``param`` as the placeholder) that a plain implementation would issue."""
    results = []
    worst_o = worst_b = 0.0
    for text in KEYSTROKES:
        flt = ProblemFilter(text=text)

        def ours() -> object:
            return problem_ids(ledger, flt)

        def base() -> object:
            return raw(f"SELECT id FROM problem WHERE search_text LIKE {param} ESCAPE '\\' "
                       "ORDER BY source_id, seq, id", (f"%{text}%",))

        o, b = paired(ours, base)
        worst_o, worst_b = max(worst_o, o), max(worst_b, b)
    results.append(Result("搜索（每次按键，最慢一次）", f"{n:,}", worst_o * 1000,
                          worst_b * 1000, "ms", "≤ 100 ms", worst_o <= 0.1))
    for key, order in sorts.items():
        def ours_sort(key: str = key) -> object:
            return problem_ids(ledger, ProblemFilter(), sort=key)

        def base_sort(order: str = order) -> object:
            return raw(f"SELECT p.id FROM problem p {SORT_JOINS.get(key, UNIT_JOIN)} {order}", ())

        o, b = paired(ours_sort, base_sort)
        results.append(Result(f"排序：{key}", f"{n:,}", o * 1000, b * 1000, "ms",
                              "≤ 100 ms", o <= 0.1))
    return results
