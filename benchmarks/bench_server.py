"""The benchmarks on a PostgreSQL server (a throwaway local cluster with the server's default
durable settings): the ledger copied from the SQLite one of the same size, then `rectify
summary`, `list`, `check`, `list --json`, the table's search and sort (service level and in
the real window) and the Excel export, each beside a bare psycopg baseline doing the same work
(or, for copy and export, the same command on the SQLite ledger) in the same run."""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from benchmarks import bench_check, bench_core, bench_window
from benchmarks.harness import Result, paired, wall
from benchmarks.pg_cluster import PgCluster, server_bin_dir, start_cluster
from tracker.db.engine import open_ledger

RECTIFY = bench_core.RECTIFY
DEMO_MAX = 10_000  # a demo straight into the server is timed up to here; larger ones copy
SMOKE_BELOW = 1_000  # smaller runs only show that everything runs (the test suite's): once each
# Every sort of the table by another table's column, beside the three the SQLite run times:
# those are the ones PostgreSQL cannot answer from one index.
SORTS = {**bench_core.SORTS,
         "source": "ORDER BY s.title, s.id, p.seq, p.id",
         "category": "ORDER BY c.position, c.id, p.seq, p.id"}
_LIST_SQL = ("SELECT p.seq, p.description, p.status, p.deadline_text, u.name FROM problem p "
             "LEFT JOIN unit u ON u.id = p.lead_unit_id ORDER BY p.source_id, p.seq")
# `rectify summary` and `list`: a bare psycopg process reading and printing the listed rows
# (interpreter start-up in both), as the SQLite row's bare sqlite3 process does.
LIST_BASE = ("import psycopg, sys; c = psycopg.connect(sys.argv[1]); "
             f"r = c.execute({_LIST_SQL!r}).fetchall(); "
             "sys.stdout.write('\\n'.join('%s %s %s %s %s' % x for x in r))")
# `rectify check`: the server counterpart of SQLite's two PRAGMA checks (the catalog queries
# of tracker.db.server_checks) and the same two scans as the SQLite baseline, rows counted.
CHECK_BASE = (
    "import psycopg, sys\nc = psycopg.connect(sys.argv[1])\n" + bench_check._SCANS +
    "c.execute(\"SELECT tablename FROM pg_tables WHERE schemaname = current_schema()\")"
    ".fetchall()\n"
    "c.execute(\"SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE NOT (i.indisvalid AND i.indisready)\").fetchall()\n"
    "c.execute(\"SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()\")"
    ".fetchall()\n"
    "n = sum(1 for _ in c.execute(P)) + sum(1 for _ in c.execute(M))\n")


def _json_base() -> str:
    """The SQLite row's naive list --json baseline, reading from the server instead (dates
    arrive as date objects there, so they are written as their ISO text)."""
    head = "import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
    if not bench_check.JSON_BASE.startswith(head):
        raise RuntimeError("bench_check.JSON_BASE changed: update bench_server._json_base")
    code = ("import json, psycopg, sys\nc = psycopg.connect(sys.argv[1])\n"
            + bench_check.JSON_BASE[len(head):])
    return code.replace("ensure_ascii=False)", "ensure_ascii=False, default=str)")


def _repeat(n: int, full: int) -> int:
    """How many times to run each figure: ``full``, or once in a smoke-test run."""
    return full if n >= SMOKE_BELOW else 1


def available() -> bool:
    """True when a PostgreSQL server binary is installed here."""
    return server_bin_dir() is not None


class ServerStore:
    """A started cluster for one benchmark run; stopped (and its folder deleted) on exit."""

    def __init__(self) -> None:
        self.cluster: PgCluster | None = None
        self._data = tempfile.TemporaryDirectory(prefix="rectify-bench-data-")

    def __enter__(self) -> ServerStore:
        self.cluster = start_cluster(durable=True)
        if self.cluster is None:
            raise RuntimeError("没有找到 PostgreSQL 服务器程序（initdb、pg_ctl）")
        # Server ledgers keep a small local stand-in file; keep this run's out of the home.
        os.environ["XDG_DATA_HOME"] = self._data.name
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        self._data.cleanup()

    def new_database(self, name: str) -> str:
        """A new empty database; its ledger URL."""
        assert self.cluster is not None
        self.cluster.drop(name)
        self.cluster.admin(f"CREATE DATABASE {name}")
        return self.cluster.url(name)


