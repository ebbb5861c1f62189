"""`rectify check` and `rectify list --json`, each beside a bare Python+sqlite3 process doing
the same work (the same PRAGMA checks and the same two scans; the same rows dumped as JSON),
and the peak memory of each process on its own (os.wait4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_core import RECTIFY
from benchmarks.harness import ROOT, Result

CHECK_TARGET_S = 3.0
JSON_TARGET_S = 5.0

_SCANS = (
    "P='SELECT p.id, p.seq, p.status, p.deadline, p.open_deadline, p.measures_total, "
    "p.measures_done, p.search_text, p.description, p.goal, p.remarks, p.owner, p.leader, "
    "p.co_units, u.name FROM problem p LEFT JOIN unit u ON p.lead_unit_id = u.id ORDER BY p.id'\n"
    "M='SELECT m.problem_id, m.status, m.deadline, m.deadline_kind, m.deadline_text, m.text, "
    "m.owner, m.co_units, u.name FROM measure m LEFT JOIN unit u ON m.lead_unit_id = u.id "
    "ORDER BY m.problem_id, m.position, m.id'\n"
)
# The check's work without the rules: SQLite's two checks and both scans, rows counted.
CHECK_BASE = ("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n" + _SCANS +
              "c.execute('PRAGMA integrity_check').fetchall()\n"
              "c.execute('PRAGMA foreign_key_check').fetchall()\n"
              "n = sum(1 for _ in c.execute(P)) + sum(1 for _ in c.execute(M))\n")
# list --json's work, naively: every problem with its measures as dicts, dumped at once.
JSON_BASE = (
    "import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
    "ms = {}\n"
    "for r in c.execute('SELECT problem_id, id, text, status, deadline, deadline_text, owner, "
    "co_units FROM measure ORDER BY problem_id, position, id'):\n"
    "    ms.setdefault(r[0], []).append(dict(zip(('id', 'text', 'status', 'deadline', "
    "'deadline_text', 'owner', 'co_units'), r[1:])))\n"
    "rows = [dict(zip(('id', 'seq', 'description', 'status', 'deadline', 'owner', 'leader', "
    "'co_units', 'lead_unit'), r), measures=ms.get(r[0], [])) for r in c.execute("
    "'SELECT p.id, p.seq, p.description, p.status, p.deadline, p.owner, p.leader, p.co_units, "
    "u.name FROM problem p LEFT JOIN unit u ON u.id = p.lead_unit_id "
    "ORDER BY p.source_id, p.seq')]\n"
    "json.dump(rows, sys.stdout, ensure_ascii=False)\n")


# summary --by-unit's work, naively: each problem's lead units (its own and its measures'),
# counted per unit by status and overdue in one GROUP BY, printed.
BY_UNIT_TARGET_S = 1.0
BY_UNIT_BASE = (
    "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
    "rows = c.execute(\"SELECT u.name, p.status, p.open_deadline < date('now'), "
    "count(DISTINCT p.id) FROM (SELECT id AS pid, lead_unit_id AS uid FROM problem UNION "
    "SELECT problem_id, lead_unit_id FROM measure) l JOIN unit u ON u.id = l.uid "
    "JOIN problem p ON p.id = l.pid GROUP BY 1, 2, 3\").fetchall()\n"
    "print('\\n'.join(' '.join(map(str, r)) for r in rows))\n")


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MB) of this one process, output discarded. The peak
    comes from GNU time: a child forked straight from this (large) process would report this
    process's size as its own (Linux keeps the pre-exec high-water mark in ru_maxrss)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    timer = shutil.which("time") or "/usr/bin/time"
    t = time.perf_counter()
    out = subprocess.run([timer, "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, cwd=ROOT, env=env, text=True)
    took = time.perf_counter() - t
    if out.returncode not in (0, 1):  # check exits 1 when it finds something
        raise RuntimeError(f"{cmd} failed with {out.returncode}: {out.stderr[-2000:]}")
    return took, int(out.stderr.strip().splitlines()[-1]) / 1024


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    """The fastest run's seconds, and the largest peak memory of the runs."""
    runs = [timed(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def by_unit(path: Path, n: int, repeat: int = 3) -> Result:
    """`rectify summary --by-unit` beside a bare sqlite3 process doing the per-unit counting."""
    db = str(path)
    ours, _ = best([*RECTIFY, "--db", db, "summary", "--by-unit"], repeat)
    base, _ = best([sys.executable, "-c", BY_UNIT_BASE, db], repeat)
    return Result("rectify summary --by-unit", f"{n:,}", ours, base, "s",
                  f"≤ {BY_UNIT_TARGET_S:g} s", ours <= BY_UNIT_TARGET_S)


def check_and_json(path: Path, n: int, repeat: int = 2) -> list[Result]:
    """check, list --json (and summary --by-unit) at this size, beside their baselines."""
    db = str(path)
    check, _ = best([*RECTIFY, "--db", db, "check"], repeat)
    check_base, _ = best([sys.executable, "-c", CHECK_BASE, db], repeat)
    js, js_mb = best([*RECTIFY, "--db", db, "list", "--json"], repeat)
    js_base, js_base_mb = best([sys.executable, "-c", JSON_BASE, db], repeat)
    return [
        Result("rectify check（含 SQLite 完整性检查）", f"{n:,}", check, check_base, "s",
               f"≤ {CHECK_TARGET_S:g} s", check <= CHECK_TARGET_S),
        Result("rectify list --json（到 /dev/null）", f"{n:,}", js, js_base, "s",
               f"≤ {JSON_TARGET_S:g} s", js <= JSON_TARGET_S),
        Result("rectify list --json 的峰值内存", f"{n:,}", js_mb, js_base_mb, "MB",
               "随规模持平（流式）", None),
        by_unit(path, n),
    ]
