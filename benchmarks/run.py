"""`python -m benchmarks.run`: build ledgers of 1k/10k/100k problems and measure every figure
of the Benchmarks issue beside its baseline in the same run; write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks import bench_check, bench_core, bench_excel, bench_server, bench_window
from benchmarks.harness import ROOT, Result

SECTIONS: list[tuple[str, Callable[[Path, int, bool], list[Result]]]] = []
EXCEL_SIZE = 10_000
KEEP_MARKER = "<!-- 以下为人工分析：重新运行 benchmarks.run 时保留 -->"
SIZES: list[int] = []  # the sizes of this run, set by main()
SERVER_HEADING = "## PostgreSQL（服务器台账）"


def default_stores() -> list[str]:
    """Both stores when a PostgreSQL server binary is installed here, else SQLite only."""
    return ["sqlite", "postgresql"] if bench_server.available() else ["sqlite"]


def section(name: str) -> Callable[[Callable[[Path, int, bool], list[Result]]],
                                   Callable[[Path, int, bool], list[Result]]]:
    """Register a benchmark section run on every ledger size."""
    def wrap(fn: Callable[[Path, int, bool], list[Result]]
             ) -> Callable[[Path, int, bool], list[Result]]:
        SECTIONS.append((name, fn))
        return fn
    return wrap


@section("core")
def _core(path: Path, n: int, largest: bool) -> list[Result]:
    out = bench_core.cli(path, n)
    if n >= 10_000 or largest:
        out += bench_check.check_and_json(path, n)
    if largest:
        out += bench_core.search_and_sort(path, n)
    return out


@section("window")
def _window(path: Path, n: int, largest: bool) -> list[Result]:
    # Cold start on every size (it should not grow with the ledger); search, sort and
    # memory in the window only at the largest.
    out = bench_window.cold_start(path, n)
    if largest:
        out += bench_window.in_window(path, n)
    return out


@section("excel")
def _excel(path: Path, n: int, largest: bool) -> list[Result]:
    # Export and import are judged at 10,000 (the scale): at the size nearest to it
    # in this run, so a small run (--sizes 200) exercises the same code.
    out: list[Result] = []
    if _excel_size(n):
        out += bench_excel.export_time(path, n)
        out += bench_excel.import_time(n)
    if largest:
        out += bench_excel.export_memory(path, n)
    return out


def _excel_size(n: int) -> bool:
    """Whether export and import are judged at this size of the run."""
    return n == EXCEL_SIZE or (EXCEL_SIZE not in SIZES and n == min(SIZES))


def _server(store: bench_server.ServerStore, path: Path, n: int, largest: bool,
            sqlite_demo: float | None) -> list[Result]:
    """Every server figure at this size, on a copy of the SQLite ledger at ``path``."""
    url, out = bench_server.build(store, path, n, sqlite_demo)
    out += bench_server.cli(url, n)
    if n >= 10_000 or largest:
        out += bench_server.check_and_json(url, n)
    if largest:
        out += bench_server.search_and_sort(url, n)
    out += bench_server.window(url, n, largest)
    if _excel_size(n):
        out += bench_server.export(url, path, n)
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} s"


def table(results: list[Result]) -> str:
    """Markdown table of results."""
    lines = ["| 测量 | 规模 | 本程序 | 基线（同一次运行） | 比值 | 目标 | 达标 |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        met = {True: "✅", False: "❌", None: "—"}[r.met]
        note = f" {r.note}" if r.note else ""
        lines.append(f"| {r.name}{note} | {r.scale} | {_fmt(r.ours, r.unit)} | "
                     f"{_fmt(r.baseline, r.unit)} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def _cpu_and_memory() -> str:
    """CPU model and memory size where /proc tells them (Linux), else nothing."""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{cpu}, 内存 {kib / 2**20:.0f} GiB, "
    except (OSError, StopIteration, ValueError, IndexError):
        return ""


def machine() -> str:
    """One line describing where the figures were taken."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.platform()}, Python {platform.python_version()}, {_cpu_and_memory()}"
            f"{os.cpu_count()} 核, 运行开始时负载 {load:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write the table."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    p.add_argument("--sizes", default="1000,10000,100000",
                   help="ledger sizes, comma-separated (default 1000,10000,100000)")
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"),
                   help="where to write the Markdown table ('-' prints it only)")
    p.add_argument("--workdir", help="folder for the generated ledgers (default: a temp folder)")
    p.add_argument("--stores", default=",".join(default_stores()),
                   help="stores to measure, comma-separated: sqlite, postgresql (default: both "
                        "when a PostgreSQL server binary is installed, else sqlite)")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not stores or set(stores) - {"sqlite", "postgresql"}:
        p.error("--stores takes sqlite, postgresql or both")
    if "postgresql" in stores and not bench_server.available():
        p.error("no PostgreSQL server binary (initdb, pg_ctl) is installed: use --stores sqlite")
    SIZES[:] = sizes
    started = dt.datetime.now()
    header = machine()
    results: list[Result] = []
    server: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        store = (stack.enter_context(bench_server.ServerStore()) if "postgresql" in stores
                 else None)
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            path = work / f"ledger-{n}.sqlite"
            built = bench_core.build(path, n)  # the server ledger is copied from this file
            if "sqlite" in stores:
                results.append(built)
                for name, fn in SECTIONS:
                    print(f"[{n:,}] {name} …", file=sys.stderr, flush=True)
                    results += fn(path, n, n == max(sizes))
            if store is not None:
                print(f"[{n:,}] postgresql …", file=sys.stderr, flush=True)
                server += _server(store, path, n, n == max(sizes), built.ours)
    command = f"python -m benchmarks.run --sizes {args.sizes} --stores {','.join(stores)}"
    text = (f"# 性能测量\n\n日期：{started:%Y-%m-%d %H:%M}；机器：{header}\n\n"
            f"命令：`{command}`\n\n")
    if results:
        text += f"{table(results)}\n"
    if server:
        text += (f"\n{SERVER_HEADING}\n\n本机 PostgreSQL 服务器（临时集群，默认的持久化设置），台账从同一规模的"
                 "台账文件复制而来；基线是裸 psycopg 做同样的查询（复制和导出：同一命令用台账文件）。\n\n"
                 f"{table(server)}\n")
    results += server
    if args.out == "-":
        print(text)
    else:
        out = Path(args.out)
        # The analysis written by hand under the marker (profiles, plans) survives a re-run.
        old = out.read_text(encoding="utf-8") if out.exists() else ""
        if KEEP_MARKER in old:
            text += "\n" + old[old.index(KEEP_MARKER):]
        out.write_text(text, encoding="utf-8")
        print(text)
    return 0 if all(r.met is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