def build(store: ServerStore, path: Path, n: int, sqlite_demo: float | None
          ) -> tuple[str, list[Result]]:
    """The server ledger of this size, copied from the SQLite ledger at ``path`` (rectify copy,
    which verifies every row), beside the same copy into a new file. Up to DEMO_MAX a demo is
    also generated straight into the server, beside the SQLite demo of this run."""
    out: list[Result] = []
    scale = f"{n:,}"
    if n <= DEMO_MAX:
        url = store.new_database(f"demo_{n}")
        took = wall([*RECTIFY, "--db", url, "demo", "--problems", str(n)])
        out.append(Result("生成示例台账 rectify demo（直接写入服务器）", scale, took, sqlite_demo, "s",
                          "< 60 s", took < 60))
        assert store.cluster is not None
        store.cluster.drop(f"demo_{n}")
    url = store.new_database(f"ledger_{n}")
    with tempfile.TemporaryDirectory() as tmp:
        to_file = wall([*RECTIFY, "copy", str(path), str(Path(tmp) / "copy.sqlite")])
    to_server = wall([*RECTIFY, "copy", str(path), url])
    out.append(Result("rectify copy 台账文件 → 服务器（含逐行核对）", scale, to_server, to_file, "s",
                      "仅供参考（基线：复制到新台账文件）", None))
    return url, out


def cli(url: str, n: int) -> list[Result]:
    """`rectify summary` and `rectify list` on the server, beside a bare psycopg process."""
    out = []
    repeat = _repeat(n, 3)
    for sub in ("summary", "list"):
        ours = min(wall([*RECTIFY, "--db", url, sub]) for _ in range(repeat))
        base = min(wall([sys.executable, "-c", LIST_BASE, url]) for _ in range(repeat))
        out.append(Result(f"rectify {sub}", f"{n:,}", ours, base, "s", "≤ 1 s", ours <= 1.0))
    return out


def check_and_json(url: str, n: int) -> list[Result]:
    """`rectify check` and `rectify list --json` on the server, each beside its bare psycopg
    baseline; peak memory of each process on its own (bench_check.timed)."""
    repeat = _repeat(n, 2)
    check, _ = bench_check.best([*RECTIFY, "--db", url, "check"], repeat)
    check_base, _ = bench_check.best([sys.executable, "-c", CHECK_BASE, url], repeat)
    js, js_mb = bench_check.best([*RECTIFY, "--db", url, "list", "--json"], repeat)
    js_base, js_base_mb = bench_check.best([sys.executable, "-c", _json_base(), url], repeat)
    target_c, target_j = bench_check.CHECK_TARGET_S, bench_check.JSON_TARGET_S
    return [
        Result("rectify check（服务器：目录检查）", f"{n:,}", check, check_base, "s",
               f"≤ {target_c:g} s", check <= target_c),
        Result("rectify list --json（到 /dev/null）", f"{n:,}", js, js_base, "s",
               f"≤ {target_j:g} s", js <= target_j),
        Result("rectify list --json 的峰值内存", f"{n:,}", js_mb, js_base_mb, "MB",
               "随规模持平（流式）", None),
    ]


def search_and_sort(url: str, n: int) -> list[Result]:
    """problem_ids per keystroke and per sort key on the server, beside the same SQL sent
    through a bare psycopg connection."""
    import psycopg

    ledger = open_ledger(url, read_only=True)
    conn = psycopg.connect(url, autocommit=True)
    try:
        return bench_core.timed_queries(
            ledger, lambda sql, args: conn.execute(sql, args).fetchall(),  # type: ignore[arg-type]
            "%s", SORTS, n)
    finally:
        conn.close()
        ledger.close()


def window(url: str, n: int, largest: bool) -> list[Result]:
    """The real window on the server ledger: cold start at every size; search, sort and
    memory at the largest (benchmarks.window_server sends the driver's raw SQL to the server)."""
    # A URL opens like a path (ui.app.run takes either).
    out = bench_window.cold_start(url, n, _repeat(n, 3))  # type: ignore[arg-type]
    if largest:
        driver = bench_window.DRIVER
        bench_window.DRIVER = "from benchmarks.window_server import main; main()"
        try:
            out += bench_window.in_window(url, n)  # type: ignore[arg-type]
        finally:
            bench_window.DRIVER = driver
    return out


def export(url: str, path: Path, n: int) -> list[Result]:
    """`rectify export` of the server ledger beside the same export of the SQLite ledger
    (whole commands, interleaved, best of two)."""
    repeat = _repeat(n, 2)
    with tempfile.TemporaryDirectory() as tmp:
        runs = itertools.count()

        def to(db: str) -> float:  # a new file each time: export never overwrites
            return wall([*RECTIFY, "--db", db, "export", str(Path(tmp) / f"{next(runs)}.xlsx")])

        ours, base = paired(lambda: to(url), lambda: to(str(path)), repeat)
    return [Result("导出 Excel 台账 rectify export（整条命令）", f"{n:,}", ours, base, "s",
                   "≤ 1.5× 台账文件", ours <= 1.5 * base)]
